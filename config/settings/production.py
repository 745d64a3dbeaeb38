"""Production: PostgreSQL, Redis, SMTP; refuses to start with an insecure configuration."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, build_logging, env, mailer_from_url

if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must be off in production.")
DEBUG = False
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.bool(
    "ALLOW_SQLITE", default=False
):
    raise ImproperlyConfigured("Production needs DATABASE_URL pointing at PostgreSQL.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
DEMO_MODE = False
MFA_REQUIRED_FOR_PRIVILEGED = True  # coordinators and administrators (config/mfa.py)

# Production sends real e-mail: SMTP from EMAIL_URL, a local MTA when it is not given.
MAILERS = {"default": mailer_from_url(env.str("EMAIL_URL", default="smtp://localhost:25"))}

# Logs: one JSON object per line on stdout (config/logging.py); LOG_FORMAT=text for plain lines.
LOGGING = build_logging(
    json=env.str("LOG_FORMAT", default="json").lower() != "text",
    level=env.str("LOG_LEVEL", default="INFO"),
)

# Sentry, when SENTRY_DSN is set: errors of the web processes and the Celery tasks, no personal
# data (no cookies, user ids, IP addresses or request bodies), no performance traces unless
# SENTRY_TRACES_SAMPLE_RATE (0–1) is raised.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from config.request_id import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=sentry_before_send,
    )

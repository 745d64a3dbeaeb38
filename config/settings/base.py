"""Settings shared by every environment; read from the environment with django-environ."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.logging import build_logging

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("INNOLAB_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env.str("SECRET_KEY", default="insecure-embedded-default-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "guardian",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "core",
    "accounts",
    "notifications",
    "labs",
    "tandems",
    "missions",
    "evaluations",
    "events",
    "exchange",
    "feedback",
    "casework",
    "reports",
    "experts",
    "toolkit",
    "public",
]

MIDDLEWARE = [
    # first: the request id is on every log line of the request and on its response
    "config.request_id.RequestIdMiddleware",
    # outside SecurityMiddleware and WhiteNoise: the https redirect and static files carry it too
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.db_errors.DatabaseUnavailableMiddleware",  # a database that is away: 503, not 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.sessions.SessionLimitsMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "config.mfa.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

FORM_RENDERER = "core.forms.KernFormRenderer"
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.permissions",
                "notifications.context_processors.unread",
                "labs.context_processors.platform",
                "config.mfa.context",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'innolab.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (seconds; 0 = one per request), checked before each request reuses one:
# after a PostgreSQL restart a dead connection is replaced instead of failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process and the worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A cache miss instead of an error while Redis is away; allauth's rate limits fail open then
    # (config/cache.py says why). Short socket timeouts: a request never hangs on the cache.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="innolab"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    # A real cache shared by processes (allauth's rate limits need one), without a server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-guardian: no anonymous user object; anonymous visitors have no permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-allauth: e-mail login, no usernames, invitation-only sign-up.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[InnoLab] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "InnoLab"

# Security headers and sessions (the production values for HTTPS are in production.py).
# Content Security Policy in every environment, so the browser tests run under it: scripts only
# from our origin or with the request's nonce, no inline handlers, no eval (htmx is configured
# for that in templates/base.html), no plugins, no <base>, no framing of our pages.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from hx-headers, no script reads the cookie
# Features the platform never uses, denied to its pages and to any frame on every response
# (config.middleware.PermissionsPolicyMiddleware): QR codes and charts are drawn on the server,
# printing needs no permission, two-factor sign-in is TOTP. Allow WebAuthn here
# (publickey-credentials-get=(self)) before adding "webauthn" to MFA_SUPPORTED_TYPES.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
# Messages wait in a cookie (or the session when too long); config/messages.py deletes the
# cookie with Secure when the session cookie is Secure, which Django's own storage does not.
MESSAGE_STORAGE = "config.messages.SecureFallbackStorage"
LANGUAGE_COOKIE_SECURE = False  # True in production.py
LANGUAGE_COOKIE_HTTPONLY = True  # read by the server only (config.middleware.LanguageMiddleware)
LANGUAGE_COOKIE_SAMESITE = "Lax"
# core/sessions.py: logged out after 30 minutes without a request, 12 hours after the login.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 60 * 60
SESSION_ACTIVITY_WRITE_INTERVAL = 60
# config/mfa.py: coordinators and administrators must set up TOTP (production turns it on).
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=False)

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day-month-year and 24-hour times (en-GB style); German as Django writes it; the
# platform's own named formats (core.templatetags.dates)
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Artifacts (report PDFs, event materials) go through Django's storage API only: MEDIA_ROOT by
# default, an S3-compatible bucket (AWS S3, MinIO, Ceph, Hetzner, IONOS, …) when
# STORAGE_S3_BUCKET is set, so that several web and worker machines share them. Files are
# private (served only by the permission-checked download views), never overwritten.
STORAGE_S3_BUCKET = env.str("STORAGE_S3_BUCKET", default="") or env.str(
    "AWS_STORAGE_BUCKET_NAME", default=""
)
if STORAGE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("STORAGE_S3_REGION", default="") or None,
            "access_key": env.str("STORAGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("STORAGE_S3_PREFIX", default=""),
            "addressing_style": env.str("STORAGE_S3_ADDRESSING_STYLE", default="") or None,
            "custom_domain": None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Event materials (events/uploads.py): the largest file a coordinator may upload, in MB
# (EVENT_MATERIAL_MAX_MB, default 20). Allowed types are fixed there; files are served only
# through the permission-checked download view, never from MEDIA_URL. Let the reverse proxy
# accept request bodies a little larger than this (e.g. nginx client_max_body_size 25m).
EVENT_MATERIAL_MAX_BYTES = env.int("EVENT_MATERIAL_MAX_MB", default=20) * 1024 * 1024
# Uploads are read from the request in steps of 1 MiB (config/uploads.py): a 50 MB answers file
# is stored within a second.
FILE_UPLOAD_HANDLERS = [
    "config.uploads.MemoryFileUploadHandler",
    "config.uploads.TemporaryFileUploadHandler",
]


def mailer_from_url(url: str) -> dict:
    """Django 6.1's MAILERS entry from an EMAIL_URL such as smtp+tls://user:pw@host:587."""
    parsed = environ.Env.email_url_config(url)
    backend = parsed["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    options = {
        "host": parsed.get("EMAIL_HOST") or "localhost",
        "port": parsed.get("EMAIL_PORT") or None,
        "username": parsed.get("EMAIL_HOST_USER") or "",
        "password": parsed.get("EMAIL_HOST_PASSWORD") or "",
        "use_tls": bool(parsed.get("EMAIL_USE_TLS")),
        "use_ssl": bool(parsed.get("EMAIL_USE_SSL")),
        "timeout": 20,
    }
    return {"BACKEND": backend, "OPTIONS": {k: v for k, v in options.items() if v is not None}}


MAILERS = {"default": mailer_from_url(env.str("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="InnoLab <noreply@innolab.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production and CI, kombu's filesystem transport as the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_DIR = VAR_DIR / "celery"
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
# Redis redelivers a message that is not acknowledged within visibility_timeout. With late
# acknowledgement (below) that is how a task of a killed worker runs again; but the timeout must be
# ABOVE the longest task time limit (render_report: 660 s) and every retry countdown/ETA (at most
# ~725 s), or a task still running or waiting is delivered a second time, in a loop.
CELERY_BROKER_VISIBILITY_TIMEOUT = 2 * 60 * 60
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    # a Redis that is away or hangs fails a publish within seconds instead of blocking the request
    # (socket_timeout stays above kombu's 1 s BRPOP timeout, or idle workers would time out)
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Publishing from a web request: give up after one quick retry; reports.tasks.dispatch keeps a
# report run queued when its dispatch fails, and dispatch_queued_report_runs sends it again later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS: dict = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    # The transport fails unless its folders exist.
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# The queue web and beat publish to and the worker consumes: another name lets two instances
# (or parallel test runs) share one Redis without taking each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Late acknowledgement: a task is acknowledged when it has finished, so one whose worker dies is
# delivered again (tasks are idempotent: they claim their work by a conditional UPDATE); with
# reject_on_worker_lost, a pool child killed mid-task (OOM, hard time limit) is requeued too.
# One message per worker process at a time: a long report render does not hold other tasks back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A report run `running` for longer than this (seconds; above render_report's hard time limit
# of 660 s) belongs to a dead worker: a redelivered task may take it over (reports/jobs.py).
REPORT_RUN_STALE_AFTER = 720
# A report run still `queued` this long (seconds) after it was requested or last dispatched is sent
# to the broker again by dispatch_queued_report_runs (its dispatch may have failed while Redis was
# down, or Redis lost the message); a double delivery renders once (the run's claim).
REPORT_RUN_REDISPATCH_AFTER = env.int("REPORT_RUN_REDISPATCH_AFTER", default=5 * 60)
# The function a report job renders a draft with (reports.jobs.renderer): draft, progress=callable
# → reports.render.RenderedReport.
REPORT_RENDERER = "reports.render.render_pdf"
# Imports (answers files, survey definitions) are Celery jobs (evaluations/import_jobs.py). A job
# is stopped after IMPORT_JOB_TIME_LIMIT seconds: it fails with a reason and imports nothing (the
# hard limit, 60 s later, ends a worker that does not stop). A 50 MB answers file takes about
# 3 minutes on 2 cores (README, "Importing answers"). A job `running` for longer than the hard
# limit belongs to a dead worker: a redelivered task takes it over. A job still `queued` after
# IMPORT_JOB_REDISPATCH_AFTER seconds is sent again by dispatch_queued_import_jobs (beat).
IMPORT_JOB_TIME_LIMIT = env.int("IMPORT_JOB_TIME_LIMIT", default=20 * 60)
IMPORT_JOB_STALE_AFTER = IMPORT_JOB_TIME_LIMIT + 2 * 60
IMPORT_JOB_REDISPATCH_AFTER = env.int("IMPORT_JOB_REDISPATCH_AFTER", default=5 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # hourly; the task itself decides who is due (the day before, from 08:00 Berlin time)
    "event-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": 60 * 60,
    },
    # every 10 minutes: those who should answer an open in-platform survey are told, once each
    # (evaluations/notices.py)
    "survey-to-answer-notifications": {
        "task": "evaluations.tasks.notify_respondents_of_open_surveys",
        "schedule": 10 * 60,
    },
    # daily: raw answers of surveys closed longer than SURVEY_RAW_RETENTION_MONTHS ago are
    # deleted, their aggregates kept (evaluations/retention.py)
    "purge-expired-raw-answers": {
        "task": "evaluations.tasks.purge_expired_raw_answers",
        "schedule": 24 * 60 * 60,
    },
    # report runs whose dispatch failed (broker down) or whose message was lost
    "dispatch-queued-report-runs": {
        "task": "reports.tasks.dispatch_queued_report_runs",
        "schedule": 2 * 60,
    },
    # daily: the summary e-mail of the day's notifications for those who chose it
    # (notifications/mail.py; a summary goes out once, whenever the task runs)
    "notification-digests": {
        "task": "notifications.tasks.send_notification_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # import jobs whose dispatch failed (broker down) or whose message was lost
    "dispatch-queued-import-jobs": {
        "task": "evaluations.tasks.dispatch_queued_import_jobs",
        "schedule": 2 * 60,
    },
}

# The platform's address for links in e-mails sent without a request (reminders, notices), and
# the domain in the UIDs of calendar entries (keep it stable: calendars match updates by UID).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
CALENDAR_UID_DOMAIN = env.str("CALENDAR_UID_DOMAIN", default="innolab.events")

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# Retention of raw survey answers: months after a survey closed, its responses and answers are
# deleted and only the aggregates (with suppression applied) are kept; 0 keeps them forever.
SURVEY_RAW_RETENTION_MONTHS = env.int("SURVEY_RAW_RETENTION_MONTHS", default=24)
DEMO_MODE = env.bool("DEMO_MODE", default=False)

# The long tables and the survey analysis are cached per person until the data under them
# changes (core.fragments, core.dataversion); anything that depends on the clock is at most
# this many seconds old. 0 turns the cache off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=300)

# Feedback address named in the accessibility statement's default text (BITV 2.0 § 7).
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="barrierefreiheit@innolab.localhost"
)

# Logs (config/logging.py): LOG_FORMAT `text` (here) or `json` (production's default), every
# line with the request id (config/request_id.py); the Celery worker and beat log the same way.
LOGGING = build_logging(
    json=env.str("LOG_FORMAT", default="text").lower() == "json",
    level=env.str("LOG_LEVEL", default="INFO"),
)

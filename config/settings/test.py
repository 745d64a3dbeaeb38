"""Settings for pytest: PostgreSQL and Redis from the environment (see scripts/test).

scripts/test also runs the URL walks on SQLite (`DATABASE_URL=sqlite://:memory:`): Django then
gives each test process an in-memory test database of its own.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
ALLOWED_HOSTS = ["*"]
DEMO_MODE = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  the seed_demo tests
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "test-media"))  # noqa: F405

# Unit tests run tasks in-process; tests/integration switches this off and runs a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
if env.str("EMAIL_FILE_PATH", default=""):
    # The integration tests' worker process writes its e-mails where the test can read them.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env.str("EMAIL_FILE_PATH")},
        }
    }

# Only tests/integration/test_report_worker.py sets these, for the worker it kills mid-render:
# a renderer that pauses inside the render, a short staleness and a short broker visibility
# timeout with fast sweeps, so the redelivered task takes the run over within seconds, not hours.
REPORT_RENDERER = env.str("INNOLAB_TEST_REPORT_RENDERER", default=REPORT_RENDERER)  # noqa: F405
if env.str("INNOLAB_TEST_RUN_STALE_AFTER", default=""):
    REPORT_RUN_STALE_AFTER = env.int("INNOLAB_TEST_RUN_STALE_AFTER")
if env.str("INNOLAB_TEST_VISIBILITY_TIMEOUT", default=""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": env.int("INNOLAB_TEST_VISIBILITY_TIMEOUT"),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

# Session limits (core/sessions.py): the last activity is written at most once an hour here, so
# a slow test machine never adds a session write between two requests whose queries a test counts;
# tests/accounts/test_sessions.py sets the production interval.
SESSION_ACTIVITY_WRITE_INTERVAL = 60 * 60

# Each pytest-xdist process gets a cache of its own — a Redis database (2, 3, …; the services use
# 0 for the cache and 1 for the queue) or a folder of the file cache — so that a test emptying the
# cache (rate limits, page cache: tests/conftest.py) never empties it under a test running in the
# other process.
_XDIST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if _XDIST_WORKER.startswith("gw"):
    _cache = CACHES["default"]  # noqa: F405
    if REDIS_URL:  # noqa: F405
        from urllib.parse import urlsplit

        _db = 2 + int(_XDIST_WORKER[2:])
        _cache["LOCATION"] = urlsplit(REDIS_URL)._replace(path=f"/{_db}").geturl()  # noqa: F405
    else:
        _cache["LOCATION"] = f"{_cache['LOCATION']}/{_XDIST_WORKER}"

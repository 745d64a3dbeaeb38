"""The embedded default for `scripts/run`: SQLite, filesystem broker, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
DEMO_MODE = env.bool("DEMO_MODE", default=True)
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  manage.py seed_demo, dev-only
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
# the platform's own error pages, not Django's technical ones, in the demo (config/middleware.py)
if DEMO_MODE:
    MIDDLEWARE = [*MIDDLEWARE, "config.middleware.PlatformErrorPagesMiddleware"]  # noqa: F405

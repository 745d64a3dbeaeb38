"""Settings for serving the app in a benchmark (bench/large_lab.py): production's, over plain HTTP
on the loopback, plus a floor view (bench/urls.py) and an X-Query-Count response header."""

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.urls"
# first, so that the queries of every other middleware (session, user) are counted too
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
# collectstatic's target, beside the benchmark's other files. The pages get their static file
# names from the manifest as in production; the pre-compressed copies whitenoise would also make
# (most of collectstatic's time) are left out: the benchmark loads no static file.
STATIC_ROOT = VAR_DIR / "static"  # noqa: F405
STORAGES = STORAGES | {  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
}

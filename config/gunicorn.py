"""gunicorn's settings for the web service (`gunicorn … -c python:config.gunicorn`).

Port 8000. Environment: WEB_CONCURRENCY (worker processes, 3), WEB_TIMEOUT (seconds, 60),
LOG_FORMAT (json unless `text`), LOG_LEVEL (INFO). GUNICORN_CMD_ARGS and command-line options
override these (gunicorn's own order), e.g. GUNICORN_CMD_ARGS="--bind=127.0.0.1:8011".
The access log goes to stdout as JSON with the request id the app answered with.
"""

import os

from config.logging import build_gunicorn_logging

bind = ["0.0.0.0:8000"]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# heartbeat files in memory (a container's /tmp may be an overlay on a slow disk)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = "-"
# the message of a text access line; JSON lines take their fields from the atoms instead
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'
logconfig_dict = build_gunicorn_logging(
    json=os.environ.get("LOG_FORMAT", "json").lower() != "text",
    level=os.environ.get("LOG_LEVEL", "INFO"),
)
# no control socket (gunicornc): nothing is written to the home folder, which the image's
# non-root user does not have
control_socket_disable = True

"""LOGGING for Django and the Celery worker, and gunicorn's logconfig_dict (config/gunicorn.py).

Two formats, chosen by LOG_FORMAT: `json` (production's default: one JSON object per line on
stdout, for a log collector) and `text` (development and tests: one readable line on stderr).
Every record carries `request_id` (config/request_id.py); in the worker also `task_id` and
`task_name` while a task runs. A JSON line looks like

    {"timestamp": "2026-11-22T11:02:03.456789+00:00", "level": "INFO", "logger": "innolab",
     "message": "…", "request_id": "3f2a…", "process": 12}
"""

import logging

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

JSON_FIELDS = ["levelname", "name", "message", "request_id", "process"]
RENAMED = {"levelname": "level", "name": "logger"}
CELERY_DATA_KEPT = ("id", "name", "runtime", "eta", "exc")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


class JsonFormatter(_JsonFormatter):
    """python-json-logger with our field names, a UTC timestamp and no Django request object
    (its repr says nothing the access log does not, and it is not JSON)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("rename_fields", RENAMED)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        log_data.pop("request", None)
        log_data.pop("color_message", None)
        data = log_data.get("data")
        if isinstance(data, dict) and "id" in data and "name" in data:
            # Celery's task records: ids, name, timing; never the arguments or the return value
            # (they may hold personal data; the message keeps Celery's usual wording)
            log_data["data"] = {k: data[k] for k in CELERY_DATA_KEPT if k in data}


class TextFormatter(logging.Formatter):
    """The plain format; `-` where a record has no request id."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)


# gunicorn's access atoms (gunicorn/glogging.py: Logger.atoms) that go into the JSON line.
ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "user_agent": "a",
    "request_id": "{x-request-id}o",
}


class GunicornAccessJsonFormatter(JsonFormatter):
    """gunicorn.access records as JSON: the atoms gunicorn passes as the record's args become
    fields. The request id is the X-Request-ID the app answered with (RequestIdMiddleware)."""

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        atoms = record.args if isinstance(record.args, dict) else None
        if not atoms:
            return
        for field, atom in ACCESS_FIELDS.items():
            try:
                value = atoms[atom]
            except KeyError:
                continue
            if isinstance(value, str):
                value = value.replace('\\"', '"')  # gunicorn's SafeAtoms escape quotes
            if value in (None, "-", ""):
                value = None
            if field in ("status", "bytes") and isinstance(value, str) and value.isdigit():
                value = int(value)
            log_data[field] = value


def _formatters(json: bool) -> dict:
    if json:
        return {
            "json": {"()": JsonFormatter, "fmt": JSON_FIELDS},
            "access_json": {"()": GunicornAccessJsonFormatter, "fmt": JSON_FIELDS},
        }
    return {"text": {"()": TextFormatter, "fmt": TEXT_FORMAT}}


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request (403) is logged as one line: Django attaches the PermissionDenied with
    its traceback, which says nothing but "this person may not" and floods the console."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


def build_logging(*, json: bool, level: str = "INFO") -> dict:
    """Django's LOGGING (the worker applies it too, see config/celery.py)."""
    level = level.upper()
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json" if json else "text",
        "filters": ["request_id", "forbidden_without_traceback"],
        "stream": "ext://sys.stdout" if json else "ext://sys.stderr",
    }
    app_logger = {"handlers": ["console"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.request_id.RequestIdFilter"},
            "forbidden_without_traceback": {"()": "config.logging.ForbiddenWithoutTraceback"},
        },
        "formatters": _formatters(json),
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "innolab": app_logger,
            # Django's own (django.request: 4xx/5xx with the status, django.security, …)
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # the worker's "Task … received / succeeded in …" lines, beat's "Sending due task"
            "celery": app_logger,
            # the apps' module loggers (logging.getLogger(__name__))
            **{
                name: app_logger
                for name in (
                    "accounts",
                    "labs",
                    "tandems",
                    "missions",
                    "evaluations",
                    "events",
                    "config",
                )
            },
        },
    }


def build_gunicorn_logging(*, json: bool, level: str = "INFO") -> dict:
    """gunicorn's logconfig_dict: its error log and access log in the same format as the app."""
    formatter = "json" if json else "text"
    stream = "ext://sys.stdout" if json else "ext://sys.stderr"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
        "formatters": {
            **_formatters(json),
            # text: gunicorn's own access line (the combined log format) as the message
            "access_text": {"format": "%(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["request_id"],
                "stream": stream,
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access_json" if json else "access_text",
                "stream": stream,
            },
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": level.upper(), "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }

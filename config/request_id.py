"""A request id on every log line of a request, and of every Celery task the request starts.

The id comes from the reverse proxy's X-Request-ID header when it is a sane value (nginx:
`proxy_set_header X-Request-ID $request_id;`), else a new uuid4 hex. It lives in a contextvar for
the request, goes onto each log record through RequestIdFilter (handlers in config/logging.py),
and is sent back in the X-Request-ID response header (gunicorn's access log reads it from there).
config/celery.py puts it into the headers of tasks published while it is set and sets it again
in the worker around the task, so the worker's log lines of that task carry the same id.

Hand-written rather than django-guid: django-guid 3.6 declares Django < 6.0 on Python 3.12.
"""

import logging
import re
import uuid
from contextvars import ContextVar, Token

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

HEADER = "X-Request-ID"
# The Celery message header that carries the id into a task.
CELERY_HEADER = "request_id"

# Printable, no spaces or quotes, bounded: safe in a log line and a response header.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=@-]{0,127}")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# (task id, task name) while a Celery task runs in this worker process.
task_var: ContextVar[tuple[str, str] | None] = ContextVar("celery_task", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: object) -> str | None:
    """The value itself if it is acceptable as a request id, else None."""
    if isinstance(value, str) and _SANE.fullmatch(value):
        return value
    return None


def get_request_id() -> str | None:
    return request_id_var.get()


def set_request_id(value: str | None) -> Token:
    return request_id_var.set(value)


def reset_request_id(token: Token) -> None:
    request_id_var.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (and in a worker `task_id`, `task_name`) to every record it sees.

    Attach it to handlers, not loggers: a logger's filters do not see records that propagate
    up from child loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            # django.request logs 4xx/5xx after the middleware has returned, with the request
            record.request_id = request_id_var.get() or getattr(
                getattr(record, "request", None), "request_id", None
            )
        task = task_var.get()
        if task is not None:
            if getattr(record, "task_id", None) is None:
                record.task_id = task[0]
            if getattr(record, "task_name", None) is None:
                record.task_name = task[1]
        return True


class RequestIdMiddleware:
    """First in MIDDLEWARE: sets the request id for everything after it, and answers with it."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(self.get_response):
            markcoroutinefunction(self)

    def _begin(self, request) -> tuple[str, Token]:
        request_id = sane_request_id(request.headers.get(HEADER)) or new_request_id()
        request.request_id = request_id
        return request_id, request_id_var.set(request_id)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        request_id, token = self._begin(request)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response

    async def __acall__(self, request):
        request_id, token = self._begin(request)
        try:
            response = await self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Sentry's before_send: tag each event with the request id, to find its log lines."""
    value = request_id_var.get()
    if value:
        event.setdefault("tags", {})["request_id"] = value
    return event

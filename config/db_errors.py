"""A database that is away (restarting, failing over, out of connections) answers 503, not 500.

`DatabaseUnavailableMiddleware` turns an OperationalError or InterfaceError raised by a view into
a short "temporarily unavailable" page with status 503 and Retry-After, so load balancers and
people see a passing outage instead of a server error. `server_error` (config/urls.py's
handler500) does the same for such an error raised outside the view (a middleware reading the
session, say) and is Django's plain 500 page otherwise. Neither touches the database: the page is
a static template rendered without a request context. The next request opens a fresh connection
(CONN_HEALTH_CHECKS in the settings), so the processes recover by themselves once the database is
back; nothing needs a restart.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger("innolab.db")

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.warning(
            "Database unavailable during %s %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
        )
        return unavailable_response()


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: 503 for a database that is away, Django's 500 page for anything else."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UNAVAILABLE):
        return unavailable_response()
    return defaults.server_error(request, template_name=template_name)

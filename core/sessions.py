"""Session limits: a logged-in session ends after SESSION_IDLE_TIMEOUT seconds without a request
(30 minutes) and SESSION_ABSOLUTE_TIMEOUT seconds after the login (12 hours), whichever comes
first. The person is logged out with a message and the request goes on anonymously, so a page
that needs a login sends them to the login page and back afterwards.

Start and last activity live in the session as epoch seconds. The last activity is written at
most once a minute (SESSION_ACTIVITY_WRITE_INTERVAL): a request does not cost a session write,
and the idle limit may bite up to that much early.

Every login (allauth's form, and Django's login() as after an accepted invitation) also records
the session in allauth.usersessions (accounts/signals.py), so that an account that is
deactivated loses every session at once.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

STARTED_KEY = "_innolab_session_started"
LAST_ACTIVITY_KEY = "_innolab_session_last_activity"


def _limits() -> tuple[int, int, int]:
    return (
        settings.SESSION_IDLE_TIMEOUT,
        settings.SESSION_ABSOLUTE_TIMEOUT,
        getattr(settings, "SESSION_ACTIVITY_WRITE_INTERVAL", 60),
    )


def session_started(request: HttpRequest) -> None:
    """A login: both limits count from now."""
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> None:
        idle, absolute, write_interval = _limits()
        session = request.session
        now = time.time()
        started = session.get(STARTED_KEY)
        last = session.get(LAST_ACTIVITY_KEY)
        if started is None or last is None:
            # a session from before this middleware, or made without a login (tests)
            session[STARTED_KEY] = session[LAST_ACTIVITY_KEY] = now
        elif now - started > absolute:
            logout(request)
            messages.info(
                request,
                _("For your security you were logged out %(hours)d hours after logging in.")
                % {"hours": absolute // 3600},
            )
            return
        elif now - last > idle:
            logout(request)
            messages.info(
                request,
                _(
                    "For your security you were logged out after %(minutes)d minutes "
                    "without activity."
                )
                % {"minutes": idle // 60},
            )
            return
        elif now - last >= write_interval:
            session[LAST_ACTIVITY_KEY] = now

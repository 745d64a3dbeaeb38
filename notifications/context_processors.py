import functools

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict:
    """The header's unread count: one query, and only when a page renders it for a logged-in
    person (a callable: templates call it; cached, so several uses cost one query). It is part
    of the page frame, never of a cached fragment (core/fragments.py), so it is always current."""
    user = getattr(request, "user", None)

    @functools.cache
    def count() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {"notification_unread_count": count}

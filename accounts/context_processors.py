from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .permissions import can_open_django_admin, is_site_admin


def permissions(request: HttpRequest) -> dict:
    """The platform-wide yes/no answers the page frame (base.html, footer) shows links by.

    Lazy: request.user is only looked at by a page that renders the frame."""
    user = getattr(request, "user", None)
    if user is None:
        return {"is_site_admin": False, "can_open_django_admin": False}
    return {
        "is_site_admin": SimpleLazyObject(lambda: is_site_admin(user)),
        "can_open_django_admin": SimpleLazyObject(lambda: can_open_django_admin(user)),
    }

"""Who may do what on the platform as a whole (the labs' own rules: labs/permissions.py).

A platform administrator ("site admin") is an active account with is_staff or is_superuser: they
read the audit log and edit the privacy notice and the accessibility statement. Django's admin
has its own, narrower rule (active and is_staff, django.contrib.admin.AdminSite.has_permission):
a superuser without is_staff is an administrator here but cannot log into Django's admin, so its
link follows that rule.
"""

from django.http import Http404

from .models import User


def is_site_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def require_site_admin(user) -> None:
    """Everyone but platform administrators gets 'not found': the page's existence is not told."""
    if not is_site_admin(user):
        raise Http404


def can_open_django_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def access_account_for_admin(user, account_id: int):
    """An account, for a platform administrator to deactivate or reactivate; everyone else 404."""
    require_site_admin(user)
    account = User.objects.filter(pk=account_id).first()
    if account is None:
        raise Http404
    return account

"""Reads of the accounts app for the pages."""

from django.db.models import Q, QuerySet

from .models import SitePage, User


def site_page(key: str) -> SitePage | None:
    """The page as an administrator saved it, or None while it shows the default text."""
    return SitePage.objects.filter(key=key).first()


def accounts_matching(query: str) -> QuerySet[User]:
    """Accounts whose name or e-mail address contains `query` (all without one), by name."""
    accounts = User.objects.order_by("name", "email", "pk")
    query = query.strip()
    if query:
        accounts = accounts.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return accounts.only("pk", "name", "email", "is_active", "is_staff", "is_superuser")

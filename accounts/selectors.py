"""Reads of the accounts app for the pages."""

from .models import SitePage


def site_page(key: str) -> SitePage | None:
    """The page as an administrator saved it, or None while it shows the default text."""
    return SitePage.objects.filter(key=key).first()

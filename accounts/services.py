"""Writes of the accounts app that the views make."""

from . import audit
from .models import AuditKind, SitePage


def site_page_save(*, page: SitePage, user, changed_fields: list[str]) -> SitePage:
    """Store an administrator's edit of a public page and record it in the audit log."""
    page.updated_by = user
    page.save()
    audit.record(
        AuditKind.SITE_PAGE_CHANGED,
        actor=user,
        target=page.get_key_display(),
        obj=page,
        fields=sorted(changed_fields),
    )
    return page

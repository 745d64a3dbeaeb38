"""Writes of the accounts app that the views make."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import audit
from .models import AuditKind, SitePage, User


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


def account_deactivate(*, account: User, by: User) -> bool:
    """Close an account: it can no longer log in, and every session it has ends at once. Saving
    is_active is what the signals watch: they end the sessions (accounts/signals.py) and write
    the audit row with the administrator as actor (accounts/audit.py). Nothing else changes:
    what the person wrote stays theirs. Returns whether the account was active until now."""
    if account.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not account.is_active:
        return False
    account.is_active = False
    account.save(update_fields=["is_active"])
    return True


def account_reactivate(*, account: User) -> bool:
    """Open a deactivated account again: the person can log in with their password (or reset
    it) and has the roles they had. The signal writes the audit row with the administrator as
    actor (accounts/audit.py), as for a deactivation. Returns whether the account was
    deactivated until now."""
    if account.is_active:
        return False
    account.is_active = True
    account.save(update_fields=["is_active"])
    return True

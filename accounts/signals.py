"""A deactivated account loses every session at once, wherever it is deactivated (Django admin,
a service, the shell): its sessions are found through allauth.usersessions, which records each
login's session (allauth's own logins, and through start_session_limits below the
logins that bypass allauth, such as an accepted invitation). Django itself already refuses an
inactive account's session (ModelBackend.get_user); ending them removes them from the store too.
QuerySet.update(is_active=False) sends no signal: deactivate through save()."""

import contextlib

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.sessions import session_started


def end_all_sessions(user) -> int:
    """End every recorded session of `user`; returns how many were ended."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_end_sessions")
def end_sessions_of_deactivated_account(sender, instance, created, **kwargs) -> None:
    if created or instance.is_active:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "is_active" not in update_fields:
        return
    end_all_sessions(instance)


@receiver(user_logged_in, dispatch_uid="accounts_session_started")
def start_session_limits(sender, request, user, **kwargs) -> None:
    """The idle and absolute session limits (core/sessions.py) count from every login."""
    if request is None or not hasattr(request, "session"):
        return
    session_started(request)
    # login() puts the account on the request it was given; a login without the account on
    # its request (made up in code, not by a browser) has no client to record
    if getattr(request, "user", None) != user:
        return
    with contextlib.suppress(PermissionDenied):  # no client address: nothing to record
        UserSession.objects.create_from_request(request)

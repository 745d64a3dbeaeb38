"""The audit log: one `record()` function and the signal receivers that call it.

Rules: times are UTC; `details` holds short facts only — never a password, token, session key,
invitation link or TOTP secret. Keys that look like secrets are dropped by `_clean()` as a second
line of defence, but callers must not pass them in the first place.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from .models import AuditEvent, AuditKind, User

logger = logging.getLogger(__name__)

K = AuditKind  # short alias for callers: audit.K.ROLE_GRANTED

# Substrings of detail keys that are never stored.
_SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "token",
    "secret",
    "session",
    "key",
    "link",
    "url",
    "code",
)
_MAX_TEXT = 300


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        from allauth.account.adapter import get_adapter

        ip = get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 — no IP is better than no audit row
        ip = request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None


def _clean(value: Any) -> Any:
    """JSON-safe, short, and without secret-looking keys."""
    if isinstance(value, dict):
        return {
            str(k): _clean(v)
            for k, v in value.items()
            if not any(part in str(k).lower() for part in _SECRET_KEY_PARTS)
        }
    if isinstance(value, list | tuple | set):
        return [_clean(v) for v in list(value)[:50]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:_MAX_TEXT]


def _label(user: Any) -> str:
    if user is None or not getattr(user, "pk", None):
        return ""
    return getattr(user, "email", "") or str(user)


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    lab: Any = None,
    lab_id: int | None = None,
    target: Any = "",
    obj: Any = None,
    **details: Any,
) -> AuditEvent | None:
    """Store one audit event. Never raises: a failing audit write is logged, not shown to users.

    `request` defaults to the request being served (services need not pass it), `actor` to its
    authenticated user; `target` is a short description (a string or an object whose str() is
    used); `obj` fills object type and id; `details` are short facts, never secrets.
    """
    if kind not in AuditKind.values:
        raise ValueError(f"unknown audit kind {kind!r}")
    if request is None:
        request = _current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    if lab_id is None and getattr(lab, "pk", None):
        lab_id = lab.pk
    try:
        # a savepoint: a failed insert must not break the caller's transaction
        with transaction.atomic():
            return AuditEvent.objects.create(
                kind=kind,
                actor=actor,
                actor_label=_label(actor)[:254],
                target=str(target or "")[:_MAX_TEXT],
                lab_id=lab_id,
                object_type=obj._meta.label_lower[:60] if obj is not None else "",
                object_id=str(obj.pk)[:40] if obj is not None and obj.pk is not None else "",
                ip_address=_client_ip(request),
                details=_clean(details),
            )
    except Exception:  # noqa: BLE001
        logger.exception("audit record failed for %s", kind)
        return None


# --- Django authentication signals ----------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(K.LOGIN, request=request, actor=user, target=_label(user), obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "pk", None):
        record(K.LOGOUT, request=request, actor=user, target=_label(user), obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django already masks the password in `credentials`; only the attempted e-mail is kept.
    attempted = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    record(K.LOGIN_FAILED, request=request, actor=None, target=attempted[:254])


# --- allauth: password, e-mail and MFA changes ----------------------------------------------------

try:
    from allauth.account import signals as account_signals

    @receiver(account_signals.password_changed, dispatch_uid="audit_password_changed")
    @receiver(account_signals.password_set, dispatch_uid="audit_password_set")
    @receiver(account_signals.password_reset, dispatch_uid="audit_password_reset")
    def _on_password(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
        record(K.PASSWORD_CHANGED, request=request, actor=user, target=_label(user), obj=user)

    @receiver(account_signals.email_changed, dispatch_uid="audit_email_changed")
    def _on_email_changed(
        sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
    ) -> None:
        record(K.EMAIL_CHANGED, request=request, actor=user, target=_label(user), obj=user)
except ImportError:  # pragma: no cover
    pass

try:
    from allauth.mfa import signals as mfa_signals

    def _mfa(action: str):
        def handler(
            sender: Any, request: HttpRequest | None, user: Any, authenticator: Any, **kw: Any
        ) -> None:
            record(
                K.MFA_CHANGED,
                request=request,
                actor=user,
                target=_label(user),
                obj=user,
                action=action,
                method=getattr(authenticator, "type", ""),
            )

        return handler

    _mfa_added = _mfa("added")
    _mfa_removed = _mfa("removed")
    _mfa_reset = _mfa("reset")
    mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
    mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="audit_mfa_removed")
    mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")
except ImportError:  # pragma: no cover
    pass


# --- account flags: is_active / is_staff / is_superuser -------------------------------------------

_FLAGS = ("is_active", "is_staff", "is_superuser")


def _current_request() -> HttpRequest | None:
    """The request being served, from simple_history's middleware (None in commands and tasks)."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


@receiver(pre_save, sender=User, dispatch_uid="audit_user_flags_before")
def _remember_flags(
    sender: Any, instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    # a login saves last_login only: no flag can change, so no extra query
    skip = update_fields is not None and not set(update_fields) & set(_FLAGS)
    if raw or skip or instance.pk is None:
        instance._audit_old_flags = None
        return
    instance._audit_old_flags = User.objects.filter(pk=instance.pk).values(*_FLAGS).first()


@receiver(post_save, sender=User, dispatch_uid="audit_user_flags_after")
def _compare_flags(
    sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    old = getattr(instance, "_audit_old_flags", None)
    instance._audit_old_flags = None
    if raw or created or not old:
        return
    request = _current_request()
    if old["is_active"] != instance.is_active:
        kind = K.ACCOUNT_ACTIVATED if instance.is_active else K.ACCOUNT_DEACTIVATED
        record(kind, request=request, target=_label(instance), obj=instance)
    changed = {
        f: getattr(instance, f)
        for f in ("is_staff", "is_superuser")
        if old[f] != getattr(instance, f)
    }
    if changed:
        record(K.STAFF_CHANGED, request=request, target=_label(instance), obj=instance, **changed)

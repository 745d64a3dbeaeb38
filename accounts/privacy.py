"""A person's own data: the JSON export (GDPR Art. 15/20) and deleting one's account (Art. 17).

The protocol: accounts knows no app above it. Each app registers the rows it holds about a person
as *sections* (`register_section`, called from its AppConfig.ready(): labs/privacy.py,
tandems/privacy.py, missions/privacy.py, evaluations/privacy.py, ...). A section names the foreign
keys to the user model it covers, exports them, and may say what to do on deletion (`erase`) and
why the account cannot be deleted now (`blockers`).

`personal_data_export(user)` gathers every section into one JSON-serialisable dict. Every foreign
key to the user model, found by walking the models, must be covered by a section; one added later
that no section covers still appears, generically, under "other_records"
(tests/accounts/test_privacy.py fails until it gets a section). Secrets (password hashes, token
hashes and salts, TOTP secrets, session keys) are never exported.

`account_delete(user)` removes the account with what only concerns the person (memberships,
tandem memberships, event registrations, e-mail addresses, authenticators, sessions, drafts) and
keeps what they contributed to shared work (mission profiles, progress updates, history, reports)
without them: those foreign keys are SET_NULL, and the pages show "former member" instead.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermissionBase

from .models import AuditEvent
from .signals import end_all_sessions

FORMAT = "innolab-personal-data/1"
SENSITIVE_PARTS = ("password", "token", "hash", "salt", "secret", "session", "key", "data")


class AccountDeletionRefused(Exception):
    """The account cannot be deleted now; the message says why (in the user's language)."""


# --- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One top-level entry of the export, owned by the app that holds the rows.

    fields: the (model label, field name) foreign keys to the user model it covers.
    export(user): the entry's JSON-serialisable value (use `rows` and `value` below).
    erase(user): runs inside account_delete before the account row is deleted, for what the
        foreign keys' on_delete does not handle by itself.
    blockers(user): reasons (translated) why the account cannot be deleted now.
    """

    name: str
    export: Callable[[Any], Any]
    fields: frozenset[tuple[str, str]] = frozenset()
    erase: Callable[[Any], None] | None = None
    blockers: Callable[[Any], list[str]] | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(
    name: str,
    *,
    export: Callable[[Any], Any],
    fields: Iterable[tuple[str, str]] = (),
    erase: Callable[[Any], None] | None = None,
    blockers: Callable[[Any], list[str]] | None = None,
) -> None:
    """Add (or replace: registering twice is harmless) the export's entry `name`."""
    _SECTIONS[name] = Section(name, export, frozenset(fields), erase, blockers)


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def known_user_fields() -> dict[tuple[str, str], str]:
    """(model label, field name) → the section that exports it."""
    return {field: section.name for section in _SECTIONS.values() for field in section.fields}


def user_foreign_keys() -> list[tuple[type[models.Model], models.Field]]:
    """Every concrete foreign key (and one-to-one) of an installed model to the user model."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and (field.many_to_one or field.one_to_one)
                and field.related_model is user_model
            ):
                found.append((model, field))
    return found


# --- serialising (for the sections) --------------------------------------------------------------


def value(raw: Any) -> Any:
    """A JSON-serialisable form of a field's value (datetimes in UTC, ISO 8601)."""
    if isinstance(raw, dt.datetime):
        return raw.astimezone(dt.UTC).isoformat()
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    if isinstance(raw, decimal.Decimal):
        return str(raw)
    if isinstance(raw, list | tuple):
        return [value(v) for v in raw]
    if isinstance(raw, dict):
        return {str(k): value(v) for k, v in raw.items()}
    if raw is None or isinstance(raw, bool | int | float | str):
        return raw
    return str(raw)


def rows(queryset, fields: list[str]) -> list[dict]:
    """The queryset's `fields` (lookups allowed), one serialisable dict per row."""
    return [{k: value(v) for k, v in row.items()} for row in queryset.values(*fields)]


def _safe_fields(model: type[models.Model], skip: set[str] = frozenset()) -> list[str]:
    """Concrete field names of a model without secret-looking ones (generic export)."""
    names = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in skip or any(part in name.lower() for part in SENSITIVE_PARTS):
            continue
        names.append(name)
    return names


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def email_addresses_of(user) -> set[str]:
    """The person's addresses, lower-cased: the account's and every allauth e-mail address."""
    addresses = {user.email.lower()}
    model = _model("account.EmailAddress")
    if model is not None:
        addresses |= {
            e.lower() for e in model.objects.filter(user=user).values_list("email", flat=True)
        }
    return addresses


# --- accounts' own sections ----------------------------------------------------------------------


def _account(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "date_joined": value(user.date_joined),
        "last_login": value(user.last_login),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _email_addresses(user) -> list[dict]:
    model = _model("account.EmailAddress")
    if model is None:
        return []
    return rows(model.objects.filter(user=user).order_by("pk"), ["email", "verified", "primary"])


def _authenticators(user) -> list[dict]:
    model = _model("mfa.Authenticator")
    if model is None:
        return []
    # the type and when it was set up, never the secret or the recovery codes (in `data`)
    return rows(
        model.objects.filter(user=user).order_by("pk"), ["type", "created_at", "last_used_at"]
    )


def _audit_events(user) -> list[dict]:
    fields = _safe_fields(AuditEvent, skip={"actor_id"})
    return rows(AuditEvent.objects.filter(actor=user).order_by("created_at", "pk"), fields)


def _simple_section(label: str, field: str, user, skip: set[str] = frozenset()) -> list[dict]:
    model = _model(label)
    if model is None:
        return []
    fields = _safe_fields(model, skip={field if field.endswith("_id") else f"{field}_id", *skip})
    return rows(model.objects.filter(**{field: user}).order_by("pk"), fields)


def _admin_log(user) -> list[dict]:
    if not apps.is_installed("django.contrib.admin"):
        return []
    return rows(
        apps.get_model("admin.LogEntry").objects.filter(user=user).order_by("action_time"),
        ["action_time", "content_type__model", "object_repr", "action_flag"],
    )


def _object_permission_models() -> list[type[models.Model]]:
    """django-guardian's per-user grants: its generic table and every app's direct-FK tables."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, UserObjectPermissionBase) and not model._meta.abstract
    ]


def _object_permissions(user) -> list[dict]:
    found = []
    for model in _object_permission_models():
        found += model.objects.filter(user=user).values(
            "permission__codename", "permission__content_type__model"
        )
    return sorted(
        found, key=lambda r: (r["permission__content_type__model"], r["permission__codename"])
    )


def _sessions(user) -> list[dict]:
    model = _model("usersessions.UserSession")
    if model is None:
        return []
    # when and from where the person is logged in; never the session key
    return rows(
        model.objects.filter(user=user).order_by("created_at"),
        ["created_at", "last_seen_at", "ip", "user_agent"],
    )


def _only_administrator(user) -> list[str]:
    if (
        user.is_superuser
        and not get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    ):
        return [
            _(
                "You are the only administrator of the platform. Make someone else "
                "administrator first."
            )
        ]
    return []


def register_account_sections() -> None:
    """accounts' own entries and those of the third-party apps it builds on (AccountsConfig)."""
    register_section("account", export=_account, blockers=_only_administrator)
    register_section(
        "email_addresses", export=_email_addresses, fields=[("account.EmailAddress", "user")]
    )
    register_section(
        "authenticators", export=_authenticators, fields=[("mfa.Authenticator", "user")]
    )
    register_section(
        "audit_events", export=_audit_events, fields=[("accounts.AuditEvent", "actor")]
    )
    register_section(
        "site_pages_changed",
        export=lambda user: _simple_section("accounts.SitePage", "updated_by", user),
        fields=[("accounts.SitePage", "updated_by")],
    )
    register_section("admin_log", export=_admin_log, fields=[("admin.LogEntry", "user")])
    register_section(
        "object_permissions",
        export=_object_permissions,
        fields=[(model._meta.label, "user") for model in _object_permission_models()],
    )
    register_section("sessions", export=_sessions, fields=[("usersessions.UserSession", "user")])


# --- the export ----------------------------------------------------------------------------------


def personal_data_export(user) -> dict:
    """Everything the platform holds about `user`, JSON-serialisable."""
    data = {"format": FORMAT, "generated_at": value(timezone.now())}
    for section in sections():
        data[section.name] = section.export(user)
    known = known_user_fields()
    other = {}
    for model, field in user_foreign_keys():
        if (model._meta.label, field.name) in known:
            continue
        found = _simple_section(model._meta.label, field.name, user)
        if found:
            other[f"{model._meta.label}.{field.name}"] = found
    data["other_records"] = other
    return data


# --- deleting one's account --------------------------------------------------------------------


def account_deletion_blockers(user) -> list[str]:
    """Why the account cannot be deleted now (translated), or an empty list."""
    reasons = []
    for section in sections():
        if section.blockers is not None:
            reasons += section.blockers(user)
    return reasons


@transaction.atomic
def account_delete(user) -> int:
    """Delete the account; returns its former id. Raises AccountDeletionRefused with the reasons.

    Rows only about the person go with the account (CASCADE: memberships, tandem memberships,
    event registrations, calendar address, e-mail addresses, authenticators, recorded sessions,
    survey completions and drafts, object permissions). What they wrote for others stays
    without an author (SET_NULL). Simple-history's copies of `updated_by`/`created_by` are
    plain ids without a database constraint (DO_NOTHING): they are cleared here, so no page
    looks up an account that no longer exists. Then every section's `erase` runs (labs: the
    invitations the person accepted, which hold their name and address, are deleted).
    """
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    reasons = account_deletion_blockers(user)
    if reasons:
        raise AccountDeletionRefused(" ".join(reasons))
    for model, field in user_foreign_keys():
        if field.remote_field.on_delete is models.DO_NOTHING:
            model._default_manager.filter(**{field.name: user}).update(**{field.name: None})
    for section in sections():
        if section.erase is not None:
            section.erase(user)
    end_all_sessions(user)
    former_id = user.pk
    user.delete()
    return former_id

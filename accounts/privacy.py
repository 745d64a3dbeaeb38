"""A person's own data: the JSON export (GDPR Art. 15/20) and deleting one's account (Art. 17).

`personal_data_export(user)` gathers every row that points to the person — every foreign key to
the user model, found by walking the models — into one JSON-serialisable dict. Well-known rows get
a readable section; a foreign key added later that no section knows still appears, generically,
under "other_records" (tests/accounts/test_privacy.py fails until it gets a section). Secrets
(password hashes, token hashes and salts, TOTP secrets, session keys) are never exported.

`account_delete(user)` removes the account with what only concerns the person (memberships,
tandem memberships, event registrations, e-mail addresses, authenticators, sessions, drafts) and
keeps what they contributed to shared work (mission profiles, progress updates, history, reports)
without them: those foreign keys are SET_NULL, and the pages show "former member" instead.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "innolab-personal-data/1"
SENSITIVE_PARTS = ("password", "token", "hash", "salt", "secret", "session", "key", "data")


class AccountDeletionRefused(Exception):
    """The account cannot be deleted now; the message says why (in the user's language)."""


# --- which foreign keys to the user model the export knows ----------------------------------

# (model label, field name) → the section that exports it. Every foreign key to the user model
# must be in here or in NOT_EXPORTED (with the reason), or the test of this module fails.
KNOWN_USER_FIELDS = {
    ("account.EmailAddress", "user"): "email_addresses",
    ("mfa.Authenticator", "user"): "authenticators",
    ("labs.LabMembership", "user"): "lab_memberships",
    ("labs.Invitation", "invited_by"): "invitations_sent",
    ("labs.Invitation", "accepted_by"): "invitations_received",
    ("events.Event", "created_by"): "events_created",
    ("events.EventRegistration", "user"): "event_registrations",
    ("events.EventMaterial", "uploaded_by"): "event_materials_uploaded",
    ("events.CalendarFeed", "user"): "calendar_feed",
    ("tandems.TandemMember", "user"): "tandem_memberships",
    ("missions.MissionProfile", "updated_by"): "mission_contributions",
    ("missions.SmartGoal", "updated_by"): "mission_contributions",
    ("missions.Measure", "updated_by"): "mission_contributions",
    ("missions.ProgressUpdate", "author"): "mission_contributions",
    ("missions.ReviewEvent", "by"): "mission_contributions",
    ("missions.HistoricalMissionProfile", "history_user"): "mission_contributions",
    ("missions.HistoricalMissionProfile", "updated_by"): "mission_contributions",
    ("missions.HistoricalSmartGoal", "history_user"): "mission_contributions",
    ("missions.HistoricalSmartGoal", "updated_by"): "mission_contributions",
    ("missions.HistoricalMeasure", "history_user"): "mission_contributions",
    ("missions.HistoricalMeasure", "updated_by"): "mission_contributions",
    ("evaluations.Survey", "created_by"): "surveys",
    ("evaluations.SurveyTemplate", "created_by"): "surveys",
    ("evaluations.SurveyCompletion", "user"): "surveys",
    ("evaluations.ResponseDraft", "user"): "surveys",
    ("evaluations.ReportDraft", "created_by"): "reports",
    ("evaluations.HistoricalReportDraft", "history_user"): "reports",
    ("evaluations.HistoricalReportDraft", "created_by"): "reports",
    ("evaluations.ReportRun", "requested_by"): "reports",
    ("evaluations.ReportRun", "published_by"): "reports",
    ("accounts.AuditEvent", "actor"): "audit_events",
    ("accounts.SitePage", "updated_by"): "site_pages_changed",
    ("admin.LogEntry", "user"): "admin_log",
    ("guardian.UserObjectPermission", "user"): "object_permissions",
    ("labs.LabUserObjectPermission", "user"): "object_permissions",
    ("labs.ParticipationUserObjectPermission", "user"): "object_permissions",
    ("usersessions.UserSession", "user"): "sessions",
}


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


# --- serialising ---------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _rows(queryset, fields: list[str]) -> list[dict]:
    return [{k: _value(v) for k, v in row.items()} for row in queryset.values(*fields)]


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


# --- the export ----------------------------------------------------------------------------------


def _account(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "date_joined": _value(user.date_joined),
        "last_login": _value(user.last_login),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _email_addresses(user) -> list[dict]:
    model = _model("account.EmailAddress")
    if model is None:
        return []
    return _rows(model.objects.filter(user=user).order_by("pk"), ["email", "verified", "primary"])


def _authenticators(user) -> list[dict]:
    model = _model("mfa.Authenticator")
    if model is None:
        return []
    # the type and when it was set up, never the secret or the recovery codes (in `data`)
    return _rows(
        model.objects.filter(user=user).order_by("pk"), ["type", "created_at", "last_used_at"]
    )


def _lab_memberships(user) -> list[dict]:
    from labs.models import LabMembership

    return _rows(
        LabMembership.objects.filter(user=user).order_by("lab__name", "role"),
        ["lab__slug", "lab__name", "role", "created_at"],
    )


def _tandem_memberships(user) -> list[dict]:
    from tandems.models import TandemMember

    return _rows(
        TandemMember.objects.filter(user=user).order_by("pk"),
        [
            "tandem__participation__cohort__lab__name",
            "tandem__participation__cohort__name",
            "tandem__participation__municipality__name",
            "department",
            "function",
            "created_at",
        ],
    )


_INVITATION_FIELDS = [
    "lab__name",
    "participation__municipality__name",
    "role",
    "name",
    "email",
    "language",
    "created_at",
    "expires_at",
    "accepted_at",
    "revoked_at",
]


def _invitations_received(user) -> list[dict]:
    from labs.models import Invitation

    # addressed to the person's address(es) or accepted by them; never the token's hash or salt
    addresses = {user.email.lower()}
    email_model = _model("account.EmailAddress")
    if email_model is not None:
        addresses |= {
            e.lower() for e in email_model.objects.filter(user=user).values_list("email", flat=True)
        }
    query = Q(accepted_by=user)
    for address in addresses:
        query |= Q(email__iexact=address)
    return _rows(Invitation.objects.filter(query).order_by("created_at", "pk"), _INVITATION_FIELDS)


def _invitations_sent(user) -> list[dict]:
    from labs.models import Invitation

    # what the person did; the invitees' names and addresses are other people's data
    return _rows(
        Invitation.objects.filter(invited_by=user).order_by("created_at", "pk"),
        ["lab__name", "role", "created_at", "accepted_at", "revoked_at"],
    )


def _mission_contributions(user) -> dict:
    from missions.models import Measure, MissionProfile, ProgressUpdate, ReviewEvent, SmartGoal

    where = "participation__municipality__name"
    history = []
    for model, kind in (
        (MissionProfile, "mission_profile"),
        (SmartGoal, "goal"),
        (Measure, "measure"),
    ):
        historical = model.history.model
        rows = historical.objects.filter(Q(history_user=user) | Q(updated_by=user)).order_by(
            "history_date", "history_id"
        )
        for row in rows.values("id", "history_date", "history_type", "history_change_reason"):
            history.append(
                {
                    "object": kind,
                    "object_id": row["id"],
                    "date": _value(row["history_date"]),
                    "change": {"+": "created", "~": "changed", "-": "deleted"}.get(
                        row["history_type"], row["history_type"]
                    ),
                    "reason": row["history_change_reason"],
                }
            )
    return {
        "profiles_last_changed": _rows(
            MissionProfile.objects.filter(updated_by=user).order_by("pk"),
            ["id", where, "status", "updated_at"],
        ),
        "goals_last_changed": _rows(
            SmartGoal.objects.filter(updated_by=user).order_by("pk"),
            ["id", f"profile__{where}", "statement", "updated_at"],
        ),
        "measures_last_changed": _rows(
            Measure.objects.filter(updated_by=user).order_by("pk"),
            ["id", f"profile__{where}", "title", "status", "updated_at"],
        ),
        "progress_updates": _rows(
            ProgressUpdate.objects.filter(author=user).order_by("date", "pk"),
            ["id", "goal_id", "goal__statement", "value", "date", "note", "created_at"],
        ),
        "review_events": _rows(
            ReviewEvent.objects.filter(by=user).order_by("at", "pk"),
            ["id", f"profile__{where}", "action", "comment", "at"],
        ),
        "history_entries": history,
    }


def _events(user) -> dict:
    from events.models import CalendarFeed, Event, EventMaterial, EventRegistration

    feed = CalendarFeed.objects.filter(user=user).values("created_at").first()
    return {
        "event_registrations": _rows(
            EventRegistration.objects.filter(user=user).order_by("event__starts_at", "pk"),
            [
                "event__lab__name",
                "event__title",
                "event__starts_at",
                "participation__municipality__name",
                "status",
                "attendance",
                "invited_at",
                "responded_at",
            ],
        ),
        "events_created": _rows(
            Event.objects.filter(created_by=user).order_by("starts_at", "pk"),
            ["id", "lab__name", "title", "starts_at", "created_at"],
        ),
        "event_materials_uploaded": _rows(
            EventMaterial.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk"),
            ["id", "event__title", "original_name", "title", "uploaded_at"],
        ),
        # that the person has a calendar address, never the address (it is a token)
        "calendar_feed": {"created_at": _value(feed["created_at"])} if feed else None,
    }


def _surveys(user) -> dict:
    from evaluations.models import ResponseDraft, Survey, SurveyCompletion, SurveyTemplate

    survey = ["survey__cohort__lab__name", "survey__cohort__name", "survey__title_en"]
    drafts = []
    for row in (
        ResponseDraft.objects.filter(user=user)
        .order_by("pk")
        .values("survey__title_de", *survey, "updated_at", "data")
    ):
        answers = row.pop("data")
        drafts.append({**{k: _value(v) for k, v in row.items()}, "answers": _value(answers)})
    return {
        "note": _(
            "Survey answers are anonymous. The platform only records that you completed a "
            "survey in the platform (so that nobody answers twice); your submitted answers are "
            "stored without any link to you, your account or your invitation, so they cannot be "
            "exported or deleted as yours."
        ),
        "completed_in_the_platform": _rows(
            SurveyCompletion.objects.filter(user=user).order_by("pk"),
            ["survey__title_de", *survey],
        ),
        # unfinished answers held for the person until they submit (deleted on submission)
        "drafts": drafts,
        "surveys_created": _rows(
            Survey.objects.filter(created_by=user).order_by("pk"),
            ["id", "cohort__lab__name", "slug", "title_de", "created_at"],
        ),
        "survey_templates_created": _rows(
            SurveyTemplate.objects.filter(created_by=user).order_by("pk"),
            ["id", "name", "created_at"],
        ),
    }


def _reports(user) -> dict:
    from evaluations.models import ReportDraft, ReportRun

    historical = ReportDraft.history.model
    return {
        "report_drafts_created": _rows(
            ReportDraft.objects.filter(created_by=user).order_by("pk"),
            ["id", "lab__name", "kind", "title", "created_at"],
        ),
        "report_draft_changes": _rows(
            historical.objects.filter(Q(history_user=user) | Q(created_by=user)).order_by(
                "history_date", "history_id"
            ),
            ["id", "title", "history_date", "history_type"],
        ),
        "report_runs_requested": _rows(
            ReportRun.objects.filter(requested_by=user).order_by("requested_at", "pk"),
            ["id", "draft__title", "status", "requested_at", "finished_at"],
        ),
        "report_runs_published": _rows(
            ReportRun.objects.filter(published_by=user).order_by("published_at", "pk"),
            ["id", "draft__title", "published_at"],
        ),
    }


def _audit_events(user) -> list[dict]:
    model = _model("accounts.AuditEvent")
    if model is None:
        return []
    fields = _safe_fields(model, skip={"actor_id"})
    return _rows(model.objects.filter(actor=user).order_by("created_at", "pk"), fields)


def _simple_section(label: str, field: str, user, skip: set[str] = frozenset()) -> list[dict]:
    model = _model(label)
    if model is None:
        return []
    fields = _safe_fields(model, skip={field if field.endswith("_id") else f"{field}_id", *skip})
    return _rows(model.objects.filter(**{field: user}).order_by("pk"), fields)


def _object_permissions(user) -> list[dict]:
    rows = []
    for label in (
        "guardian.UserObjectPermission",
        "labs.LabUserObjectPermission",
        "labs.ParticipationUserObjectPermission",
    ):
        model = _model(label)
        if model is None:
            continue
        for row in model.objects.filter(user=user).values(
            "permission__codename", "permission__content_type__model"
        ):
            rows.append(row)
    return sorted(
        rows, key=lambda r: (r["permission__content_type__model"], r["permission__codename"])
    )


def _sessions(user) -> list[dict]:
    model = _model("usersessions.UserSession")
    if model is None:
        return []
    # when and from where the person is logged in; never the session key
    return _rows(
        model.objects.filter(user=user).order_by("created_at"),
        ["created_at", "last_seen_at", "ip", "user_agent"],
    )


def personal_data_export(user) -> dict:
    """Everything the platform holds about `user`, JSON-serialisable."""
    data = {
        "format": FORMAT,
        "generated_at": _value(timezone.now()),
        "account": _account(user),
        "email_addresses": _email_addresses(user),
        "authenticators": _authenticators(user),
        "lab_memberships": _lab_memberships(user),
        "tandem_memberships": _tandem_memberships(user),
        "invitations_received": _invitations_received(user),
        "invitations_sent": _invitations_sent(user),
        "mission_contributions": _mission_contributions(user),
        **_events(user),
        "surveys": _surveys(user),
        "reports": _reports(user),
        "audit_events": _audit_events(user),
        "site_pages_changed": _simple_section("accounts.SitePage", "updated_by", user),
        "admin_log": _rows(
            apps.get_model("admin.LogEntry").objects.filter(user=user).order_by("action_time"),
            ["action_time", "content_type__model", "object_repr", "action_flag"],
        )
        if apps.is_installed("django.contrib.admin")
        else [],
        "object_permissions": _object_permissions(user),
        "sessions": _sessions(user),
    }
    other = {}
    for model, field in user_foreign_keys():
        if (model._meta.label, field.name) in KNOWN_USER_FIELDS:
            continue
        rows = _simple_section(model._meta.label, field.name, user)
        if rows:
            other[f"{model._meta.label}.{field.name}"] = rows
    data["other_records"] = other
    return data


# --- deleting one's account --------------------------------------------------------------------


def _only_coordinator_labs(user) -> list[str]:
    """Names of the labs the person coordinates alone (a lab must keep a coordinator)."""
    from labs.models import LabMembership, LabRole

    own = LabMembership.objects.filter(user=user, role=LabRole.COORDINATOR).values("lab_id")
    others = (
        LabMembership.objects.filter(lab_id__in=own, role=LabRole.COORDINATOR, user__is_active=True)
        .exclude(user=user)
        .values("lab_id")
    )
    return list(
        LabMembership.objects.filter(user=user, role=LabRole.COORDINATOR)
        .exclude(lab_id__in=others)
        .order_by("lab__name")
        .values_list("lab__name", flat=True)
    )


def account_deletion_blockers(user) -> list[str]:
    """Why the account cannot be deleted now (translated), or an empty list."""
    reasons = []
    for name in _only_coordinator_labs(user):
        reasons.append(
            _(
                "You are the only coordinator of “%(lab)s”. A lab must keep a coordinator: ask "
                "the coordination office or an administrator to make someone else coordinator "
                "first."
            )
            % {"lab": name}
        )
    if (
        user.is_superuser
        and not get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    ):
        reasons.append(
            _(
                "You are the only administrator of the platform. Make someone else "
                "administrator first."
            )
        )
    return reasons


def _end_sessions(user) -> None:
    try:
        from accounts.signals import end_all_sessions
    except ImportError:  # pragma: no cover - the session helper is part of accounts
        return
    end_all_sessions(user)


@transaction.atomic
def account_delete(user) -> int:
    """Delete the account; returns its former id. Raises AccountDeletionRefused with the reasons.

    Rows only about the person go with the account (CASCADE: memberships, tandem memberships,
    event registrations, calendar address, e-mail addresses, authenticators, recorded sessions,
    survey completions and drafts, object permissions). What they wrote for others stays
    without an author (SET_NULL). Simple-history's copies of `updated_by`/`created_by` are
    plain ids without a database constraint (DO_NOTHING): they are cleared here, so no page
    looks up an account that no longer exists. Invitations the person accepted are deleted
    (they hold the person's name and address and have served their purpose).
    """
    from labs.models import Invitation

    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    reasons = account_deletion_blockers(user)
    if reasons:
        raise AccountDeletionRefused(" ".join(reasons))
    for model, field in user_foreign_keys():
        if field.remote_field.on_delete is models.DO_NOTHING:
            model._default_manager.filter(**{field.name: user}).update(**{field.name: None})
    Invitation.objects.filter(accepted_by=user).delete()
    _end_sessions(user)
    former_id = user.pk
    user.delete()
    return former_id

"""Every write to mission profiles, goals, measures, progress and reviews.

No lost work: profiles, goals and measures carry a version counter. A write names the version the
person started from; if someone saved in between, the write is refused with EditConflict, which
carries the stored object so the page can show the other person's change next to what was typed.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.conflicts import locked

from . import notices
from .models import (
    MEASURE_TRANSITIONS,
    DiversityDimension,
    Indicator,
    Measure,
    MeasureStatus,
    MissionProfile,
    ProfileStatus,
    ProgressUpdate,
    ReviewAction,
    ReviewEvent,
    SmartGoal,
)

PROFILE_FIELDS = {
    "challenge", "vision", "target_groups", "dimensions", "stakeholders",
    "mission_statement", "resources", "risks",
}  # fmt: skip
GOAL_FIELDS = {
    "statement", "catalogue_indicator", "indicator", "unit", "baseline", "target", "deadline",
    "owner", "achievability", "relevance", "position",
}  # fmt: skip
INDICATOR_FIELDS = {"name", "definition", "unit", "direction", "data_source"}
MEASURE_FIELDS = {"title", "description", "responsible", "due_date"}


class ProfileAwaitsReview(ValidationError):
    """The profile is submitted for review: nothing in it changes until the coordination office
    decides or the tandem withdraws the submission (README, "Working with mission profiles")."""

    def __init__(self):
        super().__init__(
            _(
                "The mission profile has been submitted for review and cannot be changed now. "
                "Withdraw the submission to edit it."
            ),
            code="awaits_review",
        )


def _refuse_while_submitted(profile: MissionProfile | int) -> None:
    if isinstance(profile, MissionProfile):
        submitted = profile.status == ProfileStatus.SUBMITTED
    else:
        submitted = MissionProfile.objects.filter(
            pk=profile, status=ProfileStatus.SUBMITTED
        ).exists()
    if submitted:
        raise ProfileAwaitsReview


def _stamp(obj, user) -> None:
    obj.version += 1
    obj.updated_at = timezone.now()
    obj.updated_by = user
    obj._history_user = user  # simple-history records who made the change


def _assign(obj, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _check_dimensions(values) -> None:
    valid = set(DiversityDimension.values)
    if not isinstance(values, list) or any(v not in valid for v in values):
        raise ValidationError({"dimensions": _("Please choose from the listed dimensions.")})


def profile_create(*, participation) -> MissionProfile:
    """The participation's empty mission profile; nothing when it has one. Called when the
    municipality is admitted (receivers.py) and when its tandem starts a profile that the
    admission did not create (views/steps.py: profile_start)."""
    now = timezone.now()  # the same instant twice: not started until the first write (models.py)
    profile, _created = MissionProfile.objects.get_or_create(
        participation=participation, defaults={"created_at": now, "updated_at": now}
    )
    return profile


@transaction.atomic
def profile_update(
    *, profile: MissionProfile, user, expected_version: int | None, **fields
) -> MissionProfile:
    obj = locked(MissionProfile, profile.pk, expected_version, related=("updated_by",))
    _refuse_while_submitted(obj)
    if "dimensions" in fields:
        _check_dimensions(fields["dimensions"])
    _assign(obj, fields, PROFILE_FIELDS)
    _stamp(obj, user)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def profile_share(*, profile: MissionProfile, user, shared: bool) -> MissionProfile:
    obj = locked(MissionProfile, profile.pk, None, related=("updated_by",))
    obj.shared_with_cohort = shared
    _stamp(obj, user)
    obj.save()
    return obj


def _touch_profile(profile_id: int, user) -> None:
    """A change to a goal or measure is a change to the profile (last update, history)."""
    MissionProfile.objects.filter(pk=profile_id).update(updated_at=timezone.now(), updated_by=user)


def _check_catalogue_indicator(profile_id: int, fields: dict) -> None:
    """A goal picks a catalogue indicator of its own lab only."""
    picked = fields.get("catalogue_indicator")
    if (
        picked is not None
        and not MissionProfile.objects.filter(
            pk=profile_id, participation__cohort__lab_id=picked.lab_id
        ).exists()
    ):
        raise ValidationError(
            {"catalogue_indicator": _("Please choose an indicator of this lab's catalogue.")}
        )


@transaction.atomic
def goal_create(*, profile: MissionProfile, user, **fields) -> SmartGoal:
    _refuse_while_submitted(profile.pk)
    _check_catalogue_indicator(profile.pk, fields)
    goal = SmartGoal(profile=profile)
    if "position" not in fields:
        fields["position"] = profile.goals.count() + 1
    _assign(goal, fields, GOAL_FIELDS)
    goal.updated_by = user
    goal._history_user = user
    goal.full_clean()
    goal.save()
    _touch_profile(profile.pk, user)
    return goal


@transaction.atomic
def goal_update(*, goal: SmartGoal, user, expected_version: int | None, **fields) -> SmartGoal:
    obj = locked(SmartGoal, goal.pk, expected_version, related=("updated_by",))
    _refuse_while_submitted(obj.profile_id)
    _check_catalogue_indicator(obj.profile_id, fields)
    _assign(obj, fields, GOAL_FIELDS)
    _stamp(obj, user)
    obj.full_clean()
    obj.save()
    _touch_profile(obj.profile_id, user)
    return obj


@transaction.atomic
def goal_delete(*, goal: SmartGoal, user) -> None:
    _refuse_while_submitted(goal.profile_id)
    goal._history_user = user
    profile_id = goal.profile_id
    goal.delete()
    _touch_profile(profile_id, user)


@transaction.atomic
def progress_add(
    *, goal: SmartGoal, user, value: Decimal, on: date, note: str = ""
) -> ProgressUpdate:
    _refuse_while_submitted(goal.profile_id)
    if on > timezone.localdate():
        raise ValidationError({"date": _("Progress cannot be reported for a future date.")})
    update = ProgressUpdate(goal=goal, value=value, date=on, note=note, author=user)
    update.full_clean()
    update.save()
    _touch_profile(goal.profile_id, user)
    return update


def _set_goals(measure: Measure, goals) -> None:
    goals = list(goals or [])
    if any(g.profile_id != measure.profile_id for g in goals):
        raise ValidationError({"goals": _("A measure can only serve goals of its own profile.")})
    measure.goals.set(goals)


@transaction.atomic
def measure_create(*, profile: MissionProfile, user, goals=(), **fields) -> Measure:
    _refuse_while_submitted(profile.pk)
    measure = Measure(profile=profile)
    _assign(measure, fields, MEASURE_FIELDS)
    measure.updated_by = user
    measure._history_user = user
    measure.full_clean()
    measure.save()
    _set_goals(measure, goals)
    _touch_profile(profile.pk, user)
    return measure


@transaction.atomic
def measure_update(
    *, measure: Measure, user, expected_version: int | None, goals=None, **fields
) -> Measure:
    obj = locked(Measure, measure.pk, expected_version, related=("updated_by",))
    _refuse_while_submitted(obj.profile_id)
    _assign(obj, fields, MEASURE_FIELDS)
    _stamp(obj, user)
    obj.full_clean()
    obj.save()
    if goals is not None:
        _set_goals(obj, goals)
    _touch_profile(obj.profile_id, user)
    return obj


@transaction.atomic
def measure_set_status(
    *, measure: Measure, user, status: str, reason: str = "", expected_version: int | None = None
) -> Measure:
    obj = locked(Measure, measure.pk, expected_version, related=("updated_by",))
    _refuse_while_submitted(obj.profile_id)
    new = MeasureStatus(status)
    if new != obj.status and new not in MEASURE_TRANSITIONS[MeasureStatus(obj.status)]:
        raise ValidationError(
            _("A measure cannot go from “%(old)s” to “%(new)s”.")
            % {"old": obj.get_status_display(), "new": new.label}
        )
    if new == MeasureStatus.DROPPED and not reason.strip():
        raise ValidationError({"drop_reason": _("Please say why the measure is dropped.")})
    obj.status = new
    obj.drop_reason = reason.strip() if new == MeasureStatus.DROPPED else ""
    _stamp(obj, user)
    obj.save()
    _touch_profile(obj.profile_id, user)
    return obj


@transaction.atomic
def measure_delete(*, measure: Measure, user) -> None:
    _refuse_while_submitted(measure.profile_id)
    measure._history_user = user
    profile_id = measure.profile_id
    measure.delete()
    _touch_profile(profile_id, user)


# --- review workflow: draft → submitted → approved (or returned) → active -----------------------
# While submitted, nothing in the profile changes (_refuse_while_submitted); the tandem may
# withdraw the submission, which takes the profile back to draft.

REVIEW_TRANSITIONS = {
    ReviewAction.SUBMIT: ({ProfileStatus.DRAFT, ProfileStatus.RETURNED}, ProfileStatus.SUBMITTED),
    ReviewAction.APPROVE: ({ProfileStatus.SUBMITTED}, ProfileStatus.APPROVED),
    ReviewAction.RETURN: ({ProfileStatus.SUBMITTED}, ProfileStatus.RETURNED),
    ReviewAction.ACTIVATE: ({ProfileStatus.APPROVED}, ProfileStatus.ACTIVE),
    ReviewAction.WITHDRAW: ({ProfileStatus.SUBMITTED}, ProfileStatus.DRAFT),
}


@dataclass(frozen=True)
class SubmissionProblem:
    """One thing that keeps the profile from being submitted, and where to fix it: `step` is
    "vision", "goals" or "mission"; a goal's problem names the goal and its missing field."""

    text: str
    step: str
    goal_id: int | None = None
    field: str = ""

    def __str__(self) -> str:
        return self.text


def _goal_gap_text(number: int, gap: str) -> str:
    return {
        "indicator": _("Goal %(n)s: indicator missing"),
        "target": _("Goal %(n)s: target value missing"),
        "deadline": _("Goal %(n)s: deadline missing"),
    }[gap] % {"n": number}


def submission_problems(profile: MissionProfile) -> list[SubmissionProblem]:
    """What keeps the profile from being submitted, in the order of the steps; empty when it
    may be submitted. Goals are numbered as on step 2 (1, 2, …)."""
    problems = []
    if not profile.vision.strip():
        problems.append(SubmissionProblem(_("The vision is missing."), "vision", field="vision"))
    goals = list(profile.goals.all())
    if not goals:
        problems.append(SubmissionProblem(_("There is no SMART goal yet."), "goals"))
    for number, goal in enumerate(goals, start=1):
        for gap in goal.submission_gaps:
            problems.append(
                SubmissionProblem(_goal_gap_text(number, gap), "goals", goal.pk, field=gap)
            )
    if not profile.mission_statement.strip():
        problems.append(
            SubmissionProblem(
                _("The mission statement is missing."), "mission", field="mission_statement"
            )
        )
    return problems


_DECISIONS = (ReviewAction.RETURN, ReviewAction.APPROVE, ReviewAction.ACTIVATE)


def open_return_in(events) -> ReviewEvent | None:
    """The return a submission answers: the newest decision of the coordination office among
    `events` (newest first, as profile.reviews), if it is a return."""
    decision = next((e for e in events if e.action in _DECISIONS), None)
    return decision if decision and decision.action == ReviewAction.RETURN else None


def open_return(profile: MissionProfile) -> ReviewEvent | None:
    return open_return_in(profile.reviews.filter(action__in=_DECISIONS)[:1])


@transaction.atomic
def profile_review(
    *, profile: MissionProfile, user, action: str, comment: str = "", reply: str = ""
) -> MissionProfile:
    """One step of the review. `comment` is the coordination office's (required to return);
    `reply` is the tandem's answer to the open return, sent with a submission."""
    obj = locked(MissionProfile, profile.pk, None, related=("updated_by",))
    action = ReviewAction(action)
    allowed_from, target = REVIEW_TRANSITIONS[action]
    if obj.status not in allowed_from:
        raise ValidationError(
            _("This step is not possible while the profile is “%(status)s”.")
            % {"status": obj.get_status_display()}
        )
    answered = None
    if action == ReviewAction.SUBMIT:
        problems = submission_problems(obj)
        if problems:
            raise ValidationError([p.text for p in problems])
        comment = reply
        answered = open_return(obj) if reply.strip() else None
    if action == ReviewAction.RETURN and not comment.strip():
        raise ValidationError({"comment": _("Please tell the tandem what to change.")})
    if action == ReviewAction.WITHDRAW:
        comment = ""
    obj.status = target
    _stamp(obj, user)
    obj.save()
    ReviewEvent.objects.create(
        profile=obj, action=action, comment=comment.strip(), reply_to=answered, by=user
    )
    notices.review_notify(profile=obj, action=action, actor=user, replied=answered is not None)
    return obj


def profile_withdraw(*, profile: MissionProfile, user) -> MissionProfile:
    """The tandem takes its submission back to edit the profile again (back to draft); recorded
    in the review history, the coordination office is told."""
    return profile_review(profile=profile, user=user, action=ReviewAction.WITHDRAW)


# --- history ----------------------------------------------------------------------------------


def _as_of(model, moment: datetime, **lookup) -> list:
    """Instances as they were at `moment`, built from the history rows (as_instances() would
    query each object again). Their `version` is left at its default: rows recorded before the
    history had the column say 0 (migration 0003)."""
    records = (
        model.history.filter(history_date__lte=moment, **lookup)
        .latest_of_each()
        .exclude(history_type="-")
    )
    names = [f.attname for f in model._meta.concrete_fields if f.name != "version"]
    return [model(**{name: getattr(r, name) for name in names}) for r in records]


def profile_as_of(profile: MissionProfile, moment: datetime) -> dict:
    """The profile, its goals and measures as they were at `moment`; DoesNotExist if the
    profile did not exist yet."""
    then = _as_of(MissionProfile, moment, id=profile.pk)
    if not then:
        raise MissionProfile.DoesNotExist("The profile did not exist at that moment.")
    return {
        "profile": then[0],
        "goals": sorted(
            _as_of(SmartGoal, moment, profile_id=profile.pk), key=lambda g: (g.position, g.pk)
        ),
        "measures": _as_of(Measure, moment, profile_id=profile.pk),
    }


@transaction.atomic
def profile_restore(*, profile: MissionProfile, user, moment: datetime) -> MissionProfile:
    """Make the profile, its goals and measures what they were at `moment`; recorded as a change."""
    then = profile_as_of(profile, moment)
    obj = locked(MissionProfile, profile.pk, None, related=("updated_by",))
    _refuse_while_submitted(obj)
    for name in PROFILE_FIELDS:
        setattr(obj, name, getattr(then["profile"], name))
    _stamp(obj, user)
    obj.save()
    goal_ids_then = set()
    for old in then["goals"]:
        goal_ids_then.add(old.pk)
        goal = SmartGoal.objects.filter(pk=old.pk).first() or SmartGoal(pk=old.pk, profile=obj)
        for name in GOAL_FIELDS:
            setattr(goal, name, getattr(old, name))
        _stamp(goal, user)
        goal.save()
    for goal in SmartGoal.objects.filter(profile=obj).exclude(pk__in=goal_ids_then):
        goal._history_user = user
        goal.delete()
    measure_ids_then = set()
    for old in then["measures"]:
        measure_ids_then.add(old.pk)
        measure = Measure.objects.filter(pk=old.pk).first() or Measure(pk=old.pk, profile=obj)
        for name in MEASURE_FIELDS | {"status", "drop_reason"}:
            setattr(measure, name, getattr(old, name))
        _stamp(measure, user)
        measure.save()
    for measure in Measure.objects.filter(profile=obj).exclude(pk__in=measure_ids_then):
        measure._history_user = user
        measure.delete()
    return obj


# --- the lab's indicator catalogue --------------------------------------------------------------


def indicator_create(*, lab, **fields) -> Indicator:
    indicator = Indicator(lab=lab)
    _assign(indicator, fields, INDICATOR_FIELDS)
    indicator.full_clean()
    indicator.save()
    return indicator


def indicator_update(*, indicator: Indicator, **fields) -> Indicator:
    _assign(indicator, fields, INDICATOR_FIELDS)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    """Only an indicator no goal uses: the goals' comparison would lose its definition."""
    used = SmartGoal.objects.filter(catalogue_indicator=indicator).count()
    if used:
        raise ValidationError(
            ngettext(
                "%(n)d goal uses this indicator. It can be deleted once no goal uses it.",
                "%(n)d goals use this indicator. It can be deleted once no goal uses it.",
                used,
            )
            % {"n": used}
        )
    indicator.delete()

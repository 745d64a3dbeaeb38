"""Every write to events: planning, invitations, registration with capacity and waiting list,
attendance, outcomes, and the phases of a cohort's timeline.

E-mails go out through the tasks in tasks.py (which compose them with notify.py), queued once the
transaction commits; so a rolled-back write never mails anybody. The import goes one way only:
services -> tasks -> notify.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import SurveyKind
from labs.models import Cohort, Lab, LabMembership, LabRole, Participation, ParticipationStatus
from tandems.models import TandemMember

from . import tasks
from .models import (
    AttendanceStatus,
    CohortPhase,
    Event,
    EventFormat,
    EventRegistration,
    PhaseKind,
    RegistrationStatus,
)
from .permissions import may_join_as_guest

# Changing one of these after people were told about the event is news: a new SEQUENCE, a notice.
ANNOUNCED_FIELDS = ("starts_at", "ends_at", "format", "place", "online_url")
EVENT_FIELDS = (
    "type",
    "title",
    "starts_at",
    "ends_at",
    "format",
    "place",
    "online_url",
    "facilitators",
    "agenda",
    "capacity",
    "open_to_guests",
    "series",
    "feedback_survey",
)


class RegistrationRefused(Exception):
    """The person cannot register or decline (cancelled, over, not invited); str() says why."""


class Answer:
    REGISTER = "register"
    DECLINE = "decline"


# --- e-mails, each queued on commit --------------------------------------------------------------


def event_invitations_mail(*, registration_ids: Iterable[int]) -> None:
    """E-mail an invitation with the .ics (METHOD:REQUEST) to each registration, on commit."""
    ids = sorted({int(pk) for pk in registration_ids})
    if ids:
        tasks.send_event_invitations.delay_on_commit(ids)


def event_change_mail(*, event_id: int) -> None:
    """E-mail a change notice with the updated .ics to registered, invited and waitlisted people,
    on commit. Call it after incrementing `event.sequence`."""
    tasks.send_event_change_notices.delay_on_commit(int(event_id))


def event_cancellation_mail(*, event_id: int) -> None:
    """E-mail a cancellation notice with the .ics (METHOD:CANCEL), on commit. Call it after setting
    `event.cancelled_at` and incrementing `event.sequence`."""
    tasks.send_event_cancellation_notices.delay_on_commit(int(event_id))


def event_promotion_mail(*, registration_id: int) -> None:
    """E-mail the person moved from the waiting list to registered, on commit."""
    tasks.send_event_promotion_notice.delay_on_commit(int(registration_id))


# --- planning ------------------------------------------------------------------------------------


def event_field_errors(
    *,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    format: str,
    place: str,
    online_url: str,
) -> dict[str, str]:
    """The rules of an event's time and place, shared by the form and the services."""
    errors = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The end must lie after the start.")
    needs_place = format in (EventFormat.ON_SITE, EventFormat.HYBRID)
    needs_link = format in (EventFormat.ONLINE, EventFormat.HYBRID)
    if needs_place and not place.strip():
        errors["place"] = _("Please give the place of an event on site.")
    if needs_link and not online_url.strip():
        errors["online_url"] = _("Please give the link of an online event.")
    return errors


def _check_event(event: Event, cohorts: Iterable[Cohort]) -> None:
    errors = event_field_errors(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        format=event.format,
        place=event.place,
        online_url=event.online_url,
    )
    cohort_ids = {c.pk for c in cohorts}
    if any(c.lab_id != event.lab_id for c in cohorts):
        errors["cohorts"] = _("Please choose cohorts of this lab.")
    elif not cohort_ids and not event.open_to_guests:
        errors["cohorts"] = _("Please choose at least one cohort, or open the event to guests.")
    if event.type_id and event.type.lab_id not in (None, event.lab_id):
        errors["type"] = _("Please choose a type of this lab.")
    series = event.series
    if series is not None:
        if series.lab_id != event.lab_id:
            errors["series"] = _("Please choose an event of this lab.")
        elif event.pk and (series.pk == event.pk or series.series_id == event.pk):
            errors["series"] = _("An event cannot be a part of itself.")
        elif event.pk and event.parts.exists():
            errors["series"] = _(
                "This event is the first part of a series; it cannot be a part of another one."
            )
    survey = event.feedback_survey
    if survey is not None and (
        survey.kind != SurveyKind.FEEDBACK or survey.cohort_id not in cohort_ids
    ):
        errors["feedback_survey"] = _(
            "Please choose a feedback survey of one of the event's cohorts."
        )
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["cohorts"])


def _first_part(series: Event | None) -> Event | None:
    # parts always point to the first part, so a series is one level deep
    if series is not None and series.series_id:
        return series.series
    return series


@transaction.atomic
def event_create(*, lab: Lab, created_by, cohorts: Iterable[Cohort] = (), **fields) -> Event:
    cohorts = list(cohorts)
    fields["series"] = _first_part(fields.get("series"))
    event = Event(lab=lab, created_by=created_by, **fields)
    _check_event(event, cohorts)
    event.save()
    event.cohorts.set(cohorts)
    return event


@transaction.atomic
def event_update(*, event: Event, cohorts: Iterable[Cohort] | None = None, **fields) -> Event:
    """Save changes; a changed time, format, place or link of a planned event is announced."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if "series" in fields:
        fields["series"] = _first_part(fields["series"])
    before = {name: getattr(locked, name) for name in ANNOUNCED_FIELDS}
    capacity_before = locked.capacity
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise TypeError(f"event_update() got an unexpected field {name!r}")
        setattr(event, name, value)
    event.sequence = locked.sequence
    event.cancelled_at = locked.cancelled_at
    cohorts = list(cohorts) if cohorts is not None else list(event.cohorts.all())
    _check_event(event, cohorts)
    announced = any(getattr(event, name) != before[name] for name in ANNOUNCED_FIELDS)
    if announced and not event.is_cancelled:
        event.sequence += 1
    event.save()
    event.cohorts.set(cohorts)
    if announced and not event.is_cancelled:
        event_change_mail(event_id=event.pk)
    if not event.is_cancelled and _seats_grew(capacity_before, event.capacity):
        _promote_waitlisted(event)
    return event


def _seats_grew(before: int | None, after: int | None) -> bool:
    if after is None:
        return before is not None
    return before is not None and after > before


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel once: a second call changes and sends nothing."""
    now = timezone.now()
    done = Event.objects.filter(pk=event.pk, cancelled_at__isnull=True).update(
        cancelled_at=now, sequence=F("sequence") + 1, updated_at=now
    )
    event.refresh_from_db(fields=["cancelled_at", "sequence", "updated_at"])
    if done:
        event_cancellation_mail(event_id=event.pk)
    return event


@transaction.atomic
def event_outcomes_update(*, event: Event, outcomes: str) -> Event:
    event.outcomes = outcomes
    Event.objects.filter(pk=event.pk).update(outcomes=outcomes, updated_at=timezone.now())
    return event


# --- invitations ---------------------------------------------------------------------------------


def lab_people_ids(lab: Lab) -> set[int]:
    """Everybody who belongs to the lab: tandem members of its cohorts and its role holders."""
    tandem = TandemMember.objects.filter(tandem__participation__cohort__lab=lab).values_list(
        "user_id", flat=True
    )
    roles = LabMembership.objects.filter(lab=lab).values_list("user_id", flat=True)
    return set(tandem) | set(roles)


def _participation_for(user_id: int, event: Event) -> Participation | None:
    """The municipality a person counts for at this event: theirs in one of the event's cohorts,
    else theirs in the lab, if there is exactly one; for a participant tied to a municipality,
    its participation in one of the event's cohorts."""
    rows = list(
        TandemMember.objects.filter(user_id=user_id, tandem__participation__cohort__lab=event.lab)
        .values_list("tandem__participation_id", "tandem__participation__cohort_id")
        .distinct()
    )
    cohort_ids = set(event.cohorts.values_list("pk", flat=True))
    if not rows:  # a participant tied to a municipality counts for it in the event's cohorts
        rows = list(
            Participation.objects.filter(
                municipality__participants__user_id=user_id,
                municipality__participants__lab=event.lab,
                municipality__participants__role=LabRole.PARTICIPANT,
                cohort_id__in=cohort_ids,
            ).values_list("pk", "cohort_id")
        )
    in_event = {p for p, c in rows if c in cohort_ids}
    candidates = in_event or {p for p, _c in rows}
    if len(candidates) == 1:
        return Participation.objects.get(pk=candidates.pop())
    return None


@transaction.atomic
def event_invite(
    *,
    event: Event,
    participations: Iterable[Participation] = (),
    users: Iterable = (),
) -> list[EventRegistration]:
    """Invite every tandem member of the chosen participations and the chosen people.

    Idempotent: someone already on the list keeps their registration and answer. Returns the
    registrations made now (and only those are e-mailed).
    """
    # the lock serialises two coordinators inviting at once (unique_registration would fail)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise ValidationError(_("This event was cancelled; nobody can be invited any more."))
    participations = list(participations)
    users = list(users)
    cohort_ids = set(event.cohorts.values_list("pk", flat=True))
    if any(
        p.cohort_id not in cohort_ids or p.status == ParticipationStatus.LEFT
        for p in participations
    ):
        raise ValidationError(
            {"participations": _("Please choose municipalities of the event's cohorts.")}
        )
    lab_people = lab_people_ids(event.lab)
    if any(u.pk not in lab_people for u in users):
        raise ValidationError({"users": _("Please choose people of this lab.")})

    wanted: dict[int, int | None] = {}  # user id → participation id
    members = TandemMember.objects.filter(tandem__participation__in=participations).values_list(
        "user_id", "tandem__participation_id"
    )
    for user_id, participation_id in members.order_by("tandem__participation_id", "pk"):
        wanted.setdefault(user_id, participation_id)
    for user in users:
        if user.pk not in wanted:
            participation = _participation_for(user.pk, event)
            wanted[user.pk] = participation.pk if participation else None

    existing = {
        r.user_id: r for r in EventRegistration.objects.filter(event=event, user_id__in=wanted)
    }
    now = timezone.now()
    # someone who registered as a guest before their municipality was invited counts for it now
    adopted = []
    for user_id, registration in existing.items():
        if registration.participation_id is None and wanted[user_id] is not None:
            registration.participation_id = wanted[user_id]
            adopted.append(registration)
    if adopted:
        EventRegistration.objects.bulk_update(adopted, ["participation"])
    new = EventRegistration.objects.bulk_create(
        [
            EventRegistration(
                event=event,
                user_id=user_id,
                participation_id=participation_id,
                status=RegistrationStatus.INVITED,
                invited_at=now,
                notified_sequence=locked.sequence,
            )
            for user_id, participation_id in wanted.items()
            if user_id not in existing
        ]
    )
    if new:
        event_invitations_mail(registration_ids=[r.pk for r in new])
    return new


# --- registering and declining -------------------------------------------------------------------


def _registered_count(event: Event, *, excluding: int | None = None) -> int:
    seats = EventRegistration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    if excluding is not None:
        seats = seats.exclude(pk=excluding)
    return seats.count()


def _has_seat(event: Event, registration: EventRegistration | None = None) -> bool:
    if event.capacity is None:
        return True
    taken = _registered_count(event, excluding=registration.pk if registration else None)
    return taken < event.capacity


@transaction.atomic
def event_respond(*, event: Event, user, answer: str) -> EventRegistration:
    """Register (or join the waiting list when the event is full) or decline.

    The event row stays locked while the seats are counted, so concurrent registrations cannot
    together take more seats than there are.
    """
    if answer not in (Answer.REGISTER, Answer.DECLINE):
        raise RegistrationRefused(_("Please choose whether you register or decline."))
    locked = Event.objects.select_for_update().select_related("lab").get(pk=event.pk)
    if locked.is_cancelled:
        raise RegistrationRefused(_("This event was cancelled; you cannot register for it."))
    if locked.ends_at <= timezone.now():
        raise RegistrationRefused(_("This event is over."))
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .filter(event=locked, user=user)
        .order_by()
        .first()
    )
    now = timezone.now()
    if registration is None:
        if answer == Answer.DECLINE:
            raise RegistrationRefused(_("You are not invited to this event."))
        if not may_join_as_guest(locked, user):
            raise RegistrationRefused(
                _("You are not invited to this event; please ask the coordination office.")
            )
        registration = EventRegistration(
            event=locked,
            user=user,
            participation=_participation_for(user.pk, locked),
            status=RegistrationStatus.INVITED,
            notified_sequence=locked.sequence,
        )
    if answer == Answer.REGISTER:
        if registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
            return registration
        if _has_seat(locked, registration if registration.pk else None):
            registration.status = RegistrationStatus.REGISTERED
            registration.waitlisted_at = None
        else:
            registration.status = RegistrationStatus.WAITLISTED
            registration.waitlisted_at = now
        registration.responded_at = now
        registration.save()
        return registration

    freed_a_seat = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.DECLINED
    registration.waitlisted_at = None
    registration.responded_at = now
    registration.save()
    if freed_a_seat:
        _promote_waitlisted(locked)
    return registration


def _promote_waitlisted(event: Event) -> list[EventRegistration]:
    """Move people from the waiting list into free seats, first come first served.
    The caller holds the event's row lock."""
    waiting = EventRegistration.objects.select_for_update(of=("self",)).filter(
        event=event, status=RegistrationStatus.WAITLISTED
    )
    if event.capacity is None:
        chosen = list(waiting.order_by("waitlisted_at", "pk"))
    else:
        free = event.capacity - _registered_count(event)
        if free <= 0:
            return []
        chosen = list(waiting.order_by("waitlisted_at", "pk")[:free])
    for registration in chosen:
        registration.status = RegistrationStatus.REGISTERED
        registration.waitlisted_at = None
    EventRegistration.objects.bulk_update(chosen, ["status", "waitlisted_at"])
    for registration in chosen:
        event_promotion_mail(registration_id=registration.pk)
    return chosen


# --- after the event -----------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, event: Event, marks: Mapping[int, str]) -> int:
    """Record present / excused / absent ("" clears) for many registrations in one go.

    `marks` maps registration ids of this event to a value; registrations not named stay as they
    are. Returns how many changed.
    """
    if event.is_cancelled:
        raise ValidationError(_("This event was cancelled; there is no attendance to record."))
    allowed = {"", *AttendanceStatus.values}
    bad = [value for value in marks.values() if value not in allowed]
    if bad:
        raise ValidationError(_("Please choose present, excused or absent."))
    registrations = list(
        EventRegistration.objects.select_for_update(of=("self",))
        .filter(event=event, pk__in=list(marks))
        .order_by("pk")
    )
    if len(registrations) != len(marks):
        raise ValidationError(_("The list of people has changed; please reload the page."))
    changed = [r for r in registrations if r.attendance != marks[r.pk]]
    for registration in changed:
        registration.attendance = marks[registration.pk]
    EventRegistration.objects.bulk_update(changed, ["attendance"], batch_size=500)
    return len(changed)


# --- the cohort's phases -------------------------------------------------------------------------


@transaction.atomic
def cohort_phases_set(
    *, cohort: Cohort, phases: Mapping[str, tuple[dt.date | None, dt.date | None]]
) -> list[CohortPhase]:
    """Set the dates of the phases named in `phases`; a phase without dates is removed."""
    errors = {}
    for kind, (starts_on, ends_on) in phases.items():
        if kind not in PhaseKind.values:
            raise ValueError(kind)
        if bool(starts_on) != bool(ends_on):
            errors[f"{kind}_ends_on" if starts_on else f"{kind}_starts_on"] = _(
                "Please give both dates of the phase, or neither."
            )
        elif starts_on and ends_on < starts_on:
            errors[f"{kind}_ends_on"] = _("The end must not lie before the start.")
    if errors:
        raise ValidationError(errors)
    existing = {p.kind: p for p in CohortPhase.objects.filter(cohort=cohort)}
    for kind, (starts_on, ends_on) in phases.items():
        phase = existing.get(kind)
        if not starts_on:
            if phase:
                phase.delete()
            continue
        if phase is None:
            CohortPhase.objects.create(
                cohort=cohort, kind=kind, starts_on=starts_on, ends_on=ends_on
            )
        elif (phase.starts_on, phase.ends_on) != (starts_on, ends_on):
            phase.starts_on, phase.ends_on = starts_on, ends_on
            phase.save(update_fields=["starts_on", "ends_on"])
    return list(CohortPhase.objects.filter(cohort=cohort).order_by("starts_on"))

"""Who hears about an event, and when: invitations, change and cancellation notices, a place from
the waiting list, reminders. Each is a notification (events/notices.py), e-mailed with the event's
.ics as the person chose (right away, in the daily summary, or not at all) in their language.

The tasks in tasks.py call the `*_send` functions here; the planning services queue those tasks
once their transaction commits (services.event_invitations_mail and its siblings), and Celery beat
runs the reminders. This module imports neither. Every notice is claimed by a conditional UPDATE
of the registration, in the transaction that creates the notification (whose e-mail is queued on
its commit), so a task run twice, retried, or run by two workers at once notifies each person once:

- invitation: `invitation_mailed_at IS NULL`
- change and cancellation notice: `notified_sequence < event.sequence` (set to the sequence), so
  the caller increments `event.sequence` before queueing the notice
- promotion from the waiting list: not notified since the person was last put on the list
- reminder: `reminded_at IS NULL`

The notification's own key (the event, its version, the time on the waiting list, the start)
keeps a person from getting the same notice twice even when a claim is undone.
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from . import notices
from .models import Event, EventRegistration, RegistrationStatus

logger = logging.getLogger("innolab.events")

# people who hear about an event: everyone but those who declined
NOTIFIED_STATUSES = (
    RegistrationStatus.INVITED,
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITLISTED,
)
# reminders go out the day before, from this hour (Berlin time) on
REMINDER_HOUR = 8


def _registrations():
    return EventRegistration.objects.select_related("user", "event__lab", "event__type")


def _notify_by_event(notice: str, claimed: list[EventRegistration], occasion=lambda r: "") -> int:
    by_event: dict[tuple[int, str], list[EventRegistration]] = {}
    for registration in claimed:
        by_event.setdefault((registration.event_id, occasion(registration)), []).append(
            registration
        )
    notified = 0
    for (_event_id, when), group in by_event.items():
        notified += notices.event_notice_send(
            notice=notice,
            event=group[0].event,
            user_ids=[r.user_id for r in group],
            occasion=when,
        )
    return notified


@transaction.atomic
def invitation_mails_send(*, registration_ids: list[int]) -> int:
    """Notify each invitation once; returns how many were. Skipped: declined meanwhile,
    cancelled or past events, and invitations sent already."""
    now = timezone.now()
    registrations = list(
        _registrations().filter(
            pk__in=registration_ids,
            status__in=NOTIFIED_STATUSES,
            invitation_mailed_at__isnull=True,
            event__cancelled_at__isnull=True,
            event__ends_at__gt=now,
        )
    )
    claimed = []
    for registration in registrations:
        # the invitation carries the current version: no change notice for it afterwards
        if EventRegistration.objects.filter(
            pk=registration.pk, invitation_mailed_at__isnull=True
        ).update(
            invitation_mailed_at=now,
            notified_sequence=Greatest(F("notified_sequence"), registration.event.sequence),
        ):
            claimed.append(registration)
    _notify_by_event(notices.INVITATION, claimed)
    return len(claimed)


@transaction.atomic
def _sequence_notices_send(*, event_id: int, notice: str) -> int:
    event = Event.objects.select_related("lab").filter(pk=event_id).first()
    if event is None or event.is_cancelled != (notice == notices.CANCELLED):
        return 0  # a change notice after a cancellation would contradict it
    registrations = list(
        EventRegistration.objects.filter(
            event=event, status__in=NOTIFIED_STATUSES, notified_sequence__lt=event.sequence
        )
    )
    claimed = [
        registration
        for registration in registrations
        if EventRegistration.objects.filter(
            pk=registration.pk, notified_sequence__lt=event.sequence
        ).update(notified_sequence=event.sequence)
    ]
    if claimed:
        notices.event_notice_send(
            notice=notice,
            event=event,
            user_ids=[r.user_id for r in claimed],
            occasion=str(event.sequence),
        )
    return len(claimed)


def change_notices_send(*, event_id: int) -> int:
    """Notify the change of the event's current version (its sequence) once per person."""
    return _sequence_notices_send(event_id=event_id, notice=notices.CHANGED)


def cancellation_notices_send(*, event_id: int) -> int:
    """Notify the cancellation (METHOD:CANCEL) once per person who had not declined."""
    return _sequence_notices_send(event_id=event_id, notice=notices.CANCELLED)


def _waitlist_stamp(registration: EventRegistration) -> str:
    """When the person last joined the waiting list, as the promotion notice's occasion."""
    stamps = [s for s in (registration.responded_at, registration.waitlisted_at) if s]
    return str(int(max(stamps).timestamp() * 1_000_000)) if stamps else "0"


@transaction.atomic
def promotion_mail_send(*, registration_id: int) -> bool:
    """Notify a person moved up from the waiting list, once per time they were on it."""
    registration = (
        _registrations()
        .filter(
            pk=registration_id,
            status=RegistrationStatus.REGISTERED,
            event__cancelled_at__isnull=True,
        )
        .first()
    )
    if registration is None:
        return False
    # notified already, unless they joined the waiting list again since (answering sets
    # responded_at; the planning services clear waitlisted_at on promotion)
    due = (
        Q(promotion_mailed_at__isnull=True)
        | Q(promotion_mailed_at__lt=F("responded_at"))
        | Q(promotion_mailed_at__lt=F("waitlisted_at"))
    )
    claimed = (
        EventRegistration.objects.filter(pk=registration.pk, status=RegistrationStatus.REGISTERED)
        .filter(due)
        .update(promotion_mailed_at=timezone.now())
    )
    if not claimed:
        return False
    notices.event_notice_send(
        notice=notices.PROMOTED,
        event=registration.event,
        user_ids=[registration.user_id],
        occasion=f"{registration.pk}-{_waitlist_stamp(registration)}",
    )
    return True


def reminder_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """Events starting in this window are due for their reminder; None before 08:00 Berlin time.

    From 08:00 on, every event starting before the end of tomorrow is due: the hourly run at
    about 8 o'clock reminds of tomorrow's events, and people who register later are reminded at
    the next run (at night nobody is written to).
    """
    tz = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(tz)
    if local.hour < REMINDER_HOUR:
        return None
    day_after_tomorrow = local.date() + dt.timedelta(days=2)
    return now, dt.datetime.combine(day_after_tomorrow, dt.time(0), tzinfo=tz)


@transaction.atomic
def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind every registered person of their event the day before, once; returns how many."""
    now = now or timezone.now()
    window = reminder_window(now)
    if window is None:
        return 0
    registrations = list(
        _registrations().filter(
            status=RegistrationStatus.REGISTERED,
            reminded_at__isnull=True,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=window[0],
            event__starts_at__lt=window[1],
        )
    )
    # another run reminded a person, or they declined meanwhile: not claimed
    claimed = [
        registration
        for registration in registrations
        if EventRegistration.objects.filter(
            pk=registration.pk, reminded_at__isnull=True, status=RegistrationStatus.REGISTERED
        ).update(reminded_at=now)
    ]
    # a moved event is a new occasion: its reminder is another one
    _notify_by_event(
        notices.REMINDER, claimed, occasion=lambda r: str(int(r.event.starts_at.timestamp()))
    )
    if claimed:
        logger.info("event reminders sent: %s", len(claimed))
    return len(claimed)

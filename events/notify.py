"""E-mails about events, each in the recipient's language with the event's .ics attached.

The tasks in tasks.py call the `*_send` functions here; the planning services queue those tasks
once their transaction commits (services.event_invitations_mail and its siblings), and Celery beat
runs the reminders. This module imports neither. Every mail is claimed by a conditional UPDATE of
the registration before it is sent, so a task run twice, retried, or run by two workers at once
sends each mail once:

- invitation: `invitation_mailed_at IS NULL`
- change and cancellation notice: `notified_sequence < event.sequence` (set to the sequence), so
  the caller increments `event.sequence` before queueing the notice
- promotion from the waiting list: not mailed since the person was last put on the list
- reminder: `reminded_at IS NULL`

The language is the one the person was invited to the platform in (their latest accepted
invitation), else the platform's default, German.
"""

import datetime as dt
import email.message
import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from labs.models import Invitation

from .ics import event_ics, event_page_url
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


# --- composing and sending -----------------------------------------------------------------------


def recipient_languages(user_ids: Iterable[int]) -> dict[int, str]:
    """Each person's language: that of the latest invitation they accepted; German otherwise."""
    supported = {code for code, _name in settings.LANGUAGES}
    languages: dict[int, str] = {}
    rows = (
        Invitation.objects.filter(accepted_by__in=set(user_ids), accepted_at__isnull=False)
        .order_by("accepted_by", "-accepted_at")
        .values_list("accepted_by", "language")
    )
    for user_id, language in rows:
        if user_id not in languages and language in supported:
            languages[user_id] = language
    return languages


def _subject(kind: str, event: Event) -> str:
    title = event.title
    if kind == "invitation":
        return _("Invitation: %(title)s") % {"title": title}
    if kind == "changed":
        return _("Changed: %(title)s") % {"title": title}
    if kind == "cancelled":
        return _("Cancelled: %(title)s") % {"title": title}
    if kind == "promoted":
        return _("You have a place: %(title)s") % {"title": title}
    start = timezone.localtime(event.starts_at, ZoneInfo(settings.TIME_ZONE))
    return _("Reminder: %(title)s on %(date)s") % {
        "title": title,
        "date": date_format(start, "DATE_FORMAT"),
    }


def _calendar_part(ics: bytes, method: str) -> email.message.MIMEPart:
    # a MIMEPart, since Django's attach() cannot set the `method` parameter calendars look for
    # bytes, base64-encoded: iCalendar's CRLF line ends survive (text would be re-lined to LF)
    part = email.message.MIMEPart()
    part.set_content(
        ics,
        maintype="text",
        subtype="calendar",
        params={"charset": "utf-8", "method": method},
        disposition="attachment",
        filename="invite.ics" if method != "CANCEL" else "cancel.ics",
    )
    return part


def _mail(kind: str, registration: EventRegistration, language: str) -> None:
    event = registration.event
    user = registration.user
    method = "CANCEL" if kind == "cancelled" else "REQUEST"
    with translation.override(language):
        context = {
            "kind": kind,
            "event": event,
            "lab": event.lab,
            "registration": registration,
            "recipient": user,
            "url": event_page_url(event),
            "same_day": timezone.localdate(event.starts_at) == timezone.localdate(event.ends_at),
        }
        subject = _subject(kind, event)
        text = render_to_string("events/email/notice.txt", context)
        html = render_to_string("events/email/notice.html", context)
        ics = event_ics(event, method=method, attendee_email=user.email)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    message.attach(_calendar_part(ics, method))
    message.send()


def _registrations():
    return EventRegistration.objects.select_related("user", "event__lab", "event__type")


def _language(registration: EventRegistration, languages: dict[int, str]) -> str:
    return languages.get(registration.user_id, settings.LANGUAGE_CODE)


def invitation_mails_send(*, registration_ids: list[int]) -> int:
    """E-mail each invitation once; returns how many were sent. Skipped: declined meanwhile,
    cancelled or past events, and invitations mailed already."""
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
    languages = recipient_languages(r.user_id for r in registrations)
    sent = 0
    for registration in registrations:
        event = registration.event
        previous = registration.notified_sequence
        # the invitation carries the current version: no change notice for it afterwards
        claimed = EventRegistration.objects.filter(
            pk=registration.pk, invitation_mailed_at__isnull=True
        ).update(
            invitation_mailed_at=now,
            notified_sequence=Greatest(F("notified_sequence"), event.sequence),
        )
        if not claimed:
            continue
        try:
            _mail("invitation", registration, _language(registration, languages))
        except Exception:
            EventRegistration.objects.filter(pk=registration.pk, invitation_mailed_at=now).update(
                invitation_mailed_at=None, notified_sequence=previous
            )
            raise
        sent += 1
    return sent


def _sequence_notices_send(*, event_id: int, kind: str) -> int:
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.is_cancelled != (kind == "cancelled"):
        return 0  # a change notice after a cancellation would contradict it
    registrations = list(
        _registrations().filter(
            event=event, status__in=NOTIFIED_STATUSES, notified_sequence__lt=event.sequence
        )
    )
    languages = recipient_languages(r.user_id for r in registrations)
    sent = 0
    for registration in registrations:
        previous = registration.notified_sequence
        claimed = EventRegistration.objects.filter(
            pk=registration.pk, notified_sequence__lt=event.sequence
        ).update(notified_sequence=event.sequence)
        if not claimed:
            continue
        registration.event = event
        try:
            _mail(kind, registration, _language(registration, languages))
        except Exception:
            EventRegistration.objects.filter(
                pk=registration.pk, notified_sequence=event.sequence
            ).update(notified_sequence=previous)
            raise
        sent += 1
    return sent


def change_notices_send(*, event_id: int) -> int:
    """E-mail the change notice of the event's current version (its sequence) once per person."""
    return _sequence_notices_send(event_id=event_id, kind="changed")


def cancellation_notices_send(*, event_id: int) -> int:
    """E-mail the cancellation (METHOD:CANCEL) once per person who had not declined."""
    return _sequence_notices_send(event_id=event_id, kind="cancelled")


def promotion_mail_send(*, registration_id: int) -> bool:
    """E-mail a person moved up from the waiting list, once per time they were on it."""
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
    now = timezone.now()
    previous = registration.promotion_mailed_at
    # mailed already, unless they joined the waiting list again since (answering sets
    # responded_at; the planning services clear waitlisted_at on promotion)
    due = (
        Q(promotion_mailed_at__isnull=True)
        | Q(promotion_mailed_at__lt=F("responded_at"))
        | Q(promotion_mailed_at__lt=F("waitlisted_at"))
    )
    claimed = (
        EventRegistration.objects.filter(pk=registration.pk, status=RegistrationStatus.REGISTERED)
        .filter(due)
        .update(promotion_mailed_at=now)
    )
    if not claimed:
        return False
    languages = recipient_languages([registration.user_id])
    try:
        _mail("promoted", registration, _language(registration, languages))
    except Exception:
        EventRegistration.objects.filter(pk=registration.pk, promotion_mailed_at=now).update(
            promotion_mailed_at=previous
        )
        raise
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
    languages = recipient_languages(r.user_id for r in registrations)
    sent = 0
    for registration in registrations:
        claimed = EventRegistration.objects.filter(
            pk=registration.pk, reminded_at__isnull=True, status=RegistrationStatus.REGISTERED
        ).update(reminded_at=now)
        if not claimed:
            continue  # another run reminded this person, or they declined meanwhile
        try:
            _mail("reminder", registration, _language(registration, languages))
        except Exception:
            EventRegistration.objects.filter(pk=registration.pk, reminded_at=now).update(
                reminded_at=None
            )
            raise
        sent += 1
    if sent:
        logger.info("event reminders sent: %s", sent)
    return sent

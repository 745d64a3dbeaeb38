"""What events tells people about (notifications.kinds): an invitation, a change, a cancellation, a
place from the waiting list and the reminder the day before. Registered from EventsConfig.ready();
events/notify.py decides who is due and calls `event_notice_send`.

Each is a notification like any other: on the person's list, and e-mailed right away, in the daily
summary or not at all, as the person chose, in their language (notifications/languages.py). The
e-mail is the event's own (`_event_mail`): its details and its calendar file (.ics, METHOD:REQUEST,
or CANCEL for a cancellation), written when it is sent, so the calendar gets the event as it is
then. A person gets each notice once: the key names the event and its version (the change), the
time on the waiting list (the place) or the start (the reminder).
"""

import datetime as dt
import email.message
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import kinds
from notifications.services import notify

from .ics import event_ics, event_page_url
from .models import Event, EventRegistration

INVITATION = "invitation"
CHANGED = "changed"
CANCELLED = "cancelled"
PROMOTED = "promoted"
REMINDER = "reminder"
NOTICES = (INVITATION, CHANGED, CANCELLED, PROMOTED, REMINDER)


def kind_of(notice: str) -> str:
    return f"event-{notice}"


def _start(params: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(params["starts_at"]).astimezone(ZoneInfo(settings.TIME_ZONE))


def _when(params: dict) -> dict:
    """The parameters with the start's date and time in the active language's formats."""
    start = _start(params)
    return {
        **params,
        "date": date_format(start, "DATE_FORMAT"),
        "time": date_format(start, "TIME_FORMAT"),
    }


_TEXTS = {
    INVITATION: (
        gettext_lazy("An invitation to an event"),
        lambda p: _("You are invited to “%(title)s” on %(date)s at %(time)s.") % _when(p),
    ),
    CHANGED: (
        gettext_lazy("An event you were invited to has changed"),
        lambda p: _("“%(title)s” on %(date)s has changed.") % _when(p),
    ),
    CANCELLED: (
        gettext_lazy("An event you were invited to was cancelled"),
        lambda p: _("“%(title)s” on %(date)s was cancelled.") % _when(p),
    ),
    PROMOTED: (
        gettext_lazy("You moved up from an event's waiting list"),
        lambda p: _("A place became free: you are registered for “%(title)s”.") % _when(p),
    ),
    REMINDER: (
        gettext_lazy("A reminder the day before an event you registered for"),
        lambda p: _("Reminder: “%(title)s” on %(date)s at %(time)s.") % _when(p),
    ),
}


def _subject(notice: str, event: Event) -> str:
    title = event.title
    if notice == INVITATION:
        return _("Invitation: %(title)s") % {"title": title}
    if notice == CHANGED:
        return _("Changed: %(title)s") % {"title": title}
    if notice == CANCELLED:
        return _("Cancelled: %(title)s") % {"title": title}
    if notice == PROMOTED:
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


def _event_mail(notice: str):
    def compose(params: dict, recipient) -> kinds.Mail | None:
        event = Event.objects.select_related("lab", "type").filter(pk=params.get("event")).first()
        if event is None:
            return None  # deleted meanwhile: the plain notification mail
        registration = EventRegistration.objects.filter(event=event, user=recipient).first()
        method = "CANCEL" if notice == CANCELLED else "REQUEST"
        context = {
            "kind": notice,
            "event": event,
            "lab": event.lab,
            "registration": registration,
            "recipient": recipient,
            "url": event_page_url(event),
            "same_day": timezone.localdate(event.starts_at) == timezone.localdate(event.ends_at),
        }
        ics = event_ics(event, method=method, attendee_email=recipient.email)
        return kinds.Mail(
            subject=_subject(notice, event),
            text=render_to_string("events/email/notice.txt", context),
            html=render_to_string("events/email/notice.html", context),
            # one calendar entry per event in a summary: the newest notice's
            attachments={f"event-{event.pk}.ics": _calendar_part(ics, method)},
        )

    return compose


def register() -> None:
    for notice, (label, text) in _TEXTS.items():
        kinds.register(
            kinds.Kind(key=kind_of(notice), label=label, text=text, mail=_event_mail(notice))
        )


def _event_path(event: Event) -> str:
    try:
        return reverse("event_detail", args=[event.lab.slug, event.pk])
    except NoReverseMatch:  # the planning pages are not mounted (yet)
        return reverse("lab_detail", args=[event.lab.slug])


def event_notice_send(*, notice: str, event: Event, user_ids, occasion: str = "") -> int:
    """Notify the people of `user_ids` of the event; `occasion` tells this notice apart from
    earlier ones of the same kind (the version of a change, the time on the waiting list).
    Returns how many were notified who had not been."""
    key = ":".join(part for part in (kind_of(notice), str(event.pk), occasion) if part)
    return notify(
        kind=kind_of(notice),
        recipients=user_ids,
        key=key,
        params={
            "event": event.pk,
            "title": event.title,
            "lab": event.lab.name,
            "starts_at": event.starts_at.isoformat(),
        },
        link=_event_path(event),
    )

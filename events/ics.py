"""iCalendar for events: one event as .ics (download and e-mail attachment) and each person's
private calendar feed, whose token is derived from a salt and SECRET_KEY like the lab's invitation
links (only its hash is stored, so a leaked database does not leak feed addresses)."""

import datetime as dt
import secrets
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tokens import derive_urlsafe, token_hash

from .models import CalendarFeed, Event, EventFormat
from .permissions import events_in_calendar

PRODID = "-//InnoLab//Events//DE"
FEED_PAST_DAYS = 90


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def event_uid(event: Event) -> str:
    """Stable across changes and hosts: calendars match updates and cancellations by it."""
    return f"event-{event.pk}@{settings.CALENDAR_UID_DOMAIN}"


def event_page_url(event: Event, base_url: str | None = None) -> str:
    base = (settings.SITE_URL if base_url is None else base_url).rstrip("/")
    try:
        path = reverse("event_detail", args=[event.lab.slug, event.pk])
    except NoReverseMatch:  # the planning pages are not mounted (yet)
        path = reverse("lab_detail", args=[event.lab.slug])
    return base + path


def _location(event: Event) -> str:
    parts = []
    if event.format != EventFormat.ONLINE and event.place:
        parts.append(event.place)
    if event.format != EventFormat.ON_SITE and event.online_url:
        parts.append(event.online_url)
    return " · ".join(parts) or event.place or event.online_url


def _description(event: Event, url: str) -> str:
    parts = []
    if event.agenda:
        parts.append(event.agenda.strip())
    if event.facilitators:
        parts.append(_("Facilitators: %(names)s") % {"names": event.facilitators})
    if event.online_url and event.format != EventFormat.ON_SITE:
        parts.append(_("Online: %(url)s") % {"url": event.online_url})
    parts.append(_("Event page: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def _vevent(
    event: Event, *, base_url: str | None, stamp: dt.datetime, attendee_email: str | None
) -> icalendar.Event:
    tz = _tz()
    url = event_page_url(event, base_url)
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", event.updated_at.astimezone(dt.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(tz))
    vevent.add("dtend", event.ends_at.astimezone(tz))
    vevent.add("summary", event.title)
    vevent.add("description", _description(event, url))
    location = _location(event)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("categories", [event.type.name])
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if attendee_email is not None:
        # RFC 5546: a REQUEST or CANCEL names its organizer and attendee. Answers are given on the
        # platform, so the calendar is asked not to send replies to the no-reply address.
        organizer = icalendar.vCalAddress(f"mailto:{_from_address()}")
        organizer.params["CN"] = event.lab.name
        vevent.add("organizer", organizer)
        attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
        attendee.params["RSVP"] = "FALSE"
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        vevent.add("attendee", attendee)
    return vevent


def _from_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"


def build_calendar(
    events: Iterable[Event],
    *,
    method: str = "PUBLISH",
    base_url: str | None = None,
    name: str | None = None,
    attendee_email: str | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE its TZIDs need."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    years = []
    for event in events:
        calendar.add_component(
            _vevent(event, base_url=base_url, stamp=stamp, attendee_email=attendee_email)
        )
        years += [event.starts_at.astimezone(_tz()).year, event.ends_at.astimezone(_tz()).year]
    if years:
        # the VTIMEZONE spans the events' years, not icalendar's default 1970–2038
        calendar.add_missing_timezones(
            first_date=dt.date(min(years), 1, 1), last_date=dt.date(max(years) + 1, 1, 1)
        )
    return calendar.to_ical()


def event_ics(
    event: Event,
    *,
    method: str = "PUBLISH",
    base_url: str | None = None,
    attendee_email: str | None = None,
) -> bytes:
    """One event as .ics: PUBLISH for downloads, REQUEST for invitations and changes, CANCEL for
    cancellations (pass the recipient's address for the e-mails)."""
    return build_calendar([event], method=method, base_url=base_url, attendee_email=attendee_email)


# --- the private feed ----------------------------------------------------------------------------


def feed_token(feed: CalendarFeed) -> str:
    return derive_urlsafe("calendar-feed", feed.token_salt)


def _new_salt(feed: CalendarFeed) -> None:
    feed.token_salt = secrets.token_hex(32)
    feed.token_hash = token_hash(feed_token(feed))


def calendar_feed_create(*, user) -> CalendarFeed:
    """The person's feed; created if they have none (a second click shows the same address)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed
    feed = CalendarFeed(user=user)
    _new_salt(feed)
    try:
        with transaction.atomic():
            feed.save()
    except IntegrityError:  # created by a concurrent request: show that one
        return CalendarFeed.objects.get(user=user)
    return feed


def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new address; the old one stops working at once."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return calendar_feed_create(user=user)
        _new_salt(feed)
        feed.created_at = timezone.now()
        feed.save(update_fields=["token_salt", "token_hash", "created_at"])
    return feed


def calendar_feed_revoke(*, user) -> bool:
    """Delete the feed; its address answers 404 from now on. False if there was none."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )


def feed_events(user, *, now: dt.datetime | None = None):
    """The person's events for the feed: past 90 days and future, cancelled ones included."""
    since = (now or timezone.now()) - dt.timedelta(days=FEED_PAST_DAYS)
    return (
        events_in_calendar(user)
        .filter(ends_at__gte=since)
        .select_related("lab", "type")
        .order_by("starts_at", "pk")
    )


def feed_ics(user, *, base_url: str | None = None) -> bytes:
    return build_calendar(
        feed_events(user), method="PUBLISH", base_url=base_url, name=_("InnoLab events")
    )

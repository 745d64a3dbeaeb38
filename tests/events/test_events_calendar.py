"""Events as iCalendar: the .ics content parsed back, the download, and the private feed with its
token (wrong, revoked or renewed → 404) and its constant query count."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import ics
from events.models import CalendarFeed, Event, EventRegistration, EventType, RegistrationStatus
from labs.models import Invitation, InvitationRole

from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


def make_event(lab, *, start=None, hours=3, title="Auftaktworkshop", cohorts=(), **fields):
    start = start or timezone.now() + dt.timedelta(days=7)
    event = Event.objects.create(
        lab=lab,
        type=EventType.objects.get(lab=None, code="kickoff"),
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        **fields,
    )
    event.cohorts.set(cohorts)
    return event


def register(event, user, status=RegistrationStatus.REGISTERED, **fields):
    return EventRegistration.objects.create(event=event, user=user, status=status, **fields)


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (vevent,) = calendar.walk("VEVENT")
    return vevent


# --- .ics content ------------------------------------------------------------------------------


def test_the_start_on_the_dst_change_day_stays_the_wall_clock_time_entered(lab_x, cohort_x):
    # 29 March 2026: clocks go from 02:00 to 03:00 in Germany; 10:00 Berlin is 08:00 UTC
    event = make_event(
        lab_x,
        start=dt.datetime(2026, 3, 29, 10, 0, tzinfo=BERLIN),
        hours=2,
        cohorts=[cohort_x],
        place="Rathaus Ahornstadt, Saal 2",
        agenda="Begrüßung\nMissionen schärfen",
    )
    event.refresh_from_db()  # as stored: UTC
    body = ics.event_ics(event, base_url="https://innolab.example")
    calendar = parse(body)
    vevent = only_event(calendar)

    assert calendar["METHOD"] == "PUBLISH"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert b"DTSTART;TZID=Europe/Berlin:20260329T100000" in body
    assert b"DTEND;TZID=Europe/Berlin:20260329T120000" in body
    start = vevent.decoded("DTSTART")
    assert (start.hour, start.minute) == (10, 0)
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC)
    # a VTIMEZONE for the TZID, with the summer-time change of that day
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Berlin"
    daylight = [c.decoded("DTSTART") for c in vtimezone.walk("DAYLIGHT")]
    assert dt.datetime(2026, 3, 29, 3, 0) in daylight
    assert not calendar.get_missing_tzids()

    assert str(vevent["SUMMARY"]) == "Auftaktworkshop"
    assert str(vevent["LOCATION"]) == "Rathaus Ahornstadt, Saal 2"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    page = f"https://innolab.example/labs/{lab_x.slug}/"
    assert str(vevent["URL"]).startswith(page)
    description = str(vevent["DESCRIPTION"])
    assert "Begrüßung\nMissionen schärfen" in description
    assert str(vevent["URL"]) in description


def test_a_winter_event_has_the_winter_offset(lab_x):
    event = make_event(lab_x, start=dt.datetime(2026, 12, 1, 9, 30, tzinfo=BERLIN))
    vevent = only_event(parse(ics.event_ics(event)))
    start = vevent.decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (9, 30, dt.timedelta(hours=1))


def test_the_uid_is_stable_and_the_sequence_counts_the_announced_changes(lab_x):
    event = make_event(lab_x)
    first = only_event(parse(ics.event_ics(event)))
    assert str(first["UID"]) == f"event-{event.pk}@innolab.events"
    assert first.decoded("SEQUENCE") == 0

    event.starts_at += dt.timedelta(hours=1)
    event.ends_at += dt.timedelta(hours=1)
    event.sequence += 1
    event.save()
    second = only_event(parse(ics.event_ics(event)))
    assert str(second["UID"]) == str(first["UID"])
    assert second.decoded("SEQUENCE") == 1
    assert second.decoded("DTSTART") == first.decoded("DTSTART") + dt.timedelta(hours=1)


def test_a_cancelled_event_is_a_cancel_with_status_cancelled(lab_x):
    event = make_event(lab_x)
    event.cancelled_at = timezone.now()
    event.sequence = 2
    event.save()
    calendar = parse(ics.event_ics(event, method="CANCEL", attendee_email="anna@example.org"))
    vevent = only_event(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent.decoded("SEQUENCE") == 2
    assert str(vevent["ATTENDEE"]) == "mailto:anna@example.org"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    # in a download or a feed it stays visible as cancelled
    published = parse(ics.event_ics(event))
    assert published["METHOD"] == "PUBLISH"
    assert str(only_event(published)["STATUS"]) == "CANCELLED"


def test_online_and_hybrid_events_name_the_link_as_location(lab_x):
    online = make_event(lab_x, format="online", online_url="https://meet.example/innolab")
    hybrid = make_event(
        lab_x, format="hybrid", place="Rathaus", online_url="https://meet.example/h"
    )
    assert str(only_event(parse(ics.event_ics(online)))["LOCATION"]) == (
        "https://meet.example/innolab"
    )
    assert str(only_event(parse(ics.event_ics(hybrid)))["LOCATION"]) == (
        "Rathaus · https://meet.example/h"
    )


# --- the download ------------------------------------------------------------------------------


def test_the_download_is_an_attachment_in_text_calendar(client_as, lab_x, cohort_x, tandem_a):
    event = make_event(lab_x, cohorts=[cohort_x])
    response = client_as(tandem_a).get(reverse("event_ics", args=[lab_x.slug, event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'
    vevent = only_event(parse(response.content))
    assert str(vevent["UID"]) == ics.event_uid(event)
    assert str(vevent["URL"]).startswith("http://testserver/")


def test_the_download_of_an_event_of_another_cohort_is_404_for_a_tandem_member(
    client_as, lab_x, cohort_y, tandem_a, lab_y
):
    other = make_event(lab_x)  # no cohort, not open to guests, tandem A not invited
    assert (
        client_as(tandem_a).get(reverse("event_ics", args=[lab_x.slug, other.pk])).status_code
        == 404
    )
    # an event id of lab Y under lab X's address
    foreign = make_event(lab_y, cohorts=[cohort_y])
    url = reverse("event_ics", args=[lab_x.slug, foreign.pk])
    assert client_as(tandem_a).get(url).status_code == 404


# --- the feed ----------------------------------------------------------------------------------


def feed_url(user) -> str:
    feed = ics.calendar_feed_create(user=user)
    return reverse("calendar_feed", args=[ics.feed_token(feed)])


def feed_uids(response) -> set[str]:
    return {str(v["UID"]) for v in parse(response.content).walk("VEVENT")}


def test_the_feed_holds_the_persons_events_and_nobody_elses(
    client, lab_x, lab_y, cohort_x, tandem_a, tandem_b
):
    now = timezone.now()
    registered = make_event(lab_x, cohorts=[cohort_x], title="Registered")
    register(registered, tandem_a)
    invited = make_event(lab_x, cohorts=[cohort_x], title="Invited")
    register(invited, tandem_a, RegistrationStatus.INVITED)
    waitlisted = make_event(lab_x, cohorts=[cohort_x], title="Waiting list")
    register(waitlisted, tandem_a, RegistrationStatus.WAITLISTED)
    cancelled = make_event(lab_x, cohorts=[cohort_x], title="Cancelled", cancelled_at=now)
    register(cancelled, tandem_a)
    recent = make_event(lab_x, start=now - dt.timedelta(days=30), title="Last month")
    register(recent, tandem_a)
    # not in A's feed
    declined = make_event(lab_x, cohorts=[cohort_x], title="Declined")
    register(declined, tandem_a, RegistrationStatus.DECLINED)
    old = make_event(lab_x, start=now - dt.timedelta(days=120), title="Long ago")
    register(old, tandem_a)
    bs_event = make_event(lab_x, cohorts=[cohort_x], title="Only B")
    register(bs_event, tandem_b)
    not_invited = make_event(lab_x, cohorts=[cohort_x], title="Nobody invited A")
    foreign = make_event(lab_y, title="A lab A cannot open")
    register(foreign, tandem_a)

    response = client.get(feed_url(tandem_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    calendar = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert feed_uids(response) == {
        ics.event_uid(e) for e in (registered, invited, waitlisted, cancelled, recent)
    }
    statuses = {str(v["SUMMARY"]): str(v["STATUS"]) for v in calendar.walk("VEVENT")}
    assert statuses["Cancelled"] == "CANCELLED"
    assert statuses["Registered"] == "CONFIRMED"
    assert ics.event_uid(not_invited) not in feed_uids(response)

    # B's own feed has B's event only
    response_b = client.get(feed_url(tandem_b))
    assert feed_uids(response_b) == {ics.event_uid(bs_event)}


def test_the_feed_speaks_its_owners_language(client, lab_x, participation_a, tandem_a, tandem_b):
    event = make_event(lab_x)
    register(event, tandem_a)
    register(event, tandem_b)
    now = timezone.now()
    Invitation.objects.create(  # tandem A came to the platform through an English invitation
        lab=lab_x,
        participation=participation_a,
        email=tandem_a.email,
        role=InvitationRole.TANDEM_MEMBER,
        token_salt="a" * 64,
        token_hash="b" * 64,
        language="en",
        expires_at=now + dt.timedelta(days=1),
        accepted_at=now,
        accepted_by=tandem_a,
    )

    def categories(user) -> str:
        (vevent,) = parse(client.get(feed_url(user)).content).walk("VEVENT")
        return vevent["CATEGORIES"].to_ical().decode()

    assert categories(tandem_a) == "Kick-off workshop"
    assert categories(tandem_b) == "Auftaktworkshop"


def test_a_wrong_token_is_404(client, tandem_a):
    ics.calendar_feed_create(user=tandem_a)
    assert client.get(reverse("calendar_feed", args=["x" * 43])).status_code == 404
    assert client.get("/calendar/.ics").status_code == 404


def test_a_revoked_feed_is_404(client, tandem_a):
    url = feed_url(tandem_a)
    assert client.get(url).status_code == 200
    assert ics.calendar_feed_revoke(user=tandem_a)
    assert client.get(url).status_code == 404


def test_a_renewed_feed_gives_a_new_address_and_the_old_one_is_404(client, tandem_a):
    old_url = feed_url(tandem_a)
    feed = ics.calendar_feed_renew(user=tandem_a)
    new_url = reverse("calendar_feed", args=[ics.feed_token(feed)])
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_the_token_is_not_stored(tandem_a):
    feed = ics.calendar_feed_create(user=tandem_a)
    token = ics.feed_token(feed)
    stored = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert token not in {str(v) for v in stored.values()}


def test_the_feed_of_a_deactivated_account_is_404(client, tandem_a):
    url = feed_url(tandem_a)
    tandem_a.is_active = False
    tandem_a.save()
    assert client.get(url).status_code == 404


def test_the_feed_needs_the_same_queries_for_many_events(client, lab_x, cohort_x, tandem_a):
    register(make_event(lab_x, cohorts=[cohort_x]), tandem_a)

    def grow():
        for i in range(25):
            event = make_event(lab_x, cohorts=[cohort_x], title=f"Workshop {i}")
            register(event, tandem_a, RegistrationStatus.INVITED)

    assert_constant_queries(client, feed_url(tandem_a), grow)


# --- the calendar page -------------------------------------------------------------------------


def test_the_calendar_page_creates_renews_and_deletes_the_address(client_as, tandem_a):
    client = client_as(tandem_a)
    url = reverse("calendar_settings")
    response = client.get(url)
    assert response.status_code == 200
    assert "You have no calendar address yet." in text(response)

    response = client.post(url, {"action": "create"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(user=tandem_a)
    first = "http://testserver" + reverse("calendar_feed", args=[ics.feed_token(feed)])
    page = text(client.get(url))
    assert first in page
    assert "webcal://testserver/calendar/" in page

    client.post(url, {"action": "create"})  # a second click keeps the address
    assert CalendarFeed.objects.get(user=tandem_a).token_hash == feed.token_hash

    client.post(url, {"action": "renew"})
    feed.refresh_from_db()
    second = "http://testserver" + reverse("calendar_feed", args=[ics.feed_token(feed)])
    assert second != first
    page = text(client.get(url))
    assert second in page and first not in page

    client.post(url, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=tandem_a).exists()
    assert client.get(second.removeprefix("http://testserver")).status_code == 404


def test_an_unknown_action_changes_nothing(client_as, tandem_a):
    ics.calendar_feed_create(user=tandem_a)
    before = CalendarFeed.objects.get(user=tandem_a).token_hash
    response = client_as(tandem_a).post(reverse("calendar_settings"), {"action": "explode"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Please choose what to do with your calendar address." in text(response)
    assert CalendarFeed.objects.get(user=tandem_a).token_hash == before
    # the shared error summary links the error to the first button, which takes the focus
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#id_action" data-error-link="id_action"' in body
    assert 'value="renew" class="kern-btn kern-btn--secondary" id="id_action"' in body
    assert body.count('id="id_action"') == 1


def test_one_persons_page_never_shows_another_persons_address(client_as, tandem_a, tandem_b):
    token_a = ics.feed_token(ics.calendar_feed_create(user=tandem_a))
    page = text(client_as(tandem_b).get(reverse("calendar_settings")))
    assert token_a not in page
    assert "You have no calendar address yet." in page


def test_the_menu_links_the_calendar_page(client_as, tandem_a):
    page = text(client_as(tandem_a).get(reverse("home")))
    assert f'href="{reverse("calendar_settings")}"' in page


def test_the_event_page_offers_the_download_and_the_subscription(
    client_as, lab_x, cohort_x, tandem_a
):
    event = make_event(lab_x, cohorts=[cohort_x])
    register(event, tandem_a)
    page = text(client_as(tandem_a).get(reverse("event_detail", args=[lab_x.slug, event.pk])))
    assert f'href="{reverse("event_ics", args=[lab_x.slug, event.pk])}"' in page
    assert f'href="{reverse("calendar_settings")}"' in page
    assert "Download as calendar file (.ics)" in page

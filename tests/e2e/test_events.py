"""A coordinator plans a workshop, invites a municipality, its tandem member registers in their own
browser, and the coordinator records attendance; axe-core checks every page on the way."""

import re

import pytest
from django.urls import reverse

from events.models import Event, EventRegistration, EventType, RegistrationStatus
from tandems import services as tandem_services

from .conftest import (
    COORDINATOR_EMAIL,
    axe_check,
    e2e_make_user,
    field,
    follow,
    force_login_cookie,
    login,
    shot,
    submit,
)

pytestmark = pytest.mark.e2e

MEMBER_EMAIL = "tilda.tandem@eichenau.example"


@pytest.fixture
def e2e_member(e2e_participation):
    user = e2e_make_user(email=MEMBER_EMAIL, name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=user, department="Bürgeramt"
    )
    return user


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_plan_invite_register_and_record_attendance(
    e2e_participation, e2e_member, live_server, page, browser,
    browser_context_args,
):  # fmt: skip
    base = live_server.url
    cohort = e2e_participation.cohort
    lab = cohort.lab

    # The coordinator opens the lab's events and plans a kick-off workshop.
    login(page, base, COORDINATOR_EMAIL)
    page.goto(f"{base}/labs/{lab.slug}/")
    follow(page, page.locator(f"main a[href='/labs/{lab.slug}/events/']"))
    axe_check(page, label="event list (empty)")
    follow(page, page.locator(f"main a[href='/labs/{lab.slug}/events/new/']"))
    axe_check(page, label="event form")
    shot(page, "70-event-form")
    field(page, "type").select_option(str(EventType.objects.get(lab=None, code="kickoff").pk))
    field(page, "title").fill("Auftaktworkshop Ost")
    field(page, "starts_at").fill("2030-03-12T10:00")
    field(page, "ends_at").fill("2030-03-12T09:00")  # before the start: refused
    field(page, "place").fill("Rathaus Eichenau, Ratssaal")
    field(page, "capacity").fill("12")
    page.locator(f"main input[name='cohorts'][value='{cohort.pk}']").check()
    submit(page)
    assert page.locator("main .kern-error").first.is_visible()
    axe_check(page, label="event form with an error")
    field(page, "ends_at").fill("2030-03-12T16:00")
    submit(page)
    event = Event.objects.get(title="Auftaktworkshop Ost")
    assert _path(page) == reverse("event_detail", args=[lab.slug, event.pk])
    assert "10:00" in page.locator("main").inner_text()
    axe_check(page, label="event detail (coordinator)")
    shot(page, "71-event-detail")

    # Invite the municipality Eichenau: all its tandem members.
    follow(page, page.locator(f"main a[href='/labs/{lab.slug}/events/{event.pk}/invite/']"))
    axe_check(page, label="invite page")
    page.locator(f"main input[name='participations'][value='{e2e_participation.pk}']").check()
    submit(page)
    assert "Tilda Tandem" in page.locator("#invited").locator("xpath=..").inner_text()
    axe_check(page, label="invite page after inviting")
    shot(page, "72-event-invite")
    registration = EventRegistration.objects.get(event=event, user=e2e_member)
    assert registration.status == RegistrationStatus.INVITED

    # The tandem member, in a browser of their own, registers.
    context = browser.new_context(**browser_context_args)
    try:
        member_page = context.new_page()
        force_login_cookie(context, base, e2e_member)
        member_page.goto(f"{base}/events/")
        axe_check(member_page, label="my events")
        follow(
            member_page, member_page.locator(f"main a[href='/labs/{lab.slug}/events/{event.pk}/']")
        )
        axe_check(member_page, label="event detail (invited member)")
        follow(member_page, member_page.locator("main button[name='answer'][value='register']"))
        assert member_page.locator("main .registration-registered").is_visible()
        axe_check(member_page, label="event detail (registered member)")
        shot(member_page, "73-event-registered")
    finally:
        context.close()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED

    # After the event the coordinator records attendance on one screen.
    page.goto(f"{base}/labs/{lab.slug}/events/{event.pk}/attendance/")
    axe_check(page, label="attendance sheet")
    page.locator(f"main label[for='id_attendance-{registration.pk}_1']").click()
    shot(page, "74-event-attendance")
    submit(page)
    registration.refresh_from_db()
    assert registration.attendance == "present"
    axe_check(page, label="attendance sheet after saving")

    # The cohort dashboard counts past events only (tests/events/test_left_and_listing.py): this
    # one is still to come, so it is the next workshop and not yet in attended / invited; its
    # timeline shows the event.
    page.goto(f"{base}/labs/{lab.slug}/cohorts/{cohort.slug}/")
    row = page.locator("main table tbody tr").filter(has_text="Eichenau").inner_text()
    assert "1 / 1" not in row and "12.03.2030" in row
    follow(page, page.locator(f"main a[href='/labs/{lab.slug}/cohorts/{cohort.slug}/timeline/']"))
    axe_check(page, label="timeline without phases")
    field(page, "orientation_starts_on").fill("2030-01-01")
    field(page, "orientation_ends_on").fill("2030-04-30")
    field(page, "mission_starts_on").fill("2030-05-01")
    field(page, "mission_ends_on").fill("2030-08-31")
    submit(page)
    assert page.locator("main .timeline__phase").count() == 2
    assert "Auftaktworkshop Ost" in page.locator("main table").first.inner_text()
    axe_check(page, label="timeline")
    shot(page, "76-cohort-timeline")
    page.goto(f"{base}/labs/{lab.slug}/events/")
    axe_check(page, label="event list")
    shot(page, "75-event-list")

    # The outcomes, and the confirmation before a cancellation (not confirmed here).
    page.goto(f"{base}/labs/{lab.slug}/events/{event.pk}/outcomes/")
    axe_check(page, label="outcomes form")
    field(page, "outcomes").fill("Leitbild-Entwurf vereinbart.")
    submit(page)
    assert "Leitbild-Entwurf vereinbart." in page.locator("main").inner_text()
    page.goto(f"{base}/labs/{lab.slug}/events/{event.pk}/cancel/")
    axe_check(page, label="cancel confirmation")
    event.refresh_from_db()
    assert event.cancelled_at is None and event.outcomes == "Leitbild-Entwurf vereinbart."

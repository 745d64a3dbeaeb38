"""A coordinator sets up a lab and invites a tandem member, who accepts in their own browser."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from labs import services
from labs.models import Invitation, InvitationRole

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

INVITEE_EMAIL = "tarek.tandem@eichenau.example"
INVITEE_NAME = "Tarek Tandem"
INVITEE_PASSWORD = "Lindenblatt-im-Wind-42"
LINK_RE = re.compile(r"https?://\S+/invitations/[\w-]+/")


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_coordinator_invites_a_tandem_member_who_accepts(
    e2e_coordinator, live_server, page, browser, browser_context_args
):
    base = live_server.url

    # The coordinator logs in.
    page.goto(f"{base}/accounts/login/")
    axe_check(page, label="login page")
    shot(page, "01-login")
    login(page, base, COORDINATOR_EMAIL)
    assert _path(page) == "/"

    # A new lab.
    page.goto(f"{base}/labs/new/")
    axe_check(page, label="lab form")
    shot(page, "02-lab-form")
    field(page, "name").fill("InnoLab Nord")
    field(page, "slug").fill("innolab-nord")
    field(page, "organiser").fill("Koordinationsstelle Vielfalt, Hamburg")
    submit(page)
    assert _path(page) == "/labs/innolab-nord/"
    shot(page, "03-lab-detail")

    # A cohort, reached through the lab's own link.
    follow(page, page.locator("main a[href='/labs/innolab-nord/cohorts/new/']"))
    field(page, "name").fill("Kohorte 1")
    field(page, "slug").fill("kohorte-1")
    field(page, "start_date").fill("2026-02-01")
    field(page, "end_date").fill("2026-12-31")
    submit(page)
    assert _path(page) == "/labs/innolab-nord/cohorts/kohorte-1/"
    axe_check(page, label="cohort dashboard (empty)")
    shot(page, "04-cohort-dashboard-empty")

    # "Admit" first: the municipality is not in the list yet, so follow the form's hint.
    follow(page, page.locator("main a[href='/labs/innolab-nord/cohorts/kohorte-1/admit/']"))
    axe_check(page, label="admit form without municipalities")
    follow(page, page.locator("main a[href='/labs/innolab-nord/municipalities/new/']"))
    axe_check(page, label="municipality form")
    shot(page, "05-municipality-form")
    field(page, "name").fill("Eichenau")
    field(page, "ags").fill("02000000")
    field(page, "state").select_option("HH")
    field(page, "district").fill("kreisfrei")
    submit(page)
    assert _path(page) == "/labs/innolab-nord/municipalities/"
    assert "02000000" in page.locator("main table").inner_text()
    axe_check(page, label="municipality list")
    shot(page, "06-municipality-list")

    # Admit it.
    page.goto(f"{base}/labs/innolab-nord/cohorts/kohorte-1/admit/")
    municipality_select = field(page, "municipality")
    municipality_select.select_option(label="Eichenau")
    axe_check(page, label="admit form")
    shot(page, "07-admit-form")
    submit(page)
    assert _path(page) == "/labs/innolab-nord/cohorts/kohorte-1/"
    row_link = page.get_by_role("link", name="Eichenau", exact=True)
    axe_check(page, label="cohort dashboard with a municipality")
    shot(page, "08-cohort-dashboard")

    # The municipality's page, then "invite tandem member".
    follow(page, row_link)
    participation_path = _path(page)
    assert re.fullmatch(
        r"/labs/innolab-nord/cohorts/kohorte-1/municipalities/\d+/", participation_path
    ), participation_path
    axe_check(page, label="participation page (coordinator)")
    shot(page, "09-participation-coordinator")
    follow(page, page.locator("main a[href*='/invitations/new/?participation=']"))
    # The link pre-selects the role and the municipality.
    assert field(page, "role").input_value() == InvitationRole.TANDEM_MEMBER
    assert (
        field(page, "participation").locator("option:checked").inner_text().startswith("Eichenau")
    )
    axe_check(page, label="invitation form")
    shot(page, "10-invitation-form")
    field(page, "email").fill(INVITEE_EMAIL)
    field(page, "name").fill(INVITEE_NAME)
    submit(page)
    # Back where the coordinator came from, with a confirmation.
    assert _path(page) == participation_path
    assert INVITEE_EMAIL in page.locator("main .messages").inner_text()
    page.goto(f"{base}/labs/innolab-nord/people/")
    assert INVITEE_EMAIL in page.locator("main").inner_text()
    axe_check(page, label="people and invitations")
    shot(page, "11-people")

    # The e-mail (locmem backend; the live server runs in this process).
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [INVITEE_EMAIL]
    links = LINK_RE.findall(message.body)
    assert len(links) == 1, message.body
    link = links[0]
    assert link.startswith(base)

    # The invitee, in a browser of their own.
    invitee_context = browser.new_context(**browser_context_args)
    try:
        invitee = invitee_context.new_page()
        response = invitee.goto(link)
        assert response.status == 200
        assert "Eichenau" in invitee.locator("main").inner_text()
        assert INVITEE_EMAIL in invitee.locator("main").inner_text()
        axe_check(invitee, label="accept page")
        shot(invitee, "12-accept")
        field(invitee, "name").fill(INVITEE_NAME)
        field(invitee, "password1").fill(INVITEE_PASSWORD)
        field(invitee, "password2").fill(INVITEE_PASSWORD)
        submit(invitee)
        assert _path(invitee) == participation_path
        assert invitee.get_by_role("heading", level=1).inner_text().strip() == "Eichenau"
        assert INVITEE_NAME in invitee.locator("main").inner_text()
        axe_check(invitee, label="participation page (tandem member)")
        shot(invitee, "13-participation-tandem")

        # The link works once.
        response = invitee.goto(link)
        assert response.status == 410
        assert invitee.locator("main input[type=password]").count() == 0
        axe_check(invitee, label="not-valid page (used link)")
        shot(invitee, "14-link-used")
    finally:
        invitee_context.close()

    invitation = Invitation.objects.get(email=INVITEE_EMAIL)
    assert invitation.accepted_by.email == INVITEE_EMAIL
    assert invitation.accepted_by.name == INVITEE_NAME


def test_expired_invitation_shows_the_not_valid_page(
    e2e_coordinator, e2e_participation, live_server, page
):
    participation = e2e_participation
    invitation, token = services.invitation_create(
        lab=participation.cohort.lab,
        invited_by=e2e_coordinator,
        email="spaet@example.org",
        role=InvitationRole.TANDEM_MEMBER,
        participation=participation,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = page.goto(f"{live_server.url}/invitations/{token}/")

    assert response.status == 410
    assert page.locator("main input[type=password]").count() == 0
    assert page.locator("main a[href^='/accounts/login/']").count() == 1
    axe_check(page, label="not-valid page (expired)")
    shot(page, "15-link-expired")


def test_accept_form_declares_the_purpose_of_its_fields(
    e2e_coordinator, e2e_participation, live_server, page
):
    _invitation, token = services.invitation_create(
        lab=e2e_participation.cohort.lab,
        invited_by=e2e_coordinator,
        email="neu@example.org",
        role=InvitationRole.TANDEM_MEMBER,
        participation=e2e_participation,
    )
    page.goto(f"{live_server.url}/invitations/{token}/")

    assert field(page, "password1").get_attribute("autocomplete") == "new-password"
    assert field(page, "password2").get_attribute("autocomplete") == "new-password"
    assert field(page, "name").get_attribute("autocomplete") == "name"


def test_used_link_does_not_ask_a_logged_in_person_to_log_in(
    e2e_coordinator, e2e_participation, live_server, page
):
    invitation, token = services.invitation_create(
        lab=e2e_participation.cohort.lab,
        invited_by=e2e_coordinator,
        email="schon-da@example.org",
        role=InvitationRole.TANDEM_MEMBER,
        participation=e2e_participation,
    )
    member = e2e_make_user(email="schon-da@example.org", name="Schon Da")
    services.invitation_accept(token=token, user=member)
    force_login_cookie(page.context, live_server.url, member)

    response = page.goto(f"{live_server.url}/invitations/{token}/")

    assert response.status == 410
    assert page.locator("main a[href^='/accounts/login/']").count() == 0

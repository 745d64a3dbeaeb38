"""A tandem member's failed "add measure": the over-long text is kept, not cut; the error summary
takes the focus and its links move the focus to the fields. The same for the coordinator's review
panel (a return without a comment)."""

import pytest

from missions import services as mission_services
from missions.models import Measure, MissionProfile
from tandems import services as tandem_services

from .conftest import axe_check, e2e_make_user, force_login_cookie
from .test_mission_review import GOAL

pytestmark = pytest.mark.e2e


@pytest.fixture
def e2e_member(e2e_participation):
    user = e2e_make_user(email="tandem.ost@example.org", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=user, department="Personalamt"
    )
    MissionProfile.objects.get_or_create(participation=e2e_participation)
    return user


def test_failed_measure_keeps_text_and_links_errors(
    e2e_participation, e2e_member, live_server, page, context
):
    base = live_server.url
    force_login_cookie(context, base, e2e_member)
    prefix = f"/labs/innolab-ost/cohorts/kohorte-1/municipalities/{e2e_participation.pk}/mission"
    page.goto(f"{base}{prefix}/mission/")
    page.locator("#measure-add summary").click()

    responsible = page.locator("[name='new-measure-responsible']")
    assert responsible.get_attribute("maxlength") is None
    too_long = "Personalamt und Integrationsbeauftragte " * 6  # 240 characters, limit 200
    responsible.fill(too_long)  # fill() pastes at once, like Ctrl+V
    assert responsible.input_value() == too_long  # the browser cut nothing
    page.locator("#measure-add-save").click()

    summary = page.locator("#measures-section [data-error-summary]")
    summary.wait_for()
    page.wait_for_function("document.activeElement.hasAttribute('data-error-summary')")
    assert responsible.input_value() == too_long
    assert Measure.objects.count() == 0
    links = summary.locator("a[data-error-link]")
    assert links.count() == 2

    links.nth(0).click()
    assert page.evaluate("document.activeElement.id") == "id_new-measure-title"
    links.nth(1).click()
    assert page.evaluate("document.activeElement.id") == "id_new-measure-responsible"
    assert page.locator("#id_new-measure-responsible_error").is_visible()

    axe_check(page, label="measure errors")


def test_a_return_without_comment_links_the_comment_field(
    e2e_participation, e2e_member, e2e_coordinator, live_server, page, context
):
    """The review panel's error summary is the shared one: after the swap it takes the focus,
    and its link moves the focus to the comment the return needs."""
    profile = MissionProfile.objects.get(participation=e2e_participation)
    profile = mission_services.profile_update(
        profile=profile,
        user=e2e_member,
        expected_version=None,
        vision="Eine Verwaltung, in der sich alle wiederfinden.",
        mission_statement="Bis 2027 öffnen wir die Ausbildung.",
    )
    mission_services.goal_create(profile=profile, user=e2e_member, **GOAL)
    mission_services.profile_review(profile=profile, user=e2e_member, action="submit")

    base = live_server.url
    force_login_cookie(context, base, e2e_coordinator)
    prefix = f"/labs/innolab-ost/cohorts/kohorte-1/municipalities/{e2e_participation.pk}/mission"
    page.goto(f"{base}{prefix}/mission/")
    page.locator("#review-return").click()

    summary = page.locator("#review-panel [data-error-summary]")
    summary.wait_for()
    page.wait_for_function("document.activeElement.hasAttribute('data-error-summary')")
    links = summary.locator("a[data-error-link]")
    assert links.count() == 1
    links.first.click()
    assert page.evaluate("document.activeElement.id") == "id_review-comment"
    assert MissionProfile.objects.get(pk=profile.pk).status == "submitted"

    axe_check(page, label="review errors")

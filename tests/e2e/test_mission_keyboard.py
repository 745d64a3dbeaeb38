"""A tandem member writes a mission profile through its three steps with the keyboard alone."""

import datetime

import pytest

from missions.models import MissionProfile
from tandems import services as tandem_services

from .conftest import axe_check, e2e_make_user, force_login_cookie, shot

pytestmark = pytest.mark.e2e


def _tab_to(page, selector: str, *, limit: int = 120) -> None:
    """Press Tab until the focused element matches `selector`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def _type_into(page, selector: str, text: str) -> None:
    _tab_to(page, selector)
    page.keyboard.type(text)


@pytest.fixture
def e2e_member(e2e_participation):
    user = e2e_make_user(email="tandem.ost@example.org", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=user, department="Personalamt"
    )
    return user


def test_profile_written_with_the_keyboard_only(
    e2e_participation, e2e_member, live_server, page, context
):
    base = live_server.url
    force_login_cookie(context, base, e2e_member)
    prefix = f"/labs/innolab-ost/cohorts/kohorte-1/municipalities/{e2e_participation.pk}/mission"

    # Step 1: vision and challenge.
    page.goto(f"{base}{prefix}/vision/")
    axe_check(page, label="step 1")
    _type_into(page, "[name=challenge]", "Die Verwaltung spiegelt die Stadtgesellschaft kaum.")
    _type_into(page, "[name=vision]", "Eine Verwaltung, in der sich alle wiederfinden.")
    _tab_to(page, "[name=dimensions][value=age]")
    page.keyboard.press("Space")
    _tab_to(page, "[name=dimensions][value=social_origin]")
    page.keyboard.press("Space")
    _type_into(page, "[name=stakeholders]", "Personalrat, Integrationsbeirat")
    _tab_to(page, "#vision-continue")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{prefix}/goals/")
    profile = MissionProfile.objects.get(participation=e2e_participation)
    assert profile.vision == "Eine Verwaltung, in der sich alle wiederfinden."
    assert sorted(profile.dimensions) == ["age", "social_origin"]

    # Step 2: one SMART goal.
    axe_check(page, label="step 2")
    _type_into(
        page, "[name='new-goal-statement']", "Mehr Auszubildende mit Einwanderungsgeschichte"
    )
    _type_into(page, "[name='new-goal-indicator']", "Anteil an den Auszubildenden")
    _type_into(page, "[name='new-goal-unit']", "%")
    _type_into(page, "[name='new-goal-baseline']", "12")
    _type_into(page, "[name='new-goal-target']", "25")
    # Headless Chromium shows date inputs as mm/dd/yyyy whatever the page's language.
    _type_into(page, "[name='new-goal-deadline']", "12312027")
    assert page.locator("[name='new-goal-deadline']").input_value() == "2027-12-31"
    _type_into(page, "[name='new-goal-owner']", "Personalamt")
    _type_into(page, "[name='new-goal-achievability']", "Kooperation mit Schulen")
    _type_into(page, "[name='new-goal-relevance']", "Nachwuchs aus der ganzen Stadt")
    _tab_to(page, "#goal-add-submit")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.goal-card').length === 1")
    goal = profile.goals.get()
    assert goal.target == 25
    assert goal.deadline == datetime.date(2027, 12, 31)
    assert goal.smart_missing == []
    shot(page, "mission-step-2-keyboard")
    axe_check(page, label="step 2 with a goal")

    # On to step 3 by the step navigation.
    _tab_to(page, f"a[href='{prefix}/mission/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page, label="step 3")
    _type_into(page, "[name='mission-mission_statement']", "Bis 2027 öffnen wir die Ausbildung.")
    _type_into(page, "[name='mission-resources']", "Eine halbe Stelle, 5.000 Euro")
    _type_into(page, "[name='mission-risks']", "Fachkräftemangel in den Schulen")
    _tab_to(page, "#mission-save")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('#mission-save') || !document.querySelector('.htmx-request')"
    )
    page.wait_for_timeout(300)
    profile.refresh_from_db()
    assert profile.mission_statement == "Bis 2027 öffnen wir die Ausbildung."

    # A measure: open the folded form with Enter, fill it, add it.
    _tab_to(page, "#measure-add > summary")
    page.keyboard.press("Enter")
    _type_into(page, "[name='new-measure-title']", "Ausbildungsmesse in zwei Stadtteilen")
    _type_into(page, "[name='new-measure-responsible']", "Personalamt")
    _tab_to(page, "[name='new-measure-goals']")
    page.keyboard.press("Space")
    _tab_to(page, "#measure-add button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.body.innerText.includes('Ausbildungsmesse in zwei Stadtteilen')"
    )
    measure = profile.measures.get()
    assert list(measure.goals.all()) == [goal]
    shot(page, "mission-step-3-keyboard")
    axe_check(page, label="step 3 with a measure")

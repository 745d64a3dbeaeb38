"""A coordinator adds a catalogue indicator; a tandem member's goal picks it and the goal appears in
the cohort's comparison, next to a shared goal of another municipality (issue 19)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from labs import services as lab_services
from labs.models import State
from missions import services as mission_services
from missions.models import MissionProfile, SmartGoal
from tandems import services as tandem_services

from .conftest import axe_check, e2e_make_user, force_login_cookie, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def neighbour(e2e_participation, e2e_coordinator):
    """Fichtenau in the same cohort, whose tandem shared a goal on "Geschulte Beschäftigte"
    (created by the browser test's coordinator first: the indicator is made in the test)."""
    cohort = e2e_participation.cohort
    municipality = lab_services.municipality_create(
        lab=cohort.lab, name="Fichtenau", ags="12054001", state=State.BB, district="kreisfrei"
    )
    participation = lab_services.participation_admit(cohort=cohort, municipality=municipality)
    user = e2e_make_user(email="tandem.fichtenau@example.org", name="Frida Fichte")
    tandem_services.tandem_member_add(participation=participation, user=user, department="Amt 10")
    return participation, user


def test_a_goal_picks_a_catalogue_indicator_and_is_compared_in_the_cohort(
    e2e_coordinator, e2e_participation, neighbour, live_server, browser, browser_context_args
):
    base = live_server.url
    lab, cohort = e2e_participation.cohort.lab, e2e_participation.cohort

    # the coordinator adds the indicator to the lab's catalogue
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    force_login_cookie(context, base, e2e_coordinator)
    page.goto(base + reverse("lab_detail", args=[lab.slug]))
    page.get_by_role("link", name="Kennzahlenkatalog").click()
    page.get_by_role("link", name="Neue Kennzahl").click()
    axe_check(page, label="new indicator")
    page.get_by_label("Name", exact=True).fill("Geschulte Beschäftigte")
    page.get_by_label("Definition", exact=True).fill("Beschäftigte mit einer Schulung zu Vielfalt.")
    page.get_by_label("Einheit", exact=True).fill("Personen")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/indicators/")
    assert "Geschulte Beschäftigte" in page.locator("main").inner_text()
    axe_check(page, label="catalogue")
    context.close()

    # the neighbour's tandem shared its goal on it, with a reported value
    participation_f, user_f = neighbour
    indicator = lab.indicators.get()
    profile_f = MissionProfile.objects.get(participation=participation_f)
    goal_f = mission_services.goal_create(
        profile=profile_f,
        user=user_f,
        statement="Alle Führungskräfte der Fichtenauer Verwaltung geschult",
        catalogue_indicator=indicator,
        baseline=Decimal(0),
        target=Decimal(40),
    )
    mission_services.progress_add(
        goal=goal_f, user=user_f, value=Decimal(10), on=dt.date.today() - dt.timedelta(days=3)
    )
    mission_services.profile_share(profile=profile_f, user=user_f, shared=True)

    # the tandem member of Eichenau picks it for a new goal, on a phone
    member = e2e_make_user(email="tandem.eichenau@example.org", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=member, department="Personalamt"
    )
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
    page = context.new_page()
    force_login_cookie(context, base, member)
    page.goto(
        base + reverse("mission_step_goals", args=[lab.slug, cohort.slug, e2e_participation.pk])
    )
    page.locator("[name='new-goal-statement']").fill("Mehr geschulte Beschäftigte in Eichenau")
    page.locator("[name='new-goal-catalogue_indicator']").select_option(label=str(indicator))
    page.locator("[name='new-goal-baseline']").fill("5")
    page.locator("[name='new-goal-target']").fill("25")
    page.locator("#goal-add-submit").click()
    page.wait_for_function("() => document.querySelectorAll('.goal-card').length === 1")
    goal = SmartGoal.objects.get(profile__participation=e2e_participation)
    assert (goal.catalogue_indicator, goal.indicator, goal.unit) == (
        indicator,
        "Geschulte Beschäftigte",
        "Personen",
    )
    assert "aus dem Katalog" in page.locator(".goal-card").inner_text()

    # … and finds it in the cohort's comparison, beside Fichtenau's shared goal
    page.goto(base + reverse("cohort_indicators", args=[lab.slug, cohort.slug]))
    section = page.locator("section.indicator-comparison")
    text = section.inner_text()
    assert "Eichenau" in text and "Fichtenau" in text
    assert "25 %" in text  # Fichtenau: 10 of the way from 0 to 40
    chart = section.locator("figure img")
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=chart.element_handle())
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "indicator-comparison-320")
    axe_check(page, label="indicator comparison at 320 px")
    context.close()

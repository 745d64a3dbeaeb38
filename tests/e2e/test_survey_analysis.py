"""A coordinator reads a survey's results and the baseline-vs-final comparison in the browser.

axe-core checks the analysis page (all respondents and, after the htmx switch, by municipality)
and the comparison page; the charts are inline SVG with title and description.
"""

import random

import pytest

from evaluations.models import SurveyKind
from labs import services as lab_services
from labs.models import State
from tests.evaluations.builders import add_responses, make_survey

from .conftest import axe_check, field, follow, force_login_cookie, shot, submit

pytestmark = pytest.mark.e2e

PREFIX = "/labs/innolab-ost/cohorts/kohorte-1/surveys"


def _answers(rng: random.Random, n: int, shift: int = 0) -> list[dict]:
    return [
        {
            "q_agree": max(-2, min(2, rng.choice([-2, -1, 0, 0, 1, 1, 2]) + shift)),
            "q_sat": rng.randint(1, 5),
            "q_role": rng.choice(["verwaltung", "politik", "andere"]),
            "q_formats": rng.sample(["workshop", "seminar", "beratung"], rng.randint(1, 2)),
            "q_hours": rng.randint(0, 20) / 2,
            "q_comment": rng.choice(["", "Mehr Austausch, bitte.", "Sehr hilfreich."]),
        }
        for _ in range(n)
    ]


@pytest.fixture
def e2e_surveys(e2e_participation):
    """Eichenau 14 and Lindenberg 8 responses to the baseline; Kleinhausen and Birkenau 3 each,
    fewer than five, but 6 together, so that the larger two can be shown."""
    cohort = e2e_participation.cohort
    others = {}
    for name in ("Lindenberg", "Kleinhausen", "Birkenau"):
        others[name] = lab_services.municipality_create(
            lab=cohort.lab, name=name, state=State.BB, district="Kreis K"
        )
        lab_services.participation_admit(cohort=cohort, municipality=others[name])
    rng = random.Random(4)
    baseline = make_survey(cohort, slug="eingang")
    final = make_survey(cohort, slug="abschluss", kind=SurveyKind.FINAL, title_en="Final survey")
    eichenau = e2e_participation.municipality
    add_responses(baseline, _answers(rng, 14), municipality=eichenau, group="Verwaltung")
    add_responses(baseline, _answers(rng, 8), municipality=others["Lindenberg"], group="Politik")
    add_responses(baseline, _answers(rng, 3), municipality=others["Kleinhausen"])
    add_responses(baseline, _answers(rng, 3), municipality=others["Birkenau"])
    add_responses(final, _answers(rng, 12, shift=1), municipality=eichenau, group="Verwaltung")
    add_responses(final, _answers(rng, 9, shift=1), municipality=others["Lindenberg"])
    return baseline, final


def test_analysis_and_comparison_pages(e2e_coordinator, e2e_surveys, live_server, page, context):
    base = live_server.url
    force_login_cookie(context, base, e2e_coordinator)

    page.goto(f"{base}{PREFIX}/eingang/analysis/")
    assert page.locator("#analysis-results svg[role=img]").count() == 5  # all but free text
    assert page.get_by_text("Mehr Austausch, bitte.").count() >= 1  # coordinators read texts
    axe_check(page, label="analysis")
    shot(page, "survey-analysis")

    # the breakdown switch: htmx swaps the results and keeps the address in step
    page.locator("nav.filter-bar a[href='?by=municipality']").click()
    page.wait_for_url("**/analysis/?by=municipality")
    results = page.locator("#analysis-results")
    results.get_by_role("rowheader", name="Kleinhausen").first.wait_for()
    # three respondents in Kleinhausen: fewer than five, so no figures; Eichenau has figures
    assert results.locator("text=/too few responses|zu wenige Antworten/").count() >= 1
    assert results.get_by_role("rowheader", name="Eichenau").count() == 5
    # the link keeps the focus after the swap, and is now the current one
    focused = page.evaluate("document.activeElement.id")
    assert focused == "analysis-results-by-municipality"
    assert page.locator("#analysis-results-by-municipality").get_attribute("aria-current")
    axe_check(page, label="analysis by municipality")
    shot(page, "survey-analysis-by-municipality")

    page.goto(f"{base}{PREFIX}/compare/?by=municipality")
    assert page.locator("svg[role=img]").count() == 3  # one per question
    axe_check(page, label="baseline vs final by municipality")
    shot(page, "survey-compare-by-municipality")

    page.goto(f"{base}{PREFIX}/compare/")
    assert page.locator("table.analysis-table tbody tr").count() == 3  # q_agree, q_sat, q_hours
    assert page.locator("svg[role=img]").count() == 3  # the −2…+2 and 1–5 scales, hours
    axe_check(page, label="baseline vs final")
    shot(page, "survey-compare")


def test_new_survey_questions_first_and_the_municipality_chooser(
    e2e_coordinator, e2e_surveys, live_server, page, context
):
    """A coordinator starts a survey (the short name proposed from the title, then straight to
    the first section and question), then reads the baseline by municipality for one of them."""
    base = live_server.url
    force_login_cookie(context, base, e2e_coordinator)

    page.goto(f"{base}{PREFIX}/new/")
    field(page, "title_de").fill("Rückmeldung Werkstatt 2")
    assert field(page, "slug").input_value() == "rueckmeldung-werkstatt-2"  # static/js/slug.js
    field(page, "kind").select_option("feedback")
    submit(page)
    assert page.url == f"{base}{PREFIX}/rueckmeldung-werkstatt-2/sections/new/"
    field(page, "title_de").fill("Zufriedenheit")
    submit(page)
    assert "/questions/new/" in page.url
    assert page.locator("main [name='type']").get_attribute("type") == "hidden"
    axe_check(page, label="first question of a new survey")

    page.goto(f"{base}{PREFIX}/eingang/analysis/?by=municipality")
    results = page.locator("#analysis-results")
    assert results.get_by_role("rowheader", name="Eichenau").count() == 5
    assert page.locator("#analysis-contents a").count() > 1
    field(page, "municipality").select_option(label="Lindenberg")
    follow(page, page.locator("#municipality-choose"))
    assert "municipality=" in page.url
    assert results.get_by_role("rowheader", name="Lindenberg").count() == 5
    assert results.get_by_role("rowheader", name="Eichenau").count() == 0
    # a contents link jumps to its section, and the section links back
    first = page.locator("#analysis-contents > ol > li > a").first
    first.click()
    assert page.evaluate("location.hash").startswith("#analysis-section-")
    shot(page, "survey-analysis-one-municipality")
    axe_check(page, label="analysis of one municipality")

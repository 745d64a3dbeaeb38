"""The report's figures on the analysis page of a survey shaped like the demo's Hessen baseline:
multi-item figures sorted by mean and a breakdown by the type of organisation, each with its
table; axe-clean, and no sideways scrolling at 320 px."""

import pytest

from tests.evaluations.demo_shaped import make_demo_shaped

from .conftest import axe_check, force_login_cookie, shot, sideways

pytestmark = pytest.mark.e2e

URL = "/labs/innolab-ost/cohorts/kohorte-1/surveys/{slug}/analysis/"


def test_analysis_page_shows_the_report_figures(
    e2e_coordinator, e2e_participation, live_server, page, context
):
    baseline, _final = make_demo_shaped(e2e_participation.cohort, [e2e_participation.municipality])
    force_login_cookie(context, live_server.url, e2e_coordinator)
    page.goto(live_server.url + URL.format(slug=baseline.slug))
    captions = page.locator("figcaption.analysis-figure__caption")
    assert captions.count() == 6  # four multi-item figures, two of them also by organisation
    assert captions.first.inner_text().startswith("Abbildung 1 – Vielfalt in Ihrer Organisation")
    assert page.locator(".analysis-figure svg[role=img]").count() == 6
    axe_check(page, label="analysis figures")
    shot(page, "survey-analysis-figures")
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert sideways(page) == ""
    axe_check(page, label="analysis figures at 320 px")
    shot(page, "survey-analysis-figures-320")

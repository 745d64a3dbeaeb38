"""The analysis page, the chart URL and the baseline-vs-final page, through their URLs.

The data set is the hand-computed one of test_analysis.py (minimum group size 3):
q_agree over all six respondents: mean 1/6 → 0.17, median 0.50, SD √(13/6) → 1.47;
Ahornstadt (r1–r4): mean −0.50, median −0.50, SD √(5/3) → 1.29; Buchenfeld (r5, r6): suppressed.
"""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from evaluations.models import Question, SurveyKind
from tests.conftest import make_client
from tests.factories import MunicipalityFactory
from tests.helpers import assert_constant_queries, text

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey
from .test_analysis import R1, R2, R3, R4, R5, R6

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def survey(cohort_x, municipality_a, municipality_b):
    survey = make_survey(cohort_x, min_group_size=3)
    add_responses(survey, [R1, R2, R3], municipality=municipality_a, group="Verwaltung")
    add_responses(survey, [R4], municipality=municipality_a, group="Politik")
    add_responses(survey, [R5, R6], municipality=municipality_b, group="Politik")
    return survey


def analysis_url(survey, **query):
    url = reverse(
        "survey_analysis",
        args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug],
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def chart_url(survey, code, **query):
    question = survey.questions.get(code=code)
    url = reverse(
        "survey_chart",
        args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug, question.pk],
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def compare_url(cohort, query=""):
    return reverse("survey_compare", args=[cohort.lab.slug, cohort.slug]) + query


def question_html(page: str, survey, code: str) -> str:
    """The part of the page about one question."""
    pk = survey.questions.get(code=code).pk
    start = page.index(f'id="question-{pk}"')
    end = page.find("<article", start)
    return page[start : end if end > 0 else len(page)]


def row_cells(html: str, heading: str) -> list[str]:
    """The texts of the <td> cells of the table row headed `heading`."""
    match = re.search(rf'<th scope="row"[^>]*>{re.escape(heading)}</th>(.*?)</tr>', html, re.S)
    assert match, f"no row {heading!r}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def svg_root(response):
    assert response["Content-Type"].startswith("image/svg+xml")
    # our own output; parsing proves it is well-formed XML
    return ElementTree.fromstring(response.content)  # noqa: S314


# --- the analysis page --------------------------------------------------------------------------


def test_page_shows_the_hand_computed_figures(client_as, survey):
    page = text(client_as("coordinator").get(analysis_url(survey)))
    agree = question_html(page, survey, "q_agree")
    # N, mean, median, SD of the row "All respondents", then the distribution 1 1 1 2 1 of 6
    assert row_cells(agree, "All respondents") == [
        "6", "0.17", "0.50", "1.47", "1 (17%)", "1 (17%)", "1 (17%)", "2 (33%)", "1 (17%)"
    ]  # fmt: skip
    assert "<svg" in agree and 'role="img"' in agree  # the chart, inline
    formats = question_html(page, survey, "q_formats")
    # N: respondents, not the 6 answer rows
    assert row_cells(formats, "All respondents") == ["4", "3 (75%)", "2 (50%)", "1 (25%)"]
    hours = question_html(page, survey, "q_hours")
    assert row_cells(hours, "All respondents") == ["5", "4.30", "4.00", "3.38"]


def test_breakdown_by_municipality_suppresses_the_small_cell(client_as, survey):
    page = text(client_as("funder").get(analysis_url(survey, by="municipality")))
    agree = question_html(page, survey, "q_agree")
    assert row_cells(agree, "Buchenfeld") == ["too few responses (fewer than 3)"]
    # all six minus Ahornstadt's four would be Buchenfeld's two: Ahornstadt is hidden too
    assert row_cells(agree, "Ahornstadt") == [
        "not shown, so that a smaller group cannot be worked out"
    ]
    assert row_cells(agree, "All respondents")[:2] == ["6", "0.17"]
    # neither Buchenfeld's mean 1.50 nor Ahornstadt's −0.50 appears
    assert "1.50" not in agree and "\u22120.50" not in agree


def test_breakdown_by_group(client_as, survey):
    page = text(client_as("coordinator").get(analysis_url(survey, by="group")))
    agree = question_html(page, survey, "q_agree")
    assert row_cells(agree, "Politik")[:4] == ["3", "1.33", "1.00", "0.58"]
    assert row_cells(agree, "Verwaltung")[:4] == ["3", "\u22121.00", "\u22121.00", "1.00"]
    assert row_cells(agree, "All respondents")[0] == "6"


def test_unknown_breakdown_shows_all_respondents(client_as, survey):
    response = client_as("coordinator").get(analysis_url(survey, by="person"))
    assert response.status_code == 200
    assert "Ahornstadt" not in question_html(text(response), survey, "q_agree")


def test_german_figures_have_a_decimal_comma(coordinator, survey):
    client = make_client(coordinator)
    client.cookies["django_language"] = "de"
    page = text(client.get(analysis_url(survey)))
    agree = question_html(page, survey, "q_agree")
    assert "0,17" in agree and "1,47" in agree and "33\u00a0%" in agree


@pytest.mark.parametrize("answers,shown", [(4, False), (5, True)])
def test_page_suppresses_below_the_minimum_group_size(client_as, cohort_x, answers, shown):
    survey = make_survey(cohort_x)  # minimum group size 5
    add_responses(survey, [{"q_agree": 2}] * (answers - 1) + [{"q_agree": -2}])
    agree = question_html(
        text(client_as("coordinator").get(analysis_url(survey))), survey, "q_agree"
    )
    mean = "1.20" if answers == 5 else "1.00"  # (4·2 − 2)/5 = 1.2; (3·2 − 2)/4 = 1
    assert ("too few responses (fewer than 5)" in agree) is not shown
    assert (mean in agree) is shown
    assert ('class="bar"' in agree) is shown  # the inline chart: bars only when shown


def test_free_text_for_coordinators_only(client_as, survey):
    coordinator_page = text(client_as("coordinator").get(analysis_url(survey)))
    assert "Mehr Workshops" in coordinator_page and "Bitte online" in coordinator_page
    funder_page = text(client_as("funder").get(analysis_url(survey)))
    assert "Mehr Workshops" not in funder_page and "Bitte online" not in funder_page
    assert "Free-text answers are shown to coordinators only." in funder_page
    # the number of texts is an aggregate: funders see it
    assert "3 answers" in question_html(funder_page, survey, "q_comment")


def test_htmx_gets_only_the_results(client_as, survey):
    response = client_as("coordinator").get(
        analysis_url(survey, by="municipality"), headers={"HX-Request": "true"}
    )
    body = text(response)
    assert body.lstrip().startswith('<div id="analysis-results"')
    assert "<html" not in body and "Ahornstadt" in body
    assert "HX-Request" in response["Vary"]


def test_page_query_count_does_not_grow(client_as, survey, lab_x):
    client = client_as("coordinator")

    def grow(by):
        for i in range(6):
            municipality = MunicipalityFactory(lab=lab_x, name=f"Neustadt {by} {i}")
            add_responses(
                survey, [R1, R2, R3, R4, R5, R6], municipality=municipality, group=f"G{i}"
            )

    for by in ("municipality", "group"):
        before, after = assert_constant_queries(
            client, analysis_url(survey, by=by), lambda by=by: grow(by)
        )
        assert before == after


def test_page_without_responses(client_as, cohort_x):
    survey = make_survey(cohort_x)
    page = text(client_as("coordinator").get(analysis_url(survey)))
    assert "No responses yet." in page
    assert "too few responses (fewer than 5)" in page


# --- the chart URL ----------------------------------------------------------------------------


def test_chart_is_accessible_svg(client_as, survey):
    root = svg_root(client_as("funder").get(chart_url(survey, "q_agree")))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "q_agree: Diversity is an issue in our administration."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # the description reads out the figures the bars show
    assert "All respondents, n = 6" in desc.text and "1: 33% (2)" in desc.text
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 5


def test_chart_by_municipality_has_placeholders_for_hidden_cells(client_as, survey):
    root = svg_root(client_as("coordinator").get(chart_url(survey, "q_role", by="municipality")))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "too few responses (fewer than 3)" in texts
    assert "not shown, so that a smaller group cannot be worked out" in texts
    desc = root.find(f"{SVG}desc").text
    assert "All respondents, n = 5" in desc
    assert "Buchenfeld: too few responses (fewer than 3)." in desc
    assert "Ahornstadt: not shown, so that a smaller group cannot be worked out." in desc
    assert "n = 4" not in desc and "n = 1" not in desc


def test_chart_by_group_draws_each_shown_cell(client_as, survey):
    root = svg_root(client_as("coordinator").get(chart_url(survey, "q_agree", by="group")))
    desc = root.find(f"{SVG}desc").text
    assert "Politik, n = 3: " in desc and "Verwaltung, n = 3: " in desc
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    # all respondents: 5 values; Politik: 1 and 2; Verwaltung: −2, −1, 0
    assert len(bars) == 5 + 2 + 3


@pytest.mark.parametrize("answers,shown", [(4, False), (5, True)])
def test_chart_suppresses_below_the_minimum_group_size(client_as, cohort_x, answers, shown):
    survey = make_survey(cohort_x)
    add_responses(survey, [{"q_role": "politik", "q_formats": ["seminar"]}] * answers)
    for code in ("q_role", "q_formats"):
        root = svg_root(client_as("coordinator").get(chart_url(survey, code)))
        bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
        texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
        assert bool(bars) is shown, code
        assert ("too few responses (fewer than 5)" in texts) is not shown, code


def test_chart_of_free_text_or_another_surveys_question_is_404(client_as, survey, cohort_x):
    client = client_as("coordinator")
    assert client.get(chart_url(survey, "q_comment")).status_code == 404
    other = make_survey(cohort_x, slug="andere")
    question = other.questions.get(code="q_agree")
    url = reverse("survey_chart", args=[cohort_x.lab.slug, cohort_x.slug, survey.slug, question.pk])
    assert client.get(url).status_code == 404


# --- baseline vs final ----------------------------------------------------------------------------


@pytest.fixture
def pair(cohort_x):
    baseline = make_survey(cohort_x, slug="baseline", min_group_size=3)
    final = make_survey(cohort_x, slug="final", kind=SurveyKind.FINAL, min_group_size=3)
    add_responses(baseline, [{"q_agree": -1, "q_sat": 2}] * 2 + [{"q_agree": 0}])
    add_responses(final, [{"q_agree": 1, "q_sat": 4}] * 2 + [{"q_agree": 2}])
    return baseline, final


def test_compare_page_gives_means_and_change(client_as, pair, cohort_x):
    page = text(client_as("funder").get(compare_url(cohort_x)))
    row = page[page.index("<code>q_agree</code>") :]
    row = row[: row.index("</tr>")]
    # baseline −2/3 → −0.67, final 4/3 → 1.33, change +2.00
    assert "\u22120.67" in row and "1.33" in row and "+2.00" in row
    sat = page[page.index("<code>q_sat</code>") :]
    sat = sat[: sat.index("</tr>")]
    assert sat.count("too few responses (fewer than 3)") == 2 and "–" in sat
    assert "<svg" in page and "Means in the baseline and the final survey" in page


def test_compare_page_marks_different_scales(client_as, pair, cohort_x):
    Question.objects.filter(survey=pair[1], code="q_agree").update(scale_min=1, scale_max=5)
    page = text(client_as("coordinator").get(compare_url(cohort_x)))
    assert "not comparable (different scales)" in page


def test_compare_page_chooses_among_several_surveys(client_as, pair, cohort_x):
    baseline, final = pair
    other = make_survey(cohort_x, slug="baseline-2", min_group_size=3)
    add_responses(other, [{"q_agree": 1}] * 3)
    client = client_as("coordinator")
    latest = text(client.get(compare_url(cohort_x)))
    assert 'name="baseline"' in latest and "+0.33" in latest  # the latest baseline: mean 1
    chosen = text(client.get(compare_url(cohort_x, "?baseline=baseline&final=final")))
    assert "+2.00" in chosen
    bad = client.get(compare_url(cohort_x, "?baseline=nope&final=final"))
    assert bad.status_code == 200 and bad.context["form"].errors["baseline"]
    assert "+0.33" in text(bad)  # nothing changed: still the latest


def test_compare_page_without_final_survey(client_as, cohort_x):
    make_survey(cohort_x)
    page = text(client_as("coordinator").get(compare_url(cohort_x)))
    assert "This cohort has no final survey yet." in page


def test_compare_page_query_count_does_not_grow(client_as, pair, lab_x, cohort_x):
    baseline, final = pair

    def grow():
        for i in range(5):
            municipality = MunicipalityFactory(lab=lab_x, name=f"Neustadt {i}")
            add_responses(baseline, [{"q_agree": 0, "q_hours": 3}] * 4, municipality=municipality)
            add_responses(final, [{"q_agree": 1, "q_hours": 5}] * 4, municipality=municipality)

    before, after = assert_constant_queries(
        client_as("coordinator"), compare_url(cohort_x, "?by=municipality"), grow
    )
    assert before == after


@pytest.mark.parametrize("persona", ["coordinator", "funder"])
def test_survey_page_links_to_the_analysis(client_as, survey, persona):
    page = text(
        client_as(persona).get(
            reverse("survey_detail", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug])
        )
    )
    assert f'href="{analysis_url(survey)}"' in page
    assert f'href="{compare_url(survey.cohort)}"' in page  # a baseline survey

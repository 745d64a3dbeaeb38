"""evaluations.pooling: the surveys of one kind across a lab's cohorts as one analysis."""

import datetime as dt
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from evaluations import analysis
from evaluations.analysis import COMPLEMENTARY, survey_results
from evaluations.models import Choice, Question
from evaluations.pooling import (
    lab_surveys_by_kind,
    pooled_comparison,
    pooled_results,
    pooled_results_by_answer,
)
from tests.factories import CohortFactory, MunicipalityFactory

from .builders import add_responses, make_survey
from .demo_shaped import make_demo_shaped


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cohort_2(lab_x):
    return CohortFactory(
        lab=lab_x,
        slug="kohorte-2",
        name="Kohorte 2",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )


@pytest.fixture
def two_baselines(cohort_x, cohort_2, municipality_a, municipality_b):
    first = make_survey(cohort_x, min_group_size=3)
    second = make_survey(cohort_2, min_group_size=3)
    add_responses(
        first,
        [{"q_agree": -2, "q_hours": 2, "q_role": "verwaltung"}, {"q_agree": 1, "q_hours": 4}],
        municipality=municipality_a,
        group="Verwaltung",
    )
    add_responses(
        second,
        [
            {"q_agree": 2, "q_hours": 10, "q_role": "politik"},
            {"q_agree": 0, "q_hours": 4, "q_role": "verwaltung", "q_formats": ["workshop"]},
            {"q_agree": 1, "q_formats": ["workshop", "seminar"]},
        ],
        municipality=municipality_b,
        group="Politik",
    )
    return first, second


def by_code(results):
    """The results over all respondents, by question code."""
    return {r.question.code: r for r in results if r.breakdown is None}


def test_pooled_n_is_the_sum_and_the_figures_are_those_of_all_answers_together(two_baselines):
    first, second = two_baselines
    pooled = pooled_results([second, first])
    assert [s.pk for s in pooled.surveys] == [first.pk, second.pk]  # cohort order
    assert pooled.n_responses == 5 and pooled.mismatches == []
    results = by_code(pooled.results)
    agree = results["q_agree"]
    # each survey alone is below the minimum group size of 3 … or just at it
    alone = [by_code(survey_results(s))["q_agree"].n for s in (first, second)]
    assert agree.n == sum(alone) == 5 and not agree.suppressed
    assert agree.mean == pytest.approx(0.4)  # (−2 + 1 + 2 + 0 + 1) / 5
    assert agree.median == 1
    assert [b.count for b in agree.counts] == [1, 0, 1, 2, 1]
    hours = results["q_hours"]
    assert (hours.n, hours.median) == (4, 4)
    assert hours.mean == pytest.approx(5) and hours.sd == pytest.approx(math.sqrt(12))
    role = results["q_role"]
    assert [(b.key, b.count) for b in role.counts] == [
        ("verwaltung", 2),
        ("politik", 1),
        ("andere", 0),
    ]
    # the representative question is the first cohort's
    assert agree.question.survey_id == first.pk


def test_pooled_numbers_from_grouped_counts_match_sql(two_baselines, monkeypatch):
    monkeypatch.setattr(analysis, "_sql_median_available", lambda: False)
    hours = by_code(pooled_results(list(two_baselines)).results)["q_hours"]
    assert (hours.n, hours.median, hours.mean) == (4, 4, pytest.approx(5))


def test_too_few_pooled_respondents_are_suppressed(two_baselines):
    # q_formats: 2 respondents over both cohorts, below 3
    formats = by_code(pooled_results(list(two_baselines)).results)["q_formats"]
    assert formats.n == 2 and formats.suppressed and formats.counts == []


def test_the_strictest_minimum_group_size_applies(two_baselines):
    first, second = two_baselines
    second.min_group_size = 6
    second.save()
    pooled = pooled_results([first, second])
    assert pooled.min_group_size == 6
    assert by_code(pooled.results)["q_agree"].suppressed  # 5 < 6


def test_complementary_suppression_on_pooled_cells(two_baselines, lab_x, cohort_x):
    first, second = two_baselines
    tiny = MunicipalityFactory(lab=lab_x, name="Zwergdorf")
    add_responses(first, [{"q_agree": 2}], municipality=tiny)
    results = pooled_results([first, second], by="municipality", with_overall=True).results
    cells = {r.breakdown: r for r in results if r.question.code == "q_agree"}
    assert cells[None].n == 6 and not cells[None].suppressed
    # pooled cells: Zwergdorf 1 and Ahornstadt 2 (both too few, 3 together), Buchenfeld 3
    assert cells["Zwergdorf"].suppressed_reason == analysis.TOO_FEW
    assert cells["Ahornstadt"].suppressed_reason == analysis.TOO_FEW
    assert not cells["Buchenfeld"].suppressed and cells["Buchenfeld"].n == 3


def test_complementary_suppression_hides_a_shown_pooled_cell(two_baselines, lab_x):
    first, second = two_baselines
    # Ahornstadt 2 (too few) + Buchenfeld 3 + Cedern 4: the hidden 2 < k, so the smallest shown
    # pooled cell (Buchenfeld) goes too
    cedern = MunicipalityFactory(lab=lab_x, name="Cedern")
    add_responses(second, [{"q_agree": 1}] * 4, municipality=cedern)
    results = pooled_results([first, second], by="municipality", with_overall=True).results
    cells = {r.breakdown: r for r in results if r.question.code == "q_agree"}
    assert cells["Ahornstadt"].suppressed_reason == analysis.TOO_FEW
    assert cells["Buchenfeld"].suppressed_reason == COMPLEMENTARY
    assert not cells["Cedern"].suppressed and cells[None].n == 9


def test_a_scale_with_another_range_is_reported_not_merged(two_baselines):
    first, second = two_baselines
    Question.objects.filter(survey=second, code="q_sat").update(scale_min=0, scale_max=10)
    Question.objects.filter(survey=second, code="q_hours").update(type="text")
    pooled = pooled_results([first, second])
    reasons = {m.code: m for m in pooled.mismatches}
    assert set(reasons) == {"q_sat", "q_hours"}
    assert reasons["q_sat"].survey == second
    assert "0 to 10 instead of 1–5" in reasons["q_sat"].text
    assert "Kohorte 2" in reasons["q_sat"].text
    # the left-out question's answers are not counted: q_hours over the first cohort only
    hours = by_code(pooled.results)["q_hours"]
    assert hours.n == 2 and hours.suppressed
    assert [q.code for q in pooled.questions].count("q_hours") == 1


def test_other_answer_options_are_reported(two_baselines):
    first, second = two_baselines
    role = Question.objects.get(survey=second, code="q_role")
    Choice.objects.create(
        question=role, position=9, code="ehrenamt", label_de="Ehrenamt", label_en="Volunteer"
    )
    pooled = pooled_results([first, second])
    assert [m.code for m in pooled.mismatches] == ["q_role"]
    assert "options differ (Volunteer)" in pooled.mismatches[0].text
    assert "“Where do you work?”" in pooled.mismatches[0].text


def test_choices_are_matched_by_code_not_position(two_baselines):
    first, second = two_baselines
    # the second cohort lists "politik" first: still pooled with the first cohort's "politik"
    Choice.objects.filter(question__survey=second, code="politik").update(position=0)
    role = by_code(pooled_results([first, second]).results)["q_role"]
    assert [(b.key, b.count) for b in role.counts] == [
        ("verwaltung", 2),
        ("politik", 1),
        ("andere", 0),
    ]


def test_queries_do_not_grow_with_responses(two_baselines, municipality_a):
    first, second = two_baselines
    surveys = lab_surveys_by_kind(first.cohort.lab)["baseline"]
    with CaptureQueriesContext(connection) as few:
        pooled_results(surveys, by="municipality", with_overall=True, include_text=True)
    add_responses(first, [{"q_agree": 1, "q_hours": 3, "q_comment": "x"}] * 30)
    add_responses(
        second, [{"q_agree": 2, "q_formats": ["seminar"]}] * 30, municipality=municipality_a
    )
    surveys = lab_surveys_by_kind(first.cohort.lab)["baseline"]
    with CaptureQueriesContext(connection) as many:
        pooled = pooled_results(surveys, by="municipality", with_overall=True, include_text=True)
    assert len(many) == len(few)
    assert by_code(pooled.results)["q_agree"].n == 65


def test_pooled_comparison_compares_the_pooled_means(two_baselines, cohort_x, cohort_2):
    first, second = two_baselines
    finals = [
        make_survey(cohort, slug="abschluss", kind="final", min_group_size=3)
        for cohort in (cohort_x, cohort_2)
    ]
    add_responses(finals[0], [{"q_agree": 2}] * 2)
    add_responses(finals[1], [{"q_agree": 1}] * 2)
    rows = {r.code: r for r in pooled_comparison([first, second], finals)}
    assert set(rows) == {"q_agree", "q_sat", "q_hours"}  # the scale and number questions
    agree = rows["q_agree"]
    assert (agree.baseline.n, agree.final.n) == (5, 4)
    assert agree.change == pytest.approx(1.5 - 0.4)
    assert rows["q_sat"].change is None  # nobody answered it: suppressed on both sides
    assert pooled_comparison([first, second], []) == []


def test_a_breakdown_by_an_answer_pools_the_groups_across_the_surveys(
    two_baselines, municipality_a
):
    first, second = two_baselines
    add_responses(
        first,
        [{"q_agree": 1, "q_role": "verwaltung"}, {"q_agree": 2, "q_role": "verwaltung"}],
        municipality=municipality_a,
        group="Verwaltung",
    )
    pooled = pooled_results([first, second])
    cells = {
        r.breakdown_key: r
        for r in pooled_results_by_answer(pooled, "q_role")
        if r.question.code == "q_agree"
    }
    # Verwaltung: three answers in the first survey, one in the second: shown pooled
    administration = cells["verwaltung"]
    assert administration.n == 4 and not administration.suppressed
    assert administration.mean == pytest.approx(0.25)  # (−2 + 1 + 2 + 0) / 4
    # Politik: one person: never shown, in no survey and not pooled
    assert cells["politik"].suppressed and cells["politik"].mean is None
    assert cells[None].suppressed  # the two without an answer


def test_no_pooled_breakdown_by_a_question_whose_options_differ(two_baselines):
    first, second = two_baselines
    Choice.objects.filter(question__survey=second, code="politik").update(code="rat")
    pooled = pooled_results([first, second])
    assert any(m.code == "q_role" for m in pooled.mismatches)
    assert pooled_results_by_answer(pooled, "q_role") == []


def test_the_lab_page_shows_the_report_figures_over_the_pooled_surveys(
    client_as, lab_x, cohort_x, cohort_2, municipality_a, municipality_b
):
    first, _final = make_demo_shaped(cohort_x, [municipality_a])
    make_demo_shaped(cohort_2, [municipality_b])
    client = client_as("coordinator")
    one = client.get(
        reverse("survey_analysis", args=[lab_x.slug, cohort_x.slug, first.slug])
    ).content.decode()
    pooled = client.get(
        reverse("lab_survey_analysis", args=[lab_x.slug]), {"kind": "baseline"}
    ).content.decode()
    caption = r'analysis-figure__caption"[^>]*>Figure 1 – ([^<(]+)\([^;]+; N = (\d+)\)'
    title_one, n_one = re.search(caption, one).groups()
    title_pooled, n_pooled = re.search(caption, pooled).groups()
    assert title_pooled == title_one and int(n_pooled) == 2 * int(n_one)
    assert pooled.count("analysis-figure__caption") == one.count("analysis-figure__caption") == 6
    assert "by “" in pooled  # a breakdown by the type of organisation, pooled too

"""evaluations.analysis against figures computed by hand for a small data set.

Six responses (minimum group size 3), Ahornstadt r1–r4, Buchenfeld r5–r6; groups:
r1–r3 "Verwaltung", r4–r6 "Politik".

    q_agree (−2…+2): −2, −1, 0, 1, 1, 2
        n 6, mean 1/6, median (0 + 1)/2 = 0.5, sample SD √((Σv² − n·mean²)/(n−1))
        = √((11 − 1/6)/5) = √(13/6)
    q_sat (1–5): 1, 2, 2, 3, 5 (r6 did not answer)
        n 5, mean 13/5, median 2, SD √(9.2/4) = √2.3
    q_role: verwaltung r1 r2 r4, politik r3 r5 → n 5
    q_formats (multi): r1 workshop+seminar, r2 workshop, r3 beratung+workshop, r4 seminar
        → N = 4 respondents (6 answer rows), workshop 3, seminar 2, beratung 1
    q_hours: 2, 4, 4, 10, 1.5 → n 5, mean 4.3, median 4, SD √(45.8/4) = √11.45
    q_comment: three texts
"""

import io
import math

import pytest
from django.utils import translation

from evaluations import analysis, importing, services
from evaluations.analysis import Bin, compare_baseline_final, stats_from_counts, survey_results
from evaluations.models import Answer, Question, Response, SurveyKind

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey

R1 = {
    "q_agree": -2,
    "q_sat": 1,
    "q_role": "verwaltung",
    "q_formats": ["workshop", "seminar"],
    "q_hours": 2,
    "q_comment": "Mehr Workshops",
}
R2 = {"q_agree": -1, "q_sat": 2, "q_role": "verwaltung", "q_formats": ["workshop"], "q_hours": 4}
R3 = {
    "q_agree": 0,
    "q_sat": 2,
    "q_role": "politik",
    "q_formats": ["beratung", "workshop"],
    "q_hours": 4,
    "q_comment": "Alles gut",
}
R4 = {"q_agree": 1, "q_sat": 3, "q_role": "verwaltung", "q_formats": ["seminar"], "q_hours": 10}
R5 = {"q_agree": 1, "q_sat": 5, "q_role": "politik", "q_hours": "1,5", "q_comment": "Bitte online"}
R6 = {"q_agree": 2}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(cohort_x, municipality_a, municipality_b):
    survey = make_survey(cohort_x, min_group_size=3)
    add_responses(survey, [R1, R2, R3], municipality=municipality_a, group="Verwaltung")
    add_responses(survey, [R4], municipality=municipality_a, group="Politik")
    add_responses(survey, [R5, R6], municipality=municipality_b, group="Politik")
    return survey


def by_code(results, breakdown=None):
    return {r.question.code: r for r in results if r.breakdown == breakdown}


def test_scale_figures_match_the_hand_computation(survey):
    agree = by_code(survey_results(survey))["q_agree"]
    assert (agree.n, agree.suppressed) == (6, False)
    assert agree.mean == pytest.approx(1 / 6)
    assert agree.median == 0.5
    assert agree.sd == pytest.approx(math.sqrt(13 / 6))  # 1.4720
    assert agree.counts == [
        Bin(-2, "-2 (strongly disagree)", 1),
        Bin(-1, "-1", 1),
        Bin(0, "0", 1),
        Bin(1, "1", 2),
        Bin(2, "2 (strongly agree)", 1),
    ]
    sat = by_code(survey_results(survey))["q_sat"]
    assert (sat.n, sat.mean, sat.median) == (5, pytest.approx(2.6), 2)
    assert sat.sd == pytest.approx(math.sqrt(2.3))
    assert [b.count for b in sat.counts] == [1, 2, 1, 0, 1]
    assert [s.percent for s in sat.shares] == [20, 40, 20, 0, 20]


def test_choice_figures_and_multiple_choice_n_counts_respondents(survey):
    results = by_code(survey_results(survey))
    role = results["q_role"]
    assert role.n == 5 and role.mean is None and role.sd is None
    assert [(b.key, b.label, b.count) for b in role.counts] == [
        ("verwaltung", "Administration", 3),
        ("politik", "Politics", 2),
        ("andere", "Other", 0),
    ]
    formats = results["q_formats"]
    assert formats.n == 4  # respondents, not the 6 answer rows
    assert [(b.key, b.count) for b in formats.counts] == [
        ("workshop", 3),
        ("seminar", 2),
        ("beratung", 1),
    ]
    assert [s.percent for s in formats.shares] == [75, 50, 25]


@pytest.mark.parametrize("sql_median", [True, False], ids=["sql-median", "grouped-counts"])
def test_number_figures_in_sql_and_from_grouped_counts(survey, monkeypatch, sql_median):
    # PostgreSQL computes number questions with percentile_cont/stddev_samp; SQLite (embedded)
    # from (value, count) pairs: both paths must give the hand-computed figures.
    if not sql_median:
        monkeypatch.setattr(analysis, "_sql_median_available", lambda: False)
    hours = by_code(survey_results(survey))["q_hours"]
    assert (hours.n, hours.median, hours.counts) == (5, 4, [])
    assert hours.mean == pytest.approx(4.3)
    assert hours.sd == pytest.approx(math.sqrt(11.45))
    cells = survey_results(survey, by="group", complementary=False)
    by_group = by_code(cells, "Verwaltung")["q_hours"]
    assert (by_group.n, by_group.median) == (3, 4)
    assert by_group.mean == pytest.approx(10 / 3)


def test_free_text_only_when_asked_for_and_alphabetical(survey):
    comment = by_code(survey_results(survey))["q_comment"]
    assert (comment.n, comment.texts, comment.mean) == (3, [], None)
    comment = by_code(survey_results(survey, include_text=True))["q_comment"]
    assert comment.texts == ["Alles gut", "Bitte online", "Mehr Workshops"]
    limited = by_code(survey_results(survey, include_text=True, text_limit=2))["q_comment"]
    assert limited.texts == ["Alles gut", "Bitte online"] and limited.texts_total == 3


def test_breakdown_by_municipality_figures(survey):
    # without complementary suppression, to check Ahornstadt's figures by hand
    results = survey_results(survey, by="municipality", complementary=False)
    assert [(r.question.code, r.breakdown) for r in results[:2]] == [
        ("q_agree", "Ahornstadt"),
        ("q_agree", "Buchenfeld"),
    ]
    ahorn = by_code(results, "Ahornstadt")
    assert ahorn["q_agree"].n == 4
    assert ahorn["q_agree"].mean == pytest.approx(-0.5)
    assert ahorn["q_agree"].median == -0.5
    assert ahorn["q_agree"].sd == pytest.approx(math.sqrt(5 / 3))
    assert ahorn["q_formats"].n == 4
    buche = by_code(results, "Buchenfeld")
    # two respondents < 3: nothing but the flag (and n for the code that prints it)
    agree = buche["q_agree"]
    assert (agree.n, agree.suppressed, agree.suppressed_reason) == (2, True, "too_few")
    assert (agree.mean, agree.median, agree.sd, agree.counts) == (None, None, None, [])
    assert buche["q_formats"].n == 0 and buche["q_formats"].suppressed


def test_complementary_suppression_protects_the_small_cell(survey):
    # all six minus Ahornstadt's four would give Buchenfeld's two answers (1 and 2): so
    # Ahornstadt is hidden too
    results = by_code(survey_results(survey, by="municipality"), "Ahornstadt")
    agree = results["q_agree"]
    assert (agree.n, agree.suppressed, agree.suppressed_reason) == (4, True, "complementary")
    assert (agree.mean, agree.counts) == (None, [])
    # q_formats: Buchenfeld has no respondent, nothing to work out: Ahornstadt stays
    assert not results["q_formats"].suppressed and results["q_formats"].n == 4


@pytest.mark.parametrize(
    "sizes,hidden",
    [
        ([2, 3, 10], [True, True, False]),  # 2 < 5: the smallest shown cell (3) goes too
        ([2, 5, 5], [True, True, False]),  # of equal cells the first in order
        ([1, 1, 5, 6], [True, True, True, False]),
        ([4, 4, 9], [True, True, False]),  # 8 ≥ 5 suppressed together: enough
        ([0, 7, 9], [True, False, False]),  # an empty cell hides nothing
        ([3, 6], [True, True]),
    ],
)
def test_protect_complements(sizes, hidden):
    question = Question(code="q", type="scale", scale_min=1, scale_max=5)
    cells = [
        analysis.QuestionResult(question, str(i), n, suppressed=n < 5, min_group_size=5)
        for i, n in enumerate(sizes)
    ]
    analysis.protect_complements(cells, 5)
    assert [c.suppressed for c in cells] == hidden


def test_breakdown_by_group_and_overall_from_the_same_scan(survey):
    results = survey_results(survey, by="group", with_overall=True, include_text=True)
    assert [r.breakdown for r in results if r.question.code == "q_agree"] == [
        None,
        "Politik",
        "Verwaltung",
    ]
    politik = by_code(results, "Politik")["q_agree"]
    assert (politik.n, politik.median) == (3, 1)
    assert politik.mean == pytest.approx(4 / 3)
    assert politik.sd == pytest.approx(math.sqrt(1 / 3))
    verwaltung = by_code(results, "Verwaltung")
    assert (verwaltung["q_agree"].mean, verwaltung["q_agree"].sd) == (-1, 1)
    # q_formats: Politik has one respondent (r4); Verwaltung's three would give it away
    assert by_code(results, "Politik")["q_formats"].suppressed_reason == "too_few"
    assert verwaltung["q_formats"].suppressed_reason == "complementary"
    unprotected = by_code(survey_results(survey, by="group", complementary=False), "Verwaltung")
    assert [b.count for b in unprotected["q_formats"].counts] == [3, 1, 1]
    overall = by_code(results)
    plain = by_code(survey_results(survey, include_text=True))
    for code, result in overall.items():
        expected = plain[code]
        assert (result.n, result.median, result.counts, result.texts) == (
            expected.n,
            expected.median,
            expected.counts,
            expected.texts,
        ), code
        assert result.mean == pytest.approx(expected.mean) and result.sd == pytest.approx(
            expected.sd
        )


def test_responses_without_municipality_or_group_form_their_own_cell(survey):
    add_responses(survey, [{"q_agree": 2}] * 3)
    results = survey_results(survey, by="municipality")
    assert [r.breakdown for r in results if r.question.code == "q_agree"] == [
        "Ahornstadt",
        "Buchenfeld",
        "Municipality not given",
    ]
    groups = survey_results(survey, by="group")
    assert by_code(groups, "Group not given")["q_agree"].mean == 2


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "bulk_create"])
def test_answers_carry_their_responses_municipality_and_group_on_every_path(
    cohort_x, municipality_a, municipality_b, participation_b, tandem_a, monkeypatch, copy
):
    """The breakdowns read Answer.municipality and Answer.group: copies of the response's."""
    survey = make_survey(cohort_x)
    # the test builders (services._store)
    add_responses(survey, [R1], municipality=municipality_a, group="Verwaltung")
    add_responses(survey, [R2])
    # personal link, in the platform, open link (services.response_submit)
    link = services.links_create(survey=survey, count=1, municipality=municipality_b, group="Rat")[
        0
    ]
    services.response_submit(survey=survey, values=R3, link=link)
    services.response_submit(survey=survey, values=R4, user=tandem_a, municipality=municipality_a)
    services.response_submit(survey=survey, values=R5, session_key="abc")
    # the import: COPY on PostgreSQL, bulk_create on other databases
    monkeypatch.setattr(importing, "_use_copy", lambda: copy)
    content = (
        "response_id;municipality;group;q_agree;q_formats;q_comment\n"
        'i1;Buchenfeld;"Rat; \\Ausschuss";1;workshop|seminar;Gut\n'
        "i2;;Politik;-1;;\n"
        "i3;Ahornstadt;;2;beratung;\n"
    )
    assert importing.responses_import(survey=survey, file=io.BytesIO(content.encode())).ok
    # one answer saved on its own
    response = Response.objects.get(survey=survey, external_id="i1")
    Answer.objects.create(response=response, question=survey.questions.get(code="q_sat"), number=3)

    stored = Answer.objects.filter(response__survey=survey).values_list(
        "municipality_id", "group", "response__municipality_id", "response__group"
    )
    assert len(stored) == Answer.objects.count() > 30
    assert [(m, g) for m, g, _rm, _rg in stored] == [(rm, rg) for _m, _g, rm, rg in stored]
    assert {(m, g) for m, g, _rm, _rg in stored} == {
        (municipality_a.pk, "Verwaltung"),
        (None, ""),
        (municipality_b.pk, "Rat"),
        (municipality_a.pk, ""),
        (municipality_b.pk, "Rat; \\Ausschuss"),
        (None, "Politik"),
    }


def test_suppression_at_the_boundary(cohort_x):
    survey = make_survey(cohort_x)  # minimum group size 5
    add_responses(survey, [{"q_agree": 1, "q_role": "politik"}] * 4)
    agree = by_code(survey_results(survey))["q_agree"]
    assert (agree.n, agree.suppressed, agree.mean, agree.counts) == (4, True, None, [])
    add_responses(survey, [{"q_agree": -1, "q_role": "politik"}])
    results = by_code(survey_results(survey))
    assert (results["q_agree"].n, results["q_agree"].suppressed) == (5, False)
    assert results["q_agree"].mean == pytest.approx(0.6)
    assert results["q_role"].counts[1] == Bin("politik", "Politics", 5)
    assert results["q_hours"].suppressed and results["q_hours"].n == 0


def test_query_count_does_not_depend_on_the_data(
    survey, municipality_a, django_assert_max_num_queries
):
    # questions, choices, grouped counts, numbers, multi-choice respondents, texts, names, and
    # for the overall results numbers and texts once more
    with django_assert_max_num_queries(9):
        survey_results(survey, by="municipality", include_text=True, with_overall=True)
    add_responses(survey, [R1, R2, R3, R4, R5] * 10, municipality=municipality_a)
    with django_assert_max_num_queries(9):
        survey_results(survey, by="municipality", include_text=True, with_overall=True)


@pytest.mark.parametrize(
    "counts,expected",
    [
        ({}, (0, None, None, None)),
        ({3: 1}, (1, 3.0, 3.0, None)),
        ({1: 1, 2: 1}, (2, 1.5, 1.5, math.sqrt(0.5))),
        ({5: 2, 1: 1}, (3, 11 / 3, 5.0, math.sqrt((2 * (4 / 3) ** 2 + (8 / 3) ** 2) / 2))),
        ({1: 2, 4: 2}, (4, 2.5, 2.5, math.sqrt(9 / 3))),
    ],
)
def test_stats_from_counts(counts, expected):
    n, mean, median, sd = stats_from_counts(counts)
    assert (n, median) == (expected[0], expected[2])
    assert mean == pytest.approx(expected[1]) and sd == pytest.approx(expected[3])


# --- baseline vs final --------------------------------------------------------------------------


@pytest.fixture
def pair(cohort_x):
    baseline = make_survey(cohort_x, slug="baseline", min_group_size=3)
    final = make_survey(cohort_x, slug="final", kind=SurveyKind.FINAL, min_group_size=3)
    add_responses(baseline, [{"q_agree": -1, "q_sat": 2, "q_hours": 1}] * 2 + [{"q_agree": 0}])
    add_responses(final, [{"q_agree": 1, "q_sat": 4, "q_hours": 3}] * 2 + [{"q_agree": 2}])
    return baseline, final


def test_compare_gives_the_change_of_the_mean(pair, cohort_x):
    rows = {row.code: row for row in compare_baseline_final(cohort_x)}
    assert list(rows) == ["q_agree", "q_sat", "q_hours"]  # scale and number questions only
    agree = rows["q_agree"]
    assert agree.baseline.mean == pytest.approx(-2 / 3)
    assert agree.final.mean == pytest.approx(4 / 3)
    assert agree.change == pytest.approx(2)
    assert agree.baseline_text == agree.final_text == "Diversity is an issue in our administration."
    # two respondents in each survey: suppressed, so no change either
    assert rows["q_sat"].baseline.suppressed and rows["q_sat"].change is None


def test_compare_refuses_different_scales_and_takes_the_latest_surveys(pair, cohort_x):
    baseline, final = pair
    Question.objects.filter(survey=final, code="q_agree").update(scale_min=1, scale_max=5)
    older = make_survey(cohort_x, slug="old-baseline", min_group_size=3)
    older.created_at = baseline.created_at.replace(year=2000)
    older.save()
    rows = {row.code: row for row in compare_baseline_final(cohort_x)}
    assert rows["q_agree"].comparable is False and rows["q_agree"].change is None
    assert rows["q_agree"].baseline.question.survey_id == baseline.pk
    # the caller chooses the surveys when there are several
    assert compare_baseline_final(cohort_x, baseline=older, final=final)[0].baseline.n == 0


def test_compare_by_municipality(cohort_x, municipality_a, municipality_b):
    baseline = make_survey(cohort_x, slug="baseline", min_group_size=3)
    final = make_survey(cohort_x, slug="final", kind=SurveyKind.FINAL, min_group_size=3)
    add_responses(baseline, [{"q_agree": 0}] * 3, municipality=municipality_a)
    add_responses(final, [{"q_agree": 1}] * 3, municipality=municipality_a)
    add_responses(final, [{"q_agree": 2}] * 3, municipality=municipality_b)
    rows = [r for r in compare_baseline_final(cohort_x, by="municipality") if r.code == "q_agree"]
    assert [(r.breakdown, r.change) for r in rows] == [("Ahornstadt", 1), ("Buchenfeld", None)]
    assert rows[1].baseline.suppressed and rows[1].final.mean == 2


def test_compare_without_a_final_survey_is_empty(cohort_x):
    make_survey(cohort_x)
    assert compare_baseline_final(cohort_x) == []

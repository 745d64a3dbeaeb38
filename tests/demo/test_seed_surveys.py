"""manage.py seed_demo: the Hessen cohorts' baseline, final and training feedback surveys, whose
generated answers reproduce the figures printed in the Hessen final report."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Avg, Count, Q

from demo import surveys as demo_surveys
from demo.loader import load
from evaluations.definitions import definition_problems
from evaluations.models import (
    Answer,
    Choice,
    Question,
    Response,
    ResponseChannel,
    Section,
    Survey,
    SurveyKind,
)
from labs.models import Participation, ParticipationStatus

from .conftest import seeded_world

# one process seeds once (tests/demo/conftest.py)
pytestmark = pytest.mark.xdist_group("demo-surveys")

BASELINE, FINAL, FEEDBACK = "anfangsbefragung", "abschlussbefragung", "feedback-vielfaltsmanagement"
HESSEN = load("surveys")["lab"]
COHORTS = {
    c["slug"]: c for c in next(x for x in load("labs")["labs"] if x["slug"] == HESSEN)["cohorts"]
}
SURVEYS = demo_surveys.surveys()
SHARED_CODES = {"sat_cooperation", "sat_strategy_participation", "sat_strategy_implementation"}


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the whole module (tests/demo/conftest.py); gives the command's output."""
    with seeded_world(django_db_blocker, tmp_path_factory) as output:
        yield output


@pytest.fixture
def seeded(_seeded_once, db):
    return _seeded_once


def _survey(cohort: str, slug: str) -> Survey:
    return Survey.objects.get(cohort__lab__slug=HESSEN, cohort__slug=cohort, slug=slug)


def _means(**filters) -> dict[str, tuple[float, int]]:
    """Mean and N per question code, computed in the database."""
    rows = (
        Answer.objects.filter(question__survey__cohort__lab__slug=HESSEN, **filters)
        .filter(number__isnull=False)
        .values("question__code")
        .annotate(mean=Avg("number"), n=Count("id"))
    )
    return {row["question__code"]: (row["mean"], row["n"]) for row in rows}


def _in_cohort(cohort: str) -> Q:
    return Q(cohort__lab__slug=HESSEN, cohort__slug=cohort)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Survey, Section, Question, Choice, Response, Answer)
    }


# -- the data module (no database) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "n", "mean"),
    [(1, 5, 20, 4.7), (1, 5, 23, 4.4), (-2, 2, 70, 0.1), (-2, 2, 61, -1.3), (0, 10, 267, 6.0)],
)
def test_scale_values_hit_the_mean(lo, hi, n, mean):
    values = demo_surveys.scale_values(lo, hi, n, mean, spread=1.0)
    assert len(values) == n
    assert all(lo <= v <= hi for v in values)
    assert sum(values) == round(mean * n)
    assert len(set(values)) >= 2  # a distribution, not one value repeated


def test_an_impossible_mean_is_refused():
    with pytest.raises(ValueError):
        demo_surveys.scale_values(1, 5, 10, 5.5, spread=1.0)


def test_apportion_keeps_the_total_and_the_proportions():
    assert demo_surveys.apportion(720, [370, 350]) == [370, 350]
    assert demo_surveys.apportion(459, [370, 350]) == [236, 223]
    assert sum(demo_surveys.apportion(101, [1, 1, 1])) == 101


@pytest.mark.parametrize("slug", [BASELINE, FINAL, FEEDBACK])
def test_definitions_are_valid_survey_files(slug):
    assert definition_problems(SURVEYS[slug]["definition"]) == []


@pytest.mark.parametrize("slug", [BASELINE, FINAL, FEEDBACK])
def test_every_scale_question_has_a_figure_that_fits_its_range(slug):
    questions = {
        q["code"]: q for s in SURVEYS[slug]["definition"]["sections"] for q in s["questions"]
    }
    figures = demo_surveys.figures(slug)
    scale = {code for code, q in questions.items() if q["type"] == "scale"}
    assert scale <= set(figures)
    assert set(figures) <= set(questions)
    for code in scale:
        assert questions[code]["min"] <= figures[code].mean <= questions[code]["max"], code


def test_survey_windows_lie_in_the_cohort_periods():
    windows = [(c, w) for spec in SURVEYS.values() for c, w in spec["answers"]["windows"].items()]
    assert len(windows) == 6
    for cohort, (first, last) in windows:
        assert COHORTS[cohort]["start_date"] <= first < last <= COHORTS[cohort]["end_date"]


# -- the seeded world -----------------------------------------------------------------------------


def test_each_hessen_cohort_has_the_three_closed_surveys(seeded):
    for cohort in COHORTS:
        surveys = Survey.objects.filter(cohort__lab__slug=HESSEN, cohort__slug=cohort)
        assert {(s.slug, s.kind) for s in surveys} == {
            (BASELINE, SurveyKind.BASELINE),
            (FINAL, SurveyKind.FINAL),
            (FEEDBACK, SurveyKind.FEEDBACK),
        }
        for survey in surveys:
            assert survey.state == "closed"
            assert survey.min_group_size == 5
            start, end = COHORTS[cohort]["start_date"], COHORTS[cohort]["end_date"]
            assert start <= survey.opens_at.date() < survey.closes_at.date() <= end
    assert "6 surveys" in seeded


def test_baseline_has_the_printed_number_of_respondents(seeded):
    baselines = Response.objects.filter(survey__cohort__lab__slug=HESSEN, survey__slug=BASELINE)
    assert baselines.count() == 720
    # and everyone answered the question on their organisation (N = 720 in the report's figure)
    org = Answer.objects.filter(
        question__code="org_type", question__survey__slug=BASELINE, choice__isnull=False
    )
    assert org.count() == 720
    # the order of the organisation types as the report describes it
    shares = Counter(org.values_list("choice__code", flat=True))
    ranked = [code for code, _n in shares.most_common()]
    assert ranked[0] == "verwaltung"
    assert set(ranked[-2:]) == {"sport", "religion"}


def test_baseline_blocks_have_the_printed_n(seeded):
    means = _means(question__survey__slug=BASELINE)
    assert {n for code, (_m, n) in means.items() if code.startswith("org_")} == {459}
    assert min(n for code, (_m, n) in means.items() if code in SHARED_CODES) == 501
    assert {n for code, (_m, n) in means.items() if code.startswith("sf_")} == {480}


def test_baseline_means_as_printed(seeded):
    for cohort in [*COHORTS, None]:
        filters = {"question__survey__slug": BASELINE}
        if cohort:
            filters["question__survey__cohort__slug"] = cohort
        means = {code: mean for code, (mean, _n) in _means(**filters).items()}
        assert round(means["sat_cooperation"]) == 6  # "6 von 10"
        factors = {code: m for code, m in means.items() if code.startswith("sf_")}
        assert all(4 < m < 5 for m in factors.values()), factors
        ranked = sorted(factors, key=factors.get, reverse=True)
        assert ranked[:2] == ["sf_responsibilities", "sf_participation"]
        assert set(ranked[-2:]) == {"sf_update", "sf_working_group"}
        # importance ahead of exchange; gender and physical abilities least diverse
        assert means["org_importance"] > means["org_exchange"]
        dimensions = sorted(
            (c for c in means if c.startswith("org_div_")), key=means.get, reverse=True
        )
        assert set(dimensions[:3]) == {"org_div_age", "org_div_social", "org_div_education"}
        assert set(dimensions[-2:]) == {"org_div_gender", "org_div_ability"}


@pytest.mark.parametrize(
    ("code", "printed"),
    [
        ("sat_basic", 4.4),
        ("sat_deepening", 4.7),
        ("sat_overall", 4.6),
        ("useful_for_work", 4.4),
        ("exchange_multipliers", 4.5),
    ],
)
def test_training_feedback_means_as_printed(seeded, code, printed):
    for cohort in COHORTS:
        means = _means(question__survey__slug=FEEDBACK, question__survey__cohort__slug=cohort)
        assert round(means[code][0], 1) == printed
    pooled = _means(question__survey__slug=FEEDBACK)
    assert round(pooled[code][0], 1) == printed


def test_training_categories_within_the_printed_range(seeded):
    means = _means(question__survey__slug=FEEDBACK)
    for code in ("sat_content", "sat_methods", "sat_practice"):
        assert 4.0 <= round(means[code][0], 1) <= 4.6


def test_final_survey_agreement_as_described(seeded):
    for cohort in COHORTS:
        survey = _survey(cohort, FINAL)
        agreement = survey.questions.filter(scale_min=-2, scale_max=2)
        assert agreement.count() == 7
        values = set(Answer.objects.filter(question__in=agreement).values_list("number", flat=True))
        assert values == {-2, -1, 0, 1, 2}  # a wide spread, every answer used
        means = {
            code: mean
            for code, (mean, _n) in _means(question__survey=survey, question__scale_min=-2).items()
        }
        ranked = sorted(means, key=means.get, reverse=True)
        assert set(ranked[:2]) == {"role_admin_actors", "role_within_admin"}
        assert ranked[-1] == "intercultural_opening"
        assert abs(means["intercultural_opening"]) < 0.5  # "nicht eindeutig"
        # the final survey went to the municipalities that stayed to the end
        stayed = set(
            Participation.objects.filter(_in_cohort(cohort))
            .exclude(status=ParticipationStatus.LEFT)
            .values_list("municipality_id", flat=True)
        )
        assert set(survey.responses.values_list("municipality_id", flat=True)) == stayed


@pytest.mark.parametrize("slug", [BASELINE, FINAL, FEEDBACK])
def test_every_generated_mean_matches_its_figure(seeded, slug):
    for cohort in COHORTS:
        means = _means(question__survey__slug=slug, question__survey__cohort__slug=cohort)
        for code, figure in demo_surveys.figures(slug).items():
            if figure.mean is not None:
                assert round(means[code][0], 1) == figure.mean, (cohort, code)


def test_baseline_and_final_share_comparable_codes(seeded):
    for cohort in COHORTS:
        baseline, final = _survey(cohort, BASELINE), _survey(cohort, FINAL)
        before = {q.code: q for q in baseline.questions.all()}
        after = {q.code: q for q in final.questions.filter(type="scale")}
        shared = set(before) & set(after)
        assert shared == SHARED_CODES
        for code in shared:
            assert (before[code].scale_min, before[code].scale_max) == (0, 10)
            assert (after[code].scale_min, after[code].scale_max) == (0, 10)


def test_responses_are_spread_over_municipalities_and_groups(seeded):
    for cohort in COHORTS:
        survey = _survey(cohort, BASELINE)
        members = set(
            Participation.objects.filter(_in_cohort(cohort)).values_list(
                "municipality_id", flat=True
            )
        )
        per_place = Counter(survey.responses.values_list("municipality_id", flat=True))
        assert set(per_place) == members
        assert len(set(per_place.values())) > 1  # reached unevenly, as the report says
        groups = set(survey.responses.values_list("group", flat=True))
        assert groups == {"Verwaltung", "Politik", "Zivilgesellschaft"}
        assert set(survey.responses.values_list("channel", flat=True)) == {ResponseChannel.IMPORT}
        # the answers' copies of their response's municipality and group (for the breakdowns)
        copies = Answer.objects.filter(response__survey=survey).values_list(
            "municipality_id", "group", "response__municipality_id", "response__group"
        )
        assert all((m, g) == (rm, rg) for m, g, rm, rg in copies.distinct())
        first = survey.responses.order_by("submitted_at").first().submitted_at
        last = survey.responses.order_by("submitted_at").last().submitted_at
        assert survey.opens_at <= first and last <= survey.closes_at
        assert last - first > dt.timedelta(days=7)


def test_some_free_text_comments(seeded):
    for slug in (BASELINE, FINAL, FEEDBACK):
        texts = Answer.objects.filter(
            question__survey__cohort__lab__slug=HESSEN,
            question__survey__slug=slug,
            question__type="text",
        ).exclude(text="")
        assert texts.count() >= 4
        assert set(texts.values_list("text", flat=True)) <= set(
            SURVEYS[slug]["answers"]["comments"]
        )


def test_a_second_run_creates_nothing(seeded):
    before = _counts()
    assert demo_surveys.seed_surveys() == {}
    assert _counts() == before


def test_answers_are_the_same_on_every_run(seeded):
    """Deleting a survey's responses and seeding again gives back exactly the same answers."""
    survey = _survey("kohorte-2", FEEDBACK)

    def answers():
        return sorted(
            Answer.objects.filter(response__survey=survey).values_list(
                "response__external_id", "question__code", "number", "text"
            ),
            key=repr,
        )

    first = answers()
    survey.responses.all().delete()
    assert demo_surveys.seed_surveys() == {"survey responses": 30}
    assert answers() == first


def test_analysis_reports_the_printed_mean(seeded):
    from evaluations.analysis import survey_results

    survey = _survey("kohorte-1", FEEDBACK)
    results = {r.question.code: r for r in survey_results(survey)}
    assert round(results["sat_deepening"].mean, 1) == 4.7
    assert results["sat_deepening"].n == 20
    # broken down by municipality, the small cells are suppressed
    by_place = [
        r for r in survey_results(survey, by="municipality") if r.question.code == "sat_basic"
    ]
    assert any(r.suppressed for r in by_place)
    assert all(r.mean is None for r in by_place if r.suppressed)

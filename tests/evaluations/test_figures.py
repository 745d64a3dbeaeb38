"""evaluations.figures: the default figure plan, items sorted by mean, breakdowns that never show a
small group, captions numbered through a report."""

import re

import pytest
from django.utils import translation

from evaluations import figures
from evaluations.analysis import results_by_answer, survey_questions, survey_results
from evaluations.figures import AGREEMENT, COMPOSITION, ITEMS, QUESTION, FigureSpec
from tests.evaluations.builders import add_responses, make_survey
from tests.evaluations.demo_shaped import make_demo_shaped

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(cohort_x, participation_a, participation_b):
    baseline, final = make_demo_shaped(
        cohort_x, [participation_a.municipality, participation_b.municipality]
    )
    return {"baseline": baseline, "final": final}


def _figures(survey, plan=None):
    questions = list(survey_questions(survey))
    plan = plan if plan is not None else figures.figure_plan(questions)
    splits = figures.survey_splits(survey, questions, plan)
    results = survey_results(survey, questions=questions)
    return figures.build_figures(plan, questions, results, splits=splits)


def test_default_plan_of_the_demo_baseline(demo):
    plan = figures.figure_plan(list(survey_questions(demo["baseline"])))
    assert plan[0] == FigureSpec(COMPOSITION, ("org_type",))
    items = [s for s in plan if s.kind == ITEMS and not s.breakdown]
    assert [s.codes[0] for s in items] == [
        "org_div_age",
        "org_importance",
        "sat_cooperation",
        "sf_responsibilities",
    ]
    assert len(items[0].codes) == 7 and items[1].codes == ("org_importance", "org_exchange")
    # short multi-item figures are also split by the composition question, long ones are not
    split = [s for s in plan if s.breakdown]
    assert {s.codes[0] for s in split} == {"org_importance", "sat_cooperation"}
    assert all(s.breakdown == "org_type" for s in split)
    assert not [s for s in plan if "comment" in s.codes]  # free text has no figure


def test_default_plan_of_the_demo_final_and_of_single_questions(demo, cohort_x):
    plan = figures.figure_plan(list(survey_questions(demo["final"])))
    assert plan[0].kind == AGREEMENT and len(plan[0].codes) == 7
    assert plan[1].kind == ITEMS
    mixed = make_survey(cohort_x, slug="gemischt")
    kinds = [(s.kind, s.codes) for s in figures.figure_plan(list(survey_questions(mixed)))]
    assert (AGREEMENT, ("q_agree",)) in kinds  # −2…+2, even alone
    assert (QUESTION, ("q_sat",)) in kinds  # a scale on its own range: its own chart
    assert (COMPOSITION, ("q_role",)) in kinds
    assert (QUESTION, ("q_formats",)) in kinds and (QUESTION, ("q_hours",)) in kinds


def test_items_are_sorted_by_mean_highest_first(demo):
    with translation.override("de"):
        shown = _figures(demo["baseline"])
    success = next(
        f for f in shown if f.spec.codes[0] == "sf_responsibilities" and not f.spec.breakdown
    )
    means = [float(row.mean.replace(",", ".")) for row in success.rows]
    assert means == sorted(means, reverse=True)
    assert (
        success.rows[0].label.startswith("Zuständigkeiten")
        or "Zuständigkeiten" in success.rows[0].label
    )
    svg = str(success.svg)
    assert svg.count('class="bar"') == 6
    assert "0 = nicht wichtig" in svg and "5 = sehr wichtig" in svg  # the scale's end labels


def test_breakdown_suppresses_small_and_complementary_groups(demo):
    with translation.override("de"):
        shown = _figures(demo["baseline"])
    split = next(f for f in shown if f.spec.breakdown and f.spec.codes[0] == "org_importance")
    groups = {row.group for row in split.rows}
    # religion has 4 respondents (k = 5); sport (6) would give it away as total − the rest
    assert "Religionsgemeinschaft" not in groups and "Sportverein" not in groups
    assert {"Kommunalverwaltung", "Bildungseinrichtung (Kita, Schule, Bildungsträger)"} <= groups
    assert all(row.n >= 5 for row in split.rows)
    assert "Religionsgemeinschaft" not in str(split.svg)
    assert split.table_note == "Gruppen mit weniger als 5 Befragten sind nicht dargestellt."


def test_results_by_answer_cells(cohort_x, municipality_a):
    survey = make_survey(cohort_x, slug="split")
    answers = [{"q_agree": 1, "q_sat": 4, "q_role": "verwaltung"}] * 6
    answers += [{"q_agree": -1, "q_sat": 2, "q_role": "politik"}] * 2
    answers += [{"q_agree": 0, "q_sat": 3, "q_role": "andere"}] * 5
    add_responses(survey, answers, municipality=municipality_a)
    questions = list(survey_questions(survey))
    role = next(q for q in questions if q.code == "q_role")
    cells = [
        r
        for r in results_by_answer(survey, role, questions=questions)
        if r.question.code == "q_sat"
    ]
    by_key = {c.breakdown_key: c for c in cells}
    assert by_key["verwaltung"].mean == 4 and not by_key["verwaltung"].suppressed
    assert by_key["politik"].suppressed and by_key["politik"].mean is None
    # politik (2) could be worked out from the total: the next smallest (andere, 5) goes too
    assert by_key["andere"].suppressed and by_key["andere"].suppressed_reason == "complementary"


def test_captions_are_numbered_in_the_seeds_style(demo):
    with translation.override("de"):
        shown = _figures(demo["baseline"])
        next_number = figures.number_figures(shown, start=10)
        captions = [f.caption for f in shown]
    assert next_number == 10 + len(shown)
    assert captions[0].startswith("Abbildung 10 – Zusammensetzung der Befragten: ")
    assert captions[0].endswith("(Anteile in Prozent; N = 60)")
    success = next(c for c in captions if "Was die Umsetzung voranbringt (" in c)
    assert re.fullmatch(
        r"Abbildung \d+ – Was die Umsetzung voranbringt "
        r"\(Mittelwerte auf einer Skala von 0 bis 5; N = 60\)",
        success,
    )
    diversity = next(
        c
        for c in captions
        if "Vielfalt in Ihrer Organisation (Mittelwerte auf einer Skala von 1" in c
    )
    assert diversity.endswith("N = 50)")  # individuals do not answer for an organisation
    with translation.override("en"):
        assert shown[0].caption.startswith("Figure 10 – ")


def test_caption_override_and_unknown_codes(demo):
    plan = [
        FigureSpec(ITEMS, ("sf_update", "sf_responsibilities"), caption="Erfolgsfaktoren"),
        FigureSpec(ITEMS, ("no_such_code",)),
    ]
    with translation.override("de"):
        shown = _figures(demo["baseline"], plan)
        figures.number_figures(shown)
        assert len(shown) == 1
        assert shown[0].caption.startswith("Abbildung 1 – Erfolgsfaktoren (Mittelwerte")


def test_agreement_figure_draws_distribution_and_mean(demo):
    with translation.override("de"):
        shown = _figures(demo["final"])
    agreement = shown[0]
    svg = str(agreement.svg)
    assert svg.count('class="bubble"') >= 7 * 3  # circles per answered value (+ the legend's)
    assert svg.count('class="mark"') == 2 * 7 + 2  # a cross per item, one in the legend
    assert "−2 = stimme nicht zu" in svg and "+2" in svg
    means = [float(row.mean.replace(",", ".")) for row in agreement.rows]
    assert means == sorted(means, reverse=True)


def test_a_plan_survives_json(demo):
    plan = figures.figure_plan(list(survey_questions(demo["baseline"])))
    stored = [spec.to_json() for spec in plan]
    assert [FigureSpec.from_json(data) for data in stored] == plan

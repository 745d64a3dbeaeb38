"""Minimum group size across every filter and breakdown the platform offers, and across the
differences of two views.

What the analysis offers: all respondents, by municipality, by respondent group (analysis page,
its htmx partial, one chart per question, the results export), baseline vs final in the same
three ways, and the reports (all respondents, one municipality beside all). Every one of them
reads evaluations.analysis.survey_results.

What was found: each breakdown alone was protected (a cell under the minimum is hidden, and
complementary suppression hides the next smallest cell while the hidden ones could be worked out
as the total minus the cells shown). But the two breakdowns describe the same respondents, and a
difference between them was not protected: with Ahornstadt's 6 respondents all in the group
"Rat" and 7 in "Rat" altogether, "Rat" minus Ahornstadt is the one respondent from Buchenfeld in
"Rat", and every figure of that person follows from the two views. analysis.
protect_across_breakdowns closes that. The brute-force auditor below checks, for many random
tables, that no difference of any two sets of respondents known from the views (each view's
visible cells, the total, the hidden cells together as the total minus the rest, unions of these
and unions across the two views) describes between 1 and k − 1 respondents.
"""

import csv
import io
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations import analysis, exporting
from evaluations.analysis import protect_across_breakdowns, survey_results
from evaluations.models import SurveyKind

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey

# --- the auditor -------------------------------------------------------------------------------


def _known_sets(counts: dict, hidden: dict) -> list[frozenset]:
    """Sets of table cells whose respondents' figures can be read off or computed from the
    views: unions of each breakdown's visible cells and its hidden cells together, and the
    disjoint unions of one set from each breakdown."""
    cells = frozenset(c for c, n in counts.items() if n)
    per_side = []
    for index, name in enumerate(("municipality", "group")):
        values = {c[index] for c in cells}
        atoms = [
            frozenset(c for c in cells if c[index] == v) for v in values if v not in hidden[name]
        ]
        rest = frozenset(c for c in cells if c[index] in hidden[name])
        if rest:
            atoms.append(rest)
        unions = {
            frozenset().union(*combo)
            for size in range(1, len(atoms) + 1)
            for combo in itertools.combinations(atoms, size)
        }
        per_side.append(unions)
    known = set(per_side[0]) | set(per_side[1])
    known |= {a | b for a in per_side[0] for b in per_side[1] if not a & b}
    return list(known)


def audit(counts: dict, hidden: dict, k: int) -> list[tuple]:
    """Every pair of known sets whose difference holds 1 … k − 1 respondents, and every visible
    cell under k (an empty list: nothing can be worked out about fewer than k respondents)."""
    problems = []

    def size(cells):
        return sum(counts[c] for c in cells)

    for index, name in enumerate(("municipality", "group")):
        totals: dict = {}
        for cell, n in counts.items():
            totals[cell[index]] = totals.get(cell[index], 0) + n
        problems += [(name, v, n) for v, n in totals.items() if 0 < n < k and v not in hidden[name]]
    known = _known_sets(counts, hidden)
    for big in known:
        for small in known:
            if small < big and 0 < size(big - small) < k:
                problems.append((sorted(big, key=str), sorted(small, key=str)))
    return problems


MUNICIPALITIES = [1, 2, 3, None]
GROUPS = ["Rat", "Verwaltung", "Politik", ""]


@st.composite
def tables(draw):
    municipalities = draw(
        st.lists(st.sampled_from(MUNICIPALITIES), min_size=1, max_size=3, unique=True)
    )
    groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=3, unique=True))
    counts = {}
    for key in itertools.product(municipalities, groups):
        n = draw(st.integers(min_value=0, max_value=8))
        if n:
            counts[key] = n
    return counts


def _table(counts: dict) -> analysis._CrossTable:
    names = {1: "Ahornstadt", 2: "Buchenfeld", 3: "Cedernheim", None: ""}
    return analysis._CrossTable(counts=dict(counts), names={m: names[m] for m, _g in counts})


@settings(max_examples=300, deadline=None)
@given(counts=tables(), k=st.sampled_from([3, 5]))
def test_no_difference_of_two_views_reveals_a_small_group(counts, k):
    hidden = protect_across_breakdowns(_table(counts), k)
    assert audit(counts, hidden, k) == []


def test_the_nested_groups_that_leaked():
    """Ahornstadt 6 (all "Rat"), Buchenfeld 1 "Rat" + 5 "Verwaltung": every cell has at least 5
    respondents, yet "Rat" − Ahornstadt is one person."""
    counts = {(1, "Rat"): 6, (2, "Rat"): 1, (2, "Verwaltung"): 5}
    nothing_hidden = {"municipality": set(), "group": set()}
    assert audit(counts, nothing_hidden, 5)  # without the guard: a leak
    hidden = protect_across_breakdowns(_table(counts), 5)
    assert audit(counts, hidden, 5) == []
    # the smallest visible cell involved goes: Ahornstadt (6) rather than "Rat" (7)
    assert 1 in hidden["municipality"]


@pytest.mark.parametrize(
    "counts",
    [
        {(1, "Rat"): 6, (2, "Rat"): 7},  # groups and municipalities independent: nothing more
        {(1, "Rat"): 5, (1, "Verwaltung"): 5, (2, "Rat"): 5, (2, "Verwaltung"): 5},
    ],
)
def test_the_guard_hides_nothing_without_reason(counts):
    hidden = protect_across_breakdowns(_table(counts), 5)
    assert hidden == {"municipality": set(), "group": set()}


# --- through survey_results and the pages --------------------------------------------------------

K = 5


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def leaky(cohort_x, municipality_a, municipality_b):
    """The nested case in a real survey, as baseline; a final survey with a small group."""
    baseline = make_survey(cohort_x, min_group_size=K)
    add_responses(
        baseline,
        [{"q_agree": v, "q_sat": 3, "q_formats": ["workshop"]} for v in (1, 1, 2, 0, 1, 2)],
        municipality=municipality_a,
        group="Rat",
    )
    add_responses(
        baseline,
        [{"q_agree": -2, "q_sat": 1, "q_formats": ["beratung"]}],
        municipality=municipality_b,
        group="Rat",
    )
    add_responses(
        baseline,
        [{"q_agree": 0, "q_sat": 4, "q_formats": ["seminar"]}] * 5,
        municipality=municipality_b,
        group="Verwaltung",
    )
    final = make_survey(cohort_x, slug="abschluss", kind=SurveyKind.FINAL, min_group_size=K)
    add_responses(final, [{"q_agree": 2, "q_sat": 5}] * 9, municipality=municipality_a, group="Rat")
    add_responses(final, [{"q_agree": -1, "q_sat": 2}], municipality=municipality_b, group="Rat")
    return {"baseline": baseline, "final": final, "a": municipality_a, "b": municipality_b}


# respondents of the baseline per (municipality, group), the same for every question asked
def _baseline_counts(world) -> dict:
    return {(world["a"].pk, "Rat"): 6, (world["b"].pk, "Rat"): 1, (world["b"].pk, "Verwaltung"): 5}


def _visible(results) -> dict:
    """{question code: {breakdown key: n}} of the cells shown (the overall row as key "all")."""
    shown: dict = {}
    for r in results:
        if not r.suppressed:
            key = "all" if r.breakdown is None else r.breakdown_key
            shown.setdefault(r.question.code, {})[key] = r.n
    return shown


def test_survey_results_no_longer_let_the_person_be_worked_out(leaky):
    survey = leaky["baseline"]
    by_municipality = survey_results(survey, by="municipality", with_overall=True)
    by_group = survey_results(survey, by="group", with_overall=True)
    for code in ("q_agree", "q_sat", "q_formats"):
        hidden = {
            "municipality": {
                r.breakdown_key
                for r in by_municipality
                if r.question.code == code and r.suppressed and r.breakdown is not None
            },
            "group": {
                r.breakdown_key
                for r in by_group
                if r.question.code == code and r.suppressed and r.breakdown is not None
            },
        }
        assert audit(_baseline_counts(leaky), hidden, K) == [], code
    # without the protections both views would show every cell: the leak was real
    raw = survey_results(survey, by="municipality", complementary=False)
    assert not any(r.suppressed for r in raw if r.question.code == "q_agree")
    assert not any(
        r.suppressed
        for r in survey_results(survey, by="group", complementary=False)
        if r.question.code == "q_agree" and r.breakdown_key == "Rat"
    )


def _assert_at_least_k(shown: dict):
    for code, cells in shown.items():
        for key, n in cells.items():
            assert n >= K, (code, key, n)


@pytest.mark.parametrize("by", ["", "municipality", "group"])
def test_no_small_cell_on_the_analysis_page_its_partial_charts_and_export(leaky, client_as, by):
    survey = leaky["baseline"]
    client = client_as("coordinator")
    url = reverse("survey_analysis", args=["innolab-x", "kohorte-1", survey.slug])
    query = f"?by={by}" if by else ""
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(url + query, **headers)
        assert response.status_code == 200
        results = [
            row.result
            for _section, blocks in response.context["results"].sections
            for block in blocks
            for row in block.rows
        ]
        _assert_at_least_k(_visible(results))
        counts = _baseline_counts(leaky)
        if by:
            hidden = {"municipality": set(), "group": set()}
            hidden[by] = {
                r.breakdown_key
                for r in results
                if r.suppressed and r.breakdown is not None and r.question.code == "q_agree"
            }
            # this view's suppression is what the guard decided for its breakdown
            assert hidden[by] == protect_across_breakdowns(_table_of(counts), K)[by]
    for question in survey.questions.exclude(type="text"):
        chart = client.get(
            reverse("survey_chart", args=["innolab-x", "kohorte-1", survey.slug, question.pk])
            + query
        )
        assert all(int(n) >= K for n in re.findall(r"n = (\d+)", chart.content.decode()))
    rows = list(csv.reader(io.StringIO(exporting.results_csv(survey, by=by or None))))
    header = rows[0]
    for row in rows[1:]:
        n = row[header.index("n")]
        assert n == "" or int(n) >= K, row


def _table_of(counts: dict) -> analysis._CrossTable:
    return analysis._CrossTable(counts=counts, names={m: str(m) for m, _g in counts})


@pytest.mark.parametrize("by", ["", "municipality", "group"])
def test_no_small_cell_in_baseline_vs_final(leaky, client_as, by):
    url = reverse("survey_compare", args=["innolab-x", "kohorte-1"])
    response = client_as("coordinator").get(url + (f"?by={by}" if by else ""))
    assert response.status_code == 200
    for view in response.context["rows"]:
        for result in (view.row.baseline, view.row.final):
            assert result.suppressed or result.n >= K
        if view.row.change is not None:
            assert view.row.baseline.n >= K and view.row.final.n >= K
    chart_text = " ".join(str(c.svg) for c in response.context["charts"])
    assert all(int(n) >= K for n in re.findall(r"n = (\d+)", chart_text))


def test_the_final_surveys_single_person_is_hidden_in_every_view(leaky):
    """Final survey: Ahornstadt 9 ("Rat"), Buchenfeld 1 ("Rat"). All respondents (10) minus
    Ahornstadt (9) would be that one person: Ahornstadt is hidden too, in both breakdowns'
    terms ("Rat" = everyone, so it may show)."""
    final = leaky["final"]
    municipality = {
        r.breakdown: r
        for r in survey_results(final, by="municipality")
        if r.question.code == "q_sat"
    }
    assert municipality["Buchenfeld"].suppressed_reason == "too_few"
    assert municipality["Ahornstadt"].suppressed_reason == "complementary"
    group = {
        r.breakdown: r for r in survey_results(final, by="group") if r.question.code == "q_sat"
    }
    assert not group["Rat"].suppressed and group["Rat"].n == 10
    overall = [r for r in survey_results(final) if r.question.code == "q_sat"][0]
    assert overall.n == 10 and not overall.suppressed

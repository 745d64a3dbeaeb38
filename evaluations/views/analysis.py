"""Survey views: analysis. Results per question with charts, one chart as SVG, baseline vs final.

Coordinators and funders read the results (evaluations.permissions); free text only coordinators.
Every page computes its figures with a constant number of queries (evaluations.analysis), and
charts come from evaluations.charts, the code path the PDF reports use as well. `?by=municipality`
or `?by=group` breaks the figures down; an unknown value shows the figures over all respondents.
(URL lists at the bottom; evaluations/urls.py mounts them.)
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.fragments import fragment
from core.viewhelpers import render_page_or_partial

from .. import charts, figures, selectors
from ..analysis import (
    BREAKDOWNS,
    ComparisonRow,
    QuestionResult,
    compare_baseline_final,
    municipality_results,
    scale_label,
    survey_questions,
    survey_results,
)
from ..models import Question, QuestionType, Survey, SurveyKind
from ..permissions import access_cohort_surveys, access_municipality_results, access_survey
from ..selectors import RESULT_SCOPES
from .common import survey_context

TEXT_LIMIT = 100  # free texts per cell on the page; the raw export has all of them


def _by(request: HttpRequest) -> str | None:
    by = request.GET.get("by") or None
    return by if by in BREAKDOWNS else None


def _breakdown_options(by: str | None) -> list[tuple[str, str, bool]]:
    """(query value, label, current) for the breakdown switch above the results."""
    options = [
        ("", _("All respondents"), by is None),
        ("municipality", _("By municipality"), by == "municipality"),
        ("group", _("By respondent group"), by == "group"),
    ]
    return options


def _figure(value: float | None) -> str:
    return charts.format_number(value, 2) if value is not None else "–"


# --- survey analysis ------------------------------------------------------------------------------


@dataclass
class ResultRow:
    result: QuestionResult
    name: str
    mean: str
    median: str
    sd: str
    cells: list[str]  # "count (percent)" per bin


@dataclass
class QuestionBlock:
    question: Question
    rows: list[ResultRow]
    bins: list[str]  # column headings of the distribution
    chart: str = ""
    texts: list[tuple[str, QuestionResult]] = field(default_factory=list)

    @property
    def columns(self) -> int:
        """Columns of the table besides the row heading, for the suppressed rows' colspan."""
        return (
            1
            + (3 if self.question.type in (QuestionType.SCALE, QuestionType.NUMBER) else 0)
            + len(self.bins)
        )


def _bin_headings(question: Question) -> list[str]:
    if question.type == QuestionType.SCALE:
        return [scale_label(question, value) for value in question.scale_values]
    if question.has_choices:
        return [choice.label for choice in question.choices.all()]
    return []


def _row(result: QuestionResult) -> ResultRow:
    name = result.breakdown if result.breakdown is not None else _("All respondents")
    cells = [f"{s.count} ({charts.format_percent(s.percent)})" for s in result.shares]
    return ResultRow(
        result, name, _figure(result.mean), _figure(result.median), _figure(result.sd), cells
    )


def question_blocks(
    questions: list[Question], results: list[QuestionResult], *, by: str | None, with_charts=True
) -> list[QuestionBlock]:
    per_question: dict[int, list[QuestionResult]] = {q.pk: [] for q in questions}
    for result in results:
        per_question[result.question.pk].append(result)
    blocks = []
    for question in questions:
        own = per_question[question.pk]
        block = QuestionBlock(question, [_row(r) for r in own], _bin_headings(question))
        if with_charts and question.type != QuestionType.TEXT:
            chart_id = f"chart-{question.pk}-{by or 'all'}"
            block.chart = mark_safe(  # noqa: S308 - rendered by our template, texts escaped there
                charts.question_chart_svg(question, own, chart_id=chart_id)
            )
        if question.type == QuestionType.TEXT:
            block.texts = [(row.name, row.result) for row in block.rows]
        blocks.append(block)
    return blocks


def _chosen_municipality(request: HttpRequest, by: str | None) -> int | None:
    """The municipality chosen in the analysis by municipality (its id), else None."""
    value = request.GET.get("municipality", "")
    return int(value) if by == "municipality" and value.isdigit() and len(value) < 10 else None


@dataclass
class AnalysisResults:
    sections: list[tuple]  # (section, [QuestionBlock, …])
    municipalities: list[tuple[int, str]]  # (id, name) of the chooser, by name
    figures: list = field(default_factory=list)  # figures.Figure over all respondents


def section_figures(survey: Survey, questions: list[Question], results) -> list:
    """The figures a report prints for this survey over several questions or split by an
    answer (the page shows every question's own chart already), over all respondents,
    numbered in the page's order."""
    return page_figures(
        questions, results, lambda plan: figures.survey_splits(survey, questions, plan)
    )


def page_figures(questions: list[Question], results, splits_of) -> list:
    """The figures of an analysis page (`section_figures`, and the lab's pooled page):
    `splits_of(plan)` gives the results split by the plan's breakdown answers."""
    plan = [s for s in figures.figure_plan(questions) if len(s.codes) > 1 or s.breakdown]
    overall = [r for r in results if r.breakdown is None]
    shown = figures.build_figures(
        plan, questions, overall, splits=splits_of(plan), id_prefix="figure"
    )
    figures.number_figures(shown)
    return shown


def analysis_results(
    survey: Survey, *, by: str | None, include_text: bool, municipality: int | None = None
) -> AnalysisResults:
    """The page's results; with `municipality` (by municipality only) each question keeps the
    row of all respondents and that municipality's. Cells are suppressed over all of them first,
    so choosing one shows exactly what the full table shows for it."""
    questions = list(survey_questions(survey))
    results = survey_results(
        survey,
        by=by,
        include_text=include_text,
        questions=questions,
        with_overall=True,
        text_limit=TEXT_LIMIT,
    )
    municipalities: list[tuple[int, str]] = []
    if by == "municipality":
        names = {r.breakdown_key: r.breakdown for r in results if isinstance(r.breakdown_key, int)}
        municipalities = sorted(names.items(), key=lambda item: (item[1] or "").casefold())
    shown = section_figures(survey, questions, results)
    if municipality is not None:
        results = [r for r in results if r.breakdown is None or r.breakdown_key == municipality]
    return AnalysisResults(_sections(questions, results, by=by), municipalities, shown)


def _sections(questions: list[Question], results: list[QuestionResult], *, by) -> list[tuple]:
    """(section, [QuestionBlock, …]) in the survey's order: the tables and charts of the page."""
    sections: list[tuple] = []
    for block in question_blocks(questions, results, by=by):
        if not sections or sections[-1][0] != block.question.section:
            sections.append((block.question.section, []))
        sections[-1][1].append(block)
    return sections


@login_required
@require_GET
def survey_analysis(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = access_survey(request.user, lab_slug, cohort_slug, survey_slug, analyse=True)
    survey, by, raw = access.survey, _by(request), access.can_see_raw
    chosen = _chosen_municipality(request, by)
    n_responses, snapshot = selectors.survey_response_total(survey, user=request.user)
    context = {
        **survey_context(access),
        "by": by,
        "by_options": _breakdown_options(by),
        "chosen_municipality": chosen,
        # computed only when the results are not in the page cache
        "results": SimpleLazyObject(
            lambda: analysis_results(survey, by=by, include_text=raw, municipality=chosen)
        ),
        "fragment": fragment(
            request,
            "survey-analysis",
            survey.pk,
            by,
            raw,
            chosen,
            query=("by", "municipality"),
            scopes=RESULT_SCOPES,
        ),
        "n_responses": n_responses,
        "snapshot": snapshot,
        "text_limit": TEXT_LIMIT,
        "compare": survey.kind in (SurveyKind.BASELINE, SurveyKind.FINAL),
    }
    return render_page_or_partial(
        request, "evaluations/analysis/survey_analysis.html", "analysis-results", context
    )


@login_required
@require_GET
def survey_chart(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, question_id: int
) -> HttpResponse:
    access = access_survey(request.user, lab_slug, cohort_slug, survey_slug, analyse=True)
    survey = access.survey
    question = survey_questions(survey, pk=question_id).exclude(type=QuestionType.TEXT).first()
    if question is None:
        raise Http404
    by = _by(request)
    results = survey_results(survey, by=by, questions=[question], with_overall=True)
    svg = charts.question_chart_svg(question, results, chart_id=f"chart-{question.pk}")
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="{survey.slug}-{question.code}{"-" + by if by else ""}.svg"'
    )
    # results change with every response: never serve a stale chart
    response["Cache-Control"] = "private, no-cache"
    return response


# --- a municipality's own results ----------------------------------------------------------------


def own_result_sections(survey: Survey, municipality) -> list[tuple]:
    """(section, [QuestionBlock, …]) of one municipality's results, as on the analysis page."""
    questions = list(survey_questions(survey))
    results = municipality_results(survey, municipality, questions=questions)
    return _sections(questions, results, by="municipality")


@login_required
@require_GET
def survey_municipality_results(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, participation_id: int
) -> HttpResponse:
    access = access_municipality_results(
        request.user, lab_slug, cohort_slug, survey_slug, participation_id
    )
    survey, participation = access.survey, access.participation_access.participation
    context = {
        "lab": survey.cohort.lab,
        "cohort": survey.cohort,
        "survey": survey,
        "participation": participation,
        "access": access,
        "by": "municipality",
        "sections": own_result_sections(survey, participation.municipality),
    }
    return render(request, "evaluations/analysis/municipality_results.html", context)


# --- baseline vs final --------------------------------------------------------------------------


def _survey_label(survey: Survey) -> str:
    return f"{survey.title} ({survey.slug})"


class CompareForm(forms.Form):
    """Which baseline and which final survey, when the cohort has several of a kind."""

    baseline = forms.ChoiceField(label=gettext_lazy("Baseline survey"))
    final = forms.ChoiceField(label=gettext_lazy("Final survey"))

    def __init__(self, data, *, initial: dict, baselines: list[Survey], finals: list[Survey]):
        super().__init__(data, initial=initial)
        self.fields["baseline"].choices = [(s.slug, _survey_label(s)) for s in baselines]
        self.fields["final"].choices = [(s.slug, _survey_label(s)) for s in finals]


@dataclass
class CompareRowView:
    row: ComparisonRow
    baseline_mean: str
    final_mean: str
    change: str


@dataclass
class CompareChart:
    heading: str
    svg: str


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    text = charts.format_number(value, 2)
    return f"+{text}" if round(value, 2) > 0 else text


def _mean_bar(result: QuestionResult) -> charts.MeanBar:
    return charts.MeanBar(
        result.mean, result.n, result.suppressed, result.min_group_size, result.suppressed_reason
    )


def _compare_charts(
    rows: list[ComparisonRow], by: str | None, *, with_codes: bool = True
) -> list[CompareChart]:
    """Means side by side: without breakdown one chart per scale range (a row per question),
    with a breakdown one chart per question (a row per cell). Printed reports name the
    questions by their texts only (`with_codes` off)."""
    series = [_("Baseline survey"), _("Final survey")]
    groups: dict[tuple, list[ComparisonRow]] = {}
    for row in rows:
        if not row.comparable:
            continue
        question = row.final_question
        if by is None and question.type == QuestionType.SCALE:
            key = ("scale", question.scale_min, question.scale_max)
        else:
            key = ("question", question.code)
        groups.setdefault(key, []).append(row)
    out = []
    for index, (key, members) in enumerate(groups.items()):
        first = members[0].final_question
        if key[0] == "scale":
            low, high = first.scale_min, first.scale_max
            heading = _("Scale questions from %(low)s to %(high)s") % {"low": low, "high": high}
            mean_rows = [
                charts.MeanRow(
                    Truncator(f"{r.code}: {r.final_text}").chars(60)
                    if with_codes
                    else r.final_text,
                    [_mean_bar(r.baseline), _mean_bar(r.final)],
                )
                for r in members
            ]
        else:
            heading = f"{first.code}: {first.text}" if with_codes else first.text
            if first.type == QuestionType.SCALE:
                low, high = first.scale_min, first.scale_max
            else:
                means = [
                    m for r in members for m in (r.baseline.mean, r.final.mean) if m is not None
                ]
                low = min([0.0, *means])
                high = charts._nice_ceiling(max([0.0, *means]) * 1.05) if means else 1
                low = -charts._nice_ceiling(-low * 1.05) if low < 0 else 0
            mean_rows = [
                charts.MeanRow(
                    r.breakdown if r.breakdown is not None else _("All respondents"),
                    [_mean_bar(r.baseline), _mean_bar(r.final)],
                )
                for r in members
            ]
        title = _("Means in the baseline and the final survey: %(what)s") % {"what": heading}
        if with_codes:
            svg = charts.means_svg(
                mean_rows,
                low=low,
                high=high,
                series=series,
                title=title,
                chart_id=f"compare-{index}",
            )
        else:  # print: the items' full texts, the scale's end labels
            scale = first.type == QuestionType.SCALE
            svg = charts.items_svg(
                [(None, mean_rows)],
                low=low,
                high=high,
                low_label=first.min_label if scale else "",
                high_label=first.max_label if scale else "",
                series=series,
                title=title,
                chart_id=f"compare-{index}",
            )
        out.append(CompareChart(heading, mark_safe(svg)))  # noqa: S308 - escaped by the template
    return out


def _compare_choice(
    request: HttpRequest, baselines: list[Survey], finals: list[Survey]
) -> tuple[Survey | None, Survey | None, CompareForm | None]:
    """(baseline, final, form): the latest survey of each kind, or those chosen in the form,
    which is offered when the cohort has several of a kind."""
    baseline = baselines[0] if baselines else None
    final = finals[0] if finals else None
    if not (baselines and finals and (len(baselines) > 1 or len(finals) > 1)):
        return baseline, final, None
    chosen = "baseline" in request.GET or "final" in request.GET
    form = CompareForm(
        request.GET if chosen else None,
        initial={"baseline": baseline.slug, "final": final.slug},
        baselines=baselines,
        finals=finals,
    )
    # a survey that is not (any more) in the list: the form says so, the latest are shown
    if chosen and form.is_valid():
        baseline = next(s for s in baselines if s.slug == form.cleaned_data["baseline"])
        final = next(s for s in finals if s.slug == form.cleaned_data["final"])
    return baseline, final, form


def _compare_row(row: ComparisonRow) -> CompareRowView:
    return CompareRowView(
        row, _figure(row.baseline.mean), _figure(row.final.mean), _signed(row.change)
    )


@login_required
@require_GET
def survey_compare(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort_surveys(request.user, lab_slug, cohort_slug)
    cohort, by = access.cohort, _by(request)
    baseline, final, form = _compare_choice(request, *selectors.compare_candidates(cohort))
    rows = []
    if baseline and final:
        rows = compare_baseline_final(cohort, baseline=baseline, final=final, by=by)
    # the breakdown links keep the chosen surveys
    query = {"baseline": baseline.slug, "final": final.slug} if form is not None else {}
    context = {
        "lab": cohort.lab,
        "cohort": cohort,
        "baseline": baseline,
        "final": final,
        "form": form,
        "rows": [_compare_row(row) for row in rows],
        "charts": _compare_charts(rows, by),
        "by": by,
        "by_options": _breakdown_options(by),
        "survey_query": urlencode(query) + "&" if query else "",
        "results_only": not access.can_coordinate,
    }
    return render_page_or_partial(
        request, "evaluations/analysis/survey_compare.html", "compare-results", context
    )


# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/
cohort_patterns = [
    path("compare/", survey_compare, name="survey_compare"),
]
# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/<survey_slug>/
survey_patterns = [
    path("analysis/", survey_analysis, name="survey_analysis"),
    path("analysis/charts/<int:question_id>.svg", survey_chart, name="survey_chart"),
    path(
        "municipalities/<int:participation_id>/",
        survey_municipality_results,
        name="survey_municipality_results",
    ),
]
# from the site root (public answering links and the like)
root_patterns = []

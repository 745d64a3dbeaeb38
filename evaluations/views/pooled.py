"""Survey views: the lab's pooled analysis. The surveys of one kind across all the lab's cohorts
as one analysis (evaluations.pooling), for the lab's coordinators and funders: the same tables
and charts as a survey's analysis page, without free texts (each survey's own page has them).
`?kind=` chooses the kind of survey, `?by=` the breakdown. (URL list at the bottom.)
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from core.viewhelpers import render_page_or_partial

from ..models import QuestionType, SurveyKind
from ..permissions import access_lab_results
from ..pooling import lab_surveys_by_kind, pooled_results, pooled_splits
from .analysis import _breakdown_options, _by, _sections, page_figures


@dataclass(frozen=True)
class _NoSurveyLinks:
    """The question blocks' template links a survey's chart file and its free texts; a pooled
    analysis has neither."""

    can_analyse: bool = False
    can_see_raw: bool = False


def pooled_figures(pooled) -> list:
    """What `section_figures` shows on a survey's page, over the pooled results: the report's
    figures over several questions or split by an answer (the breakdowns pooled too)."""
    return page_figures(pooled.questions, pooled.results, lambda plan: pooled_splits(pooled, plan))


def _pooled_page(surveys, by) -> tuple:
    """The pooled results, the page's sections and its figures (no free texts: each survey's
    own page has them)."""
    pooled = pooled_results(surveys, by=by, with_overall=True)
    questions = [q for q in pooled.questions if q.type != QuestionType.TEXT]
    results = [r for r in pooled.results if r.question.type != QuestionType.TEXT]
    return pooled, _sections(questions, results, by=by), pooled_figures(pooled)


@login_required
@require_GET
def lab_survey_analysis(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab_results(request.user, lab_slug)
    lab, by = access.lab, _by(request)
    groups = lab_surveys_by_kind(lab)
    kind = request.GET.get("kind", "")
    kind = kind if kind in groups else next(iter(groups), "")
    pooled, sections, shown = _pooled_page(groups[kind], by) if kind else (None, [], [])
    context = {
        "lab": lab,
        "kinds": [(k, SurveyKind(k).label, k == kind, len(groups[k])) for k in groups],
        "kind": kind,
        "pooled": pooled,
        "sections": sections,
        "figures": shown,
        "by": by,
        "by_options": _breakdown_options(by),
        "access": _NoSurveyLinks(),
    }
    return render_page_or_partial(
        request, "evaluations/analysis/lab_analysis.html", "lab-analysis-results", context
    )


# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/ and …/<survey_slug>/: none
cohort_patterns: list = []
survey_patterns: list = []
# from the site root
root_patterns = [
    path("labs/<slug:lab_slug>/surveys/analysis/", lab_survey_analysis, name="lab_survey_analysis"),
]

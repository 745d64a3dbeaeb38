"""Figure plans of a report draft: which figures each survey of the report prints, in what order,
with which caption and breakdown ("Abbildungen" page).

A draft stores `figure_plans` = {plan key: [FigureSpec.to_json(), …]}; a key that is missing (or an
empty dict) means the default plan (evaluations.figures.figure_plan), so a report generated without
editing still gets its figures. The plan keys follow how reports.render groups the surveys: one
key per survey (`survey-<id>`), and on a lab-wide final report or whitepaper one per survey kind
whose surveys are pooled across the cohorts (`kind-<kind>`). A stored plan is checked against the
survey's questions when it is saved (reports.services.report_draft_figure_plans_set refuses unknown
questions) and again when the report is printed (`resolved_plan`: figures whose questions are gone
are skipped, never an error).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from evaluations import figures
from evaluations.analysis import survey_questions
from evaluations.models import Question, QuestionType, Survey, SurveyKind
from evaluations.pooling import pooled_results

from .models import ReportDraft, ReportKind

PLAN_KINDS = (ReportKind.FINAL, ReportKind.WHITEPAPER)
MAX_FIGURES = 200  # per survey: far more than a survey's default plan
CAPTION_MAX = 300
SURVEY_ORDER = {SurveyKind.BASELINE: 0, SurveyKind.FINAL: 1, SurveyKind.PULSE: 2}


def survey_key(survey: Survey) -> str:
    return f"survey-{survey.pk}"


def kind_key(kind: str) -> str:
    return f"kind-{kind}"


def is_lab_wide(draft: ReportDraft) -> bool:
    """Whether the report pools the surveys of one kind across the lab's cohorts (render)."""
    return not draft.cohort_id and draft.kind in PLAN_KINDS


def plan_groups(draft: ReportDraft, surveys: list[Survey]) -> list[tuple[str, list[Survey]]]:
    """[(plan key, surveys)] in the given order: a survey alone, or on a lab-wide report the
    surveys of one kind together (a kind with one survey keeps the survey's own key)."""
    if not is_lab_wide(draft):
        return [(survey_key(s), [s]) for s in surveys]
    by_kind: dict[str, list[Survey]] = {}
    for survey in surveys:
        by_kind.setdefault(survey.kind, []).append(survey)
    return [
        (survey_key(group[0]) if len(group) == 1 else kind_key(kind), group)
        for kind, group in by_kind.items()
    ]


def _valid(spec: figures.FigureSpec, by_code: dict[str, Question]) -> bool:
    if spec.kind not in figures.KINDS or not spec.codes:
        return False
    if any(code not in by_code for code in spec.codes):
        return False
    if spec.breakdown:
        split = by_code.get(spec.breakdown)
        if split is None or split.type != QuestionType.SINGLE:
            return False
    return True


def resolved_plan(stored, questions: list[Question]) -> list[figures.FigureSpec]:
    """The plan to print: the stored one where there is one, without the figures that no longer
    fit the questions (gone, or a breakdown that is no longer a single choice); else the
    default. Anything unreadable in `stored` is skipped."""
    if not isinstance(stored, list):  # none stored (an empty list: every figure left out)
        return figures.figure_plan(questions)
    by_code = {q.code: q for q in questions}
    plan = []
    for data in stored[:MAX_FIGURES]:
        try:
            spec = figures.FigureSpec.from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if _valid(spec, by_code):
            plan.append(spec)
    return plan


def stored_plan_for(draft: ReportDraft, key: str):
    plans = draft.figure_plans if isinstance(draft.figure_plans, dict) else {}
    return plans.get(key)


def is_default(specs: list[figures.FigureSpec], questions: list[Question]) -> bool:
    return list(specs) == figures.figure_plan(questions)


def spec_problems(specs: list[figures.FigureSpec], questions: list[Question]) -> list[str]:
    """Why the specs cannot be stored for these questions (empty: they can)."""
    by_code = {q.code: q for q in questions}
    problems = []
    if len(specs) > MAX_FIGURES:
        problems.append(_("A survey can have at most %(max)d figures.") % {"max": MAX_FIGURES})
    for spec in specs:
        if len(spec.caption) > CAPTION_MAX:
            problems.append(
                _("A caption can have at most %(max)d characters.") % {"max": CAPTION_MAX}
            )
        elif not _valid(spec, by_code):
            problems.append(
                _("A figure names questions that the survey does not have: %(codes)s.")
                % {"codes": ", ".join([*spec.codes, spec.breakdown]).strip(", ") or "–"}
            )
    return problems


def _identity(spec: figures.FigureSpec) -> tuple:
    return (spec.kind, spec.codes, spec.breakdown)


@dataclass
class PlanRow:
    """One figure on the page: its spec, whether it is printed, its default title, the
    breakdowns it may have (empty: none, it is not a multi-item figure)."""

    spec: figures.FigureSpec
    included: bool
    title: str
    questions: list[Question]
    breakdowns: list[Question] = field(default_factory=list)


@dataclass
class PlanSurvey:
    key: str
    surveys: list[Survey]
    questions: list[Question]
    rows: list[PlanRow]
    edited: bool

    @property
    def title(self) -> str:
        return self.surveys[0].title

    @property
    def cohorts(self) -> str:
        return ", ".join(s.cohort.name for s in self.surveys)


def _title(spec: figures.FigureSpec, own: list[Question], by_code: dict) -> str:
    first = own[0]
    if spec.kind == figures.COMPOSITION:
        title = _("Composition of the respondents: %(question)s") % {"question": first.text}
    elif spec.kind in (figures.ITEMS, figures.AGREEMENT) and first.section_id:
        title = first.section.title
    else:
        title = first.text
    if spec.breakdown and spec.breakdown in by_code:
        title = _("%(title)s by “%(question)s”") % {
            "title": title,
            "question": by_code[spec.breakdown].text,
        }
    return title


def _rows(plan, default, questions: list[Question]) -> list[PlanRow]:
    by_code = {q.code: q for q in questions}
    singles = [q for q in questions if q.type == QuestionType.SINGLE]
    shown = {_identity(s) for s in plan}
    listed = [(spec, True) for spec in plan]
    listed += [(spec, False) for spec in default if _identity(spec) not in shown]
    rows = []
    for spec, included in listed:
        own = [by_code[c] for c in spec.codes]
        multi = spec.kind in (figures.ITEMS, figures.AGREEMENT) and len(own) > 1
        title = _title(spec, own, by_code)
        rows.append(PlanRow(spec, included, title, own, singles if multi else []))
    return rows


def _questions(surveys: list[Survey]) -> list[Question]:
    if len(surveys) == 1:
        return list(survey_questions(surveys[0]))
    return pooled_results(surveys).questions


def report_surveys(draft: ReportDraft) -> list[Survey]:
    """The surveys the report prints, in the order it prints them (reports.render._surveys)."""
    if draft.kind not in PLAN_KINDS:
        return []
    chosen = list(draft.surveys.select_related("cohort"))
    if not chosen:
        scope = {"cohort": draft.cohort_id} if draft.cohort_id else {"cohort__lab": draft.lab_id}
        chosen = list(Survey.objects.filter(**scope).select_related("cohort"))
    return sorted(chosen, key=lambda s: (SURVEY_ORDER.get(s.kind, 3), s.created_at, s.pk))


def plan_surveys(draft: ReportDraft) -> list[PlanSurvey]:
    """Per plan key of the report, its figures as the page lists them: the current plan (stored
    or default) first, then the default figures it leaves out (not printed)."""
    entries = []
    for key, surveys in plan_groups(draft, report_surveys(draft)):
        questions = _questions(surveys)
        default = figures.figure_plan(questions)
        stored = stored_plan_for(draft, key)
        plan = resolved_plan(stored, questions)
        rows = _rows(plan, default, questions)
        entries.append(PlanSurvey(key, surveys, questions, rows, edited=stored is not None))
    return entries

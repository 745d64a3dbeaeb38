"""Pooled results: the surveys of one kind across a lab's cohorts, as one analysis.

The Hessen baseline was one analysis over both cohorts (N = 720). `pooled_results` gives that
analysis from stored answers: the questions of the surveys are matched by their code, and the
answers of matching questions are counted together, as if they were one question. It returns
the same `QuestionResult` objects `analysis.survey_results` returns (one per question and
breakdown cell, the representative question being the first survey's), so the analysis pages,
the charts and the reports take pooled results unchanged.

Questions match when they have the same type, the same scale range (scale questions) and the
same choice codes (choice questions). A question that does not match the first one with its
code is left out of the pool and reported in `PooledResults.mismatches`, never merged: a reader
sees which survey's answers a figure does not contain, and why. Surveys whose raw answers were
deleted under the retention rule are left out too (their stored aggregates cannot be pooled
exactly) and reported in `PooledResults.without_answers`.

Counting reuses evaluations.analysis: its grouped scans of the answers (a constant number of
queries however many responses), its figures, and its suppression: every pooled cell over
fewer respondents than the strictest minimum group size of the pooled surveys is suppressed,
and with a breakdown the complementary suppression protects the pooled cells. Number questions
on PostgreSQL are aggregated in SQL grouped by question code, so their median is exact.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, OuterRef, Prefetch, StdDev, Subquery
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import analysis
from .analysis import (
    BREAKDOWNS,
    COMPLEMENTARY,
    QuestionResult,
    protect_across_breakdowns,
    protect_complements,
)
from .models import (
    Answer,
    Choice,
    Question,
    QuestionType,
    Response,
    Survey,
    SurveyResultSnapshot,
)


@dataclass(frozen=True)
class PoolMismatch:
    """A question of `survey` that has the code of a pooled question but does not match it."""

    code: str
    question: Question  # the pooled (representative) question
    other: Question  # the one left out
    survey: Survey  # the survey of the one left out
    reason: str

    @property
    def text(self) -> str:
        return _(
            "The question “%(question)s” of %(survey)s (%(cohort)s) was not pooled: %(reason)s."
        ) % {
            "question": Truncator(self.question.text).chars(80),
            "survey": self.survey.title,
            "cohort": self.survey.cohort.name,
            "reason": self.reason,
        }


@dataclass
class PooledResults:
    surveys: list[Survey]  # the pooled surveys, in cohort order
    questions: list[Question]  # one (representative) question per code, in order
    results: list[QuestionResult]
    min_group_size: int
    n_responses: int
    mismatches: list[PoolMismatch] = field(default_factory=list)
    without_answers: list[Survey] = field(default_factory=list)  # raw answers deleted

    @property
    def cohorts(self) -> list:
        seen, cohorts = set(), []
        for survey in self.surveys:
            if survey.cohort_id not in seen:
                seen.add(survey.cohort_id)
                cohorts.append(survey.cohort)
        return cohorts

    @property
    def cohort_names(self) -> str:
        return ", ".join(cohort.name for cohort in self.cohorts)


def mismatch_reason(first: Question, other: Question) -> str:
    """Why `other` cannot be pooled with `first` (same code), or "" when it can."""
    if first.type != other.type:
        return _("it is a question of another type (%(type)s instead of %(first)s)") % {
            "type": other.get_type_display(),
            "first": first.get_type_display(),
        }
    if first.type == QuestionType.SCALE and (first.scale_min, first.scale_max) != (
        other.scale_min,
        other.scale_max,
    ):
        return _("its scale runs from %(low)s to %(high)s instead of %(first)s") % {
            "low": other.scale_min,
            "high": other.scale_max,
            "first": f"{first.scale_min}–{first.scale_max}",
        }
    if first.has_choices:
        mine = {c.code: c.label for c in first.choices.all()}
        theirs = {c.code: c.label for c in other.choices.all()}
        if mine.keys() != theirs.keys():
            labels = {**mine, **theirs}
            differing = sorted(mine.keys() ^ theirs.keys())
            return _("its answer options differ (%(options)s)") % {
                "options": ", ".join(labels[code] for code in differing),
            }
    return ""


def _ordered(surveys) -> list[Survey]:
    def key(survey: Survey):
        start = survey.cohort.start_date
        return (start is None, start or "", survey.created_at, survey.pk)

    return sorted(surveys, key=key)


def _pool_questions(surveys: list[Survey], questions: list[Question]):
    """(representatives in order, {question id: representative}, {choice id: representative
    choice id}, mismatches)."""
    position = {survey.pk: index for index, survey in enumerate(surveys)}
    questions = sorted(
        questions,
        key=lambda q: (position[q.survey_id], q.section.position, q.section_id, q.position, q.pk),
    )
    survey_by_id = {survey.pk: survey for survey in surveys}
    first: dict[str, Question] = {}
    members: dict[int, Question] = {}
    choice_map: dict[int, int] = {}
    mismatches = []
    for question in questions:
        representative = first.setdefault(question.code, question)
        reason = mismatch_reason(representative, question)
        if reason:
            survey = survey_by_id[question.survey_id]
            mismatches.append(PoolMismatch(question.code, representative, question, survey, reason))
            continue
        members[question.pk] = representative
        if question.has_choices:
            codes = {c.code: c.pk for c in representative.choices.all()}
            for choice in question.choices.all():
                choice_map[choice.pk] = codes[choice.code]
    return list(first.values()), members, choice_map, mismatches


def _remapped(cell, choice_map: dict[int, int]):
    if not cell.choices:
        return cell
    copy = analysis._Cell(values=cell.values, rows=cell.rows, respondents=cell.respondents)
    copy.choices = Counter({choice_map.get(k, k): n for k, n in cell.choices.items()})
    copy.texts = cell.texts
    return copy


def _number_figures(members: dict[int, Question], key: str | None) -> dict[tuple, tuple]:
    """{(representative id, breakdown key): (n, mean, median, sd)} of the pooled number
    questions, in one query grouped by question code (PostgreSQL: exact median in SQL)."""
    ids = [pk for pk, rep in members.items() if rep.type == QuestionType.NUMBER]
    if not ids:
        return {}
    by_code = {rep.code: rep.pk for rep in members.values()}
    rows = (
        Answer.objects.filter(question_id__in=ids, number__isnull=False)
        .values("question__code", *([key] if key else []))
        .annotate(
            n=Count("number"),
            mean=Avg("number"),
            median=analysis.Median("number"),
            sd=StdDev("number", sample=True),
        )
        .order_by()
    )
    return {
        (by_code[row["question__code"]], row[key] if key else None): (
            row["n"],
            row["mean"],
            row["median"],
            row["sd"],
        )
        for row in rows
    }


def _pooled_texts(cells, limit: int | None) -> None:
    for cell in cells.values():
        if cell.texts:
            cell.texts = (
                sorted(cell.texts, key=str.casefold)[:limit]
                if limit
                else sorted(cell.texts, key=str.casefold)
            )


def pooled_results(
    surveys,
    *,
    by: str | None = None,
    include_text: bool = False,
    with_overall: bool = False,
    text_limit: int | None = None,
    complementary: bool = True,
) -> PooledResults:
    """The pooled results of `surveys` (one kind, one lab), in the shape of `survey_results`.

    Constant in the number of responses: the questions (2 queries), the surveys without raw
    answers (1), the grouped answers (as `survey_results`), number questions (1, or 2 with
    `with_overall`), free texts when asked for, the breakdown's labels (1) and N (1).
    """
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    surveys = _ordered(surveys)
    if not surveys:
        return PooledResults([], [], [], 0, 0)
    min_group_size = max(survey.min_group_size for survey in surveys)
    deleted = set(
        SurveyResultSnapshot.objects.filter(survey__in=surveys).values_list("survey_id", flat=True)
    )
    without_answers = [s for s in surveys if s.pk in deleted]
    choices = Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    all_questions = list(
        Question.objects.filter(survey__in=[s for s in surveys if s.pk not in deleted])
        .select_related("section")
        .prefetch_related(choices)
    )
    representatives, members, choice_map, mismatches = _pool_questions(surveys, all_questions)
    pooled = [q for q in all_questions if q.pk in members]
    key = analysis._BREAKDOWN_FIELD[by] if by else None
    cross: dict | None = {} if by and complementary else None
    raw_cells = analysis._grouped_cells(pooled, key, cross)
    text_ids = [q.pk for q in pooled if q.type == QuestionType.TEXT]
    if include_text and text_ids:
        analysis._add_texts(raw_cells, text_ids, key, text_limit)

    numbers_in_sql = analysis._sql_median_available()
    cells: dict[tuple, analysis._Cell] = defaultdict(analysis._Cell)
    overall: dict[int, analysis._Cell] = defaultdict(analysis._Cell)
    for (question_id, cell_key), cell in raw_cells.items():
        representative = members[question_id].pk
        cell = _remapped(cell, choice_map)
        cells[(representative, cell_key)].add(cell)
        cells[(representative, cell_key)].texts.extend(cell.texts)
        if by and with_overall:
            overall[representative].add(cell)
            overall[representative].texts.extend(cell.texts)
    if numbers_in_sql:
        for (representative, cell_key), figures in _number_figures(members, key).items():
            cells[(representative, cell_key)].figures = figures
            cells[(representative, cell_key)].rows = figures[0]
        if by and with_overall:
            for (representative, _none), figures in _number_figures(members, None).items():
                overall[representative].figures = figures
                overall[representative].rows = figures[0]
    _pooled_texts(cells, text_limit)
    _pooled_texts(overall, text_limit)

    threshold = Survey(min_group_size=min_group_size)
    keys = {cell_key for _q, cell_key in cells} if by else {None}
    labels = analysis._labels(surveys[0], by, keys)

    def order(cell_key):
        return (cell_key in (None, ""), labels[cell_key].casefold(), str(cell_key))

    tables = _pooled_cross_tables(cross or {}, members)
    results = []
    for question in representatives:
        if by is None:
            cell = cells.get((question.pk, None), analysis._Cell())
            results.append(analysis._result(question, cell, threshold, None, None))
            continue
        if with_overall:
            cell = overall.get(question.pk, analysis._Cell())
            results.append(analysis._result(question, cell, threshold, None, None))
        own = [
            analysis._result(
                question, cells.get((question.pk, k), analysis._Cell()), threshold, labels[k], k
            )
            for k in sorted(keys, key=order)
        ]
        if complementary:
            protect_complements(own, min_group_size)
            table = tables.get(question.pk)
            if table is not None:
                hidden = protect_across_breakdowns(table, min_group_size)[by]
                for result in own:
                    if result.breakdown_key in hidden and not result.suppressed:
                        result.suppress(COMPLEMENTARY)
        results.extend(own)
    n_responses = Response.objects.filter(
        survey__in=[s for s in surveys if s.pk not in deleted]
    ).count()
    return PooledResults(
        surveys=surveys,
        questions=representatives,
        results=results,
        min_group_size=min_group_size,
        n_responses=n_responses,
        mismatches=mismatches,
        without_answers=without_answers,
    )


def _pooled_cross_tables(cross: dict, members: dict[int, Question]) -> dict:
    """The municipality × group tables of the pooled questions, summed per representative."""
    tables: dict[int, analysis._CrossTable] = {}
    for question_id, table in cross.items():
        representative = members[question_id].pk
        pooled = tables.setdefault(representative, analysis._CrossTable())
        for cross_key, n in table.counts.items():
            pooled.counts[cross_key] = pooled.counts.get(cross_key, 0) + n
        pooled.names.update(table.names)
    return tables


def lab_surveys_by_kind(lab, *, surveys=None) -> dict[str, list[Survey]]:
    """{kind: the lab's surveys of that kind} (or of `surveys`), kinds in the usual order."""
    queryset = surveys if surveys is not None else Survey.objects.filter(cohort__lab=lab)
    grouped: dict[str, list[Survey]] = defaultdict(list)
    for survey in queryset.select_related("cohort__lab"):
        grouped[survey.kind].append(survey)
    order = {"baseline": 0, "final": 1, "pulse": 2}
    return {
        kind: _ordered(grouped[kind])
        for kind in sorted(grouped, key=lambda k: (order.get(k, 3), k))
    }


def pooled_comparison(baselines, finals) -> list[analysis.ComparisonRow]:
    """Baseline vs final over all cohorts: the scale and number questions whose code is in both
    pooled analyses, in the final survey's order (as `analysis.compare_baseline_final`, without
    a breakdown). Empty when either side is missing."""
    if not baselines or not finals:
        return []
    before = pooled_results(baselines)
    after = pooled_results(finals)
    old = {r.question.code: r for r in before.results if r.question.type in analysis.MEAN_TYPES}
    rows = []
    for result in after.results:
        first = old.get(result.question.code)
        if first is None or result.question.type not in analysis.MEAN_TYPES:
            continue
        comparable = analysis._comparable(first.question, result.question)
        change = None
        if comparable and first.mean is not None and result.mean is not None:
            change = result.mean - first.mean
        rows.append(
            analysis.ComparisonRow(
                code=result.question.code,
                baseline_question=first.question,
                final_question=result.question,
                breakdown=None,
                baseline=first,
                final=result,
                comparable=comparable,
                change=change,
            )
        )
    return rows


def pooled_splits(pooled: PooledResults, plan) -> dict:
    """`figures.survey_splits` over pooled results: {breakdown code: the pooled results split
    by that answer} for the breakdowns of `plan` (figures.FigureSpec), one query each."""
    codes = dict.fromkeys(spec.breakdown for spec in plan if spec.breakdown)
    return {code: pooled_results_by_answer(pooled, code) for code in codes}


def pooled_results_by_answer(pooled: PooledResults, by_code: str) -> list[QuestionResult]:
    """`analysis.results_by_answer` over the pooled surveys: the pooled scale and number
    questions split by each respondent's answer to the single-choice question `by_code`, the
    choices matched by code. Questions left out of the pool (a mismatch) and surveys without raw
    answers count in no cell. One query; suppressed as a single survey's breakdown is, with the
    pool's minimum group size."""
    by_question = next((q for q in pooled.questions if q.code == by_code), None)
    if by_question is None or by_question.type != QuestionType.SINGLE:
        return []
    left_out = {m.other.pk for m in pooled.mismatches}
    if any(m.code == by_code for m in pooled.mismatches):
        return []  # the choices differ between the surveys: no common split
    surveys = [s for s in pooled.surveys if s not in pooled.without_answers]
    own = [q for q in pooled.questions if q.type in analysis.MEAN_TYPES]
    split = Answer.objects.filter(
        response_id=OuterRef("response_id"), question__code=by_code
    ).values("choice__code")[:1]
    rows = (
        Answer.objects.filter(
            question__survey__in=surveys,
            question__code__in=[q.code for q in own],
            number__isnull=False,
        )
        .exclude(question_id__in=left_out)
        .annotate(split=Subquery(split))
        .values("question__code", "split", "number")
        .annotate(count=Count("*"))
        .order_by()
    )
    cells: dict[tuple, analysis._Cell] = defaultdict(analysis._Cell)
    for row in rows:
        cells[(row["question__code"], row["split"])].values[row["number"]] += row["count"]
    threshold = Survey(min_group_size=pooled.min_group_size)  # what _result reads of a survey
    results = []
    for question in own:
        group = [
            analysis._result(
                question, cells.get((question.code, c.code), analysis._Cell()), threshold,
                c.label, c.code,
            )
            for c in by_question.choices.all()
        ]  # fmt: skip
        if (unanswered := cells.get((question.code, None))) is not None:
            group.append(analysis._result(question, unanswered, threshold, _("No answer"), None))
        protect_complements(group, pooled.min_group_size)
        results.extend(group)
    return results

"""Survey results: N, mean, median, sample SD and distributions, aggregated in the database.

`survey_results` runs a constant number of queries however many responses a survey has: one
GROUP BY over all answers of the survey's scale, choice and text questions (question ×
breakdown × value × choice → count), one for the number questions, one for the respondents of
multiple-choice questions, and one for free texts when they are asked for. Mean, median and
sample SD of a scale question are computed exactly from its grouped counts (a handful of
(value, count) pairs per cell), never from single answers. The breakdown is read from the
answers' own copies of their response's municipality and group, so no query joins the responses.

Number questions on PostgreSQL use COUNT/AVG/STDDEV_SAMP and PERCENTILE_CONT(0.5) in SQL. SQLite
(the embedded default) has no PERCENTILE_CONT, so there they are grouped by value like scale
questions and computed from the (value, count) pairs: the same exact figures, with one row per
distinct value (fine for the small data an embedded installation holds).

Privacy: a result (overall or one breakdown cell) over fewer respondents than the survey's
`min_group_size` is `suppressed`: no mean, median, SD, counts or texts, wherever it is shown.
In a breakdown, the smallest further cells are suppressed too while the suppressed cells of a
question hold fewer than `min_group_size` respondents together, since they could otherwise be
worked out as the total minus the cells shown (complementary suppression).
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    StdDev,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from labs.models import Cohort, Municipality

from .models import (
    Answer,
    Choice,
    Question,
    QuestionType,
    Survey,
    SurveyKind,
    SurveyResultSnapshot,
)

BREAKDOWNS = ("municipality", "group")
TOO_FEW = "too_few"
COMPLEMENTARY = "complementary"
# the answers' own copies of the response's municipality and group: no join to the responses
_BREAKDOWN_FIELD = {"municipality": "municipality_id", "group": "group"}
_GROUPED_TYPES = (QuestionType.SCALE, QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TEXT)
MEAN_TYPES = (QuestionType.SCALE, QuestionType.NUMBER)


@dataclass(frozen=True)
class Bin:
    """One bar of a distribution: a scale value or a choice code, with how many chose it."""

    key: int | str
    label: str
    count: int


@dataclass(frozen=True)
class Share:
    """A bin with its share of the result's respondents, in percent (0–100)."""

    key: int | str
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    """The figures of one question, over all respondents (`breakdown` None) or one cell.

    `breakdown_key` is the municipality id or group string the cell stands for ("" / None for
    responses without one); `min_group_size` the survey's, so pages can say why a cell is
    empty. A suppressed result keeps its `n` for the code that decides what to print, but
    pages and charts say "too few responses" instead of showing it.
    """

    question: Question
    breakdown: str | None
    n: int
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    suppressed: bool = False
    counts: list[Bin] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    breakdown_key: int | str | None = None
    min_group_size: int = 0
    texts_total: int = 0  # free texts in the cell, when `texts` holds only the first few
    # why it is suppressed: TOO_FEW (n < minimum group size) or COMPLEMENTARY (hidden so that
    # a smaller cell cannot be worked out as the total minus the cells shown)
    suppressed_reason: str = ""
    # read from the stored aggregates after the raw answers were deleted (retention): free
    # texts are gone, only their number is known
    from_snapshot: bool = False

    def suppress(self, reason: str) -> None:
        self.suppressed, self.suppressed_reason = True, reason
        self.mean = self.median = self.sd = None
        self.counts, self.texts = [], []

    @property
    def shares(self) -> list[Share]:
        """The counts as percentages of the respondents (multiple choice can exceed 100 in sum)."""
        if not self.n:
            return []
        return [Share(b.key, b.label, b.count, 100 * b.count / self.n) for b in self.counts]

    @property
    def has_mean(self) -> bool:
        return self.question.type in MEAN_TYPES


# --- figures from grouped counts --------------------------------------------------------------


def stats_from_counts(
    counts: dict[float, int],
) -> tuple[int, float | None, float | None, float | None]:
    """(n, mean, median, sample SD) of the data given as {value: how often}.

    Exact: the median is the middle value (the mean of the two middle values for even n), as
    PostgreSQL's percentile_cont(0.5) computes it; the SD divides by n − 1 (None below n = 2).
    """
    items = sorted((float(v), c) for v, c in counts.items() if c)
    n = sum(c for _v, c in items)
    if not n:
        return 0, None, None, None
    mean = math.fsum(v * c for v, c in items) / n
    sd = None
    if n > 1:
        squares = math.fsum(c * (v - mean) ** 2 for v, c in items)
        sd = math.sqrt(squares / (n - 1))
    lower, upper = (n - 1) // 2, n // 2  # 0-based positions of the middle value(s)
    seen, low_value, high_value = 0, None, None
    for value, count in items:
        if low_value is None and lower < seen + count:
            low_value = value
        if upper < seen + count:
            high_value = value
            break
        seen += count
    return n, mean, (low_value + high_value) / 2, sd


class Median(Aggregate):
    """PostgreSQL's exact median: percentile_cont(0.5) WITHIN GROUP (ORDER BY expression)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    arity = 1


def _sql_median_available() -> bool:
    return connections[Answer.objects.db].vendor == "postgresql"


# --- survey results ---------------------------------------------------------------------------


def survey_questions(survey: Survey, **filters):
    """The survey's questions in its order, with their sections and choices (2 queries)."""
    choices = Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    return (
        survey.questions.filter(**filters)
        .select_related("section")
        .prefetch_related(choices)
        .order_by("section__position", "section_id", "position", "pk")
    )


@dataclass
class _Cell:
    values: Counter = field(default_factory=Counter)  # scale/number value → count
    choices: Counter = field(default_factory=Counter)  # choice id → count
    rows: int = 0  # answer rows (single choice: respondents; text: texts)
    respondents: int | None = None  # distinct respondents (multiple choice)
    figures: tuple | None = None  # (n, mean, median, sd) computed in SQL (number questions)
    texts: list[str] = field(default_factory=list)

    def add(self, other: "_Cell") -> None:
        self.values.update(other.values)
        self.choices.update(other.choices)
        self.rows += other.rows
        if other.respondents is not None:
            self.respondents = (self.respondents or 0) + other.respondents


def _grouped_cells(
    questions: list[Question], key: str | None, cross: dict | None = None
) -> dict[tuple, _Cell]:
    """{(question id, breakdown key): cell} from as few scans of the answers as possible.

    With `cross` (a dict, only with a breakdown), it is filled with every question's
    municipality × group table (see `_cross_tables`), which also gives the respondents of the
    multiple-choice questions per cell, in place of their own query."""
    cells: dict[tuple, _Cell] = defaultdict(_Cell)
    by_type = defaultdict(list)
    for question in questions:
        by_type[question.type].append(question.pk)
    sql_numbers = _sql_median_available()
    grouped_ids = [q.pk for q in questions if q.type in _GROUPED_TYPES]
    if not sql_numbers:
        grouped_ids += by_type[QuestionType.NUMBER]
    group_fields = ["question_id", *([key] if key else [])]

    if grouped_ids:
        rows = (
            Answer.objects.filter(question_id__in=grouped_ids)
            .values(*group_fields, "number", "choice_id")
            .annotate(count=Count("*"))
            .order_by()
        )
        for row in rows:
            cell = cells[(row["question_id"], row[key] if key else None)]
            cell.rows += row["count"]
            if row["choice_id"] is not None:
                cell.choices[row["choice_id"]] += row["count"]
            elif row["number"] is not None:
                cell.values[row["number"]] += row["count"]

    if sql_numbers and by_type[QuestionType.NUMBER]:
        rows = (
            Answer.objects.filter(
                question_id__in=by_type[QuestionType.NUMBER], number__isnull=False
            )
            .values(*group_fields)
            .annotate(
                n=Count("number"),
                mean=Avg("number"),
                median=Median("number"),
                sd=StdDev("number", sample=True),
            )
            .order_by()
        )
        for row in rows:
            cell = cells[(row["question_id"], row[key] if key else None)]
            cell.rows = row["n"]
            cell.figures = (row["n"], row["mean"], row["median"], row["sd"])

    if key and cross is not None:
        cross.update(_cross_tables(questions))
        index = 0 if key == "municipality_id" else 1
        for question_id in by_type[QuestionType.MULTI]:
            table = cross.get(question_id)
            if table is None:
                continue
            for cross_key, n in table.counts.items():
                cell = cells[(question_id, cross_key[index])]
                cell.respondents = (cell.respondents or 0) + n
        return cells

    if by_type[QuestionType.MULTI]:
        rows = (
            Answer.objects.filter(question_id__in=by_type[QuestionType.MULTI])
            .values(*group_fields)
            .annotate(respondents=Count("response_id", distinct=True))
            .order_by()
        )
        for row in rows:
            cells[(row["question_id"], row[key] if key else None)].respondents = row["respondents"]
    return cells


def _add_texts(
    cells: dict[tuple, _Cell], text_ids: list[int], key: str | None, limit: int | None
) -> None:
    """Free texts per cell, alphabetically (so the lists of two questions cannot be lined up to
    join one person's answers); with `limit`, only the first `limit` of each cell."""
    if key is None and limit is not None:
        # over all respondents, one query per text question: ORDER BY … LIMIT keeps a small
        # heap where the window function below would sort every text (several times faster)
        for question_id in text_ids:
            texts = (
                Answer.objects.filter(question_id=question_id)
                .exclude(text="")
                .order_by("text", "pk")
                .values_list("text", flat=True)[:limit]
            )
            cells[(question_id, None)].texts.extend(texts)
        return
    partition = [F("question_id"), *([F(key)] if key else [])]
    texts = Answer.objects.filter(question_id__in=text_ids).exclude(text="")
    if limit is not None:
        texts = texts.annotate(
            position=Window(RowNumber(), partition_by=partition, order_by=[F("text"), F("pk")])
        ).filter(position__lte=limit)
    fields = ["question_id", *([key] if key else []), "text"]
    for row in texts.values(*fields).order_by("question_id", "text", "pk"):
        cells[(row["question_id"], row[key] if key else None)].texts.append(row["text"])


def _labels(survey: Survey, by: str | None, keys: set) -> dict:
    """Display names of the breakdown keys (one query, whether or not there are any)."""
    if by == "municipality":
        ids = [k for k in keys if k is not None]
        municipalities = Municipality.objects.filter(Q(lab_id=survey.cohort.lab_id) | Q(pk__in=ids))
        names = dict(municipalities.values_list("pk", "name"))
        return {k: names.get(k) or _("Municipality not given") for k in keys}
    if by == "group":
        return {k: k or _("Group not given") for k in keys}
    return {None: None}


def _result(question: Question, cell: _Cell, survey: Survey, breakdown, key) -> QuestionResult:
    k = survey.min_group_size
    if question.type == QuestionType.MULTI:
        n = cell.respondents or 0
    elif question.type in (QuestionType.SCALE, QuestionType.NUMBER) and cell.figures is None:
        n = sum(cell.values.values())
    else:
        n = cell.rows
    result = QuestionResult(
        question=question,
        breakdown=breakdown,
        n=n,
        suppressed=n < k,
        breakdown_key=key,
        min_group_size=k,
        suppressed_reason=TOO_FEW if n < k else "",
    )
    if result.suppressed:
        return result
    if question.type in MEAN_TYPES:
        figures = cell.figures or stats_from_counts(cell.values)
        _n, result.mean, result.median, result.sd = figures
    if question.type == QuestionType.SCALE:
        result.counts = [
            Bin(value, scale_label(question, value), cell.values.get(value, 0))
            for value in question.scale_values
        ]
    elif question.has_choices:
        result.counts = [
            Bin(choice.code, choice.label, cell.choices.get(choice.pk, 0))
            for choice in question.choices.all()
        ]
    elif question.type == QuestionType.TEXT:
        result.texts = cell.texts
        result.texts_total = n
    return result


def protect_complements(cells: list[QuestionResult], min_group_size: int) -> None:
    """Complementary suppression of one question's breakdown cells.

    The figures over all respondents are published too, so the cells suppressed for having
    fewer than k respondents could be worked out as the total minus the cells shown (with
    Ahornstadt's 3 and Buchenfeld's 2 answers, Buchenfeld = all − Ahornstadt). Therefore, while
    the suppressed cells hold fewer than k respondents together (but some), the smallest shown
    cells are suppressed as well, until what can be worked out is again an aggregate over at
    least k respondents.
    """
    hidden = sum(cell.n for cell in cells if cell.suppressed)
    if not 0 < hidden < min_group_size:
        return
    for cell in sorted((c for c in cells if not c.suppressed), key=lambda c: c.n):
        cell.suppress(COMPLEMENTARY)
        hidden += cell.n
        if hidden >= min_group_size:
            break


# --- differences between the two breakdowns ----------------------------------------------------


@dataclass
class _CrossTable:
    """One question's respondents per (municipality id, group), with the municipalities' names."""

    counts: dict[tuple, int] = field(default_factory=dict)
    names: dict = field(default_factory=dict)


def _cross_tables(questions: list[Question]) -> dict[int, _CrossTable]:
    """{question id: municipality × group table of respondents} in one query.

    Respondents as `_result` counts them: answer rows, distinct responses for multiple choice."""
    multi_ids = [q.pk for q in questions if q.type == QuestionType.MULTI]
    rows = (
        Answer.objects.filter(question_id__in=[q.pk for q in questions])
        .values("question_id", "municipality_id", "municipality__name", "group")
        .annotate(
            rows=Count("*"),
            respondents=Count(
                "response_id", distinct=True, filter=Q(question_id__in=multi_ids or [0])
            ),
        )
        .order_by()
    )
    multi = set(multi_ids)
    tables: dict[int, _CrossTable] = defaultdict(_CrossTable)
    for row in rows:
        table = tables[row["question_id"]]
        n = row["respondents"] if row["question_id"] in multi else row["rows"]
        cross_key = (row["municipality_id"], row["group"])
        table.counts[cross_key] = table.counts.get(cross_key, 0) + n
        table.names[row["municipality_id"]] = row["municipality__name"] or ""
    return tables


# unions of one breakdown's cells tried against the other (2**10 at most); with more cells,
# each cell alone and all cells but one
_MAX_UNION_ATOMS = 10
_REST = object()  # stands for a breakdown's suppressed cells together


def protect_across_breakdowns(table: _CrossTable, min_group_size: int) -> dict[str, set]:
    """The cells of both breakdowns (by municipality, by group) of one question to suppress, so
    that no combination of the two views reveals fewer than `min_group_size` respondents.

    Each view alone is protected as in `protect_complements` (same order, same result). But the
    two views describe the same respondents: when Ahornstadt's 6 respondents all belong to the
    group "Rat" and "Rat" has 7, "Rat" minus Ahornstadt is the one respondent of another
    municipality in "Rat" — every figure of that person could be read off the two views. So
    every union A of one breakdown's visible cells (and of its suppressed cells together, which
    are known as the total minus the rest) is compared with the union U of the other breakdown's
    cells that lie inside it: A − U is then known too, and must be empty or hold at least
    `min_group_size` respondents; otherwise the smallest visible cell involved is suppressed as
    well, and everything is checked again. (A difference of the two views' figures that
    describes a set of respondents is such an A − U, taking A from the breakdown with fewer
    cells.) Returns {"municipality": keys, "group": keys} to suppress, including the cells with
    too few respondents.
    """
    k = min_group_size
    counts = {key: n for key, n in table.counts.items() if n}
    sides = {"municipality": 0, "group": 1}
    totals: dict[str, dict] = {name: defaultdict(int) for name in sides}
    for key, n in counts.items():
        for name, index in sides.items():
            totals[name][key[index]] += n

    def label(name, value) -> tuple:
        text = table.names.get(value, "") if name == "municipality" else value
        return (value in (None, ""), (text or "").casefold(), str(value))

    order = {name: sorted(totals[name], key=lambda v, n=name: label(n, v)) for name in sides}
    hidden = {name: {v for v in order[name] if totals[name][v] < k} for name in sides}

    def complement(name) -> bool:
        # as protect_complements: hidden together 0 < n < k → hide the smallest visible too
        hidden_n = sum(totals[name][v] for v in hidden[name])
        if not 0 < hidden_n < k:
            return False
        changed = False
        visible = [v for v in order[name] if v not in hidden[name]]
        for value in sorted(visible, key=lambda v: totals[name][v]):
            hidden[name].add(value)
            changed = True
            hidden_n += totals[name][value]
            if hidden_n >= k:
                break
        return changed

    bit = {cell: 1 << i for i, cell in enumerate(counts)}

    def atoms(name) -> list[tuple]:
        # (a visible cell's value, or _REST for the suppressed ones together; its table cells as
        # a bit mask; its respondents)
        index = sides[name]
        found = []
        for value in [*(v for v in order[name] if v not in hidden[name]), _REST]:
            if value is _REST:
                cells = [c for c in counts if c[index] in hidden[name]]
            else:
                cells = [c for c in counts if c[index] == value]
            if cells:
                mask = sum(bit[c] for c in cells)
                found.append((value, mask, sum(counts[c] for c in cells)))
        return found

    def leak() -> tuple | None:
        first, second = sorted(sides, key=lambda name: len(atoms(name)))
        own, other = atoms(first), atoms(second)
        if len(own) <= _MAX_UNION_ATOMS:
            choose = [
                [own[i] for i in range(len(own)) if mask >> i & 1]
                for mask in range(1, 2 ** len(own))
            ]
        else:
            everything = sum(bit.values())
            total = sum(counts.values())
            choose = [[atom] for atom in own]
            choose += [[(_REST, everything & ~mask, total - n)] for _v, mask, n in own]
        for parts in choose:
            area = 0
            for _v, mask, _n in parts:
                area |= mask
            inside = [atom for atom in other if atom[1] & ~area == 0]
            if not inside:
                continue
            left = sum(n for _v, _m, n in parts) - sum(n for _v, _m, n in inside)
            if not 0 < left < k:
                continue
            candidates = [(second, v) for v, _m, _n in inside if v is not _REST]
            candidates += [(first, v) for v, _m, _n in parts if v is not _REST]
            if not candidates:  # only suppressed cells involved: hide one more visible cell
                candidates = [(second, v) for v, _m, _n in other if v is not _REST]
                candidates += [(first, v) for v, _m, _n in own if v is not _REST]
            if candidates:
                return min(candidates, key=lambda c: (totals[c[0]][c[1]], label(*c)))
        return None

    while True:
        if complement("municipality") or complement("group"):
            continue
        found = leak()
        if found is None:
            break
        hidden[found[0]].add(found[1])
    return hidden


def scale_label(question: Question, value: int) -> str:
    """ "2 (strongly agree)" for the ends of a scale with labels, else the value."""
    end = (
        question.min_label
        if value == question.scale_min
        else question.max_label
        if value == question.scale_max
        else ""
    )
    return f"{value} ({end})" if end else str(value)


def survey_results(
    survey: Survey,
    *,
    by: str | None = None,
    include_text: bool = False,
    questions: list[Question] | None = None,
    with_overall: bool = False,
    text_limit: int | None = None,
    complementary: bool = True,
) -> list[QuestionResult]:
    """The results of every question of the survey, in the survey's order.

    `by` ("municipality" or "group") gives one result per question and breakdown value that
    occurs among the survey's answers, the cells of a question ordered by name with the cell
    of responses without a value last; `with_overall` puts the result over all respondents
    (breakdown None) before each question's cells at no extra scan. Free text only with
    `include_text` (coordinators), at most `text_limit` texts per cell if given. `questions`
    restricts the results to these questions of the survey (with their choices prefetched).

    Suppression: every result over fewer than `survey.min_group_size` respondents; with `by`
    also, unless `complementary` is switched off, the smallest cells that would let a
    suppressed cell be worked out from the total (see `protect_complements`).
    """
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    if questions is None:
        questions = list(survey_questions(survey))
    key = _BREAKDOWN_FIELD[by] if by else None
    cross: dict[int, _CrossTable] | None = {} if by and complementary else None
    cells = _grouped_cells(questions, key, cross)
    if not cells:
        # no answers: perhaps deleted under the retention rule, with the aggregates stored
        snapshot = survey_snapshot(survey)
        if snapshot is not None:
            return snapshot_results(
                survey, snapshot, by=by, questions=questions, with_overall=with_overall
            )
    text_ids = [q.pk for q in questions if q.type == QuestionType.TEXT]
    if include_text and text_ids:
        _add_texts(cells, text_ids, key, text_limit)

    overall: dict[int, _Cell] = {}
    if by and with_overall:
        for (question_id, _key), cell in cells.items():
            overall.setdefault(question_id, _Cell()).add(cell)
        number_ids = [q.pk for q in questions if q.type == QuestionType.NUMBER]
        if _sql_median_available() and number_ids:
            for (question_id, _none), cell in _grouped_cells(
                [q for q in questions if q.pk in number_ids], None
            ).items():
                overall[question_id] = cell
        if include_text and text_ids:
            for (question_id, _none), cell in _text_cells(text_ids, text_limit).items():
                overall.setdefault(question_id, _Cell()).texts = cell.texts

    keys_by_question = defaultdict(set)
    for question_id, cell_key in cells:
        keys_by_question[question_id].add(cell_key)
    all_keys = set().union(*keys_by_question.values()) if by else {None}
    labels = _labels(survey, by, all_keys)

    def order(cell_key):
        return (cell_key in (None, ""), labels[cell_key].casefold(), str(cell_key))

    results = []
    for question in questions:
        if by is None:
            results.append(
                _result(question, cells.get((question.pk, None), _Cell()), survey, None, None)
            )
            continue
        if with_overall:
            results.append(_result(question, overall.get(question.pk, _Cell()), survey, None, None))
        own = [
            _result(question, cells.get((question.pk, k), _Cell()), survey, labels[k], k)
            for k in sorted(all_keys, key=order)
        ]
        if complementary:
            protect_complements(own, survey.min_group_size)
            table = (cross or {}).get(question.pk)
            if table is not None:
                hidden = protect_across_breakdowns(table, survey.min_group_size)[by]
                for result in own:
                    if result.breakdown_key in hidden and not result.suppressed:
                        result.suppress(COMPLEMENTARY)
        results.extend(own)
    return results


def results_by_answer(
    survey: Survey, by_question: Question, *, questions: list[Question]
) -> list[QuestionResult]:
    """The scale and number questions' results split by each respondent's answer to the
    single-choice question `by_question` (e.g. the type of organisation): one cell per choice in
    the choice order (`breakdown` its label, `breakdown_key` its code), then one for respondents
    who did not answer it (key None), each question's cells in a row. One query.

    Suppressed as the breakdowns are: every cell under the minimum group size, and
    complementarily, so that no small group can be worked out from the total.
    """
    if by_question.type != QuestionType.SINGLE:
        raise ValueError("a breakdown needs a single-choice question")
    choices = list(by_question.choices.all())
    split = Answer.objects.filter(
        response_id=OuterRef("response_id"), question_id=by_question.pk
    ).values("choice_id")[:1]
    own = [q for q in questions if q.type in MEAN_TYPES]
    rows = (
        Answer.objects.filter(question_id__in=[q.pk for q in own], number__isnull=False)
        .annotate(split=Subquery(split))
        .values("question_id", "split", "number")
        .annotate(count=Count("*"))
        .order_by()
    )
    cells: dict[tuple, _Cell] = defaultdict(_Cell)
    for row in rows:
        cells[(row["question_id"], row["split"])].values[row["number"]] += row["count"]
    results = []
    for question in own:
        group = [
            _result(question, cells.get((question.pk, c.pk), _Cell()), survey, c.label, c.code)
            for c in choices
        ]
        unanswered = cells.get((question.pk, None))
        if unanswered is not None:
            group.append(_result(question, unanswered, survey, _("No answer"), None))
        protect_complements(group, survey.min_group_size)
        results.extend(group)
    return results


def municipality_results(
    survey: Survey, municipality, *, questions: list[Question] | None = None
) -> list[QuestionResult]:
    """One municipality's results of every question (no free text): its cells of the breakdown
    by municipality, suppressed exactly as the analysis suppresses them (complementary
    suppression included: the figures shown here are the analysis's). A question without
    answers from the municipality gets an empty, suppressed result."""
    if questions is None:
        questions = list(survey_questions(survey))
    own = {
        result.question.pk: result
        for result in survey_results(survey, by="municipality", questions=questions)
        if result.breakdown_key == municipality.pk
    }
    results = []
    for question in questions:
        result = own.get(question.pk)
        if result is None:
            result = QuestionResult(
                question=question,
                breakdown=municipality.name,
                n=0,
                breakdown_key=municipality.pk,
                min_group_size=survey.min_group_size,
            )
            result.suppress(TOO_FEW)
        results.append(result)
    return results


def _text_cells(text_ids: list[int], limit: int | None) -> dict[tuple, _Cell]:
    cells: dict[tuple, _Cell] = defaultdict(_Cell)
    _add_texts(cells, text_ids, None, limit)
    return cells


# --- stored aggregates (retention) -------------------------------------------------------------

SNAPSHOT_FORMAT = 1
SNAPSHOT_VIEWS = {"all": None, "municipality": "municipality", "group": "group"}


def _json_number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def result_to_json(result: QuestionResult, *, overall: bool = False) -> dict:
    """One result as JSON: figures and counts as shown (suppressed ones empty), no free texts."""
    return {
        "question": result.question.pk,
        "code": result.question.code,
        "overall": overall,
        "breakdown": result.breakdown,
        "key": result.breakdown_key,
        "n": result.n,
        "mean": _json_number(result.mean),
        "median": _json_number(result.median),
        "sd": _json_number(result.sd),
        "suppressed": result.suppressed,
        "reason": result.suppressed_reason,
        "min_group_size": result.min_group_size,
        "counts": [[b.key, b.count] for b in result.counts],
    }


def snapshot_data(survey: Survey) -> dict:
    """What a SurveyResultSnapshot stores: the results over all respondents, by municipality and
    by respondent group (each cell with its overall row first), suppression applied, without
    free texts."""
    questions = list(survey_questions(survey))
    views = {}
    for name, by in SNAPSHOT_VIEWS.items():
        results = survey_results(survey, by=by, questions=questions, with_overall=bool(by))
        views[name] = [result_to_json(r, overall=bool(by) and r.breakdown is None) for r in results]
    return {
        "format": SNAPSHOT_FORMAT,
        "n_responses": survey.responses.count(),
        "min_group_size": survey.min_group_size,
        "results": views,
    }


def survey_snapshot(survey: Survey) -> SurveyResultSnapshot | None:
    """The stored aggregates of a closed survey whose raw answers were deleted, else None.

    Only closed surveys can have one, so an open survey costs no query; the answer is kept on
    the survey object for the rest of the request."""
    if survey.pk is None or survey.state != "closed":
        return None
    if not hasattr(survey, "_result_snapshot_cache"):
        survey._result_snapshot_cache = SurveyResultSnapshot.objects.filter(survey=survey).first()
    return survey._result_snapshot_cache


def snapshot_results(
    survey: Survey,
    snapshot: SurveyResultSnapshot,
    *,
    by: str | None = None,
    questions: list[Question] | None = None,
    with_overall: bool = False,
) -> list[QuestionResult]:
    """The stored results in the shape `survey_results` returns them (same order, same cells;
    labels in the current language). Free texts are not stored: text results keep their number."""
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    if questions is None:
        questions = list(survey_questions(survey))
    stored = snapshot.data.get("results", {}).get(by or "all", [])
    by_question: dict[int, list[dict]] = defaultdict(list)
    for entry in stored:
        by_question[entry["question"]].append(entry)
    names = {}
    if by == "municipality":
        ids = {e["key"] for e in stored if e["key"] is not None and not e["overall"]}
        names = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))

    def label(entry: dict) -> str | None:
        if by is None or entry["overall"]:
            return None
        if by == "municipality":
            if entry["key"] is None:
                return _("Municipality not given")
            return names.get(entry["key"]) or entry["breakdown"]
        return entry["key"] or _("Group not given")

    results = []
    for question in questions:
        choices = {c.code: c.label for c in question.choices.all()} if question.has_choices else {}
        for entry in by_question.get(question.pk, []):
            if entry["overall"] and not with_overall:
                continue
            if question.type == QuestionType.SCALE:
                counts = [Bin(k, scale_label(question, k), c) for k, c in entry["counts"]]
            else:
                counts = [Bin(k, choices.get(k, str(k)), c) for k, c in entry["counts"]]
            results.append(
                QuestionResult(
                    question=question,
                    breakdown=label(entry),
                    n=entry["n"],
                    mean=entry["mean"],
                    median=entry["median"],
                    sd=entry["sd"],
                    suppressed=entry["suppressed"],
                    counts=counts,
                    breakdown_key=None if entry["overall"] else entry["key"],
                    min_group_size=entry["min_group_size"],
                    texts_total=entry["n"] if question.type == QuestionType.TEXT else 0,
                    suppressed_reason=entry["reason"],
                    from_snapshot=True,
                )
            )
    return results


# --- baseline vs final ------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    """One question code asked in both surveys (per breakdown cell, if broken down).

    `change` is final mean − baseline mean, only when both are shown and the questions are
    comparable (same type; scale questions with the same range).
    """

    code: str
    baseline_question: Question
    final_question: Question
    breakdown: str | None
    baseline: QuestionResult
    final: QuestionResult
    comparable: bool
    change: float | None

    @property
    def baseline_text(self) -> str:
        return self.baseline_question.text

    @property
    def final_text(self) -> str:
        return self.final_question.text

    @property
    def question(self) -> Question:
        return self.final_question


def latest_survey(cohort: Cohort, kind: str) -> Survey | None:
    return cohort.surveys.filter(kind=kind).order_by("-created_at", "-pk").first()


def _comparable(a: Question, b: Question) -> bool:
    if a.type != b.type:
        return False
    return a.type != QuestionType.SCALE or (a.scale_min, a.scale_max) == (b.scale_min, b.scale_max)


def compare_baseline_final(
    cohort: Cohort,
    *,
    baseline: Survey | None = None,
    final: Survey | None = None,
    by: str | None = None,
) -> list[ComparisonRow]:
    """Scale and number questions with the same code in the baseline and the final survey.

    Without surveys given, the cohort's most recent baseline and final surveys; an empty list
    when one of them is missing. Rows follow the final survey's question order; with `by`,
    one row per code and breakdown value occurring in either survey.
    """
    baseline = baseline or latest_survey(cohort, SurveyKind.BASELINE)
    final = final or latest_survey(cohort, SurveyKind.FINAL)
    if baseline is None or final is None:
        return []
    if baseline.cohort_id != cohort.pk or final.cohort_id != cohort.pk:
        raise ValueError("both surveys must belong to the cohort")
    before = {q.code: q for q in survey_questions(baseline, type__in=MEAN_TYPES)}
    after = [q for q in survey_questions(final, type__in=MEAN_TYPES) if q.code in before]
    if not after:
        return []
    old = survey_results(baseline, by=by, questions=[before[q.code] for q in after])
    new = survey_results(final, by=by, questions=after)
    old_by = {(r.question.code, r.breakdown_key): r for r in old}
    new_by = {(r.question.code, r.breakdown_key): r for r in new}

    rows = []
    for question in after:
        # cells of either survey, by name; a cell missing in one is an empty (suppressed) result
        labels = {
            r.breakdown_key: r.breakdown for r in (*old, *new) if r.question.code == question.code
        }
        keys = sorted(labels, key=lambda k: (k in (None, ""), (labels[k] or "").casefold(), str(k)))
        previous_question = before[question.code]
        for cell_key in keys:
            first = old_by.get((question.code, cell_key)) or QuestionResult(
                previous_question,
                labels[cell_key],
                0,
                suppressed=True,
                breakdown_key=cell_key,
                min_group_size=baseline.min_group_size,
            )
            last = new_by.get((question.code, cell_key)) or QuestionResult(
                question,
                labels[cell_key],
                0,
                suppressed=True,
                breakdown_key=cell_key,
                min_group_size=final.min_group_size,
            )
            comparable = _comparable(previous_question, question)
            change = None
            if comparable and first.mean is not None and last.mean is not None:
                change = last.mean - first.mean
            rows.append(
                ComparisonRow(
                    code=question.code,
                    baseline_question=previous_question,
                    final_question=question,
                    breakdown=labels[cell_key],
                    baseline=first,
                    final=last,
                    comparable=comparable,
                    change=change,
                )
            )
    return rows

"""Figures of survey results, as the reports print them and the analysis pages show them.

A figure plan is a list of `FigureSpec`s (what to draw: kind, question codes, optional breakdown,
caption override), small and plain so that a report draft can store an edited list of them.
`figure_plan` proposes the default one for a survey's questions: the composition of the sample
for each single-choice question, one multi-item figure per section and scale range (sorted by
mean), one agreement figure (distribution and mean) for scales around zero such as −2 … +2, a
breakdown by the first single-choice question for short multi-item figures, and a chart per
question for the rest (free text has none).

`build_figures` turns a plan into `Figure`s from lists of `QuestionResult` and their questions,
never from a survey, so that results pooled over several surveys plug in unchanged; the charts
come from evaluations.charts. `number_figures` numbers them through a whole report.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import charts
from .analysis import QuestionResult, results_by_answer
from .models import Question, QuestionType

COMPOSITION = "composition"
ITEMS = "items"
AGREEMENT = "agreement"
QUESTION = "question"
KINDS = (COMPOSITION, ITEMS, AGREEMENT, QUESTION)
BREAKDOWN_MAX_ITEMS = 3  # the default plan splits multi-item figures up to this many items


@dataclass(frozen=True)
class FigureSpec:
    """One figure of a plan: its kind, the codes of its questions (in the survey's order), the
    code of a single-choice question that splits its means (optional), a caption (optional,
    else one is made from the section or question)."""

    kind: str
    codes: tuple[str, ...]
    breakdown: str = ""
    caption: str = ""

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "codes": list(self.codes),
            "breakdown": self.breakdown,
            "caption": self.caption,
        }

    @classmethod
    def from_json(cls, data: dict) -> "FigureSpec":
        return cls(
            str(data["kind"]),
            tuple(str(c) for c in data.get("codes", ())),
            str(data.get("breakdown") or ""),
            str(data.get("caption") or ""),
        )


@dataclass
class FigureRow:
    """One line of a figure's table: an item (or answer), the group it stands for, figures."""

    label: str
    group: str
    n: int
    mean: str = ""
    sd: str = ""
    share: str = ""
    result: QuestionResult | None = None

    @property
    def suppressed(self) -> bool:
        return self.result is not None and self.result.suppressed


@dataclass
class Figure:
    spec: FigureSpec
    title: str
    note: str  # what is shown and N, in the caption's parentheses
    svg: str
    rows: list[FigureRow]
    questions: list[Question]
    chart_id: str
    number: int = 0
    table_note: str = ""
    block: object = None  # a question figure's detailed table (views.analysis.QuestionBlock)
    lead: str = ""  # the words all items share, said once above the chart ("Wie wichtig … ?")
    groups: bool = False  # the table has a group column

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def section(self):
        return self.questions[0].section if self.questions else None

    @property
    def anchor(self) -> str:
        return f"{self.chart_id}-figure"

    @property
    def label(self) -> str:
        """Caption without the number: title (what is shown; N = …)."""
        title = self.spec.caption or self.title
        return f"{title} ({self.note})" if self.note else title

    @property
    def caption(self) -> str:
        if not self.number:
            return self.label
        return _("Figure %(number)s – %(label)s") % {"number": self.number, "label": self.label}


def is_agreement_scale(question: Question) -> bool:
    """A scale around zero (−2 … +2, −3 … +3): agreement, drawn with distribution and mean."""
    return (
        question.type == QuestionType.SCALE
        and question.scale_min < 0 < question.scale_max
        and question.scale_min == -question.scale_max
        and len(question.scale_values) <= charts.MAX_DIVERGING_POINTS
    )


def figure_plan(questions: list[Question]) -> list[FigureSpec]:
    """The default figures of these questions (in the survey's order, sections together)."""
    plan: list[FigureSpec] = []
    split = next((q.code for q in questions if q.type == QuestionType.SINGLE), "")
    by_section: dict[object, list[Question]] = {}
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    for members in by_section.values():
        scales: dict[tuple, list[Question]] = {}
        for question in members:
            if question.type == QuestionType.SCALE:
                scales.setdefault((question.scale_min, question.scale_max), []).append(question)
        done: set[str] = set()
        for question in members:
            if question.code in done or question.type == QuestionType.TEXT:
                continue
            if question.type == QuestionType.SINGLE:
                plan.append(FigureSpec(COMPOSITION, (question.code,)))
                continue
            if question.type != QuestionType.SCALE:
                plan.append(FigureSpec(QUESTION, (question.code,)))
                continue
            group = scales[(question.scale_min, question.scale_max)]
            codes = tuple(q.code for q in group)
            done.update(codes)
            if is_agreement_scale(question):
                plan.append(FigureSpec(AGREEMENT, codes))
            elif len(codes) == 1:
                plan.append(FigureSpec(QUESTION, codes))
            else:
                plan.append(FigureSpec(ITEMS, codes))
                if split and len(codes) <= BREAKDOWN_MAX_ITEMS:
                    plan.append(FigureSpec(ITEMS, codes, breakdown=split))
    return plan


def survey_splits(survey, questions: list[Question], plan: list[FigureSpec]) -> dict:
    """{breakdown code: results split by that answer} for the breakdowns of `plan` in one survey
    (one query each); results pooled over several surveys bring their own."""
    by_code = {q.code: q for q in questions}
    codes = dict.fromkeys(s.breakdown for s in plan if s.breakdown)
    return {
        code: results_by_answer(survey, by_code[code], questions=questions)
        for code in codes
        if code in by_code and by_code[code].type == QuestionType.SINGLE
    }


# --- building the figures ------------------------------------------------------------------------


def _figure(value: float | None) -> str:
    return charts.format_number(value) if value is not None else "–"


def _n_text(ns: list[int]) -> str:
    if not ns:
        return ""
    if min(ns) == max(ns):
        return _("N = %(n)s") % {"n": ns[0]}
    return _("N = at least %(n)s") % {"n": min(ns)}


def _bar(result: QuestionResult) -> charts.MeanBar:
    return charts.MeanBar(
        result.mean, result.n, result.suppressed, result.min_group_size, result.suppressed_reason
    )


def _by_mean(results: list[QuestionResult]) -> float:
    first = results[0] if results else None
    return -first.mean if first is not None and first.mean is not None else float("inf")


def _series_name(result: QuestionResult) -> str:
    return result.breakdown if result.breakdown is not None else _("All respondents")


@dataclass
class _Inputs:
    questions: dict[str, Question]
    results: dict[str, list[QuestionResult]]
    splits: dict[str, dict[str, list[QuestionResult]]] = field(default_factory=dict)


def build_figures(
    plan: list[FigureSpec],
    questions: list[Question],
    results: list[QuestionResult],
    *,
    splits: dict[str, list[QuestionResult]] | None = None,
    id_prefix: str = "figure",
) -> list[Figure]:
    """The figures of `plan` from `results` (one or more series per question: all respondents,
    or all respondents and one municipality). `splits` gives, per breakdown code, the results
    split by that answer (analysis.results_by_answer). Specs whose questions are missing are
    left out."""
    by_code: dict[str, list[QuestionResult]] = defaultdict(list)
    for result in results:
        by_code[result.question.code].append(result)
    split_by: dict[str, dict[str, list[QuestionResult]]] = {}
    for code, split_results in (splits or {}).items():
        per_question: dict[str, list[QuestionResult]] = defaultdict(list)
        for result in split_results:
            per_question[result.question.code].append(result)
        split_by[code] = per_question
    inputs = _Inputs({q.code: q for q in questions}, by_code, split_by)
    figures = []
    for index, spec in enumerate(plan):
        own = [inputs.questions[c] for c in spec.codes if c in inputs.questions]
        if not own or spec.kind not in KINDS:
            continue
        chart_id = f"{id_prefix}-{index}"
        if spec.breakdown:
            figure = _breakdown_figure(spec, own, inputs, chart_id)
        elif spec.kind == COMPOSITION:
            figure = _composition_figure(spec, own[0], inputs, chart_id)
        elif spec.kind in (ITEMS, AGREEMENT) and own[0].type == QuestionType.SCALE:
            figure = _items_figure(spec, own, inputs, chart_id)
        else:
            figure = _question_figure(spec, own[0], inputs, chart_id)
        if figure is not None:
            figures.append(figure)
    return figures


def number_figures(figures, start: int = 1) -> int:
    """Numbers the figures in the order given, from `start`; returns the next number."""
    number = start
    for figure in figures:
        figure.number = number
        number += 1
    return number


def shared_words(texts: list[str], minimum: int = 3) -> tuple[str, str, list[str]]:
    """(prefix, suffix, rests): the words at the start and the end that all texts share (at
    least `minimum` of them, else none), and what remains of each text."""
    words = [t.split() for t in texts]
    if len(words) < 2:
        return "", "", texts

    def common(lists) -> int:
        count = 0
        for column in zip(*lists, strict=False):
            if len(set(column)) != 1:
                break
            count += 1
        return count

    shortest = min(len(w) for w in words)
    head = common(words)
    head = head if head >= minimum else 0
    tail = common([list(reversed(w)) for w in words])
    tail = min(tail, shortest - head - 1) if tail >= minimum else 0
    if head + tail == 0 or shortest - head - tail < 1:
        return "", "", texts
    rests = [" ".join(w[head : len(w) - tail]) for w in words]
    return " ".join(words[0][:head]), " ".join(words[0][len(words[0]) - tail :]), rests


def _scale_range(question: Question) -> tuple[int, int]:
    return question.scale_min, question.scale_max


def _items_figure(spec, own, inputs: _Inputs, chart_id: str) -> Figure:
    # every item on the first one's scale (a spec edited by hand may mix ranges: they are left out)
    own = [q for q in own if _scale_range(q) == _scale_range(own[0])]
    items = sorted(own, key=lambda q: _by_mean(inputs.results.get(q.code, [])))
    first = own[0]
    low, high = first.scale_min, first.scale_max
    series_results = inputs.results.get(items[0].code, [])
    series = [_series_name(r) for r in series_results] or [_("All respondents")]
    title = first.section.title if first.section_id else first.text
    ns = [r.n for q in items for r in inputs.results.get(q.code, [])[:1] if not r.suppressed]
    n_text = _n_text(ns)
    prefix, suffix, labels = shared_words([q.text for q in items])
    rows, table = [], []
    for question, label in zip(items, labels, strict=True):
        own_results = inputs.results.get(question.code, [])
        rows.append(charts.MeanRow(label, [_bar(r) for r in own_results]))
        for result in own_results:
            table.append(
                FigureRow(
                    label,
                    _series_name(result) if len(series) > 1 else "",
                    result.n,
                    _figure(result.mean),
                    _figure(result.sd),
                    result=result,
                )
            )
    agreement = spec.kind == AGREEMENT and len(series) == 1 and is_agreement_scale(first)
    if agreement:
        pairs = [(inputs.results[q.code][0], label) for q, label in zip(items, labels, strict=True)]
        svg = charts.agreement_svg(
            [result for result, _label in pairs],
            title=title,
            chart_id=chart_id,
            question=first,
            labels=[label for _result, label in pairs],
        )
        note = _("distribution and means; %(n)s") % {"n": n_text}
    else:
        svg = charts.items_svg(
            [(None, rows)],
            low=low,
            high=high,
            low_label=first.min_label,
            high_label=first.max_label,
            series=series,
            title=title,
            chart_id=chart_id,
        )
        note = _("means on a scale from %(low)s to %(high)s; %(n)s") % {
            "low": charts.format_number(low, 0),
            "high": charts.format_number(high, 0),
            "n": n_text,
        }
    note = note.rstrip("; ")
    return Figure(
        spec,
        title,
        note,
        mark_safe(svg),  # noqa: S308 - rendered by our template, texts escaped there
        table,
        own,
        chart_id,
        groups=len(series) > 1,
        lead=f"{prefix} … {suffix}".strip() if prefix or suffix else "",
    )


def _breakdown_figure(spec, own, inputs: _Inputs, chart_id: str) -> Figure | None:
    split = inputs.splits.get(spec.breakdown)
    split_question = inputs.questions.get(spec.breakdown)
    own = [q for q in own if q.type in (QuestionType.SCALE, QuestionType.NUMBER)]
    if split is None or split_question is None or not own:
        return None
    if not any(c.n for cells in split.values() for c in cells):
        return None  # no answers to split (e.g. deleted, only the aggregates kept)
    first = own[0]
    items = sorted(own, key=lambda q: _by_mean(inputs.results.get(q.code, [])))
    prefix, suffix, labels = shared_words([q.text for q in items])
    table, ns = [], []  # ns: per item, the respondents of the groups shown
    k = max([0, *(c.min_group_size for q in items for c in split.get(q.code, []))])
    for question, label in zip(items, labels, strict=True):
        shown = [c for c in split.get(question.code, []) if not c.suppressed]
        if shown:
            ns.append(sum(c.n for c in shown))
        table += [
            FigureRow(label, c.breakdown, c.n, _figure(c.mean), _figure(c.sd), result=c)
            for c in shown
        ]
    if len(items) <= len(charts.SERIES_STYLES):
        # few items: a row per group with a bar per item (the groups in the choices' order)
        cells = {q.code: {c.breakdown_key: c for c in split.get(q.code, [])} for q in items}
        keys = dict.fromkeys(c.breakdown_key for q in items for c in split.get(q.code, []))
        blocks = [(None, [])]
        series = labels
        for key in keys:
            own_cells = [cells[q.code].get(key) for q in items]
            if all(c is None or c.suppressed for c in own_cells):
                continue  # a group under the minimum size is never named
            name = next(c.breakdown for c in own_cells if c is not None)
            bars = [_bar(c) if c else charts.MeanBar(None, 0, True, k) for c in own_cells]
            blocks[0][1].append(charts.MeanRow(name, bars))
    else:
        # many items: a block per item, a row per group
        series = [_("Mean")]
        blocks = [
            (
                label,
                [
                    charts.MeanRow(c.breakdown, [_bar(c)])
                    for c in split.get(q.code, [])
                    if not c.suppressed
                ],
            )
            for q, label in zip(items, labels, strict=True)
        ]
    if first.type == QuestionType.SCALE:
        low, high = first.scale_min, first.scale_max
    else:
        means = [c.mean for cells in split.values() for c in cells if c.mean is not None]
        low, high = 0, charts._nice_ceiling(max([0.0, *means]) * 1.05)
    section_title = first.section.title if first.section_id else first.text
    title = _("%(title)s by “%(question)s”") % {
        "title": section_title,
        "question": split_question.text,
    }
    blocks = [(heading, rows) for heading, rows in blocks if rows]
    if not blocks:
        blocks = [(None, [charts.MeanRow(first.text, [charts.MeanBar(None, 0, True, k)])])]
        series = [_("Mean")]
    svg = charts.items_svg(
        blocks,
        low=low,
        high=high,
        low_label=first.min_label if first.type == QuestionType.SCALE else "",
        high_label=first.max_label if first.type == QuestionType.SCALE else "",
        series=series,
        title=title,
        chart_id=chart_id,
    )
    note = (_("means by group; %(n)s") % {"n": _n_text(ns)}).rstrip("; ")
    return Figure(
        spec,
        title,
        note,
        mark_safe(svg),  # noqa: S308 - rendered by our template, texts escaped there
        table,
        own,
        chart_id,
        table_note=_("Groups with fewer than %(k)s respondents are not shown.") % {"k": k},
        groups=True,
        lead=f"{prefix} … {suffix}".strip() if prefix or suffix else "",
    )


def _composition_figure(spec, question: Question, inputs: _Inputs, chart_id: str) -> Figure:
    result = next(iter(inputs.results.get(question.code, [])), None)
    if result is None:
        return _question_figure(spec, question, inputs, chart_id)
    title = _("Composition of the respondents: %(question)s") % {"question": question.text}
    svg = charts.shares_svg(result, title=title, chart_id=chart_id)
    rows = [
        FigureRow(share.label, "", share.count, share=charts.format_percent(share.percent))
        for share in sorted(result.shares, key=lambda s: -s.count)
    ]
    note = (_("shares in percent; %(n)s") % {"n": _n_text([result.n])}).rstrip("; ")
    return Figure(spec, title, note, mark_safe(svg), rows, [question], chart_id)  # noqa: S308


def _question_figure(spec, question: Question, inputs: _Inputs, chart_id: str) -> Figure:
    own = inputs.results.get(question.code, [])
    svg = charts.question_chart_svg(question, own, chart_id=chart_id, title=question.text)
    n_text = _n_text([r.n for r in own[:1] if not r.suppressed])
    if question.type == QuestionType.NUMBER:
        note = _("means; %(n)s") % {"n": n_text}
    elif question.type == QuestionType.SCALE:
        note = _("shares in percent on a scale from %(low)s to %(high)s; %(n)s") % {
            "low": charts.format_number(question.scale_min, 0),
            "high": charts.format_number(question.scale_max, 0),
            "n": n_text,
        }
    else:
        note = _("shares in percent; %(n)s") % {"n": n_text}
    note = note.rstrip("; ")
    return Figure(
        spec,
        question.text,
        note,
        mark_safe(svg),  # noqa: S308 - rendered by our template, texts escaped there
        [],
        [question],
        chart_id,
    )

"""SVG charts of survey results: one code path for the analysis pages and the PDF reports.

The charts are plain SVG written through one Django template (evaluations/analysis/chart.svg);
this module lays them out as rectangles, lines and texts. Not matplotlib (which missions/charts.py
uses for line charts), because these charts are bars whose every element we want to control:
a diverging stacked bar has to sit on a zero line with its neutral segment centred, each segment
labelled directly and patterned, each suppressed cell replaced by a sentence; the texts stay
real text in the page's font (Fira Sans, also embedded in the PDFs), the SVG is a few kilobytes,
renders in a millisecond without a figure state, and WeasyPrint draws it without the hundreds of
warnings matplotlib's SVG causes. Tests can look for `class="bar"` and the placeholder text.

Accessibility: every chart has <title> and <desc> (the desc reads out every figure), the page
shows the same figures in a table, bar fills have at least 4.5:1 contrast to white (so white
labels on them pass, and bars stand out from the white gaps between them), and colour is never
the only cue: segments are labelled, ordered from the lowest to the highest value, and the weaker
values are hatched or dotted. Numbers follow the active language (decimal comma in German).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .analysis import COMPLEMENTARY, QuestionResult, scale_label
from .models import Question, QuestionType

WIDTH = 640
LABEL_WIDTH = 170
PLOT_LEFT = LABEL_WIDTH + 16
CHAR_WIDTH = 6.4  # average advance of 12 px Fira Sans, for wrapping and legend layout
TEXT = "#1d1d1b"
MUTED = "#4a4f6a"
GRID = "#d6d9e3"
BRAND = "#163e6b"
ACCENT = "#0e6e60"
NEUTRAL = "#636b7a"
# outermost value first; each fill ≥ 4.5:1 against white
NEGATIVE = ("#7c2d12", "#b34700", "#c05621")
POSITIVE = ("#163e6b", "#2f5f9e", "#3266a8")
PATTERNS = (None, "hatch", "dots")  # outermost solid, then hatched, then dotted
MAX_DIVERGING_POINTS = 7


# --- formatting ---------------------------------------------------------------------------------


def _minus(text: str) -> str:
    return "\u2212" + text[1:] if text.startswith("-") else text


def _half_up(value: float, decimals: int) -> Decimal:
    # as the tables' floatformat rounds: 12.5 % → 13 %, not Python's banker's 12 %
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def format_number(value: float, decimals: int = 2) -> str:
    """2,50 in German, 2.50 in English; a real minus sign."""
    return _minus(number_format(_half_up(value, decimals), decimal_pos=decimals))


def format_percent(value: float) -> str:
    text = number_format(_half_up(value, 0), decimal_pos=0)
    return f"{text}\u00a0%" if (get_language() or "de").startswith("de") else f"{text}%"


def _c(value: float) -> str:
    """An SVG coordinate: never localised (a comma would break the SVG)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _too_few(min_group_size: int) -> str:
    return _("too few responses (fewer than %(k)s)") % {"k": min_group_size}


def _hidden(item) -> str:
    """Why a result (or mean bar) shows no figures."""
    if getattr(item, "suppressed_reason", "") == COMPLEMENTARY:
        return _("not shown, so that a smaller group cannot be worked out")
    return _too_few(item.min_group_size)


def _wrap(text: str, width: float, lines: int = 2) -> list[str]:
    """Break `text` into at most `lines` lines of about `width` px; an ellipsis if cut."""
    limit = max(4, int(width / CHAR_WIDTH))
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
        current = word
        if len(out) == lines:
            break
    if current and len(out) < lines:
        out.append(current)
    consumed = " ".join(out)
    if len(consumed) < len(" ".join(words)) or any(len(line) > limit for line in out):
        out = out[:lines]
        out[-1] = out[-1][: limit - 1].rstrip() + "…"
    return out or [""]


# --- the primitives the template draws ------------------------------------------------------------


@dataclass
class Rect:
    x: str
    y: str
    width: str
    height: str
    fill: str
    css_class: str = "bar"
    title: str = ""


@dataclass
class Line:
    x1: str
    y1: str
    x2: str
    y2: str
    stroke: str = GRID
    width: str = "1"
    dash: str = ""


@dataclass
class Text:
    x: str
    y: str
    text: str
    anchor: str = "start"
    size: str = "12"
    weight: str = "normal"
    fill: str = TEXT
    halo: str = ""  # a stroke in the bar's colour behind white text on patterns
    css_class: str = ""
    italic: bool = False


@dataclass
class Circle:
    cx: str
    cy: str
    r: str
    stroke: str
    title: str = ""


@dataclass
class Pattern:
    id: str
    color: str
    kind: str  # hatch | dots


@dataclass
class Svg:
    id: str
    title: str
    desc: str
    width: int = WIDTH
    height: float = 0
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    marks: list[Line] = field(default_factory=list)  # lines drawn over the circles
    patterns: dict[tuple, Pattern] = field(default_factory=dict)

    def fill(self, color: str, pattern: str | None) -> str:
        if pattern is None:
            return color
        key = (color, pattern)
        if key not in self.patterns:
            self.patterns[key] = Pattern(f"{self.id}-p{len(self.patterns)}", color, pattern)
        return f"url(#{self.patterns[key].id})"

    def text(self, x, y, text, **kw) -> None:
        self.texts.append(Text(_c(x), _c(y), text, **kw))

    def rect(self, x, y, width, height, fill, **kw) -> None:
        self.rects.append(Rect(_c(x), _c(y), _c(width), _c(height), fill, **kw))

    def line(self, x1, y1, x2, y2, **kw) -> None:
        self.lines.append(Line(_c(x1), _c(y1), _c(x2), _c(y2), **kw))

    def circle(self, cx, cy, r, stroke, **kw) -> None:
        self.circles.append(Circle(_c(cx), _c(cy), _c(r), stroke, **kw))

    def mark(self, x1, y1, x2, y2, **kw) -> None:
        self.marks.append(Line(_c(x1), _c(y1), _c(x2), _c(y2), **kw))

    def render(self) -> str:
        self.height = round(self.height)
        return render_to_string(
            "evaluations/analysis/chart.svg",
            {"chart": self, "patterns": list(self.patterns.values())},
        ).strip()


def _row_label(svg: Svg, y_mid: float, label: str, note: str = "", max_lines: int = 2) -> None:
    lines = _wrap(label, LABEL_WIDTH, max_lines if not note else 1)
    lines += [note] if note else []
    top = y_mid - (len(lines) - 1) * 7
    for i, line in enumerate(lines):
        is_note = bool(note) and i == len(lines) - 1
        svg.text(
            LABEL_WIDTH,
            top + i * 14 + 4,
            line,
            anchor="end",
            size="11" if is_note else "12",
            fill=MUTED if is_note else TEXT,
        )


def _legend(svg: Svg, y: float, items: list[tuple[str, str]]) -> float:
    """Swatches with their labels, wrapped over lines; returns the y below the legend."""
    x = PLOT_LEFT if len(items) < 3 else 16
    start_x = x
    for fill, label in items:
        advance = 14 + 6 + len(label) * CHAR_WIDTH + 16
        if x + advance > WIDTH - 8 and x > start_x:
            x, y = start_x, y + 20
        svg.rect(x, y, 14, 14, fill, css_class="swatch")
        svg.text(x + 20, y + 11, label, size="12")
        x += advance
    return y + 28


def _placeholder(svg: Svg, min_group_size: int) -> str:
    """The whole chart is suppressed: one sentence, no bars."""
    svg.height = 44
    svg.text(16, 27, _too_few(min_group_size), fill=MUTED, italic=True, css_class="suppressed")
    return svg.render()


def _row_name(result: QuestionResult) -> str:
    return result.breakdown if result.breakdown is not None else _("All respondents")


def _n_note(result: QuestionResult) -> str:
    return "" if result.suppressed else f"n = {result.n}"


# --- diverging stacked bars (agreement scales) --------------------------------------------------


def _scale_styles(question: Question) -> dict[int, tuple[str, str | None, str]]:
    """{value: (colour, pattern, side)} around the scale's midpoint."""
    values = question.scale_values
    mid = (question.scale_min + question.scale_max) / 2
    styles = {}
    for value in values:
        if value == mid:
            styles[value] = (NEUTRAL, None, "neutral")
            continue
        side = "negative" if value < mid else "positive"
        palette = NEGATIVE if side == "negative" else POSITIVE
        # rank 0 = the outermost value of its side
        rank = (value - question.scale_min) if side == "negative" else (question.scale_max - value)
        rank = min(int(rank), len(palette) - 1)
        styles[value] = (palette[rank], PATTERNS[rank], side)
    return styles


def diverging_svg(
    question: Question, results: list[QuestionResult], *, title: str, chart_id: str
) -> str:
    svg = Svg(chart_id, title, "")
    k = results[0].min_group_size if results else 0
    if not results or all(r.suppressed for r in results):
        svg.desc = _too_few(k)
        return _placeholder(svg, k)
    styles = _scale_styles(question)
    values = question.scale_values

    legend = [(svg.fill(*styles[v][:2]), scale_label(question, v)) for v in values]
    y = _legend(svg, 10, legend)

    def extents(result):
        shares = {s.key: s.percent / 100 for s in result.shares}
        neutral = sum(shares[v] for v in values if styles[v][2] == "neutral") / 2
        left = neutral + sum(shares[v] for v in values if styles[v][2] == "negative")
        right = neutral + sum(shares[v] for v in values if styles[v][2] == "positive")
        return left, right

    shown = [r for r in results if not r.suppressed]
    reach = max(max(extents(r)) for r in shown)
    reach = min(1.0, max(0.2, -(-round(reach * 100, 6) // 20) * 0.2))
    plot_width = WIDTH - PLOT_LEFT - 16
    zero = PLOT_LEFT + plot_width / 2
    scale = (plot_width / 2) / reach
    row_height, bar_height = 36, 22
    top = y
    bottom = top + row_height * len(results)

    steps = round(reach / 0.2)
    for i in range(-steps, steps + 1):
        x = zero + i * 0.2 * scale
        svg.line(x, top - 4, x, bottom, stroke=GRID if i else MUTED, width="1" if i else "1.5")
        svg.text(
            x, bottom + 16, format_percent(abs(i) * 20), anchor="middle", size="11", fill=MUTED
        )

    desc = []
    for index, result in enumerate(results):
        y_mid = top + index * row_height + row_height / 2
        name = _row_name(result)
        _row_label(svg, y_mid, name, _n_note(result))
        if result.suppressed:
            message = _hidden(result)
            half = len(message) * CHAR_WIDTH / 2 + 6
            svg.rect(zero - half, y_mid - 9, 2 * half, 18, "#ffffff", css_class="backdrop")
            svg.text(
                zero,
                y_mid + 4,
                message,
                anchor="middle",
                fill=MUTED,
                italic=True,
                css_class="suppressed",
            )
            desc.append(f"{name}: {_hidden(result)}.")
            continue
        left, _right = extents(result)
        x = zero - left * scale
        parts = []
        for share in result.shares:
            color, pattern, _side = styles[share.key]
            width = share.percent / 100 * scale
            label = f"{share.label}: {format_percent(share.percent)} ({share.count})"
            parts.append(label)
            if width > 0:
                svg.rect(
                    x,
                    y_mid - bar_height / 2,
                    width,
                    bar_height,
                    svg.fill(color, pattern),
                    title=label,
                )
                if width >= 34:
                    svg.text(
                        x + width / 2,
                        y_mid + 4,
                        format_percent(share.percent),
                        anchor="middle",
                        size="11",
                        weight="600",
                        fill="#ffffff",
                        halo=color,
                    )
            x += width
        desc.append(f"{name}, n = {result.n}: " + "; ".join(parts) + ".")
    svg.height = bottom + 28
    svg.desc = " ".join(desc)
    return svg.render()


# --- distribution bars (choices, long scales) ---------------------------------------------------


def distribution_svg(results: list[QuestionResult], *, title: str, chart_id: str) -> str:
    svg = Svg(chart_id, title, "")
    k = results[0].min_group_size if results else 0
    if not results or all(r.suppressed for r in results):
        svg.desc = _too_few(k)
        return _placeholder(svg, k)
    plot_width = WIDTH - PLOT_LEFT - 96
    row_height, bar_height = 26, 16
    y = 8
    desc = []
    multi = results[0].question.type == QuestionType.MULTI
    for result in results:
        name = _row_name(result)
        head = name if result.suppressed else f"{name} · n = {result.n}"
        svg.text(16, y + 14, head, weight="600")
        y += 24
        if result.suppressed:
            svg.text(
                PLOT_LEFT,
                y + 12,
                _hidden(result),
                fill=MUTED,
                italic=True,
                css_class="suppressed",
            )
            desc.append(f"{name}: {_hidden(result)}.")
            y += 28
            continue
        parts = []
        axis_top = y
        for share in result.shares:
            # a label over two or three lines gets the height it needs: no overlapping lines
            lines = len(_wrap(share.label, LABEL_WIDTH, 3))
            own_height = max(row_height, 14 * lines + 8)
            y_mid = y + own_height / 2
            _row_label(svg, y_mid, share.label, max_lines=3)
            label = f"{format_percent(share.percent)} ({share.count})"
            width = share.percent / 100 * plot_width
            if width > 0:
                svg.rect(
                    PLOT_LEFT,
                    y_mid - bar_height / 2,
                    width,
                    bar_height,
                    BRAND,
                    title=f"{share.label}: {label}",
                )
            svg.text(PLOT_LEFT + width + 6, y_mid + 4, label, size="11")
            parts.append(f"{share.label}: {label}")
            y += own_height
        svg.line(PLOT_LEFT, axis_top, PLOT_LEFT, y, stroke=MUTED)
        desc.append(f"{name}, n = {result.n}: " + "; ".join(parts) + ".")
        y += 10
    if multi:
        note = _("Multiple answers possible: shares of the respondents, they add up to more.")
        svg.text(16, y + 10, note, size="11", fill=MUTED)
        desc.append(note)
        y += 18
    svg.height = y + 4
    svg.desc = " ".join(desc)
    return svg.render()


# --- bars for means ---------------------------------------------------------------------------


@dataclass
class MeanBar:
    mean: float | None
    n: int
    suppressed: bool
    min_group_size: int
    suppressed_reason: str = ""


@dataclass
class MeanRow:
    label: str
    bars: list[MeanBar]


SERIES_STYLES = ((ACCENT, "hatch"), (BRAND, None), (NEUTRAL, "dots"))


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def means_svg(
    rows: list[MeanRow],
    *,
    low: float,
    high: float,
    series: list[str],
    title: str,
    chart_id: str,
) -> str:
    """Horizontal bars of means on the range low…high (a scale's, or 0…the largest mean),
    drawn from 0 when the range spans it, else from `low`; one bar per series and row."""
    svg = Svg(chart_id, title, "")
    bars = [bar for row in rows for bar in row.bars]
    k = bars[0].min_group_size if bars else 0
    if not bars or all(b.suppressed or b.mean is None for b in bars):
        svg.desc = _too_few(k)
        return _placeholder(svg, k)
    y = 10
    palette = SERIES_STYLES if len(series) > 1 else ((BRAND, None),)
    styles = [svg.fill(*palette[i % len(palette)]) for i in range(len(series))]
    if len(series) > 1:
        y = _legend(svg, y, list(zip(styles, series, strict=True)))
    plot_width = WIDTH - PLOT_LEFT - 56
    scale = plot_width / (high - low)
    origin_value = 0 if low < 0 < high else low
    origin = PLOT_LEFT + (origin_value - low) * scale
    bar_height = 16
    row_height = 14 + bar_height * len(series) + 4 * (len(series) - 1)
    top, bottom = y, y + row_height * len(rows)

    _ticks(svg, top, bottom, low, high, PLOT_LEFT, scale, origin_value)

    desc = []
    for index, row in enumerate(rows):
        row_top = top + index * row_height + 7
        _row_label(svg, row_top + (row_height - 14) / 2, row.label)
        parts = []
        for s, bar in enumerate(row.bars):
            y_bar = row_top + s * (bar_height + 4)
            name = series[s]
            if bar.suppressed or bar.mean is None:
                svg.text(
                    origin + 4,
                    y_bar + 12,
                    _hidden(bar),
                    size="11",
                    fill=MUTED,
                    italic=True,
                    css_class="suppressed",
                )
                parts.append(f"{name}: {_hidden(bar)}")
                continue
            x_end = PLOT_LEFT + (min(max(bar.mean, low), high) - low) * scale
            x, width = min(origin, x_end), abs(x_end - origin)
            label = format_number(bar.mean)
            svg.rect(
                x,
                y_bar,
                max(width, 1),
                bar_height,
                styles[s],
                title=f"{name}: {label} (n = {bar.n})",
            )
            if x_end >= origin:
                svg.text(x_end + 5, y_bar + 12, label, size="11", weight="600")
            else:
                svg.text(x_end - 5, y_bar + 12, label, anchor="end", size="11", weight="600")
            parts.append(f"{name}: {label} (n = {bar.n})")
        desc.append(f"{row.label}: " + "; ".join(parts) + ".")
    svg.height = bottom + 28
    svg.desc = " ".join(desc)
    return svg.render()


# --- one chart per question -------------------------------------------------------------------


def question_chart_kind(question: Question) -> str | None:
    if question.type == QuestionType.SCALE:
        return "diverging" if len(question.scale_values) <= MAX_DIVERGING_POINTS else "distribution"
    if question.has_choices:
        return "distribution"
    if question.type == QuestionType.NUMBER:
        return "means"
    return None  # free text has no chart


def question_chart_svg(
    question: Question, results: list[QuestionResult], *, chart_id: str, title: str = ""
) -> str:
    """The chart of one question from its results (overall, or one per breakdown cell);
    "" for free text."""
    kind = question_chart_kind(question)
    title = title or f"{question.code}: {question.text}"
    if kind == "diverging":
        return diverging_svg(question, results, title=title, chart_id=chart_id)
    if kind == "distribution":
        return distribution_svg(results, title=title, chart_id=chart_id)
    if kind == "means":
        shown = [r.mean for r in results if r.mean is not None]
        low = min([0.0, *shown])
        high = _nice_ceiling(max([0.0, *shown]) * 1.05) if shown else 1
        low = -_nice_ceiling(-low * 1.05) if low < 0 else 0
        rows = [
            MeanRow(
                _row_name(r),
                [MeanBar(r.mean, r.n, r.suppressed, r.min_group_size, r.suppressed_reason)],
            )
            for r in results
        ]
        return means_svg(
            rows, low=low, high=high, series=[_("Mean")], title=title, chart_id=chart_id
        )
    return ""


# --- report figures: several items in one chart ------------------------------------------------

FIGURE_LABEL_WIDTH = 272
FIGURE_PLOT_LEFT = FIGURE_LABEL_WIDTH + 16
FIGURE_LABEL_LINES = 4
MEAN_MARK = "#a4262c"  # the mean's cross: 6.5:1 against white, apart from the bubbles' blue


def _figure_label(svg: Svg, top: float, height: float, label: str, *, size="12") -> None:
    """A row's label in up to four lines, right-aligned before the plot, centred on the row."""
    lines = _wrap(label, FIGURE_LABEL_WIDTH, FIGURE_LABEL_LINES)
    first = top + height / 2 - (len(lines) - 1) * 7 + 4
    for i, line in enumerate(lines):
        svg.text(FIGURE_LABEL_WIDTH, first + i * 14, line, anchor="end", size=size)


def _label_height(label: str) -> float:
    return len(_wrap(label, FIGURE_LABEL_WIDTH, FIGURE_LABEL_LINES)) * 14


def _end_labels(svg: Svg, y: float, left: float, right: float, low: str, high: str) -> float:
    """The scale's end labels under the axis ("0 = not important … 5 = very important"),
    on one line when they fit, else one under the other; returns the y below them."""
    if not (low or high):
        return y
    if (len(low) + len(high)) * CHAR_WIDTH * 11 / 12 + 24 < right - left:
        svg.text(left, y + 12, low, size="11", fill=MUTED)
        svg.text(right, y + 12, high, anchor="end", size="11", fill=MUTED)
        return y + 18
    svg.text(left, y + 12, low, size="11", fill=MUTED)
    svg.text(right, y + 26, high, anchor="end", size="11", fill=MUTED)
    return y + 32


def _end_texts(low: float, high: float, low_label: str, high_label: str) -> tuple[str, str]:
    def text(value, label):
        number = format_number(value, 0)
        return f"{number} = {label}" if label else ""

    return text(low, low_label), text(high, high_label)


def _ticks(svg: Svg, top, bottom, low, high, left, scale, origin_value) -> None:
    span = high - low
    step = 1 if span <= 10 else _nice_ceiling(span / 5)
    tick = low
    while tick <= high + 1e-9:
        x = left + (tick - low) * scale
        is_origin = abs(tick - origin_value) < 1e-9
        svg.line(
            x,
            top - 4,
            x,
            bottom,
            stroke=MUTED if is_origin else GRID,
            width="1.5" if is_origin else "1",
        )
        svg.text(
            x,
            bottom + 16,
            format_number(tick, 0 if tick == int(tick) else 1),
            anchor="middle",
            size="11",
            fill=MUTED,
        )
        tick += step


def _wrapped_legend(svg: Svg, y: float, items: list[tuple[str, str]]) -> float:
    """Swatches with their labels side by side when they are short, else one under the other,
    long labels wrapped over two lines; returns the y below the legend."""
    if all(len(label) <= 36 for _fill, label in items):
        return _legend(svg, y, items)
    for fill, label in items:
        lines = _wrap(label, WIDTH - 56, 2)
        svg.rect(16, y, 14, 14, fill, css_class="swatch")
        for i, line in enumerate(lines):
            svg.text(36, y + 11 + i * 14, line, size="11")
        y += 14 * len(lines) + 6
    return y + 8


def items_svg(
    blocks: list[tuple[str | None, list[MeanRow]]],
    *,
    low: float,
    high: float,
    low_label: str = "",
    high_label: str = "",
    series: list[str],
    title: str,
    chart_id: str,
) -> str:
    """Means of several items on one scale: one bar per item (and series), in the order given
    (the figures sort by mean), each item's full text in up to four lines before its bars, the
    scale's end labels under the axis. `blocks` groups rows under a heading (a breakdown: one
    block per item, one row per group); a block without heading has its rows only."""
    svg = Svg(chart_id, title, "")
    bars = [bar for _heading, rows in blocks for row in rows for bar in row.bars]
    k = bars[0].min_group_size if bars else 0
    if not bars or all(b.suppressed or b.mean is None for b in bars):
        svg.desc = _too_few(k)
        return _placeholder(svg, k)
    y = 10
    palette = SERIES_STYLES if len(series) > 1 else ((BRAND, None),)
    styles = [svg.fill(*palette[i % len(palette)]) for i in range(len(series))]
    if len(series) > 1:
        y = _wrapped_legend(svg, y, list(zip(styles, series, strict=True)))
    plot_width = WIDTH - FIGURE_PLOT_LEFT - 48
    scale = plot_width / (high - low)
    origin_value = 0 if low < 0 < high else low
    origin = FIGURE_PLOT_LEFT + (origin_value - low) * scale
    bar_height, gap = (14, 3) if len(series) == 1 else (12, 2)
    bars_height = bar_height * len(series) + gap * (len(series) - 1)
    top = y + 4
    layout = []  # (kind, y, height, payload)
    for heading, rows in blocks:
        if heading:
            lines = _wrap(heading, WIDTH - 24, 2)
            layout.append(("heading", y + 4, 16 * len(lines) + 4, lines))
            y += 16 * len(lines) + 6
        for row in rows:
            height = max(_label_height(row.label), bars_height) + 10
            layout.append(("row", y, height, row))
            y += height
    bottom = y + 2
    _ticks(svg, top, bottom, low, high, FIGURE_PLOT_LEFT, scale, origin_value)

    desc = []
    for kind, row_top, height, payload in layout:
        if kind == "heading":
            svg.rect(8, row_top - 2, WIDTH - 16, height, "#ffffff", css_class="backdrop")
            for i, line in enumerate(payload):
                svg.text(16, row_top + 12 + i * 16, line, weight="600")
            desc.append(" ".join(payload) + ":")
            continue
        row = payload
        _figure_label(svg, row_top, height, row.label)
        first = row_top + (height - bars_height) / 2
        parts = []
        for s, bar in enumerate(row.bars):
            y_bar = first + s * (bar_height + gap)
            name = series[s]
            if bar.suppressed or bar.mean is None:
                svg.text(
                    origin + 4,
                    y_bar + 11,
                    _hidden(bar),
                    size="11",
                    fill=MUTED,
                    italic=True,
                    css_class="suppressed",
                )
                parts.append(f"{name}: {_hidden(bar)}" if len(series) > 1 else _hidden(bar))
                continue
            x_end = FIGURE_PLOT_LEFT + (min(max(bar.mean, low), high) - low) * scale
            x, width = min(origin, x_end), abs(x_end - origin)
            label = format_number(bar.mean)
            tooltip = f"{label} (n = {bar.n})"
            svg.rect(
                x,
                y_bar,
                max(width, 1),
                bar_height,
                styles[s],
                title=f"{name}: {tooltip}" if len(series) > 1 else tooltip,
            )
            if x_end >= origin:
                svg.text(x_end + 5, y_bar + 11, label, size="11", weight="600")
            else:
                svg.text(x_end - 5, y_bar + 11, label, anchor="end", size="11", weight="600")
            parts.append(f"{name}: {tooltip}" if len(series) > 1 else tooltip)
        desc.append(f"{row.label}: " + "; ".join(parts) + ".")
    low_text, high_text = _end_texts(low, high, low_label, high_label)
    svg.height = _end_labels(svg, bottom + 22, FIGURE_PLOT_LEFT, WIDTH - 48, low_text, high_text)
    svg.height += 6
    svg.desc = " ".join(desc + [t for t in (low_text, high_text) if t])
    return svg.render()


def shares_svg(result: QuestionResult, *, title: str, chart_id: str) -> str:
    """The composition of the respondents by one answer: a bar per choice with its share in
    percent and count, largest share first (N is stated in the caption)."""
    svg = Svg(chart_id, title, "")
    if result.suppressed or not result.n:
        svg.desc = _too_few(result.min_group_size)
        return _placeholder(svg, result.min_group_size)
    shares = sorted(result.shares, key=lambda s: -s.count)
    plot_width = WIDTH - FIGURE_PLOT_LEFT - 80
    top = y = 10
    layout = []
    for share in shares:
        height = max(_label_height(share.label), 16) + 8
        layout.append((y, height, share))
        y += height
    svg.line(FIGURE_PLOT_LEFT, top - 2, FIGURE_PLOT_LEFT, y + 2, stroke=MUTED)
    largest = max(s.percent for s in shares) or 100
    reach = min(100.0, _nice_ceiling(largest))
    desc = []
    for row_top, height, share in layout:
        _figure_label(svg, row_top, height, share.label)
        label = f"{format_percent(share.percent)} ({share.count})"
        width = share.percent / reach * plot_width
        if width > 0:
            svg.rect(
                FIGURE_PLOT_LEFT,
                row_top + (height - 16) / 2,
                width,
                16,
                BRAND,
                title=f"{share.label}: {label}",
            )
        svg.text(FIGURE_PLOT_LEFT + width + 6, row_top + height / 2 + 4, label, size="11")
        desc.append(f"{share.label}: {label}")
    note = ""
    if result.question.type == QuestionType.MULTI:
        note = _("Multiple answers possible: shares of the respondents, they add up to more.")
        svg.text(16, y + 16, note, size="11", fill=MUTED)
        y += 18
    svg.height = y + 8
    svg.desc = f"N = {result.n}: " + "; ".join(desc) + "." + (f" {note}" if note else "")
    return svg.render()


def agreement_svg(
    results: list[QuestionResult],
    *,
    title: str,
    chart_id: str,
    question: Question,
    labels: list[str] | None = None,
) -> str:
    """Agreement items (e.g. −2 … +2): per item a circle for every scale value whose area
    stands for how many chose it, and a cross at the item's mean, so distribution and mean are
    read together. Items in the order given (the figures sort by mean)."""
    svg = Svg(chart_id, title, "")
    k = results[0].min_group_size if results else 0
    if not results or all(r.suppressed for r in results):
        svg.desc = _too_few(k)
        return _placeholder(svg, k)
    values = question.scale_values
    low, high = question.scale_min, question.scale_max
    plot_left, plot_right = FIGURE_PLOT_LEFT + 14, WIDTH - 76  # the means in a column right
    step = (plot_right - plot_left) / (high - low)
    largest = max((b.count for r in results for b in r.counts), default=0) or 1
    max_radius = 12.0

    # legend: what a circle and what the cross mean
    y = 8
    svg.circle(22, y + 9, 7, BRAND)
    circle_text = _("Circle area: number of answers")
    svg.text(34, y + 13, circle_text, size="11")
    x_mark = 34 + len(circle_text) * CHAR_WIDTH * 11 / 12 + 22
    _cross(svg, x_mark, y + 9)
    svg.text(x_mark + 12, y + 13, _("Mean"), size="11")
    svg.text(WIDTH - 8, y + 13, _("Mean"), anchor="end", size="11", fill=MEAN_MARK, weight="600")
    top = y = y + 30
    layout = []
    for index, result in enumerate(results):
        label = labels[index] if labels else result.question.text
        height = max(_label_height(label), 2 * max_radius + 6) + 8
        layout.append((y, height, result, label))
        y += height
    bottom = y
    for value in values:
        x = plot_left + (value - low) * step
        is_mid = value == (low + high) / 2
        svg.line(x, top - 4, x, bottom, stroke=MUTED if is_mid else GRID)
        number = format_number(value, 0)
        text = f"+{number}" if value > 0 and low < 0 else number
        svg.text(x, bottom + 16, text, anchor="middle", size="11", fill=MUTED)

    desc = []
    for row_top, height, result, label in layout:
        _figure_label(svg, row_top, height, label)
        y_mid = row_top + height / 2
        svg.line(plot_left, y_mid, plot_right, y_mid, stroke=GRID)
        if result.suppressed:
            message = _hidden(result)
            svg.rect(
                plot_left, y_mid - 9, plot_right - plot_left, 18, "#ffffff", css_class="backdrop"
            )
            svg.text(
                (plot_left + plot_right) / 2,
                y_mid + 4,
                message,
                anchor="middle",
                fill=MUTED,
                italic=True,
                css_class="suppressed",
            )
            desc.append(f"{label}: {message}.")
            continue
        parts = []
        for share in result.shares:
            if share.count:
                radius = max(1.5, max_radius * (share.count / largest) ** 0.5)
                svg.circle(
                    plot_left + (share.key - low) * step,
                    y_mid,
                    radius,
                    BRAND,
                    title=f"{share.label}: {share.count} ({format_percent(share.percent)})",
                )
            parts.append(f"{share.label}: {share.count}")
        mean = format_number(result.mean)
        x_mean = plot_left + (result.mean - low) * step
        _cross(svg, x_mean, y_mid)
        svg.text(WIDTH - 8, y_mid + 4, mean, anchor="end", size="12", weight="600", fill=MEAN_MARK)
        desc.append(f"{label} (n = {result.n}, {_('mean')} {mean}): " + "; ".join(parts) + ".")
    low_text, high_text = _end_texts(low, high, question.min_label, question.max_label)
    if low < 0 and high_text:
        high_text = f"+{high_text}"
    svg.height = _end_labels(svg, bottom + 22, plot_left - 14, plot_right + 14, low_text, high_text)
    svg.height += 6
    svg.desc = " ".join(desc + [t for t in (low_text, high_text) if t])
    return svg.render()


def _cross(svg: Svg, x: float, y: float, size: float = 6) -> None:
    svg.mark(x - size, y - size, x + size, y + size, stroke=MEAN_MARK, width="2.5")
    svg.mark(x - size, y + size, x + size, y - size, stroke=MEAN_MARK, width="2.5")

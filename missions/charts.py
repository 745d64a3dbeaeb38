"""SVG charts of mission-profile data, one code path for the web pages and the PDF reports.

Figures are built with matplotlib's object API (Figure + the SVG canvas), never pyplot, so no
figure or state outlives a call and concurrent requests or report jobs cannot see each other.
"""

import io
from datetime import timedelta

import matplotlib
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

WIDTH_PX, HEIGHT_PX = 480, 200
CSS_PX_PER_INCH = 96  # the SVG is sized in points; 480 × 200 CSS pixels at 96 px per inch
LINE = "#163e6b"  # brand blue; contrast ≥ 7:1 on white
TARGET = "#0e6e60"  # accent green, also told apart by its dashed line and label
MUTED = "#4a4f6a"


def _number(value: float, _pos=None) -> str:
    """Axis numbers in the active language (decimal comma in German), at most two decimals."""
    value = round(float(value), 2)
    decimals = next(d for d in (0, 1, 2) if round(value, d) == value)
    return number_format(value, decimal_pos=decimals)


def goal_progress_svg(goal, updates, *, title: str) -> str:
    """A small line chart of a goal's progress values over time, with baseline and target.

    `goal` is a SmartGoal (baseline, target, unit, deadline are read), `updates` its progress
    updates in date order. `title` becomes the SVG's <title>, which screen readers announce.
    """
    points = [(u.date, float(u.value)) for u in updates]
    figure = Figure(
        figsize=(WIDTH_PX / CSS_PX_PER_INCH, HEIGHT_PX / CSS_PX_PER_INCH), layout="constrained"
    )
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(MUTED)
    axes.tick_params(colors=MUTED, labelsize=9)
    axes.grid(axis="y", color="#d6d9e3", linewidth=0.6)
    axes.set_axisbelow(True)

    if goal.target is not None:
        label = _("Target %(value)s") % {"value": _number(float(goal.target))}
        axes.axhline(float(goal.target), color=TARGET, linestyle="--", linewidth=1.2, label=label)
    if goal.baseline is not None:
        label = _("Baseline %(value)s") % {"value": _number(float(goal.baseline))}
        axes.axhline(float(goal.baseline), color=MUTED, linestyle=":", linewidth=1.2, label=label)

    if points:
        dates = [d for d, _v in points]
        axes.plot(
            dates,
            [v for _d, v in points],
            color=LINE,
            marker="o",
            markersize=4,
            linewidth=1.8,
            label=_("Reported value"),
        )
        first, last = min(dates), max(dates)
        if goal.deadline is not None and first <= goal.deadline <= last + timedelta(days=365):
            # a deadline within a year of the last report is shown, so the way left is visible
            last = max(last, goal.deadline)
            axes.axvline(
                goal.deadline,
                color=MUTED,
                linestyle="-.",
                linewidth=1,
                label=_("Deadline %(date)s") % {"date": goal.deadline.isoformat()},
            )
        pad = max(timedelta(days=7), (last - first) / 12)
        axes.set_xlim(first - pad, last + pad)
        locator = AutoDateLocator(minticks=2, maxticks=5)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    else:
        axes.set_xticks([])
        axes.text(
            0.5,
            0.5,
            _("No progress reported yet"),
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=MUTED,
            fontsize=9,
        )

    if not points and goal.target is None and goal.baseline is None:
        axes.set_yticks([])
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
        axes.yaxis.set_major_formatter(FuncFormatter(_number))
    if goal.unit:
        axes.set_ylabel(goal.unit, color=MUTED, fontsize=9)
    axes.margins(y=0.15)
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        figure.legend(
            handles, labels, loc="outside lower center", ncols=2, fontsize=8, frameon=False
        )

    buffer = io.StringIO()
    # Text stays text (smaller, selectable, readable by PDF tools); restored after the call.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :].replace("<svg ", '<svg role="img" ', 1)


def indicator_progress_svg(rows, *, title: str) -> str:
    """Horizontal bars: how far each municipality's goal has come from its baseline to its
    target (0–100 %, beyond 100 % drawn at 100 % and labelled with its value), one bar per row
    of the cohort's comparison (selectors_cohort.IndicatorRow)."""
    n = max(len(rows), 1)
    height = 60 + 26 * n
    figure = Figure(
        figsize=(WIDTH_PX / CSS_PX_PER_INCH, height / CSS_PX_PER_INCH), layout="constrained"
    )
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(MUTED)
    axes.tick_params(colors=MUTED, labelsize=9)
    axes.grid(axis="x", color="#d6d9e3", linewidth=0.6)
    axes.set_axisbelow(True)
    labels = [row.municipality for row in rows]
    shares = [row.share for row in rows]
    positions = list(range(len(rows)))[::-1]
    axes.barh(
        positions,
        [min(max(share or 0.0, 0.0), 1.0) * 100 for share in shares],
        color=LINE,
        height=0.6,
    )
    for position, share in zip(positions, shares, strict=True):
        text = _("no value yet") if share is None else f"{_number(share * 100)} %"
        axes.text(
            min(max(share or 0.0, 0.0), 1.0) * 100 + 1.5,
            position,
            text,
            va="center",
            fontsize=8,
            color=MUTED,
        )
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{_number(v)} %"))
    axes.set_xlabel(_("Way from baseline to target"), color=MUTED, fontsize=9)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :].replace("<svg ", '<svg role="img" ', 1)

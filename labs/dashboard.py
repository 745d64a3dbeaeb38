"""Columns that apps above labs add to the cohort dashboard (the layers: DESIGN.md).

labs lists a cohort's municipalities (name, district, status) and knows nothing of tandems,
missions or events, not even their lookup names. Each app that owns a figure of a municipality
registers its column from its AppConfig.ready() (tandems/dashboard.py, missions/dashboard.py,
events/dashboard.py):

    register(Column(key="tandem", order=10, header=_("Tandem"), renderer=..., annotations=...))

A page reads its rows in one query: the participations with every shown column's
`select_related` and `annotations` (selectors.cohort_dashboard_rows); a column whose figures do
not fit an annotation loads them for the whole page in `prepare` (a constant number of queries).
Each column then renders its cell of each row in Python (format_html): no template include per
row, which costs. Columns appear, in `order`, to their `audiences`: the lab's coordinators
(COORDINATORS) and, for columns of aggregate figures without personal data, its funders
(FUNDERS); labs.permissions.CohortAccess.dashboard_audience says which one a person belongs to.
Tandem members and experts see labs' own three columns.
The page's fragment cache covers the cells (its key holds the code's digest).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString

COORDINATORS = "coordinators"
FUNDERS = "funders"


@dataclass(frozen=True)
class Column:
    """One column of the cohort dashboard, owned by the app whose data it shows.

    key: unique name (registering a key again replaces the column).
    order: position among the registered columns, ascending.
    header: the column's heading (a lazy translation).
    renderer(cohort): called once per page; returns the function that renders one row's cell
        (a Participation with the annotations below) as safe HTML. Build what every row shares,
        such as a URL, in renderer, not per row.
    annotations(): the annotations the column adds to the participations queryset (a callable:
        they may depend on the clock). Their names must be unique among all columns.
    select_related: relations of Participation the cell reads.
    numeric: right-aligned figures.
    audiences: who sees the column (COORDINATORS, FUNDERS): a column for funders shows aggregate
        figures only, nothing about a person.
    prepare(rows, cohort): called once per page with the page's rows before any cell renders;
        sets on each row what the cell reads besides the annotations, in a constant number of
        queries whatever the number of rows.
    """

    key: str
    order: int
    header: str | Promise
    renderer: Callable[[Any], Callable[[Any], SafeString]]
    annotations: Callable[[], dict[str, Any]] = dict
    select_related: tuple[str, ...] = ()
    numeric: bool = False
    audiences: frozenset[str] = frozenset({COORDINATORS})
    prepare: Callable[[list, Any], None] | None = None


@dataclass(frozen=True)
class Cell:
    html: SafeString
    numeric: bool


_columns: dict[str, Column] = {}


def register(column: Column) -> None:
    _columns[column.key] = column


def columns(audience: str | None = None) -> list[Column]:
    """The registered columns in their order; with `audience`, only those it sees."""
    found = sorted(_columns.values(), key=lambda column: (column.order, column.key))
    if audience is None:
        return found
    return [column for column in found if audience in column.audiences]


def rows_with_cells(rows, cohort, shown: list[Column]) -> list:
    """The rows, each with `cells`: the HTML of its cell in every shown column."""
    rows = list(rows)
    for column in shown:
        if column.prepare is not None and rows:
            column.prepare(rows, cohort)
    renderers = [(column.renderer(cohort), column.numeric) for column in shown]
    for row in rows:
        row.cells = [Cell(render(row), numeric) for render, numeric in renderers]
    return rows

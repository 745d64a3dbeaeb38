"""The cohort missions table as CSV and XLSX, with headers in the language of the page.

Cells that a spreadsheet would run as a formula (starting with =, +, - or @) are written as
text, so a municipality name cannot smuggle a formula into a coordinator's Excel.
"""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import escape_cell, runs_as_formula
from labs.models import Cohort

from .selectors_cohort import MissionRow

BERLIN = ZoneInfo("Europe/Berlin")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [
        _("Municipality"),
        _("District"),
        _("Profile status"),
        _("Goals"),
        _("SMART-complete goals"),
        _("Goals on track"),
        _("Goals behind"),
        _("Measures"),
        _("Overdue measures"),
        _("Last update"),
    ]


def _local(moment: datetime | None) -> datetime | None:
    """Naive Europe/Berlin time: spreadsheets know no time zones."""
    return timezone.localtime(moment, BERLIN).replace(tzinfo=None) if moment else None


def values(row: MissionRow) -> list:
    return [
        row.municipality.name,
        row.municipality.district,
        row.status_label,
        row.n_goals,
        row.n_goals_complete,
        row.n_on_track,
        row.n_behind,
        row.n_measures,
        row.n_overdue,
        _local(row.last_update),
    ]


def _filename(cohort: Cohort, extension: str) -> str:
    stem = _("mission-profiles")  # Translators: file name, lower case, no spaces
    return f"{stem}-{cohort.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return escape_cell(str(value))


def missions_csv(cohort: Cohort, rows: list[MissionRow]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_csv_cell(v) for v in values(row)])
    # with a byte-order mark, Excel reads the umlauts as UTF-8
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(cohort, "csv")
    )
    return response


def _sheet_title(cohort: Cohort) -> str:
    title = "".join(c for c in cohort.name if c not in "[]:*?/\\").strip()
    return title[:31] or "Missionen"


def missions_xlsx(cohort: Cohort, rows: list[MissionRow]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(cohort)
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(values(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and runs_as_formula(cell.value):
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
    sheet.freeze_panes = "B2"
    for column, width in zip("ABCDEFGHIJ", (28, 18, 22, 8, 12, 12, 12, 10, 12, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(cohort, "xlsx")
    )
    return response

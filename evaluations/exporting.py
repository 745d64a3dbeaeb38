"""Exports of a survey: aggregates (from analysis.survey_results) and raw answers, CSV and XLSX.

Aggregates: one row per question and breakdown value, columns
`question_code,breakdown,n,mean,median,sd,suppressed`, then `count_<scale value or choice code>`
for every value any question offers. Suppressed rows (fewer respondents than the survey's minimum
group size) keep only their code, breakdown and `true`. Free text is never in them.

Raw answers: the answers file format of evaluations.importing, so that an export imports again
without loss into a survey with the same definition. Built row by row from one ordered query read
through a server-side cursor: the CSV streams, the XLSX goes through openpyxl's write-only mode
into a temporary file. Memory stays bounded at any number of responses.
"""

import csv
import datetime as dt
import io
import itertools
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from . import analysis
from .importing import FIXED_COLUMNS, MULTI_SEPARATOR, escape_cell
from .models import Question, QuestionType, Response, Survey

RESULT_COLUMNS = ["question_code", "breakdown", "n", "mean", "median", "sd", "suppressed"]
BREAKDOWNS = analysis.BREAKDOWNS
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
RAW_CHUNK_ROWS = 500  # CSV rows per streamed chunk
RAW_FETCH_SIZE = 2000  # rows per fetch from the server-side cursor


def export_filename(survey: Survey, kind: str, extension: str, by: str | None = None) -> str:
    """e.g. kohorte-1-eingangsbefragung-results-by-group-2025-03-31.csv (ASCII slugs only)."""
    parts = [survey.cohort.slug, survey.slug, kind]
    if by:
        parts.append(f"by-{by}")
    return "-".join([*parts, f"{timezone.localdate():%Y-%m-%d}"]) + f".{extension}"


# --- aggregates -----------------------------------------------------------------------------------


def _count_keys(question: Question) -> list:
    if question.type == QuestionType.SCALE:
        return question.scale_values
    if question.has_choices:
        return [choice.code for choice in question.choices.all()]
    return []


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def results_table(survey: Survey, *, by: str | None = None) -> tuple[list[str], list[list]]:
    """The header and the rows of the aggregate export, as typed values (None = empty)."""
    questions = list(analysis.survey_questions(survey))
    scale_keys = sorted(
        {v for q in questions if q.type == QuestionType.SCALE for v in q.scale_values}
    )
    choice_keys = list(
        dict.fromkeys(c.code for q in questions if q.has_choices for c in q.choices.all())
    )
    keys = [*scale_keys, *choice_keys]
    header = RESULT_COLUMNS + [f"count_{key}" for key in keys]
    offered = {q.pk: set(_count_keys(q)) for q in questions}
    rows = []
    for result in analysis.survey_results(survey, by=by, questions=questions):
        question = result.question
        row = [question.code, result.breakdown or ""]
        if result.suppressed:
            row += [None, None, None, None, "true"] + [None] * len(keys)
        else:
            row += [result.n, result.mean, result.median, result.sd, "false"]
            counts = {b.key: b.count for b in result.counts}
            own = offered.get(question.pk, set())
            row += [counts.get(key, 0) if key in own else None for key in keys]
        rows.append(row)
    return header, rows


def results_csv(survey: Survey, *, by: str | None = None) -> str:
    header, rows = results_table(survey, by=by)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        code, breakdown, n, mean, median, sd, suppressed, *counts = row
        writer.writerow(
            [
                code,
                escape_cell(breakdown),
                "" if n is None else n,
                _figure(mean),
                _figure(median),
                _figure(sd),
                suppressed,
                *("" if c is None else c for c in counts),
            ]
        )
    return buffer.getvalue()


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # never a formula, whatever it starts with
    return cell


def results_xlsx(survey: Survey, *, by: str | None = None) -> bytes:
    header, rows = results_table(survey, by=by)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    bold = Font(bold=True)
    head = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        cells = [_text_cell(sheet, row[0]), _text_cell(sheet, row[1]) if row[1] else None]
        cells.append(row[2])
        for value in row[3:6]:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "0.00"
            cells.append(cell)
        cells.append(row[6])
        cells += row[7:]
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- raw answers ----------------------------------------------------------------------------------


def _number_cell(number: float) -> str:
    # the shortest text that reads back as the same float; whole numbers without ".0"
    return str(int(number)) if number.is_integer() else repr(number)


def raw_header(questions: list[Question]) -> list[str]:
    return [*FIXED_COLUMNS, *(q.code for q in questions)]


def raw_rows(survey: Survey, questions: list[Question]) -> Iterator[list]:
    """One list per response, in the raw header's order: strings, floats and None (empty).

    One query ordered by response, read through a server-side cursor (PostgreSQL) in chunks and
    grouped per response, so only one response's answers are in memory at a time.
    """
    column = {q.pk: i for i, q in enumerate(questions, start=len(FIXED_COLUMNS))}
    kinds = {q.pk: q.type for q in questions}
    rows = (
        Response.objects.filter(survey=survey)
        .order_by("pk", "answers__choice__position", "answers__choice_id")
        .values_list(
            "pk",
            "external_id",
            "submitted_at",
            "municipality__name",
            "group",
            "answers__question_id",
            "answers__choice__code",
            "answers__number",
            "answers__text",
        )
        .iterator(chunk_size=RAW_FETCH_SIZE)
    )
    width = len(FIXED_COLUMNS) + len(questions)
    for pk, group_rows in itertools.groupby(rows, key=lambda r: r[0]):
        first = next(group_rows)
        _pk, external_id, submitted_at, municipality, group = first[:5]
        out: list = [None] * width
        out[0] = external_id or f"R{pk}"
        out[1] = timezone.localtime(submitted_at) if submitted_at else None
        out[2] = municipality or None
        out[3] = group or None
        for answer in itertools.chain([first], group_rows):
            question_id, choice_code, number, text = answer[5:]
            index = column.get(question_id)
            if index is None:
                continue  # a response without answers (LEFT JOIN gives NULLs)
            kind = kinds[question_id]
            if kind == QuestionType.MULTI:
                out[index] = (
                    choice_code
                    if out[index] is None
                    else out[index] + MULTI_SEPARATOR + choice_code
                )
            elif kind == QuestionType.SINGLE:
                out[index] = choice_code
            elif kind == QuestionType.TEXT:
                out[index] = text
            else:
                out[index] = number
        yield out


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return _number_cell(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return escape_cell(str(value))


def raw_csv_chunks(survey: Survey) -> Iterator[bytes]:
    """The raw export as CSV bytes, UTF-8 with BOM (Excel), RAW_CHUNK_ROWS rows per chunk.

    A generator: no query runs before the first chunk (the header) is taken.
    """
    questions = list(survey.questions.all())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(raw_header(questions))
    yield buffer.getvalue().encode("utf-8-sig")
    for batch in _batched(raw_rows(survey, questions), RAW_CHUNK_ROWS):
        buffer.seek(0)
        buffer.truncate()
        for row in batch:
            writer.writerow([_csv_value(v) for v in row])
        yield buffer.getvalue().encode("utf-8")


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def raw_xlsx_file(survey: Survey):
    """The raw export as XLSX in a temporary file (rewound), written in openpyxl's write-only
    mode so that rows go to disk as they come."""
    questions = list(survey.questions.all())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("answers")
    sheet.append(raw_header(questions))
    for row in raw_rows(survey, questions):
        cells = []
        for value in row:
            if isinstance(value, str):
                cells.append(_text_cell(sheet, value))
            elif isinstance(value, dt.datetime):
                cells.append(_text_cell(sheet, value.isoformat()))
            elif isinstance(value, float) and value.is_integer():
                cells.append(int(value))
            else:
                cells.append(value)
        sheet.append(cells)
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(output)
    output.seek(0)
    return output

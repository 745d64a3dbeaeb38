"""Exports of a survey: aggregates (from analysis.survey_results) and raw answers, CSV and XLSX.

Aggregates: one row per question and breakdown value, columns
`question_code,breakdown,n,mean,median,sd,suppressed`, then `count_<scale value or choice code>`
for every value any question offers. Suppressed rows (fewer respondents than the survey's minimum
group size) keep only their code, breakdown and `true`. Free text is never in them.

Raw answers: the answers file format of evaluations.importing, so that an export imports again
without loss into a survey with the same definition. Both formats stream: the response starts
before the first row is read and memory stays the same at any number of responses. On PostgreSQL
one statement pivots and formats the answers in the database and COPY sends the rows as they are
made (200,000 responses as CSV in about a second, see bench/survey_scale.py); elsewhere (SQLite)
they are built row by row from one ordered query, to the same bytes. The XLSX workbook is written
as a ZIP stream with the sheet deflated row by row (`raw_xlsx_chunks`).
"""

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from django.db import connections, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from psycopg import sql

from config.spreadsheet import FORMULA_STARTS, escape_cell
from labs.models import Municipality

from . import analysis
from .importing import FIXED_COLUMNS, MULTI_SEPARATOR
from .models import Answer, Question, QuestionType, Response, Survey

RESULT_COLUMNS = ["question_code", "breakdown", "n", "mean", "median", "sd", "suppressed"]
BREAKDOWNS = analysis.BREAKDOWNS
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
RAW_CHUNK_ROWS = 500  # rows per streamed chunk (portable CSV path; XLSX rows per write)
RAW_CHUNK_BYTES = 64 * 1024  # bytes per streamed chunk (COPY path)
RAW_FETCH_SIZE = 2000  # rows per fetch from the server-side cursor (portable path)
XLSX_COMPRESSION = 1  # zlib level: the sheet's XML is repetitive; level 1 is several times faster


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


def _use_copy() -> bool:
    return connections[Response.objects.db].vendor == "postgresql"


def raw_rows(survey: Survey, questions: list[Question]) -> Iterator[list]:
    """One list per response, in the raw header's order: strings, floats and None (empty).

    The portable path (SQLite): one query ordered by response, read in chunks and grouped per
    response, so only one response's answers are in memory at a time. PostgreSQL pivots in the
    database instead (`_pivot_query`).
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
                out[index] = text or None
            else:
                out[index] = number
        yield out


# PostgreSQL: one statement pivots the answers (one row per response, one column per question)
# and formats every cell, and COPY sends the rows: no Python object per answer.


def _sql_escaped(expression: sql.Composable) -> sql.Composed:
    """escape_cell in SQL: an apostrophe before a text that a spreadsheet would run."""
    starts = sql.SQL(", ").join(sql.Literal(ord(sign)) for sign in (*FORMULA_STARTS, "'"))
    return sql.SQL("CASE WHEN ascii({x}) IN ({starts}) THEN '''' || {x} ELSE {x} END").format(
        x=expression, starts=starts
    )


def _sql_isoformat(expression: sql.Composable) -> sql.Composed:
    """datetime.isoformat() of the local time, as timezone.localtime gives it (the statement
    runs with the session's TimeZone set to the current time zone, see `_copy_out`):
    2025-03-31T14:00:00+02:00, microseconds only when there are some. The time's own text
    output (2025-03-31 14:00:00+02) is cheap; to_char only for the rare time with a fraction."""
    text = sql.SQL("({}::text)").format(expression)
    offset = sql.SQL("substring({} from '[+-][0-9:]+$')").format(text)
    return sql.SQL(
        "CASE WHEN position('.' IN {text}) = 0"
        " THEN overlay({text} placing 'T' from 11 for 1)"
        " || CASE WHEN length({text}) = 22 THEN ':00' ELSE '' END"
        " ELSE to_char({x}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || {offset}"
        " || CASE WHEN length({offset}) = 3 THEN ':00' ELSE '' END END"
    ).format(text=text, offset=offset, x=expression)


def _pivot_query(survey: Survey, questions: list[Question], *, csv_cells: bool) -> sql.Composed:
    """One row per response of the survey, ordered as the portable path orders them, with the
    raw header's columns.

    `csv_cells`: every cell as the CSV writer of the portable path writes it (text, escaped,
    NULL for an empty cell); otherwise raw values (numbers as float8) for the XLSX writer.
    Numbers: float8's output is the shortest text that reads back as the same float, which for
    every value an answer may hold (|x| ≤ 1e12) is what `_number_cell` writes; `+ 0` turns −0
    into 0 as `int()` does.
    """
    escaped = _sql_escaped if csv_cells else (lambda expression: expression)
    aggregates, cells = [], []
    for position, question in enumerate(questions):
        name = sql.Identifier(f"q{position}")
        when = sql.SQL("FILTER (WHERE a.question_id = {})").format(sql.Literal(question.pk))
        if question.type in (QuestionType.SCALE, QuestionType.NUMBER):
            aggregates.append(sql.SQL("max(a.number) {} AS {}").format(when, name))
            cells.append(sql.SQL("a.{} + 0").format(name))
            continue
        if question.type == QuestionType.TEXT:
            aggregates.append(sql.SQL("max(a.text) {} AS {}").format(when, name))
            cells.append(escaped(sql.SQL("NULLIF(a.{}, '')").format(name)))
            continue
        choices = list(question.choices.all())
        if not choices:
            cells.append(sql.NULL)
            continue
        code = sql.SQL("CASE a.choice_id {} END").format(
            sql.SQL(" ").join(
                sql.SQL("WHEN {} THEN {}").format(sql.Literal(c.pk), sql.Literal(c.code))
                for c in choices
            )
        )
        if question.type == QuestionType.SINGLE:
            aggregates.append(sql.SQL("max({}) {} AS {}").format(code, when, name))
        else:  # multi: the codes in the choices' order
            order = sql.SQL("CASE a.choice_id {} END").format(
                sql.SQL(" ").join(
                    sql.SQL("WHEN {} THEN {}").format(sql.Literal(c.pk), sql.Literal(i))
                    for i, c in enumerate(choices)
                )
            )
            aggregates.append(
                sql.SQL("string_agg({}, {} ORDER BY {}) {} AS {}").format(
                    code, sql.Literal(MULTI_SEPARATOR), order, when, name
                )
            )
        cells.append(escaped(sql.SQL("a.{}").format(name)))
    answers = sql.SQL("")
    if aggregates:
        answers = sql.SQL(
            " LEFT JOIN (SELECT a.response_id, {aggregates} FROM {answer} a"
            " WHERE a.question_id IN ({questions}) GROUP BY a.response_id) a"
            " ON a.response_id = r.id"
        ).format(
            aggregates=sql.SQL(", ").join(aggregates),
            answer=sql.Identifier(Answer._meta.db_table),
            questions=sql.SQL(", ").join(sql.Literal(q.pk) for q in questions),
        )
    submitted = sql.SQL("r.submitted_at")
    columns = [
        sql.SQL("CASE WHEN r.external_id = '' THEN 'R' || r.id ELSE {} END").format(
            escaped(sql.SQL("r.external_id"))
        ),
        _sql_isoformat(submitted),
        escaped(sql.SQL("NULLIF(m.name, '')")),
        escaped(sql.SQL("NULLIF(r.{}, '')").format(sql.Identifier("group"))),
        *cells,
    ]
    return sql.SQL(
        "SELECT {columns} FROM {response} r LEFT JOIN {municipality} m ON m.id = r.municipality_id"
        "{answers} WHERE r.survey_id = {survey} ORDER BY r.id"
    ).format(
        columns=sql.SQL(", ").join(columns),
        response=sql.Identifier(Response._meta.db_table),
        municipality=sql.Identifier(Municipality._meta.db_table),
        answers=answers,
        survey=sql.Literal(survey.pk),
    )


def _copy_out(statement: sql.Composed, *, binary_types: list[str] | None = None) -> Iterator:
    """COPY (statement) TO STDOUT: CSV data rows (bytes), or with `binary_types` typed tuples.

    Inside a transaction only so that its settings hold for this statement alone: no JIT
    compilation (it costs more than it saves on a one-off scan like this), the shortest exact
    float output and ISO dates whatever the server's defaults, and the current time zone for the
    times' text. The transaction lasts as long as the reading and is rolled back (it wrote
    nothing); when the consumer stops early (the download was cancelled), closing this generator
    cancels the statement.
    """
    connection = connections[Response.objects.db]
    fmt = sql.SQL("binary") if binary_types else sql.SQL("csv")
    copy_statement = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT {})").format(statement, fmt)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for name, value in (
            ("jit", "off"),
            ("extra_float_digits", "1"),
            ("DateStyle", "ISO"),
            ("TimeZone", timezone.get_current_timezone_name()),
        ):
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        with connection.wrap_database_errors, cursor.cursor.copy(copy_statement) as copy:
            if binary_types:
                copy.set_types(binary_types)
                yield from copy.rows()
            else:
                yield from copy
        # it only read: rolling back ends the settings, also where this transaction is a
        # savepoint of an outer one
        transaction.set_rollback(True, using=connection.alias)


def _chunked(pieces: Iterable, size: int) -> Iterator[bytes]:
    """Pieces of bytes joined into chunks of about `size` bytes."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        if len(buffer) >= size:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return _number_cell(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return escape_cell(str(value))


def raw_csv_chunks(survey: Survey) -> Iterator[bytes]:
    """The raw export as CSV bytes, UTF-8 with BOM (Excel), in chunks of about RAW_CHUNK_BYTES.

    A generator: no query runs before the first chunk (the header) is taken. On PostgreSQL the
    rows come from COPY as the database writes them (`_pivot_query`); elsewhere they are built
    row by row from `raw_rows`. Both write the same bytes.
    """
    questions = list(survey.questions.prefetch_related("choices"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(raw_header(questions))
    yield buffer.getvalue().encode("utf-8-sig")
    if _use_copy():
        yield from _chunked(
            _copy_out(_pivot_query(survey, questions, csv_cells=True)), RAW_CHUNK_BYTES
        )
        return
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


def _typed_rows(survey: Survey, questions: list[Question]) -> Iterator[Sequence]:
    """The raw rows for XLSX: texts (the time as ISO 8601 text), floats and None."""
    if _use_copy():
        types = ["text"] * len(FIXED_COLUMNS) + [
            "float8" if q.type in (QuestionType.SCALE, QuestionType.NUMBER) else "text"
            for q in questions
        ]
        yield from _copy_out(_pivot_query(survey, questions, csv_cells=False), binary_types=types)
        return
    for row in raw_rows(survey, questions):
        if row[1] is not None:
            row[1] = row[1].isoformat()
        yield row


# XLSX, streamed: the workbook is a ZIP archive whose sheet is written row by row into a
# deflate stream; each compressed piece goes out as soon as zlib gives it (ZIP entries with data
# descriptors, as streaming ZIP writers make them). Cells are inline strings and numbers.

_XML_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_REPLACEMENTS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}  # others: dropped
_XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XLSX_FILES = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_XLSX_PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{_XLSX_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_XLSX_MAIN}" xmlns:r="{_XLSX_RELS}"><sheets>'
        '<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_XLSX_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_XLSX_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_XLSX_RELS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_XLSX_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
        'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
        'builtinId="0"/></cellStyles></styleSheet>'
    ),
}
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xml_text(text: str) -> str:
    """Text for an XML element: markup escaped, characters XML cannot hold dropped (as openpyxl
    drops them), a carriage return kept as a reference (a parser would turn it into a line
    feed)."""
    if _XML_SPECIAL.search(text) is None:
        return text
    return _XML_SPECIAL.sub(lambda match: _XML_REPLACEMENTS.get(match.group(), ""), text)


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _xlsx_row(number: int, values: Sequence, letters: list[str]) -> str:
    """One <row> of the sheet: text as inline strings (never a formula, whatever it starts
    with), whole numbers without ".0", empty cells left out."""
    cells = []
    for letter, value in zip(letters, values, strict=False):
        if value is None:
            continue
        if isinstance(value, str):
            text = _xml_text(value)
            space = ' xml:space="preserve"' if text != text.strip() else ""
            cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        else:
            figure = _number_cell(value) if isinstance(value, float) else str(value)
            cells.append(f'<c r="{letter}{number}"><v>{figure}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Pipe:
    """A write-only file for zipfile whose contents are taken out as they come."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts = []
        return data


def raw_xlsx_chunks(survey: Survey, sheet_name: str = "answers") -> Iterator[bytes]:
    """The raw export as an XLSX workbook, streamed: its first bytes leave before the first row
    is read, and memory stays the same at any number of responses."""
    questions = list(survey.questions.prefetch_related("choices"))
    header = raw_header(questions)
    letters = _column_letters(len(header))
    pipe = _Pipe()
    with zipfile.ZipFile(
        pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=XLSX_COMPRESSION
    ) as archive:
        for name, content in _XLSX_FILES.items():
            text = content.replace("{sheet}", _xml_text(sheet_name))
            archive.writestr(name, _XML_DECLARATION + text)
        yield pipe.take()
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                (
                    f'{_XML_DECLARATION}<worksheet xmlns="{_XLSX_MAIN}"><sheetData>'
                    + _xlsx_row(1, header, letters)
                ).encode()
            )
            rows = enumerate(_typed_rows(survey, questions), start=2)
            for batch in _batched(rows, RAW_CHUNK_ROWS):
                sheet.write("".join(_xlsx_row(n, row, letters) for n, row in batch).encode())
                if data := pipe.take():
                    yield data
            sheet.write(b"</sheetData></worksheet>")
    yield pipe.take()

"""Importing answers collected elsewhere (e.g. exported from LimeSurvey): the answers file.

The answers file is CSV, UTF-8 with or without BOM, comma or semicolon separated (detected from
the header): `response_id`, optional `submitted_at` (ISO 8601), `municipality` (name or AGS of a
municipality taking part in the survey's cohort) and `group`, then one column per question code.
Scale and number cells accept a decimal comma, `multi` cells join choice codes with `|`, an empty
cell is no answer. Required questions may stay empty: data collected elsewhere is often partial,
and analysis counts answers per question.

All or nothing, and bounded memory at any size: a first pass over the file checks every row and
reports every error (row as a spreadsheet numbers it, column, reason); only when there is none, a
second pass inserts the rows in chunks inside one transaction (COPY on PostgreSQL, bulk_create
elsewhere). The response ids go into a temporary table during the first pass, where one query
finds the ids given twice and those imported before, so that nothing in memory grows with the
file: it holds one chunk of rows and the parsers' small caches. (200,000 responses of seven
questions take about half a minute on PostgreSQL, most of it the database's own work on indexes
and foreign keys; see bench/survey_scale.py.)

Cells that a spreadsheet would run as a formula are exported with a leading apostrophe
(see `core.spreadsheets.escape_cell`); the import removes it again (`unescape_cell`), so
export → import is lossless.
"""

import bisect
import codecs
import csv
import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dataversion
from core.spreadsheets import unescape_cell
from labs.models import Municipality

from .models import Answer, Question, QuestionType, Response, ResponseChannel, Survey

FIXED_COLUMNS = ("response_id", "submitted_at", "municipality", "group")
MULTI_SEPARATOR = "|"
MAX_ID_LENGTH = 100  # Response.external_id
MAX_GROUP_LENGTH = 100  # Response.group
MAX_TEXT_LENGTH = 10000  # as services.clean_answers
MAX_NUMBER = 1e12
CHUNK_SIZE = 5000  # responses per bulk insert
ANSWER_BATCH_SIZE = 5000
CACHE_LIMIT = 10000  # parsed cells remembered per question (scale values and codes repeat)
CACHE_KEY_LENGTH = 40  # only short cells are remembered

# (question_id, choice_id, number, text): an answer before it is stored
AnswerValues = tuple[int, int | None, float | None, str]

# How far an import is: the pass ("check" reads and checks every row, "insert" stores them) and
# the data rows it has done; called every CHUNK_SIZE rows and at the end of each pass.
PHASE_CHECK, PHASE_INSERT = "check", "insert"
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # the column's name; "" when the whole row or file is meant
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first `keep_errors`
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- cells ----------------------------------------------------------------------------------------


def parse_number(text: str) -> float:
    """A number as people type it: decimal comma or point, Unicode minus; finite and not absurd."""
    cleaned = text.strip().replace("\u2212", "-").replace(",", ".").replace(" ", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    return number


def parse_datetime(text: str) -> dt.datetime:
    """ISO 8601 (date, or date and time, with or without offset); naive means Europe/Berlin."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date in ISO 8601 format (e.g. 2025-03-31T14:00:00+02:00).")
            % {"value": text}
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _question_parser(question: Question) -> Callable[[str], list[AnswerValues]]:
    """A function from a non-empty cell to the question's answers; raises CellError."""
    qid = question.pk
    if question.type == QuestionType.SCALE:
        low, high = question.scale_min, question.scale_max

        def scale(text: str) -> list[AnswerValues]:
            number = parse_number(text)
            if number != int(number) or not low <= number <= high:
                raise CellError(
                    _("“%(value)s” is not a whole number from %(min)s to %(max)s.")
                    % {"value": text, "min": low, "max": high}
                )
            return [(qid, None, float(int(number)), "")]

        return scale
    if question.type == QuestionType.NUMBER:
        return lambda text: [(qid, None, parse_number(text), "")]
    if question.type in (QuestionType.SINGLE, QuestionType.MULTI):
        choices = {choice.code: choice.pk for choice in question.choices.all()}
        offered = ", ".join(choices)

        def unknown(code: str) -> CellError:
            return CellError(
                _("“%(code)s” is not a choice of this question (choices: %(choices)s).")
                % {"code": code, "choices": offered}
            )

        if question.type == QuestionType.SINGLE:

            def single(text: str) -> list[AnswerValues]:
                code = text.strip()
                if code not in choices:
                    raise unknown(code)
                return [(qid, choices[code], None, "")]

            return single

        def multi(text: str) -> list[AnswerValues]:
            codes = [c.strip() for c in text.split(MULTI_SEPARATOR)]
            answers = []
            for code in dict.fromkeys(c for c in codes if c):
                if code not in choices:
                    raise unknown(code)
                answers.append((qid, choices[code], None, ""))
            return answers

        return multi

    def free_text(text: str) -> list[AnswerValues]:
        value = unescape_cell(text.strip()).strip()
        if len(value) > MAX_TEXT_LENGTH:
            raise CellError(_("The text is longer than 10,000 characters."))
        return [(qid, None, None, value)] if value else []

    return free_text


def _remembering(parse: Callable[[str], list[AnswerValues]]) -> Callable[[str], list[AnswerValues]]:
    """`parse` with its results remembered per cell: a scale question's 200,000 cells hold a
    handful of different texts. Errors are not remembered (they raise again), long cells neither,
    and at most CACHE_LIMIT results, so the cache stays small. The lists returned are shared:
    callers must not change them."""
    cache: dict[str, list[AnswerValues]] = {}

    def parse_remembered(text: str) -> list[AnswerValues]:
        answers = cache.get(text)
        if answers is None:
            answers = parse(text)
            if len(cache) < CACHE_LIMIT and len(text) <= CACHE_KEY_LENGTH:
                cache[text] = answers
        return answers

    return parse_remembered


def _parser(question: Question) -> Callable[[str], list[AnswerValues]]:
    parse = _question_parser(question)
    return parse if question.type == QuestionType.TEXT else _remembering(parse)


# --- the file -------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    row: int
    external_id: str
    submitted_at: dt.datetime | None
    municipality_id: int | None
    group: str
    answers: list[AnswerValues]


class FileError(Exception):
    """The file cannot be read further (encoding, CSV syntax); reported as one error."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def _text_lines(file: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, decoded one by one (so a decoding error names its row), the
    line ends kept for the csv module; a byte-order mark at the start is dropped."""
    for number, line in enumerate(file):
        if number == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if b"\x00" in line:
            raise _NulByte
        yield line.decode("utf-8")


class _NulByte(Exception):
    pass


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@dataclass
class _Layout:
    """Where a file keeps what: built once from its header, applied to every row."""

    header: list[str]
    order: dict[str, int]  # column name → position among the columns read (for error order)
    fixed: list[tuple[int, str]]  # (index, name) of the fixed columns read
    questions: list[tuple[int, str, Callable[[str], list[AnswerValues]]]]
    unnamed: list[int]  # indexes of columns without a name (their cells must stay empty)


class AnswersFile:
    """The rules for one survey's answers file, built once and applied to every row."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.questions = list(survey.questions.prefetch_related("choices"))
        self.parsers = {q.code: _parser(q) for q in self.questions}
        self.municipalities: dict[str, int] = {}
        for pk, name, ags in Municipality.objects.filter(
            participations__cohort_id=survey.cohort_id
        ).values_list("pk", "name", "ags"):
            self.municipalities[name.strip().casefold()] = pk
            if ags:
                self.municipalities[ags] = pk

    def records(self, file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) of every row of the file, the header first as row 1."""
        file.seek(0)
        lines = _text_lines(file)
        row = 0
        try:
            first = next(lines, "")
            reader = csv.reader(
                itertools.chain([first], lines), delimiter=_detect_delimiter(first), strict=False
            )
            for row, cells in enumerate(reader, start=1):  # noqa: B007 (row is used below)
                yield row, cells
        except UnicodeDecodeError:
            raise FileError(
                RowError(
                    row + 1,
                    "",
                    _(
                        "The file is not in UTF-8. Save it as “CSV UTF-8” in your spreadsheet "
                        "program and upload it again."
                    ),
                )
            ) from None
        except _NulByte:
            raise FileError(
                RowError(
                    row + 1, "", _("The file contains a NUL character: it is not a text file.")
                )
            ) from None
        except csv.Error as exc:
            raise FileError(
                RowError(row + 1, "", _("The file is not valid CSV: %(error)s") % {"error": exc})
            ) from None

    def plan(self, header: list[str]) -> tuple[list[tuple[int, str]], list[RowError]]:
        """The columns to read, as (index, name), and the header's errors."""
        columns, errors, seen = [], [], set()
        for index, cell in enumerate(header):
            name = cell.strip()
            if name.casefold() in FIXED_COLUMNS:
                name = name.casefold()
            if not name:
                continue  # an unnamed column is allowed while it stays empty
            if name in seen:
                errors.append(RowError(1, name, _("This column appears more than once.")))
                continue
            seen.add(name)
            if name not in FIXED_COLUMNS and name not in self.parsers:
                errors.append(
                    RowError(
                        1,
                        name,
                        _("Unknown column: this survey has no question with this code."),
                    )
                )
                continue
            columns.append((index, name))
        if "response_id" not in seen:
            errors.append(RowError(1, "response_id", _("The column response_id is missing.")))
        return columns, errors

    def layout(self, header: list[str], columns: list[tuple[int, str]]) -> _Layout:
        return _Layout(
            header=header,
            order={name: position for position, (_index, name) in enumerate(columns)},
            fixed=[(index, name) for index, name in columns if name in FIXED_COLUMNS],
            questions=[
                (index, name, self.parsers[name])
                for index, name in columns
                if name not in FIXED_COLUMNS
            ],
            unnamed=[index for index, cell in enumerate(header) if not cell.strip()],
        )

    def _fixed_cell(self, parsed: ParsedRow, name: str, text: str) -> None:
        """Store a fixed column's cell in the row; raises CellError."""
        if name == "response_id":
            parsed.external_id = unescape_cell(text)
            if len(parsed.external_id) > MAX_ID_LENGTH:
                raise CellError(_("The response id is longer than 100 characters."))
        elif name == "submitted_at":
            parsed.submitted_at = parse_datetime(text)
        elif name == "municipality":
            key = unescape_cell(text)
            pk = self.municipalities.get(key) or self.municipalities.get(key.casefold())
            if pk is None:
                raise CellError(
                    _(
                        "“%(value)s” is not a municipality of this cohort (give its name "
                        "or its AGS)."
                    )
                    % {"value": text}
                )
            parsed.municipality_id = pk
        else:  # group
            parsed.group = unescape_cell(text)
            if len(parsed.group) > MAX_GROUP_LENGTH:
                raise CellError(_("The group is longer than 100 characters."))

    def parse_row(
        self, row: int, cells: list[str], layout: _Layout
    ) -> tuple[ParsedRow, list[RowError]]:
        errors = []
        parsed = ParsedRow(row, "", None, None, "", [])
        width = len(cells)
        for index, name in layout.fixed:
            text = cells[index].strip() if index < width else ""
            if not text:
                if name == "response_id":
                    errors.append(RowError(row, name, _("The response id is missing.")))
                continue
            try:
                self._fixed_cell(parsed, name, text)
            except CellError as exc:
                errors.append(RowError(row, name, exc.message))
        answers = parsed.answers
        for index, name, parse in layout.questions:
            if index >= width:
                continue
            text = cells[index].strip()
            if text:
                try:
                    answers.extend(parse(text))
                except CellError as exc:
                    errors.append(RowError(row, name, exc.message))
        if len(errors) > 1:  # in the file's column order
            errors.sort(key=lambda error: layout.order[error.column])
        # cells without a column (cells under a column the header check reported are not
        # reported again)
        for index in layout.unnamed:
            if index < width and cells[index].strip():
                errors.append(
                    RowError(
                        row,
                        _("column %(number)s") % {"number": index + 1},
                        _("This cell has no column name in the header."),
                    )
                )
        if width > len(layout.header) and "".join(cells[len(layout.header) :]).strip():
            errors.append(RowError(row, "", _("This row has more cells than the header.")))
        return parsed, errors

    def rows(self, file: IO[bytes]) -> Iterator[tuple[ParsedRow | None, list[RowError]]]:
        """Every data row, parsed, with its errors; first (None, header errors)."""
        records = self.records(file)
        first = next(records, None)
        if first is None or not "".join(first[1]).strip():
            yield None, [RowError(1, "", _("The file is empty: the header row is missing."))]
            return
        header = first[1]
        columns, errors = self.plan(header)
        yield None, errors
        layout = self.layout(header, columns)
        for row, cells in records:
            if not "".join(cells).strip():
                continue  # an empty line, as spreadsheets leave at the end
            yield self.parse_row(row, cells, layout)


# --- the import -----------------------------------------------------------------------------------


class _Collector:
    def __init__(self, keep: int, on_error: Callable[[RowError], None] | None):
        self.keep, self.on_error = keep, on_error
        self.errors: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.errors) < self.keep:
            self.errors.append(error)
        if self.on_error is not None:
            self.on_error(error)

    def add_late(self, errors: Iterable[RowError]) -> None:
        """Errors found after the pass over the file (the response ids), in row order: the kept
        ones stay the first `keep` errors by row."""
        kept = self.errors
        for error in errors:
            self.count += 1
            if self.on_error is not None:
                self.on_error(error)
            if len(kept) < self.keep or (kept and error.row < kept[-1].row):
                bisect.insort(kept, error, key=lambda kept_error: kept_error.row)
                del kept[self.keep :]

    def result(self) -> ImportResult:
        return ImportResult(0, self.errors, self.count)


class _Ids:
    """The file's response ids with their rows, in a temporary table of this database session:
    one query finds the ids given twice and those imported into the survey before, and memory
    does not grow with the file."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.batch: list[tuple[int, str]] = []
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS evaluations_import_ids")
            cursor.execute(
                "CREATE TEMPORARY TABLE evaluations_import_ids (file_row integer NOT NULL, "
                "external_id text NOT NULL)"
            )

    def add(self, row: int, external_id: str) -> None:
        self.batch.append((row, external_id))
        if len(self.batch) >= CHUNK_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        with connection.cursor() as cursor:
            if _use_copy():
                statement = "COPY evaluations_import_ids FROM STDIN"
                with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                    copy.write("".join(f"{row}\t{_copy_text(key)}\n" for row, key in self.batch))
            else:
                cursor.executemany(
                    "INSERT INTO evaluations_import_ids (file_row, external_id) VALUES (%s, %s)",
                    self.batch,
                )
        self.batch = []

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS evaluations_import_ids")

    def problems(self) -> Iterator[RowError]:
        """Every repetition of an id in the file (naming the row where it first appears) and
        every id the survey already has (where the file first gives it), by row."""
        self.flush()
        if _use_copy():
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE evaluations_import_ids")
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT i.file_row, i.external_id, f.first_row FROM evaluations_import_ids i "
                "JOIN (SELECT external_id, min(file_row) AS first_row FROM evaluations_import_ids "
                "GROUP BY external_id) f ON f.external_id = i.external_id "
                "WHERE i.file_row <> f.first_row OR EXISTS (SELECT 1 FROM evaluations_response r "
                "WHERE r.survey_id = %s AND r.external_id <> '' AND r.external_id = i.external_id)"
                " ORDER BY i.file_row",
                [self.survey.pk],
            )
            for row, external_id, first in cursor:
                if row != first:
                    yield RowError(
                        row,
                        "response_id",
                        _("The response id “%(id)s” already appears in row %(first)s.")
                        % {"id": external_id, "first": first},
                    )
                else:
                    yield _imported_before(row, external_id)

    def imported_before(self) -> Iterator[RowError]:
        """The ids the survey already has (at the row where the file first gives them)."""
        self.flush()
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT min(i.file_row), i.external_id FROM evaluations_import_ids i "
                "WHERE EXISTS (SELECT 1 FROM evaluations_response r WHERE r.survey_id = %s "
                "AND r.external_id <> '' AND r.external_id = i.external_id) "
                "GROUP BY i.external_id ORDER BY 1",
                [self.survey.pk],
            )
            for row, external_id in cursor:
                yield _imported_before(row, external_id)


def _imported_before(row: int, external_id: str) -> RowError:
    return RowError(
        row,
        "response_id",
        _("A response with the id “%(id)s” was imported into this survey before.")
        % {"id": external_id},
    )


def _no_progress(phase: str, rows: int) -> None:
    pass


def _check(
    answers_file: AnswersFile,
    file: IO[bytes],
    errors: _Collector,
    ids: _Ids,
    progress: Progress = _no_progress,
) -> bool:
    """First pass: every error of the file (the ids' errors last, in row order); True when there
    is none. The file's response ids are left in `ids`."""
    data_rows = 0
    try:
        for parsed, row_errors in answers_file.rows(file):
            for error in row_errors:
                errors.add(error)
            if parsed is None:
                continue
            data_rows += 1
            if parsed.external_id:
                ids.add(parsed.row, parsed.external_id)
            if not data_rows % CHUNK_SIZE:
                progress(PHASE_CHECK, data_rows)
    except FileError as exc:
        errors.add(exc.error)
    progress(PHASE_CHECK, data_rows)
    errors.add_late(ids.problems())
    if not errors.count and not data_rows:
        errors.add(RowError(2, "", _("The file contains no responses.")))
    return not errors.count


class _Abort(Exception):
    pass


RESPONSE_FIELDS = ("survey", "municipality", "group", "channel", "external_id", "submitted_at")
# the answer's copies of the response's municipality and group come right after the response id
ANSWER_FIELDS = ("response", "municipality", "group", "question", "choice", "number", "text")


def _store_chunk_bulk(survey_id: int, chunk: list[ParsedRow]) -> None:
    responses = Response.objects.bulk_create(
        [
            Response(
                survey_id=survey_id,
                municipality_id=row.municipality_id,
                group=row.group,
                channel=ResponseChannel.IMPORT,
                external_id=row.external_id,
                submitted_at=row.submitted_at,
            )
            for row in chunk
        ]
    )
    Answer.objects.bulk_create(
        (
            Answer(
                response_id=response.pk,
                municipality_id=row.municipality_id,
                group=row.group,
                question_id=question_id,
                choice_id=choice_id,
                number=number,
                text=text,
            )
            for response, row in zip(responses, chunk, strict=True)
            for question_id, choice_id, number, text in row.answers
        ),
        batch_size=ANSWER_BATCH_SIZE,
    )


def _copy_statement(model, field_names: tuple[str, ...]):
    from psycopg import sql

    columns = [model._meta.get_field(name).column for name in field_names]
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


def _copy_text(text: str) -> str:
    """A value in COPY's text format."""
    return text.translate(_COPY_ESCAPES)


class _CopyLines:
    """The COPY text lines of answers, the part after the response id and its municipality and
    group remembered per answer (scale values and choices repeat on every row)."""

    def __init__(self):
        self.cache: dict[AnswerValues, str] = {}

    def tail(self, answer: AnswerValues) -> str:
        line = self.cache.get(answer)
        if line is None:
            question_id, choice_id, number, text = answer
            line = "\t".join(
                (
                    "",
                    str(question_id),
                    _COPY_NULL if choice_id is None else str(choice_id),
                    _COPY_NULL if number is None else repr(number),
                    _copy_text(text),
                )
            )
            if not text and len(self.cache) < CACHE_LIMIT:
                self.cache[answer] = line
        return line


def _store_chunk_copy(survey_id: int, chunk: list[ParsedRow], lines: _CopyLines) -> None:
    """PostgreSQL: the same rows through COPY, in text lines written here (many times faster
    than INSERTs built from model instances); the response ids are taken from the table's
    sequence first."""
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [Response._meta.db_table, Response._meta.pk.column, len(chunk)],
        )
        ids = [str(pk) for (pk,) in cursor.fetchall()]
        raw = cursor.cursor  # psycopg's own cursor
        prefix = f"\t{survey_id}\t"
        channel = f"\t{ResponseChannel.IMPORT.value}\t"
        # "municipality id<TAB>group" of each response, written to the response and its answers
        breakdowns = [
            (_COPY_NULL if row.municipality_id is None else str(row.municipality_id))
            + "\t"
            + _copy_text(row.group)
            for row in chunk
        ]
        with raw.copy(_copy_statement(Response, ("id", *RESPONSE_FIELDS))) as copy:
            copy.write(
                "".join(
                    pk
                    + prefix
                    + breakdown
                    + channel
                    + _copy_text(row.external_id)
                    + "\t"
                    + (_COPY_NULL if row.submitted_at is None else row.submitted_at.isoformat())
                    + "\n"
                    for pk, row, breakdown in zip(ids, chunk, breakdowns, strict=True)
                )
            )
        # COPY bypasses Django's cursor, which reports every other write to the data versions
        dataversion.changed(dataversion.RESPONSES)
        tail = lines.tail
        heads = [pk + "\t" + breakdown for pk, breakdown in zip(ids, breakdowns, strict=True)]
        with raw.copy(_copy_statement(Answer, ANSWER_FIELDS)) as copy:
            copy.write(
                "".join(
                    head + tail(answer) + "\n"
                    for head, row in zip(heads, chunk, strict=True)
                    for answer in row.answers
                )
            )


def _use_copy() -> bool:
    return connection.vendor == "postgresql"


def _insert(answers_file: AnswersFile, file: IO[bytes], progress: Progress = _no_progress) -> int:
    """Second pass: store every row, CHUNK_SIZE responses at a time (the caller's transaction)."""
    survey_id = answers_file.survey.pk
    if _use_copy():
        lines = _CopyLines()

        def store(survey_id, chunk):
            _store_chunk_copy(survey_id, chunk, lines)

    else:
        store = _store_chunk_bulk
    created = 0
    chunk: list[ParsedRow] = []
    for parsed, row_errors in answers_file.rows(file):
        if row_errors:
            raise _Abort  # the file changed between the passes
        if parsed is None:
            continue
        chunk.append(parsed)
        created += 1
        if len(chunk) >= CHUNK_SIZE:
            store(survey_id, chunk)
            chunk = []
            progress(PHASE_INSERT, created)
    if chunk:
        store(survey_id, chunk)
        progress(PHASE_INSERT, created)
    return created


def responses_import(
    *,
    survey: Survey,
    file: IO[bytes],
    keep_errors: int = 200,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Progress | None = None,
) -> ImportResult:
    """Import an answers file (a binary, seekable file) into the survey: all rows or none.

    Returns the number of responses created, or the first `keep_errors` errors (by row) and
    their total; `on_error` sees every error as it is found (the command prints them all; the
    errors of the response ids come after the others); `on_progress` hears how far each pass is
    (the import job shows it). Inside a transaction of the caller's, nothing is written before
    that transaction commits.
    """
    progress = on_progress or _no_progress
    answers_file = AnswersFile(survey)
    errors = _Collector(keep_errors, on_error)
    ids = _Ids(survey)
    try:
        if not _check(answers_file, file, errors, ids, progress):
            return errors.result()
        with transaction.atomic():
            # one import at a time per survey, so the id check below stays true until commit
            Survey.objects.select_for_update().filter(pk=survey.pk).first()
            errors.add_late(ids.imported_before())
            if errors.count:
                raise _Abort
            created = _insert(answers_file, file, progress)
    except (_Abort, FileError, IntegrityError):
        if not errors.count:
            errors.add(
                RowError(
                    1,
                    "",
                    _(
                        "The survey or the file changed during the import. Nothing was imported; "
                        "please try again."
                    ),
                )
            )
        return errors.result()
    finally:
        ids.close()
    return ImportResult(created=created)


def survey_by_path(survey_path: str) -> Survey:
    """The survey named LAB/COHORT/SLUG (Survey.path); raises Survey.DoesNotExist."""
    parts = survey_path.strip("/").split("/")
    if len(parts) != 3:
        raise Survey.DoesNotExist(survey_path)
    lab, cohort, slug = parts
    return Survey.objects.select_related("cohort__lab").get(
        cohort__lab__slug=lab, cohort__slug=cohort, slug=slug
    )


def utf8_sample_ok(sample: bytes) -> bool:
    """Whether the start of a file reads as UTF-8 text (a cut-off last character is fine)."""
    if b"\x00" in sample:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True

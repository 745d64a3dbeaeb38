"""Survey data at scale (issue 9), not timed (bench/survey_scale.py times it): the raw exports
stream from PostgreSQL's COPY and write what the portable path writes, byte for byte and cell for
cell; a cancelled download leaves the connection usable; the import stays all or nothing with
thousands of rows."""

import csv
import datetime as dt
import io
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from psycopg.pq import TransactionStatus

from evaluations import exporting
from evaluations.importing import responses_import
from evaluations.models import Answer, Response
from evaluations.views.transfer import survey_export_raw

from .builders import make_survey

pytestmark = pytest.mark.django_db

HEADER = (
    "response_id,submitted_at,municipality,group,q_agree,q_sat,q_role,q_formats,q_hours,q_comment"
)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(world):
    return make_survey(world["cohort_x"])


def export_url(survey, fmt="csv") -> str:
    address = reverse(
        "survey_export_raw", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug]
    )
    return f"{address}?format={fmt}"


def answers_file(count: int, *, seed=9, last: str | None = None) -> bytes:
    """An answers file of `count` responses (a fixed seed); `last` replaces the last row."""
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(1, count + 1):
        lines.append(
            f"id{n},2025-03-{1 + n % 28:02d}T{n % 24:02d}:15:00+01:00,"
            f"{rng.choice(['Ahornstadt', 'Buchenfeld', ''])},{rng.choice(['Verwaltung', ''])},"
            f"{rng.randint(-2, 2)},{rng.choice(['', '1', '5'])},{rng.choice(['politik', ''])},"
            f"{rng.choice(['workshop|beratung', 'seminar', ''])},{rng.choice(['2.5', ''])},"
            f"{rng.choice(['', 'gut', '"a, b"'])}"
        )
    if last is not None:
        lines[-1] = last
    return ("\n".join(lines) + "\n").encode()


def big_survey(survey, count=3000):
    result = responses_import(survey=survey, file=io.BytesIO(answers_file(count)))
    assert result.ok and result.created == count, result.errors[:3]
    return survey


def tricky_responses(survey, world):
    """Responses holding what CSV and spreadsheets make hard, answered in the platform."""
    questions = {q.code: q for q in survey.questions.prefetch_related("choices")}
    choices = {c.code: c for q in questions.values() for c in q.choices.all()}
    # the choices' order is not their creation order
    choices["seminar"].position = 0
    choices["seminar"].save()
    rows = [
        # just before the change to summer time, with microseconds
        (
            "=cmd|' /C calc'!A0",
            dt.datetime(2025, 3, 30, 1, 59, 59, 123456, tzinfo=BERLIN),
            world["municipality_a"],
            "-Leitung",
            {
                "q_agree": -2.0,
                "q_hours": -0.0,
                "q_formats": ["beratung", "workshop", "seminar"],
                "q_comment": "=SUM(A1)",
            },
        ),
        # the hour that happens twice in October (its second time)
        (
            "",
            dt.datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=BERLIN),
            None,
            "+ Gruppe; mit Semikolon",
            {"q_hours": 1e-05, "q_comment": 'a "quoted", text\r\nwith\rlines', "q_role": "andere"},
        ),
        # local mean time: an offset with seconds
        (
            "'quoted",
            dt.datetime(1880, 1, 1, 12, tzinfo=BERLIN),
            world["municipality_b"],
            "",
            {"q_hours": 123456789012.5, "q_comment": "\\.", "q_sat": 5.0},
        ),
        (
            "tab\tid",
            None,
            None,
            "",
            {"q_comment": "\tstarts with a tab, ends with a space ", "q_hours": 0.1},
        ),
        ("@home", dt.datetime(2025, 6, 1, tzinfo=dt.UTC), None, "", {}),
        ("", None, None, "", {"q_comment": "", "q_hours": 3.0}),
        (
            "ümlaut €",
            None,
            None,
            "x",
            {"q_comment": "back\\slash, bell \x07 and ümlaut", "q_formats": ["workshop"]},
        ),
    ]
    for external_id, submitted_at, municipality, group, answers in rows:
        response = Response.objects.create(
            survey=survey,
            external_id=external_id,
            submitted_at=submitted_at,
            municipality=municipality,
            group=group,
            channel="in_app",
        )
        for code, value in answers.items():
            question = questions[code]
            if code == "q_formats":
                for choice_code in value:
                    Answer.objects.create(
                        response=response, question=question, choice=choices[choice_code]
                    )
            elif code == "q_role":
                Answer.objects.create(response=response, question=question, choice=choices[value])
            elif code == "q_comment":
                Answer.objects.create(response=response, question=question, text=value)
            else:
                Answer.objects.create(response=response, question=question, number=value)


def content(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


# --- the same output on both paths ----------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/St_Johns", "Asia/Kolkata"])
def test_copy_writes_the_csv_of_the_portable_path_byte_for_byte(
    survey, world, client_as, monkeypatch, zone
):
    tricky_responses(survey, world)
    client = client_as("coordinator")
    with timezone.override(zone):
        copied = content(client.get(export_url(survey)))
        monkeypatch.setattr(exporting, "_use_copy", lambda: False)
        portable = content(client.get(export_url(survey)))

    assert copied == portable
    rows = list(csv.reader(io.StringIO(copied.decode("utf-8-sig"))))
    assert len(rows) == 8
    if zone == "Europe/Berlin":
        assert rows[1][:4] == [
            "'=cmd|' /C calc'!A0",
            "2025-03-30T01:59:59.123456+01:00",
            "Ahornstadt",
            "'-Leitung",
        ]
        assert rows[1][4:] == ["-2", "", "", "seminar|workshop|beratung", "0", "'=SUM(A1)"]
        assert rows[2][1] == "2025-10-26T02:30:00+01:00"
        assert rows[2][8:] == ["1e-05", 'a "quoted", text\r\nwith\rlines']
        assert rows[3][:2] == ["''quoted", "1880-01-01T12:00:00+00:53:28"]
        assert rows[3][8:] == ["123456789012.5", "\\."]
        assert rows[6][9] == ""  # an empty text is an empty cell


def test_copy_writes_the_xlsx_cells_of_the_portable_path(survey, world, client_as, monkeypatch):
    tricky_responses(survey, world)
    client = client_as("coordinator")
    copied = load_workbook(io.BytesIO(content(client.get(export_url(survey, "xlsx"))))).active
    monkeypatch.setattr(exporting, "_use_copy", lambda: False)
    portable = load_workbook(io.BytesIO(content(client.get(export_url(survey, "xlsx"))))).active

    def cells(sheet):
        return [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]

    assert cells(copied) == cells(portable)
    rows = list(copied.iter_rows(values_only=True))
    assert len(rows) == 8 and copied.title == "answers"
    assert rows[1] == (
        "=cmd|' /C calc'!A0",
        "2025-03-30T01:59:59.123456+01:00",
        "Ahornstadt",
        "-Leitung",
        -2,
        None,
        None,
        "seminar|workshop|beratung",
        0,
        "=SUM(A1)",
    )
    # text that looks like a formula stays text
    assert copied.cell(row=2, column=1).data_type == "s"
    assert copied.cell(row=2, column=10).data_type == "s"
    # a carriage return survives; a character XML cannot hold is dropped; spaces are kept
    assert rows[2][9] == 'a "quoted", text\r\nwith\rlines'
    assert rows[4][9] == "\tstarts with a tab, ends with a space "
    assert rows[7][9] == "back\\slash, bell  and ümlaut"
    assert rows[3][8] == 123456789012.5 and rows[4][8] == 0.1


# --- streaming ------------------------------------------------------------------------------------


def test_the_csv_download_streams_from_copy_before_the_last_row_is_read(
    survey, client_as, monkeypatch
):
    big_survey(survey, 300)
    monkeypatch.setattr(exporting, "RAW_CHUNK_BYTES", 1)  # one row per chunk
    read = []
    original = exporting._copy_out

    def counting(*args, **kwargs):
        for row in original(*args, **kwargs):
            read.append(bytes(row))
            yield row

    monkeypatch.setattr(exporting, "_copy_out", counting)
    response = client_as("coordinator").get(export_url(survey))
    assert isinstance(response, StreamingHttpResponse)
    chunks = iter(response.streaming_content)

    with CaptureQueriesContext(connection) as queries:
        header = next(chunks)
    assert header.startswith(b"\xef\xbb\xbfresponse_id,submitted_at,")
    assert not any("evaluations_response" in q["sql"] for q in queries.captured_queries)
    first = next(chunks)
    assert first.startswith(b"id1,") and first.count(b"\n") == 1
    # one row of 300 has been read, and COPY is still sending
    assert len(read) == 1
    assert connection.connection.info.transaction_status == TransactionStatus.ACTIVE
    rest = list(chunks)
    assert len(rest) == 299 and len(read) == 300
    response.close()


def test_a_cancelled_csv_download_stops_the_statement_and_keeps_the_connection(
    survey, coordinator, monkeypatch
):
    big_survey(survey, 300)
    monkeypatch.setattr(exporting, "RAW_CHUNK_BYTES", 1)
    # the view as a WSGI server runs it (the test client would add its own closing)
    request = RequestFactory().get(export_url(survey))
    request.user = coordinator
    response = survey_export_raw(request, survey.cohort.lab.slug, survey.cohort.slug, survey.slug)
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)
    assert connection.connection.info.transaction_status == TransactionStatus.ACTIVE

    # as the server does when the browser goes away (request_finished would close the test's
    # connection, which is inside the test's transaction)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    assert connection.connection.info.transaction_status == TransactionStatus.INTRANS
    assert Response.objects.filter(survey=survey).count() == 300


def test_the_xlsx_download_streams_before_the_last_row_is_read(survey, client_as, monkeypatch):
    big_survey(survey, 3000)
    monkeypatch.setattr(exporting, "RAW_CHUNK_ROWS", 50)
    read = []
    original = exporting._typed_rows

    def counting(*args):
        for row in original(*args):
            read.append(row[0])
            yield row

    monkeypatch.setattr(exporting, "_typed_rows", counting)
    response = client_as("coordinator").get(export_url(survey, "xlsx"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == exporting.XLSX_TYPE

    read_when = []
    parts = []
    for chunk in response.streaming_content:
        read_when.append(len(read))
        parts.append(chunk)
    response.close()

    # the workbook's first files leave before any row is read, sheet data while rows are read
    assert read_when[0] == 0
    assert any(0 < seen < 3000 for seen in read_when)
    sheet = load_workbook(io.BytesIO(b"".join(parts)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3001 and rows[1][0] == "id1" and rows[-1][0] == "id3000"


# --- the import at size ---------------------------------------------------------------------------


def test_import_of_thousands_of_rows_is_all_or_nothing(survey):
    bad = answers_file(3000, last="id3000,,Ahornstadt,,9,,,,,")
    result = responses_import(survey=survey, file=io.BytesIO(bad))

    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(3001, "q_agree")]
    assert not Response.objects.exists() and not Answer.objects.exists()

    twice = answers_file(3000, last="id1,,,,1,,,,,")
    result = responses_import(survey=survey, file=io.BytesIO(twice))
    assert [(e.row, e.message) for e in result.errors] == [
        (3001, "The response id “id1” already appears in row 2.")
    ]
    assert not Response.objects.exists()

    good = answers_file(3000)
    result = responses_import(survey=survey, file=io.BytesIO(good))
    assert result.ok and result.created == 3000
    stored = Response.objects.filter(survey=survey)
    assert stored.count() == 3000
    # every non-empty cell of the file is an answer (q_formats' "workshop|beratung" two)
    rows = list(csv.reader(io.StringIO(good.decode())))[1:]
    expected = sum(sum(1 for cell in row[4:] if cell) + row[7].count("|") for row in rows)
    assert Answer.objects.filter(response__survey=survey).count() == expected
    # the temporary table of the ids is gone
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('pg_temp.evaluations_import_ids')")
        assert cursor.fetchone()[0] is None

    again = responses_import(survey=survey, file=io.BytesIO(good))
    assert again.error_count == 3000 and again.errors[0].row == 2
    assert (
        again.errors[0].message
        == "A response with the id “id1” was imported into this survey before."
    )
    assert stored.count() == 3000

"""Exports: aggregates against figures computed by hand (with suppression at k−1 and k), raw
answers that import again without loss, streaming, the export_results command, permissions."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from evaluations import exporting
from evaluations.importing import responses_import
from evaluations.models import Answer, Response

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey
from .test_import import answers_of

pytestmark = pytest.mark.django_db

COUNT_COLUMNS = [
    "count_-2",
    "count_-1",
    "count_0",
    "count_1",
    "count_2",
    "count_3",
    "count_4",
    "count_5",
    "count_verwaltung",
    "count_politik",
    "count_andere",
    "count_workshop",
    "count_seminar",
    "count_beratung",
]
HEADER = ["question_code", "breakdown", "n", "mean", "median", "sd", "suppressed", *COUNT_COLUMNS]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(world):
    """min_group_size 3; Ahornstadt gives 3 responses (k), Buchenfeld 2 (k − 1), and one
    response has neither municipality nor group (so that the two suppressed cells hold k
    respondents together and Ahornstadt's figures need no complementary suppression)."""
    survey = make_survey(world["cohort_x"], min_group_size=3)
    add_responses(
        survey,
        [
            {
                "q_agree": 2,
                "q_sat": 4,
                "q_role": "verwaltung",
                "q_formats": ["workshop", "seminar"],
                "q_hours": 3.5,
                "q_comment": "Geheimer Hinweis",
            },
            {"q_agree": 1, "q_role": "verwaltung", "q_formats": ["workshop"], "q_hours": 10},
            {"q_agree": -1, "q_role": "politik"},
        ],
        municipality=world["municipality_a"],
        group="Verwaltung",
    )
    add_responses(
        survey,
        [
            {"q_agree": 0, "q_sat": 2, "q_role": "andere", "q_formats": ["beratung"], "q_hours": 2},
            {"q_agree": 2},
        ],
        municipality=world["municipality_b"],
        group="Politik",
    )
    add_responses(survey, [{"q_agree": -2}])
    return survey


def url(name, survey, **params) -> str:
    address = reverse(name, args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug])
    if params:
        address += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return address


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def row(code, breakdown, n, mean, median, sd, counts: dict) -> list[str]:
    suppressed = n is None
    cells = [code, breakdown, "" if suppressed else str(n), mean, median, sd]
    cells.append("true" if suppressed else "false")
    return cells + [str(counts[c]) if c in counts else "" for c in COUNT_COLUMNS]


SUPPRESSED = (None, "", "", "", {})

# computed by hand from the five responses above
OVERALL = [
    # q_agree: 2, 1, −1, 0, 2, −2 → mean 1/3, median (0 + 1) / 2, SD sqrt((120 / 9) / 5) = 1.633
    row(
        "q_agree",
        "",
        6,
        "0.33",
        "0.50",
        "1.63",
        {"count_-2": 1, "count_-1": 1, "count_0": 1, "count_1": 1, "count_2": 2},
    ),
    # q_sat: two answers, below k = 3
    row("q_sat", "", *SUPPRESSED),
    # q_role: four answers (k + 1)
    row(
        "q_role",
        "",
        4,
        "",
        "",
        "",
        {"count_verwaltung": 2, "count_politik": 1, "count_andere": 1},
    ),
    # q_formats: three respondents, exactly k
    row(
        "q_formats",
        "",
        3,
        "",
        "",
        "",
        {"count_workshop": 2, "count_seminar": 1, "count_beratung": 1},
    ),
    # q_hours: 3.5, 10, 2 → mean 5.1667, median 3.5, SD sqrt(36.1667 / 2) = 4.2524
    row("q_hours", "", 3, "5.17", "3.50", "4.25", {}),
    # q_comment: one text, suppressed, and its text is never exported
    row("q_comment", "", *SUPPRESSED),
]

BY_MUNICIPALITY_AGREE = [
    # Ahornstadt: 2, 1, −1 → mean 0.6667, median 1, SD sqrt(4.6667 / 2) = 1.5275 (k answers)
    row(
        "q_agree",
        "Ahornstadt",
        3,
        "0.67",
        "1.00",
        "1.53",
        {"count_-2": 0, "count_-1": 1, "count_0": 0, "count_1": 1, "count_2": 1},
    ),
    # Buchenfeld: 0, 2 (k − 1 answers)
    row("q_agree", "Buchenfeld", *SUPPRESSED),
    row("q_agree", "Municipality not given", *SUPPRESSED),
]


def test_results_csv_against_hand_computed_figures(survey, client_as):
    response = client_as("coordinator").get(url("survey_export_results", survey))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response.content)
    assert rows[0] == HEADER
    assert rows[1:] == OVERALL
    assert "Geheimer" not in response.content.decode("utf-8-sig")


def test_results_by_municipality_suppress_below_k_and_show_k(survey, client_as):
    response = client_as("funder").get(url("survey_export_results", survey, by="municipality"))

    rows = read_csv(response.content)
    assert rows[0] == HEADER
    assert [r for r in rows[1:] if r[0] == "q_agree"] == BY_MUNICIPALITY_AGREE
    # Ahornstadt's q_role has k answers, but Buchenfeld's single one could be worked out from
    # the total: complementary suppression hides Ahornstadt too
    role = [r[:7] for r in rows if r[0] == "q_role"]
    assert role == [
        ["q_role", "Ahornstadt", "", "", "", "", "true"],
        ["q_role", "Buchenfeld", "", "", "", "", "true"],
        ["q_role", "Municipality not given", "", "", "", "", "true"],
    ]
    assert all(r[6] == "true" for r in rows[1:] if r[1] == "Buchenfeld")
    assert "Geheimer" not in response.content.decode("utf-8-sig")


def test_results_by_group(survey, client_as):
    response = client_as("coordinator").get(url("survey_export_results", survey, by="group"))

    rows = read_csv(response.content)
    agree = [r for r in rows[1:] if r[0] == "q_agree"]
    assert [r[1:7] for r in agree] == [
        ["Politik", "", "", "", "", "true"],
        ["Verwaltung", "3", "0.67", "1.00", "1.53", "false"],
        ["Group not given", "", "", "", "", "true"],
    ]


def test_results_escape_a_breakdown_that_looks_like_a_formula(survey, client_as):
    Response.objects.filter(survey=survey, group="Politik").update(group="=HYPERLINK(1)")
    # and the answers' copies of it (as if the responses had been stored with that group)
    Answer.objects.filter(response__survey=survey, group="Politik").update(group="=HYPERLINK(1)")
    response = client_as("coordinator").get(url("survey_export_results", survey, by="group"))

    breakdowns = {r[1] for r in read_csv(response.content)[1:]}
    assert breakdowns == {"'=HYPERLINK(1)", "Verwaltung", "Group not given"}


def test_results_xlsx_has_the_same_figures(survey, client_as):
    response = client_as("funder").get(url("survey_export_results", survey, format="xlsx"))

    assert response["Content-Type"] == exporting.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    agree = rows[1]
    assert agree[:7] == (
        "q_agree",
        None,
        6,
        pytest.approx(1 / 3),
        0.5,
        pytest.approx(1.63299, abs=1e-5),
        "false",
    )
    assert agree[7:12] == (1, 1, 1, 1, 2)
    assert rows[2][:7] == ("q_sat", None, None, None, None, None, "true")
    assert sheet.cell(row=2, column=4).number_format == "0.00"


def test_results_refuse_unknown_parameters(survey, client_as):
    client = client_as("coordinator")
    by = client.get(url("survey_export_results", survey, by="person"))
    fmt = client.get(url("survey_export_results", survey, format="pdf"))

    assert (by.status_code, fmt.status_code) == (400, 400)
    assert by.content.decode() == "Unknown breakdown: choose municipality or group."
    assert fmt.content.decode() == "Unknown format: choose csv or xlsx."


def test_exports_are_attachments_with_a_safe_filename(survey, client_as):
    response = client_as("coordinator").get(url("survey_export_results", survey, by="group"))

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="kohorte-1-eingangsbefragung-results-by-')
    assert disposition.endswith('.csv"')
    assert response["Cache-Control"] == "private, no-store"


# --- raw answers ----------------------------------------------------------------------------------


def raw_content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_raw_csv_has_the_answers_file_format(survey, client_as):
    response = client_as("coordinator").get(url("survey_export_raw", survey))

    assert isinstance(response, StreamingHttpResponse)
    assert "answers" in response["Content-Disposition"]
    rows = read_csv(raw_content(response))
    assert rows[0] == [
        "response_id",
        "submitted_at",
        "municipality",
        "group",
        "q_agree",
        "q_sat",
        "q_role",
        "q_formats",
        "q_hours",
        "q_comment",
    ]
    first_pk = Response.objects.filter(survey=survey).order_by("pk").first().pk
    assert rows[1] == [
        f"R{first_pk}",
        "",
        "Ahornstadt",
        "Verwaltung",
        "2",
        "4",
        "verwaltung",
        "workshop|seminar",
        "3.5",
        "Geheimer Hinweis",
    ]
    assert rows[3][4:] == ["-1", "", "politik", "", "", ""]
    assert rows[6][1:] == ["", "", "", "-2", "", "", "", "", ""]
    assert len(rows) == 7


def test_raw_export_imports_again_without_loss(world, client_as):
    source = make_survey(world["cohort_x"], slug="quelle")
    content = (
        "response_id;submitted_at;municipality;group;q_agree;q_sat;q_role;q_formats;q_hours;"
        "q_comment\n"
        'ext-1;2025-03-01T10:30:00+01:00;Ahornstadt;-Leitung;-2;1;andere;beratung|workshop;0,1;"=1+1"\n'
        "ext-2;2025-06-01;06412000;;2;;;;-1e-05;'Zitat\n"
        'ext-3;;;Team \'A\';;;;;1000000;"zwei\nZeilen; mit ""Zitat"""\n'
    )
    assert responses_import(survey=source, file=io.BytesIO(content.encode())).ok
    # and two answered in the platform (no response id of their own)
    add_responses(
        source, [{"q_agree": 0, "q_comment": "@home\r\nzweite\rZeile"}, {}], group="Politik"
    )

    exported = raw_content(client_as("coordinator").get(url("survey_export_raw", source)))
    target = make_survey(world["cohort_x"], slug="ziel")
    result = responses_import(survey=target, file=io.BytesIO(exported))

    assert result.ok and result.created == 5, result.errors

    def snapshot(survey):
        return sorted(
            (
                str(r.submitted_at),
                r.municipality_id,
                r.group,
                sorted(
                    (k, sorted(v) if isinstance(v, set) else v) for k, v in answers_of(r).items()
                ),
            )
            for r in Response.objects.filter(survey=survey)
        )

    assert snapshot(target) == snapshot(source)
    ids = set(Response.objects.filter(survey=target).values_list("external_id", flat=True))
    assert {"ext-1", "ext-2", "ext-3"} <= ids
    # a second round trip changes nothing
    again = raw_content(client_as("coordinator").get(url("survey_export_raw", target)))
    assert again == exported


def test_raw_csv_streams_before_all_rows_are_read(survey, client_as, monkeypatch):
    # the portable (SQLite) path; PostgreSQL's COPY path: tests/evaluations/test_scale.py
    monkeypatch.setattr(exporting, "_use_copy", lambda: False)
    monkeypatch.setattr(exporting, "RAW_CHUNK_ROWS", 2)
    monkeypatch.setattr(exporting, "RAW_FETCH_SIZE", 2)
    read = []
    original = exporting.raw_rows

    def counting_rows(*args):
        for out in original(*args):
            read.append(out[0])
            yield out

    monkeypatch.setattr(exporting, "raw_rows", counting_rows)
    response = client_as("coordinator").get(url("survey_export_raw", survey))
    chunks = iter(response.streaming_content)

    with CaptureQueriesContext(connection) as queries:
        header = next(chunks)
    assert header.startswith(b"\xef\xbb\xbfresponse_id,")
    # the responses had not been queried when the header left
    assert not any("evaluations_response" in q["sql"] for q in queries.captured_queries)
    first_rows = next(chunks)
    assert first_rows.count(b"\n") == 2 and len(read) == 2  # 2 of the 6 responses read
    rest = list(chunks)
    assert len(rest) == 2 and len(read) == 6


def test_raw_xlsx(survey, client_as):
    Response.objects.filter(group="Politik").update(group="=cmd|' /C calc'!A0")
    response = client_as("coordinator").get(url("survey_export_raw", survey, format="xlsx"))

    assert response["Content-Type"] == exporting.XLSX_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("response_id", "submitted_at", "municipality", "group", "q_agree")
    assert rows[1][2:] == (
        "Ahornstadt",
        "Verwaltung",
        2,
        4,
        "verwaltung",
        "workshop|seminar",
        3.5,
        "Geheimer Hinweis",
    )
    assert len(rows) == 7
    # a text that looks like a formula stays text
    assert sheet.cell(row=5, column=4).data_type == "s"
    assert sheet.cell(row=5, column=4).value == "=cmd|' /C calc'!A0"


def test_funders_get_aggregates_but_not_raw_answers(survey, client_as):
    client = client_as("funder")

    assert client.get(url("survey_export_results", survey)).status_code == 200
    assert client.get(url("survey_export_raw", survey)).status_code == 403
    assert client.get(url("survey_export_raw", survey, format="xlsx")).status_code == 403


# --- the command ----------------------------------------------------------------------------------


def test_command_writes_csv_to_stdout(survey):
    out = io.StringIO()
    call_command("export_results", "--survey", survey.path, stdout=out)

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == HEADER and rows[1:] == OVERALL


def test_command_by_municipality_to_a_file_and_xlsx(survey, tmp_path):
    target = tmp_path / "results.csv"
    call_command(
        "export_results",
        "--survey",
        survey.path,
        "--by",
        "municipality",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    rows = read_csv(target.read_bytes())
    assert [r for r in rows if r[0] == "q_agree"] == BY_MUNICIPALITY_AGREE

    xlsx = tmp_path / "results.xlsx"
    call_command(
        "export_results",
        "--survey",
        survey.path,
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        stderr=io.StringIO(),
    )
    sheet = load_workbook(xlsx).active
    assert sheet.cell(row=2, column=3).value == 6


def test_command_refuses_bad_arguments(survey):
    with pytest.raises(CommandError, match="No survey"):
        call_command("export_results", "--survey", "innolab-x/kohorte-1")
    with pytest.raises(CommandError, match="XLSX needs --output"):
        call_command("export_results", "--survey", survey.path, "--format", "xlsx")
    with pytest.raises(CommandError, match="invalid choice: 'person'"):
        call_command("export_results", "--survey", survey.path, "--by", "person")

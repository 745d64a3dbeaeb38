"""Import of answers files: the format, all or nothing, every error with row and column, the
import_responses command and the browser upload."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from evaluations import importing
from evaluations.importing import RowError, responses_import
from evaluations.models import Answer, ImportJob, Response

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "response_id,municipality,q_agree,q_sat,q_role,q_formats,q_hours,q_comment"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(world):
    return make_survey(world["cohort_x"])


def run(survey, content: str | bytes, **kwargs):
    data = content.encode() if isinstance(content, str) else content
    return responses_import(survey=survey, file=io.BytesIO(data), **kwargs)


def answers_of(response) -> dict:
    """{code: value} of a stored response, as the file would give it."""
    values = {}
    for answer in response.answers.select_related("question", "choice"):
        code = answer.question.code
        if answer.choice_id:
            values.setdefault(code, set()).add(answer.choice.code)
        elif answer.number is not None:
            values[code] = answer.number
        else:
            values[code] = answer.text
    return values


def errors_of(result) -> set[tuple]:
    return {(e.row, e.column, e.message) for e in result.errors}


# --- a good file ----------------------------------------------------------------------------------


def test_good_file_with_bom_semicolons_decimal_comma_and_multi(survey, world):
    result = responses_import(survey=survey, file=(FIXTURES / "answers_good.csv").open("rb"))

    assert result.ok and result.created == 3, result.errors
    responses = {r.external_id: r for r in Response.objects.filter(survey=survey)}
    assert set(responses) == {"r1", "r2", "r3"}
    r1, r2, r3 = responses["r1"], responses["r2"], responses["r3"]
    assert {r.channel for r in responses.values()} == {"import"}
    assert r1.municipality == world["municipality_a"]  # by name
    assert r2.municipality == world["municipality_a"]  # by AGS
    assert r3.municipality == world["municipality_b"]  # by name, any case
    assert (r1.group, r2.group, r3.group) == ("Verwaltung", "", "Politik")
    assert r1.submitted_at == dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    # a date alone is midnight in Berlin
    assert r2.submitted_at == dt.datetime(2025, 3, 1, 23, 0, tzinfo=dt.UTC)
    assert r3.submitted_at is None
    assert answers_of(r1) == {
        "q_agree": 2,
        "q_sat": 4,
        "q_role": {"verwaltung"},
        "q_formats": {"workshop", "seminar"},
        "q_hours": 3.5,
        "q_comment": "Sehr gut",
    }
    assert answers_of(r2) == {
        "q_agree": -1,
        "q_role": {"politik"},
        "q_formats": {"beratung"},
        "q_comment": 'Mit "Zitat"; und Semikolon',
    }
    # "5,0" is the whole number 5 on a scale; spaces around a number do not matter
    assert answers_of(r3) == {"q_agree": 0, "q_sat": 5, "q_hours": 12}


def test_comma_separated_without_bom_and_required_questions_may_stay_empty(survey):
    content = f"{HEADER}\nx1,,,3,,,,\nx2,,1,,,workshop|beratung|workshop,,\n"
    result = run(survey, content)

    assert result.ok and result.created == 2
    x1 = Response.objects.get(survey=survey, external_id="x1")
    # q_agree is required in the platform; imported data may lack it
    assert answers_of(x1) == {"q_sat": 3}
    x2 = Response.objects.get(survey=survey, external_id="x2")
    assert answers_of(x2) == {"q_agree": 1, "q_formats": {"workshop", "beratung"}}


def test_a_spreadsheet_formula_escape_is_removed_from_text(survey):
    content = "response_id;q_comment;group\n'=1;'=SUM(A1);'-Leitung\nid2;'plain;x\n"
    result = run(survey, content)

    assert result.ok, result.errors
    first = Response.objects.get(external_id="=1")
    assert (first.group, answers_of(first)) == ("-Leitung", {"q_comment": "=SUM(A1)"})
    # an apostrophe before anything else is part of the text
    assert answers_of(Response.objects.get(external_id="id2")) == {"q_comment": "'plain"}


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "bulk_create"])
def test_many_responses_are_inserted_in_chunks_with_the_right_answers(survey, monkeypatch, copy):
    # COPY on PostgreSQL, bulk_create on other databases
    monkeypatch.setattr(importing, "_use_copy", lambda: copy)
    monkeypatch.setattr(importing, "CHUNK_SIZE", 7)
    lines = [HEADER] + [f"id{i},,{i % 5 - 2},{i % 5 + 1},,,{i},t{i}" for i in range(50)]
    result = run(survey, "\n".join(lines))

    assert result.created == 50
    assert Answer.objects.filter(response__survey=survey).count() == 200
    assert set(Response.objects.values_list("channel", flat=True)) == {"import"}
    for i in (0, 6, 7, 49):
        stored = Response.objects.get(survey=survey, external_id=f"id{i}")
        assert answers_of(stored) == {
            "q_agree": i % 5 - 2,
            "q_sat": i % 5 + 1,
            "q_hours": i,
            "q_comment": f"t{i}",
        }


# --- all or nothing -------------------------------------------------------------------------------


def test_one_bad_row_among_500_imports_nothing_and_names_row_and_column(survey, world):
    add_responses(survey, [{"q_agree": 1}])
    before = (Response.objects.count(), Answer.objects.count())
    lines = [HEADER] + [f"id{n},Ahornstadt,1,4,politik,seminar,2,ok" for n in range(2, 502)]
    # the data row that a spreadsheet shows as row 317 (the header is row 1)
    lines[316] = "id317,Ahornstadt,1,4,politik,kino,2,ok"

    result = run(survey, "\n".join(lines))

    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(317, "q_formats")]
    assert (Response.objects.count(), Answer.objects.count()) == before


def test_rows_with_quoted_line_breaks_keep_the_spreadsheet_row_numbers(survey):
    content = f'{HEADER}\nid1,,1,,,,,"zwei\nZeilen"\nid2,,9,,,,,\n'
    result = run(survey, content)

    assert [(e.row, e.column) for e in result.errors] == [(3, "q_agree")]


def test_duplicate_response_ids_in_the_file_and_in_the_database(survey):
    run(survey, f"{HEADER}\nalt,,1,,,,,\n")
    content = f"{HEADER}\nneu,,1,,,,,\nalt,,1,,,,,\nneu,,2,,,,,\n"

    result = run(survey, content)

    assert errors_of(result) == {
        (3, "response_id", "A response with the id “alt” was imported into this survey before."),
        (4, "response_id", "The response id “neu” already appears in row 2."),
    }
    assert list(Response.objects.values_list("external_id", flat=True)) == ["alt"]


def test_the_same_response_id_in_another_survey_is_fine(survey, world):
    other = make_survey(world["cohort_x"], slug="abschlussbefragung")
    run(other, f"{HEADER}\nr1,,1,,,,,\n")

    assert run(survey, f"{HEADER}\nr1,,1,,,,,\n").created == 1


def test_every_error_of_a_bad_file_with_row_column_and_reason(survey):
    result = responses_import(survey=survey, file=(FIXTURES / "answers_bad.csv").open("rb"))

    assert result.error_count == 8
    assert errors_of(result) == {
        (1, "q_colour", "Unknown column: this survey has no question with this code."),
        (
            3,
            "municipality",
            "“Atlantis” is not a municipality of this cohort (give its name or its AGS).",
        ),
        (3, "q_agree", "“3” is not a whole number from -2 to 2."),
        (
            3,
            "q_formats",
            "“kino” is not a choice of this question (choices: workshop, seminar, beratung).",
        ),
        (4, "response_id", "The response id “a1” already appears in row 2."),
        (4, "q_sat", "“2.5” is not a whole number from 1 to 5."),
        (
            4,
            "q_role",
            "“chef” is not a choice of this question (choices: verwaltung, politik, andere).",
        ),
        (5, "response_id", "The response id is missing."),
    }
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "content,error",
    [
        (
            "response_id,q_agree,q_agree\nx,1,1\n",
            (1, "q_agree", "This column appears more than once."),
        ),
        ("q_agree\n1\n", (1, "response_id", "The column response_id is missing.")),
        ("response_id,q_agree\nx,zwei\n", (2, "q_agree", "“zwei” is not a number.")),
        (
            "response_id,q_agree\nx,1.5\n",
            (2, "q_agree", "“1.5” is not a whole number from -2 to 2."),
        ),
        ("response_id,q_hours\nx,12h\n", (2, "q_hours", "“12h” is not a number.")),
        ("response_id,q_hours\nx,nan\n", (2, "q_hours", "“nan” is not a number.")),
        ("response_id,q_hours\nx,1e13\n", (2, "q_hours", "“1e13” is not a number.")),
        (
            "response_id,q_role\nx,workshop\n",
            (
                2,
                "q_role",
                "“workshop” is not a choice of this question (choices: verwaltung, politik, "
                "andere).",
            ),
        ),
        (
            "response_id,municipality\nx,Ypsilonhausen\n",  # lab Y's, not in this cohort
            (
                2,
                "municipality",
                "“Ypsilonhausen” is not a municipality of this cohort (give its name or its AGS).",
            ),
        ),
        (
            "response_id,submitted_at\nx,31.03.2025\n",
            (
                2,
                "submitted_at",
                "“31.03.2025” is not a date in ISO 8601 format (e.g. 2025-03-31T14:00:00+02:00).",
            ),
        ),
        (
            f"response_id,q_comment\nx,{'a' * 10001}\n",
            (2, "q_comment", "The text is longer than 10,000 characters."),
        ),
        (
            f"response_id\n{'x' * 101}\n",
            (2, "response_id", "The response id is longer than 100 characters."),
        ),
        (
            f"response_id,group\nx,{'g' * 101}\n",
            (2, "group", "The group is longer than 100 characters."),
        ),
        ("response_id,q_agree\nx,1,surplus\n", (2, "", "This row has more cells than the header.")),
        (
            "response_id,,q_agree\nx,stray,1\n",
            (2, "column 2", "This cell has no column name in the header."),
        ),
        ("", (1, "", "The file is empty: the header row is missing.")),
        ("response_id,q_agree\n,\n", (2, "", "The file contains no responses.")),
        (
            "response_id,q_comment\nx,Gr\xfc\xdfe\n".encode("latin-1"),
            (
                2,
                "",
                "The file is not in UTF-8. Save it as “CSV UTF-8” in your spreadsheet program "
                "and upload it again.",
            ),
        ),
        (
            "response_id,q_comment\nx,a\x00b\n",
            (2, "", "The file contains a NUL character: it is not a text file."),
        ),
        (
            f"response_id,q_comment\nx,{'a' * 140000}\n",
            (2, "", "The file is not valid CSV: field larger than field limit (131072)"),
        ),
    ],
)
def test_each_kind_of_error(survey, content, error):
    result = run(survey, content)

    assert error in errors_of(result)
    assert result.error_count == 1
    assert not Response.objects.exists()


def test_an_unnamed_empty_column_is_ignored(survey):
    assert run(survey, "response_id;;q_agree;\nx;;1;\n").created == 1


def test_only_the_first_errors_are_kept_but_all_are_counted_and_reported(survey):
    seen = []
    lines = ["response_id,q_agree"] + [f"id{i},9" for i in range(300)]

    result = run(survey, "\n".join(lines), keep_errors=200, on_error=seen.append)

    assert result.error_count == 300 and len(result.errors) == 200 and len(seen) == 300
    assert result.errors[0].row == 2 and seen[-1].row == 301


def test_a_clash_found_at_insert_time_imports_nothing(survey, monkeypatch):
    # another import stores the same id between the check and the insert
    original = importing._check

    def check_then_race(*args):
        ids = original(*args)
        add_responses(survey, [{"q_agree": 1}])
        Response.objects.filter(survey=survey).update(external_id="late")
        return ids

    monkeypatch.setattr(importing, "_check", check_then_race)
    result = run(survey, f"{HEADER}\nearly,,1,,,,,\nlate,,1,,,,,\n")

    assert [(e.row, e.column) for e in result.errors] == [(3, "response_id")]
    assert list(Response.objects.values_list("external_id", flat=True)) == ["late"]


def test_row_error_text():
    assert str(RowError(3, "q_agree", "bad")) == "row 3, column q_agree: bad"
    assert str(RowError(1, "", "empty")) == "row 1: empty"


# --- the command ----------------------------------------------------------------------------------


def test_command_imports_and_prints_the_count(survey, tmp_path):
    out = io.StringIO()
    call_command(
        "import_responses",
        "--survey",
        survey.path,
        str(FIXTURES / "answers_good.csv"),
        stdout=out,
    )

    assert out.getvalue() == "3 responses imported into innolab-x/kohorte-1/eingangsbefragung.\n"
    assert Response.objects.filter(survey=survey).count() == 3


def test_command_prints_every_error_and_exits_non_zero(survey, monkeypatch, capsys):
    # run as from the shell: argv in, exit status out (without closing the test's connection)
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    from django.core.management import execute_from_command_line

    path = str(FIXTURES / "answers_bad.csv")
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_responses", "--survey", survey.path, path])

    assert exit_info.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == "row 1, column q_colour: Unknown column: this survey has no question with this code."
    )
    assert "row 4, column q_sat: “2.5” is not a whole number from 1 to 5." in err
    assert "row 5, column response_id: The response id is missing." in err
    assert err[-1] == f"CommandError: 8 error(s) in {path}; nothing was imported."
    assert not Response.objects.exists()


def test_command_names_an_unknown_survey_or_file(survey):
    with pytest.raises(CommandError, match="No survey innolab-x/kohorte-1/nope"):
        call_command("import_responses", "--survey", "innolab-x/kohorte-1/nope", "x.csv")
    with pytest.raises(CommandError, match="Cannot read /nonexistent.csv"):
        call_command("import_responses", "--survey", survey.path, "/nonexistent.csv")


# --- the browser ----------------------------------------------------------------------------------


def import_url(survey) -> str:
    return reverse(
        "survey_import_responses", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug]
    )


def upload(name: str, content: bytes, content_type="text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def job_url(job) -> str:
    return reverse("import_job", args=[job.cohort.lab.slug, job.cohort.slug, job.pk])


def test_upload_stores_a_job_that_imports_and_shows_the_count(
    survey, client_as, django_capture_on_commit_callbacks
):
    content = (FIXTURES / "answers_good.csv").read_bytes()
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(import_url(survey), {"file": upload("antworten.csv", content)})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    # the request only stored the file and the job: nothing is imported yet
    assert (job.status, job.kind, job.survey, job.file_name) == (
        "queued",
        "answers",
        survey,
        "antworten.csv",
    )
    assert job.file.storage.exists(job.file.name)
    assert not Response.objects.exists()
    assert "Waiting for a free worker" in client.get(job_url(job)).content.decode()

    for callback in queued:  # after the commit: the task (eager in unit tests)
        callback()

    job.refresh_from_db()
    assert (job.status, job.created_count, job.progress) == ("succeeded", 3, 100)
    assert Response.objects.filter(survey=survey).count() == 3
    page = client.get(job_url(job)).content.decode()
    assert "3 responses were imported." in page
    assert (
        reverse("survey_detail", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug])
        in page
    )
    assert "hx-get" not in page  # finished: the page no longer asks for itself


def test_upload_with_errors_lists_them_and_stores_nothing(
    survey, client_as, django_capture_on_commit_callbacks
):
    content = (FIXTURES / "answers_bad.csv").read_bytes()
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(import_url(survey), {"file": upload("antworten.csv", content)})

    page = client.get(response["Location"]).content.decode()
    assert "The file has 8 errors. Nothing was imported." in page
    assert "“kino” is not a choice of this question" in page
    assert ImportJob.objects.get().error_count == 8
    assert not Response.objects.exists()


def test_upload_lists_every_error_up_to_the_stored_limit_and_the_total(
    survey, client_as, django_capture_on_commit_callbacks, monkeypatch
):
    lines = ["response_id,q_agree"] + [f"id{i},9" for i in range(250)]
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(survey), {"file": upload("a.csv", "\n".join(lines).encode())}
        )
    page = client.get(response["Location"]).content.decode()
    assert "The file has 250 errors. Nothing was imported." in page
    assert page.count("is not a whole number from -2 to 2.") == 250

    monkeypatch.setattr("evaluations.import_jobs.MAX_STORED_ERRORS", 200)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(survey), {"file": upload("a.csv", "\n".join(lines).encode())}
        )
    page = client.get(response["Location"]).content.decode()
    assert "The first 200 of 250 errors:" in page
    assert page.count("is not a whole number from -2 to 2.") == 200


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("antworten.xlsx", b"PK\x03\x04", "Please upload a CSV file"),
        ("antworten.csv", b"response_id\n\xff\xfe\x00x", "This is not a UTF-8 text file."),
        ("antworten.csv", b"", "The submitted file is empty."),
    ],
)
def test_upload_refuses_other_files(survey, client_as, name, content, message):
    response = client_as("coordinator").post(import_url(survey), {"file": upload(name, content)})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Response.objects.exists()
    assert not ImportJob.objects.exists()


def test_upload_refuses_a_file_over_the_size_limit(survey, client_as, monkeypatch):
    monkeypatch.setattr("evaluations.forms_transfer.MAX_UPLOAD_BYTES", 10)
    response = client_as("coordinator").post(
        import_url(survey), {"file": upload("a.csv", b"response_id,q_agree\nx,1\n")}
    )

    assert "The file is larger than 10\xa0bytes." in response.content.decode()
    assert not Response.objects.exists()


def test_the_upload_page_explains_the_format(survey, client_as):
    response = client_as("coordinator").get(import_url(survey))

    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "q_agree, q_sat, q_role, q_formats, q_hours, q_comment" in page


def test_funders_may_not_import(survey, client_as):
    content = (FIXTURES / "answers_good.csv").read_bytes()
    response = client_as("funder").post(
        import_url(survey), {"file": upload("antworten.csv", content)}
    )

    assert response.status_code == 403
    assert not Response.objects.exists()
    assert not ImportJob.objects.exists()

"""Imports as jobs (evaluations/import_jobs.py): all or nothing including the job's own outcome,
safe to run twice, progress visible while the import's transaction is open, failures with a
reason, the stored file removed once finished, and the job's page (htmx partial, permissions)."""

import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone, translation

from evaluations import import_jobs, importing, tasks
from evaluations.import_jobs import Outcome, import_job_execute
from evaluations.models import Answer, ImportJob, ImportKind, ImportStatus, Response
from evaluations.services import import_job_create
from evaluations.tasks import run_import_job

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(world):
    return make_survey(world["cohort_x"])


def answers_file(rows: int, bad_row: int | None = None) -> bytes:
    """`rows` responses; the data row `bad_row` (1 = the first after the header) has a scale
    value out of range."""
    lines = ["response_id,municipality,q_agree,q_sat"]
    for n in range(1, rows + 1):
        lines.append(f"r{n},Ahornstadt,{9 if n == bad_row else n % 5 - 2},{n % 5 + 1}")
    return ("\n".join(lines) + "\n").encode()


def queued_job(survey, content: bytes, coordinator, django_capture_on_commit_callbacks):
    """A job as the upload leaves it: stored, queued, not yet run."""
    with django_capture_on_commit_callbacks(execute=False):
        return import_job_create(
            kind=ImportKind.ANSWERS,
            cohort=survey.cohort,
            survey=survey,
            upload=SimpleUploadedFile("antworten.csv", content, "text/csv"),
            user=coordinator,
        )


@pytest.fixture
def make_job(survey, coordinator, django_capture_on_commit_callbacks):
    return lambda content: queued_job(
        survey, content, coordinator, django_capture_on_commit_callbacks
    )


def test_an_error_at_row_n_imports_nothing_and_lists_it(make_job, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 10)  # many chunks for a small file
    job = make_job(answers_file(60, bad_row=45))
    stored = job.file.name

    assert import_job_execute(job.pk) == Outcome.FAILED

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error_count == 1
    assert job.errors == [
        {"row": 46, "column": "q_agree", "message": "“9” is not a whole number from -2 to 2."}
    ]
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert job.file.name == "" and not job.file.storage.exists(stored)


def test_a_failure_after_rows_were_written_rolls_everything_back(make_job, monkeypatch):
    """The rows of the chunks stored before the failure go too: the import and the job's outcome
    are one transaction."""
    monkeypatch.setattr(importing, "CHUNK_SIZE", 10)
    job = make_job(answers_file(60))
    calls = []
    store = importing._store_chunk_copy

    def store_then_fail(survey_id, chunk, lines):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        store(survey_id, chunk, lines)

    monkeypatch.setattr(importing, "_store_chunk_copy", store_then_fail)

    assert import_job_execute(job.pk) == Outcome.FAILED

    job.refresh_from_db()
    assert calls == [10, 10, 10]
    assert not Response.objects.exists()
    assert job.status == ImportStatus.FAILED
    assert "error in the platform (RuntimeError)" in job.failure


def test_a_second_run_of_a_finished_job_does_nothing(make_job, survey):
    job = make_job(answers_file(12))
    assert run_import_job.apply(args=(job.pk,)).get() == "succeeded"
    job.refresh_from_db()
    finished = (job.status, job.finished_at, job.attempts, job.created_count)
    assert finished[0] == ImportStatus.SUCCEEDED and finished[3] == 12

    assert run_import_job.apply(args=(job.pk,)).get() == "succeeded"
    assert import_job_execute(job.pk) == Outcome.SUCCEEDED

    job.refresh_from_db()
    assert (job.status, job.finished_at, job.attempts, job.created_count) == finished
    assert Response.objects.filter(survey=survey).count() == 12


def test_a_second_run_of_a_refused_job_does_nothing(make_job):
    job = make_job(answers_file(5, bad_row=2))
    assert import_job_execute(job.pk) == Outcome.FAILED
    job.refresh_from_db()
    before = (job.finished_at, job.attempts, job.errors)
    assert import_job_execute(job.pk) == Outcome.FAILED
    job.refresh_from_db()
    assert (job.finished_at, job.attempts, job.errors) == before


def test_a_job_another_worker_is_running_is_left_alone_until_it_is_stale(make_job, survey):
    job = make_job(answers_file(3))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    assert import_job_execute(job.pk) == Outcome.BUSY
    assert not Response.objects.exists()

    # its worker died long ago (the transaction it had open was rolled back): taken over
    long_ago = timezone.now() - import_jobs.stale_after() - dt.timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(started_at=long_ago)
    assert import_job_execute(job.pk) == Outcome.SUCCEEDED
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.SUCCEEDED, 2)
    assert Response.objects.filter(survey=survey).count() == 3


def test_the_time_limit_fails_the_job_with_a_reason_and_imports_nothing(make_job, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 10)
    job = make_job(answers_file(30))
    store = importing._store_chunk_copy

    def slow(survey_id, chunk, lines):
        store(survey_id, chunk, lines)
        raise SoftTimeLimitExceeded  # as Celery raises it in the worker

    monkeypatch.setattr(importing, "_store_chunk_copy", slow)

    assert import_job_execute(job.pk) == Outcome.FAILED

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "took longer than the time limit (20 minutes)" in job.failure
    assert not Response.objects.exists()


def test_a_transient_error_puts_the_job_back_in_the_queue(make_job, monkeypatch):
    job = make_job(answers_file(3))

    def database_away(**kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(importing, "responses_import", database_away)
    with pytest.raises(OperationalError):
        import_job_execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.QUEUED, 1)
    assert job.file.storage.exists(job.file.name)  # kept for the next attempt

    monkeypatch.undo()
    assert import_job_execute(job.pk) == Outcome.SUCCEEDED


def test_when_the_retries_are_used_up_the_job_fails_with_a_reason(make_job, monkeypatch):
    job = make_job(answers_file(3))
    monkeypatch.setattr(
        import_jobs, "import_job_execute", lambda job_id: (_ for _ in ()).throw(OSError("gone"))
    )
    run_import_job.max_retries, before = 0, run_import_job.max_retries
    try:
        assert run_import_job.apply(args=(job.pk,)).get() == "failed"
    finally:
        run_import_job.max_retries = before
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "temporary problem" in job.failure


def test_progress_is_visible_while_the_import_transaction_is_open(make_job, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 10)
    job = make_job(answers_file(50))
    seen = []
    report = import_jobs._Reporter.report

    def report_and_look(self, percent, rows):
        report(self, percent, rows)
        # what the page would read now, from a fresh copy of the job's row
        seen.append(import_jobs.job_progress(ImportJob.objects.get(pk=job.pk)))

    monkeypatch.setattr(import_jobs._Reporter, "report", report_and_look)

    assert import_job_execute(job.pk) == Outcome.SUCCEEDED

    checking = [f for f in seen if f["rows_total"] is not None and f["progress"] <= 50]
    importing_ = [f for f in seen if f["progress"] > 50]
    assert [f["rows_done"] for f in checking][-1] == 50
    assert [f["rows_done"] for f in importing_] == [10, 20, 30, 40, 50]
    assert [f["progress"] for f in importing_] == [60, 70, 80, 90, 99]
    assert all(f["rows_total"] == 50 for f in importing_)
    progress = [f["progress"] for f in seen]
    assert progress == sorted(progress)
    # finished: the job's row, not the cache
    job.refresh_from_db()
    assert import_jobs.job_progress(job) == {"progress": 100, "rows_done": 50, "rows_total": 50}


def test_a_queued_job_whose_message_was_lost_is_sent_again(
    make_job, survey, settings, django_capture_on_commit_callbacks
):
    job = make_job(answers_file(4))
    assert tasks.redispatch_queued_import_jobs() == 0  # just uploaded (and just sent)
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=settings.IMPORT_JOB_REDISPATCH_AFTER + 1)
    )
    import_jobs.cache.delete(import_jobs.dispatch_mark(job.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.redispatch_queued_import_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert Response.objects.filter(survey=survey).count() == 4


# --- the page -------------------------------------------------------------------------------------


def job_url(job, cohort=None) -> str:
    cohort = cohort or job.cohort
    return reverse("import_job", args=[cohort.lab.slug, cohort.slug, job.pk])


def test_the_running_page_shows_an_accessible_progress_bar_and_polls(make_job, client_as):
    job = make_job(answers_file(3))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    import_jobs._Reporter(job.pk).report(30, 1200)
    client = client_as("coordinator")

    page = client.get(job_url(job)).content.decode()
    assert '<label for="job-progress">Checking every row</label>' in page
    assert '<progress id="job-progress" max="100" value="30">' in page
    assert "1200 rows checked" in page
    assert f'hx-get="{job_url(job)}"' in page and f'href="{job_url(job)}"' in page
    assert 'aria-live="polite"' in page

    partial = client.get(job_url(job), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="job-status"')
    assert "<html" not in body
    assert "HX-Request" in partial["Vary"]


def test_a_job_of_another_cohort_is_not_found_under_this_one(
    survey, cohort_y, coordinator, client_as, django_capture_on_commit_callbacks
):
    job = queued_job(survey, answers_file(2), coordinator, django_capture_on_commit_callbacks)
    other = ImportJob.objects.create(
        kind=ImportKind.DEFINITION, cohort=cohort_y, file_name="u.json", created_by=coordinator
    )
    client = client_as("coordinator")
    assert client.get(job_url(job)).status_code == 200
    assert client.get(job_url(other, cohort=survey.cohort)).status_code == 404


@pytest.mark.parametrize(
    "persona,status",
    [
        ("coordinator", 200),
        ("admin", 200),
        ("coordinator_y", 404),
        ("tandem_a", 403),
        ("funder", 403),
        ("expert", 403),
        ("outsider", 404),
    ],
)
def test_who_sees_an_import(persona, status, make_job, client_as):
    job = make_job(answers_file(2))
    assert client_as(persona).get(job_url(job)).status_code == status


def test_anonymous_is_sent_to_the_login(make_job, client):
    job = make_job(answers_file(2))
    response = client.get(job_url(job))
    assert response.status_code == 302 and "/login/" in response["Location"]

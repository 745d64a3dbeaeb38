"""The report job (reports/jobs.py): one run per draft and data, claimed by a
conditional UPDATE, rendered once, failed with a reason a coordinator can act on.

The render is replaced by a fake here (the job logic, not WeasyPrint, is under test); the real
render runs in tests/integration/test_report_worker.py through a real worker."""

import datetime as dt
import hashlib
import threading
from pathlib import Path

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.template import TemplateSyntaxError
from django.utils import timezone

from reports import jobs, render, services
from reports.models import ReportDraft, ReportRun, RunStatus
from reports.tasks import render_report


class FakeRender:
    """Stands in for render.data_fingerprint / render.render_pdf; counts the renders."""

    def __init__(self):
        self.fingerprint = "data-v1"
        self.renders = 0
        self.error: BaseException | None = None
        self.on_render = None

    def data_fingerprint(self, draft) -> str:
        return self.fingerprint

    def render_pdf(self, draft, *, progress=None):
        self.renders += 1
        if progress:
            progress(10)
        if self.on_render:
            self.on_render()
        if self.error is not None:
            raise self.error
        if progress:
            progress(80)
        return render.RenderedReport(
            pdf=b"%PDF-1.7 fake report " + self.fingerprint.encode(),
            pages=3,
            data_as_of=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC),
            title=draft.title,
        )


@pytest.fixture
def fake(monkeypatch):
    fake = FakeRender()
    monkeypatch.setattr(render, "data_fingerprint", fake.data_fingerprint)
    monkeypatch.setattr(render, "render_pdf", fake.render_pdf)
    return fake


@pytest.fixture
def draft(cohort_x, coordinator):
    return ReportDraft.objects.create(
        lab=cohort_x.lab,
        cohort=cohort_x,
        kind="final",
        title="Abschlussbericht Kohorte 1",
        created_by=coordinator,
    )


def _stored_files(draft) -> list[Path]:
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "reports" / str(draft.lab_id) / str(draft.pk)
    return sorted(folder.glob("*")) if folder.exists() else []


def test_the_same_draft_and_data_twice_is_one_run_and_one_job(
    fake, draft, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        first, created_first = services.report_run_request(draft=draft, user=coordinator)
        second, created_second = services.report_run_request(draft=draft, user=coordinator)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert ReportRun.objects.count() == 1
    assert len(queued) == 1
    assert first.status == RunStatus.QUEUED
    assert first.requested_by == coordinator
    assert first.params["fingerprint"] == "data-v1"
    expected = f"{draft.pk}:data-v1:{jobs.render_version()}"
    assert first.key == hashlib.sha256(expected.encode()).hexdigest()


def test_changed_data_is_a_new_run(fake, draft, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        first, _ = services.report_run_request(draft=draft, user=coordinator)
        fake.fingerprint = "data-v2"
        second, created = services.report_run_request(draft=draft, user=coordinator)
    assert created
    assert first.pk != second.pk
    assert len(queued) == 2


def test_a_done_run_is_returned_without_a_new_job(
    fake, draft, coordinator, django_capture_on_commit_callbacks
):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    jobs.execute_run(run.pk)
    with django_capture_on_commit_callbacks() as queued:
        again, created = services.report_run_request(draft=draft, user=coordinator)
    assert (again.pk, again.status, created, len(queued)) == (run.pk, RunStatus.DONE, False, 0)


def test_the_job_runs_through_the_task_on_commit(
    fake, draft, coordinator, django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = services.report_run_request(draft=draft, user=coordinator)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.progress == 100
    assert (run.pages, run.attempts) == (3, 1)
    assert run.size == len(run.pdf.read())
    assert run.data_as_of == dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
    assert run.finished_at is not None
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    assert "Abschlussbericht Kohorte 1" in mailoutbox[0].subject
    assert jobs.run_url(run) == f"{settings.SITE_URL}/labs/{draft.lab.slug}/reports/runs/{run.pk}/"
    assert jobs.run_url(run) in mailoutbox[0].body


def test_executing_twice_renders_once_and_stores_one_file(fake, draft, coordinator, mailoutbox):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    assert jobs.execute_run(run.pk) == jobs.Outcome.DONE
    run.refresh_from_db()
    checksum, name = run.checksum, run.pdf.name
    assert jobs.execute_run(run.pk) == jobs.Outcome.DONE
    run.refresh_from_db()
    assert fake.renders == 1
    assert (run.checksum, run.pdf.name, run.attempts) == (checksum, name, 1)
    files = _stored_files(draft)
    assert len(files) == 1
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == checksum
    assert len(mailoutbox) == 1


def test_a_stale_running_run_is_reclaimed_and_its_leftover_file_replaced(
    fake, draft, coordinator, settings
):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    # a worker claimed it long ago, wrote part of a file and was killed
    long_ago = timezone.now() - dt.timedelta(seconds=settings.REPORT_RUN_STALE_AFTER + 60)
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=long_ago, attempts=1, progress=40
    )
    leftover = Path(settings.MEDIA_ROOT) / jobs.report_upload_to(run, "x.pdf")
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half a PDF")

    assert jobs.execute_run(run.pk) == jobs.Outcome.DONE
    run.refresh_from_db()
    assert (run.status, run.attempts, fake.renders) == (RunStatus.DONE, 2, 1)
    assert _stored_files(draft) == [leftover]
    assert hashlib.sha256(leftover.read_bytes()).hexdigest() == run.checksum


def test_a_run_another_worker_is_rendering_is_left_alone(fake, draft, coordinator):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    assert jobs.execute_run(run.pk) == jobs.Outcome.BUSY
    run.refresh_from_db()
    assert (run.status, run.attempts, fake.renders) == (RunStatus.RUNNING, 1, 0)


def test_a_template_error_fails_the_run_with_an_actionable_reason(
    fake, draft, coordinator, mailoutbox
):
    fake.error = TemplateSyntaxError("Invalid block tag on line 12: 'endfor'")
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    assert jobs.execute_run(run.pk) == jobs.Outcome.FAILED
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    # the requester has no language of their own: German, the platform default
    assert "Plattformteam" in run.error
    assert "Traceback" not in run.error and "endfor" not in run.error
    assert not run.pdf and run.finished_at is not None
    assert _stored_files(draft) == []
    assert "Bericht fehlgeschlagen" in mailoutbox[0].subject
    assert run.error in mailoutbox[0].body


def test_a_missing_survey_fails_the_run_and_asks_to_check_the_selections(fake, draft, coordinator):
    from evaluations.models import Survey

    fake.error = Survey.DoesNotExist("Survey matching query does not exist.")
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    jobs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "Auswahl im Entwurf" in run.error


def test_a_failed_run_is_retried_as_the_same_run(
    fake, draft, coordinator, django_capture_on_commit_callbacks
):
    fake.error = ValueError("boom")
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    jobs.execute_run(run.pk)
    fake.error = None
    with django_capture_on_commit_callbacks() as queued:
        again, created = services.report_run_request(draft=draft, user=coordinator)
    assert (again.pk, created, len(queued)) == (run.pk, True, 1)
    assert (again.status, again.error, again.finished_at) == (RunStatus.QUEUED, "", None)
    assert jobs.execute_run(run.pk) == jobs.Outcome.DONE
    again.refresh_from_db()
    assert (again.status, again.attempts) == (RunStatus.DONE, 2)
    assert ReportRun.objects.count() == 1


def test_a_transient_error_is_raised_for_the_retry_and_the_run_queued_again(
    fake, draft, coordinator
):
    fake.error = OSError("storage unreachable")
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    with pytest.raises(OSError):
        jobs.execute_run(run.pk)
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.QUEUED, "")
    fake.error = None
    assert jobs.execute_run(run.pk) == jobs.Outcome.DONE


def test_retries_used_up_fail_the_run(fake, draft, coordinator):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    render_report.on_failure(OperationalError("db away"), "task-id", (run.pk,), {}, None)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "vorübergehenden Störung" in run.error


def test_a_run_killed_too_often_fails_instead_of_looping(fake, draft, coordinator, settings):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.REPORT_RUN_STALE_AFTER + 60)
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=long_ago, attempts=jobs.MAX_ATTEMPTS
    )
    assert jobs.execute_run(run.pk) == jobs.Outcome.FAILED
    assert fake.renders == 0


def test_only_a_done_run_can_be_published(fake, draft, coordinator):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    jobs.execute_run(run.pk)
    ReportRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    assert ReportRun.objects.get(pk=run.pk).published_at is not None


def test_progress_is_visible_while_rendering(fake, draft, coordinator):
    run, _ = services.report_run_request(draft=draft, user=coordinator)
    seen = []
    fake.on_render = lambda: seen.append(
        ReportRun.objects.values_list("status", "progress").get(pk=run.pk)
    )
    jobs.execute_run(run.pk)
    assert seen == [(RunStatus.RUNNING, 10)]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_create_one_run(fake, coordinator, cohort_x):
    draft = ReportDraft.objects.create(
        lab=cohort_x.lab, cohort=cohort_x, kind="final", title="Bericht"
    )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def request():
        try:
            barrier.wait(timeout=5)
            results.append(services.report_run_request(draft=draft, user=coordinator))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ReportRun.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]
    assert len({run.pk for run, _ in results}) == 1

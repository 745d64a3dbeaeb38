"""Report PDFs rendered by a real Celery worker (Redis broker, the test database): the final report
of a seeded Hessen cohort with its stored figures, and a worker killed mid-render whose job
completes exactly once after a restart."""

import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from pypdf import PdfReader

from config.celery import app as celery_app
from demo.loader import load
from evaluations.analysis import compare_baseline_final
from evaluations.charts import format_number
from evaluations.models import Survey, SurveyKind
from labs.models import Cohort, Participation
from reports import jobs
from reports.models import ReportDraft, ReportRun, RunStatus
from reports.services import report_run_request

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = log.read_text()[-4000:] if log and log.exists() else ""
            raise AssertionError(f"{what} not within {timeout} s\n{tail}")
        time.sleep(0.2)


def _run_state(run_id: int) -> tuple:
    return ReportRun.objects.values_list("status", "progress", "attempts").get(pk=run_id)


def _seeded_final_draft(user_email: str = "") -> ReportDraft:
    call_command("seed_demo", "--quiet", "--force", "--no-report-pdfs")
    cohort = Cohort.objects.select_related("lab").get(lab__slug="vielfalt-hessen", slug="kohorte-1")
    requester = None
    if user_email:
        from django.contrib.auth import get_user_model

        requester = get_user_model().objects.get(email=user_email)
    return ReportDraft.objects.create(
        lab=cohort.lab,
        cohort=cohort,
        kind="final",
        title="Abschlussbericht Kohorte 1",
        executive_summary="Die Kommunen haben **viel** erreicht.",
        created_by=requester,
    )


def _report_files(draft: ReportDraft) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(draft.lab_id) / str(draft.pk)
    return sorted(folder.glob("*")) if folder.exists() else []


def _coordinator_email() -> str:
    return next(u["email"] for u in load("labs")["logins"] if u["key"] == "coordinator")


def test_the_final_report_of_a_seeded_cohort_is_rendered_by_the_worker(worker_queue, settings):
    draft = _seeded_final_draft(_coordinator_email())
    with _worker(worker_queue, "worker", {}) as (_process, log):
        run, created = report_run_request(draft=draft, user=draft.created_by)
        assert created
        _wait_for(
            lambda: _run_state(run.pk)[0] in {RunStatus.DONE, RunStatus.FAILED},
            180,
            "the report run finishing",
            log,
        )
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert (run.attempts, run.progress) == (1, 100)
    data = run.pdf.read()
    assert hashlib.sha256(data).hexdigest() == run.checksum
    assert len(data) == run.size

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == run.pages
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())

    (worker_queue / "report.txt").write_text(text)  # to read when an assertion fails

    # the municipalities that stayed, with their population (German thousands separator)
    participations = (
        Participation.objects.filter(cohort=draft.cohort)
        .exclude(status="left")
        .select_related("municipality")
    )
    assert participations.count() >= 5
    for p in participations:
        town = p.municipality
        assert town.name in flat, town.name
        if town.population:
            assert f"{town.population:,}".replace(",", ".") in flat, (town.name, town.population)

    # the final survey's N and a mean from the stored answers, with a decimal comma
    final = Survey.objects.get(cohort=draft.cohort, kind=SurveyKind.FINAL)
    baseline = Survey.objects.get(cohort=draft.cohort, kind=SurveyKind.BASELINE)
    n = final.responses.count()
    assert n > 0 and str(n) in flat
    with translation.override("de"):
        rows = compare_baseline_final(draft.cohort, baseline=baseline, final=final)
        means = [format_number(r.final.mean) for r in rows if r.final.mean is not None]
    assert means and all("," in m for m in means)
    assert any(m in flat for m in means), means[:5]

    # tagged, with a language and bookmarks
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("de")
    assert reader.outline, "no bookmarks"
    assert _report_files(draft) == [Path(settings.MEDIA_ROOT) / run.pdf.name]

    # the requester is told, with a link to the run
    mail = "".join(f.read_text() for f in (worker_queue / "mail").glob("*.log"))
    assert _coordinator_email() in mail
    assert jobs.run_url(run) in mail


@contextmanager
def _worker(tmp_path: Path, name: str, extra_env: dict):
    """A worker process on this test's own queue that the test may kill (conftest's fixture
    only terminates it at the end)."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        **extra_env,
    }
    queue = f"test-{os.getpid()}"
    worker_name = f"{name}-{queue}@{socket.gethostname()}"
    log_path = tmp_path / f"{name}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
         "-n", worker_name, "-Q", queue],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_for(
            lambda: (
                process.poll() is not None
                # a solo-pool worker that took a task the moment it was ready (the redelivered
                # render) answers no ping until that task is done: its "ready." line counts too
                or " ready." in log_path.read_text(errors="replace")
                or celery_app.control.ping(destination=[worker_name], timeout=0.5)
            ),
            30,
            "the worker starting",
            log_path,
        )
        assert process.poll() is None, log_path.read_text()
        yield process, log_path
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


@pytest.fixture
def worker_queue(redis_broker_url, transactional_db, tmp_path):
    (tmp_path / "mail").mkdir()
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_broker_url
    celery_app.conf.task_default_queue = f"test-{os.getpid()}"
    yield tmp_path
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.task_default_queue = "celery"


def test_a_worker_killed_mid_render_leads_to_one_finished_report_after_a_restart(
    worker_queue, settings
):
    """The first worker renders with a renderer that pauses inside the render (slow_render.py,
    named by settings.REPORT_RENDERER) and is killed with SIGKILL there: its message stays
    unacknowledged.
    The second worker gets it again after the (test-short) visibility timeout, finds the run
    `running` but stale (INNOLAB_TEST_RUN_STALE_AFTER) and renders it: one done run, attempts 2,
    one file in storage."""
    tmp_path = worker_queue
    draft = _seeded_final_draft()
    short = {"INNOLAB_TEST_VISIBILITY_TIMEOUT": "3", "INNOLAB_TEST_RUN_STALE_AFTER": "2"}

    slow = {
        "INNOLAB_TEST_REPORT_RENDERER": "tests.integration.slow_render.render_pdf",
        "INNOLAB_TEST_RENDER_PAUSE": "120",
    }
    with _worker(tmp_path, "first", {**short, **slow}) as (first, first_log):
        run, _ = report_run_request(draft=draft, user=None)
        _wait_for(
            lambda: _run_state(run.pk)[0] == RunStatus.RUNNING and _run_state(run.pk)[1] > 0,
            60,
            "the first worker rendering",
            first_log,
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    status, progress, attempts = _run_state(run.pk)
    assert (status, attempts) == (RunStatus.RUNNING, 1)
    assert 0 < progress < 100

    with _worker(tmp_path, "second", short) as (_second, second_log):
        _wait_for(
            lambda: _run_state(run.pk)[0] in {RunStatus.DONE, RunStatus.FAILED},
            180,
            "the second worker finishing the run",
            second_log,
        )
        # let any further delivery of the same message arrive and find the run done
        time.sleep(4)
        log = second_log.read_text()

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.attempts == 2
    assert ReportRun.objects.filter(draft=draft).count() == 1
    files = _report_files(draft)
    assert files == [Path(settings.MEDIA_ROOT) / run.pdf.name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == run.checksum
    assert "reports.tasks.render_report" in log

"""Imports as jobs: the upload stores the file and an ImportJob and returns at once; a Celery
worker (evaluations.tasks.run_import_job) checks and imports it, all or nothing, and the job's
page shows its progress, then the result or the errors with their places.

Exactly once: the job mechanism of core.jobs claims the job (IMPORT_JOBS), and the import and the
job's success are written in one transaction: a worker killed mid-import leaves nothing behind,
and a job that succeeded is never imported again. Another delivery of a finished job does nothing.

Progress: an answers file is checked and stored inside that one transaction, so updates of the
job's row during the import would stay invisible to the page until the end. The worker writes
its progress to the cache instead (shared by the web and worker processes; best effort), and the
page reads it from there while the job runs (`job_progress`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from core import jobs

from . import definitions, importing
from .models import ImportJob, ImportKind, ImportStatus

logger = logging.getLogger(__name__)

# Errors kept on the job (the page lists them); the total is counted. A file with more errors
# than this is usually the wrong file or the wrong survey.
MAX_STORED_ERRORS = 1000
# A job claimed this many times without finishing (its worker died each time) is failed.
MAX_ATTEMPTS = 3
# Errors a later attempt can fix (database or broker away, storage unreachable): the task retries.
TRANSIENT_ERRORS = jobs.TRANSIENT_ERRORS
# The share of the progress bar for the first pass over an answers file (checking every row).
CHECK_SHARE = 50


class Outcome(StrEnum):
    SUCCEEDED = ImportStatus.SUCCEEDED  # imported now, or before
    FAILED = ImportStatus.FAILED  # failed now, or before
    BUSY = jobs.BUSY  # another worker is importing it (not stale yet): try again later
    GONE = jobs.GONE  # the job no longer exists (its cohort or survey was deleted)


def stale_after() -> dt.timedelta:
    """How long a job may stay `running` before another delivery may take it over: longer than
    the task's hard time limit, so a worker still importing is never overtaken."""
    return IMPORT_JOBS.stale_after()


def retry_delay(retries: int) -> int:
    """Seconds before the next attempt after a transient error: 30 s, doubling, at most 10 min."""
    return min(30 * 2**retries, 600)


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def dispatch_mark(job_id: int) -> str:
    return IMPORT_JOBS.sent_mark(job_id)


# --- the upload -----------------------------------------------------------------------------------


# --- the page -------------------------------------------------------------------------------------


def job_progress(job: ImportJob) -> dict:
    """{"progress": percent, "rows_done": n, "rows_total": n or None} of the job, the worker's
    newest figures while it runs."""
    figures = {"progress": job.progress, "rows_done": job.rows_done, "rows_total": job.rows_total}
    if job.status == ImportStatus.RUNNING:
        cached = None
        with contextlib.suppress(Exception):  # the cache away: the job row's figures
            cached = cache.get(_progress_key(job.pk))
        if cached:
            figures.update(cached)
    return figures


class _Reporter:
    """Writes a running job's progress to the cache (see the module's docstring)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.rows_total: int | None = None

    def report(self, percent: float, rows: int) -> None:
        figures = {
            "progress": max(0, min(int(percent), 99)),
            "rows_done": rows,
            "rows_total": self.rows_total,
        }
        # best effort: a cache that is away must not stop the import
        with contextlib.suppress(Exception):
            cache.set(_progress_key(self.job_id), figures, timeout=settings.IMPORT_JOB_STALE_AFTER)


# --- the worker -----------------------------------------------------------------------------------


def _discard_file(name: str) -> None:
    """The uploaded file, once its job has finished: the answers are in the database now (or
    were refused), and a copy of raw answers is not kept in the file storage."""
    if not name:
        return
    try:
        ImportJob.file.field.storage.delete(name)
    except OSError:
        logger.warning("Could not delete the import file %s", name)


def _failure_reason(job: ImportJob, exc: BaseException) -> str:
    """Short, actionable, in the uploader's language; never a stack trace (that goes to the log)."""
    with translation.override(job.language):
        return _active_failure_reason(exc)


def _active_failure_reason(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _(
            "The import took longer than the time limit (%(minutes)s minutes) and was stopped. "
            "Nothing was imported. Split the file into smaller files and import them one by one."
        ) % {"minutes": settings.IMPORT_JOB_TIME_LIMIT // 60}
    if isinstance(exc, TRANSIENT_ERRORS):
        return _(
            "The import could not run because of a temporary problem (database, queue or file "
            "storage). Nothing was imported. Please upload the file again in a few minutes."
        )
    return _(
        "The import failed because of an error in the platform (%(error)s). Nothing was "
        "imported. Please tell the platform team."
    ) % {"error": type(exc).__name__}


def import_job_fail(job_id: int, exc: BaseException, *, only_if: Q | None = None) -> bool:
    """Mark the job failed with a reason in its uploader's language; True if it was changed."""
    return IMPORT_JOBS.fail(job_id, exc, only_if=only_if)


def import_job_execute(job_id: int) -> Outcome:
    """Import the job's file, once. Safe to call any number of times.

    Transient errors put the job back to queued and are raised for the task's retry; other
    errors fail the job with a reason. Errors in the file fail it with the list of errors.
    """
    return Outcome(IMPORT_JOBS.run(job_id))


def _import(job_id: int, mine) -> Outcome:
    """The work of a claimed job (core.jobs): the import and its outcome, through `mine`."""
    job = ImportJob.objects.select_related("cohort__lab", "survey", "created_by").get(pk=job_id)
    try:
        with translation.override(job.language):
            if job.kind == ImportKind.ANSWERS:
                outcome = _import_answers(job, mine)
            else:
                outcome = _import_definition(job, mine)
    finally:
        with contextlib.suppress(Exception):
            cache.delete(_progress_key(job_id))
    _discard_file(job.file.name)
    return outcome


def _refused(mine, errors: list[dict], error_count: int, rows_total: int | None = None) -> Outcome:
    refused = mine.update(
        status=ImportStatus.FAILED,
        errors=errors,
        error_count=error_count,
        rows_total=rows_total,
        finished_at=timezone.now(),
        file="",
    )
    if not refused:
        raise jobs.Overtaken
    return Outcome.FAILED


def _import_answers(job: ImportJob, mine) -> Outcome:
    reporter = _Reporter(job.pk)
    size = max(job.file_size, 1)
    with job.file.open("rb") as handle:

        def on_progress(phase: str, rows: int) -> None:
            if phase == importing.PHASE_CHECK:
                reporter.rows_total = rows
                reporter.report(CHECK_SHARE * min(handle.tell(), size) / size, rows)
            else:
                share = rows / max(reporter.rows_total or 0, 1)
                reporter.report(CHECK_SHARE + (100 - CHECK_SHARE) * share, rows)

        # one transaction for the rows and the job's success: both or neither
        with transaction.atomic():
            result = importing.responses_import(
                survey=job.survey,
                file=handle,
                keep_errors=MAX_STORED_ERRORS,
                on_progress=on_progress,
            )
            if result.ok:
                succeeded = mine.update(
                    status=ImportStatus.SUCCEEDED,
                    progress=100,
                    created_count=result.created,
                    rows_total=result.created,
                    rows_done=result.created,
                    finished_at=timezone.now(),
                    file="",
                )
                if not succeeded:
                    raise jobs.Overtaken  # rolls the rows back: the other delivery imports them
                audit.record(
                    audit.K.RAW_ANSWERS_IMPORTED,
                    actor=job.created_by,
                    lab_id=job.cohort.lab_id,
                    target=job.survey.title_de,
                    obj=job.survey,
                    responses=result.created,
                )
                return Outcome.SUCCEEDED
    errors = [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors]
    return _refused(mine, errors, result.error_count, reporter.rows_total)


def _import_definition(job: ImportJob, mine) -> Outcome:
    with job.file.open("rb") as handle:
        content = handle.read()
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        message = _("The file is not valid JSON: %(reason)s") % {"reason": exc}
        return _refused(mine, [{"place": "", "message": message}], 1)
    except RecursionError:
        return _refused(mine, [{"place": "", "message": _("The file is nested too deeply.")}], 1)
    try:
        with transaction.atomic():
            survey = definitions.survey_from_definition(
                job.cohort, data, job.created_by, slug=job.params.get("slug") or None
            )
            succeeded = mine.update(
                status=ImportStatus.SUCCEEDED,
                survey=survey,
                progress=100,
                created_count=1,
                finished_at=timezone.now(),
                file="",
            )
            if not succeeded:
                raise jobs.Overtaken
    except definitions.DefinitionInvalid as exc:
        problems = exc.problems
        errors = [{"place": p.path, "message": p.message} for p in problems[:MAX_STORED_ERRORS]]
        return _refused(mine, errors, len(problems))
    return Outcome.SUCCEEDED


IMPORT_JOBS = jobs.JobKind(
    name="import-job",
    model=ImportJob,
    work=_import,
    failure_reason=_failure_reason,
    max_attempts=MAX_ATTEMPTS,
    stale_after_setting="IMPORT_JOB_STALE_AFTER",
    redispatch_after_setting="IMPORT_JOB_REDISPATCH_AFTER",
    done=ImportStatus.SUCCEEDED,
    requested_field="created_at",
    reason_field="failure",
    claimed_values={"progress": 0, "rows_done": 0},
    requeued_values={"progress": 0, "rows_done": 0},
    # the uploaded file goes with a failure (see _discard_file)
    failed_values={"file": ""},
    on_failed=lambda job: _discard_file(job.file.name),
)

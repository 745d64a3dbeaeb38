"""Imports as jobs: the upload stores the file and an ImportJob and returns at once; a Celery
worker (evaluations.tasks.run_import_job) checks and imports it, all or nothing, and the job's
page shows its progress, then the result or the errors with their places.

Exactly once: a worker claims a job by a conditional UPDATE (queued → running, or a running job
whose worker died long ago → running again), and the import and the job's success are written in
one transaction: a worker killed mid-import leaves nothing behind, and a job that succeeded is
never imported again. Another delivery of a finished job does nothing.

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
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit

from . import definitions, importing
from .models import ImportJob, ImportKind, ImportStatus

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

# Errors kept on the job (the page lists them); the total is counted. A file with more errors
# than this is usually the wrong file or the wrong survey.
MAX_STORED_ERRORS = 1000
# A job claimed this many times without finishing (its worker died each time) is failed.
MAX_ATTEMPTS = 3
# Errors a later attempt can fix (database or broker away, storage unreachable): the task retries.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
# The share of the progress bar for the first pass over an answers file (checking every row).
CHECK_SHARE = 50


class _Overtaken(Exception):
    """The job is no longer this worker's (another delivery took it over as stale)."""


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"  # imported now, or before
    FAILED = "failed"  # failed now, or before
    BUSY = "busy"  # another worker is importing it (not stale yet): try again later
    GONE = "gone"  # the job no longer exists (its cohort or survey was deleted)


def stale_after() -> dt.timedelta:
    """How long a job may stay `running` before another delivery may take it over: longer than
    the task's hard time limit, so a worker still importing is never overtaken."""
    return dt.timedelta(seconds=settings.IMPORT_JOB_STALE_AFTER)


def retry_delay(retries: int) -> int:
    """Seconds before the next attempt after a transient error: 30 s, doubling, at most 10 min."""
    return min(30 * 2**retries, 600)


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def dispatch_mark(job_id: int) -> str:
    return f"import-job-dispatched:{job_id}"


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


def _claim(job_id: int, now: dt.datetime) -> bool:
    stale = Q(status=ImportStatus.RUNNING, started_at__lt=now - stale_after())
    return bool(
        ImportJob.objects.filter(pk=job_id, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(status=ImportStatus.QUEUED) | stale)
        .update(
            status=ImportStatus.RUNNING,
            started_at=now,
            finished_at=None,
            progress=0,
            rows_done=0,
            attempts=F("attempts") + 1,
        )
    )


def _discard_file(name: str) -> None:
    """The uploaded file, once its job has finished: the answers are in the database now (or
    were refused), and a copy of raw answers is not kept in the file storage."""
    if not name:
        return
    try:
        ImportJob.file.field.storage.delete(name)
    except OSError:
        logger.warning("Could not delete the import file %s", name)


def _failure_reason(exc: BaseException) -> str:
    """Short, actionable, in the active language; never a stack trace (that goes to the log)."""
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
    job = ImportJob.objects.filter(pk=job_id).only("language", "file").first()
    if job is None:
        return False
    with translation.override(job.language):
        reason = _failure_reason(exc)
    jobs = ImportJob.objects.filter(pk=job_id).exclude(status=ImportStatus.SUCCEEDED)
    if only_if is not None:
        jobs = jobs.filter(only_if)
    changed = bool(
        jobs.update(status=ImportStatus.FAILED, failure=reason, finished_at=timezone.now(), file="")
    )
    if changed:
        _discard_file(job.file.name)
    return changed


def import_job_execute(job_id: int) -> Outcome:
    """Import the job's file, once. Safe to call any number of times.

    Transient errors put the job back to queued and are raised for the task's retry; other
    errors fail the job with a reason. Errors in the file fail it with the list of errors.
    """
    now = timezone.now()
    if not _claim(job_id, now):
        job = ImportJob.objects.filter(pk=job_id).only("status", "attempts", "started_at").first()
        if job is None:
            return Outcome.GONE
        if job.status == ImportStatus.SUCCEEDED:
            return Outcome.SUCCEEDED
        if job.status == ImportStatus.FAILED:
            return Outcome.FAILED
        if job.attempts >= MAX_ATTEMPTS and (
            job.status == ImportStatus.QUEUED or job.started_at < now - stale_after()
        ):
            import_job_fail(job_id, RuntimeError("too many attempts"))
            return Outcome.FAILED
        return Outcome.BUSY

    mine = ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING, started_at=now)
    job = ImportJob.objects.select_related("cohort__lab", "survey", "created_by").get(pk=job_id)
    try:
        with translation.override(job.language):
            if job.kind == ImportKind.ANSWERS:
                outcome = _import_answers(job, mine)
            else:
                outcome = _import_definition(job, mine)
    except _Overtaken:
        return Outcome.BUSY
    except TRANSIENT_ERRORS:
        with contextlib.suppress(OperationalError, InterfaceError):
            mine.update(status=ImportStatus.QUEUED, progress=0, rows_done=0)
        raise
    except Exception as exc:
        logger.exception("Import job %s failed", job_id)
        import_job_fail(job_id, exc, only_if=Q(status=ImportStatus.RUNNING, started_at=now))
        return Outcome.FAILED
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
        raise _Overtaken
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
                    raise _Overtaken  # rolls the rows back: the other delivery imports them
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
                raise _Overtaken
    except definitions.DefinitionInvalid as exc:
        problems = exc.problems
        errors = [{"place": p.path, "message": p.message} for p in problems[:MAX_STORED_ERRORS]]
        return _refused(mine, errors, len(problems))
    return Outcome.SUCCEEDED

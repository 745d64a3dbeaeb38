"""Jobs: a row in the database is a job, and a Celery task runs it, once.

The one mechanism behind the imports (evaluations.import_jobs) and the report runs (reports.jobs);
a `JobKind` names the model, its status field and values, its timestamps, the function that does
the work and how long a running job may take before it counts as stale.

- Claim: a delivery of the task claims the job by a conditional UPDATE (queued → running, or a
  running job whose worker died long ago → running again). Of two deliveries only one wins; a
  job that is done or failed is never run again.
- Work: the kind's `work(job_id, mine)` does the job and records its outcome through `mine`, the
  job's row for as long as it is this delivery's (an update of `mine` that changes nothing means
  the job was taken over: `work` raises Overtaken, or returns without doing more).
- Errors: a transient error (database, broker or storage away) puts the job back to queued and is
  raised for the task's retry; any other error fails the job with a reason for its owner (never a
  stack trace: that goes to the log). A job claimed `max_attempts` times without finishing (its
  worker died each time) is failed instead of being run again and again.
- Sending: `send` publishes the task without ever letting a web request hang or fail on a broker
  that is away, and remembers in the cache that the job was sent; `redispatch` (beat) sends again
  the jobs still queued a while after they were requested that were not sent within that while.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

# What `run` answers besides the job's final status (`done` or `failed` of its kind).
BUSY = "busy"  # another delivery is running it (not stale yet): try again later
GONE = "gone"  # the job no longer exists

# Errors a later attempt can fix: the database or the connection to it, storage, sockets.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)

# Broker errors of a publish: Redis refused, reset or timed out (kombu wraps most of them in its
# OperationalError; OSError for sockets that fail below it).
SEND_ERRORS = (KombuOperationalError, OSError)


class Overtaken(Exception):
    """The job is no longer this delivery's (another one took it over as stale)."""


@dataclass(frozen=True, kw_only=True)
class JobKind:
    """One kind of job: its model and fields, and what running one means."""

    name: str  # in cache keys ("<name>-dispatched:<id>") and log lines
    model: type[models.Model]
    # does the job and records its outcome through `mine`; returns the status it recorded
    work: Callable[[int, QuerySet], str]
    # the reason a failed job shows, in its owner's language
    failure_reason: Callable[[Any, BaseException], str]
    max_attempts: int
    # settings (seconds): how long a job may run before another delivery may take it over (longer
    # than the task's hard time limit), and how long a queued job waits before it is sent again
    stale_after_setting: str
    redispatch_after_setting: str
    status_field: str = "status"
    queued: str = "queued"
    running: str = "running"
    done: str = "done"
    failed: str = "failed"
    requested_field: str = "requested_at"
    started_field: str = "started_at"
    finished_field: str = "finished_at"
    attempts_field: str = "attempts"
    reason_field: str = "error"
    # fields set with the status: when a delivery claims the job, when a transient error puts it
    # back to queued, and when it fails
    claimed_values: Mapping[str, Any] = field(default_factory=dict)
    requeued_values: Mapping[str, Any] = field(default_factory=dict)
    failed_values: Mapping[str, Any] = field(default_factory=dict)
    # called with the job (as it was before) once `fail` has failed it
    on_failed: Callable[[Any], None] | None = None
    transient_errors: tuple[type[BaseException], ...] = TRANSIENT_ERRORS

    @property
    def logger(self) -> logging.Logger:
        return logging.getLogger(f"{self.model._meta.app_label}.jobs")

    def stale_after(self) -> dt.timedelta:
        return dt.timedelta(seconds=getattr(settings, self.stale_after_setting))

    def redispatch_after(self) -> dt.timedelta:
        return dt.timedelta(seconds=getattr(settings, self.redispatch_after_setting))

    def _status(self, value: str) -> Q:
        return Q(**{self.status_field: value})

    # --- the worker ------------------------------------------------------------------------------

    def claim(self, job_id: int, now: dt.datetime) -> bool:
        """Make the job this delivery's (running, started `now`); False if it is not claimable."""
        stale = self._status(self.running) & Q(
            **{f"{self.started_field}__lt": now - self.stale_after()}
        )
        claimable = self.model.objects.filter(
            self._status(self.queued) | stale,
            pk=job_id,
            **{f"{self.attempts_field}__lt": self.max_attempts},
        )
        return bool(
            claimable.update(
                **{
                    self.status_field: self.running,
                    self.started_field: now,
                    self.finished_field: None,
                    self.attempts_field: F(self.attempts_field) + 1,
                    **self.claimed_values,
                }
            )
        )

    def run(self, job_id: int) -> str:
        """Claim the job and do it, once: its final status (`done`, `failed`), BUSY or GONE. Safe
        to call any number of times; transient errors are raised for the task's retry."""
        now = timezone.now()
        if not self.claim(job_id, now):
            return self._not_claimed(job_id, now)
        mine_only = self._status(self.running) & Q(**{self.started_field: now})
        mine = self.model.objects.filter(mine_only, pk=job_id)
        try:
            return self.work(job_id, mine)
        except Overtaken:
            return BUSY
        except self.transient_errors:
            # if the database is away, the job stays running until it is stale
            with contextlib.suppress(OperationalError, InterfaceError):
                mine.update(**{self.status_field: self.queued, **self.requeued_values})
            raise
        except Exception as exc:
            self.logger.exception("%s %s failed", self.name, job_id)
            self.fail(job_id, exc, only_if=mine_only)
            return self.failed

    def _not_claimed(self, job_id: int, now: dt.datetime) -> str:
        fields = (self.status_field, self.attempts_field, self.started_field)
        row = self.model.objects.filter(pk=job_id).values_list(*fields).first()
        if row is None:
            return GONE
        status, attempts, started = row
        if status in (self.done, self.failed):
            return status
        if attempts >= self.max_attempts and (
            status == self.queued or started < now - self.stale_after()
        ):
            self.fail(job_id, RuntimeError("too many attempts"))
            return self.failed
        return BUSY

    def fail(self, job_id: int, exc: BaseException, *, only_if: Q | None = None) -> bool:
        """Fail the job (unless it is done) with the reason for `exc`; True if it was changed."""
        job = self.model.objects.filter(pk=job_id).first()
        if job is None:
            return False
        reason = self.failure_reason(job, exc)
        jobs = self.model.objects.filter(pk=job_id).exclude(self._status(self.done))
        if only_if is not None:
            jobs = jobs.filter(only_if)
        changed = bool(
            jobs.update(
                **{
                    self.status_field: self.failed,
                    self.reason_field: reason,
                    self.finished_field: timezone.now(),
                    **self.failed_values,
                }
            )
        )
        if changed and self.on_failed is not None:
            self.on_failed(job)
        return changed

    # --- sending ---------------------------------------------------------------------------------

    def sent_mark(self, job_id: int) -> str:
        return f"{self.name}-dispatched:{job_id}"

    def send(self, task, job_id: int) -> bool:
        """Publish `task(job_id)`; False (logged) when the broker is unreachable. Bounded in time
        (settings: broker connection timeout, no publish retry). Call it after the commit (from an
        on_commit callback) or outside a transaction, so the worker finds the job: a job whose
        send failed stays queued and `redispatch` sends it again; a job sent twice runs once."""
        try:
            task.apply_async((job_id,), retry=False)
        except SEND_ERRORS as exc:
            self.logger.warning(
                "%s %s stays queued: the job queue is unreachable (%s)",
                self.name,
                job_id,
                type(exc).__name__,
            )
            return False
        # remembered (best effort: the cache may be away too) so that `redispatch` leaves a job
        # alone that was sent a moment ago and is only waiting for a free worker
        with contextlib.suppress(Exception):
            timeout = self.redispatch_after().total_seconds()
            cache.set(self.sent_mark(job_id), 1, timeout=timeout)
        return True

    def send_on_commit(self, task, job_id: int) -> None:
        """`send` once the current transaction commits (at once outside one)."""
        transaction.on_commit(functools.partial(self.send, task, job_id))

    def redispatch(self, task, *, older_than: dt.timedelta | None = None) -> int:
        """Send again the jobs still queued `older_than` (default: the redispatch setting) after
        they were requested and not sent within that while (their send failed, or the broker lost
        the message); with a zero `older_than`, every queued job. Stops at the first send that
        fails (the broker is still away: the next beat tries again). Returns how many were sent."""
        if older_than is None:
            older_than = self.redispatch_after()
        ids = self.model.objects.filter(
            self._status(self.queued),
            **{
                f"{self.requested_field}__lte": timezone.now() - older_than,
                f"{self.attempts_field}__lt": self.max_attempts,
            },
        ).values_list("pk", flat=True)
        sent = 0
        for job_id in ids:
            if older_than and _cache_get(self.sent_mark(job_id)):
                continue
            if not self.send(task, job_id):
                break
            sent += 1
        return sent


def _cache_get(key: str):
    with contextlib.suppress(Exception):
        return cache.get(key)
    return None

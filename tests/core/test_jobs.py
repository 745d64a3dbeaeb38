"""The job mechanism (core/jobs.py) on a real job model (ImportJob, with the imports' own kind,
only its work replaced) and the real Redis broker: one claim wins, a job whose worker died is
taken over once stale, a failure is recorded with its reason, beat re-sends only old queued jobs."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import os
import threading
import uuid
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from config.celery import app as celery_app
from core import jobs
from evaluations.import_jobs import IMPORT_JOBS
from evaluations.models import ImportJob, ImportKind, ImportStatus
from evaluations.tasks import run_import_job


class Work:
    """The work of a test job: records what it ran and succeeds, or raises `error`."""

    def __init__(self, error: BaseException | None = None):
        self.error = error
        self.ran: list[int] = []

    def __call__(self, job_id: int, mine) -> str:
        self.ran.append(job_id)
        if self.error is not None:
            raise self.error
        if not mine.update(status=ImportStatus.SUCCEEDED, finished_at=timezone.now()):
            raise jobs.Overtaken
        return ImportStatus.SUCCEEDED


def kind_with(work: Work, **changes) -> jobs.JobKind:
    return dataclasses.replace(IMPORT_JOBS, work=work, **changes)


def queued_job(cohort, **values) -> ImportJob:
    return ImportJob.objects.create(
        kind=ImportKind.DEFINITION, cohort=cohort, file_name="umfrage.json", **values
    )


def test_a_second_claim_of_the_same_job_loses(cohort_x):
    job = queued_job(cohort_x)
    first, second = timezone.now(), timezone.now() + dt.timedelta(seconds=1)

    assert IMPORT_JOBS.claim(job.pk, first) is True
    assert IMPORT_JOBS.claim(job.pk, second) is False

    job.refresh_from_db()
    assert (job.status, job.started_at, job.attempts) == (ImportStatus.RUNNING, first, 1)
    # a delivery of the task while the first one is still at work does nothing
    work = Work()
    assert kind_with(work).run(job.pk) == jobs.BUSY
    assert work.ran == []


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_claims_one_wins(cohort_x):
    job = queued_job(cohort_x)
    barrier = threading.Barrier(2)
    won, errors = [], []

    def claim():
        try:
            barrier.wait(timeout=5)
            won.append(IMPORT_JOBS.claim(job.pk, timezone.now()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(won) == [False, True]
    assert ImportJob.objects.get(pk=job.pk).attempts == 1


def test_a_job_whose_worker_died_is_taken_over_once_it_is_stale(cohort_x):
    job = queued_job(cohort_x)
    stale = IMPORT_JOBS.stale_after()
    work = Work()
    kind = kind_with(work)
    # claimed by a worker that then died (its process killed: nothing else happens to the row)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - stale + dt.timedelta(seconds=30),
        attempts=1,
    )
    assert kind.run(job.pk) == jobs.BUSY  # not stale yet: it may still be at work
    assert work.ran == []

    ImportJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - stale - dt.timedelta(seconds=1)
    )
    assert kind.run(job.pk) == ImportStatus.SUCCEEDED
    assert work.ran == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.SUCCEEDED, 2)
    # done: a late delivery neither claims nor runs it again
    assert kind.run(job.pk) == ImportStatus.SUCCEEDED
    assert work.ran == [job.pk]


def test_a_job_whose_workers_died_too_often_fails(cohort_x):
    job = queued_job(cohort_x)
    long_ago = timezone.now() - IMPORT_JOBS.stale_after() - dt.timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=long_ago, attempts=IMPORT_JOBS.max_attempts
    )
    work = Work()
    assert kind_with(work).run(job.pk) == ImportStatus.FAILED
    assert work.ran == []
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.FAILED


def test_a_failing_job_is_recorded_as_failed_with_its_reason(cohort_x):
    job = queued_job(cohort_x)
    failed_jobs = []
    kind = kind_with(
        Work(error=ValueError("Spalte q_agree fehlt")),
        failure_reason=lambda job, exc: f"Import abgebrochen: {exc}",
        on_failed=failed_jobs.append,
    )

    assert kind.run(job.pk) == ImportStatus.FAILED

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.failure == "Import abgebrochen: Spalte q_agree fehlt"
    assert job.finished_at is not None and job.attempts == 1
    assert [j.pk for j in failed_jobs] == [job.pk]
    # a failed job stays failed: another delivery changes nothing
    assert kind.run(job.pk) == ImportStatus.FAILED
    assert ImportJob.objects.get(pk=job.pk).attempts == 1


def test_the_real_reason_is_in_the_uploaders_language(cohort_x):
    job = queued_job(cohort_x, language="de")
    assert kind_with(Work(error=KeyError("x"))).run(job.pk) == ImportStatus.FAILED
    failure = ImportJob.objects.get(pk=job.pk).failure
    assert "(KeyError)" in failure and "Plattform" in failure and "Traceback" not in failure


def test_a_transient_error_puts_the_job_back_in_the_queue_and_is_raised(cohort_x):
    job = queued_job(cohort_x)
    kind = kind_with(Work(error=OperationalError("server closed the connection")))
    with pytest.raises(OperationalError):
        kind.run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.failure) == (ImportStatus.QUEUED, 1, "")
    assert kind_with(Work()).run(job.pk) == ImportStatus.SUCCEEDED


def test_a_job_that_no_longer_exists_is_gone(cohort_x):
    job = queued_job(cohort_x)
    job.delete()
    assert kind_with(Work()).run(job.pk) == jobs.GONE


# --- sending: the real Redis broker ---------------------------------------------------------------


@pytest.fixture
def broker_queue():
    """Tasks go to a fresh queue of the real Redis broker (no worker reads it); yields a function
    that returns the job ids of the messages in it."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://… (see scripts/test)")
    import redis

    parsed = urlparse(url)
    client = redis.Redis(
        host=parsed.hostname,
        port=parsed.port or 6379,
        db=int((parsed.path or "/0").strip("/") or 0),
        password=parsed.password,
        socket_timeout=5,
    )
    queue = f"core-jobs-{uuid.uuid4().hex}"
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue

    def sent() -> list[int]:
        ids = []
        for raw in client.lrange(queue, 0, -1):
            message = json.loads(raw)
            assert message["headers"]["task"] == run_import_job.name
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            ids.append(args[0])
        return sorted(ids)

    try:
        yield sent
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        celery_app.conf.task_default_queue = "celery"
        client.delete(queue)
        client.close()


def test_redispatch_sends_only_the_old_queued_jobs(cohort_x, broker_queue):
    old = timezone.now() - IMPORT_JOBS.redispatch_after() - dt.timedelta(seconds=1)
    lost = queued_job(cohort_x, created_at=old)
    queued_job(cohort_x)  # just uploaded: its message is on its way
    queued_job(cohort_x, created_at=old, status=ImportStatus.RUNNING, started_at=old, attempts=1)
    queued_job(cohort_x, created_at=old, status=ImportStatus.SUCCEEDED, attempts=1)
    queued_job(cohort_x, created_at=old, status=ImportStatus.FAILED, attempts=1)
    queued_job(cohort_x, created_at=old, attempts=IMPORT_JOBS.max_attempts)  # given up
    sent_lately = queued_job(cohort_x, created_at=old)
    assert IMPORT_JOBS.send(run_import_job, sent_lately.pk) is True  # waits for a free worker
    assert broker_queue() == [sent_lately.pk]

    assert IMPORT_JOBS.redispatch(run_import_job) == 1
    assert broker_queue() == sorted([sent_lately.pk, lost.pk])

    # sent a moment ago now: the next beat leaves it alone
    assert IMPORT_JOBS.redispatch(run_import_job) == 0
    assert broker_queue() == sorted([sent_lately.pk, lost.pk])

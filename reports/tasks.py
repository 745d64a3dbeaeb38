"""Report jobs on Celery: render a run, and send again the runs whose message never arrived.

Tasks take a run id and call reports.jobs, which claims the run by a conditional UPDATE, so a task
delivered twice renders once. `dispatch` sends the render task to the broker without ever letting
a web request hang or fail on a broker that is away (reports.services queues runs through it).
"""

import datetime as dt

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import Q

from . import jobs


class _ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # retries used up on a transient error: fail the run (if no other delivery is rendering
        # it) so the coordinator sees a reason instead of a run that stays queued forever
        if args:
            jobs.fail_run(args[0], exc, only_if=Q(status="queued"))


@shared_task(
    bind=True,
    base=_ReportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def render_report(self, run_id: int) -> str:
    """Render one report run (reports.jobs.execute_run). Late acknowledgement: a worker killed
    mid-render leaves the message unacknowledged, so the broker delivers it again and the run is
    claimed anew once it is stale; a delivery that finds it done returns at once. The broker's
    visibility_timeout must exceed time_limit and every retry countdown (settings)."""
    outcome = jobs.execute_run(run_id)
    if outcome == jobs.Outcome.BUSY:
        # another delivery is rendering it: look again when it would count as stale
        raise self.retry(countdown=int(jobs.stale_after().total_seconds()) + 5)
    return str(outcome)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def dispatch_queued_report_runs() -> int:
    """Beat (every 2 minutes): send again the report runs still queued a while after they were
    requested (their dispatch failed while the broker was away, or the broker lost the message).
    Safe to run twice: a run sent twice is claimed, and rendered, once."""
    return redispatch_queued()


def dispatch(run_id: int) -> bool:
    """Send the run's render task to the broker; False (logged) when the broker is unreachable.

    Bounded in time (settings: broker connection timeout, publish retry policy): a web request
    never hangs on a broker that is away. A run whose dispatch failed stays `queued` and is sent
    again by dispatch_queued_report_runs; a message sent twice renders once (the run's claim).
    """
    return jobs.REPORT_RUNS.send(render_report, run_id)


def redispatch_queued(older_than: dt.timedelta | None = None) -> int:
    """Send again the runs that are still `queued` a while after they were requested and were not
    dispatched within that while (dispatch failed, or the broker lost the message). Returns how
    many were sent."""
    return jobs.REPORT_RUNS.redispatch(render_report, older_than=older_than)

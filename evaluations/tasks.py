"""Survey e-mails. Tasks take ids, rebuild each link's token from its salt (no secret travels
through the broker) and are safe to run twice: the services claim every mail by a conditional
UPDATE before sending it."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import Q

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_survey_link_email(link_id: int, base_url: str) -> bool:
    return services.survey_link_email_send(link_id=link_id, base_url=base_url)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_survey_reminders(survey_id: int, base_url: str) -> int:
    return services.survey_reminders_send(survey_id=survey_id, base_url=base_url)


class _ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # retries used up on a transient error: fail the run (if no other delivery is rendering
        # it) so the coordinator sees a reason instead of a run that stays queued forever
        from .reports import jobs

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
    """Render one report run (evaluations.reports.jobs.execute_run). Late acknowledgement: a
    worker killed mid-render leaves the message unacknowledged, so the broker delivers it again
    and the run is claimed anew once it is stale; a delivery that finds it done returns at once.
    The broker's visibility_timeout must exceed time_limit and every retry countdown (settings)."""
    from .reports import jobs

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
    from .reports import jobs

    return jobs.redispatch_queued()


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def purge_expired_raw_answers() -> int:
    """Beat (daily): delete the raw answers of surveys closed longer than
    SURVEY_RAW_RETENTION_MONTHS ago, storing their aggregates first (evaluations/retention.py).
    Safe to run twice: a purged survey is not touched again."""
    from . import retention

    return len(retention.purge_expired_raw_answers())

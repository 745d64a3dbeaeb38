"""Survey e-mails, report runs and imports. Tasks take ids, rebuild each link's token from its
salt (no secret travels through the broker) and are safe to run twice: the services claim every
mail, run and import by a conditional UPDATE before doing it."""

from celery import shared_task
from django.conf import settings

from . import import_jobs, notices, retention, survey_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_survey_link_email(link_id: int, base_url: str) -> bool:
    return survey_mail.survey_link_email_send(link_id=link_id, base_url=base_url)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_survey_reminders(survey_id: int, base_url: str) -> int:
    return survey_mail.survey_reminders_send(survey_id=survey_id, base_url=base_url)


@shared_task(acks_late=True, time_limit=5 * 60, soft_time_limit=4 * 60)
def notify_respondents_of_open_surveys() -> int:
    """Beat (every 10 minutes): tell the people who should answer an open in-platform survey,
    once each (a survey that opened at its time, people who joined a tandem since). Safe to run
    twice: a person gets one notification per survey."""
    return notices.open_surveys_notify()


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def purge_expired_raw_answers() -> int:
    """Beat (daily): delete the raw answers of surveys closed longer than
    SURVEY_RAW_RETENTION_MONTHS ago, storing their aggregates first (evaluations/retention.py).
    Safe to run twice: a purged survey is not touched again."""
    return len(retention.purge_expired_raw_answers())


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    soft_time_limit=settings.IMPORT_JOB_TIME_LIMIT,
    time_limit=settings.IMPORT_JOB_TIME_LIMIT + 60,
)
def run_import_job(self, job_id: int) -> str:
    """Import one uploaded file (evaluations.import_jobs.import_job_execute). Late
    acknowledgement: a worker killed mid-import leaves the message unacknowledged (and what it
    wrote is rolled back), so the job is imported anew once it is stale; a delivery that finds
    it finished returns at once. Transient errors are retried with backoff; when the retries are
    used up, the job fails with a reason instead of staying queued."""
    try:
        outcome = import_jobs.import_job_execute(job_id)
    except import_jobs.TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            import_jobs.import_job_fail(job_id, exc)
            return str(import_jobs.Outcome.FAILED)
        raise self.retry(exc=exc, countdown=import_jobs.retry_delay(self.request.retries)) from exc
    if outcome == import_jobs.Outcome.BUSY:
        # another delivery is importing it: look again when it would count as stale
        raise self.retry(countdown=settings.IMPORT_JOB_STALE_AFTER + 5)
    return str(outcome)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def dispatch_queued_import_jobs() -> int:
    """Beat (every 2 minutes): send again the import jobs still queued a while after their upload.
    Safe to run twice: a job sent twice is claimed, and imported, once."""
    return redispatch_queued_import_jobs()


def dispatch_import_job(job_id: int) -> None:
    """Send the job to the worker once the current transaction commits (at once outside one).
    A broker that is away is logged, not raised: the job stays queued and
    dispatch_queued_import_jobs sends it again; a job sent twice is imported once."""
    import_jobs.IMPORT_JOBS.send_on_commit(run_import_job, job_id)


def redispatch_queued_import_jobs() -> int:
    """Send again the jobs still queued a while after their upload (their dispatch failed while
    the broker was away, or the broker lost the message). Returns how many were sent."""
    return import_jobs.IMPORT_JOBS.redispatch(run_import_job)

"""Survey e-mails. Tasks take ids, rebuild each link's token from its salt (no secret travels
through the broker) and are safe to run twice: the services claim every mail by a conditional
UPDATE before sending it."""

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_survey_link_email(link_id: int, base_url: str) -> bool:
    return services.survey_link_email_send(link_id=link_id, base_url=base_url)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_survey_reminders(survey_id: int, base_url: str) -> int:
    return services.survey_reminders_send(survey_id=survey_id, base_url=base_url)


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def purge_expired_raw_answers() -> int:
    """Beat (daily): delete the raw answers of surveys closed longer than
    SURVEY_RAW_RETENTION_MONTHS ago, storing their aggregates first (evaluations/retention.py).
    Safe to run twice: a purged survey is not touched again."""
    from . import retention

    return len(retention.purge_expired_raw_answers())

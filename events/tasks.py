"""Event notices. Tasks take ids, load fresh data and are safe to run twice: the notify services
claim every notice by a conditional UPDATE before creating it (notifications then e-mails it).
The planning services queue them (services.py imports this module; this module never imports
services)."""

import datetime as dt

from celery import shared_task

from . import notify

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def send_event_invitations(registration_ids: list[int]) -> int:
    return notify.invitation_mails_send(registration_ids=registration_ids)


@shared_task(**RETRY)
def send_event_change_notices(event_id: int) -> int:
    return notify.change_notices_send(event_id=event_id)


@shared_task(**RETRY)
def send_event_cancellation_notices(event_id: int) -> int:
    return notify.cancellation_notices_send(event_id=event_id)


@shared_task(**RETRY)
def send_event_promotion_notice(registration_id: int) -> bool:
    return notify.promotion_mail_send(registration_id=registration_id)


@shared_task(**RETRY)
def send_event_reminders(now: str | None = None) -> int:
    """Run hourly by Celery beat; `now` (ISO 8601) remind as of another moment, e.g. to catch up
    after the beat was down."""
    return notify.reminders_send(now=dt.datetime.fromisoformat(now) if now else None)

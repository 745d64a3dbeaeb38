"""Notification e-mails. Tasks take keys or nothing, load fresh data and are safe to run twice:
notifications/mail.py claims every mail by a conditional UPDATE of `emailed_at` before sending it.
services.py imports this module; this module never imports services."""

from celery import shared_task

from . import mail

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def send_notification_mails(key: str) -> int:
    return mail.immediate_mails_send(key=key)


@shared_task(**RETRY)
def send_notification_digests() -> int:
    """Run daily by Celery beat."""
    return mail.digests_send()

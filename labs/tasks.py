from celery import shared_task

from .invitation_mail import invitation_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_invitation_email(invitation_id: int, base_url: str) -> bool:
    return invitation_send(invitation_id=invitation_id, base_url=base_url)

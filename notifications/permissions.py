"""Who may do what with notifications: each person only with their own."""

from django.http import Http404

from .models import Notification


def access_own_notification(user, notification_id: int) -> Notification:
    """The person's own notification; another person's answers like one that does not exist."""
    found = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if found is None:
        raise Http404
    return found

"""Notifications' part of a person's data export (the protocol: accounts/privacy.py). Account
deletion removes the person's notifications and preference with the account (CASCADE)."""

from accounts.privacy import register_section, rows

from .kinds import text_of
from .models import Notification, NotificationPreference


def _notifications(user) -> list[dict]:
    found = rows(
        Notification.objects.filter(recipient=user).order_by("created_at", "pk"),
        ["kind", "params", "link", "created_at", "read_at", "emailed_at"],
    )
    for row in found:
        row["text"] = text_of(row["kind"], row["params"])
    return found


def _notification_preference(user) -> dict:
    preference = rows(NotificationPreference.objects.filter(user=user), ["delivery", "updated_at"])
    return {
        "delivery": preference[0]["delivery"] if preference else None,
        "updated_at": preference[0]["updated_at"] if preference else None,
        "email_language": user.language,
    }


def register() -> None:
    register_section(
        "notifications",
        export=_notifications,
        fields=[("notifications.Notification", "recipient")],
    )
    register_section(
        "notification_preference",
        export=_notification_preference,
        fields=[("notifications.NotificationPreference", "user")],
    )

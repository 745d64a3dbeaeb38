"""Every write of notifications: creating them (notify), marking them read, a person's preferences.

`notify` is what the other apps call at the moment something happens; it creates one row per
recipient (a person never gets the same key twice) and queues one task on commit that e-mails
those who want their notifications right away (notifications/mail.py).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import kinds, tasks
from .models import Delivery, Notification, NotificationPreference

KEY_MAX = Notification._meta.get_field("key").max_length
LINK_MAX = Notification._meta.get_field("link").max_length


def _user_id(recipient) -> int:
    return recipient if isinstance(recipient, int) else recipient.pk


def notify(*, kind: str, recipients: Iterable, key: str, params: dict, link: str) -> int:
    """Tell `recipients` (users or their ids) that something happened; returns how many new
    notifications were created. `key` identifies the happening (e.g.
    "profile-submitted:<profile id>:<version>"): whoever has a notification with that key
    already gets none again. Raises UnknownKind for a kind nobody registered."""
    kinds.get(kind)
    # a path on this site: never "//host" or "/\\host", which browsers read as another site
    a_path = link.startswith("/") and not link.startswith("//") and "\\" not in link
    if not key or len(key) > KEY_MAX or not a_path or len(link) > LINK_MAX:
        raise ValueError(f"notify: bad key or link ({key!r}, {link!r})")
    user_ids = sorted({_user_id(r) for r in recipients if r is not None})
    if not user_ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(recipient_id__in=user_ids, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        new = [
            Notification(
                recipient_id=uid, kind=kind, key=key, params=params, link=link, created_at=now
            )
            for uid in user_ids
            if uid not in existing
        ]
        # a concurrent notify with the same key may have won in between: the unique constraint
        # decides, and the loser's rows are skipped
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        tasks.send_notification_mails.delay_on_commit(key)
    return len(new)


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_of(user) -> str:
    """The person's delivery choice (the default when they never chose)."""
    found = (
        NotificationPreference.objects.filter(user=user).values_list("delivery", flat=True).first()
    )
    return found or Delivery.IMMEDIATE


@transaction.atomic
def notification_preferences_update(*, user, delivery: str, language: str) -> None:
    """Save how the person hears about notifications and the language of their e-mails."""
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Please choose how you want to be notified.")})
    language_field = get_user_model()._meta.get_field("language")
    if language not in {code for code, _name in language_field.choices} | {""}:
        raise ValidationError({"language": _("Please choose a language from the list.")})
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"delivery": delivery, "updated_at": timezone.now()}
    )
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])

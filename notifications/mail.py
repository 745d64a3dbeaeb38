"""The notification e-mails: one per notification for those who want them right away, one summary
a day for those who chose the daily digest, none for those who chose none. Each in the recipient's
language (notifications/languages.py: accounts.User.language first). A kind that writes its own
e-mail (kinds.Kind.mail, e.g. an event notice with its calendar file) is sent as it wrote it; the
summary lists its text and carries its attachments.

The tasks in tasks.py call the `*_send` functions here. A mail is claimed by a conditional UPDATE
of `emailed_at` (still empty) before it is sent and released again if sending fails, so a task run
twice, retried, or run by two workers at once sends each mail once. A notification read on the
platform before the summary goes out is left out of it.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from .kinds import Mail, mail_of, text_of
from .languages import mail_languages
from .models import Delivery, Notification

logger = logging.getLogger("innolab.notifications")

# the summary collects what is not older than this: a day, and a day more for a missed run
DIGEST_WINDOW = dt.timedelta(days=2)


def _wants(delivery: str) -> Q:
    preference = Q(recipient__notification_preference__delivery=delivery)
    if delivery == Delivery.IMMEDIATE:  # the default of those who never chose
        preference |= Q(recipient__notification_preference__isnull=True)
    return preference


def _pending():
    return Notification.objects.select_related("recipient").filter(
        emailed_at__isnull=True, recipient__is_active=True
    )


def _item(notification: Notification) -> dict:
    return {
        "text": text_of(notification.kind, notification.params),
        "url": settings.SITE_URL + notification.link,
        "created_at": notification.created_at,
    }


def _compose(user, subject: str, template: str, context: dict, attachments=()) -> Mail:
    context = {
        **context,
        "recipient": user,
        "settings_url": settings.SITE_URL + reverse("notification_settings"),
        "list_url": settings.SITE_URL + reverse("notification_list"),
    }
    return Mail(
        subject=subject,
        text=render_to_string(f"notifications/email/{template}.txt", context),
        html=render_to_string(f"notifications/email/{template}.html", context),
        attachments=dict(attachments),
    )


def _send(user, mail: Mail) -> None:
    message = EmailMultiAlternatives(mail.subject, mail.text, None, [user.email])
    message.attach_alternative(mail.html, "text/html")
    for part in mail.attachments.values():
        message.attach(part)
    message.send()


def _claim(ids: list[int], now: dt.datetime) -> list[int]:
    """The ones of `ids` this run claimed (emailed_at set to its own `now`): a second run at the
    same time claims none of them, or those this one did not get."""
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
    return list(
        Notification.objects.filter(pk__in=ids, emailed_at=now).values_list("pk", flat=True)
    )


def _release(ids: list[int], now: dt.datetime) -> None:
    Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)


def immediate_mails_send(*, key: str) -> int:
    """E-mail the notifications with `key` to those who want them right away; returns how many."""
    notifications = list(_pending().filter(_wants(Delivery.IMMEDIATE), key=key).order_by("pk"))
    sent = 0
    for notification in notifications:
        now = timezone.now()
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            continue
        user = notification.recipient
        try:
            with translation.override(mail_languages([user])[user.pk]):
                own = mail_of(notification.kind, notification.params, user)
                if own is None:
                    item = _item(notification)
                    own = _compose(user, item["text"], "notification", {"item": item})
                _send(user, own)
        except Exception:
            _release([notification.pk], now)
            raise
        sent += 1
    return sent


def _attachments(notifications: list[Notification]) -> dict:
    """The attachments of the kinds' own mails, oldest first: a newer one of the same name (the
    same event's calendar entry) replaces an older one."""
    found: dict = {}
    for notification in notifications:
        own = mail_of(notification.kind, notification.params, notification.recipient)
        if own is not None:
            found.update(own.attachments)
    return found


def digests_send(*, now: dt.datetime | None = None) -> int:
    """One summary per person who chose the daily digest and has unread, unmailed notifications of
    the last DIGEST_WINDOW; returns how many summaries were sent."""
    now = now or timezone.now()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    rows = (
        _pending()
        .filter(_wants(Delivery.DAILY), read_at__isnull=True, created_at__gt=now - DIGEST_WINDOW)
        .order_by("recipient_id", "created_at", "pk")
    )
    for notification in rows:
        by_user[notification.recipient_id].append(notification)
    languages = mail_languages(n[0].recipient for n in by_user.values())
    sent = 0
    for notifications in by_user.values():
        stamp = timezone.now()
        claimed = set(_claim([n.pk for n in notifications], stamp))
        mine = [n for n in notifications if n.pk in claimed]
        if not mine:
            continue
        user = mine[0].recipient
        try:
            with translation.override(languages[user.pk]):
                items = [_item(n) for n in mine]
                subject = ngettext(
                    "Your notification of the day",
                    "Your %(count)s notifications of the day",
                    len(items),
                ) % {"count": len(items)}
                _send(user, _compose(user, subject, "digest", {"items": items}, _attachments(mine)))
        except Exception:
            _release([n.pk for n in mine], stamp)
            raise
        sent += 1
    logger.info("notification digests sent", extra={"count": sent})
    return sent

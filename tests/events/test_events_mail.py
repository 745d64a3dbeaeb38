"""Event e-mails: notifications (events/notices.py) e-mailed once per person as they chose, in each
recipient's language, with the .ics attached; a task run twice sends nothing twice. (Tasks run
eagerly here, the e-mails once the notifications' transaction commits; tests/integration runs the
real worker.)"""

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from events import notify, tasks
from events import services as planning
from events.models import EventRegistration, RegistrationStatus
from labs.models import Invitation, InvitationRole
from notifications import tasks as notification_tasks
from notifications.languages import mail_languages
from notifications.models import Delivery, Notification, NotificationPreference

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_events_calendar import make_event, register

BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_tandem_a(tandem_a, lab_x, participation_a, coordinator):
    """Tandem A was invited to the platform in English; tandem B has no such invitation (German)."""
    now = timezone.now()
    Invitation.objects.create(
        lab=lab_x,
        participation=participation_a,
        email=tandem_a.email,
        role=InvitationRole.TANDEM_MEMBER,
        token_salt=secrets.token_hex(32),
        token_hash=secrets.token_hex(32),
        language="en",
        invited_by=coordinator,
        expires_at=now + dt.timedelta(days=14),
        accepted_at=now,
        accepted_by=tandem_a,
    )
    return tandem_a


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `fn` and what it queues for the commit (the notifications' e-mails)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result

    return run


def by_recipient() -> dict[str, mail.EmailMessage]:
    messages = {}
    for message in mail.outbox:
        (to,) = message.to
        assert to not in messages, f"two mails to {to}"
        messages[to] = message
    return messages


def calendar_of(message) -> tuple[str, icalendar.Calendar]:
    """The Content-Type and the parsed calendar of the mail's one .ics attachment."""
    parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    (part,) = parts
    assert part.get_content_disposition() == "attachment"
    assert part.get_filename().endswith(".ics")
    return part["Content-Type"], icalendar.Calendar.from_ical(part.get_content())


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_language_is_the_persons_choice_else_the_latest_accepted_invitation(
    english_tandem_a, tandem_b, coordinator
):
    languages = mail_languages([english_tandem_a.pk, tandem_b.pk, coordinator.pk])
    assert languages == {english_tandem_a.pk: "en", tandem_b.pk: "de", coordinator.pk: "de"}
    # the person's own choice comes first
    english_tandem_a.language = "de"
    english_tandem_a.save()
    tandem_b.language = "en"
    tandem_b.save()
    languages = mail_languages([english_tandem_a, tandem_b.pk])
    assert languages == {english_tandem_a.pk: "de", tandem_b.pk: "en"}


def test_invitations_go_once_to_each_person_in_their_language_with_a_request(
    lab_x, cohort_x, english_tandem_a, tandem_b, django_capture_on_commit_callbacks
):
    event = make_event(lab_x, cohorts=[cohort_x])
    a = register(event, english_tandem_a, RegistrationStatus.INVITED)
    b = register(event, tandem_b, RegistrationStatus.INVITED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        planning.event_invitations_mail(registration_ids=[a.pk, b.pk])
        assert not mail.outbox  # nothing before the commit
    # the invitations' task, and the notifications' e-mails it queued on its own commit
    assert len(callbacks) == 2

    messages = by_recipient()
    assert set(messages) == {english_tandem_a.email, tandem_b.email}
    english, german = messages[english_tandem_a.email], messages[tandem_b.email]
    assert english.subject == f"Invitation: {event.title}"
    assert 'lang="en"' in html_of(english)
    assert 'lang="de"' in html_of(german)
    local_start = timezone.localtime(event.starts_at, BERLIN)
    with translation.override("de"):
        german_date = formats.date_format(local_start, "DATE_FORMAT")
    with translation.override("en"):
        english_date = formats.date_format(local_start, "DATE_FORMAT")
    assert german_date in german.body and german_date != english_date
    assert english_date in english.body
    assert "Please register or decline on the event page." in english.body

    content_type, calendar = calendar_of(english)
    assert content_type.startswith("text/calendar")
    assert "method=REQUEST" in content_type.replace('"', "")
    assert calendar["METHOD"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["ATTENDEE"]) == f"mailto:{english_tandem_a.email}"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"

    # the task run again (a retry, a second worker) sends nothing
    assert tasks.send_event_invitations([a.pk, b.pk]) == 0
    assert len(mail.outbox) == 2
    assert EventRegistration.objects.filter(invitation_mailed_at__isnull=False).count() == 2
    # each is a notification on the person's list, with the event's page
    (notification,) = Notification.objects.filter(recipient=english_tandem_a)
    assert notification.kind == "event-invitation"
    assert notification.link == f"/labs/{lab_x.slug}/events/{event.pk}/"


def test_no_invitation_for_a_declined_person_or_a_cancelled_event(lab_x, tandem_a, tandem_b):
    event = make_event(lab_x)
    declined = register(event, tandem_a, RegistrationStatus.DECLINED)
    cancelled_event = make_event(lab_x, cancelled_at=timezone.now())
    invited = register(cancelled_event, tandem_b, RegistrationStatus.INVITED)
    assert tasks.send_event_invitations([declined.pk, invited.pk]) == 0
    assert not mail.outbox


def test_a_change_notice_goes_once_per_version_to_everyone_but_the_declined(
    lab_x, tandem_a, tandem_b, coordinator, funder, committed
):
    event = make_event(lab_x)
    register(event, tandem_a, RegistrationStatus.REGISTERED)
    register(event, tandem_b, RegistrationStatus.WAITLISTED)
    register(event, funder, RegistrationStatus.INVITED)
    register(event, coordinator, RegistrationStatus.DECLINED)
    event.sequence = 1
    event.save()

    assert committed(tasks.send_event_change_notices, event.pk) == 3
    assert set(by_recipient()) == {tandem_a.email, tandem_b.email, funder.email}
    message = mail.outbox[0]
    assert message.subject.endswith(event.title)
    assert 'lang="de"' in html_of(message)
    _content_type, calendar = calendar_of(message)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.walk("VEVENT")[0].decoded("SEQUENCE") == 1

    assert committed(tasks.send_event_change_notices, event.pk) == 0  # run twice: nothing new
    assert len(mail.outbox) == 3

    event.sequence = 2  # the next announced change
    event.save()
    assert committed(tasks.send_event_change_notices, event.pk) == 3
    assert len(mail.outbox) == 6
    # even a claim undone (e.g. restored from a backup) notifies nobody of a version twice
    EventRegistration.objects.update(notified_sequence=1)
    assert committed(tasks.send_event_change_notices, event.pk) == 3
    assert len(mail.outbox) == 6


def test_the_planning_services_send_the_change_and_the_cancellation(
    lab_x, cohort_x, english_tandem_a, django_capture_on_commit_callbacks
):
    event = make_event(lab_x, cohorts=[cohort_x])
    register(event, english_tandem_a, RegistrationStatus.REGISTERED)

    with django_capture_on_commit_callbacks(execute=True):
        planning.event_update(event=event, place="Bürgerhaus, Saal 1")
    (changed,) = mail.outbox
    assert changed.subject == f"Changed: {event.title}"
    assert "Bürgerhaus, Saal 1" in changed.body

    with django_capture_on_commit_callbacks(execute=True):
        planning.event_cancel(event=event)
    cancelled = mail.outbox[1]
    assert cancelled.subject == f"Cancelled: {event.title}"
    content_type, calendar = calendar_of(cancelled)
    assert "method=CANCEL" in content_type.replace('"', "")
    assert calendar["METHOD"] == "CANCEL"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent.decoded("SEQUENCE") == 2
    assert "has been cancelled" in cancelled.body

    # run again, and a late change notice for the cancelled event: nothing more
    assert tasks.send_event_cancellation_notices(event.pk) == 0
    assert tasks.send_event_change_notices(event.pk) == 0
    assert len(mail.outbox) == 2


def test_a_promotion_is_mailed_once(lab_x, english_tandem_a, committed):
    event = make_event(lab_x)
    registration = register(
        event, english_tandem_a, RegistrationStatus.REGISTERED, responded_at=timezone.now()
    )
    assert committed(tasks.send_event_promotion_notice, registration.pk) is True
    assert committed(tasks.send_event_promotion_notice, registration.pk) is False
    (message,) = mail.outbox
    assert message.subject == f"You have a place: {event.title}"
    assert "you are now registered" in message.body
    _content_type, calendar = calendar_of(message)
    assert calendar["METHOD"] == "REQUEST"


def test_a_second_promotion_after_joining_the_waiting_list_again_is_mailed(
    lab_x, tandem_a, committed
):
    event = make_event(lab_x)
    registration = register(event, tandem_a, responded_at=timezone.now())
    assert committed(notify.promotion_mail_send, registration_id=registration.pk)
    # declined, registered again onto the waiting list, promoted again
    EventRegistration.objects.filter(pk=registration.pk).update(responded_at=timezone.now())
    assert committed(notify.promotion_mail_send, registration_id=registration.pk)
    assert not committed(notify.promotion_mail_send, registration_id=registration.pk)
    assert len(mail.outbox) == 2


def test_no_promotion_mail_for_someone_still_waiting(lab_x, tandem_a):
    registration = register(make_event(lab_x), tandem_a, RegistrationStatus.WAITLISTED)
    assert notify.promotion_mail_send(registration_id=registration.pk) is False
    assert not mail.outbox


# --- reminders ---------------------------------------------------------------------------------

# a fixed "now": Tuesday 9 June 2026, 09:05 Berlin time
NOW = dt.datetime(2026, 6, 9, 9, 5, tzinfo=BERLIN)


def test_the_reminder_goes_the_day_before_once_to_registered_people_only(
    lab_x, english_tandem_a, tandem_b, funder, expert, coordinator, committed
):
    tomorrow = make_event(lab_x, start=dt.datetime(2026, 6, 10, 10, 0, tzinfo=BERLIN))
    register(tomorrow, english_tandem_a)
    register(tomorrow, tandem_b)
    register(tomorrow, funder, RegistrationStatus.INVITED)
    register(tomorrow, expert, RegistrationStatus.WAITLISTED)
    register(tomorrow, coordinator, RegistrationStatus.DECLINED)
    in_two_days = make_event(lab_x, start=dt.datetime(2026, 6, 11, 10, 0, tzinfo=BERLIN))
    register(in_two_days, tandem_b)
    cancelled = make_event(
        lab_x, start=dt.datetime(2026, 6, 10, 14, 0, tzinfo=BERLIN), cancelled_at=NOW
    )
    register(cancelled, tandem_b)
    over = make_event(lab_x, start=dt.datetime(2026, 6, 9, 8, 0, tzinfo=BERLIN))
    register(over, tandem_b)

    assert committed(tasks.send_event_reminders, NOW.isoformat()) == 2
    messages = by_recipient()
    assert set(messages) == {english_tandem_a.email, tandem_b.email}
    english = messages[english_tandem_a.email]
    assert english.subject.startswith(f"Reminder: {tomorrow.title} on ")
    # English dates are day-month-year, times 24-hour (en-GB), never US formats
    assert "10 June 2026" in english.subject
    assert "10 June 2026, 10:00 to 13:00 (Berlin time)" in english.body
    assert "June 10" not in english.body and "p.m." not in english.body
    assert "10. Juni 2026" in messages[tandem_b.email].body
    _content_type, calendar = calendar_of(english)
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"event-{tomorrow.pk}@innolab.events"

    # the next hourly runs, and two at once: nothing more
    assert committed(tasks.send_event_reminders, (NOW + dt.timedelta(hours=1)).isoformat()) == 0
    assert committed(notify.reminders_send, now=NOW + dt.timedelta(hours=2)) == 0
    assert len(mail.outbox) == 2
    # the next day's run reminds of the event after it
    assert committed(notify.reminders_send, now=NOW + dt.timedelta(days=1)) == 1
    assert mail.outbox[-1].to == [tandem_b.email]


def test_no_reminders_at_night(lab_x, tandem_a):
    register(make_event(lab_x, start=dt.datetime(2026, 6, 9, 10, 0, tzinfo=BERLIN)), tandem_a)
    assert notify.reminders_send(now=dt.datetime(2026, 6, 9, 7, 59, tzinfo=BERLIN)) == 0
    assert notify.reminders_send(now=dt.datetime(2026, 6, 9, 8, 0, tzinfo=BERLIN)) == 1


def test_someone_who_registers_after_the_reminder_run_is_reminded_at_the_next(lab_x, tandem_a):
    event = make_event(lab_x, start=dt.datetime(2026, 6, 10, 10, 0, tzinfo=BERLIN))
    assert notify.reminders_send(now=NOW) == 0
    register(event, tandem_a)
    assert notify.reminders_send(now=NOW + dt.timedelta(hours=5)) == 1


def test_a_failed_send_leaves_the_reminder_due(lab_x, tandem_a, monkeypatch):
    """The reminder is a notification whose e-mail the notifications' task retries until it
    went out; the reminder itself is not created twice."""
    register(make_event(lab_x, start=dt.datetime(2026, 6, 10, 10, 0, tzinfo=BERLIN)), tandem_a)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    assert notify.reminders_send(now=NOW) == 1
    (reminder,) = Notification.objects.filter(kind="event-reminder")
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        notification_tasks.send_notification_mails(reminder.key)
    reminder.refresh_from_db()
    assert reminder.emailed_at is None and not mail.outbox
    monkeypatch.undo()
    assert notification_tasks.send_notification_mails(reminder.key) == 1
    assert calendar_of(mail.outbox[0])[1]["METHOD"] == "REQUEST"
    assert notify.reminders_send(now=NOW) == 0


def test_the_attachment_keeps_the_crlf_line_ends_icalendar_requires(lab_x, tandem_a, committed):
    registration = register(make_event(lab_x), tandem_a, RegistrationStatus.INVITED)
    committed(notify.invitation_mails_send, registration_ids=[registration.pk])
    (part,) = [
        p for p in mail.outbox[0].message().walk() if p.get_content_type() == "text/calendar"
    ]
    raw = part.get_payload(decode=True)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert part.get_content_charset() == "utf-8"


# --- the person's choice ------------------------------------------------------------------------


def test_event_notices_follow_the_persons_choice(
    lab_x, english_tandem_a, tandem_b, funder, committed
):
    """Right away (the default), in the daily summary with the calendar file, or only on the
    platform: as the person chose for all notifications."""
    NotificationPreference.objects.create(user=english_tandem_a, delivery=Delivery.DAILY)
    NotificationPreference.objects.create(user=funder, delivery=Delivery.NONE)
    event = make_event(lab_x, start=dt.datetime(2026, 6, 10, 10, 0, tzinfo=BERLIN))
    for person in (english_tandem_a, tandem_b, funder):
        register(event, person, RegistrationStatus.INVITED)
    event.sequence = 1
    event.save()

    assert committed(tasks.send_event_change_notices, event.pk) == 3
    (immediate,) = mail.outbox
    assert immediate.to == [tandem_b.email]
    assert immediate.subject == f"Geändert: {event.title}"
    assert Notification.objects.filter(kind="event-changed").count() == 3

    assert notification_tasks.send_notification_digests() == 1
    digest = mail.outbox[1]
    assert digest.to == [english_tandem_a.email]
    assert digest.subject == "Your notification of the day"
    assert f"“{event.title}” on 10 June 2026 has changed." in digest.body
    content_type, calendar = calendar_of(digest)
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"event-{event.pk}@innolab.events"
    # "none": on the list, never e-mailed; and no summary twice
    assert notification_tasks.send_notification_digests() == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.get(recipient=funder).emailed_at is None


def test_the_summary_carries_one_calendar_entry_per_event_the_newest(lab_x, tandem_a, committed):
    NotificationPreference.objects.create(user=tandem_a, delivery=Delivery.DAILY)
    event = make_event(lab_x)
    registration = register(event, tandem_a, RegistrationStatus.INVITED)
    committed(notify.invitation_mails_send, registration_ids=[registration.pk])
    event.cancelled_at = timezone.now()
    event.sequence = 1
    event.save()
    committed(notify.cancellation_notices_send, event_id=event.pk)
    assert not mail.outbox

    assert notification_tasks.send_notification_digests() == 1
    (digest,) = mail.outbox
    assert digest.subject == "Ihre 2 Benachrichtigungen des Tages"
    content_type, calendar = calendar_of(digest)
    assert calendar["METHOD"] == "CANCEL"


def test_beat_schedules_a_task_the_worker_knows():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()  # what the worker does at start: autodiscovery
    task = settings.CELERY_BEAT_SCHEDULE["event-reminders"]["task"]
    assert task in app.tasks
    for name in (
        "send_event_invitations",
        "send_event_change_notices",
        "send_event_cancellation_notices",
        "send_event_promotion_notice",
    ):
        assert f"events.tasks.{name}" in app.tasks

"""The event reminder runs in a real Celery worker (Redis broker, the test database) and, run
twice, reminds each registered person exactly once, with the .ics attached: the reminder task
creates the notifications, whose e-mails a second task sends once it committed."""

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import Event, EventRegistration, EventType, RegistrationStatus
from events.tasks import send_event_reminders
from labs import services

pytestmark = pytest.mark.integration

TASK = "events.tasks.send_event_reminders"
MAIL_TASK = "notifications.tasks.send_notification_mails"
BERLIN = ZoneInfo("Europe/Berlin")


def _wait_for_runs(worker_log, runs: int, timeout=30.0, task=TASK) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = [
            line
            for line in worker_log.read_text().splitlines()
            if task in line and "succeeded" in line
        ]
        if len(lines) >= runs:
            return lines
        assert time.monotonic() < deadline, worker_log.read_text()
        time.sleep(0.2)


def _mails(mail_dir) -> str:
    return "".join(f.read_text() for f in sorted(mail_dir.glob("*.log")))


def test_the_reminder_task_run_twice_in_the_worker_reminds_each_person_once(
    celery_worker_process,
):
    mail_dir = celery_worker_process
    assert settings.CELERY_BEAT_SCHEDULE["event-reminders"]["task"] == TASK
    User = get_user_model()
    coordinator = User.objects.create_user(email="k@example.org", password="x" * 14)
    lab = services.lab_create(created_by=coordinator, slug="lab-r", name="Lab R")
    # "now" for the task: 09:00 Berlin time today; the event tomorrow at 10:00
    now = timezone.localtime(timezone.now(), BERLIN).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    start = (now + dt.timedelta(days=1)).replace(hour=10)
    event = Event.objects.create(
        lab=lab,
        type=EventType.objects.get(lab=None, code="kickoff"),
        title="Netzwerktreffen",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    people = {}
    for email, status in [
        ("ada@example.org", RegistrationStatus.REGISTERED),
        ("bob@example.org", RegistrationStatus.REGISTERED),
        ("cem@example.org", RegistrationStatus.INVITED),
        ("dia@example.org", RegistrationStatus.DECLINED),
    ]:
        people[email] = User.objects.create_user(email=email, password="x" * 14)
        EventRegistration.objects.create(event=event, user=people[email], status=status)

    # twice, as when beat's hourly run and a retry or a second worker overlap
    send_event_reminders.apply_async(args=[now.isoformat()])
    send_event_reminders.apply_async(args=[now.isoformat()])

    runs = _wait_for_runs(mail_dir.parent / "worker.log", 2)
    assert sorted(line.rsplit(":", 1)[1].strip() for line in runs) == ["0", "2"]
    (mailed,) = _wait_for_runs(mail_dir.parent / "worker.log", 1, task=MAIL_TASK)
    assert mailed.rsplit(":", 1)[1].strip() == "2"
    text = _mails(mail_dir)
    assert sorted(re.findall(r"^To: (\S+)$", text, flags=re.M)) == [
        "ada@example.org",
        "bob@example.org",
    ]
    assert text.count('Content-Type: text/calendar; charset="utf-8"; method="REQUEST"') == 2
    assert "Netzwerktreffen" in text
    assert EventRegistration.objects.filter(reminded_at__isnull=False).count() == 2

"""A report request while the broker is away: the run is stored as queued, the coordinator is told
it will be produced when the job queue is back, and dispatch_queued_report_runs sends it later
(once per interval; a run sent a moment ago is left alone)."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from config.celery import app as celery_app
from reports import tasks
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """A fake broker: `broker.up` decides whether a publish fails; `broker.sent` the run ids."""

    class Broker:
        up = True
        sent: list = []

    fake = Broker()
    fake.sent = []

    def apply_async(args, **kwargs):
        if not fake.up:
            raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Refused.")
        fake.sent.append(args[0])

    monkeypatch.setattr(tasks.render_report, "apply_async", apply_async)
    celery_app.conf.task_always_eager = False
    yield fake
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def draft(world, coordinator):
    return ReportDraft.objects.create(
        lab=world["lab_x"], cohort=world["cohort_x"], kind=ReportKind.FINAL, title="Bericht",
        created_by=coordinator,
    )  # fmt: skip


def _generate(client, draft):
    url = reverse("report_generate", args=[draft.lab.slug, draft.pk])
    return client.post(url, follow=True)


# transactional: the dispatch runs on commit, as in production (not inside a test transaction)
@pytest.mark.django_db(transaction=True)
def test_a_request_while_the_broker_is_down_is_kept_queued_with_a_message(client_as, draft, broker):
    broker.up = False
    response = _generate(client_as("coordinator"), draft)

    assert response.status_code == 200
    text = response.content.decode()
    assert "as soon as the job queue is reachable again" in text
    assert "The PDF is queued" not in text
    run = ReportRun.objects.get(draft=draft)
    assert (run.status, run.attempts, run.pdf.name) == (RunStatus.QUEUED, 0, "")
    assert broker.sent == []

    # asking again finds the same queued run: still one run, nothing sent
    _generate(client_as("coordinator"), draft)
    assert ReportRun.objects.filter(draft=draft).count() == 1

    # the beat task sends it once the broker is back and the run has waited long enough
    broker.up = True
    assert tasks.dispatch_queued_report_runs() == 0  # too young
    ReportRun.objects.filter(pk=run.pk).update(
        requested_at=timezone.now() - dt.timedelta(seconds=settings.REPORT_RUN_REDISPATCH_AFTER + 1)
    )
    assert tasks.dispatch_queued_report_runs() == 1
    assert broker.sent == [run.pk]
    # sent a moment ago: left alone by the next beat
    assert tasks.dispatch_queued_report_runs() == 0
    assert broker.sent == [run.pk]


@pytest.mark.django_db(transaction=True)
def test_a_request_with_the_broker_up_is_sent_at_once(client_as, draft, broker):
    response = _generate(client_as("coordinator"), draft)
    assert "The PDF is queued" in response.content.decode()
    run = ReportRun.objects.get(draft=draft)
    assert broker.sent == [run.pk]


def test_redispatch_stops_at_the_first_failure_and_skips_finished_runs(draft, broker):
    old = timezone.now() - dt.timedelta(hours=1)
    queued = [
        ReportRun.objects.create(draft=draft, key=f"k{i}", requested_at=old) for i in range(3)
    ]
    ReportRun.objects.create(draft=draft, key="done", status=RunStatus.DONE, requested_at=old)
    broker.up = False
    assert tasks.redispatch_queued() == 0
    broker.up = True
    assert tasks.redispatch_queued() == 3
    assert sorted(broker.sent) == sorted(r.pk for r in queued)


def test_the_beat_runs_the_redispatch():
    entry = settings.CELERY_BEAT_SCHEDULE["dispatch-queued-report-runs"]
    assert entry["task"] == tasks.dispatch_queued_report_runs.name
    assert entry["schedule"] <= settings.REPORT_RUN_REDISPATCH_AFTER

"""The survey reminder runs in a real Celery worker (Redis broker, the test database) and, run
twice, reminds each person who has not answered exactly once."""

import datetime as dt
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from evaluations import services as survey_services
from evaluations.models import SurveyLink
from evaluations.tasks import send_survey_reminders
from labs import services

from ..evaluations.builders import make_survey

pytestmark = pytest.mark.integration

TASK = "evaluations.tasks.send_survey_reminders"


def _wait_for_runs(worker_log, runs: int, timeout=30.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = [
            line
            for line in worker_log.read_text().splitlines()
            if TASK in line and "succeeded" in line
        ]
        if len(lines) >= runs:
            return lines
        assert time.monotonic() < deadline, worker_log.read_text()
        time.sleep(0.2)


def _recipients(mail_dir) -> list[str]:
    text = "".join(f.read_text() for f in sorted(mail_dir.glob("*.log")))
    return re.findall(r"^To: (\S+)$", text, flags=re.M)


def test_the_reminder_task_run_twice_in_the_worker_reminds_each_person_once(
    celery_worker_process, client
):
    mail_dir = celery_worker_process
    coordinator = get_user_model().objects.create_user(email="k@example.org", password="x" * 14)
    lab = services.lab_create(created_by=coordinator, slug="lab-e", name="Lab E")
    cohort = services.cohort_create(lab=lab, slug="k1", name="Kohorte 1")
    survey = make_survey(cohort)
    links = survey_services.links_create(
        survey=survey, emails=["ada@example.org", "bob@example.org", "cem@example.org"]
    )
    SurveyLink.objects.update(sent_at=timezone.now() - dt.timedelta(days=3))
    survey_services.response_submit(survey=survey, values={"q_agree": 1}, link=links[1])

    # once through the page (the task is queued on commit), once more straight to the broker
    client.force_login(coordinator)
    response = client.post(reverse("survey_remind", args=[lab.slug, cohort.slug, survey.slug]))
    assert response.status_code == 302
    send_survey_reminders.apply_async(args=[survey.pk, "http://innolab.example"])

    runs = _wait_for_runs(mail_dir.parent / "worker.log", 2)
    assert sorted(line.rsplit(":", 1)[1].strip() for line in runs) == ["0", "2"]
    assert sorted(_recipients(mail_dir)) == ["ada@example.org", "cem@example.org"]
    body = "".join(f.read_text() for f in mail_dir.glob("*.log"))
    assert f"/s/{survey_services.link_token(links[0])}/" in body
    assert f"/s/{survey_services.link_token(links[1])}/" not in body
    assert SurveyLink.objects.filter(reminded_at__isnull=False).count() == 2

"""Redis stopped under a running site (gunicorn, its own Redis as cache and broker, the test
database): pages still render (the cache degrades, sessions live in the database), /healthz says
503 within seconds, a report request is stored as queued with a clear message and nothing else;
when Redis is back, the periodic re-dispatch sends it and a real worker renders it exactly once."""

import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from labs.models import Invitation
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus

from .procs import (
    ROOT,
    django_env,
    fetch,
    gunicorn,
    opener,
    own_redis,
    run_django,
    stop_process,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _health(base: str) -> tuple[int, str, float]:
    started = time.monotonic()
    code, body, _headers = fetch(base + "/healthz", timeout=15)
    return code, body, time.monotonic() - started


def _start_worker(env: dict, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - the worker keeps it; closed with the process
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
         "-n", "faults-redis-down@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    try:
        wait_for(
            lambda: worker.poll() is not None or " ready." in log_path.read_text(),
            60,
            "the worker starting",
            log_path,
        )
    except BaseException:
        stop_process(worker)
        raise
    assert worker.poll() is None, log_path.read_text()
    return worker


def test_redis_down_pages_render_reports_wait_and_run_once_redis_is_back(
    transactional_db, tmp_path, coordinator, lab_x, cohort_x, participation_a
):
    draft = ReportDraft.objects.create(
        lab=lab_x, cohort=cohort_x, kind=ReportKind.FINAL, title="Abschlussbericht",
        created_by=coordinator,
    )  # fmt: skip
    login = Client()
    login.force_login(coordinator)  # the session is a row in the database, not in Redis
    cookies = {
        settings.SESSION_COOKIE_NAME: login.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.LANGUAGE_COOKIE_NAME: "en",
    }
    dashboard = reverse("cohort_dashboard", args=[lab_x.slug, cohort_x.slug])
    mission = reverse(
        "mission_profile",
        kwargs={
            "lab_slug": lab_x.slug,
            "cohort_slug": cohort_x.slug,
            "participation_id": participation_a.pk,
        },
    )
    media = tmp_path / "media"
    mail = tmp_path / "mail"
    mail.mkdir()

    with own_redis() as redis:
        env = django_env(
            _database_url(),
            REDIS_URL=redis.url(0),
            CELERY_BROKER_URL=redis.url(1),
            MEDIA_ROOT=str(media),
            EMAIL_FILE_PATH=str(mail),
        )
        with gunicorn(env, tmp_path / "web.log", workers=1, threads=4) as (base, _master):
            browser = opener(cookies)
            assert fetch(base + dashboard, client=browser)[0] == 200
            code, body, _seconds = _health(base)
            assert '"broker": {"ok": true}' in body, body  # (no worker yet: 503 anyway)

            redis.stop()

            # pages render: the cache answers as a miss, the session comes from the database
            for path in (dashboard, mission, reverse("report_draft", args=[lab_x.slug, draft.pk])):
                code, body, _headers = fetch(base + path, client=browser, timeout=10)
                assert code == 200, (path, code, body[-2000:])
            # the log-in page too (allauth's rate limit reads the cache)
            assert fetch(base + "/accounts/login/", timeout=10)[0] == 200

            # /healthz tells the load balancer, in bounded time
            code, body, seconds = _health(base)
            assert code == 503, body
            assert '"broker": {"ok": false' in body, body
            assert seconds < 5, seconds

            # a report request: accepted, stored as queued, the person told why it waits
            csrf = next(c.value for c in browser.jar if c.name == settings.CSRF_COOKIE_NAME)
            started = time.monotonic()
            code, _body, headers = fetch(
                base + reverse("report_generate", args=[lab_x.slug, draft.pk]),
                data=urlencode({"csrfmiddlewaretoken": csrf}).encode(),
                client=browser,
                headers={"Referer": base + "/"},
            )
            assert time.monotonic() - started < 8, "the request waited too long on the broker"
            assert code == 302, code
            code, page, _headers = fetch(base + headers["Location"], client=browser)
            assert code == 200
            assert "as soon as the job queue is reachable again" in page, page[-3000:]

            # an invitation: saved, and the unsent mail is logged instead of an error page
            code, _body, headers = fetch(
                base + reverse("invitation_create", args=[lab_x.slug]),
                data=urlencode(
                    {"csrfmiddlewaretoken": csrf, "email": "neu@example.org", "role": "funder"}
                ).encode(),
                client=browser,
                headers={"Referer": base + "/"},
            )
            assert code == 302, (code, _body[-2000:])
            assert Invitation.objects.filter(email="neu@example.org").count() == 1

            run = ReportRun.objects.get(draft=draft)
            assert (run.status, run.attempts, run.pdf.name) == (RunStatus.QUEUED, 0, "")
            assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))

            # Redis is back: the web process reconnects by itself
            redis.start()
            wait_for(
                lambda: '"broker": {"ok": true}' in _health(base)[1],
                15,
                "the broker check recovering",
                tmp_path / "web.log",
            )

        # the beat's task sends the queued run (twice here: a double dispatch renders once)
        send_twice = (
            "import datetime\nfrom reports import tasks\n"
            "print(tasks.redispatch_queued(datetime.timedelta(0)),"
            " tasks.redispatch_queued(datetime.timedelta(0)))"
        )
        assert run_django(send_twice, env).split() == ["1", "1"]
        worker = _start_worker(env, tmp_path / "worker.log")
        try:
            wait_for(
                lambda: (
                    ReportRun.objects.get(pk=run.pk).status in (RunStatus.DONE, RunStatus.FAILED)
                ),
                150,
                "the report run finishing",
                tmp_path / "worker.log",
            )
            # the second message arrives and finds the run done
            wait_for(
                lambda: (tmp_path / "worker.log").read_text().count("succeeded in") >= 2,
                30,
                "the second delivery",
                tmp_path / "worker.log",
            )
        finally:
            stop_process(worker)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.attempts == 1
    assert ReportRun.objects.filter(draft=draft).count() == 1
    files = [p for p in media.rglob("*") if p.is_file()]
    assert files == [media / run.pdf.name]
    # a run that is done is never sent again
    assert run_django(
        "from reports import tasks\nimport datetime\n"
        "print(tasks.redispatch_queued(datetime.timedelta(0)))",
        env,
    ).split() == ["0"]

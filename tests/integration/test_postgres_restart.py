"""PostgreSQL restarted under traffic: gunicorn (persistent connections with health checks, as in
production) keeps serving; requests during the outage get the short 503 "temporarily unavailable"
page quickly instead of hanging or a 500, and within seconds after the restart the same worker
processes answer 200 again (no process restarted)."""

import threading
import time
from dataclasses import dataclass

import pytest
from django.conf import settings

from .procs import copy_schema, django_env, fetch, gunicorn, opener, own_postgres, run_django
from .procs import worker_pids as gunicorn_workers

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

SETUP = """
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from tests.factories import LabFactory, UserFactory
user = UserFactory(email="ruth.restart@example.org", name="Ruth Restart")
lab = LabFactory(slug="restart-lab", name="Restart Lab", created_by=user)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@dataclass
class Hit:
    started: float
    seconds: float
    status: int  # 0: no HTTP answer at all
    unavailable_page: bool


def _traffic(url: str, cookies: dict, hits: list, stop: threading.Event, limit: int = 2000):
    """One client: a request every 50 ms until told to stop (bounded in count and time)."""
    client = opener(cookies)
    deadline = time.monotonic() + 120
    while not stop.is_set() and len(hits) < limit and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            code, body, _headers = fetch(url, client=client, timeout=15)
        except OSError:
            code, body = 0, ""
        hits.append(
            Hit(started, time.monotonic() - started, code, "Temporarily unavailable" in body)
        )
        time.sleep(0.05)


def test_the_site_recovers_from_a_postgres_restart_without_restarting_its_processes(db, tmp_path):
    from django.db import connection

    with own_postgres() as pg:
        copy_schema(connection.settings_dict, pg, "innolab_restart")
        env = django_env(pg.url("innolab_restart"), DB_CONN_MAX_AGE="60")
        session_key = run_django(SETUP, env).strip().splitlines()[-1]
        cookies = {settings.SESSION_COOKIE_NAME: session_key, settings.LANGUAGE_COOKIE_NAME: "en"}

        with gunicorn(env, tmp_path / "web.log", workers=2, threads=2) as (base, master):
            url = base + "/labs/restart-lab/"
            code, body, _headers = fetch(url, client=opener(cookies))
            assert code == 200 and "Restart Lab" in body, (code, body[-2000:])
            pids = gunicorn_workers(master)
            assert len(pids) == 2

            hits: list[Hit] = []
            stop = threading.Event()
            clients = [
                threading.Thread(target=_traffic, args=(url, cookies, hits, stop), daemon=True)
                for _ in range(3)
            ]
            for client in clients:
                client.start()
            try:
                time.sleep(2)  # traffic on persistent connections
                restart_began = time.monotonic()
                pg.ctl("restart", "-m", "fast")
                restarted = time.monotonic()
                # until 15 requests in a row succeeded after the restart, at most 20 s
                while time.monotonic() < restarted + 20:
                    after = [h for h in hits if h.started > restarted]
                    if len(after) >= 15 and all(h.status == 200 for h in after[-15:]):
                        break
                    time.sleep(0.2)
            finally:
                stop.set()
                for client in clients:
                    client.join(timeout=20)

            assert master.poll() is None
            assert gunicorn_workers(master) == pids, "a worker process was restarted"

    log = (tmp_path / "web.log").read_text(errors="replace")
    print("statuses:", [h.status for h in hits], "slowest:", max(h.seconds for h in hits))
    before = [h for h in hits if h.started + h.seconds < restart_began]
    after = [h for h in hits if h.started > restarted]
    assert before and all(h.status == 200 for h in before), [h.status for h in before]
    # every request got an answer, quickly: no hangs, no dropped connections
    assert all(h.status for h in hits), log[-3000:]
    assert max(h.seconds for h in hits) < 10, max(h.seconds for h in hits)
    # what failed failed as "temporarily unavailable", never as a server error
    failed = [h for h in hits if h.status != 200]
    assert all(h.status == 503 and h.unavailable_page for h in failed), (
        sorted({h.status for h in failed}),
        log[-3000:],
    )
    # and it recovered within 10 s of the restart, staying up
    first_ok = next(h for h in after if h.status == 200)
    assert first_ok.started - restarted < 10
    assert len(after) >= 15 and all(h.status == 200 for h in after[-15:]), [h.status for h in after]

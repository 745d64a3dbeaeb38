"""The processes docker-compose.yml declares — gunicorn (web), the Celery worker and beat — run
with the SAME commands, production settings, the test PostgreSQL and Redis.

Only what cannot be the same outside a container differs: the interpreter runs them as
`python -m gunicorn|celery`, gunicorn binds to a free port on 127.0.0.1 (GUNICORN_CMD_ARGS, which
gunicorn lets override its config file), beat keeps its schedule in a temporary file, and the
queue has a name of its own (CELERY_QUEUE) so parallel test runs on one Redis stay apart.
Static files are collected first with the Dockerfile's command (whitenoise's compressed manifest
storage), into a temporary STATIC_ROOT.
"""

import datetime as dt
import json
import os
import secrets
import shelve
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import celery
import pytest
import yaml
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client, override_settings

from labs import services
from labs.models import Invitation

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = secrets.token_urlsafe(64)
REQUEST_ID = "abc123-processes-test"


def _compose_command(service: str) -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = list(compose["services"][service]["command"])
    assert command[0] in ("gunicorn", "celery")
    return [sys.executable, "-m", *command]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp_path: Path, static_root: Path, queue: str) -> dict:
    db = connection.settings_dict
    drop = {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "GUNICORN_CMD_ARGS"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and not k.startswith(("SENTRY_", "LOG_", "CELERY_", "EMAIL_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": SECRET_KEY,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
                f"/{db['NAME']}"
            ),
            "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
            "CELERY_QUEUE": queue,
            "EMAIL_URL": "dummymail://",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "WEB_CONCURRENCY": "2",
        }
    )
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """collectstatic as the Dockerfile runs it, with production settings."""
    root = tmp_path_factory.mktemp("staticfiles")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "python manage.py collectstatic --noinput" in dockerfile
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "build-only-placeholder-0123456789abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": "postgres://build@localhost/build",
            "CELERY_BROKER_URL": "redis://localhost:6379/1",
            "STATIC_ROOT": str(root),
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((root / "staticfiles.json").read_text())
    assert manifest["paths"]
    return root


class Process:
    """A started process with its stdout and stderr in files; stopped within a bounded time."""

    def __init__(self, name: str, command: list[str], env: dict, folder: Path):
        self.name = name
        self.stdout_path = folder / f"{name}.out"
        self.stderr_path = folder / f"{name}.err"
        self._out = open(self.stdout_path, "w")  # noqa: SIM115 - closed in stop()
        self._err = open(self.stderr_path, "w")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._out, stderr=self._err
        )

    def lines(self) -> list[str]:
        return self.stdout_path.read_text().splitlines()

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.lines() if line.strip()]

    def tail(self) -> str:
        return (
            f"--- {self.name} stdout ---\n{self.stdout_path.read_text()[-3000:]}\n"
            f"--- {self.name} stderr ---\n{self.stderr_path.read_text()[-3000:]}"
        )

    def stop(self, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self._out.close()
        self._err.close()


def _wait_for(predicate, timeout: float, what: str, *processes: Process):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        for process in processes:
            if process.popen.poll() is not None:
                raise AssertionError(
                    f"{process.name} exited while waiting for {what}\n" + (process.tail())
                )
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what}: not within {timeout} s\n" + "\n".join(p.tail() for p in processes)
            )
        time.sleep(0.3)


def _request(port: int, path: str, *, method="GET", data=None, headers=None):
    """One request as the TLS proxy would forward it; (status, headers, body). No redirects."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"X-Forwarded-Proto": "https", **(headers or {})},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, None, b""


def _coordinator_session(lab_slug: str) -> tuple[str, object]:
    """A logged-in coordinator (with an authenticator, as production requires) and the value of
    the session cookie the production processes accept (signed with their SECRET_KEY)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email="k.prozesse@example.org", password="x" * 16, name="Koordination"
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    lab = services.lab_create(created_by=user, slug=lab_slug, name="Lab Prozesse")
    with override_settings(SECRET_KEY=SECRET_KEY):
        client = Client()
        client.force_login(user)
        from django.conf import settings

        session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return session, lab


def _seed_beat_schedule(path: Path, entry_name: str) -> None:
    """A schedule file in which `entry_name` last ran an hour ago: beat sends it at once."""
    from celery.beat import ScheduleEntry

    from config.celery import app

    entry = app.conf.beat_schedule[entry_name]
    with shelve.open(str(path)) as store:  # noqa: S301 - our own file, as celery beat uses it
        store["entries"] = {
            entry_name: ScheduleEntry(
                name=entry_name,
                task=entry["task"],
                schedule=entry["schedule"],
                last_run_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                app=app,
            )
        }
        store["__version__"] = celery.__version__
        store["tz"] = app.conf.timezone
        store["utc_enabled"] = app.conf.enable_utc


def test_web_worker_and_beat_run_as_declared_with_json_logs_and_one_request_id(
    transactional_db, static_root, tmp_path
):
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.fail("The integration tests need CELERY_BROKER_URL=redis://… (see scripts/test).")
    queue = f"processes-{os.getpid()}"
    env = _environment(tmp_path, static_root, queue)
    port = _free_port()
    session, lab = _coordinator_session("lab-prozesse")
    schedule = tmp_path / "celerybeat-schedule"
    beat_entry = "dispatch-queued-report-runs"
    _seed_beat_schedule(schedule, beat_entry)

    web_command = _compose_command("web")
    worker_command = _compose_command("worker")
    beat_command = [
        f"--schedule={schedule}" if part.startswith("--schedule=") else part
        for part in _compose_command("beat")
    ]
    assert beat_command != _compose_command("beat")  # the schedule option was there

    with ExitStack() as stack:
        web = Process(
            "web",
            web_command,
            {**env, "GUNICORN_CMD_ARGS": f"--bind=127.0.0.1:{port}"},
            tmp_path,
        )
        stack.callback(web.stop)
        worker = Process("worker", worker_command, env, tmp_path)
        stack.callback(worker.stop)
        beat = Process("beat", beat_command, env, tmp_path)
        stack.callback(beat.stop)

        # /healthz through gunicorn: 200 once the database, the broker and a worker answer
        health = _wait_for(
            lambda: (r := _request(port, "/healthz"))[0] == 200 and r,
            90,
            "GET /healthz answering 200",
            web,
            worker,
        )
        assert json.loads(health[2])["status"] == "ok"

        # a request with the proxy's request id that starts a Celery task (the invitation mail)
        csrf = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and field
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "email": "neu@example.org",
                "name": "Neue Person",
                "role": "funder",
            }
        ).encode()
        status, headers, content = _request(
            port,
            f"/labs/{lab.slug}/invitations/new/",
            method="POST",
            data=body,
            headers={
                "X-Request-ID": REQUEST_ID,
                "Cookie": f"__Host-sessionid={session}; __Host-csrftoken={csrf}",
                "Origin": f"https://127.0.0.1:{port}",
                "Referer": f"https://127.0.0.1:{port}/labs/{lab.slug}/invitations/new/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert status == 302, (status, content[:2000], web.tail())
        assert headers["X-Request-ID"] == REQUEST_ID
        assert Invitation.objects.filter(email="neu@example.org").exists()

        def task_lines():
            return [
                line
                for line in worker.json_lines()
                if "labs.tasks.send_invitation_email" in line.get("message", "")
                and "succeeded" in line.get("message", "")
            ]

        done = _wait_for(task_lines, 60, "the invitation task in the worker's log", worker)
        assert done[0]["request_id"] == REQUEST_ID
        assert done[0]["task_name"] == "labs.tasks.send_invitation_email"
        assert done[0]["level"] == "INFO"

        # a static file from the compressed manifest, served by whitenoise through gunicorn
        manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
        hashed = (
            manifest["css/app.css"]
            if "css/app.css" in manifest
            else next(v for k, v in manifest.items() if k.endswith(".css"))
        )
        status, headers, _content = _request(
            port, f"/static/{hashed}", headers={"Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]

        # beat sends the entry that is due, and the worker runs it
        _wait_for(
            lambda: any(
                "Sending due task" in x.get("message", "") and beat_entry in x["message"]
                for x in beat.json_lines()
            ),
            60,
            "beat sending the due task",
            beat,
        )
        _wait_for(
            lambda: any(
                "dispatch_queued_report_runs" in x.get("message", "")
                and "succeeded" in x.get("message", "")
                for x in worker.json_lines()
            ),
            60,
            "the worker running beat's task",
            worker,
        )

        # every web line is JSON: gunicorn's own, the access log with the request id, Django's
        web_lines = web.json_lines()
        access = [x for x in web_lines if x.get("logger") == "gunicorn.access"]
        posted = [x for x in access if x.get("method") == "POST"]
        assert posted and posted[0]["request_id"] == REQUEST_ID
        assert posted[0]["status"] == 302
        assert any(x.get("logger") == "gunicorn.error" for x in web_lines)
        assert all("level" in x and "timestamp" in x for x in web_lines)
        assert worker.json_lines() and beat.json_lines()

    for process in (web, worker, beat):
        assert process.popen.poll() is not None, f"{process.name} still running"

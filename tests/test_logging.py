"""Structured logs, the request id and Sentry (config/logging.py, config/request_id.py,
config/celery.py, config/settings/production.py).

The processes themselves (gunicorn, worker, beat with production settings) are run in
tests/integration/test_processes.py; here the parts are checked one by one."""

import io
import json
import logging
import logging.config
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from gunicorn.glogging import SafeAtoms

from config import celery as celery_module
from config import request_id
from config.celery import app as celery_app
from config.logging import (
    GunicornAccessJsonFormatter,
    JsonFormatter,
    TextFormatter,
    build_gunicorn_logging,
    build_logging,
)

ROOT = Path(__file__).resolve().parents[1]
HEX32 = re.compile(r"[0-9a-f]{32}")


@celery_app.task(name="tests.test_logging.probe")
def probe() -> str | None:
    logging.getLogger("innolab").info("probe ran")
    return request_id.get_request_id()


class Collect(logging.Handler):
    """Keeps the records it is given, through the same filter as the real handlers."""

    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(request_id.RequestIdFilter())

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def collect():
    handler = Collect()
    loggers = [logging.getLogger(name) for name in ("django.request", "innolab", "celery")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


# --- the middleware ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sane_request_id_from_the_proxy_is_kept_and_on_the_log_lines(collect):
    response = Client().get("/no-such-page/", headers={"X-Request-ID": "abc123-proxy.id"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "abc123-proxy.id"
    logged = [r for r in collect.records if r.name == "django.request"]
    assert logged and all(r.request_id == "abc123-proxy.id" for r in logged)
    # outside the request the id is gone again
    assert request_id.get_request_id() is None


@pytest.mark.parametrize(
    "sent",
    [None, "", "has space", 'quote"d', "line\nbreak", "x" * 129, "-starts-with-dash", "ümlaut"],
)
@pytest.mark.django_db
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(sent):
    headers = {} if sent is None else {"X-Request-ID": sent}
    first = Client().get("/no-such-page/", headers=headers)["X-Request-ID"]
    second = Client().get("/no-such-page/", headers=headers)["X-Request-ID"]
    assert HEX32.fullmatch(first) and HEX32.fullmatch(second)
    assert first != second


def test_request_id_values_accepted_from_proxies():
    for value in [
        "0f3c9a7e5b1d4e2f8a6c0b9d7e5f3a1c",
        "req-42",
        "Root=1-67891233-abcdef",
        "a" * 128,
    ]:
        assert request_id.sane_request_id(value) == value


# --- formatters ----------------------------------------------------------------------------------


def _record(msg="hello %s", args=("world",), name="innolab", **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_level_logger_message_time_and_request_id():
    token = request_id.set_request_id("abc123")
    try:
        record = _record(status_code=404, request=object())
        request_id.RequestIdFilter().filter(record)
    finally:
        request_id.reset_request_id(token)
    line = JsonFormatter(fmt=["levelname", "name", "message", "request_id", "process"]).format(
        record
    )
    data = json.loads(line)
    assert data["level"] == "WARNING"
    assert data["logger"] == "innolab"
    assert data["message"] == "hello world"
    assert data["request_id"] == "abc123"
    assert data["status_code"] == 404
    assert "request" not in data
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", data["timestamp"])


def test_text_lines_end_with_the_message_and_show_a_dash_without_request_id():
    record = _record()
    request_id.RequestIdFilter().filter(record)
    line = TextFormatter("%(levelname)s [%(request_id)s] %(name)s: %(message)s").format(record)
    assert line == "WARNING [-] innolab: hello world"


def test_gunicorn_access_lines_as_json_with_the_request_id_from_the_response():
    atoms = SafeAtoms(
        {
            "h": "127.0.0.1",
            "m": "GET",
            "U": "/healthz",
            "q": "",
            "s": "200",
            "B": 123,
            "M": 7,
            "a": 'curl/8 "x"',
            "{x-request-id}o": "abc123",
        }
    )
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(m)s", (), None)
    record.args = atoms  # what gunicorn's Logger.access passes
    data = json.loads(
        GunicornAccessJsonFormatter(fmt=["levelname", "name", "message"]).format(record)
    )
    assert data["method"] == "GET"
    assert data["path"] == "/healthz"
    assert data["status"] == 200
    assert data["bytes"] == 123
    assert data["duration_ms"] == 7
    assert data["user_agent"] == 'curl/8 "x"'
    assert data["request_id"] == "abc123"
    assert data["query"] is None


def test_logging_configurations_apply_cleanly_and_write_to_the_expected_stream():
    for config in (build_logging(json=True), build_gunicorn_logging(json=True)):
        assert config["handlers"]["console"]["stream"] == "ext://sys.stdout"
    for config in (build_logging(json=False), build_gunicorn_logging(json=False)):
        assert config["handlers"]["console"]["stream"] == "ext://sys.stderr"
    assert build_logging(json=True)["handlers"]["console"]["filters"] == [
        "request_id",
        "forbidden_without_traceback",  # a 403 is one line, without its traceback
    ]


# --- settings per environment (subprocesses) -----------------------------------------------------

LOG_PROBE = """
import logging, django
django.setup()
from config import request_id
logging.getLogger("innolab").warning("from the app")
token = request_id.set_request_id("abc123")
logging.getLogger("django.request").warning("inside a request")
request_id.reset_request_id(token)
import sentry_sdk
client = sentry_sdk.get_client()
import json, sys
print("SENTRY " + json.dumps({
    "active": client.is_active(),
    "dsn": client.options.get("dsn"),
    "environment": client.options.get("environment"),
    "release": client.options.get("release"),
    "pii": client.options.get("send_default_pii"),
    "traces": client.options.get("traces_sample_rate"),
    "integrations": sorted(client.integrations),
}), file=sys.stderr)
"""


def _run_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SENTRY_", "LOG_")) and k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": module,
            "SECRET_KEY": secrets.token_urlsafe(60),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",  # imported only
            **env,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", LOG_PROBE],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def _sentry(result) -> dict:
    line = next(x for x in result.stderr.splitlines() if x.startswith("SENTRY "))
    return json.loads(line.removeprefix("SENTRY "))


def test_production_logs_json_to_stdout_and_has_no_sentry_without_a_dsn():
    result = _run_settings("config.settings.production")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(x["logger"], x["message"], x["request_id"]) for x in lines] == [
        ("innolab", "from the app", None),
        ("django.request", "inside a request", "abc123"),
    ]
    assert _sentry(result)["active"] is False


def test_development_logs_plain_text_to_stderr():
    result = _run_settings("config.settings.dev", DATABASE_URL="sqlite:///:memory:")
    assert result.stdout == ""
    assert "WARNING [-] innolab: from the app" in result.stderr
    assert "WARNING [abc123] django.request: inside a request" in result.stderr


def test_sentry_is_initialised_from_the_environment_without_personal_data():
    result = _run_settings(
        "config.settings.production",
        SENTRY_DSN="https://publickey@sentry.example.invalid/42",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="innolab@1.2.3",
        SENTRY_TRACES_SAMPLE_RATE="0.25",
    )
    found = _sentry(result)
    assert found["active"] is True
    assert found["dsn"] == "https://publickey@sentry.example.invalid/42"
    assert found["environment"] == "staging"
    assert found["release"] == "innolab@1.2.3"
    assert found["pii"] is False
    assert found["traces"] == 0.25
    assert {"django", "celery"} <= set(found["integrations"])


def test_sentry_traces_are_off_by_default():
    result = _run_settings(
        "config.settings.production", SENTRY_DSN="https://publickey@sentry.example.invalid/42"
    )
    found = _sentry(result)
    assert (found["active"], found["traces"], found["environment"]) == (True, 0.0, "production")


def test_sentry_events_are_tagged_with_the_request_id():
    token = request_id.set_request_id("abc123")
    try:
        event = request_id.sentry_before_send({"message": "boom"}, {})
    finally:
        request_id.reset_request_id(token)
    assert event["tags"]["request_id"] == "abc123"
    assert "tags" not in request_id.sentry_before_send({"message": "boom"}, {})


# --- Celery --------------------------------------------------------------------------------------


def test_a_task_published_during_a_request_carries_its_id_in_the_headers():
    headers: dict = {}
    celery_module._publish_request_id(headers=headers)
    assert headers == {}
    token = request_id.set_request_id("abc123")
    try:
        celery_module._publish_request_id(headers=headers)
    finally:
        request_id.reset_request_id(token)
    assert headers == {request_id.CELERY_HEADER: "abc123"}


class FakeTask:
    name = "labs.tasks.send_invitation_email"

    def __init__(self, header=None):
        self.request = type("Request", (), {})()
        if header is not None:
            setattr(self.request, request_id.CELERY_HEADER, header)


def test_the_worker_sets_the_published_id_around_the_task_and_clears_it_afterwards(collect):
    celery_module._set_request_id(task_id="t-1", task=FakeTask("abc123"))
    logging.getLogger("innolab").warning("in the task")
    assert request_id.get_request_id() == "abc123"
    celery_module._reset_request_id(task_id="t-1")
    assert request_id.get_request_id() is None
    assert request_id.task_var.get() is None
    record = collect.records[-1]
    assert (record.request_id, record.task_id, record.task_name) == (
        "abc123",
        "t-1",
        "labs.tasks.send_invitation_email",
    )


def test_a_task_without_an_id_gets_a_new_one_and_an_odd_header_is_not_trusted():
    for header in (None, "bad id\n"):
        celery_module._set_request_id(task_id="t-2", task=FakeTask(header))
        assert HEX32.fullmatch(request_id.get_request_id())
        celery_module._reset_request_id(task_id="t-2")
        assert request_id.get_request_id() is None


def test_an_eager_task_keeps_the_id_of_the_request_that_runs_it(collect):
    token = request_id.set_request_id("abc123")
    try:
        assert probe.delay().get() == "abc123"
        assert request_id.get_request_id() == "abc123"
    finally:
        request_id.reset_request_id(token)
    ran = [r for r in collect.records if r.getMessage() == "probe ran"]
    assert ran and ran[-1].request_id == "abc123"


def test_the_worker_uses_the_django_logging_configuration(monkeypatch):
    applied = []
    monkeypatch.setattr(logging.config, "dictConfig", applied.append)
    celery_module._setup_logging(loglevel=logging.INFO)
    from django.conf import settings

    assert applied == [settings.LOGGING]
    # and Celery sees a receiver, so it does not install its own handlers
    from celery.signals import setup_logging

    assert setup_logging.receivers


def test_json_output_of_a_configured_logger_is_one_object_per_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(fmt=["levelname", "name", "message"]))
    handler.addFilter(request_id.RequestIdFilter())
    logger = logging.getLogger("tests.json-probe")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("two\nlines")
        logger.error("second")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["two\nlines", "second"]


def test_celery_task_records_keep_no_task_arguments_in_json():
    record = _record(
        msg="Task %(name)s[%(id)s] received",
        args=(),
        name="celery.worker.strategy",
        data={
            "id": "t-1",
            "name": "labs.tasks.send_invitation_email",
            "args": "(1, 'person@example.org')",
            "kwargs": "{'email': 'person@example.org'}",
            "return_value": "True",
            "runtime": 0.2,
        },
    )
    line = JsonFormatter(fmt=["levelname", "name", "message"]).format(record)
    assert "person@example.org" not in line
    assert json.loads(line)["data"] == {
        "id": "t-1",
        "name": "labs.tasks.send_invitation_email",
        "runtime": 0.2,
    }

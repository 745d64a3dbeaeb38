"""A real Celery worker on the Redis broker, reading the same PostgreSQL test database."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def redis_broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.fail("The integration tests need CELERY_BROKER_URL=redis://… (see scripts/test).")
    return url


@pytest.fixture
def celery_worker_process(redis_broker_url, transactional_db, tmp_path):
    """Start `celery worker` as a subprocess on the test database; yields the e-mail folder."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    # One queue and worker name per pytest process: parallel test runs must not take each
    # other's tasks or mistake each other's worker for their own. The tasks the worker queues
    # itself (a notification's e-mail after the event reminder) go to that queue too.
    queue = f"test-{os.getpid()}"
    env = {
        **os.environ,
        "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": redis_broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_FILE_PATH": str(mail_dir),
        # the files the test process stores (uploads) are where the worker looks for them
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker_name = f"{queue}@{socket.gethostname()}"
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
            "-n",
            worker_name,
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_broker_url
    celery_app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 30
        while not celery_app.control.ping(destination=[worker_name], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "The Celery worker did not start:\n" + (tmp_path / "worker.log").read_text()
                )
        yield mail_dir
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        celery_app.conf.task_default_queue = "celery"
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()

"""Production settings: `check --deploy` is clean, and insecure configurations refuse to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "EMAIL_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests; check --deploy flags it
        }
    }
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    return url


def test_check_deploy_reports_nothing_with_a_proper_secret():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL=_database_url(),
        ALLOWED_HOSTS="innolab.example.org",
        EMAIL_URL="smtp+tls://mailer:secret@mail.example.org:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SECRET_KEY": "insecure-embedded-default-key-change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
    ],
)
def test_production_refuses_insecure_configuration(env, message):
    settings_env = {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": _database_url(),
        **env,
    }
    result = _manage("check", **settings_env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_sqlite():
    result = _manage(
        "check", SECRET_KEY=secrets.token_urlsafe(60), DATABASE_URL="sqlite:////tmp/x.sqlite3"
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_has_no_demo():
    """The demo app (a superuser with a published password) is installed by the dev and test
    settings only: in production, manage.py does not know seed_demo."""
    result = _manage(
        "help", "seed_demo", SECRET_KEY=secrets.token_urlsafe(60), DATABASE_URL=_database_url()
    )
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr

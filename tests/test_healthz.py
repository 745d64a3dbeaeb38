"""/healthz: JSON for load balancers and people; no login needed, never cached."""

import json

import pytest
from django.db import OperationalError

from core import health

pytestmark = pytest.mark.django_db


def _get(client, **kwargs):
    response = client.get("/healthz", **kwargs)
    return response, json.loads(response.content)


def test_healthz_shape_with_the_database_up(client):
    response, data = _get(client)

    assert response["Content-Type"] == "application/json"
    assert set(data) == {"status", "checks", "duration_ms"}
    assert set(data["checks"]) == {"database", "broker", "worker"}
    assert data["checks"]["database"] == {"ok": True}
    assert isinstance(data["duration_ms"], int) and data["duration_ms"] >= 0
    for check in data["checks"].values():
        assert isinstance(check["ok"], bool)
    # healthy only when every check is; the status code says the same as the body
    healthy = all(check["ok"] for check in data["checks"].values())
    assert data["status"] == ("ok" if healthy else "unavailable")
    assert response.status_code == (200 if healthy else 503)
    if data["checks"]["worker"]["ok"]:
        assert data["checks"]["worker"]["workers"] >= 1


def test_healthz_is_never_cached(client):
    response, _data = _get(client)
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_healthz_needs_no_login_and_answers_get_only(client):
    response, _data = _get(client)
    assert response.status_code in (200, 503)
    assert client.post("/healthz").status_code == 405
    assert client.put("/healthz").status_code == 405


def test_healthz_reports_a_database_failure_without_details(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection to 10.0.0.5 refused, password=geheim")

    monkeypatch.setattr(health, "connection", BrokenConnection())

    response, data = _get(client)

    assert response.status_code == 503
    assert data["status"] == "unavailable"
    assert data["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert "geheim" not in response.content.decode()
    assert "10.0.0.5" not in response.content.decode()


def test_healthz_without_broker_skips_the_worker(client, monkeypatch):
    monkeypatch.setattr(health, "_check_broker", lambda: {"ok": False, "error": "OperationalError"})

    response, data = _get(client)

    assert response.status_code == 503
    assert data["checks"]["broker"] == {"ok": False, "error": "OperationalError"}
    assert data["checks"]["worker"] == {"ok": False}
    assert data["checks"]["database"] == {"ok": True}


def test_healthz_all_up_is_200(client, monkeypatch):
    monkeypatch.setattr(health, "_check_broker", lambda: {"ok": True})
    monkeypatch.setattr(health, "_check_worker", lambda: {"ok": True, "workers": 1})

    response, data = _get(client)

    assert response.status_code == 200
    assert data["status"] == "ok"
    assert data["checks"] == {
        "database": {"ok": True},
        "broker": {"ok": True},
        "worker": {"ok": True, "workers": 1},
    }

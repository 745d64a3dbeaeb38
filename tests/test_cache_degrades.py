"""config.cache.DegradingRedisCache: with Redis unreachable every operation answers as a miss,
quickly, with one warning; the log-in form keeps working (allauth's rate limits fail open)."""

import logging
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from config.cache import DegradingRedisCache

from .conftest import make_client
from .integration.procs import free_port


@pytest.fixture
def dead_redis_cache(settings):
    """The default cache points at a port where nothing listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    DegradingRedisCache._last_warning = float("-inf")
    yield cache
    DegradingRedisCache._last_warning = float("-inf")


def test_every_operation_answers_as_a_miss(dead_redis_cache):
    c = dead_redis_cache
    assert c.get("k") is None
    assert c.get("k", "fallback") == "fallback"
    assert c.set("k", 1) is False
    assert c.add("k", 1) is True  # fail open: see config/cache.py
    assert c.touch("k") is False
    assert c.delete("k") is False
    assert c.has_key("k") is False
    assert c.get_many(["a", "b"]) == {}
    assert c.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert c.delete_many(["a"]) is None
    assert c.get_or_set("k", 5) == 5
    with pytest.raises(ValueError):
        c.incr("counter")
    with pytest.raises(ValueError):
        c.decr("counter")
    assert c.clear() is False
    assert c.ping() is False


def test_it_is_quick_and_warns_once(dead_redis_cache, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="innolab.cache"):
        for _ in range(20):
            dead_redis_cache.get("k")
    assert time.monotonic() - started < 10
    warnings = [r for r in caplog.records if r.name == "innolab.cache"]
    assert len(warnings) == 1
    assert "unavailable" in warnings[0].getMessage()


def test_the_socket_timeouts_are_short(dead_redis_cache):
    options = dead_redis_cache._cache._pool_options
    assert options["socket_connect_timeout"] <= 0.5
    assert options["socket_timeout"] <= 1


def test_a_real_redis_still_works(settings):
    import os

    url = os.environ.get("REDIS_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs REDIS_URL")
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"faults-{os.getpid()}",
        }
    }
    cache.set("k", {"a": 1})
    assert cache.get("k") == {"a": 1}
    assert cache.add("k", 2) is False
    cache.set("n", 1)
    assert cache.incr("n") == 2
    assert cache.ping() is True
    cache.delete_many(["k", "n"])


@pytest.mark.django_db
def test_log_in_works_and_rate_limits_fail_open_while_the_cache_is_down(dead_redis_cache):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    email, password = "pat.person@example.org", "ein-langes-passwort-42"
    user = get_user_model().objects.create_user(email=email, password=password, name="Pat")
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    client = make_client()
    url = reverse("account_login")
    assert client.get(url).status_code == 200

    # more failures than login_failed allows (5 per 5 minutes and address): not counted now
    for _ in range(6):
        wrong = client.post(url, {"login": email, "password": "falsch"})
        assert wrong.status_code == 200  # the form with its error: not 429, not 500
        assert "Too many" not in wrong.content.decode()

    right = client.post(url, {"login": email, "password": password})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

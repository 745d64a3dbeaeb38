"""A Redis cache that degrades instead of failing when Redis is away.

Django's RedisCache raises redis' ConnectionError/TimeoutError from every operation, so a stopped
Redis would turn every page that touches the cache (the log-in form: allauth's rate limits) into a
500. This backend catches those errors, logs ONE warning per `WARN_EVERY` seconds and process, and
answers as an empty cache would: get → default, get_many → {}, has_key → False, set/touch/delete →
False, incr/decr → ValueError (Django's "key not found"), clear → False.

`add` is the one operation where "degrade" needs a decision. allauth's rate limit
(allauth/core/internal/ratelimit.py) takes a lock with `cache.add(lock_key)`, waits up to 1 s for
it and, without it, refuses the request as rate limited. If `add` answered False while Redis is
down, nobody could log in or reset a password (each attempt a 1 s wait and a 429): the limits would
fail CLOSED. We let them fail OPEN instead (`add` answers True, as if the key had been stored):
while Redis is down the log-in and password-reset rate limits are not enforced. That is a
deliberate trade: logging in keeps working during a cache outage, and what an attacker gains is
bounded by the length of the outage, by Argon2 hashing and by the warning in the log that tells the
operator the limits are off. The project itself uses `add` for no lock that guards correctness
(jobs claim their work by conditional UPDATEs in the database, never by cache locks); code that
needs a lock which fails closed must not rely on this cache. Set `FAIL_OPEN_ADD = False` in a
subclass to fail closed.

Short socket timeouts (settings: connect 0.5 s, each operation 1 s) keep a request from hanging on
a Redis that is slow or unreachable rather than refusing connections.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("innolab.cache")

# What "Redis is away" looks like: refused or reset connections, timeouts, a server shutting down.
# OSError covers sockets that fail below redis-py's own wrapping.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Socket timeouts for the pool (CACHES["default"]["OPTIONS"]), in seconds.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object (and its table of ~170 response callbacks)
    for every cache operation, about 0.2 ms each; a page with four cache reads paid ~1 ms for it.
    One redis.Redis per connection pool instead (thread-safe: it takes a pooled connection for
    each command)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    FAIL_OPEN_ADD = True
    WARN_EVERY = 60.0  # seconds between two warnings of one process

    _warn_lock = threading.Lock()
    _last_warning = float("-inf")

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _unavailable(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        cls = type(self)
        with cls._warn_lock:
            if now - cls._last_warning < cls.WARN_EVERY:
                return
            cls._last_warning = now
        logger.warning(
            "Cache unavailable (%s during %s): answering as a cache miss; rate limits are not "
            "enforced until Redis is reachable again.",
            type(exc).__name__,
            operation,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("add", exc)
            return self.FAIL_OPEN_ADD

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            self._unavailable("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("set", exc)
            return False

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as exc:
            self._unavailable("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as exc:
            self._unavailable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as exc:
            self._unavailable("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            self._unavailable("incr", exc)
            # what Django's caches raise for a missing key: callers already handle it
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("set_many", exc)
            return list(data)  # the keys that were not stored

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNAVAILABLE as exc:
            self._unavailable("delete_many", exc)
            return None

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as exc:
            self._unavailable("clear", exc)
            return False

    def ping(self) -> bool:
        """True when Redis answers (for /healthz); never raises."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNAVAILABLE:
            return False

"""Cached fragments of the heavy pages (the long tables, the survey analysis).

A view puts `fragment` into its template context; the template wraps the expensive part in
Django's own tag, `{% cache fragment.seconds "name" fragment.key %}`, and the view hands the data
for that part over lazily (SimpleLazyObject, querysets), so that a cache hit runs none of its
queries.

The key holds everything the fragment's HTML can depend on besides the data:
- the person (fragments are never shared between people: what they may see and do differs),
- language and time zone,
- the whole query string (the filters, the page, and every link that repeats them),
- the view's own parts (the objects' primary keys),
- the data versions of the scopes it reads (core.dataversion): a committed write anywhere in
  them makes the next request miss,
- the code (templates, translations, Python): a deployment never serves fragments of the
  previous release,
- a time slot of FRAGMENT_CACHE_SECONDS: what depends on the clock (an event that has begun
  leaves "upcoming", a deadline passes) is at most that old.

FRAGMENT_CACHE_SECONDS = 0 turns the cache off. When the cache server is away the cache
degrades (config.cache) and every request renders the fragment itself.
"""

import functools
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone, translation

from . import dataversion
from .apps import project_apps

_SHARED_DIRS = ("templates", "locale", "config")
_CODE_SUFFIXES = {".html", ".py", ".mo", ".txt", ".svg", ".lock"}


@functools.cache
def code_version() -> str:
    """A digest of the code that renders fragments: templates, translations, our Python."""
    root = Path(settings.BASE_DIR).resolve()
    digest = hashlib.sha256()
    for directory in sorted(set(_SHARED_DIRS) | set(project_apps())):
        for path in sorted((root / directory).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for name in ("requirements.lock",):  # the dependencies' templates and filters
        path = root / name
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Fragment:
    seconds: int
    key: str


# the longest query value a cached fragment is kept for
QUERY_VALUE_MAX = 40


def _key(user, seconds: int, scopes, *parts) -> str:
    """What every key holds (see the module's text) and the caller's parts."""
    tokens = dataversion.tokens()
    return "|".join(
        str(x)
        for x in (
            code_version(),
            user.pk if user.is_authenticated else "-",
            translation.get_language(),
            ",".join(f"{scope}={tokens[scope]}" for scope in sorted(scopes)),
            int(time.time() // seconds),
            *parts,
        )
    )


def fragment(
    request: HttpRequest, *parts, query: tuple[str, ...] = (), scopes=(dataversion.CONTENT,)
) -> Fragment:
    """The cache settings of one fragment of this request's page (see the module's text).

    `query`: the parameters the page reads. A request with any other parameter, a repeated one
    or a long value is rendered without the cache (so nobody can fill the cache with made-up
    addresses; the page itself still answers as always)."""
    seconds = int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))
    if seconds <= 0 or not _plain_query(request, query):
        return Fragment(0, "")
    key = _key(
        request.user,
        seconds,
        scopes,
        timezone.get_current_timezone_name(),
        request.GET.urlencode(),
        *parts,
    )
    return Fragment(seconds, key)


def _plain_query(request: HttpRequest, names: tuple[str, ...]) -> bool:
    return all(
        name in names and len(values) == 1 and len(values[0]) <= QUERY_VALUE_MAX
        for name, values in request.GET.lists()
    )


_MISSING = object()


def remember(user, name: str, *parts, compute, scopes=(dataversion.CONTENT,)):
    """compute() from the cache for this person, language, data versions and time slot (None is
    not kept).

    For what the views look up before rendering, permissions included: every table a grant lives
    in (guardian's, memberships, tandems) is in the content scope, so a granted or revoked role
    counts from the next request after its commit."""
    seconds = int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))
    if seconds <= 0 or not user.is_authenticated:
        return compute()
    digest = hashlib.sha256(_key(user, seconds, scopes, name, *parts).encode()).hexdigest()
    key = f"innolab-remember:{digest}"
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = compute()
    if value is not None:
        cache.set(key, value, seconds)
    return value

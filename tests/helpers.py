"""Assertions shared by the view tests."""

import html
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connections["default"]) as context:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


def assert_constant_queries(client, url: str, grow: Callable[[], object], *, slack: int = 0):
    """GET `url`, let `grow()` add much more data, GET again: the query count must not grow.

    Counted with the page cache off (core/fragments.py): what is measured is the page being
    rendered from the data, as after every change."""
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        client.get(url)  # warm-up: per-process caches (content types, permissions) fill once
        before, _sql_before = _count_queries(client, url)
        grow()
        after, sql_after = _count_queries(client, url)
    print(f"{url}: {before} queries before growing, {after} after")
    assert after <= before + slack, (
        f"{url} needed {before} queries, then {after} after growing (N+1?):\n"
        + "\n".join(sql_after)
    )
    return before, after


def assert_login_required(response) -> None:
    """The response redirects to the login page and back to the page asked for."""
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    next_urls = parse_qs(location.query).get("next")
    assert next_urls, response["Location"]
    assert urlsplit(next_urls[0]).path == response.request["PATH_INFO"]


def text(response) -> str:
    """The response body as text with HTML entities resolved, for `in` checks."""
    return html.unescape(response.content.decode())

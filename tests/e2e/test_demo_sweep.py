"""axe-core and reflow on realistic data: the demo (`manage.py seed_demo`), crawled as every demo
login and anonymously, in German and in English, at 1280 px and at 320 px.

tests/e2e/test_axe_sweep.py checks every page type on the permission matrix's small world, whose
tables never overflow; the demo has the lengths of real data (three labs, 28 municipalities,
surveys with hundreds of answers, long names), where wide tables and scroll regions appear.

How: the live server's database holds the seeded demo, seeded once per module and test process
(`demo_site`) and flushed after it, so the tests after it see an empty database. Each persona
starts at its home page and follows the same-origin links in <main>, <nav> and <header>
breadth-first, visiting each page type (the URL name) once; the crawl goes through Django's test
client, which also tells full HTML pages from downloads (calendar files, JSON, SVG, CSV, PDF). It
leaves out logging out, the language switch and the Django admin beyond its index; every GET is
free of side effects (tests/test_get_is_safe.py). Every page is then opened in Chromium in both
languages: in German at 1280 px with axe, then resized to 320 px (our layout is CSS only: no
script reads the viewport's size, see test_resizing_gives_the_layout_of_a_fresh_load), where the
document must be no wider than the viewport (WCAG 1.4.10); in English at 320 px with axe and the
same reflow check. So every page type and persona gets axe at both widths, and the matrix sweep
(test_axe_sweep.py) only checks these page types for reflow with its long words. A persona's test
collects every problem and fails once, with page, persona, language, width, rule and target.

`test_the_demo_crawl_reaches_every_page_type` checks that the personas together reach every full
HTML page type of the permission matrix, except those in UNREACHABLE (each with its reason).

One test per persona; the module is one xdist group (scripts/test runs `--dist loadgroup`), so
one test process seeds the demo once for all of them.
E2E_SHOTS_DIR chooses where screenshots go (failures always; every 320 px page with
DEMO_SWEEP_SHOTS=1).
"""

import contextlib
import os
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from pytest_django.live_server_helper import LiveServer

from demo.loader import load

from .. import world as make
from ..conftest import ensure_builtin_event_types
from ..matrix_world import ahornstadt_profile_make, url_kwargs_make
from .conftest import axe_violations, shot, sideways
from .demo_reach import UNREACHABLE
from .test_axe_sweep import _is_full_page, _project_visits

# Each test runs in a transaction of its own that is rolled back (`db`): what a crawled GET
# writes (an audit row of a download) goes with it. The demo and the sessions are committed before.
# one process seeds the demo once for the whole module (loadgroup, scripts/test)
pytestmark = [pytest.mark.e2e, pytest.mark.django_db, pytest.mark.xdist_group("demo-sweep")]

LANGUAGES = ("de", "en")
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}
# axe runs once per page and language: German at 1280 px, English at 320 px (test_axe_sweep.py
# runs it on the page types the demo cannot reach); every page is checked for reflow at 320 px in
# both languages.
AXE_WIDTH = {"de": WIDE, "en": PHONE}
PERSONAS = ("anonymous", "coordinator", "tandem", "tandem2", "funder", "expert", "admin")
# A persona whose role another one has already: it sweeps only the page types the other does not
# reach (tandem2 is a member of the same tandem; the superuser sees a coordinator's pages, plus the
# Django admin). The crawl and its coverage count them all.
SAME_ROLE_AS = {"tandem2": "tandem", "admin": "coordinator"}
WEB_FONTS = "**/*.woff2"
# The phones of tandem members and respondents (the answer pages are anonymous) show the page in
# the fallback font before the web font arrives, or for good on a slow connection: their pages
# are checked in it too.
FALLBACK_FONT_PERSONAS = {"anonymous", "tandem", "tandem2"}
_WEB_FONT_LOADED = "() => [...document.fonts].some(f => f.status === 'loaded')"
INSTANCES = 4  # pages of one type opened by the crawl (the biggest is swept)
# URL names never followed: logging out, the language switch (both POST anyway)
NOT_FOLLOWED = {"account_logout", "set_language"}


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # URL name -> the first path found
    not_html: dict[str, str] = field(default_factory=dict)  # URL name -> content type
    broken: list[str] = field(default_factory=list)  # links answered with an error


@dataclass
class DemoSite:
    url: str
    sessions: dict[str, str | None]  # persona -> session key (None: anonymous)
    crawls: dict[str, Crawl] = field(default_factory=dict)

    def crawl(self, persona: str) -> Crawl:
        if persona not in self.crawls:
            self.crawls[persona] = _crawl(self.sessions[persona])
        return self.crawls[persona]

    def cookies(self, persona: str, language: str) -> list[dict]:
        cookies = {settings.LANGUAGE_COOKIE_NAME: language}
        if self.sessions[persona]:
            cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return [{"name": k, "value": v, "url": self.url} for k, v in cookies.items()]


class _Links(HTMLParser):
    """The hrefs of the <a> elements inside <main>, <nav> and <header>."""

    AREAS = {"main", "nav", "header"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.AREAS:
            self.depth += 1
        elif tag == "a" and self.depth:
            attributes = dict(attrs)
            if attributes.get("href") and "download" not in attributes:
                self.hrefs.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag in self.AREAS and self.depth:
            self.depth -= 1


def _url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _followed(name: str | None) -> bool:
    if name is None or name in NOT_FOLLOWED:
        return False
    return not name.startswith("admin:") or name == "admin:index"


def _session(user) -> str | None:
    """A session of `user`, made by Django's test client, as the login page would."""
    if user is None:
        return None
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _crawl(session: str | None) -> Crawl:
    """Breadth-first from the home page over the links of <main>, <nav> and <header>.

    Up to INSTANCES pages of each type are opened (the first survey list found may be of a cohort
    without surveys, whose links lead nowhere); the biggest of them is the one swept, as the most
    demanding for the layout.
    """
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    crawl, sizes = Crawl(), {}
    queue, queued, per_type = deque([("/", "the start")]), {"/"}, Counter({"home": 1})

    def enqueue(target: str, source: str) -> None:
        name = _url_name(target)
        if (
            _followed(name)
            and target not in queued
            and per_type[name] < INSTANCES
            and name not in crawl.not_html
        ):
            queued.add(target)
            per_type[name] += 1
            queue.append((target, source))

    while queue:
        path, source = queue.popleft()
        name = _url_name(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            enqueue(urljoin(path, response.headers["Location"]), f"{source}, via {path}")
            continue
        if response.status_code != 200:
            crawl.broken.append(f"{path} (linked from {source}): HTTP {response.status_code}")
            continue
        if not _is_full_page(response):
            crawl.not_html[name] = response.headers.get("Content-Type", "")
            continue
        if len(response.content) > sizes.get(name, -1):
            sizes[name], crawl.pages[name] = len(response.content), path
        links = _Links()
        links.feed(response.content.decode())
        for href in links.hrefs:
            split = urlsplit(urljoin(path, href))
            if split.scheme in ("", "http") and split.netloc in ("", "testserver"):
                enqueue(split.path + (f"?{split.query}" if split.query else ""), path)
    return crawl


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded and committed (the live server's thread sees it), and a live server; after
    the module's last test the database is flushed, as transactional tests leave it."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_MODE=True, MEDIA_ROOT=str(tmp_path_factory.getbasetemp() / "media")),
    ):
        started = time.monotonic()
        ensure_builtin_event_types()  # a transactional test before may have flushed them
        call_command("seed_demo", "--quiet")
        seeded = time.monotonic() - started
        sessions = {"anonymous": None}
        for spec in load("labs")["logins"]:
            sessions[spec["key"]] = _session(get_user_model().objects.get(email=spec["email"]))
        server = LiveServer("localhost")
        try:
            print(f"\ndemo seeded in {seeded:.1f} s")
            yield DemoSite(url=server.url, sessions=sessions)
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            # this fixture's connection (the event loop of pytest-playwright gives it a context of
            # its own) would keep the test database from being dropped at the end
            connection.close()


@contextlib.contextmanager
def _browser(browser, context_args):
    context = browser.new_context(**{**context_args, "viewport": WIDE})
    try:
        yield context.new_page()
    finally:
        context.close()


def _axe_problems(page, where: str) -> list[str]:
    problems = []
    for violation in axe_violations(page):
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            problems.append(
                f"{where}: [{violation['impact']}] {violation['id']} at {target} "
                f"({violation['help']})"
            )
    return problems


def _swept(demo_site, persona: str) -> dict[str, str]:
    pages = demo_site.crawl(persona).pages
    if twin := SAME_ROLE_AS.get(persona):
        return {k: v for k, v in pages.items() if k not in demo_site.crawl(twin).pages}
    return pages


@pytest.mark.parametrize("persona", PERSONAS)
def test_demo_pages_pass_axe_and_fit_a_phone(persona, demo_site, browser, browser_context_args):
    """axe (German at 1280 px, English at 320 px) and no sideways scrolling at 320 px in both
    languages, in the web font and, as a phone shows the page before the font arrives or when it
    is blocked, in the fallback font."""
    started = time.monotonic()
    crawl = demo_site.crawl(persona)
    pages = _swept(demo_site, persona)
    problems = list(crawl.broken)
    counts = Counter()
    every_shot = os.environ.get("DEMO_SWEEP_SHOTS") == "1"
    base = demo_site.url
    with _browser(browser, browser_context_args) as page:
        for language in LANGUAGES:
            page.context.add_cookies(demo_site.cookies(persona, language))
            axe_width = AXE_WIDTH[language]
            for name, path in pages.items():
                where = f"{name} [{persona}, {language}] {path}"
                page.set_viewport_size(axe_width)
                response = page.goto(base + path)
                if response is None or response.status != 200:
                    problems.append(f"{where}: HTTP {response and response.status}")
                    continue
                if page.locator("html").get_attribute("lang") != language:
                    problems.append(f"{where}: <html lang> is not {language}")
                found = _axe_problems(page, f"{where} {axe_width['width']} px")
                counts["axe"] += 1
                if axe_width != PHONE:
                    page.set_viewport_size(PHONE)
                if overflow := sideways(page):
                    found.append(f"{where} 320 px: {overflow}")
                if found or every_shot:
                    shot(page, f"demo-{persona}-{language}-{name}-320")
                problems += found
    with _browser(browser, {**browser_context_args, "viewport": PHONE}) as page:
        page.route(WEB_FONTS, lambda route: route.abort())
        for language in LANGUAGES if persona in FALLBACK_FONT_PERSONAS else ():
            page.context.add_cookies(demo_site.cookies(persona, language))
            for name, path in pages.items():
                page.goto(base + path)
                assert not page.evaluate(_WEB_FONT_LOADED), "the web font was not blocked"
                counts["fallback"] += 1
                if overflow := sideways(page):
                    problems.append(
                        f"{name} [{persona}, {language}] {path} 320 px, fallback font: {overflow}"
                    )
                    shot(page, f"demo-{persona}-{language}-{name}-320-fallback-font")
    print(
        f"\ndemo sweep as {persona}: {len(pages)} page types (of {len(crawl.pages)} reached) × "
        f"{len(LANGUAGES)} languages (axe at one width each, reflow at 320 px) = "
        f"{counts['axe']} axe runs, "
        f"{counts['fallback']} pages in the fallback font, {time.monotonic() - started:.1f} s; "
        "not HTML: " + ", ".join(sorted(crawl.not_html))
    )
    assert not problems, f"{len(problems)} problem(s) as {persona}:\n" + "\n".join(problems)


_LAYOUT = """() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,
    [...document.querySelectorAll('main *')].slice(0, 400).map(e => {
        const r = e.getBoundingClientRect(); return [r.left, r.width, r.height].map(Math.round);
    }).join()]"""


def test_resizing_gives_the_layout_of_a_fresh_load(demo_site, browser, browser_context_args):
    """The sweep resizes a loaded page to 320 px instead of loading it again: that is only the
    same as a phone's view while no script lays the page out by the viewport's size."""
    pages = list(demo_site.crawl("tandem").pages.values())[:6]
    with _browser(browser, browser_context_args) as page:
        page.context.add_cookies(demo_site.cookies("tandem", "de"))
        for path in pages:
            page.goto(demo_site.url + path)
            page.set_viewport_size(PHONE)
            resized = page.evaluate(_LAYOUT)
            page.reload()
            assert page.evaluate(_LAYOUT) == resized, path
            page.set_viewport_size(WIDE)


def _matrix_full_pages() -> set[str]:
    """The URL names of the matrix whose GET is a full HTML page for someone, asked in the
    permission matrix's own world, built and rolled back here."""
    with transaction.atomic():
        made = make.build()
        profile = ahornstadt_profile_make(made["world"], made["tandem_a"])
        kwargs = url_kwargs_make(
            made["personas"], made["world"], made["pending_invitation"], profile
        )
        visits, _skipped = _project_visits(made["personas"], kwargs, variants=False)
        transaction.set_rollback(True)
    return {visit.label for visit in visits}


def test_the_demo_crawl_reaches_every_page_type(demo_site):
    expected = _matrix_full_pages()
    reached: dict[str, list[str]] = {}
    for persona in PERSONAS:
        for name in demo_site.crawl(persona).pages:
            reached.setdefault(name, []).append(persona)
    print(
        f"\ndemo crawl: {len(reached)} page types, "
        f"{sum(len(p) for p in reached.values())} page types × personas; "
        + "; ".join(f"{p}: {len(demo_site.crawl(p).pages)}" for p in PERSONAS)
    )
    missing = sorted(expected - set(reached) - set(UNREACHABLE))
    listed_but_reached = sorted(set(UNREACHABLE) & set(reached))
    assert not missing and not listed_but_reached, (
        f"not reached by the demo crawl: {missing}; listed as unreachable but reached: "
        f"{listed_but_reached}"
    )

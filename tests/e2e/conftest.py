"""Browser tests: Debian's Chromium driven by pytest-playwright against pytest-django's live server.

Data is made through labs.services inside `transactional_db`, so the live server's thread sees
it. Fixtures here carry an `e2e_` prefix so they never collide with the personas of
tests/conftest.py.
"""

import functools
import os
import re
from pathlib import Path

# pytest-playwright keeps an event loop running in the main thread; without this, the ORM calls
# of fixtures and of the live server's teardown raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from labs import services  # noqa: E402
from labs.models import State  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# axe-core from the npm lock (package.json devDependencies), never from a CDN.
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SHOTS_DIR = Path(os.environ.get("E2E_SHOTS_DIR", "/tmp/e2e-shots"))

E2E_PASSWORD = "Kastanienallee-2025!"
COORDINATOR_EMAIL = "kora.koordination@example.org"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never `playwright install`: the machine's Chromium is the browser.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The people this platform serves: a German browser in Berlin (date inputs, number formats).
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run scripts/setup (npm ci) first")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now.

    The script goes in through page.evaluate (the DevTools protocol), not a <script> tag, so the
    page's Content Security Policy neither blocks it nor has to allow it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS
    )


def axe_check(page, *, label: str = "") -> None:
    """Assert that axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    violations = axe_violations(page)
    if violations:
        shot(page, f"axe-failure-{label or _slug(page.url)}")
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {label or page.url} ({page.url}):\n"
        + format_violations(violations)
    )


# What sticks out past the viewport's right edge: text and boxes that are not inside a scroll
# container of their own (those scroll and do not widen the page), for the message of a reflow
# assertion.
_OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth, found = [];
    const scrolls = node => {
        for (let p = node.parentElement; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== 'visible') return true;
        }
        return false;
    };
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map(c => '.' + c).join('');
    for (const el of document.querySelectorAll('body *')) {
        const right = el.getBoundingClientRect().right;
        const abs = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
        if (right > width + 0.5 && (abs || !scrolls(el))) {
            const text = el.textContent.trim().slice(0, 40);
            found.push(`${name(el)} to ${Math.round(right)} px: ${text}`);
        }
    }
    // a word longer than its box runs out of it without widening the box
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const right = range.getBoundingClientRect().right;
        if (node.textContent.trim() && right > width + 0.5 && !scrolls(node)) {
            const text = node.textContent.trim().slice(0, 40);
            found.push(`text in ${name(node.parentElement)} to ${Math.round(right)} px: ${text}`);
        }
    }
    return found.slice(-8);
}"""


def document_overflow(page) -> str:
    """'' when the page is no wider than the viewport; else its width and what sticks out."""
    width, viewport = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if width <= viewport:
        return ""
    return f"{width} px wide at {viewport} px; sticking out: " + "; ".join(
        page.evaluate(_OVERFLOWING)
    )


def sideways(page) -> str:
    """'' unless the document is wider than its layout viewport. Headless Chromium's scrollbar
    takes 15 of the 320 px (a phone's scrollbar takes none): the page must fit the 305 px left,
    else it scrolls sideways; document_overflow compares with the 320 px and names the culprits."""
    width, room = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if width <= room:
        return ""
    return document_overflow(page) or f"{width} px wide, {room} px of room beside the scrollbar"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[-80:]


def shot(page, name: str) -> Path:
    """A full-page screenshot for people to look at; outside the repository on purpose."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{_slug(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def field(page, name: str, *, scope: str = "main"):
    """The form control called `name`, after checking that a visible <label> names it.

    Selecting by name keeps the tests independent of the UI language; the label check keeps
    them honest about what a screen-reader or keyboard user gets.
    """
    control = page.locator(f"{scope} [name='{name}']")
    control_id = control.get_attribute("id")
    assert control_id, f"the field {name!r} has no id, so no <label for> can name it"
    label = page.locator(f"label[for='{control_id}']")
    assert label.count() == 1, f"the field {name!r} has {label.count()} labels"
    assert label.inner_text().strip(), f"the label of {name!r} is empty"
    return control


def follow(page, locator) -> None:
    """Click a link or button and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        locator.click()


def submit(page) -> None:
    """Press the form's submit button in <main> (the header has the language button too)."""
    follow(page, page.locator("main form button[type=submit]").first)


def login(page, base_url: str, email: str, password: str = E2E_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    field(page, "login").fill(email)
    field(page, "password").fill(password)
    submit(page)


def e2e_make_user(*, email: str, name: str, password: str = E2E_PASSWORD):
    user = get_user_model().objects.create_user(email=email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def force_login_cookie(context, base_url: str, user) -> None:
    """Log `user` in without the login page: a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.fixture
def e2e_coordinator(transactional_db):
    """A coordinator of a first lab: as such they may set up further labs (labs.add_lab)."""
    user = e2e_make_user(email=COORDINATOR_EMAIL, name="Kora Koordination")
    services.lab_create(
        created_by=user, slug="koordinationsstelle", name="Koordinationsstelle Vielfalt"
    )
    return user


@pytest.fixture
def e2e_participation(e2e_coordinator):
    """Lab "InnoLab Ost" with cohort 1 and the admitted municipality Eichenau."""
    lab = services.lab_create(created_by=e2e_coordinator, slug="innolab-ost", name="InnoLab Ost")
    cohort = services.cohort_create(lab=lab, slug="kohorte-1", name="Kohorte 1")
    municipality = services.municipality_create(
        lab=lab, name="Eichenau", ags="12054000", state=State.BB, district="kreisfrei"
    )
    return services.participation_admit(cohort=cohort, municipality=municipality)

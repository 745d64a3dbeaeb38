"""axe-core over every page type, as every persona that can see it, in German and in English.

The pages come from the permission matrix (tests/test_permission_matrix.py): every project URL
name × every persona whose expected GET status is 200, in the matrix's own world (its fixtures
`url_kwargs` and `ahornstadt_profile`), so a new URL with rows in TABLE is swept without a line
here. Non-HTML answers (downloads, calendar files, JSON, SVG) and htmx partials are left out: the
full pages that contain the partials are swept. allauth's pages, the Django admin's index and the
error pages are page types too and are listed below. Personas to whom a page type shows the same
<main> (Django's test client asks each first) are one variant: it is swept once, as the first of
them; every persona keeps at least one page, for its header and navigation.

Every text people type in that world ends in a word wider than a phone (tests/long_words.py).
German pages are opened at 320 px, where the document must be no wider than the viewport (WCAG
1.4.10: no sideways scrolling, long words wrap or scroll inside a region of their own), English
pages at 1280 px. tests/e2e/test_demo_sweep.py runs axe on the page types the demo reaches, as
every demo persona, on the demo's data, at both widths; here such a variant is only checked for
reflow at 320 px in German, with the long words (`_plan`). axe runs here on the page types the
demo cannot reach (tests/e2e/demo_reach.py) and on the variants of personas the demo has no
login for, in both languages, and on allauth's and the error pages. The personas are spread over
three tests (PARTS), so pytest-xdist runs them side by side.

Each persona gets one browser context (a session cookie from Django's test client); the language
cookie of config.middleware.LanguageMiddleware switches between German and English. Last, every
form whose empty POST the matrix expects back with errors is sent emptied from the browser, so the
error summaries and invalid fields are checked too. All violations are collected and reported
once at the end: page, persona, language, rule, target. The sweep prints its page count and time.
"""

import contextlib
import re
import time
from collections import defaultdict
from dataclasses import dataclass

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings

from ..conftest import make_client
from ..long_words import lengthen_user_texts
from ..matrix_world import (  # noqa: F401 (the matrix's world, built per test: live server)
    ahornstadt_profile_per_test,
    url_kwargs_per_test,
)
from ..test_permission_matrix import COLUMNS, EXPECTED, PROJECT_ROUTES, _project_url
from .conftest import E2E_PASSWORD, axe_violations, force_login_cookie, shot, sideways
from .demo_reach import UNREACHABLE

pytestmark = pytest.mark.e2e

LANGUAGES = ("de", "en")
# German, whose words are longer, on a phone (with the reflow check); English on a desktop.
# tests/e2e/test_demo_sweep.py runs axe in German at 1280 px and in English at 320 px on the
# demo's data, and checks reflow in both.
WIDTHS = {"de": {"width": 320, "height": 640}, "en": {"width": 1280, "height": 720}}
# whoever logs in for the account pages: one person without and one with two-factor login
ACCOUNT_PERSONA = "tandem_a"
PARTS = 3  # the sweep in three tests that pytest-xdist runs side by side
MFA_PERSONA = "coordinator"


@dataclass(frozen=True)
class Visit:
    label: str  # the URL name (or a page type's name)
    persona: str
    path: str
    status: int = 200


def _is_full_page(response) -> bool:
    content_type = response.headers.get("Content-Type", "")
    if not content_type.startswith("text/html") or response.has_header("Content-Disposition"):
        return False
    return b"<html" in response.content[:500].lower()


def _main_of(response) -> bytes:
    """The page's <main>, without what differs from request to request (tokens, nonces)."""
    content = response.content
    start, end = content.find(b"<main"), content.find(b"</main>")
    main = content[start:end] if start >= 0 <= end else content
    return re.sub(rb'(value|nonce)="[^"]*"', b"", main)


def _project_visits(personas, kwargs, *, variants=True) -> tuple[list[Visit], list[str]]:
    """Every variant (URL name, persona) whose expected GET is 200 and whose answer is a full HTML
    page: personas shown the same <main> are one variant, visited as the first of them
    (`variants=False`: the page types only, each asked as its first persona)."""
    visits, skipped, dropped = [], [], {}
    for route in PROJECT_ROUTES:
        seeing = [p for p in COLUMNS if EXPECTED.get((route.name, p, "GET")) == 200]
        if not seeing:
            continue
        path = _project_url(route, kwargs)
        first_of: dict[bytes, str] = {}  # <main> -> the first persona shown it
        for persona in seeing if variants else seeing[:1]:
            response = make_client(personas[persona]).get(path)
            assert response.status_code == 200, f"GET {path} as {persona}: {response.status_code}"
            if not _is_full_page(response):
                # what kind of answer it is does not depend on who asks
                skipped.append(f"{route.name} ({response.headers.get('Content-Type')})")
                break
            main = _main_of(response)
            if main in first_of:
                dropped.setdefault(persona, Visit(route.name, persona, path))
            else:
                first_of[main] = persona
        else:
            visits += [Visit(route.name, persona, path) for persona in first_of.values()]
    kept = {visit.persona for visit in visits}
    visits += [visit for persona, visit in dropped.items() if persona not in kept]
    return visits, skipped


def _set_language(context, base_url: str, language: str) -> None:
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


def _activate_totp(user) -> None:
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


@contextlib.contextmanager
def _browser_as(browser, context_args, base_url: str, user):
    """A page in a browser context of its own, logged in as `user` (None: anonymous)."""
    context = browser.new_context(**context_args)
    try:
        if user is not None:
            force_login_cookie(context, base_url, user)
        yield context.new_page()
    finally:
        context.close()


def _form_error_pages(visits: list[Visit]) -> list[tuple[str, str, str]]:
    """(URL name, persona, path) of the pages whose empty POST gives the form back (200)."""
    pages = {}
    for visit in visits:
        if visit.label not in pages and EXPECTED.get((visit.label, visit.persona, "POST")) == 200:
            pages[visit.label] = (visit.label, visit.persona, visit.path)
    return list(pages.values())


# The page's own POST form in <main> (its action is the page itself), with every field emptied
# and the browser's validation off, as a person who sends it without filling anything in.
_FIND_FORM = """() => {
    // attributes, not form.method / form.action: a field called "method" or "action" hides those
    const form = [...document.querySelectorAll('main form')].find(f =>
        (f.getAttribute('method') || '').toLowerCase() === 'post'
        && new URL(f.getAttribute('action') || location.href, location.href).pathname
            === location.pathname);
    if (!form) return null;
    form.noValidate = true;
    form.dataset.axeSweep = 'submit';
    for (const el of form.elements) {
        if (['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(el.type)) continue;
        if (el.tagName === 'SELECT') { el.selectedIndex = -1; continue; }
        if ('value' in el && el.tagName !== 'BUTTON') el.value = '';
    }
    return form.hasAttribute('hx-post') || form.hasAttribute('hx-put') ? 'htmx' : 'page';
}"""
_SUBMIT_FORM = """() => {
    const form = document.querySelector('form[data-axe-sweep=submit]');
    form.requestSubmit(form.querySelector('button[type=submit], button:not([type])'));
}"""


def _submit_emptied_form(page) -> int | None:
    kind = page.evaluate(_FIND_FORM)
    if kind is None:
        return None
    if kind == "page":
        with page.expect_navigation() as navigation:
            page.evaluate(_SUBMIT_FORM)
        return navigation.value.status if navigation.value else 0
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.evaluate(_SUBMIT_FORM)
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    return posted.value.status


def _reauthenticate(page, base_url: str) -> None:
    """Confirm the password once: allauth asks for it before the MFA pages."""
    page.goto(f"{base_url}/accounts/reauthenticate/")
    page.locator("main [name=password]").fill(E2E_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


# The matrix's personas as the demo's logins (tests/e2e/test_demo_sweep.py sweeps those): the
# ones without a demo login get axe here on every page type.
DEMO_LOGIN_OF = {
    "anonymous": "anonymous",
    "coordinator": "coordinator",
    "coordinator_y": "coordinator",
    "tandem_a": "tandem",
    "tandem_b": "tandem",
    "funder": "funder",
    "expert": "expert",
    "admin": "admin",
}
AXE, REFLOW = "axe", "reflow"


def _plan(visits: list[Visit]) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """(page type, persona) -> what to check: (language, AXE or REFLOW) pairs.

    A page type the demo sweep reaches, as a persona with a demo login, gets axe there on the
    demo's data at both widths; here it is checked for reflow in German at 320 px only, with the
    long words. Everything else gets axe in both languages (German at 320 px with reflow)."""
    project = {route.name for route in PROJECT_ROUTES} - set(UNREACHABLE)
    plan = {}
    for visit in visits:
        if visit.label in project and visit.persona in DEMO_LOGIN_OF:
            plan[visit.label, visit.persona] = (("de", REFLOW),)
        else:
            plan[visit.label, visit.persona] = tuple((language, AXE) for language in LANGUAGES)
    return plan


def _share(loads: dict[str, int], part: int) -> set[str]:
    """The personas (and form pages) of one part: the heaviest first, each to the lightest part."""
    parts = [[0, set()] for _ in range(PARTS)]
    for name, load in sorted(loads.items(), key=lambda item: (-item[1], item[0])):
        lightest = min(parts, key=lambda p: p[0])
        lightest[0] += load
        lightest[1].add(name)
    return parts[part][1]


@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_type_passes_axe_for_every_persona_in_both_languages(
    part,
    personas,
    url_kwargs,  # the matrix's world (tests/matrix_world.py)
    live_server,
    browser,
    browser_context_args,
):
    started = time.monotonic()
    base = live_server.url
    for user in personas.values():
        if user is not None:
            user.set_password(E2E_PASSWORD)
            user.save(update_fields=["password"])
    _activate_totp(personas[MFA_PERSONA])
    lengthen_user_texts()  # every text people type ends in a word wider than a phone

    visits, skipped = _project_visits(personas, url_kwargs)
    visits += [
        # allauth, anonymous: login, password reset and its steps, closed sign-up, an unknown key
        Visit("account_login", "anonymous", "/accounts/login/"),
        Visit("account_reset_password", "anonymous", "/accounts/password/reset/"),
        Visit("account_reset_password_done", "anonymous", "/accounts/password/reset/done/"),
        Visit(
            "account_reset_password_from_key (bad key)",
            "anonymous",
            "/accounts/password/reset/key/1-bad-key/",
        ),
        Visit("account_signup", "anonymous", "/accounts/signup/"),
        Visit("account_email_verification_sent", "anonymous", "/accounts/confirm-email/"),
        # allauth, logged in: e-mail, password, logout, reauthentication, two-factor pages
        Visit("account_email", ACCOUNT_PERSONA, "/accounts/email/"),
        Visit("account_change_password", ACCOUNT_PERSONA, "/accounts/password/change/"),
        Visit("account_logout", ACCOUNT_PERSONA, "/accounts/logout/"),
        Visit("account_reauthenticate", ACCOUNT_PERSONA, "/accounts/reauthenticate/"),
        Visit("mfa_index", ACCOUNT_PERSONA, "/accounts/2fa/"),
        Visit("mfa_activate_totp", ACCOUNT_PERSONA, "/accounts/2fa/totp/activate/"),
        Visit("mfa_index (active)", MFA_PERSONA, "/accounts/2fa/"),
        Visit("mfa_view_recovery_codes", MFA_PERSONA, "/accounts/2fa/recovery-codes/"),
        Visit("mfa_deactivate_totp", MFA_PERSONA, "/accounts/2fa/totp/deactivate/"),
        Visit("mfa_reauthenticate", MFA_PERSONA, "/accounts/2fa/reauthenticate/"),
        # the Django admin, as the admin
        Visit("admin:index", "admin", "/admin/"),
        # error pages
        Visit("404", "anonymous", "/no-such-page/", status=404),
        Visit("404", "outsider", f"/labs/{url_kwargs['lab_slug']}/", status=404),
        Visit("403", "tandem_a", f"/labs/{url_kwargs['lab_slug']}/edit/", status=403),
    ]
    plan = _plan(visits)
    by_persona = defaultdict(list)
    for visit in visits:
        by_persona[visit.persona].append(visit)
    form_pages = _form_error_pages(visits)
    # an axe run costs about as much as loading the page
    weight = {AXE: 2, REFLOW: 1}
    loads = {
        p: sum(weight[check] for v in vs for _language, check in plan[v.label, p])
        for p, vs in by_persona.items()
    }
    # a form page: loaded, sent emptied, axe (3)
    mine = _share({**loads, **{f"form:{name}": 3 for name, _p, _path in form_pages}}, part)

    problems: list[str] = []
    found: dict[tuple, list[str]] = defaultdict(list)
    clock = {"pages": 0, "axe": 0.0, "axe_runs": 0}

    def sweep(page, label: str, persona: str, language: str, path: str, check=AXE) -> None:
        clock["pages"] += 1
        where = f"{label} [{persona}, {language}, {WIDTHS[language]['width']} px] {path}"
        if page.locator("html").get_attribute("lang") != language:
            problems.append(f"{where}: <html lang> is not {language}")
        if WIDTHS[language]["width"] < 400 and (overflow := sideways(page)):
            problems.append(f"{where}: scrolls sideways: {overflow}")
            shot(page, f"reflow-sweep-{label}-{persona}-{language}")
        if check != AXE:
            return
        clock["axe_runs"] += 1
        axe_started = time.monotonic()
        violations = axe_violations(page)
        clock["axe"] += time.monotonic() - axe_started
        if violations:
            shot(page, f"axe-sweep-{label}-{persona}-{language}")
        for violation in violations:
            for node in violation["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                key = (violation["id"], violation["impact"], violation["help"], target)
                found[key].append(where)

    for persona, persona_visits in by_persona.items():
        if persona not in mine:
            continue
        with _browser_as(browser, browser_context_args, base, personas[persona]) as page:
            if persona == MFA_PERSONA:
                _reauthenticate(page, base)
            for language in LANGUAGES:
                _set_language(page.context, base, language)
                page.set_viewport_size(WIDTHS[language])
                for visit in persona_visits:
                    checks = dict(plan[visit.label, persona])
                    if language not in checks:
                        continue
                    response = page.goto(base + visit.path)
                    if response is None or response.status != visit.status:
                        problems.append(
                            f"{visit.label} [{persona}, {language}] {visit.path}: "
                            f"HTTP {response and response.status}, not {visit.status}"
                        )
                        continue
                    sweep(page, visit.label, persona, language, visit.path, checks[language])

    # Last, as it may write: every form that an empty POST sends back with errors, sent empty
    # from the browser as the first persona the matrix lets do that, in German at 320 px and in
    # English at 1280 px by turns (the pages themselves are swept in both).
    no_form: set[str] = set()
    for index, (name, persona, path) in enumerate(form_pages):
        if f"form:{name}" not in mine:
            continue
        with _browser_as(browser, browser_context_args, base, personas[persona]) as page:
            for language in [LANGUAGES[index % len(LANGUAGES)]]:
                _set_language(page.context, base, language)
                page.set_viewport_size(WIDTHS[language])
                page.goto(base + path)
                status = _submit_emptied_form(page)
                if status is None:
                    no_form.add(name)  # the page has no form of its own (e.g. a list page)
                    continue
                if status >= 500:
                    problems.append(f"{name} (form errors) [{persona}, {language}]: HTTP {status}")
                    continue
                sweep(page, f"{name} (form errors)", persona, language, path)

    elapsed = time.monotonic() - started
    print(
        f"\naxe sweep, part {part + 1} of {PARTS} ({', '.join(sorted(mine))}): "
        f"{clock['pages']} pages checked ({len(visits)} page variants × persona, "
        f"{len(LANGUAGES)} languages, forms with errors), {clock['axe_runs']} with axe, "
        f"in {elapsed:.1f} s, {clock['axe']:.1f} s of it in axe; "
        "not HTML, skipped: " + ", ".join(skipped) + "; POST 200 without a form of the "
        "page's own: " + ", ".join(sorted(no_form))
    )
    report = []
    for (rule, impact, help_text, target), where in sorted(found.items()):
        shown = ", ".join(where[:6]) + (f" … and {len(where) - 6} more" if len(where) > 6 else "")
        report.append(f"[{impact}] {rule}: {help_text}\n    at {target}\n    on {shown}")
    assert not problems and not report, (
        f"{len(report)} axe violation(s) and {len(problems)} other problem(s):\n"
        + "\n".join(problems + report)
    )


def test_the_sweep_would_see_a_violation(page):
    """axe is really wired in, also under a strict Content Security Policy: a missing alt text
    and an unlabelled field are reported."""
    page.set_content(
        "<!doctype html><html lang='en'><head><title>t</title>"
        "<meta http-equiv='Content-Security-Policy' content=\"script-src 'none'\"></head>"
        "<body><main><img src='x.png'><input type='text'></main></body></html>"
    )
    rules = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= rules, rules

"""Security headers with production settings, and a score under the MDN HTTP Observatory's rules.

The pages are fetched as the reverse proxy hands them on (X-Forwarded-Proto: https) with the
security values of config/settings/production.py. The scorer below implements the Observatory's
documented tests for what one response shows (mdn/mdn-http-observatory, src/analyzer/tests and
src/grader/charts.js): CSP, cookies, CORS, CORP, referrer policy, HSTS, subresource integrity,
X-Content-Type-Options and X-Frame-Options. Redirection from http:// is the proxy's business and
is not scored (Django would redirect too: SECURE_SSL_REDIRECT). A+ means a score of 100 or more.
"""

import importlib
import os
import re
import secrets
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluations import services as survey_services
from events import uploads
from tests.pdf import minimal_pdf

from .evaluations.builders import make_survey
from .events.matrix_events_world import workshop
from .shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

PROXY = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https"}
PASSWORD = "ein-sehr-langes-passwort-fuer-tests"

# The settings that decide the headers; read from production.py, not copied.
SECURITY_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CSP",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "X_FRAME_OPTIONS",
    "MFA_REQUIRED_FOR_PRIVILEGED",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "MESSAGE_STORAGE",
    "PERMISSIONS_POLICY",
]


def production_security_settings() -> dict:
    """The security values of config/settings/production.py, imported with a proper secret."""
    from config.settings import base

    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SENTRY_DSN"}}
    env["ALLOW_SQLITE"] = "true"  # the database does not matter here
    with (
        mock.patch.object(base, "SECRET_KEY", secrets.token_urlsafe(60)),
        mock.patch.dict(os.environ, env, clear=True),
    ):
        sys.modules.pop("config.settings.production", None)
        try:
            module = importlib.import_module("config.settings.production")
        finally:
            sys.modules.pop("config.settings.production", None)
    return {name: getattr(module, name) for name in SECURITY_SETTINGS}


PRODUCTION = production_security_settings()


# --- the scorer ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    test: str
    result: str
    modifier: int
    passed: bool


BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}


def parse_csp(header: str) -> dict[str, set[str]]:
    policy: dict[str, set[str]] = {}
    for part in header.split(";"):
        tokens = part.strip().split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if name in policy:
            raise ValueError(f"duplicate directive {name}")
        policy[name] = {t.lower() if not t.startswith("'nonce-") else t for t in tokens[1:]}
    return policy


def score_csp(headers) -> Outcome:
    header = headers.get("Content-Security-Policy")
    if not header:
        return Outcome("csp", "csp-not-implemented", -25, False)
    try:
        csp = parse_csp(header)
    except ValueError:
        return Outcome("csp", "csp-header-invalid", -25, False)
    default = csp.get("default-src")
    script = set(csp.get("script-src") or default or {"*"})
    style = set(csp.get("style-src") or default or {"*"})
    objects = set(csp.get("object-src") or default or {"*"})
    for sources in (script, style):
        if any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in sources):
            sources.discard("'unsafe-inline'")
    result = None
    if "'strict-dynamic'" in script:
        script = {s for s in script if s not in BROAD | {"'self'", "'unsafe-inline'"}}
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        result = result or ("csp-implemented-with-unsafe-inline", -20, False)
    active = [s for name, v in csp.items() if name not in {"img-src", "media-src"} for s in v]
    if any(s.startswith(("http:", "ftp:")) for s in active):
        result = result or ("csp-implemented-with-insecure-scheme", -20, False)
    if "'unsafe-eval'" in script | style:
        result = result or ("csp-implemented-with-unsafe-eval", -10, False)
    passive = [s for name in ("img-src", "media-src") for s in (csp.get(name) or default or ())]
    if any(s.startswith(("http:", "ftp:")) for s in passive):
        result = result or (
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
            True,
        )
    if style & (BROAD | UNSAFE_INLINE):
        result = result or ("csp-implemented-with-unsafe-inline-in-style-src-only", 0, True)
    if default == {"'none'"}:
        result = result or ("csp-implemented-with-no-unsafe-default-src-none", 10, True)
    result = result or ("csp-implemented-with-no-unsafe", 5, True)
    return Outcome("csp", *result)


def score_cookies(cookies, hsts_ok: bool) -> Outcome:
    """`cookies`: the Morsels every response of the visit set (Django's response.cookies)."""
    if not cookies:
        return Outcome("cookies", "cookies-not-found", 0, True)
    ranking = [
        ("cookies-without-secure-flag-but-protected-by-hsts", -5),
        ("cookies-without-secure-flag", -20),
        ("cookies-session-without-secure-flag-but-protected-by-hsts", -10),
        ("cookies-samesite-flag-invalid", -20),
        ("cookies-anticsrf-without-samesite-flag", -20),
        ("cookies-session-without-httponly-flag", -30),
        ("cookies-session-without-secure-flag", -40),
    ]
    worst = -1
    missing_samesite = False

    def worse(name: str) -> None:
        nonlocal worst
        worst = max(worst, [r[0] for r in ranking].index(name))

    for morsel in cookies:
        key = morsel.key.lower()
        secure, httponly = bool(morsel["secure"]), bool(morsel["httponly"])
        samesite = (morsel["samesite"] or "").lower()
        session, anticsrf = ("login" in key or "sess" in key), "csrf" in key
        if samesite and samesite not in {"lax", "strict", "none"}:
            worse("cookies-samesite-flag-invalid")
        if samesite == "none" and not secure:
            worse("cookies-samesite-flag-invalid")
        if not secure:
            worse(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts_ok
                else "cookies-without-secure-flag"
            )
        if anticsrf and not samesite:
            worse("cookies-anticsrf-without-samesite-flag")
        if session and not secure:
            worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts_ok
                else "cookies-session-without-secure-flag"
            )
        if session and not httponly:
            worse("cookies-session-without-httponly-flag")
        missing_samesite = missing_samesite or not samesite
    if worst >= 0:
        return Outcome("cookies", *ranking[worst], False)
    if missing_samesite:
        return Outcome("cookies", "cookies-secure-with-httponly-sessions", 0, True)
    return Outcome("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5, True)


def score_cors(headers) -> Outcome:
    origin = headers.get("Access-Control-Allow-Origin")
    if not origin:
        return Outcome("cors", "cross-origin-resource-sharing-not-implemented", 0, True)
    if origin.strip() == "*":
        return Outcome(
            "cors", "cross-origin-resource-sharing-implemented-with-public-access", 0, True
        )
    if headers.get("Access-Control-Allow-Credentials", "").lower() == "true":
        # the Observatory sends a made-up Origin: a server that reflects it lets any site in
        return Outcome(
            "cors", "cross-origin-resource-sharing-implemented-with-universal-access", -50, False
        )
    return Outcome(
        "cors", "cross-origin-resource-sharing-implemented-with-restricted-access", 0, True
    )


def score_corp(headers) -> Outcome:
    value = (headers.get("Cross-Origin-Resource-Policy") or "").strip().lower()
    if not value:
        return Outcome("corp", "cross-origin-resource-policy-not-implemented", 0, True)
    results = {
        "same-site": ("cross-origin-resource-policy-implemented-with-same-site", 10, True),
        "same-origin": ("cross-origin-resource-policy-implemented-with-same-origin", 10, True),
        "cross-origin": ("cross-origin-resource-policy-implemented-with-cross-origin", 0, True),
    }
    return Outcome(
        "corp", *results.get(value, ("cross-origin-resource-policy-header-invalid", -5, False))
    )


def score_referrer(headers) -> Outcome:
    header = headers.get("Referrer-Policy")
    if not header:
        return Outcome("referrer", "referrer-policy-not-implemented", 0, True)
    good = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    bad = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
    known = [v.strip().lower() for v in header.split(",") if v.strip().lower() in good | bad]
    policy = known[-1] if known else ""
    if policy in good:
        return Outcome("referrer", "referrer-policy-private", 5, True)
    if policy in bad:
        return Outcome("referrer", "referrer-policy-unsafe", -5, False)
    return Outcome("referrer", "referrer-policy-header-invalid", -5, False)


def score_hsts(headers) -> Outcome:
    header = headers.get("Strict-Transport-Security")
    if not header:
        return Outcome("hsts", "hsts-not-implemented", -20, False)
    max_age = None
    if "," in header:
        return Outcome("hsts", "hsts-header-invalid", -20, False)
    for parameter in header.split(";"):
        parameter = parameter.strip().lower()
        if parameter.startswith("max-age="):
            try:
                max_age = int(parameter[8:])
            except ValueError:
                return Outcome("hsts", "hsts-header-invalid", -20, False)
    if max_age is None:
        return Outcome("hsts", "hsts-header-invalid", -20, False)
    if max_age < 15_552_000:
        return Outcome("hsts", "hsts-implemented-max-age-less-than-six-months", -10, False)
    # hsts-preloaded (+5) needs the browsers' preload list: not claimed here
    return Outcome("hsts", "hsts-implemented-max-age-at-least-six-months", 0, True)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def score_sri(response) -> Outcome:
    if "html" not in response.get("Content-Type", ""):
        return Outcome("sri", "sri-not-implemented-response-not-html", 0, True)
    parser = _Scripts()
    parser.feed(response.content.decode(errors="replace"))
    sources = [s["src"] for s in parser.scripts if s.get("src")]
    if not sources:
        return Outcome("sri", "sri-not-implemented-but-no-scripts-loaded", 0, True)
    external = [s for s in parser.scripts if s.get("src", "").startswith(("http:", "https:", "//"))]
    if not external:
        return Outcome(
            "sri", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0, True
        )
    if any(s["src"].startswith(("http:", "//")) for s in external):
        return Outcome(
            "sri", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50, False
        )
    if all(s.get("integrity") for s in external):
        return Outcome("sri", "sri-implemented-and-external-scripts-loaded-securely", 5, True)
    return Outcome("sri", "sri-not-implemented-but-external-scripts-loaded-securely", -5, False)


def score_xcto(headers) -> Outcome:
    header = headers.get("X-Content-Type-Options")
    if not header:
        return Outcome("xcto", "x-content-type-options-not-implemented", -5, False)
    if header.strip().lower() == "nosniff":
        return Outcome("xcto", "x-content-type-options-nosniff", 0, True)
    return Outcome("xcto", "x-content-type-options-header-invalid", -5, False)


def score_xfo(headers) -> Outcome:
    try:
        csp = parse_csp(headers.get("Content-Security-Policy") or "")
    except ValueError:
        csp = {}
    if "frame-ancestors" in csp:
        return Outcome("xfo", "x-frame-options-implemented-via-csp", 5, True)
    header = (headers.get("X-Frame-Options") or "").strip().lower()
    if not header:
        return Outcome("xfo", "x-frame-options-not-implemented", -20, False)
    if header in {"deny", "sameorigin"}:
        return Outcome("xfo", "x-frame-options-sameorigin-or-deny", 0, True)
    if header.startswith("allow-from"):
        return Outcome("xfo", "x-frame-options-allow-from-origin", 0, True)
    return Outcome("xfo", "x-frame-options-header-invalid", -20, False)


def observatory(response, cookies=None) -> tuple[int, str, list[Outcome]]:
    """Score, grade and the outcome of every test for one response (and the visit's cookies)."""
    headers = response.headers
    hsts = score_hsts(headers)
    cookies = list(response.cookies.values()) if cookies is None else cookies
    outcomes = [
        score_csp(headers),
        score_cookies(cookies, hsts.passed),
        score_cors(headers),
        score_corp(headers),
        score_referrer(headers),
        hsts,
        score_sri(response),
        score_xcto(headers),
        score_xfo(headers),
    ]
    score = 100 + sum(o.modifier for o in outcomes if o.modifier < 0)
    if score >= 90:  # extra credit only for an A or better
        score += sum(o.modifier for o in outcomes if o.modifier > 0)
    score = max(score, 0)
    grades = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+")]
    grade = next((g for floor, g in grades if score >= floor), "C or worse")
    return score, grade, outcomes


def assert_a_plus(response, cookies=None, *, label: str) -> int:
    score, grade, outcomes = observatory(response, cookies)
    report = "\n".join(f"  {o.test}: {o.result} ({o.modifier:+d})" for o in outcomes)
    failed = [o for o in outcomes if not o.passed]
    assert not failed, f"{label}: failed Observatory tests\n{report}"
    assert score >= 100 and grade == "A+", f"{label}: score {score} ({grade})\n{report}"
    return score


# --- the scorer can fail -------------------------------------------------------------------------


class _Fake:
    """A response-like object for the scorer's own tests."""

    def __init__(self, headers: dict, cookies=(), body: str = "<html></html>"):
        self.headers = {"Content-Type": "text/html", **headers}
        self.cookies = {c.key: c for c in cookies}
        self.content = body.encode()

    def get(self, name, default=None):
        return self.headers.get(name, default)


def _morsel(name, **flags):
    from http.cookies import SimpleCookie

    jar = SimpleCookie()
    jar[name] = "x"
    for flag, value in flags.items():
        jar[name][flag] = value
    return jar[name]


def test_scorer_fails_a_site_without_headers():
    score, grade, outcomes = observatory(
        _Fake({}, cookies=[_morsel("sessionid")], body="<script src='http://cdn.example/x.js'>")
    )
    results = {o.test: o.result for o in outcomes}
    assert results["csp"] == "csp-not-implemented"
    assert results["cookies"] == "cookies-session-without-secure-flag"
    assert results["hsts"] == "hsts-not-implemented"
    assert results["sri"] == "sri-not-implemented-and-external-scripts-not-loaded-securely"
    assert score == 0 and grade == "C or worse"


@pytest.mark.parametrize(
    "policy, result, modifier",
    [
        ("default-src 'self'; script-src 'self' 'unsafe-inline'", "unsafe-inline", -20),
        ("default-src 'self'; script-src 'self' 'nonce-abc' 'unsafe-inline'", "no-unsafe", 5),
        ("default-src 'self'; script-src 'self' 'unsafe-eval'", "unsafe-eval", -10),
        ("default-src 'self'; style-src 'self' 'unsafe-inline'", "style-src-only", 0),
        ("default-src 'none'; script-src 'self'", "default-src-none", 10),
        ("script-src 'self'", "unsafe-inline", -20),  # object-src open
        ("default-src 'self'; script-src 'self'; script-src 'self'", "header-invalid", -25),
    ],
)
def test_scorer_csp_rules(policy, result, modifier):
    outcome = score_csp({"Content-Security-Policy": policy})
    assert outcome.result.endswith(result) and outcome.modifier == modifier


def test_scorer_grants_extra_credit_only_from_an_a():
    headers = {
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }
    # no HSTS: 100 - 20 = 80 < 90, so the +25 of CSP, referrer and framing do not count
    assert observatory(_Fake(headers))[0] == 80
    headers["Strict-Transport-Security"] = "max-age=31536000"
    assert observatory(_Fake(headers))[0] == 120


# --- the platform's pages with the production settings -------------------------------------------


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    return settings


def test_production_values_are_the_intended_ones():
    assert PRODUCTION["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert PRODUCTION["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert PRODUCTION["SESSION_COOKIE_SECURE"] and PRODUCTION["CSRF_COOKIE_SECURE"]
    assert PRODUCTION["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert PRODUCTION["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert PRODUCTION["MFA_REQUIRED_FOR_PRIVILEGED"] is True


EXPECTED_CSP = {
    "default-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "style-src": {"'self'"},
}


# Features the platform never uses, denied to itself and to any frame (issue 21): QR codes and
# charts are drawn on the server, sign-in uses TOTP (no WebAuthn), nothing locates, films,
# records, pays or talks to devices.
DENIED_FEATURES = {
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
}


def parse_permissions_policy(header: str) -> dict[str, str]:
    policy = {}
    for part in header.split(","):
        name, _, allow = part.strip().partition("=")
        assert name and name not in policy, header
        policy[name] = allow
    return policy


def assert_permissions_policy(response) -> None:
    policy = parse_permissions_policy(response.headers["Permissions-Policy"])
    denied = {name for name, allow in policy.items() if allow == "()"}
    assert denied >= DENIED_FEATURES, sorted(DENIED_FEATURES - denied)


def test_permissions_policy_parser_can_fail():
    with pytest.raises(AssertionError):
        assert_permissions_policy(_Fake({"Permissions-Policy": "camera=(), geolocation=(self)"}))
    with pytest.raises(KeyError):
        assert_permissions_policy(_Fake({}))


def assert_platform_headers(response, *, referrer=("same-origin",)) -> dict[str, set[str]]:
    """The headers every HTML page of the platform carries; returns the parsed CSP."""
    headers = response.headers
    assert_permissions_policy(response)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] in referrer
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = parse_csp(headers["Content-Security-Policy"])
    for directive, sources in EXPECTED_CSP.items():
        assert csp[directive] == sources, (directive, csp[directive])
    script = csp["script-src"]
    assert "'self'" in script
    assert not script & {"'unsafe-inline'", "'unsafe-eval'", "data:", "*", "https:"}
    return csp


def assert_scripts_carry_the_nonce(response, csp) -> None:
    nonces = [s[len("'nonce-") : -1] for s in csp["script-src"] if s.startswith("'nonce-")]
    parser = _Scripts()
    parser.feed(response.content.decode())
    if not parser.scripts:
        return
    assert len(nonces) == 1, csp["script-src"]
    for script in parser.scripts:
        assert script.get("nonce") == nonces[0], script
        assert script.get("src", "").startswith("/static/"), script
    body = response.content.decode()
    assert not re.search(r"\son[a-z]+\s*=", body), "inline event handler"
    assert "hx-on" not in body
    assert not re.search(r"\sstyle\s*=", body), "style attribute"


def _user(email, **extra):
    from accounts.models import User

    user = User.objects.create_user(email=email, password=PASSWORD, name="Sam Sicher", **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


def test_anonymous_pages_home_and_login(production):
    client = Client()
    home = client.get("/", **PROXY)
    assert home.status_code == 200
    csp = assert_platform_headers(home)
    assert_scripts_carry_the_nonce(home, csp)
    assert_a_plus(home, label="home")

    login = client.get(reverse("account_login"), **PROXY)
    assert login.status_code == 200
    csp = assert_platform_headers(login)
    assert_scripts_carry_the_nonce(login, csp)
    csrf = login.cookies[PRODUCTION["CSRF_COOKIE_NAME"]]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    assert csrf["path"] == "/" and not csrf["domain"]  # what the __Host- prefix demands
    assert_a_plus(login, label="login")


def test_login_sets_a_host_only_secure_httponly_samesite_session_cookie(production):
    user = _user("sam.sicher@example.org")
    client = Client()
    page = client.get(reverse("account_login"), **PROXY)
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_REFERER="https://testserver/accounts/login/",
        **PROXY,
    )
    assert response.status_code == 302, response.content
    session = response.cookies[PRODUCTION["SESSION_COOKIE_NAME"]]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]
    # the whole visit: csrf cookie from the form, session cookie from the login
    cookies = list(page.cookies.values()) + list(response.cookies.values())
    home = client.get("/", **PROXY)
    assert home.status_code == 200
    assert_a_plus(home, cookies, label="home after login")


def test_plain_http_is_redirected_to_https(production):
    response = Client().get("/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_coordinator_dashboard(production, coordinator, cohort_x):
    _with_totp(coordinator)
    client = Client()
    client.force_login(coordinator)
    url = reverse("cohort_dashboard", args=[cohort_x.lab.slug, cohort_x.slug])
    response = client.get(url, **PROXY)
    assert response.status_code == 200
    csp = assert_platform_headers(response)
    assert_scripts_carry_the_nonce(response, csp)
    assert_a_plus(response, label="cohort dashboard")


def test_public_survey_page_keeps_its_own_referrer_policy(production, cohort_x, municipality_a):
    survey = make_survey(cohort_x)
    link = survey_services.links_create(survey=survey, count=1, municipality=municipality_a)[0]
    url = reverse("survey_answer_link", args=[survey_services.link_token(link)])
    response = Client().get(url, **PROXY)
    assert response.status_code == 200
    csp = assert_platform_headers(response, referrer=("same-origin",))
    assert_scripts_carry_the_nonce(response, csp)
    assert "no-store" in response["Cache-Control"]
    assert_a_plus(response, label="public survey page")


def test_material_download_keeps_its_sandbox_policy(production, coordinator, world, tandem_a):

    _with_totp(coordinator)
    event = workshop(world, coordinator)
    material = uploads.event_material_create(
        event=event,
        upload=SimpleUploadedFile("Ablauf.pdf", minimal_pdf("Ablauf")),
        user=coordinator,
    )
    client = Client()
    client.force_login(tandem_a)
    url = reverse("event_material_download", args=[event.lab.slug, event.pk, material.pk])
    response = client.get(url, **PROXY)
    assert response.status_code == 200
    # the view's own policy wins over the site's: nothing in the file may run or be framed
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == {"'none'"} and "sandbox" in csp
    assert csp["frame-ancestors"] == {"'none'"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Content-Disposition"].startswith("attachment;")
    assert_permissions_policy(response)
    assert_a_plus(response, label="material download")


def test_every_response_denies_the_unused_features(production, coordinator):
    """Not only pages: redirects, errors, 405s, JSON and files carry the policy too."""
    client = Client()
    responses = [
        client.get("/labs/gibt-es-nicht/", **PROXY),  # 404
        client.get(reverse("account_logout"), **PROXY),  # a redirect or a page
        client.get("/healthz", **PROXY),
        client.put("/", **PROXY),  # 405
        Client().get("/", HTTP_X_FORWARDED_PROTO="http"),  # the redirect to https
    ]
    client.force_login(_with_totp(coordinator))
    responses.append(client.get(reverse("my_data_export"), **PROXY))
    for response in responses:
        assert_permissions_policy(response)


def _set_cookies(response) -> list:
    return list(response.cookies.values())


def test_every_cookie_set_or_deleted_in_production_is_secure(production, cohort_x, municipality_a):
    """A visit that sets and deletes every cookie the platform uses: CSRF, session (login and
    logout), messages (a message stored, then shown and deleted) and language (the switch and a
    survey page's ?lang=). Each Set-Cookie carries Secure — a deletion too, or a browser on a
    shared machine keeps sending what it was told to forget."""
    user = _user("sam.sicher@example.org")
    survey = make_survey(cohort_x)
    link = survey_services.links_create(survey=survey, count=1, municipality=municipality_a)[0]
    survey_url = reverse("survey_answer_link", args=[survey_services.link_token(link)])
    client = Client()
    seen = []
    login = client.get(reverse("account_login"), **PROXY)
    seen += _set_cookies(login)
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_REFERER="https://testserver/accounts/login/",
        **PROXY,
    )
    assert response.status_code == 302
    seen += _set_cookies(response)
    assert "messages" in response.cookies  # "Successfully signed in" waits in the cookie
    shown = client.get(response["Location"], **PROXY)
    seen += _set_cookies(shown)
    assert shown.cookies["messages"]["max-age"] == 0  # shown, so deleted
    switch = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, HTTP_REFERER="/", **PROXY
    )
    seen += _set_cookies(switch)
    assert "django_language" in switch.cookies
    seen += _set_cookies(client.get(survey_url + "?lang=de", **PROXY))
    logout = client.post(reverse("account_logout"), HTTP_REFERER="/", **PROXY)
    seen += _set_cookies(logout)
    assert logout.cookies[PRODUCTION["SESSION_COOKIE_NAME"]]["max-age"] == 0
    seen += _set_cookies(client.get(logout["Location"], **PROXY))

    names = {morsel.key for morsel in seen}
    assert {
        "messages",
        "django_language",
        PRODUCTION["SESSION_COOKIE_NAME"],
        PRODUCTION["CSRF_COOKIE_NAME"],
    } <= names, names
    deletions = [m.key for m in seen if m["max-age"] == 0]
    assert "messages" in deletions and PRODUCTION["SESSION_COOKIE_NAME"] in deletions
    insecure = [f"{m.key} (max-age={m['max-age']})" for m in seen if not m["secure"]]
    assert not insecure, f"Set-Cookie without Secure: {insecure}"
    not_lax = [m.key for m in seen if (m["samesite"] or "").lower() not in {"lax", "strict"}]
    assert not not_lax, f"Set-Cookie without SameSite: {not_lax}"

"""The Content Security Policy in the browser: pages with htmx, the print views, the timeline and
the report preview run without a single CSP violation, and htmx still swaps a 409 edit conflict in
place (no inline handler, no eval: static/js/htmx-config.js and the htmx-config meta tag)."""

import pytest

from events.models import CohortPhase, PhaseKind
from missions import services as mission_services
from missions.models import MissionProfile
from tandems import services as tandem_services

from . import test_reports
from .conftest import e2e_make_user, force_login_cookie, shot

pytestmark = pytest.mark.e2e
e2e_report = test_reports.e2e_report  # the report fixture of the report pages' test

# Record violations from the first byte on; an init script is not subject to the page's CSP.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def csp_log(context, page):
    """Console messages about the CSP from every frame, plus the violation events of the page."""
    context.add_init_script(WATCH)
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: messages.append(f"page error: {e}"))

    def violations() -> list[str]:
        return messages + page.evaluate("() => window.__csp || []")

    return violations


@pytest.fixture
def member(e2e_participation):
    user = e2e_make_user(email="tandem.ost@example.org", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=user, department="Personalamt"
    )
    return user


@pytest.fixture
def colleague(e2e_participation):
    user = e2e_make_user(email="zora.zweite@example.org", name="Zora Zweite")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=user, department="Kulturamt"
    )
    return user


def _prefix(participation) -> str:
    return f"/labs/innolab-ost/cohorts/kohorte-1/municipalities/{participation.pk}/mission"


def _mark_document(page) -> None:
    """A marker that a full page load would wipe: htmx swaps keep it."""
    page.evaluate("() => { window.__sameDocument = true; }")


def _same_document(page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


def test_vision_step_conflict_is_swapped_in_by_htmx(
    e2e_participation, member, colleague, live_server, page, context, csp_log
):
    base = live_server.url
    force_login_cookie(context, base, member)
    page.goto(f"{base}{_prefix(e2e_participation)}/vision/")
    assert page.evaluate("() => typeof htmx === 'object' && htmx.config.allowEval === false")
    assert page.evaluate("() => htmx.config.includeIndicatorStyles === false")
    _mark_document(page)
    page.fill("[name=vision]", "Annas Vision")

    # meanwhile the colleague saves the profile
    profile = MissionProfile.objects.get(participation=e2e_participation)
    mission_services.profile_update(
        profile=profile, user=colleague, expected_version=profile.version, vision="Zoras Vision"
    )

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#vision-save")
    assert answer.value.status == 409
    page.locator(".edit-conflict").wait_for()
    assert _same_document(page), "the form was submitted without htmx"
    assert page.locator("[name=vision]").input_value() == "Annas Vision"
    assert "Zora Zweite" in page.locator(".edit-conflict").inner_text()
    shot(page, "csp-vision-conflict")
    assert csp_log() == []


def test_goal_inline_edit_and_conflict(
    e2e_participation, member, colleague, live_server, page, context, csp_log
):
    base = live_server.url
    profile = MissionProfile.objects.get_or_create(participation=e2e_participation)[0]
    goal = mission_services.goal_create(
        profile=profile, user=member, statement="Mehr Vielfalt", indicator="Anteil", owner="Amt"
    )
    force_login_cookie(context, base, member)
    page.goto(f"{base}{_prefix(e2e_participation)}/goals/")
    _mark_document(page)

    page.locator(f"#goal-{goal.pk} a[hx-get]").first.click()  # the inline edit form (hx-get)
    statement = page.locator(f"#goal-{goal.pk} [name$='statement']")
    statement.wait_for()
    assert _same_document(page)
    statement.fill("Mehr Vielfalt in der Ausbildung")

    goal.refresh_from_db()
    mission_services.goal_update(
        goal=goal, user=colleague, expected_version=goal.version, owner="Personalamt"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click(f"#goal-{goal.pk}-save")
    assert answer.value.status == 409
    page.locator(f"#goal-{goal.pk} .edit-conflict").wait_for()
    assert _same_document(page)
    assert statement.input_value() == "Mehr Vielfalt in der Ausbildung"
    shot(page, "csp-goal-conflict")
    assert csp_log() == []


def test_print_view_button_works_without_an_inline_handler(
    e2e_participation, member, live_server, page, context, csp_log
):
    base = live_server.url
    MissionProfile.objects.get_or_create(participation=e2e_participation)
    context.add_init_script("window.print = () => { window.__printed = true; };")
    force_login_cookie(context, base, member)
    page.goto(f"{base}{_prefix(e2e_participation)}/print/")
    button = page.locator("[data-print]")
    assert button.is_visible(), "static/js/print.js did not run"
    button.click()
    assert page.evaluate("() => window.__printed === true")
    assert csp_log() == []


def test_coordinator_pages_timeline_and_report_preview(
    e2e_coordinator, e2e_participation, e2e_report, live_server, page, context, csp_log
):
    import datetime as dt

    cohort = e2e_participation.cohort
    cohort.start_date, cohort.end_date = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    cohort.save()
    CohortPhase.objects.create(
        cohort=cohort,
        kind=PhaseKind.MISSION,
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 6, 30),
    )
    draft, _run = e2e_report
    base = live_server.url
    force_login_cookie(context, base, e2e_coordinator)

    page.goto(f"{base}/labs/innolab-ost/cohorts/kohorte-1/")
    page.goto(f"{base}/labs/innolab-ost/cohorts/kohorte-1/timeline/")
    # months positioned by classes (timeline-positions.css), not by style attributes
    lefts = page.eval_on_selector_all(
        ".timeline__month", "els => els.map(e => parseFloat(getComputedStyle(e).left))"
    )
    assert len(lefts) == 12 and lefts == sorted(lefts) and lefts[0] < lefts[-1], lefts
    bar = page.locator(".timeline__phase").bounding_box()
    track = page.locator(".timeline__track").bounding_box()
    assert 0.2 < bar["width"] / track["width"] < 0.3  # a quarter of the year
    assert 0.2 < (bar["x"] - track["x"]) / track["width"] < 0.3  # starting after a quarter
    shot(page, "csp-timeline")

    page.goto(f"{base}/labs/innolab-ost/reports/{draft.pk}/preview/")
    frame = page.frame_locator("iframe.report-preview")
    frame.locator("h1").first.wait_for()
    assert "Abschlussbericht Kohorte 1" in frame.locator("h1").first.inner_text()
    box = page.locator("iframe.report-preview").bounding_box()
    assert box and box["height"] > 300  # sized by innolab.css, not by a style attribute
    shot(page, "csp-report-preview")
    assert csp_log() == []

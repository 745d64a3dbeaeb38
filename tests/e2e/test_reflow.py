"""Reflow and wide tables on data big enough to overflow a phone (WCAG 1.4.10 and 2.1.1).

The other browser tests use small fixtures whose tables fit a phone, so a table that widens the
page or a scroll region that no keyboard reaches goes unseen. Here a tandem with a goal holding a
300-character word, a history of many changes, a review history, an event with long file names
and surveys with results by municipality and group are opened at 320 px by the tandem member and
the coordinator. On every page: the document is no wider than the viewport and axe-core finds no
WCAG 2.1 A/AA violation (among them `scrollable-region-focusable`). Last, a wide table's region
is reached with Tab and scrolled with the arrow key.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events import uploads
from events.models import EventType
from missions import services as mission_services
from missions.models import MissionProfile, ReviewAction
from tandems import services as tandem_services
from tests.pdf import pdf_upload

from .conftest import axe_violations, e2e_make_user, force_login_cookie, format_violations, shot
from .test_survey_analysis import e2e_surveys  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 640}
LONG_WORD = "Vielfaltsorientierungsentwicklungsplanungsgrundsatzvereinbarung" * 5  # 315 chars
LONG_FILE_NAME = (
    "Protokoll_Auftaktworkshop_Vielfaltsorientierte_Personalgewinnung_und_Bindung_in_der_"
    "Kommunalverwaltung_Eichenau_2030-03-12_endgueltige_Fassung.pdf"
)


def _document_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def phone_problems(page, label: str) -> list[str]:
    """Sideways scrolling of the page at 320 px, and axe's violations."""
    problems = []
    width = _document_width(page)
    if width > PHONE["width"]:
        problems.append(f"{label} is {width} px wide at {PHONE['width']} px")
    violations = axe_violations(page)
    if violations:
        problems.append(f"axe on {label} at 320 px:\n" + format_violations(violations))
    if problems:
        shot(page, f"reflow-failure-{label}")
    return problems


@pytest.fixture
def e2e_member(e2e_participation):
    user = e2e_make_user(email="tilda.tandem@eichenau.example", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=user, department="Personalamt"
    )
    return user


@pytest.fixture
def e2e_profile(e2e_participation, e2e_member, e2e_coordinator):
    """A profile with a goal holding one very long word, six saved changes of it, a measure, a
    progress value and a review history (submitted, returned with a comment, submitted again)."""
    member = e2e_member
    profile = MissionProfile.objects.get_or_create(participation=e2e_participation)[0]
    mission_services.profile_update(
        profile=profile,
        user=member,
        expected_version=None,
        vision="Eine Verwaltung, in der sich alle wiederfinden.",
        mission_statement="Wir gewinnen Nachwuchs aus der ganzen Stadtgesellschaft.",
    )
    goal = mission_services.goal_create(
        profile=profile,
        user=member,
        statement=f"Mehr Auszubildende: {LONG_WORD}",
        indicator="Anteil der Auszubildenden mit Einwanderungsgeschichte",
        unit="%",
        baseline=Decimal("12"),
        target=Decimal("25"),
        deadline=dt.date(2030, 12, 31),
        owner="Personalamt",
        achievability="Kooperation mit Schulen und Migrant*innenorganisationen",
        relevance="Nachwuchs aus der ganzen Stadt",
    )
    for target in range(26, 32):
        goal = mission_services.goal_update(
            goal=goal,
            user=member,
            expected_version=None,
            target=Decimal(target),
            owner=f"Personalamt, Sachgebiet Ausbildung und Personalentwicklung {target}",
        )
    mission_services.measure_create(
        profile=profile,
        user=member,
        goals=[goal],
        title="Ausbildungsmessen in allen Stadtteilen",
        description=f"Stände auf den Messen. {LONG_WORD}",
        responsible="Personalamt",
        due_date=dt.date(2030, 6, 30),
    )
    mission_services.progress_add(
        goal=goal, user=member, on=timezone.localdate(), value=Decimal("14"), note=LONG_WORD
    )
    profile.refresh_from_db()
    for user, action, comment in (
        (member, ReviewAction.SUBMIT, ""),
        (e2e_coordinator, ReviewAction.RETURN, f"Bitte den Zielwert begründen. {LONG_WORD}"),
        (member, ReviewAction.SUBMIT, "Begründung ergänzt."),
    ):
        profile = mission_services.profile_review(
            profile=profile, user=user, action=action, comment=comment
        )
    return profile, goal


@pytest.fixture
def e2e_event(e2e_participation, e2e_coordinator, settings, tmp_path):
    """A workshop of the cohort with two materials: a long file name, and a long title."""
    settings.MEDIA_ROOT = str(tmp_path)
    cohort = e2e_participation.cohort
    starts = timezone.now() + dt.timedelta(days=30)
    event = event_services.event_create(
        lab=cohort.lab,
        created_by=e2e_coordinator,
        cohorts=[cohort],
        type=EventType.objects.get(lab=None, code="kickoff"),
        title=f"Auftaktworkshop {LONG_WORD[:80]}",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        place="Rathaus Eichenau, Ratssaal",
        agenda=f"Begrüßung, {LONG_WORD}",
    )
    for name, title in ((LONG_FILE_NAME, ""), ("Folien.pdf", f"Folien {LONG_WORD[:120]}")):
        uploads.event_material_create(
            event=event,
            upload=pdf_upload(name, "Protokoll"),
            user=e2e_coordinator,
            title=title,
        )
    return event


def test_pages_of_the_tandem_and_the_coordinator_fit_a_phone_and_pass_axe(
    e2e_participation,
    e2e_member,
    e2e_coordinator,
    e2e_profile,
    e2e_event,
    e2e_surveys,  # noqa: F811 (the fixture)
    live_server,
    browser,
    browser_context_args,
):
    base = live_server.url
    profile, goal = e2e_profile
    cohort = e2e_participation.cohort
    lab = cohort.lab
    mission = reverse("mission_profile", args=[lab.slug, cohort.slug, e2e_participation.pk])
    surveys = f"/labs/{lab.slug}/cohorts/{cohort.slug}/surveys"
    event_page = reverse("event_detail", args=[lab.slug, e2e_event.pk])

    tandem_pages = [
        ("mission profile overview", mission),
        ("goals", f"{mission}goals/"),
        ("goal progress", f"{mission}goals/{goal.pk}/progress/"),
        ("mission and measures", f"{mission}mission/"),
        ("mission history", f"{mission}history/"),
        ("event with materials", event_page),
    ]
    coordinator_pages = [
        ("cohort dashboard", f"/labs/{lab.slug}/cohorts/{cohort.slug}/"),
        ("mission profile overview (coordinator)", mission),
        ("mission history (coordinator)", f"{mission}history/"),
        ("event with materials (coordinator)", event_page),
        ("survey analysis", f"{surveys}/eingang/analysis/"),
        ("survey analysis by municipality", f"{surveys}/eingang/analysis/?by=municipality"),
        ("survey analysis by group", f"{surveys}/eingang/analysis/?by=group"),
        ("baseline vs final", f"{surveys}/compare/"),
        ("baseline vs final by municipality", f"{surveys}/compare/?by=municipality"),
    ]
    problems = []
    for user, pages in ((e2e_member, tandem_pages), (e2e_coordinator, coordinator_pages)):
        context = browser.new_context(**browser_context_args, viewport=PHONE)
        try:
            force_login_cookie(context, base, user)
            page = context.new_page()
            for label, path in pages:
                response = page.goto(base + path)
                assert response.status == 200, f"{label}: HTTP {response.status}"
                problems += phone_problems(page, label)
                shot(page, f"reflow-{label}")
                if label == "mission history":
                    # the profile before and after the latest change, from the history's link
                    page.locator("main a[href*='/history/compare/']").first.click()
                    page.wait_for_url("**/history/compare/**")
                    problems += phone_problems(page, "compare two moments")
                    shot(page, "reflow-compare-two-moments")
        finally:
            context.close()
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_a_wide_table_is_reached_with_tab_and_scrolled_with_the_arrow_keys(
    e2e_profile, e2e_member, e2e_participation, live_server, page
):
    base = live_server.url
    cohort = e2e_participation.cohort
    page.set_viewport_size(PHONE)
    force_login_cookie(page.context, base, e2e_member)
    page.goto(
        base + reverse("mission_history", args=[cohort.lab.slug, cohort.slug, e2e_participation.pk])
    )
    region = page.locator("main .kern-table-responsive").first
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should be wide"
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label"), "the region is named (by the table's caption)"
    # the hint before it says that the rest of the table is a swipe or an arrow key away
    hint = page.locator("main .table-region__hint").first
    assert hint.evaluate("(el, box) => el.nextElementSibling === box", region.element_handle())
    page.wait_for_function("el => !el.hidden", arg=hint.element_handle(), timeout=2000)
    assert hint.is_visible() and "⇆" in hint.inner_text()

    for _ in range(60):
        page.keyboard.press("Tab")
        if region.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the table's scroll region cannot be reached with the Tab key")
    outline = region.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2, outline

    assert region.evaluate("el => el.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=2000)
    shot(page, "reflow-history-table-focused")

    # on a wide screen the same table fits: no hint
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function("el => el.hidden", arg=hint.element_handle(), timeout=2000)
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth + 1")

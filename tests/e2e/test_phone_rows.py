"""What a person reaches on a phone without hunting for it (320 px, German).

The people page, the account list, the mission profile's overview (review history, goals) and
the list of reports end their rows with what the person came for: "Rolle entziehen",
"Deaktivieren", the coordination's comment, a goal's deadline, the PDF. In a table that scrolls
sideways these stood out of view with nothing to say that they were there; on a phone these
tables are stacked rows (static/css/innolab.css, .stacked-table), each action and comment within
the screen, each value after its column's name. At 1280 px they stay tables. A card on the
tandem's dashboard fits the screen too (it was 15 px wider than the content).
"""

import pytest

from labs import services
from labs.models import LabRole
from missions import services as mission_services
from missions.models import MissionProfile
from tandems import services as tandem_services
from tests.reports.builders import make_report_run

from .conftest import axe_check, e2e_make_user, force_login_cookie, shot, sideways
from .test_mission_review import GOAL

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
COMMENT = "Bitte ergänzen Sie bei Ziel 1 eine Frist."


def _within_screen(page, locator) -> str:
    """'' when the element lies within the screen's width (no sideways scrolling needed)."""
    box = locator.bounding_box()
    room = page.evaluate("() => document.documentElement.clientWidth")
    assert box is not None, "the element is not rendered"
    if box["x"] >= 0 and box["x"] + box["width"] <= room:
        return ""
    return f"{box['x']:.0f}–{box['x'] + box['width']:.0f} px, the screen has {room} px"


def _column_name(cell) -> str:
    """The column's name shown before a cell's value ('' when none is shown)."""
    shown = cell.evaluate("td => getComputedStyle(td, '::before').content")
    return "" if shown in ("none", "normal") else cell.get_attribute("data-label")


def _header_hidden(page) -> bool:
    """The header row is out of sight (clipped to 1 px) but still there for screen readers."""
    box = page.locator("main thead").first.bounding_box()
    return box is not None and box["width"] <= 1 and box["height"] <= 1


@pytest.fixture
def world(e2e_participation, e2e_coordinator):
    lab = e2e_participation.cohort.lab
    member = e2e_make_user(email="tilda.tandem@eichenau.example", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=member, department="Personalamt"
    )
    funder = e2e_make_user(email="fee.foerderung@example.org", name="Fee Förderung")
    services.lab_membership_grant(lab=lab, user=funder, role=LabRole.FUNDER)
    profile = MissionProfile.objects.get(participation=e2e_participation)
    profile = mission_services.profile_update(
        profile=profile,
        user=member,
        expected_version=None,
        vision="Eine Verwaltung, in der sich alle wiederfinden.",
        mission_statement="Bis 2027 öffnen wir die Ausbildung.",
    )
    mission_services.goal_create(profile=profile, user=member, **GOAL)
    profile = mission_services.profile_review(profile=profile, user=member, action="submit")
    mission_services.profile_review(
        profile=profile, user=e2e_coordinator, action="return", comment=COMMENT
    )
    admin = e2e_make_user(email="ada.admin@example.org", name="Ada Admin")
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    make_report_run(
        {"lab_x": lab, "cohort_x": e2e_participation.cohort}, e2e_coordinator, published=True
    )
    return {"lab": lab, "member": member, "profile": profile, "admin": admin, "funder": funder}


def test_actions_and_comments_are_within_a_phone_screen(
    world, e2e_coordinator, e2e_participation, live_server, browser, browser_context_args
):
    base = live_server.url
    lab = world["lab"]

    def phone_as(user):
        context = browser.new_context(**browser_context_args, viewport=PHONE)
        force_login_cookie(context, base, user)
        return context.new_page()

    page = phone_as(e2e_coordinator)
    page.goto(f"{base}/labs/{lab.slug}/people/")
    assert not sideways(page)
    revoke = page.locator("main a[href*='/people/roles/']").filter(has_text="Fee Förderung")
    assert revoke.inner_text().startswith("Rolle entziehen")
    assert not _within_screen(page, revoke), _within_screen(page, revoke)
    remove = page.locator("main a[href$='/remove/']").filter(has_text="Tilda Tandem")
    assert not _within_screen(page, remove), _within_screen(page, remove)
    # the values keep their column's name: the header row is out of sight on a phone
    email = page.locator("main td").filter(has_text="fee.foerderung@example.org")
    assert _column_name(email) == "E-Mail-Adresse"
    assert _header_hidden(page)
    shot(page, "phone-rows-people")
    axe_check(page, label="people page at 320 px")

    profile_url = (
        f"{base}/labs/{lab.slug}/cohorts/{e2e_participation.cohort.slug}/municipalities/"
        f"{e2e_participation.pk}/mission/"
    )
    page.goto(profile_url)
    comment = page.locator("main td").filter(has_text=COMMENT)
    assert not _within_screen(page, comment), _within_screen(page, comment)
    assert _column_name(comment) == "Kommentar"
    # the goals' table on the same overview: the deadline, the last column, is in view too
    deadline = page.locator("main td").filter(has_text="31.12.2027")
    assert not _within_screen(page, deadline), _within_screen(page, deadline)
    assert _column_name(deadline) == "Frist"
    assert not sideways(page)
    page.context.close()

    page = phone_as(world["admin"])
    page.goto(f"{base}/admin-tools/accounts/?q=fee.foerderung")
    deactivate = page.locator("main a[href*='/deactivate/']").first
    assert not _within_screen(page, deactivate), _within_screen(page, deactivate)
    assert _column_name(page.locator("main td").filter(has_text="aktiv").first) == "Status"
    axe_check(page, label="accounts at 320 px")
    page.context.close()

    # the funder's reports: the download is in view, after the column's name
    page = phone_as(world["funder"])
    page.goto(f"{base}/labs/{lab.slug}/reports/")
    download = page.locator("main a[href$='/report.pdf']").first
    assert not _within_screen(page, download), _within_screen(page, download)
    pdf_cell = page.locator("main td").filter(has=page.locator("a[href$='/report.pdf']"))
    assert _column_name(pdf_cell.first) == "PDF"
    page.context.close()

    # the tandem's dashboard: the card of the municipality fits the content's width
    page = phone_as(world["member"])
    page.goto(f"{base}/")
    card = page.locator("main .card-list > .kern-card").first
    card_box, list_box = card.bounding_box(), page.locator("main .card-list").first.bounding_box()
    assert card_box["x"] + card_box["width"] <= list_box["x"] + list_box["width"] + 0.5
    assert not _within_screen(page, card), _within_screen(page, card)
    page.context.close()


def test_on_a_wide_screen_they_stay_tables(
    world, e2e_coordinator, live_server, browser, browser_context_args
):
    base = live_server.url
    context = browser.new_context(**browser_context_args, viewport=DESKTOP)
    force_login_cookie(context, base, e2e_coordinator)
    page = context.new_page()
    page.goto(f"{base}/labs/{world['lab'].slug}/people/")
    table = page.locator("main table.stacked-table").first
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert table.locator("thead").is_visible()
    # no column name before the value: the header row says it
    email = table.locator("td").filter(has_text="fee.foerderung@example.org")
    assert _column_name(email) == ""
    context.close()

"""Main flows with the keyboard alone (Tab, Shift+Tab, Enter, Space; no click): accepting an
invitation, and generating and downloading a report. Writing a mission profile and answering a
survey by keyboard are in test_mission_keyboard.py and test_survey_answer.py.

Every control reached on the way must show where the focus is (WCAG 2.4.7): the tests check the
focused element's outline or box shadow. The report is rendered by the Celery task, run eagerly
in the live server's thread (config.settings.test); tests/integration covers the real worker.
"""

from urllib.parse import urlsplit

import pytest

from labs import services
from labs.models import Invitation, InvitationRole, LabRole
from reports import services as report_services
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus

from .conftest import axe_check, e2e_make_user, force_login_cookie, shot

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Lindenblatt-im-Wind-42"


def _focus_visible(page) -> bool:
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return outline || style.boxShadow !== 'none';
        }"""
    )


def _tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`, as a keyboard user would, and
    check that the focus can be seen there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert _focus_visible(page), f"{selector} has the focus but shows no focus indicator"
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def _focused_name(page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('name')")


def _invitation(participation, coordinator, email: str) -> str:
    _invitation, token = services.invitation_create(
        lab=participation.cohort.lab,
        invited_by=coordinator,
        email=email,
        name="",
        role=InvitationRole.TANDEM_MEMBER,
        participation=participation,
    )
    return token


def test_accept_an_invitation_with_a_new_account_by_keyboard(
    e2e_coordinator, e2e_participation, live_server, page
):
    email = "tilda.tastatur@eichenau.example"
    token = _invitation(e2e_participation, e2e_coordinator, email)
    page.goto(f"{live_server.url}/invitations/{token}/")
    axe_check(page, label="accept page (keyboard)")

    # the skip link first, then the fields in reading order, then the button
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    _tab_to(page, "main [name=name]")
    page.keyboard.type("Tilda Tastatur")
    page.keyboard.press("Tab")
    assert _focused_name(page) == "password1"
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    assert _focused_name(page) == "password2"
    page.keyboard.type(NEW_PASSWORD)
    # Shift+Tab goes back to where one came from
    page.keyboard.press("Shift+Tab")
    assert _focused_name(page) == "password1"
    page.keyboard.press("Tab")
    _tab_to(page, "main form button[type=submit]")
    shot(page, "keyboard-accept-button-focused")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    participation_path = (
        f"/labs/innolab-ost/cohorts/kohorte-1/municipalities/{e2e_participation.pk}/"
    )
    # (the skip link's #main stays on the URL through the form's redirect, as browsers do)
    assert urlsplit(page.url).path == participation_path
    invitation = Invitation.objects.get(email=email)
    assert invitation.accepted_by is not None
    assert invitation.accepted_by.name == "Tilda Tastatur"
    assert invitation.accepted_by.check_password(NEW_PASSWORD)
    assert e2e_participation.tandem.members.filter(user=invitation.accepted_by).exists()
    axe_check(page, label="participation page after accepting (keyboard)")


def test_accept_an_invitation_while_logged_in_by_keyboard(
    e2e_coordinator, e2e_participation, live_server, page, context
):
    email = "bea.bestand@eichenau.example"
    member = e2e_make_user(email=email, name="Bea Bestand")
    token = _invitation(e2e_participation, e2e_coordinator, email)
    force_login_cookie(context, live_server.url, member)
    page.goto(f"{live_server.url}/invitations/{token}/")

    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Space")

    assert Invitation.objects.get(email=email).accepted_by == member
    assert e2e_participation.tandem.members.filter(user=member).exists()


@pytest.fixture
def e2e_draft(e2e_participation, e2e_coordinator):
    cohort = e2e_participation.cohort
    return ReportDraft.objects.create(
        lab=cohort.lab,
        cohort=cohort,
        kind=ReportKind.FINAL,
        title="Abschlussbericht Tastatur",
        executive_summary="Eichenau hat **drei Ziele** erreicht.",
        created_by=e2e_coordinator,
    )


def test_generate_and_download_a_report_by_keyboard(
    e2e_coordinator, e2e_draft, live_server, page, context
):
    force_login_cookie(context, live_server.url, e2e_coordinator)
    page.goto(f"{live_server.url}/labs/innolab-ost/reports/{e2e_draft.pk}/")

    generate = f"main form[action$='/reports/{e2e_draft.pk}/generate/'] button[type=submit]"
    _tab_to(page, generate)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    run = ReportRun.objects.get(draft=e2e_draft)
    assert page.url == f"{live_server.url}/labs/innolab-ost/reports/runs/{run.pk}/"
    # eager Celery: the render finished inside the request; the page says so and offers the PDF
    assert run.status == RunStatus.DONE
    axe_check(page, label="report version after generating (keyboard)")
    shot(page, "keyboard-report-generated")

    _tab_to(page, f"main a[href$='/runs/{run.pk}/report.pdf']")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.endswith(f"-{run.pk}.pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert len(data) == run.size


def test_a_funder_downloads_a_published_report_by_keyboard(
    e2e_coordinator, e2e_draft, live_server, page, context
):
    run, _created = report_services.report_run_request(draft=e2e_draft, user=e2e_coordinator)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    report_services.report_run_publish(run=run, user=e2e_coordinator)
    funder = e2e_make_user(email="frida.foerder@example.org", name="Frida Förder")
    services.lab_membership_grant(lab=e2e_draft.lab, user=funder, role=LabRole.FUNDER)
    force_login_cookie(context, live_server.url, funder)

    page.goto(f"{live_server.url}/labs/innolab-ost/reports/")
    axe_check(page, label="report list (funder)")
    _tab_to(page, f"main a[href$='/runs/{run.pk}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, f"main a[href$='/runs/{run.pk}/report.pdf']")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

"""Publishing and withdrawing a report version as the coordinator and the funder would (issue
16): the coordinator publishes after the confirmation that names the funder; the funder finds the
notification and downloads the PDF; the coordinator withdraws the version with a reason; the
funder is told and can no longer download it. Each page ends with axe-core's check."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from labs import services as lab_services
from labs.models import LabRole
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus

from .conftest import axe_check, e2e_make_user, field, follow, force_login_cookie, shot, submit

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4 e2e publishing"


@pytest.fixture
def ready_version(e2e_participation, e2e_coordinator):
    """A finished, unpublished version of InnoLab Ost's final report (no worker needed)."""
    cohort = e2e_participation.cohort
    draft = ReportDraft.objects.create(
        lab=cohort.lab,
        cohort=cohort,
        kind=ReportKind.FINAL,
        title="Abschlussbericht Kohorte 1",
        created_by=e2e_coordinator,
    )
    now = timezone.now()
    run = ReportRun.objects.create(
        draft=draft,
        key="e2e-publish".ljust(64, "0"),
        status=RunStatus.DONE,
        progress=100,
        requested_by=e2e_coordinator,
        finished_at=now,
        data_as_of=now,
        checksum="a" * 64,
        size=len(PDF),
        pages=1,
    )
    run.pdf.save("report.pdf", ContentFile(PDF))
    return run


@pytest.fixture
def e2e_funder(e2e_participation):
    user = e2e_make_user(email="frieda.foerder@example.org", name="Frieda Förder")
    lab_services.lab_membership_grant(
        lab=e2e_participation.cohort.lab, user=user, role=LabRole.FUNDER
    )
    return user


def test_publish_notify_download_withdraw(
    e2e_coordinator, e2e_funder, ready_version, live_server, browser, browser_context_args
):
    base = live_server.url
    run_url = f"{base}/labs/innolab-ost/reports/runs/{ready_version.pk}/"
    coordinator = browser.new_context(**browser_context_args)
    funder = browser.new_context(**browser_context_args, accept_downloads=True)
    force_login_cookie(coordinator, base, e2e_coordinator)
    force_login_cookie(funder, base, e2e_funder)
    page, funder_page = coordinator.new_page(), funder.new_page()

    # the coordinator: the version is ready; publishing asks first and names who will see it
    page.goto(run_url)
    assert page.locator(".status-banner").get_attribute("data-state") == "ready"
    axe_check(page, label="version ready")
    follow(page, page.get_by_role("link", name="Für Fördergeber*innen veröffentlichen"))
    audience = page.locator("main section").inner_text()
    assert "Frieda Förder" in audience and "Kora Koordination" not in audience
    axe_check(page, label="publish confirmation")
    shot(page, "publish confirmation")
    submit(page)
    banner = page.locator(".status-banner")
    assert banner.get_attribute("data-state") == "published"
    assert "Kora Koordination" in banner.inner_text()
    axe_check(page, label="version published")

    # the funder: the notification leads to the version, which downloads
    funder_page.goto(f"{base}/")
    notifications = funder_page.locator("header a[href='/notifications/']")
    assert "1 ungelesene Benachrichtigung" in notifications.inner_text()
    follow(funder_page, notifications)
    notice = funder_page.locator("main ul.notification-list a").first
    assert "Abschlussbericht Kohorte 1" in notice.inner_text()
    axe_check(funder_page, label="funder's notifications (published)")
    follow(funder_page, notice)
    assert funder_page.url == run_url
    axe_check(funder_page, label="published version, funder")
    with funder_page.expect_download() as download:
        funder_page.get_by_role("link", name="PDF herunterladen").click()
    assert Path(download.value.path()).read_bytes() == PDF

    # the coordinator withdraws it: a reason is required
    follow(page, page.get_by_role("link", name="Zurückziehen"))
    axe_check(page, label="withdraw form")
    submit(page)
    assert page.locator("main .kern-error, main [role=alert]").count() >= 1
    axe_check(page, label="withdraw form without a reason")
    field(page, "reason").fill("Die Zahlen in Kapitel 3 sind falsch.")
    submit(page)
    banner = page.locator(".status-banner")
    assert banner.get_attribute("data-state") == "withdrawn"
    assert "Die Zahlen in Kapitel 3 sind falsch." in banner.inner_text()
    axe_check(page, label="version withdrawn, coordinator")
    shot(page, "version withdrawn")

    # the funder is told, and the PDF is gone
    funder_page.goto(f"{base}/notifications/")
    assert "zurückgezogen" in funder_page.locator("main ul.notification-list").inner_text()
    axe_check(funder_page, label="funder's notifications (withdrawn)")
    response = funder_page.goto(f"{run_url}report.pdf")
    assert response.status == 410
    assert "zurückgezogen" in funder_page.locator("h1").inner_text()
    assert "Kapitel 3" not in funder_page.content()
    axe_check(funder_page, label="withdrawn version, funder")
    shot(funder_page, "withdrawn version funder")
    funder_page.goto(f"{base}/labs/innolab-ost/reports/")
    assert funder_page.locator(f"a[href$='/runs/{ready_version.pk}/report.pdf']").count() == 0
    axe_check(funder_page, label="funder's report list after withdrawal")
    coordinator.close()
    funder.close()

"""A coordinator works on a report in the browser: list, new draft, the draft's page, its preview
and history, and a finished version's page. axe-core checks each page (WCAG 2.1 A/AA)."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus

from .conftest import axe_check, force_login_cookie, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def e2e_report(e2e_participation, e2e_coordinator):
    cohort = e2e_participation.cohort
    draft = ReportDraft.objects.create(
        lab=cohort.lab,
        cohort=cohort,
        kind=ReportKind.FINAL,
        title="Abschlussbericht Kohorte 1",
        executive_summary="## Auf einen Blick\n\nEichenau hat **drei Ziele** erreicht.",
        created_by=e2e_coordinator,
    )
    now = timezone.now()
    run = ReportRun.objects.create(
        draft=draft,
        key="e2e".ljust(64, "0"),
        status=RunStatus.DONE,
        progress=100,
        requested_by=e2e_coordinator,
        finished_at=now,
        data_as_of=now,
        checksum="0" * 64,
        size=13,
        pages=1,
    )
    run.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 test"))
    return draft, run


def test_report_pages_pass_axe(e2e_coordinator, e2e_report, live_server, page, context):
    draft, run = e2e_report
    base = f"{live_server.url}/labs/innolab-ost/reports"
    force_login_cookie(context, live_server.url, e2e_coordinator)

    for label, path in [
        ("report list", "/"),
        ("new report", "/new/"),
        ("report draft", f"/{draft.pk}/"),
        ("report preview", f"/{draft.pk}/preview/"),
        ("report history", f"/{draft.pk}/history/"),
        ("report version", f"/runs/{run.pk}/"),
    ]:
        response = page.goto(base + path)
        assert response.status == 200, label
        axe_check(page, label=label)
        shot(page, label)

    # the draft's page keeps the narrative typed before in its field
    page.goto(f"{base}/{draft.pk}/")
    assert "drei Ziele" in page.locator("textarea[name=executive_summary]").input_value()

"""Report objects for tests: a draft with a finished version."""

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus


def make_report_run(world, coordinator, *, published=False, key="matrix"):
    """Lab X's final-report draft for kohorte-1 with one done version (unpublished by default)."""
    draft = ReportDraft.objects.filter(lab=world["lab_x"], title="Abschlussbericht").first()
    if draft is None:
        draft = ReportDraft.objects.create(
            lab=world["lab_x"],
            cohort=world["cohort_x"],
            kind=ReportKind.FINAL,
            title="Abschlussbericht",
            created_by=coordinator,
        )
    now = timezone.now()
    run = ReportRun.objects.create(
        draft=draft,
        key=key.ljust(64, "0"),
        status=RunStatus.DONE,
        progress=100,
        requested_by=coordinator,
        finished_at=now,
        data_as_of=now,
        checksum="0" * 64,
        size=13,
        pages=1,
        published_at=now if published else None,
        published_by=coordinator if published else None,
    )
    run.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 test"))
    return draft, run

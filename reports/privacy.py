"""Reports' part of a person's data export (the protocol: accounts/privacy.py): drafts they
created or changed, images they uploaded, runs they requested, published or withdrawn. On
deletion all of it stays without an author (SET_NULL)."""

from django.db.models import Q

from accounts.privacy import register_section, rows

from .models import ReportDraft, ReportImage, ReportRun


def _reports(user) -> dict:
    historical = ReportDraft.history.model
    return {
        "report_drafts_created": rows(
            ReportDraft.objects.filter(created_by=user).order_by("pk"),
            ["id", "lab__name", "kind", "title", "created_at"],
        ),
        "report_draft_changes": rows(
            historical.objects.filter(Q(history_user=user) | Q(created_by=user)).order_by(
                "history_date", "history_id"
            ),
            ["id", "title", "history_date", "history_type"],
        ),
        "report_images_uploaded": rows(
            ReportImage.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk"),
            ["id", "draft__title", "placement", "original_name", "alt_text", "uploaded_at"],
        ),
        "report_runs_requested": rows(
            ReportRun.objects.filter(requested_by=user).order_by("requested_at", "pk"),
            ["id", "draft__title", "status", "requested_at", "finished_at"],
        ),
        "report_runs_published": rows(
            ReportRun.objects.filter(published_by=user).order_by("published_at", "pk"),
            ["id", "draft__title", "published_at"],
        ),
        "report_runs_withdrawn": rows(
            ReportRun.objects.filter(withdrawn_by=user).order_by("withdrawn_at", "pk"),
            ["id", "draft__title", "withdrawn_at", "withdrawal_reason"],
        ),
    }


def register() -> None:
    register_section(
        "reports",
        export=_reports,
        fields=[
            ("reports.ReportDraft", "created_by"),
            ("reports.HistoricalReportDraft", "history_user"),
            ("reports.HistoricalReportDraft", "created_by"),
            ("reports.ReportImage", "uploaded_by"),
            ("reports.ReportRun", "requested_by"),
            ("reports.ReportRun", "published_by"),
            ("reports.ReportRun", "withdrawn_by"),
        ],
    )

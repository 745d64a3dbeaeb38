"""Who may do what with reports. Built on labs.permissions: invisible → 404, read-only → 403.

Coordinators of the lab (and admins) write drafts, preview, generate, publish, withdraw and
download every version. Funders of the lab see the report list with published versions only and
download those; drafts, previews and unpublished versions answer 403, a withdrawn version 410
(`ReportRunAccess.gone`: the page says it was withdrawn, the PDF is no longer handed out).
A municipality's tandem downloads the published, not withdrawn versions of its own
municipality's report and mission one-pager (TANDEM_REPORT_KINDS), listed on its results page;
other reports 403 for them, as for experts; everybody else 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from labs.permissions import LabAccess, ParticipationAccess, access_lab, access_participation

from .models import ReportDraft, ReportKind, ReportRun, VersionState

# the reports about one municipality, which its tandem reads once published
TANDEM_REPORT_KINDS = (ReportKind.MUNICIPALITY, ReportKind.MISSION)


def access_reports(user, lab_slug: str, *, manage: bool = False) -> LabAccess:
    """The lab's report list: coordinators (everything) and funders (published versions)."""
    lab_access = access_lab(user, lab_slug)
    if not (lab_access.can_coordinate or lab_access.can_view_reports):
        raise PermissionDenied
    if manage and not lab_access.can_coordinate:
        raise PermissionDenied
    return lab_access


def access_report_draft(user, lab_slug: str, draft_id: int) -> tuple[LabAccess, ReportDraft]:
    """A draft of the lab, for its coordinators only (funders read published versions only)."""
    lab_access = access_lab(user, lab_slug)
    draft = (
        ReportDraft.objects.select_related("lab", "cohort", "participation__municipality")
        .filter(pk=draft_id, lab=lab_access.lab)
        .first()
    )
    if draft is None:
        raise Http404
    if not lab_access.can_coordinate:
        raise PermissionDenied
    return lab_access, draft


@dataclass(frozen=True)
class ReportRunAccess:
    lab_access: LabAccess
    run: ReportRun

    @property
    def can_manage(self) -> bool:
        return self.lab_access.can_coordinate

    @property
    def can_publish(self) -> bool:
        """Coordinators publish a finished version to the funders, once."""
        return self.can_manage and self.run.state == VersionState.READY

    @property
    def can_withdraw(self) -> bool:
        """Coordinators withdraw a published version (for good: a new version replaces it)."""
        return self.can_manage and self.run.state == VersionState.PUBLISHED

    @property
    def gone(self) -> bool:
        """A withdrawn version, for those who only read published ones: answered with 410."""
        return not self.can_manage and self.run.withdrawn_at is not None


def access_report_run(user, lab_slug: str, run_id: int, *, manage: bool = False) -> ReportRunAccess:
    """A generated version: coordinators any of the lab; funders only published ones (and a
    withdrawn one only to be told that it is gone: check `gone`)."""
    lab_access = access_lab(user, lab_slug)
    run = (
        ReportRun.objects.select_related(
            "draft__lab",
            "draft__cohort",
            "draft__participation__municipality",
            "requested_by",
            "published_by",
            "withdrawn_by",
        )
        .filter(pk=run_id, draft__lab=lab_access.lab)
        .first()
    )
    if run is None:
        raise Http404
    access = ReportRunAccess(lab_access, run)
    if access.can_manage:
        return access
    if manage or not lab_access.can_view_reports or run.published_at is None:
        raise PermissionDenied
    return access


def published_for_tandem(lab_access: LabAccess, run: ReportRun) -> bool:
    """A published, not withdrawn version of the report or one-pager of a municipality whose
    tandem the person belongs to (no query: the run comes with its draft)."""
    draft = run.draft
    return (
        run.published_at is not None
        and run.withdrawn_at is None
        and draft.kind in TANDEM_REPORT_KINDS
        and draft.participation_id in lab_access.participation_ids
    )


def access_report_pdf(user, lab_slug: str, run_id: int) -> ReportRunAccess:
    """A version's PDF: whoever opens the version (access_report_run) and a municipality's
    tandem the published versions about its municipality; others as access_report_run."""
    try:
        return access_report_run(user, lab_slug, run_id)
    except PermissionDenied:
        lab_access = access_lab(user, lab_slug)
        run = (
            ReportRun.objects.select_related("draft")
            .filter(pk=run_id, draft__lab=lab_access.lab)
            .first()
        )
        if run is not None and published_for_tandem(lab_access, run):
            return ReportRunAccess(lab_access, run)
        raise


def access_municipality_results(
    user, lab_slug: str, cohort_slug: str, participation_id: int
) -> ParticipationAccess:
    """A municipality's results page (its survey results, its published reports): its own
    tandem and the lab's coordinators, as the participation (others 404)."""
    return access_participation(user, lab_slug, cohort_slug, participation_id)

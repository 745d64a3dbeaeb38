"""Who may do what with surveys. Built on labs.permissions: invisible → 404, read-only → 403.

- Coordinators of the lab (and admins) build, distribute, analyse, export raw answers and read
  free text.
- Funders of the lab see aggregates only: the analysis without free text, aggregate exports.
- Experts and tandem members do not see results; tandem members of the cohort answer surveys that
  are offered in the platform.
- Anonymous respondents reach a survey only through a link token (see views.answer).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.fragments import remember
from labs.permissions import CohortAccess, LabAccess, access_cohort, access_lab

from .models import ImportJob, ReportDraft, ReportRun, Survey


@dataclass(frozen=True)
class SurveyAccess:
    cohort_access: CohortAccess
    survey: Survey

    @property
    def can_manage(self) -> bool:
        return self.cohort_access.lab_access.can_coordinate

    @property
    def can_see_raw(self) -> bool:
        """Raw answers and free text: coordinators only."""
        return self.can_manage

    @property
    def can_analyse(self) -> bool:
        lab_access = self.cohort_access.lab_access
        return lab_access.can_coordinate or lab_access.can_view_reports

    @property
    def is_respondent(self) -> bool:
        """A tandem member of the cohort, who may answer in the platform."""
        return bool(self.cohort_access.lab_access.participation_ids) and self.survey.in_app


def access_cohort_surveys(user, lab_slug: str, cohort_slug: str, *, manage=False) -> CohortAccess:
    """The cohort's survey list: coordinators and those who see aggregates; others 403/404."""
    access = access_cohort(user, lab_slug, cohort_slug)
    lab_access = access.lab_access
    if manage and not lab_access.can_coordinate:
        raise PermissionDenied
    if not (lab_access.can_coordinate or lab_access.can_view_reports):
        raise PermissionDenied
    return access


def access_survey(
    user,
    lab_slug: str,
    cohort_slug: str,
    survey_slug: str,
    *,
    manage: bool = False,
    analyse: bool = False,
    raw: bool = False,
) -> SurveyAccess:
    cohort_access = access_cohort(user, lab_slug, cohort_slug)
    survey = remember(
        user,
        "survey",
        cohort_access.cohort.pk,
        survey_slug,
        compute=lambda: (
            Survey.objects.select_related("cohort__lab")
            .filter(cohort=cohort_access.cohort, slug=survey_slug)
            .first()
        ),
    )
    if survey is None:
        raise Http404
    access = SurveyAccess(cohort_access, survey)
    if (manage or raw) and not access.can_manage:
        raise PermissionDenied
    if analyse and not access.can_analyse:
        raise PermissionDenied
    return access


@dataclass(frozen=True)
class ImportJobAccess:
    cohort_access: CohortAccess
    job: ImportJob


def access_import_job(user, lab_slug: str, cohort_slug: str, job_id: int) -> ImportJobAccess:
    """An import of the cohort (answers or a survey definition): its coordinators only, like the
    upload; others 403/404 as for the cohort's surveys."""
    cohort_access = access_cohort_surveys(user, lab_slug, cohort_slug, manage=True)
    job = (
        ImportJob.objects.select_related("cohort__lab", "survey", "created_by")
        .filter(pk=job_id, cohort=cohort_access.cohort)
        .first()
    )
    if job is None:
        raise Http404
    return ImportJobAccess(cohort_access, job)


# --- generated reports ----------------------------------------------------------------------------
# Coordinators of the lab (and admins) write drafts, preview, generate, publish and download every
# version. Funders of the lab see the report list with published versions only and download those;
# drafts, previews and unpublished versions answer 403. Experts and tandem members see the lab but
# no reports (403); everybody else 404.


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


def access_report_run(user, lab_slug: str, run_id: int, *, manage: bool = False) -> ReportRunAccess:
    """A generated version: coordinators any of the lab; funders only published ones."""
    lab_access = access_lab(user, lab_slug)
    run = (
        ReportRun.objects.select_related(
            "draft__lab", "draft__cohort", "draft__participation__municipality", "requested_by"
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

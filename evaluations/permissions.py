"""Who may do what with surveys. Built on labs.permissions: invisible → 404, read-only → 403.

- Coordinators of the lab (and admins) build, distribute, analyse, export raw answers and read
  free text.
- Funders of the lab see aggregates only: the analysis without free text, aggregate exports.
- Experts do not see results. Tandem members of the cohort answer surveys that are offered in the
  platform and read their own municipality's aggregates (suppressed as in the analysis, no free
  text) of the surveys that have opened; the coordinators read those pages too. Participants tied
  to one of the cohort's municipalities answer the in-platform surveys too.
- Anonymous respondents reach a survey only through a link token (see views.answer).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from core.fragments import remember
from labs.models import Participation
from labs.permissions import (
    CohortAccess,
    LabAccess,
    ParticipationAccess,
    access_cohort,
    access_lab,
    access_participation,
)

from .models import ImportJob, Survey, SurveyLink, SurveyTemplate
from .selectors import batch_links, lab_template, respondent_participation


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


def can_delete_structure(access: SurveyAccess, *, answered: bool) -> bool:
    """Deleting questions and sections with questions: coordinators, while the survey has no
    responses (afterwards it would change what stored answers mean; definitions refuses it)."""
    return access.can_manage and not answered


def access_cohort_surveys(user, lab_slug: str, cohort_slug: str, *, manage=False) -> CohortAccess:
    """The cohort's survey list: coordinators and those who see aggregates; others 403/404."""
    access = access_cohort(user, lab_slug, cohort_slug)
    lab_access = access.lab_access
    if manage and not lab_access.can_coordinate:
        raise PermissionDenied
    if not (lab_access.can_coordinate or lab_access.can_view_reports):
        raise PermissionDenied
    return access


def access_lab_results(user, lab_slug: str) -> LabAccess:
    """The lab's pooled results (all cohorts): coordinators and funders; others of the lab 403,
    outsiders 404."""
    access = access_lab(user, lab_slug)
    if not access.can_see_results:
        raise PermissionDenied
    return access


def access_lab_template(access: CohortAccess, template_id: int) -> SurveyTemplate:
    """A template of the cohort's lab, to delete (the caller manages the cohort's surveys);
    templates for every lab are managed in the administration (403), others 404."""
    template = lab_template(access.cohort.lab, template_id)
    if template is None:
        raise Http404
    if template.lab_id is None:
        raise PermissionDenied
    return template


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


def access_printable_batch(access: SurveyAccess, batch: int) -> list[SurveyLink]:
    """The links of a batch to print (all of them, used or not); 404 for a batch the survey does
    not have, and for e-mailed links: they are personal, and printing them would let anyone
    answer in someone's name."""
    links = batch_links(access.survey, batch)
    if not links or any(link.email for link in links):
        raise Http404
    return links


def access_survey_to_answer(
    user, lab_slug: str, cohort_slug: str, survey_slug: str
) -> tuple[SurveyAccess, Participation]:
    """A survey a tandem member of its cohort answers in the platform, with the participation
    the response counts for (the first one in the cohort); participants tied to a municipality
    of the cohort answer it too, for that municipality; everyone else 403/404."""
    lab_access = access_lab(user, lab_slug)
    if lab_access.take_part_participation_ids:
        found = _survey_for_participant(lab_access, cohort_slug, survey_slug)
        if found is not None:
            return found
    access = access_survey(user, lab_slug, cohort_slug, survey_slug)
    if not access.is_respondent:
        raise PermissionDenied
    participation_ids = access.cohort_access.lab_access.participation_ids
    participation = respondent_participation(access.survey, participation_ids)
    if participation is None:
        raise PermissionDenied
    return access, participation


def _survey_for_participant(
    lab_access: LabAccess, cohort_slug: str, survey_slug: str
) -> tuple[SurveyAccess, Participation] | None:
    """A participant answers the in-app surveys of the cohorts their municipality is in; they see
    nothing else of the cohort (labs.permissions.access_cohort stays closed to them). None when
    the survey is not one of those (the caller then decides as for everyone else)."""
    participation = (
        Participation.objects.select_related("municipality", "cohort__lab")
        .filter(
            pk__in=lab_access.take_part_participation_ids,
            cohort__lab=lab_access.lab,
            cohort__slug=cohort_slug,
        )
        .first()
    )
    if participation is None:
        return None
    survey = (
        Survey.objects.select_related("cohort__lab")
        .filter(cohort=participation.cohort, slug=survey_slug)
        .first()
    )
    if survey is None:
        raise Http404
    if not survey.in_app:
        raise PermissionDenied
    return SurveyAccess(CohortAccess(lab_access, participation.cohort), survey), participation


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


@dataclass(frozen=True)
class MunicipalityResultsAccess:
    """A municipality's own results of one survey (its tandem, the lab's coordinators): the
    aggregates only, whoever reads them."""

    participation_access: ParticipationAccess
    survey: Survey
    can_see_raw = False
    can_analyse = False  # the analysis's pages (charts as files, other municipalities): no


def access_municipality_results(
    user, lab_slug: str, cohort_slug: str, survey_slug: str, participation_id: int
) -> MunicipalityResultsAccess:
    """A survey of the cohort that has opened, for the municipality's own tandem and the lab's
    coordinators (labs.permissions.access_participation: everyone else 404)."""
    participation_access = access_participation(user, lab_slug, cohort_slug, participation_id)
    survey = (
        Survey.objects.select_related("cohort__lab")
        .filter(
            cohort=participation_access.participation.cohort,
            slug=survey_slug,
            opens_at__lte=timezone.now(),
        )
        .first()
    )
    if survey is None:
        raise Http404
    return MunicipalityResultsAccess(participation_access, survey)

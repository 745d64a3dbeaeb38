"""A municipality's results page, for its tandem (and the lab's coordinators): its own survey
results (each survey's page is evaluations') and the published versions of the reports about it.
It lives here because it combines data of evaluations and reports (README: Architecture)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluations.selectors import opened_cohort_surveys

from . import selectors
from .permissions import TANDEM_REPORT_KINDS, access_municipality_results


@login_required
@require_GET
def municipality_results(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_municipality_results(request.user, lab_slug, cohort_slug, participation_id)
    participation = access.participation
    context = {
        "lab": participation.cohort.lab,
        "cohort": participation.cohort,
        "participation": participation,
        "surveys": opened_cohort_surveys(participation.cohort),
        "runs": selectors.municipality_report_runs(participation, TANDEM_REPORT_KINDS),
    }
    return render(request, "reports/pages/municipality_results.html", context)

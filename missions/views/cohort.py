"""The coordinator's table of all mission profiles of a cohort, filterable and exportable; the
profiles shared in a cohort ("Learning from each other") for its tandems."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from core.fragments import fragment
from core.viewhelpers import paginate, render_page_or_partial, url_around_pk
from labs.permissions import access_cohort

from .. import exports, selectors_cohort
from ..permissions import access_shared_profiles

PER_PAGE = 50  # municipalities per page


def _status(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in dict(selectors_cohort.STATUS_FILTERS) else ""


def _table(request: HttpRequest, cohort, status: str) -> dict:
    pagination = paginate(
        request, selectors_cohort.cohort_mission_participations(cohort, status=status), PER_PAGE
    )
    rows = selectors_cohort.cohort_mission_rows(
        cohort, status=status, participations=pagination["page"].object_list
    )
    return {"rows": rows, **pagination}


def _filters(cohort) -> dict:
    counts = selectors_cohort.cohort_mission_status_counts(cohort)
    return {
        "status_filters": [
            (value, label, counts.get(value, 0)) for value, label in selectors_cohort.STATUS_FILTERS
        ],
        "total": sum(counts.values()),
    }


def _context(request: HttpRequest, cohort, status: str) -> dict:
    return {
        "lab": cohort.lab,
        "cohort": cohort,
        # the table and the filters are only computed when the page is not in the cache
        "table": SimpleLazyObject(lambda: _table(request, cohort, status)),
        "fragment": fragment(request, "cohort-missions", cohort.pk, query=("status", "page")),
        "status": status,
        "filters": SimpleLazyObject(lambda: _filters(cohort)),
        "export_query": f"status={status}&" if status else "",
        # the link of every row, built once (a {% url %} per row costs)
        "mission_url": url_around_pk("mission_profile", cohort.lab.slug, cohort.slug),
    }


@login_required
@require_GET
def cohort_missions(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    cohort = access_cohort(request.user, lab_slug, cohort_slug, coordinate=True).cohort
    status = _status(request)
    export = request.GET.get("format", "")
    if export in ("csv", "xlsx"):  # the exports hold every row, not one page
        rows = selectors_cohort.cohort_mission_rows(cohort, status=status)
        return (exports.missions_csv if export == "csv" else exports.missions_xlsx)(cohort, rows)
    return render_page_or_partial(
        request, "missions/cohort_missions.html", "mission-table", _context(request, cohort, status)
    )


@login_required
@require_GET
def shared_profiles(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_shared_profiles(request.user, lab_slug, cohort_slug)
    cohort = access.cohort
    return render(
        request,
        "missions/shared_profiles.html",
        {
            "lab": cohort.lab,
            "cohort": cohort,
            "profiles": selectors_cohort.cohort_shared_profiles(cohort),
            "own_ids": access.lab_access.participation_ids,
            "can_open_cohort": access.can_open_dashboard,
            "mission_url": url_around_pk("mission_profile", cohort.lab.slug, cohort.slug),
        },
    )

"""Survey views: import of answers files, export of aggregates and raw answers.
(URL lists at the bottom; evaluations/urls.py mounts them.)"""

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import audit
from core.viewhelpers import GET_POST, posted

from .. import exporting, import_jobs, selectors, services
from ..forms_transfer import ResponsesImportForm
from ..models import ImportKind
from ..permissions import access_import_job, access_survey
from .common import survey_context

FORMATS = ("csv", "xlsx")
RECENT_JOBS = 5


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    # answers, even aggregated, are not for shared caches
    response["Cache-Control"] = "private, no-store"
    return response


def _export_choice(request: HttpRequest, *, breakdown: bool) -> tuple[str, str | None] | str:
    """The requested (format, breakdown), or a message for an unknown value."""
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return _("Unknown format: choose csv or xlsx.")
    by = request.GET.get("by") or None
    if breakdown and by not in (None, *exporting.BREAKDOWNS):
        return _("Unknown breakdown: choose municipality or group.")
    return fmt, by


@login_required
@GET_POST
def survey_import_responses(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = access_survey(request.user, lab_slug, cohort_slug, survey_slug, manage=True)
    survey = access.survey
    form = ResponsesImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # stored and queued: the worker checks and imports it, the job's page shows how it goes
        job = services.import_job_create(
            kind=ImportKind.ANSWERS,
            cohort=survey.cohort,
            survey=survey,
            upload=form.cleaned_data["file"],
            user=request.user,
        )
        return redirect("import_job", lab_slug, cohort_slug, job.pk)
    context = {
        **survey_context(access),
        "form": form,
        "question_codes": selectors.survey_question_codes(survey),
        "recent_jobs": selectors.recent_import_jobs(survey, RECENT_JOBS),
    }
    return render(request, "evaluations/transfer/import.html", context)


@login_required
@require_GET
def import_job(request: HttpRequest, lab_slug: str, cohort_slug: str, job_id: int) -> HttpResponse:
    """An import's state: progress while it runs (the page asks for its status part every 2 s
    with htmx; without JavaScript a reload does the same), then the result or the errors."""
    access = access_import_job(request.user, lab_slug, cohort_slug, job_id)
    job = access.job
    context = {
        "lab": job.cohort.lab,
        "cohort": job.cohort,
        "survey": job.survey,
        "job": job,
        "figures": import_jobs.job_progress(job),
    }
    template = "evaluations/transfer/import_job.html"
    if request.htmx:
        template += "#job-status"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def survey_export_results(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    survey = access_survey(request.user, lab_slug, cohort_slug, survey_slug, analyse=True).survey
    choice = _export_choice(request, breakdown=True)
    if isinstance(choice, str):
        return HttpResponseBadRequest(choice, content_type="text/plain; charset=utf-8")
    fmt, by = choice
    filename = exporting.export_filename(survey, "results", fmt, by)
    if fmt == "xlsx":
        response = HttpResponse(
            exporting.results_xlsx(survey, by=by), content_type=exporting.XLSX_TYPE
        )
    else:
        content = exporting.results_csv(survey, by=by).encode("utf-8-sig")
        response = HttpResponse(content, content_type=exporting.CSV_TYPE)
    return _attachment(response, filename)


@login_required
@require_GET
def survey_export_raw(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    survey = access_survey(request.user, lab_slug, cohort_slug, survey_slug, raw=True).survey
    choice = _export_choice(request, breakdown=False)
    if isinstance(choice, str):
        return HttpResponseBadRequest(choice, content_type="text/plain; charset=utf-8")
    fmt, _by = choice
    filename = exporting.export_filename(survey, "answers", fmt)
    audit.record(
        audit.K.RAW_ANSWERS_EXPORTED,
        request=request,
        lab_id=survey.cohort.lab_id,
        target=survey.title_de,
        obj=survey,
        format=fmt,
    )
    # both stream: the download starts at once and memory does not grow with the responses
    if fmt == "xlsx":
        chunks, content_type = exporting.raw_xlsx_chunks(survey), exporting.XLSX_TYPE
    else:
        chunks, content_type = exporting.raw_csv_chunks(survey), exporting.CSV_TYPE
    return _attachment(StreamingHttpResponse(chunks, content_type=content_type), filename)


# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/
cohort_patterns = [
    path("imports/<int:job_id>/", import_job, name="import_job"),
]
# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/<survey_slug>/
survey_patterns = [
    path("import/", survey_import_responses, name="survey_import_responses"),
    path("export/results/", survey_export_results, name="survey_export_results"),
    path("export/answers/", survey_export_raw, name="survey_export_raw"),
]
# from the site root (public answering links and the like)
root_patterns = []

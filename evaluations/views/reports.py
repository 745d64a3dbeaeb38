"""Report views: drafts, their history and preview, generated versions (runs) and their PDFs.

Coordinators write a draft (narrative sections in Markdown, the municipalities, surveys and events
that go in), preview it as HTML and ask for a PDF: "generate" returns at once and the run page
shows the job's state, polled with htmx while it is queued or running (a reload does the same
without JavaScript). A coordinator publishes a finished version; funders see and download
published versions only (evaluations.permissions). (URL lists at the bottom; evaluations/urls.py
mounts them.)
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.viewhelpers import GET_POST, apply_validation_error, posted

from ..forms_reports import NARRATIVE_HELP, ReportCreateForm, ReportDraftForm
from ..models import NARRATIVE_FIELDS, ReportDraft, ReportRun, RunStatus
from ..permissions import access_report_draft, access_report_run, access_reports
from ..reports import drafts, jobs
from ..reports.render import render_html

CONFLICT = 409
RECENT_RUNS = 5  # versions per draft on the list; the draft page links to the rest
HISTORY_LIMIT = 200


def _draft_url(draft: ReportDraft) -> str:
    return reverse("report_draft", args=[draft.lab.slug, draft.pk])


def _run_url(run: ReportRun) -> str:
    return reverse("report_run", args=[run.draft.lab.slug, run.pk])


# --- list and new draft ---------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_reports(request.user, lab_slug)
    lab = access.lab
    context = {"lab": lab, "can_manage": access.can_coordinate}
    if access.can_coordinate:
        runs = ReportRun.objects.select_related("requested_by").order_by("-requested_at", "-pk")
        context["drafts"] = list(
            ReportDraft.objects.filter(lab=lab)
            .select_related("cohort", "participation__municipality")
            .prefetch_related(Prefetch("runs", queryset=runs, to_attr="all_runs"))
            .order_by("-updated_at")
        )
        for draft in context["drafts"]:
            draft.recent_runs = draft.all_runs[:RECENT_RUNS]
    else:
        context["published"] = list(
            ReportRun.objects.filter(draft__lab=lab, published_at__isnull=False)
            .select_related("draft__cohort", "draft__participation__municipality")
            .order_by("-published_at", "-pk")
        )
    return render(request, "evaluations/reports/list.html", context)


@login_required
@GET_POST
def report_create(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_reports(request.user, lab_slug, manage=True)
    form = ReportCreateForm(posted(request), lab=access.lab)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = drafts.report_draft_create(
                lab=access.lab,
                user=request.user,
                kind=data["kind"],
                title=data["title"],
                cohort=data["cohort"],
                participation=data["participation"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The report draft was created."))
            return redirect(_draft_url(draft))
    return render(request, "evaluations/reports/create.html", {"lab": access.lab, "form": form})


# --- a draft ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditConflictView:
    """What the conflict alert shows (missions/includes/edit_conflict.html)."""

    by: object
    at: datetime
    changes: list[tuple[str, str, str]]  # (field label, saved value, typed value)


def _edit_conflict(form: ReportDraftForm, current: ReportDraft) -> EditConflictView:
    """Compare the typed texts with the saved draft; move the form on to the saved version."""
    changes = []
    for name in ("title", "subtitle", *NARRATIVE_FIELDS):
        theirs, yours = getattr(current, name), form.cleaned_data.get(name, "")
        if theirs.strip() != (yours or "").strip():
            changes.append((str(form.fields[name].label), theirs, yours))
    data = form.data.copy()
    data["version"] = str(current.version)
    form.data = data
    last = current.history.select_related("history_user").order_by("-history_date").first()
    return EditConflictView(
        by=last.history_user if last else None, at=current.updated_at, changes=changes
    )


@login_required
@GET_POST
def report_draft(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    form = ReportDraftForm(posted(request), instance=draft)
    context = {"lab": draft.lab, "draft": draft, "form": form, "narrative_help": NARRATIVE_HELP}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            drafts.report_draft_update(
                draft=draft,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.text_fields,
                participations=form.cleaned_data["participations"],
                surveys=form.cleaned_data["surveys"],
                events=form.cleaned_data["events"],
            )
        except drafts.EditConflict as conflict:
            context["conflict"] = _edit_conflict(form, conflict.current)
            status = CONFLICT
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The report draft was saved."))
            return redirect(request.path)
    context["runs"] = list(
        draft.runs.select_related("requested_by").order_by("-requested_at", "-pk")
    )
    return render(request, "evaluations/reports/draft.html", context, status=status)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: object
    change_type: str  # "+" created, "~" changed, "-" deleted
    fields: list[str]  # labels of the changed fields


def _history_entries(draft: ReportDraft) -> list[HistoryEntry]:
    records = list(
        draft.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_LIMIT + 1
        ]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(entries) == HISTORY_LIMIT:
            break
        fields = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["updated_at"])
            fields = [
                str(ReportDraft._meta.get_field(change.field).verbose_name)
                for change in delta.changes
            ]
        entries.append(
            HistoryEntry(newer.history_date, newer.history_user, newer.history_type, fields)
        )
    return entries


@login_required
@require_GET
def report_history(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    context = {"lab": draft.lab, "draft": draft, "entries": _history_entries(draft)}
    return render(request, "evaluations/reports/history.html", context)


@login_required
@require_GET
def report_preview(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    context = {
        "lab": draft.lab,
        "draft": draft,
        "report_html": render_html(draft),
    }
    # The template puts the report into a sandboxed frame: nothing in it may run scripts.
    return render(request, "evaluations/reports/preview.html", context)


@login_required
@require_POST
def report_generate(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    run, created = jobs.request_run(draft, request.user)
    if created and getattr(run, "dispatched", None) is False:
        # stored as queued; dispatch_queued_report_runs sends it when the broker is back
        messages.warning(
            request,
            _(
                "The job queue is not reachable right now. Your request is saved: the report "
                "will be produced as soon as the job queue is reachable again."
            ),
        )
    elif created:
        messages.success(request, _("The PDF is queued. This page shows its progress."))
    elif run.status == RunStatus.DONE:
        messages.info(request, _("This PDF was already generated from the same draft and data."))
    else:
        messages.info(request, _("This PDF is already being generated."))
    return redirect(_run_url(run))


# --- generated versions -----------------------------------------------------------------------


@login_required
@require_GET
def report_run(request: HttpRequest, lab_slug: str, run_id: int) -> HttpResponse:
    access = access_report_run(request.user, lab_slug, run_id)
    run = access.run
    context = {
        "lab": run.draft.lab,
        "draft": run.draft,
        "run": run,
        "can_manage": access.can_manage,
        "draft_link": access.can_manage,  # funders do not open drafts
        "in_progress": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        "params": sorted((run.params or {}).items()),
    }
    template = "evaluations/reports/run.html"
    if request.htmx:
        template += "#run-status"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def report_run_publish(request: HttpRequest, lab_slug: str, run_id: int) -> HttpResponse:
    access = access_report_run(request.user, lab_slug, run_id, manage=True)
    try:
        drafts.report_run_publish(run=access.run, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The version is published: the lab's funders can see it."))
    return redirect(_run_url(access.run))


def download_filename(run: ReportRun) -> str:
    """ASCII only, no path or quote characters: safe in Content-Disposition everywhere."""
    stem = slugify(run.draft.title)[:80].strip("-") or "report"
    stamp = timezone.localtime(run.finished_at or run.requested_at).strftime("%Y-%m-%d")
    return f"{stem}-{stamp}-{run.pk}.pdf"


@login_required
@require_GET
def report_download(request: HttpRequest, lab_slug: str, run_id: int) -> FileResponse:
    access = access_report_run(request.user, lab_slug, run_id)
    run = access.run
    if run.status != RunStatus.DONE or not run.pdf:
        raise Http404
    try:
        handle = run.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_filename(run),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/ (none)
cohort_patterns = []
# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/<survey_slug>/ (none)
survey_patterns = []
# from the site root
root_patterns = [
    path("labs/<slug:lab_slug>/reports/", report_list, name="report_list"),
    path("labs/<slug:lab_slug>/reports/new/", report_create, name="report_create"),
    path("labs/<slug:lab_slug>/reports/<int:draft_id>/", report_draft, name="report_draft"),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/preview/",
        report_preview,
        name="report_preview",
    ),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/history/",
        report_history,
        name="report_history",
    ),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/generate/",
        report_generate,
        name="report_generate",
    ),
    path("labs/<slug:lab_slug>/reports/runs/<int:run_id>/", report_run, name="report_run"),
    path(
        "labs/<slug:lab_slug>/reports/runs/<int:run_id>/publish/",
        report_run_publish,
        name="report_run_publish",
    ),
    path(
        "labs/<slug:lab_slug>/reports/runs/<int:run_id>/report.pdf",
        report_download,
        name="report_download",
    ),
]

"""Report views: drafts, their history and preview, generated versions (runs) and their PDFs.

Coordinators write a draft (narrative sections in Markdown, the municipalities, surveys and events
that go in), preview it as HTML and ask for a PDF: "generate" returns at once and the run page
shows the job's state, polled with htmx while it is queued or running (a reload does the same
without JavaScript). A coordinator publishes a finished version after a confirmation page that
names who will see it, and may withdraw it with a reason; funders see and download published
versions only, and a withdrawn one answers 410 with a page that says so (reports.permissions).
URLs: reports/urls.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.conflicts import EditConflictView
from core.viewhelpers import GET_POST, apply_validation_error, posted

from . import figure_plans, quotes, selectors, services
from .forms import (
    NARRATIVE_HELP,
    FigurePlanForm,
    QuoteSelectionForm,
    ReportCreateForm,
    ReportDraftForm,
    ReportImageForm,
    WithdrawForm,
)
from .models import NARRATIVE_FIELDS, ReportDraft, ReportRun, RunStatus
from .permissions import (
    ReportRunAccess,
    access_report_draft,
    access_report_pdf,
    access_report_run,
    access_reports,
)
from .render import render_html

CONFLICT = 409
GONE = 410


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
        context["drafts"] = selectors.report_drafts_for_list(lab)
    else:
        context["published"] = selectors.published_report_runs(lab)
    return render(request, "reports/pages/list.html", context)


@login_required
@GET_POST
def report_create(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_reports(request.user, lab_slug, manage=True)
    form = ReportCreateForm(posted(request), lab=access.lab, cohort_slug=request.GET.get("cohort"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.report_draft_create(
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
    return render(request, "reports/pages/create.html", {"lab": access.lab, "form": form})


# --- a draft ----------------------------------------------------------------------------------


def _edit_conflict(form: ReportDraftForm, current: ReportDraft) -> EditConflictView:
    """The conflict alert (core.conflicts, as a plain comparison): the typed texts against the
    saved draft; the form moves on to the saved version."""
    changes = []
    for name in ("title", "subtitle", *NARRATIVE_FIELDS):
        theirs, yours = getattr(current, name), form.cleaned_data.get(name, "")
        if theirs.strip() != (yours or "").strip():
            changes.append((str(form.fields[name].label), theirs, yours))
    data = form.data.copy()
    data["version"] = str(current.version)
    form.data = data
    last = selectors.report_draft_last_change(current)
    return EditConflictView(
        by=last.history_user if last else None, at=current.updated_at, changes=changes
    )


@login_required
@GET_POST
def report_draft(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    form = ReportDraftForm(posted(request), instance=draft)
    context = {"lab": draft.lab, "draft": draft, "form": form, "narrative_help": NARRATIVE_HELP}
    if request.method == "POST" and form.is_valid():
        try:
            services.report_draft_update(
                draft=draft,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.text_fields,
                participations=form.cleaned_data["participations"],
                surveys=form.cleaned_data["surveys"],
                events=form.cleaned_data["events"],
            )
        except services.EditConflict as conflict:
            context["conflict"] = _edit_conflict(form, conflict.current)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The report draft was saved."))
            return redirect(request.path)
    context["runs"] = selectors.report_draft_runs(draft)
    status = CONFLICT if "conflict" in context else 200
    return render(request, "reports/pages/draft.html", context, status=status)


@login_required
@GET_POST
def report_quotes(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    """Choose free-text answers of the report's surveys to print as quotes."""
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    candidates = quotes.quote_candidates(draft)
    form = QuoteSelectionForm(posted(request), draft=draft, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_draft_quotes_set(
                draft=draft,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                chosen=form.chosen(candidates),
            )
        except services.EditConflict:
            messages.error(
                request, _("Someone saved the draft in the meantime. Please choose again.")
            )
            return redirect(request.path)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The quotes were saved."))
            return redirect(_draft_url(draft))
    context = {"lab": draft.lab, "draft": draft, "form": form, "candidates": candidates}
    return render(request, "reports/pages/quotes.html", context)


@login_required
@GET_POST
def report_figures(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    """Choose the figures each survey of the report prints: leave out, caption, breakdown, order."""
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    entries = figure_plans.plan_surveys(draft)
    form = FigurePlanForm(posted(request), draft=draft, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_draft_figure_plans_set(
                draft=draft,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                plans=form.cleaned_data["plans"],
            )
        except services.EditConflict:
            messages.error(
                request, _("Someone saved the draft in the meantime. Please choose again.")
            )
            return redirect(request.path)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The figures were saved."))
            return redirect(request.path if form.moved else _draft_url(draft))
    context = {"lab": draft.lab, "draft": draft, "form": form, "entries": entries}
    return render(request, "reports/pages/figures.html", context)


def _image_delete(request: HttpRequest, draft: ReportDraft) -> HttpResponse:
    wanted = request.POST.get("delete", "")
    image = draft.images.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    if image is not None:
        services.report_image_delete(image=image)
        messages.success(request, _("The image was deleted."))
    return redirect(request.path)


@login_required
@GET_POST
def report_images(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    """The draft's images: upload one (with its text alternative), or delete one (POST delete)."""
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    if request.method == "POST" and "delete" in request.POST:
        return _image_delete(request, draft)
    form = ReportImageForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_image_create(draft=draft, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The image was added to the report."))
            return redirect(request.path)
    context = {"lab": draft.lab, "draft": draft, "form": form, "images": draft.images.all()}
    return render(request, "reports/pages/images.html", context)


@login_required
@require_GET
def report_history(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    context = {"lab": draft.lab, "draft": draft, "entries": selectors.report_draft_history(draft)}
    return render(request, "reports/pages/history.html", context)


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
    return render(request, "reports/pages/preview.html", context)


@login_required
@require_POST
def report_generate(request: HttpRequest, lab_slug: str, draft_id: int) -> HttpResponse:
    _access, draft = access_report_draft(request.user, lab_slug, draft_id)
    run, created = services.report_run_request(draft=draft, user=request.user)
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


def _run_context(access: ReportRunAccess) -> dict:
    run = access.run
    return {
        "lab": run.draft.lab,
        "draft": run.draft,
        "run": run,
        "can_manage": access.can_manage,
        "draft_link": access.can_manage,  # funders do not open drafts
        "can_publish": access.can_publish,
        "can_withdraw": access.can_withdraw,
    }


def _gone(request: HttpRequest, access: ReportRunAccess) -> HttpResponse:
    """A withdrawn version, for a funder: what happened, and the way to the reports that remain."""
    return render(request, "reports/pages/gone.html", _run_context(access), status=GONE)


@login_required
@require_GET
def report_run(request: HttpRequest, lab_slug: str, run_id: int) -> HttpResponse:
    access = access_report_run(request.user, lab_slug, run_id)
    if access.gone:
        return _gone(request, access)
    run = access.run
    context = {
        **_run_context(access),
        "in_progress": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        "params": sorted((run.params or {}).items()),
    }
    template = "reports/pages/run.html"
    if request.htmx:
        template += "#run-status"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@GET_POST
def report_run_publish(request: HttpRequest, lab_slug: str, run_id: int) -> HttpResponse:
    """GET: who will see the version (the confirmation); POST: publish it."""
    access = access_report_run(request.user, lab_slug, run_id, manage=True)
    if request.method == "GET" and not access.can_publish:
        messages.info(request, _("This version cannot be published (any more)."))
        return redirect(_run_url(access.run))
    if request.method == "GET":
        context = {**_run_context(access), "audience": selectors.publication_audience(access.run)}
        return render(request, "reports/pages/publish.html", context)
    try:
        services.report_run_publish(run=access.run, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The version is published: the lab's funders can see it."))
    return redirect(_run_url(access.run))


@login_required
@GET_POST
def report_run_withdraw(request: HttpRequest, lab_slug: str, run_id: int) -> HttpResponse:
    """Take a published version back from the funders, with a reason."""
    access = access_report_run(request.user, lab_slug, run_id, manage=True)
    if not access.can_withdraw:
        if access.run.withdrawn_at is None:
            messages.error(request, _("Only a published version can be withdrawn."))
        return redirect(_run_url(access.run))
    form = WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_run_withdraw(
                run=access.run, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("The version is withdrawn: the funders can no longer download it.")
            )
            return redirect(_run_url(access.run))
    context = {**_run_context(access), "form": form}
    return render(request, "reports/pages/withdraw.html", context)


def download_filename(run: ReportRun) -> str:
    """ASCII only, no path or quote characters: safe in Content-Disposition everywhere."""
    stem = slugify(run.draft.title)[:80].strip("-") or "report"
    stamp = timezone.localtime(run.finished_at or run.requested_at).strftime("%Y-%m-%d")
    return f"{stem}-{stamp}-{run.pk}.pdf"


@login_required
@require_GET
def report_download(request: HttpRequest, lab_slug: str, run_id: int) -> HttpResponse:
    access = access_report_pdf(request.user, lab_slug, run_id)
    if access.gone:
        return _gone(request, access)
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

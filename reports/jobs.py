"""Report generation as a job: one ReportRun per draft and data, rendered once by a Celery worker.

The run's `key` (unique in the database) is the idempotency key: sha256 of the draft's id, the
fingerprint of the data it reads and the render code's version. Asking twice for the same draft
and data finds the same run, so there is one job, not two. The job mechanism of core.jobs
(REPORT_RUNS) claims the run, so two deliveries of the same task never render at the same time,
and a run that is done is never rendered again: a task redelivered after its worker was killed
finishes the run exactly once and leaves exactly one file in storage (the file name is derived
from the key, and a half-written file of a killed attempt is replaced, not kept beside the new
one).

This module is what the worker runs (reports.tasks calls it); asking for a run is
reports.services.report_run_request, and sending a run to the broker is reports.tasks.dispatch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from enum import StrEnum

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core import jobs
from notifications.languages import mail_languages

from . import render
from .models import ReportDraft, ReportRun, RunStatus, report_upload_to

logger = logging.getLogger(__name__)

# Part of every key, with render.RENDER_CODE_VERSION: bump it when this module changes what a
# stored run holds, so the same draft and data are rendered again instead of reusing an old run.
JOBS_VERSION = "1"

# Errors a later attempt can fix (database or broker away, storage full or unreachable): the
# task re-raises them and Celery retries with backoff. Everything else fails the run at once.
TRANSIENT_ERRORS = jobs.TRANSIENT_ERRORS

# A run claimed this many times without finishing (its worker died each time, e.g. out of
# memory) is failed instead of being rendered again and again.
MAX_ATTEMPTS = 5


class Outcome(StrEnum):
    DONE = RunStatus.DONE  # rendered now, or done already
    FAILED = RunStatus.FAILED  # failed now, or failed already
    BUSY = jobs.BUSY  # another worker is rendering it (not stale yet): try again later
    GONE = jobs.GONE  # the run no longer exists (its draft was deleted)


def renderer() -> Callable[..., render.RenderedReport]:
    """The function that renders a draft to a PDF: settings.REPORT_RENDERER names it
    (reports.render.render_pdf; a test worker may name a slower one to be killed mid-render)."""
    return import_string(settings.REPORT_RENDERER)


def stale_after() -> dt.timedelta:
    """How long a run may stay `running` before another delivery may take it over: longer than
    the task's hard time limit, so a worker still rendering is never overtaken."""
    return REPORT_RUNS.stale_after()


def render_version() -> str:
    return f"{render.RENDER_CODE_VERSION}.{JOBS_VERSION}"


def run_key(draft: ReportDraft, fingerprint: str | None = None) -> str:
    if fingerprint is None:
        fingerprint = render.data_fingerprint(draft)
    return hashlib.sha256(f"{draft.pk}:{fingerprint}:{render_version()}".encode()).hexdigest()


def run_params(draft: ReportDraft, fingerprint: str) -> dict:
    """What a run records of its draft and data when it is requested (shown on its page)."""
    return {
        "kind": draft.kind,
        "title": draft.title,
        "lab": draft.lab_id,
        "cohort": draft.cohort_id,
        "participation": draft.participation_id,
        "participations": sorted(draft.participations.values_list("pk", flat=True)),
        "surveys": sorted(draft.surveys.values_list("pk", flat=True)),
        "events": sorted(draft.events.values_list("pk", flat=True)),
        "draft_version": draft.version,
        "fingerprint": fingerprint,
        "render_version": render_version(),
    }


def _requester_language(run: ReportRun) -> str:
    if run.requested_by_id is None:
        return settings.LANGUAGE_CODE
    return mail_languages([run.requested_by_id])[run.requested_by_id]


def _failure_reason(run: ReportRun, exc: BaseException) -> str:
    """Short, actionable, in the requester's language; never a stack trace (that goes to the
    log)."""
    with translation.override(_requester_language(run)):
        return _active_failure_reason(exc)


def _active_failure_reason(exc: BaseException) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return _(
            "The report took too long to render. Choose fewer municipalities, surveys or events "
            "and generate it again."
        )
    if isinstance(exc, ObjectDoesNotExist):
        return _(
            "Some data the report needs no longer exists (for example a survey or an event was "
            "deleted). Check the draft's selections and generate it again."
        )
    if isinstance(exc, (TemplateSyntaxError, TemplateDoesNotExist)):
        return _(
            "The report layout could not be rendered. This is an error in the platform, not in "
            "your draft: please tell the platform team."
        )
    if isinstance(exc, TRANSIENT_ERRORS):
        return _(
            "The report could not be generated because of a temporary problem (database, "
            "queue or file storage). Please generate it again in a few minutes."
        )
    return _(
        "The report could not be generated (%(error)s). Check the draft's texts and selections "
        "and generate it again; if it fails again, please tell the platform team."
    ) % {"error": type(exc).__name__}


def fail_run(run_id: int, exc: BaseException, *, only_if: Q | None = None) -> bool:
    """Mark the run failed with a reason in its requester's language; True if it was changed."""
    return REPORT_RUNS.fail(run_id, exc, only_if=only_if)


def execute_run(run_id: int) -> Outcome:
    """Render the run's PDF and store it, once. Safe to call any number of times.

    Transient errors (database, connections, storage) put the run back to queued and are raised
    for the task's retry; other errors fail the run with a reason the coordinator can act on.
    """
    return Outcome(REPORT_RUNS.run(run_id))


def _render(run_id: int, mine) -> Outcome:
    """The work of a claimed run (core.jobs): render, store the PDF, record it through `mine`."""

    def progress(percent: int) -> None:
        mine.update(progress=max(0, min(int(percent), 99)))

    run = ReportRun.objects.select_related("draft__lab").get(pk=run_id)
    rendered = renderer()(run.draft, progress=progress)
    storage = run.pdf.storage
    name = report_upload_to(run, "report.pdf")
    # a killed attempt may have left its file: replace it, never keep a second artifact
    if storage.exists(name):
        storage.delete(name)
    run.pdf.save(name, ContentFile(rendered.pdf), save=False)
    finished = mine.update(
        pdf=run.pdf.name,
        checksum=hashlib.sha256(rendered.pdf).hexdigest(),
        size=len(rendered.pdf),
        pages=rendered.pages,
        data_as_of=rendered.data_as_of,
        finished_at=timezone.now(),
        progress=100,
        status=RunStatus.DONE,
    )
    if finished:
        run.refresh_from_db()
        notify_done(run)
    return Outcome.DONE


def _notify_failed(run: ReportRun) -> None:
    run.refresh_from_db()
    notify_done(run)


def run_url(run: ReportRun) -> str:
    lab_slug = run.draft.lab.slug
    try:
        path = reverse("report_run", kwargs={"lab_slug": lab_slug, "run_id": run.pk})
    except NoReverseMatch:  # the report pages are not installed
        return settings.SITE_URL + "/"
    return settings.SITE_URL + path


def notify_done(run: ReportRun) -> bool:
    """E-mail the requester that the run is done or failed, in their language. Best effort: a
    mail that cannot be sent is logged; the run's page shows its state either way."""
    user = run.requested_by
    if user is None or not user.email:
        return False
    draft = run.draft
    with translation.override(_requester_language(run)):
        context = {
            "run": run,
            "draft": draft,
            "lab": draft.lab,
            "recipient": user,
            "url": run_url(run),
            "done": run.status == RunStatus.DONE,
        }
        if run.status == RunStatus.DONE:
            subject = _("Report ready: %(title)s") % {"title": draft.title}
        else:
            subject = _("Report failed: %(title)s") % {"title": draft.title}
        text = render_to_string("reports/email/report_done.txt", context)
        html = render_to_string("reports/email/report_done.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Could not e-mail report run %s to its requester", run.pk)
        return False
    return True


REPORT_RUNS = jobs.JobKind(
    name="report-run",
    model=ReportRun,
    work=_render,
    failure_reason=_failure_reason,
    max_attempts=MAX_ATTEMPTS,
    stale_after_setting="REPORT_RUN_STALE_AFTER",
    redispatch_after_setting="REPORT_RUN_REDISPATCH_AFTER",
    claimed_values={"progress": 0, "error": ""},
    requeued_values={"progress": 0},
    on_failed=_notify_failed,
)

"""Writes to report drafts and versions made from the report pages (reports/views.py) and the
generate_report command: drafts, asking for a PDF (a run, rendered by reports.tasks), publishing
and withdrawing a version.

A draft carries a version counter: a save names the version the person started from, and if
someone saved in between it is refused with EditConflict, so nobody overwrites a colleague's text
unseen. simple-history keeps every saved state of the draft.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from accounts import audit
from events.uploads import clean_original_name

from . import figure_plans, jobs, media, notices, quotes, render, tasks
from .models import NARRATIVE_FIELDS, ImagePlacement, ReportDraft, ReportImage, ReportRun, RunStatus

DRAFT_TEXT_FIELDS = {"title", "subtitle", *NARRATIVE_FIELDS}


class EditConflict(Exception):
    """Someone else saved the draft after the person opened it."""

    def __init__(self, current: ReportDraft):
        super().__init__("edit conflict")
        self.current = current


@transaction.atomic
def report_draft_create(
    *, lab, user, kind: str, title: str, cohort=None, participation=None
) -> ReportDraft:
    draft = ReportDraft(
        lab=lab,
        cohort=cohort,
        participation=participation,
        kind=kind,
        title=title,
        created_by=user,
    )
    draft._history_user = user
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def report_draft_update(
    *,
    draft: ReportDraft,
    user,
    expected_version: int,
    fields: dict,
    participations=None,
    surveys=None,
    events=None,
) -> ReportDraft:
    # The row lock makes check-and-bump atomic: two saves from the same version cannot both pass.
    obj = ReportDraft.objects.select_for_update(of=("self",)).get(pk=draft.pk)
    if obj.version != expected_version:
        raise EditConflict(obj)
    unknown = set(fields) - DRAFT_TEXT_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version += 1
    obj._history_user = user
    obj.full_clean()
    obj.save()
    if participations is not None:
        obj.participations.set(participations)
    if surveys is not None:
        obj.surveys.set(surveys)
    if events is not None:
        obj.events.set(events)
    return obj


@transaction.atomic
def report_draft_quotes_set(
    *, draft: ReportDraft, user, expected_version: int, chosen: list[tuple[int, str]]
) -> ReportDraft:
    """Choose the free-text answers printed as quotes: [(answer id, chapter)] in print order.

    Refused as a whole (ValidationError, one message per answer) when any answer may not be
    quoted (reports.quotes: below the minimum group size, not a free text, not one of the
    report's surveys). Saved like the draft's texts: version check, history.
    """
    obj = ReportDraft.objects.select_for_update(of=("self",)).get(pk=draft.pk)
    if obj.version != expected_version:
        raise EditConflict(obj)
    if obj.kind not in quotes.QUOTE_KINDS:
        raise ValidationError(_("Only final reports and whitepapers print quotes."))
    seen, ordered = set(), []
    for answer_id, chapter in chosen:
        if answer_id not in seen:
            seen.add(answer_id)
            chapter = chapter if chapter in quotes.QUOTE_CHAPTERS else quotes.AFTER_SURVEY
            ordered.append({"answer": answer_id, "chapter": chapter})
    _allowed, refused = quotes.quote_refusals(obj, [item["answer"] for item in ordered])
    if refused:
        raise ValidationError(sorted(set(refused)))
    obj.quotes = ordered
    obj.version += 1
    obj._history_user = user
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def report_draft_figure_plans_set(
    *, draft: ReportDraft, user, expected_version: int, plans: dict
) -> ReportDraft:
    """Store the figures each survey of the report prints: {plan key: [FigureSpec] in print
    order, or None for the default figures} (reports.figure_plans); a plan equal to the default
    one is not stored, so the report follows later changes of the defaults. Keys not given keep
    what they had.

    Refused as a whole (ValidationError) when a key is not one of the report's surveys or a
    figure names a question its survey does not have. Saved like the draft's texts: version
    check, history.
    """
    obj = ReportDraft.objects.select_for_update(of=("self",)).get(pk=draft.pk)
    if obj.version != expected_version:
        raise EditConflict(obj)
    if obj.kind not in figure_plans.PLAN_KINDS:
        raise ValidationError(_("Only final reports and whitepapers have a list of figures."))
    entries = {entry.key: entry for entry in figure_plans.plan_surveys(obj)}
    stored = dict(obj.figure_plans) if isinstance(obj.figure_plans, dict) else {}
    problems = []
    for key, specs in plans.items():
        entry = entries.get(key)
        if entry is None:
            problems.append(_("The report has no such survey."))
            continue
        if specs is None or figure_plans.is_default(specs, entry.questions):
            stored.pop(key, None)  # None: back to the default figures
            continue
        problems += figure_plans.spec_problems(specs, entry.questions)
        stored[key] = [spec.to_json() for spec in specs]
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    obj.figure_plans = stored
    obj.version += 1
    obj._history_user = user
    obj.full_clean()
    obj.save()
    return obj


def report_image_create(
    *, draft: ReportDraft, user, file, placement: str, alt_text: str, caption: str = ""
) -> ReportImage:
    """Check the image, store it under a generated name and record it. Nothing is stored when
    the check fails (ValidationError on "file", "alt_text" or "placement")."""
    alt_text, caption = (alt_text or "").strip(), (caption or "").strip()
    if not alt_text:
        raise ValidationError(
            {"alt_text": _("Please say what the image shows (a logo: the organisation's name).")}
        )
    if placement == ImagePlacement.FUNDER_LOGO:
        logos = draft.images.filter(placement=ImagePlacement.FUNDER_LOGO).count()
        if logos >= media.FUNDER_LOGOS_MAX:
            message = _("The cover has room for %(max)d funder logos. Please delete one first.")
            raise ValidationError({"placement": message % {"max": media.FUNDER_LOGOS_MAX}})
    upload = file
    content_type = media.check_report_image(upload)
    upload.seek(0)
    with Image.open(upload.file) as decoded:
        width, height = decoded.size
    image = ReportImage(
        draft=draft,
        placement=placement,
        original_name=clean_original_name(upload.name),
        content_type=content_type,
        size=upload.size,
        width=width,
        height=height,
        alt_text=alt_text,
        caption=caption,
        uploaded_by=user,
    )
    image.full_clean(exclude=["file"])
    upload.seek(0)
    image.file.save(image.original_name, upload, save=False)
    try:
        with transaction.atomic():
            image.save()
    except BaseException:
        image.file.storage.delete(image.file.name)
        raise
    return image


def report_image_delete(*, image: ReportImage) -> None:
    """Delete the record, and the file once the deletion is committed (a rollback keeps both)."""
    storage, name = image.file.storage, image.file.name
    image.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def report_run_publish(*, run: ReportRun, user) -> ReportRun:
    """Make a finished version visible to the lab's funders (publishing twice changes nothing)."""
    obj = ReportRun.objects.select_for_update().get(pk=run.pk)
    if obj.status != RunStatus.DONE:
        raise ValidationError(_("Only a finished version can be published."))
    if obj.withdrawn_at is not None:
        raise ValidationError(
            _(
                "A withdrawn version cannot be published again. Correct the draft or the data "
                "and generate a new version."
            )
        )
    if obj.published_at is None:
        obj.published_at = timezone.now()
        obj.published_by = user
        obj.save(update_fields=["published_at", "published_by"])
        draft = run.draft
        audit.record(
            audit.K.REPORT_PUBLISHED,
            actor=user,
            lab_id=draft.lab_id,
            target=draft.title,
            obj=obj,
            version=obj.pk,
        )
        notices.published_notify(run=obj)
    return obj


WITHDRAWAL_REASON_MAX = 2000


@transaction.atomic
def report_run_withdraw(*, run: ReportRun, user, reason: str) -> ReportRun:
    """Take a published version back from the funders, for good, with the reason (audited).

    The funders can no longer open or download it and are told so; the coordinators keep seeing
    it, marked withdrawn with the reason, who and when. Withdrawing twice changes nothing.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the version is withdrawn.")})
    if len(reason) > WITHDRAWAL_REASON_MAX:
        message = _("Please keep the reason to %(max)d characters.")
        raise ValidationError({"reason": message % {"max": WITHDRAWAL_REASON_MAX}})
    obj = ReportRun.objects.select_for_update().get(pk=run.pk)
    if obj.published_at is None:
        raise ValidationError(_("Only a published version can be withdrawn."))
    if obj.withdrawn_at is not None:
        return obj
    obj.withdrawn_at = timezone.now()
    obj.withdrawn_by = user
    obj.withdrawal_reason = reason
    obj.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    draft = run.draft
    audit.record(
        audit.K.REPORT_WITHDRAWN,
        actor=user,
        lab_id=draft.lab_id,
        target=draft.title,
        obj=obj,
        version=obj.pk,
        reason=reason,
    )
    notices.withdrawn_notify(run=obj)
    return obj


def _enqueue(run: ReportRun) -> None:
    def send() -> None:
        run.dispatched = tasks.dispatch(run.pk)

    # after the commit, so the worker finds the run (and its reset) in the database; outside a
    # transaction (a view) this runs at once and `run.dispatched` tells the view how it went
    run.dispatched = None
    transaction.on_commit(send)


def report_run_request(*, draft: ReportDraft, user) -> tuple[ReportRun, bool]:
    """The run for this draft and its current data, and whether a job was queued now.

    A queued, running or done run with the same key is returned as it is (False). A failed one is
    reset to queued and queued again (True), as is a new run (True). Safe under concurrency: the
    unique key decides which of two simultaneous requests creates the run; the other finds it.
    """
    fingerprint = render.data_fingerprint(draft)
    key = jobs.run_key(draft, fingerprint)
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                draft=draft,
                key=key,
                requested_by=user,
                params=jobs.run_params(draft, fingerprint),
            )
    except IntegrityError:
        run = ReportRun.objects.get(key=key)
        retried = ReportRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).update(
            status=RunStatus.QUEUED,
            progress=0,
            error="",
            requested_by=user,
            requested_at=timezone.now(),
            started_at=None,
            finished_at=None,
        )
        if not retried:
            return run, False
        run.refresh_from_db()
    _enqueue(run)
    return run, True

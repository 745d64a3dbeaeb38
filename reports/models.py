"""The report engine's records: a draft (what a coordinator wants in a report, with its narrative)
and its runs (one Celery job each, and the PDF it produced).

The models came from the evaluations app; their tables keep the names they had there
(`evaluations_reportdraft`, `evaluations_historicalreportdraft`, `evaluations_reportrun` and the
drafts' many-to-many tables, whose names follow from the draft's table), so an installation keeps
its data: reports/migrations/0001_initial.py only moves them in Django's state.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models import Survey
from labs.models import Cohort, Lab


class ReportKind(models.TextChoices):
    WHITEPAPER = "whitepaper", _("Whitepaper")
    FINAL = "final", _("Final report")
    MUNICIPALITY = "municipality", _("Municipality report")
    MISSION = "mission", _("Mission profile one-pager")


NARRATIVE_FIELDS = (
    "foreword",
    "executive_summary",
    "method",
    "lessons",
    "challenges",
    "recommendations",
    "conclusion",
    "imprint",
    "contact",
)
# the narrative sections an image may be placed in (ReportImage.placement)
IMAGE_CHAPTERS = (
    "foreword",
    "executive_summary",
    "method",
    "lessons",
    "challenges",
    "recommendations",
    "conclusion",
)


class ReportDraft(models.Model):
    """What a coordinator wants in a report: its kind, scope, selections and narrative sections.

    Data sections are read from the stored data when a run renders it; the narrative (Markdown,
    rendered and sanitised to HTML) is written here and kept with its history.
    """

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="report_drafts")
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_drafts",
        help_text=_("Empty: the whole lab."),
    )
    participation = models.ForeignKey(
        "labs.Participation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_drafts",
        verbose_name=_("municipality"),
        help_text=_("For a municipality's report and a mission profile's one-pager."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    foreword = models.TextField(_("foreword"), blank=True)
    executive_summary = models.TextField(_("executive summary"), blank=True)
    method = models.TextField(_("method"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    imprint = models.TextField(
        _("imprint and authors"),
        blank=True,
        help_text=_("Printed at the end: publisher, authors, design."),
    )
    contact = models.TextField(_("contact"), blank=True, help_text=_("Printed at the end."))
    # [{"answer": Answer pk, "chapter": "survey" or a narrative field}], in print order: the
    # free-text answers printed as quotes (reports.quotes checks them when chosen and again
    # when printed); saved like the texts, so history and edit conflicts cover the choice
    quotes = models.JSONField(_("quotes"), default=list, blank=True)
    # {plan key: [evaluations.figures.FigureSpec.to_json(), …]}: the figures each survey (or pooled
    # survey kind) prints, edited on the figures page (reports.figure_plans); a key not in it
    # prints the default figures
    figure_plans = models.JSONField(_("figures"), default=dict, blank=True)
    participations = models.ManyToManyField(
        "labs.Participation",
        blank=True,
        related_name="+",
        verbose_name=_("municipalities"),
        help_text=_("None chosen: all municipalities of the scope."),
    )
    surveys = models.ManyToManyField(
        Survey, blank=True, related_name="report_drafts", verbose_name=_("surveys")
    )
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="report_drafts", verbose_name=_("events")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["version"], table_name="evaluations_historicalreportdraft"
    )

    class Meta:
        db_table = "evaluations_reportdraft"
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        ordering = ["lab", "-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["municipality", "mission"]) | Q(participation__isnull=False),
                name="report_draft_municipality_kinds_need_participation",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ImagePlacement(models.TextChoices):
    LAB_LOGO = "lab_logo", _("Logo of the lab (cover)")
    FUNDER_LOGO = "funder_logo", _("Logo of a funder (cover)")
    FOREWORD = "foreword", _("Foreword")
    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
    METHOD = "method", _("Method")
    LESSONS = "lessons", _("Success factors and lessons learned")
    CHALLENGES = "challenges", _("Challenges")
    RECOMMENDATIONS = "recommendations", _("Recommendations")
    CONCLUSION = "conclusion", _("Conclusion")


def report_image_upload_to(instance, filename: str) -> str:
    """A generated name: what the uploader called the file is kept in `original_name` only."""
    ext = "png" if instance.content_type == "image/png" else "jpg"
    return f"report-images/{instance.draft.lab_id}/{instance.draft_id}/{uuid.uuid4().hex}.{ext}"


class ReportImage(models.Model):
    """A raster image of a draft: a logo on the cover or a picture in a narrative chapter.

    Checked like event materials when uploaded (reports.services.report_image_create: PNG or
    JPEG only, decoded completely); WeasyPrint reads it from storage through the report's
    fetcher (reports.fetcher), never from a URL.
    """

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="images")
    placement = models.CharField(_("place"), max_length=20, choices=ImagePlacement.choices)
    file = models.FileField(upload_to=report_image_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField(_("size"))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("text alternative"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it (a logo: its name)."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("report image")
        verbose_name_plural = _("report images")
        ordering = ["draft", "placement", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="report_image_has_alt_text"),
        ]

    def __str__(self) -> str:
        return self.alt_text


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class VersionState(models.TextChoices):
    """Where a version stands, as its page and lists show it (ReportRun.state): the job's status,
    and for a finished PDF whether it is published or was withdrawn. A draft has no version yet."""

    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Failed")
    READY = "ready", _("Ready, not published")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def report_upload_to(instance, filename: str) -> str:
    return f"reports/{instance.draft.lab_id}/{instance.draft_id}/{instance.key[:16]}.pdf"


class ReportRun(models.Model):
    """One generation of a draft: a Celery job and, when done, its PDF with what it was made from.

    `key` is the idempotency key: a hash of the draft's content and the data it reads, so asking
    twice for the same draft and data finds the existing run instead of starting a second job.
    """

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="runs")
    key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("reason"), blank=True)
    params = models.JSONField(_("parameters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    pdf = models.FileField(upload_to=report_upload_to, max_length=300, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        db_table = "evaluations_reportrun"
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["draft", "-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="done"),
                name="report_run_published_only_when_done",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(published_at__isnull=False),
                name="report_run_withdrawn_only_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def state(self) -> str:
        """A VersionState value: what the status banner and the badges say."""
        if self.status != RunStatus.DONE:
            return self.status  # queued, running, failed: the same values
        if self.withdrawn_at is not None:
            return VersionState.WITHDRAWN
        if self.published_at is not None:
            return VersionState.PUBLISHED
        return VersionState.READY

    def get_state_display(self) -> str:
        return str(VersionState(self.state).label)

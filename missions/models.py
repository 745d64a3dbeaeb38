"""Mission profiles (Missionssteckbrief): vision → SMART goals → mission, measures and progress.

Profiles, goals and measures carry a `version` counter for optimistic locking (see services) and
a django-simple-history table, so every saved change is kept with who and when.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from labs.models import Lab, Participation


class DiversityDimension(models.TextChoices):
    """The inner dimensions of the "Four Layers of Diversity" plus social origin."""

    AGE = "age", _("Age")
    ETHNIC_ORIGIN = "ethnic_origin", _("Ethnic origin and nationality")
    GENDER = "gender", _("Gender and gender identity")
    ABILITY = "ability", _("Physical and mental abilities")
    RELIGION = "religion", _("Religion and world view")
    SEXUAL_ORIENTATION = "sexual_orientation", _("Sexual orientation")
    SOCIAL_ORIGIN = "social_origin", _("Social origin")


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")


class MissionProfile(models.Model):
    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="mission_profile"
    )
    # Step 1: vision and challenge
    challenge = models.TextField(_("challenge"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    dimensions = models.JSONField(_("diversity dimensions"), default=list, blank=True)
    stakeholders = models.TextField(_("stakeholders"), blank=True)
    # Step 3: mission
    mission_statement = models.TextField(_("mission statement"), blank=True)
    resources = models.TextField(_("resources and budget"), blank=True)
    risks = models.TextField(_("risks"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT
    )
    shared_with_cohort = models.BooleanField(
        _("shared with the cohort"),
        default=False,
        help_text=_("The other municipalities of the cohort may read the profile."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mission profile")
        verbose_name_plural = _("mission profiles")

    def __str__(self) -> str:
        return str(_("Mission profile of %(name)s") % {"name": self.participation.municipality})

    @property
    def is_started(self) -> bool:
        """Someone has written in it. The empty profile created at admission has updated_at ==
        created_at (services.profile_create); every write moves updated_at on."""
        return self.updated_at != self.created_at

    def dimension_labels(self) -> list[str]:
        labels = dict(DiversityDimension.choices)
        return [str(labels[d]) for d in self.dimensions if d in labels]


class IndicatorDirection(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    """A lab's catalogue indicator (Kennzahl): defined once, so that goals of different
    municipalities that pick it measure the same thing and the cohort can compare them."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(
        _("definition"), help_text=_("What exactly is counted or measured, and how.")
    )
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.HIGHER,
    )
    data_source = models.CharField(
        _("data source"),
        max_length=200,
        blank=True,
        help_text=_("Where the figures come from, e.g. the personnel statistics."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "name"], name="indicator_name_unique_in_lab")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class SmartGoal(models.Model):
    profile = models.ForeignKey(MissionProfile, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(default=0)
    statement = models.TextField(_("specific goal"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    # a catalogue indicator of the lab instead of (or as well as) the free text above
    catalogue_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("catalogue indicator"),
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    owner = models.CharField(_("responsible"), max_length=200, blank=True)
    achievability = models.TextField(
        _("what makes it achievable"),
        blank=True,
        help_text=_("Resources, support and assumptions."),
    )
    relevance = models.TextField(_("relevance to the vision"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SMART goal")
        verbose_name_plural = _("SMART goals")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.statement[:80] or str(_("Goal without text"))

    @property
    def smart_missing(self) -> list[str]:
        """The letters of S-M-A-R-T this goal does not yet fulfil."""
        missing = []
        if not self.statement.strip():
            missing.append("S")
        if not (self.indicator.strip() and self.unit.strip() and self.target is not None):
            missing.append("M")
        if not (self.achievability.strip() and self.owner.strip()):
            missing.append("A")
        if not self.relevance.strip():
            missing.append("R")
        if self.deadline is None:
            missing.append("T")
        return missing

    @property
    def submission_gaps(self) -> list[str]:
        """The fields a goal needs before its profile can be submitted and does not have yet
        (the one rule; services.submission_problems turns it into the check the tandem reads)."""
        gaps = []
        if not self.indicator.strip():
            gaps.append("indicator")
        if self.target is None:
            gaps.append("target")
        if self.deadline is None:
            gaps.append("deadline")
        return gaps

    @property
    def blocks_submission(self) -> bool:
        """A profile cannot be submitted while a goal lacks indicator, target or deadline."""
        return bool(self.submission_gaps)

    def progress_share(self, latest_value: Decimal | None) -> float | None:
        """How far the latest value has come from baseline to target, 0.0–1.0 (None if unknown)."""
        if latest_value is None or self.target is None:
            return None
        start = self.baseline if self.baseline is not None else Decimal(0)
        if self.target == start:
            return 1.0 if latest_value == self.target else 0.0
        share = float((latest_value - start) / (self.target - start))
        return max(0.0, min(1.0, share))


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SUSTAINED = "sustained", _("Sustained")
    DROPPED = "dropped", _("Dropped")


# planned → in progress → done → sustained; any open state may be dropped (with a reason).
MEASURE_TRANSITIONS = {
    MeasureStatus.PLANNED: {MeasureStatus.IN_PROGRESS, MeasureStatus.DROPPED},
    MeasureStatus.IN_PROGRESS: {MeasureStatus.DONE, MeasureStatus.DROPPED, MeasureStatus.PLANNED},
    MeasureStatus.DONE: {MeasureStatus.SUSTAINED, MeasureStatus.IN_PROGRESS},
    MeasureStatus.SUSTAINED: set(),
    MeasureStatus.DROPPED: {MeasureStatus.PLANNED},
}


class Measure(models.Model):
    profile = models.ForeignKey(MissionProfile, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("measure"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    goals = models.ManyToManyField(
        SmartGoal, blank=True, related_name="measures", verbose_name=_("goals")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""),
                name="dropped_measure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        open_states = {MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS}
        return self.due_date is not None and self.due_date < today and self.status in open_states


class ProgressUpdate(models.Model):
    goal = models.ForeignKey(SmartGoal, on_delete=models.CASCADE, related_name="progress_updates")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} ({self.date})"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned with comments")
    ACTIVATE = "activate", _("activated")
    WITHDRAW = "withdraw", _("submission withdrawn")


class ReviewEvent(models.Model):
    profile = models.ForeignKey(MissionProfile, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    # a submission's comment may answer the coordination office's return: the step it answers
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d})"

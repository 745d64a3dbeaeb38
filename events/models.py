"""Events: a cohort's phases, workshops and other events of a lab, who is invited and came, the
events' materials and people's calendar feeds.

The tables were created by the labs app and keep their names (Meta.db_table): the models moved to
this app in events/migrations/0001_initial.py without touching the database.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from labs.models import Cohort, Lab, Participation

from .filetypes import type_label


class PhaseKind(models.TextChoices):
    SETUP = "setup", _("Set-up")
    ORIENTATION = "orientation", _("Orientation")
    MISSION = "mission", _("Mission development")
    IMPLEMENTATION = "implementation", _("Implementation")
    TRANSFER = "transfer", _("Transfer")


class CohortPhase(models.Model):
    """A phase of a cohort's year on its timeline."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        db_table = "labs_cohortphase"
        ordering = ["cohort", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "kind"], name="unique_phase_per_cohort"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} – {self.get_kind_display()}"


class EventType(models.Model):
    """A format of event. Types without a lab are the built-in formats; a lab may add its own."""

    lab = models.ForeignKey(
        Lab, on_delete=models.CASCADE, null=True, blank=True, related_name="event_types"
    )
    code = models.SlugField(_("code"), max_length=40)
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("event type")
        verbose_name_plural = _("event types")
        db_table = "labs_eventtype"
        ordering = ["position", "name_de"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(lab__isnull=True), name="unique_builtin_event_type"
            ),
            models.UniqueConstraint(fields=["lab", "code"], name="unique_event_type_per_lab"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "de").startswith("en") and self.name_en:
            return self.name_en
        return self.name_de


class EventFormat(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Event(models.Model):
    """A workshop, seminar, meeting or training (part) of a lab, for one or more of its cohorts.

    Times are stored in UTC and entered and shown in Europe/Berlin. The parts of a multi-part
    training point to their first part (`series`); `sequence` counts changes that were announced,
    as iCalendar's SEQUENCE.
    """

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="events")
    # its table keeps the name labs_event_cohorts, derived from db_table below
    cohorts = models.ManyToManyField(
        Cohort, related_name="events", blank=True, verbose_name=_("cohorts")
    )
    open_to_guests = models.BooleanField(
        _("open to guests"),
        default=False,
        help_text=_("People of the lab outside the invited cohorts may register themselves."),
    )
    type = models.ForeignKey(
        EventType, on_delete=models.PROTECT, related_name="events", verbose_name=_("type")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    format = models.CharField(
        _("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.ON_SITE
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    facilitators = models.CharField(_("facilitators"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    series = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
        help_text=_("For trainings in several parts: the first part."),
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    feedback_survey = models.ForeignKey(
        "evaluations.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("feedback survey"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        db_table = "labs_event"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["lab", "starts_at"], name="event_lab_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Declined")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class EventRegistration(models.Model):
    """One person's invitation to an event, their answer and, afterwards, their attendance.

    `participation` is the municipality the person was invited for (empty for guests and people
    invited by name without one); attendance statistics per municipality count through it.
    The waiting list is ordered by `waitlisted_at`.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.INVITED,
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, blank=True
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    notified_sequence = models.PositiveIntegerField(default=0)
    # when the invitation / the promotion from the waiting list was e-mailed (the tasks' claims)
    invitation_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    promotion_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        db_table = "labs_eventregistration"
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="unique_registration"),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"


def material_upload_to(instance, filename: str) -> str:
    # a generated name: what the uploader called the file is kept in original_name only
    return f"event-materials/{instance.event_id}/{uuid.uuid4().hex}"


class EventMaterial(models.Model):
    """A file for an event (slides, minutes, photos): served only through a permission check."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to=material_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        db_table = "labs_eventmaterial"
        ordering = ["event", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def type_label(self) -> str:
        """What kind of file this is, in words (from the allow list in events/filetypes.py)."""
        return type_label(self.content_type)


class CalendarFeed(models.Model):
    """A person's private calendar subscription. The token is derived from the salt and SECRET_KEY
    (so the person's page can show the address again); lookups go by its hash. Revoking deletes the
    row; a new feed gets a new salt and so a new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        db_table = "labs_calendarfeed"

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"

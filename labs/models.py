from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

RESERVED_SLUGS = {"new"}


def validate_not_reserved(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is reserved; please choose another short name."),
            code="reserved",
            params={"value": value},
        )


ags_validator = RegexValidator(
    r"^\d{8}$",
    _("The official municipality key (AGS) has exactly 8 digits, e.g. 06412000."),
)


class State(models.TextChoices):
    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bavaria")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hesse")
    MV = "MV", _("Mecklenburg-Western Pomerania")
    NI = "NI", _("Lower Saxony")
    NW = "NW", _("North Rhine-Westphalia")
    RP = "RP", _("Rhineland-Palatinate")
    SL = "SL", _("Saarland")
    SN = "SN", _("Saxony")
    ST = "ST", _("Saxony-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thuringia")


# The first two digits of an AGS name the state.
AGS_STATE_PREFIX = {
    "01": State.SH, "02": State.HH, "03": State.NI, "04": State.HB, "05": State.NW,
    "06": State.HE, "07": State.RP, "08": State.BW, "09": State.BY, "10": State.SL,
    "11": State.BE, "12": State.BB, "13": State.MV, "14": State.SN, "15": State.ST,
    "16": State.TH,
}  # fmt: skip


def text_in_language(german: str, english: str) -> str:
    """The English text on English pages when there is one, otherwise the German."""
    if english and (get_language() or "").startswith("en"):
        return english
    return german


class Lab(models.Model):
    """A programme that runs cohorts of municipalities (e.g. InnoLab Vielfalt)."""

    slug = models.SlugField(
        _("short name (for addresses)"),
        max_length=60,
        unique=True,
        validators=[validate_not_reserved],
    )
    name = models.CharField(_("name"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    description = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(
        _("description (English)"),
        blank=True,
        help_text=_("Shown on English pages; when it is empty, they show the German description."),
    )
    funding_acknowledgement = models.TextField(
        _("funding acknowledgement"),
        blank=True,
        help_text=_("Printed in every report, e.g. who funds the lab and under which programme."),
    )
    funding_line = models.CharField(
        _("funding programme (German)"),
        max_length=300,
        blank=True,
        help_text=_(
            'The programme or funding line the lab is funded from, as in "The project at a '
            'glance" of the reports, e.g. Asyl-, Migrations- und Integrationsfonds (AMIF).'
        ),
    )
    funding_line_en = models.CharField(
        _("funding programme (English)"),
        max_length=300,
        blank=True,
        help_text=_("Shown in English reports; when it is empty, they show the German text."),
    )
    funders_read_shared_profiles = models.BooleanField(
        _("Funders may read mission profiles that a tandem shared with the cohort"),
        default=False,
        help_text=_(
            "Read only. Profiles a tandem has not shared stay visible to the coordination office "
            "and the tandem alone."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("lab")
        verbose_name_plural = _("labs")
        ordering = ["name"]
        permissions = [
            ("coordinate_lab", _("Coordinate the lab: cohorts, municipalities, people")),
            ("view_lab_reports", _("Read published reports and aggregate figures")),
            ("comment_lab", _("Read and comment on recommendations and draft reports")),
            ("take_part_in_lab", _("Take part in the lab's events and in-app surveys")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description_shown(self) -> str:
        return text_in_language(self.description, self.description_en)

    @property
    def funding_line_shown(self) -> str:
        return text_in_language(self.funding_line, self.funding_line_en)


class LabUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Lab, on_delete=models.CASCADE)


class LabGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Lab, on_delete=models.CASCADE)


class LabRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    FUNDER = "funder", _("Funder")
    EXPERT = "expert", _("Expert")
    # takes part without editing a mission profile: trained multipliers, volunteers, colleagues
    # from other departments; events and in-app surveys of the lab, no cohort pages
    PARTICIPANT = "participant", _("Participant")


class LabMembership(models.Model):
    """A person's role in a lab; the guardian group grants follow from it (see services)."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=LabRole.choices)
    # a participant may be tied to a municipality: their attendance and answers count for it
    municipality = models.ForeignKey(
        "Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("lab membership")
        verbose_name_plural = _("lab memberships")
        constraints = [
            models.UniqueConstraint(fields=["lab", "user", "role"], name="unique_lab_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.lab}"


class Cohort(models.Model):
    """One round of a lab with its own municipalities, e.g. "Kohorte 1 (2020–2021)"."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="cohorts")
    slug = models.SlugField(
        _("short name (for addresses)"), max_length=60, validators=[validate_not_reserved]
    )
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    description = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(
        _("description (English)"),
        blank=True,
        help_text=_("Shown on English pages; when it is empty, they show the German description."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["lab", "start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "slug"], name="unique_cohort_slug_per_lab"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lab.name} – {self.name}"

    @property
    def description_shown(self) -> str:
        return text_in_language(self.description, self.description_en)

    @property
    def address(self) -> str:
        return f"{self.lab.slug}/{self.slug}"


class Municipality(models.Model):
    """A municipality (Kommune) known to a lab; master data, nothing personal."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="municipalities")
    name = models.CharField(_("name"), max_length=200)
    ags = models.CharField(
        _("official municipality key (AGS)"),
        max_length=8,
        blank=True,
        validators=[ags_validator],
        help_text=_("8 digits, e.g. 06412000 for Frankfurt am Main."),
    )
    state = models.CharField(_("state"), max_length=2, choices=State.choices)
    district = models.CharField(
        _("district"), max_length=200, blank=True, help_text=_("Landkreis, or “kreisfrei”.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population as of"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "name"], name="unique_municipality_per_lab"),
            models.UniqueConstraint(
                fields=["lab", "ags"], condition=~Q(ags=""), name="unique_ags_per_lab"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.ags and self.state and len(self.ags) == 8:
            expected = AGS_STATE_PREFIX.get(self.ags[:2])
            if expected is None:
                errors["ags"] = _("This AGS does not start with the number of a German state.")
            elif expected != self.state:
                errors["ags"] = _("This AGS belongs to %(state)s, not to the state chosen.") % {
                    "state": expected.label
                }
        if self.population is not None and self.population_date is None:
            errors["population_date"] = _("Please give the date the population figure refers to.")
        if errors:
            raise ValidationError(errors)


class ParticipationStatus(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    ADMITTED = "admitted", _("Admitted")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class Participation(models.Model):
    """A municipality in a cohort; its texts form the municipality's chapter of the final report."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="participations", verbose_name=_("cohort")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.ADMITTED,
    )
    starting_situation = models.TextField(_("starting situation"), blank=True)
    process_goals = models.TextField(_("goals of the process support"), blank=True)
    central_results = models.TextField(_("central results"), blank=True)
    created_at = models.DateTimeField(_("admitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "municipality"], name="unique_municipality_per_cohort"
            ),
        ]
        permissions = [
            ("work_on_participation", _("Work on the municipality's tandem and mission")),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} ({self.cohort.name})"


class ParticipationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Participation, on_delete=models.CASCADE)


class ParticipationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Participation, on_delete=models.CASCADE)


class InvitationRole(models.TextChoices):
    TANDEM_MEMBER = "tandem_member", _("Tandem member of a municipality")
    COORDINATOR = "coordinator", _("Coordinator")
    FUNDER = "funder", _("Funder")
    EXPERT = "expert", _("Expert")
    PARTICIPANT = "participant", _("Participant")


class Invitation(models.Model):
    """A single-use, expiring invitation to a role; only the token's hash is stored."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="invitations")
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("municipality"),
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=InvitationRole.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The link's token is derived from this salt and SECRET_KEY, so the e-mail task can rebuild
    # it without the token ever being stored or passed through the broker.
    token_salt = models.CharField(max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=8, default="de")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # a tandem member joins a municipality's tandem; a participant may be tied to one
            models.CheckConstraint(
                condition=Q(role="tandem_member", participation__isnull=False)
                | Q(role="participant")
                | (~Q(role__in=["tandem_member", "participant"]) & Q(participation__isnull=True)),
                name="invitation_participation_for_tandem_or_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def state_label(self) -> str:
        if self.accepted_at:
            return str(_("accepted"))
        if self.revoked_at:
            return str(_("revoked"))
        if self.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("pending"))

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labs.models import Participation


class Tandem(models.Model):
    """The cross-department team a municipality sends into its cohort (one per participation)."""

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="tandem"
    )
    sponsor_name = models.CharField(_("leadership sponsor"), max_length=200, blank=True)
    sponsor_function = models.CharField(
        _("function of the sponsor"),
        max_length=200,
        blank=True,
        help_text=_("E.g. mayor, head of department."),
    )
    commitment_date = models.DateField(
        _("date of the leadership's commitment"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("tandem")
        verbose_name_plural = _("tandems")

    def __str__(self) -> str:
        return str(self.participation)


class TandemMember(models.Model):
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tandem_memberships"
    )
    department = models.CharField(
        _("department"), max_length=200, blank=True, help_text=_("Fachbereich or Ressort.")
    )
    function = models.CharField(_("role in the tandem"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("tandem member")
        verbose_name_plural = _("tandem members")
        ordering = ["user__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["tandem", "user"], name="unique_tandem_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.tandem})"


# a tandem is complete with members from at least two departments
TANDEM_MIN_MEMBERS = 2
TANDEM_MIN_DEPARTMENTS = 2


def tandem_gaps(n_members: int, n_departments: int, n_without_department: int = 0) -> list[str]:
    """Why a tandem is not complete yet (empty when it is): two members, two departments."""
    from django.utils.translation import gettext as _g

    gaps = []
    if n_members < TANDEM_MIN_MEMBERS:
        gaps.append(_g("fewer than two members"))
    if n_without_department:
        gaps.append(_g("department missing for %(n)s member(s)") % {"n": n_without_department})
    named = n_members - n_without_department
    if named >= TANDEM_MIN_MEMBERS and n_departments < TANDEM_MIN_DEPARTMENTS:
        gaps.append(_g("all members from one department"))
    return gaps

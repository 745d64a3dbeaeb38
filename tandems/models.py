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
    department = models.CharField(_("department"), max_length=200, blank=True)
    function = models.CharField(_("function"), max_length=200, blank=True)
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

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A token per scope of data that changes after every committed write to its tables
    (core/dataversion.py). Cached page fragments carry the tokens in their keys, so that a
    change shows on the next request without anything being deleted from the cache."""

    scope = models.CharField(max_length=40, primary_key=True)
    token = models.BigIntegerField()

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    name = "labs"
    verbose_name = _("Labs")

    def ready(self) -> None:
        # the lab's section of the personal-data export (accounts/privacy.py)
        from . import privacy

        privacy.register()

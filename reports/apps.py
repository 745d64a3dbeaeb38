from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # its section of the personal-data export (accounts/privacy.py); its kinds of notifications
        from . import notices, privacy

        privacy.register()
        notices.register()

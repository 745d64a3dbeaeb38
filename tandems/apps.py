from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TandemsConfig(AppConfig):
    name = "tandems"
    verbose_name = _("Tandems")

    def ready(self) -> None:
        # its section of the personal-data export (accounts/privacy.py); the tandem created when
        # a municipality is admitted (labs.signals.participation_admitted)
        from . import privacy, receivers

        privacy.register()
        receivers.connect()

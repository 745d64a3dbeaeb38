from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        # its section of the personal-data export (accounts/privacy.py); the mission profile
        # created when a municipality is admitted (labs.signals.participation_admitted)
        from . import privacy, receivers

        privacy.register()
        receivers.connect()

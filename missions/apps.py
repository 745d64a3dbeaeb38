from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        # its section of the personal-data export (accounts/privacy.py); the mission profile
        # created when a municipality is admitted (labs.signals.participation_admitted); its
        # column of the cohort dashboard (labs/dashboard.py); its kinds of notifications
        from . import dashboard, notices, privacy, receivers

        privacy.register()
        receivers.connect()
        dashboard.register()
        notices.register()

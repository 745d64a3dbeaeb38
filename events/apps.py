from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # its section of the personal-data export (accounts/privacy.py); its columns of the
        # cohort dashboard (labs/dashboard.py); its kinds of notifications
        from . import dashboard, notices, privacy

        dashboard.register()
        privacy.register()
        notices.register()

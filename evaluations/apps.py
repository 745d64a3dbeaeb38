from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        # the surveys' section of the personal-data export (accounts/privacy.py); the
        # notification of a survey to answer
        from . import notices, privacy

        privacy.register()
        notices.register()

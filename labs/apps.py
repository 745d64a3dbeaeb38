from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    name = "labs"
    verbose_name = _("Labs")

    def ready(self) -> None:
        # the lab's section of the personal-data export (accounts/privacy.py); the language of
        # the latest accepted invitation for the e-mails of people who chose none
        from notifications import languages

        from . import privacy, selectors

        privacy.register()
        languages.register_fallback(selectors.invitation_languages)

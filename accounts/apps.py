from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # audit: the audit log's signal receivers; signals: deactivated accounts lose every session
        from . import audit, privacy, signals  # noqa: F401

        # the personal-data export's own sections; every app above registers its own
        privacy.register_account_sections()

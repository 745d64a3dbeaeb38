from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Every database connection reports its writes to the data versions: importing the module
        # connects its signal receivers.
        from core import dataversion  # noqa: F401

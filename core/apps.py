from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Every database connection reports its writes to the data versions: importing the module
        # connects its signal receivers.
        from core import dataversion  # noqa: F401


def project_apps() -> list[str]:
    """The installed apps of this repository (core, accounts, labs, …, demo where installed),
    from the app registry: whatever walks them covers a new app without a list to keep."""
    root = Path(settings.BASE_DIR).resolve()
    return [c.name for c in apps.get_app_configs() if Path(c.path).resolve().parent == root]

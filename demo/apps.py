from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Dev-only demo data: installed by config.settings.dev and .test, never in production."""

    name = "demo"
    verbose_name = "Demo data"

"""The mission column of the cohort dashboard (labs/dashboard.py): the profile's status, a link
to it once somebody has written in it."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.viewhelpers import url_around_pk
from labs import dashboard


def _renderer(cohort):
    before, after = url_around_pk("mission_profile", cohort.lab.slug, cohort.slug)

    def cell(row):
        # a participation admitted without its profile (none in practice) reads "not started"
        profile = getattr(row, "mission_profile", None)
        if profile is None or not profile.is_started:
            return format_html('<span class="muted">{}</span>', _("not started"))
        return format_html(
            '<a class="kern-link" href="{}{}{}">{}<span class="kern-sr-only">: {}</span></a>',
            before,
            row.pk,
            after,
            profile.get_status_display(),
            row.municipality.name,
        )

    return cell


def register() -> None:
    dashboard.register(
        dashboard.Column(
            key="mission",
            order=20,
            header=gettext_lazy("Mission"),
            renderer=_renderer,
            select_related=("mission_profile",),
        )
    )

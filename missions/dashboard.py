"""The mission columns of the cohort dashboard (labs/dashboard.py).

Coordinators: the profile's status, a link to it once somebody has written in it. Funders
(aggregates, nothing personal): the profile's status, a link only to a profile the tandem shared
with the cohort when the lab lets its funders read those. Both: goals on track / behind and
measures done (selectors_cohort).
"""

from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.viewhelpers import url_around_pk
from labs import dashboard

from .permissions import profile_readable_by_funders
from .selectors_cohort import goals_on_track_behind, measure_count_annotations

_NONE = format_html('<span class="muted">{}</span>', "–")


def _not_started():
    return format_html('<span class="muted">{}</span>', _("not started"))


def _profile_link(before, after, row, profile):
    return format_html(
        '<a class="kern-link" href="{}{}{}">{}<span class="kern-sr-only">: {}</span></a>',
        before,
        row.pk,
        after,
        profile.get_status_display(),
        row.municipality.name,
    )


def _started_profile(row):
    # a participation admitted without its profile (none in practice) reads "not started"
    profile = getattr(row, "mission_profile", None)
    return profile if profile is not None and profile.is_started else None


def _renderer(cohort):
    before, after = url_around_pk("mission_profile", cohort.lab.slug, cohort.slug)

    def cell(row):
        profile = _started_profile(row)
        if profile is None:
            return _not_started()
        return _profile_link(before, after, row, profile)

    return cell


def _funder_renderer(cohort):
    before, after = url_around_pk("mission_profile", cohort.lab.slug, cohort.slug)

    def cell(row):
        profile = _started_profile(row)
        if profile is None:
            return _not_started()
        if profile_readable_by_funders(cohort.lab, profile):
            return _profile_link(before, after, row, profile)
        return format_html("{}", profile.get_status_display())

    return cell


def _prepare_goals(rows, cohort) -> None:
    counts = goals_on_track_behind([row.pk for row in rows])
    for row in rows:
        row.n_goals_on_track, row.n_goals_behind = counts.get(row.pk, (0, 0))


def _goals_cell(row):
    if not (row.n_goals_on_track or row.n_goals_behind):
        return _NONE
    return format_html("{} / {}", localize(row.n_goals_on_track), localize(row.n_goals_behind))


def _measures_cell(row):
    if not row.n_measures_counted:
        return _NONE
    return format_html("{} / {}", localize(row.n_measures_done), localize(row.n_measures_counted))


BOTH = frozenset({dashboard.COORDINATORS, dashboard.FUNDERS})


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
    dashboard.register(
        dashboard.Column(
            key="mission-status",
            order=20,
            header=gettext_lazy("Mission profile"),
            renderer=_funder_renderer,
            select_related=("mission_profile",),
            audiences=frozenset({dashboard.FUNDERS}),
        )
    )
    dashboard.register(
        dashboard.Column(
            key="goals-on-track",
            order=22,
            header=gettext_lazy("Goals on track / behind"),
            renderer=lambda cohort: _goals_cell,
            prepare=_prepare_goals,
            numeric=True,
            audiences=BOTH,
        )
    )
    dashboard.register(
        dashboard.Column(
            key="measures-done",
            order=24,
            header=gettext_lazy("Measures done / total"),
            renderer=lambda cohort: _measures_cell,
            annotations=measure_count_annotations,
            numeric=True,
            audiences=BOTH,
        )
    )

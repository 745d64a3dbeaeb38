"""The event columns of the cohort dashboard (labs/dashboard.py): per municipality the events it
attended of those it was invited to, and its next one (coordinators); the past events it attended
of those it was invited to (funders: what has happened, no plans)."""

from django.db.models import Count, Min, Q
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from labs import dashboard
from labs.models import ParticipationStatus

from .models import AttendanceStatus, RegistrationStatus

_NONE = format_html('<span class="muted">{}</span>', "–")


def _attendance_annotations() -> dict:
    """Past events a municipality was invited to (at least one registration for it) and of those
    the ones it attended (somebody present), cancelled events left out: an event still to come
    cannot have been attended, so counting it would read as a missed one."""
    planned = Q(event_registrations__event__cancelled_at__isnull=True) & Q(
        event_registrations__event__ends_at__lt=timezone.now()
    )
    return {
        "n_events_invited": Count("event_registrations__event", filter=planned, distinct=True),
        "n_events_attended": Count(
            "event_registrations__event",
            filter=planned & Q(event_registrations__attendance=AttendanceStatus.PRESENT),
            distinct=True,
        ),
    }


def _next_event_annotations() -> dict:
    """The start of the municipality's next planned event it has not declined; none for a
    municipality that left the cohort."""
    return {
        "next_event_at": Min(
            "event_registrations__event__starts_at",
            filter=~Q(status=ParticipationStatus.LEFT)
            & Q(event_registrations__event__cancelled_at__isnull=True)
            & Q(event_registrations__event__starts_at__gte=timezone.now())
            & ~Q(event_registrations__status=RegistrationStatus.DECLINED),
        ),
    }


def _attendance_cell(row):
    if not row.n_events_invited:
        return _NONE
    return format_html("{} / {}", localize(row.n_events_attended), localize(row.n_events_invited))


def _next_event_cell(row):
    if not row.next_event_at:
        return _NONE
    starts_at = timezone.localtime(row.next_event_at)  # as the template's date filter shows it
    return format_html(
        '<time datetime="{}">{}</time>',
        date_filter(starts_at, "c"),
        date_filter(starts_at, "SHORT_DATE_FORMAT"),
    )


def register() -> None:
    dashboard.register(
        dashboard.Column(
            key="events-attended",
            order=30,
            header=gettext_lazy("Events attended / invited"),
            renderer=lambda cohort: _attendance_cell,
            annotations=_attendance_annotations,
            numeric=True,
        )
    )
    dashboard.register(
        dashboard.Column(
            key="past-events-attended",
            order=30,
            header=gettext_lazy("Past workshops attended / invited"),
            # the coordinators' figure (past events only), headed for the funders
            renderer=lambda cohort: _attendance_cell,
            annotations=_attendance_annotations,
            numeric=True,
            audiences=frozenset({dashboard.FUNDERS}),
        )
    )
    dashboard.register(
        dashboard.Column(
            key="next-event",
            order=40,
            header=gettext_lazy("Next workshop"),
            renderer=lambda cohort: _next_event_cell,
            annotations=_next_event_annotations,
        )
    )

"""What a final report or whitepaper states about the project as a whole: its period, the events
in its period and scope (the cross-site formats among them), "The project at a glance" (Abb. 1
of the Hessen report) and the "Datenstand" — the time of the newest data the report shows.

The scope of a report is its cohort, or the whole lab when the draft has none; its period runs
from the earliest start to the latest end of the cohorts in scope (open where a date is
missing). Events chosen in the draft are the report's events as chosen; otherwise the events of
the cohorts in scope (lab-wide reports: every event of the lab) that were not cancelled and
began within the period.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.models import Response
from events.models import AttendanceStatus, Event, RegistrationStatus
from events.training import cross_site_event_ids, events_by_type, trained_people
from labs.models import Participation
from missions.models import MissionProfile, ProgressUpdate, SmartGoal

from .models import ReportDraft


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None

    @property
    def text(self) -> str:
        if self.start is None and self.end is None:
            return ""
        start = date_format(self.start, "YEAR_MONTH_FORMAT") if self.start else "…"
        end = date_format(self.end, "YEAR_MONTH_FORMAT") if self.end else "…"
        return _("%(start)s to %(end)s") % {"start": start, "end": end}


def report_period(cohorts: list) -> Period:
    starts = [c.start_date for c in cohorts]
    ends = [c.end_date for c in cohorts]
    return Period(
        None if not starts or None in starts else min(starts),
        None if not ends or None in ends else max(ends),
    )


def report_events(draft: ReportDraft, cohorts: list, period: Period):
    """The queryset of the report's events (see the module docstring)."""
    chosen = draft.events.all()
    if chosen.exists():
        return Event.objects.filter(pk__in=chosen.values("pk"))
    if draft.cohort_id:
        queryset = Event.objects.filter(
            pk__in=Event.objects.filter(cohorts__in=cohorts).values("pk")
        )
    else:
        queryset = Event.objects.filter(lab=draft.lab_id)
    queryset = queryset.filter(cancelled_at__isnull=True)
    tz = timezone.get_default_timezone()
    if period.start is not None:
        start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
        queryset = queryset.filter(starts_at__gte=start)
    if period.end is not None:
        end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        queryset = queryset.filter(starts_at__lt=end)
    return queryset


@dataclass
class EventView:
    event: Event
    type_name: str
    date: str
    registered: int
    present: int
    municipalities: int
    cross_site: bool = False


def event_views(events) -> list[EventView]:
    """The events with their registration and attendance figures (2 queries)."""
    present = Q(registrations__attendance=AttendanceStatus.PRESENT)
    queryset = (
        events.select_related("type")
        .annotate(
            n_registered=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
            n_present=Count("registrations", filter=present, distinct=True),
            n_municipalities=Count("registrations__participation", filter=present, distinct=True),
        )
        .order_by("starts_at", "pk")
    )
    cross_site = cross_site_event_ids(events)
    return [
        EventView(
            event=event,
            type_name=event.type.name,
            date=date_format(timezone.localtime(event.starts_at).date(), "SHORT_DATE_FORMAT"),
            registered=event.n_registered,
            present=event.n_present,
            municipalities=event.n_municipalities,
            cross_site=event.pk in cross_site,
        )
        for event in queryset
    ]


@dataclass
class AtAGlance:
    """Abb. 1: "Das Projekt auf einen Blick"."""

    period: str
    organiser: str
    funding_line: str
    municipalities: int
    municipalities_left: int
    cohorts: int
    formats: list[tuple[str, int]]  # (type name, how often it took place)
    trained_total: int
    trained_series: int
    # (municipality name as listed in the report, people trained), by name
    trained_by_municipality: list[tuple[str, int]] = field(default_factory=list)


def at_a_glance(
    draft: ReportDraft, cohorts: list, period: Period, events, municipalities: list
) -> AtAGlance:
    """`municipalities` are the report's render.MunicipalityView objects (names as listed)."""
    trained = trained_people(events)
    names = {m.participation.pk: m.name for m in municipalities}
    by_municipality: dict[str, int] = {}
    # people of the report's municipalities (a cohort's report leaves out those of other cohorts
    # who came to the same training) and those invited for no municipality
    total = trained.without_participation
    for participation_id, n in trained.by_participation.items():
        name = names.get(participation_id)
        if name is not None:
            by_municipality[name] = by_municipality.get(name, 0) + n
            total += n
    lab = draft.lab
    return AtAGlance(
        period=period.text,
        organiser=lab.organiser,
        funding_line=lab.funding_line_shown,
        municipalities=len({m.participation.municipality_id for m in municipalities}),
        municipalities_left=sum(1 for m in municipalities if m.left),
        cohorts=len(cohorts),
        formats=events_by_type(events.filter(series__isnull=True)),
        trained_total=total,
        trained_series=trained.series,
        trained_by_municipality=sorted(by_municipality.items(), key=lambda i: i[0].casefold()),
    )


def data_as_of(cohorts: list, surveys: list, events, *, generated_at: dt.datetime) -> dt.datetime:
    """The time of the newest data the report shows: the newest response to its surveys,
    change of a participation, mission profile, goal or progress update of its cohorts, or change
    of one of its events (never later than `generated_at`; `generated_at` when there is none)."""
    candidates = [
        Response.objects.filter(survey__in=[s.pk for s in surveys]).aggregate(
            t=Max("submitted_at")
        )["t"],
        Participation.objects.filter(cohort__in=cohorts).aggregate(t=Max("updated_at"))["t"],
        MissionProfile.objects.filter(participation__cohort__in=cohorts).aggregate(
            t=Max("updated_at")
        )["t"],
        SmartGoal.objects.filter(profile__participation__cohort__in=cohorts).aggregate(
            t=Max("updated_at")
        )["t"],
        ProgressUpdate.objects.filter(goal__profile__participation__cohort__in=cohorts).aggregate(
            t=Max("created_at")
        )["t"],
        events.aggregate(t=Max("updated_at"))["t"],
    ]
    found = [t for t in candidates if t is not None and t <= generated_at]
    return max(found) if found else generated_at

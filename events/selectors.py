"""Reads for the event pages, each in a constant number of queries whatever the data size."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from labs.models import Cohort, Lab, LabMembership, Participation, ParticipationStatus
from labs.permissions import LabAccess
from tandems.models import TandemMember

from .models import (
    CalendarFeed,
    CohortPhase,
    Event,
    EventRegistration,
    EventType,
    PhaseKind,
    RegistrationStatus,
)
from .permissions import event_visibility, events_visible

STATUS_ORDER = [
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.INVITED,
    RegistrationStatus.DECLINED,
]


def _with_counts(events: QuerySet[Event], user) -> QuerySet[Event]:
    """Seats taken, waiting list, invitations, and the viewer's own registration status."""
    mine = EventRegistration.objects.filter(event=OuterRef("pk"), user=user)
    return events.annotate(
        n_registered=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.REGISTERED),
            distinct=True,
        ),
        n_waitlisted=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            distinct=True,
        ),
        n_invited=Count("registrations", distinct=True),
        my_status=Subquery(mine.values("status")[:1]),
    )


def _labelled(events) -> list[Event]:
    events = list(events)
    for event in events:
        event.my_status_label = RegistrationStatus(event.my_status).label if event.my_status else ""
    return events


def lab_event_types(lab: Lab) -> QuerySet[EventType]:
    return EventType.objects.filter(Q(lab=None) | Q(lab=lab)).order_by("position", "name_de")


def _list_order(now: datetime) -> list:
    """Upcoming first (soonest first), then the past events (latest first)."""
    upcoming = Q(ends_at__gte=now)
    return [
        Case(When(upcoming, then=Value(0)), default=Value(1)),
        Case(When(upcoming, then=F("starts_at"))).asc(nulls_last=True),
        Case(When(~upcoming, then=F("starts_at"))).desc(nulls_last=True),
        Case(When(upcoming, then=F("pk"))).asc(nulls_last=True),
        F("pk").desc(),
    ]


def event_list(
    user,
    lab_access: LabAccess,
    *,
    cohort: Cohort | None = None,
    type_code: str = "",
    now: datetime | None = None,
) -> QuerySet:
    """The ids of the lab's events this person may see, upcoming first (soonest first), then
    the past ones (latest first): cheap to page through; event_rows() fetches one page."""
    now = now or timezone.now()
    visible = events_visible(user, lab_access).values("pk")
    events = Event.objects.filter(pk__in=visible)
    if cohort is not None:
        events = events.filter(cohorts=cohort)
    if type_code:
        events = events.filter(type__code=type_code)
    return events.order_by(*_list_order(now)).values_list("pk", flat=True)


def event_rows(user, pks, *, now: datetime | None = None) -> list[Event]:
    """The events `pks` in the order of event_list(), with their counts, the viewer's own
    registration (my_status, my_status_label) and their cohorts."""
    now = now or timezone.now()
    events = (
        _with_counts(Event.objects.filter(pk__in=list(pks)), user)
        .select_related("lab", "type", "series")
        .prefetch_related(Prefetch("cohorts", queryset=Cohort.objects.order_by("start_date")))
        .order_by(*_list_order(now))
    )
    return _labelled(events)


def event_parts(event: Event) -> list[Event]:
    """All parts of the event's series in order (the event alone if it has none)."""
    first_id = event.series_id or event.pk
    return list(
        Event.objects.filter(Q(pk=first_id) | Q(series_id=first_id))
        .select_related("type")
        .order_by("starts_at", "pk")
    )


def event_registrations(event: Event) -> list[EventRegistration]:
    return list(
        EventRegistration.objects.filter(event=event)
        .select_related("user", "participation__municipality")
        .order_by("participation__municipality__name", "user__name", "user__email")
    )


def registrations_by_status(registrations: list[EventRegistration]) -> list[dict]:
    """[{status, label, registrations}] in the order registered, waitlisted, invited, declined;
    the waiting list in its own order."""
    groups = []
    for status in STATUS_ORDER:
        members = [r for r in registrations if r.status == status]
        if status == RegistrationStatus.WAITLISTED:
            members.sort(key=lambda r: (r.waitlisted_at or timezone.now(), r.pk))
        groups.append({"status": status, "label": status.label, "registrations": members})
    return groups


def seat_counts(registrations: list[EventRegistration]) -> dict[str, int]:
    counts = {status.value: 0 for status in RegistrationStatus}
    for registration in registrations:
        counts[registration.status] += 1
    return counts


def status_counts(event: Event) -> dict[str, int]:
    counts = {status.value: 0 for status in RegistrationStatus}
    rows = EventRegistration.objects.filter(event=event).values("status").annotate(n=Count("pk"))
    for row in rows.order_by():
        counts[row["status"]] = row["n"]
    return counts


def invite_choices(event: Event) -> tuple[list[Participation], list[dict]]:
    """The participations of the event's cohorts (with how many of their members are invited)
    and the lab's people who are not invited yet."""
    invited = EventRegistration.objects.filter(event=event)
    # a municipality that left the cohort is invited no more, nor are its tandem's members
    participations = list(
        Participation.objects.filter(cohort__in=event.cohorts.all())
        .exclude(status=ParticipationStatus.LEFT)
        .select_related("municipality", "cohort")
        .annotate(
            n_members=Count("tandem__members", distinct=True),
            n_invited=Count(
                "tandem__members",
                filter=Q(tandem__members__user__in=invited.values("user_id")),
                distinct=True,
            ),
        )
        .order_by("cohort__start_date", "cohort__name", "municipality__name")
    )
    invited_ids = set(invited.values_list("user_id", flat=True))
    people: dict[int, dict] = {}
    members = (
        TandemMember.objects.filter(tandem__participation__cohort__lab=event.lab)
        .exclude(tandem__participation__status=ParticipationStatus.LEFT)
        .exclude(user_id__in=invited_ids)
        .select_related("user", "tandem__participation__municipality")
        .order_by("user__name", "user__email")
    )
    for member in members:
        entry = people.setdefault(member.user_id, {"user": member.user, "roles": []})
        entry["roles"].append(member.tandem.participation.municipality.name)
    roles = (
        LabMembership.objects.filter(lab=event.lab)
        .exclude(user_id__in=invited_ids)
        .select_related("user", "municipality")
        .order_by("user__name", "user__email")
    )
    for membership in roles:
        entry = people.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        role = str(membership.get_role_display())
        if membership.municipality:
            role = f"{role} ({membership.municipality.name})"
        entry["roles"].append(role)
    ordered = sorted(
        people.values(), key=lambda p: ((p["user"].name or p["user"].email).lower(), p["user"].pk)
    )
    return participations, ordered


def my_events(user) -> list[Event]:
    """The person's upcoming events across their labs, with their own registration status."""
    now = timezone.now()
    ids = Event.objects.filter(event_visibility(user), ends_at__gte=now).values("pk")
    return _labelled(
        _with_counts(Event.objects.filter(pk__in=ids), user)
        .select_related("lab", "type")
        .prefetch_related(Prefetch("cohorts", queryset=Cohort.objects.order_by("start_date")))
        .order_by("starts_at", "pk")
    )


# --- the cohort's timeline -----------------------------------------------------------------------


@dataclass
class TimelineItem:
    kind: str
    label: str
    start: date
    end: date
    left: float  # percent of the timeline's width
    width: float


def _day(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def cohort_timeline(cohort: Cohort, events: list[Event]) -> dict:
    """Phases and events of a cohort placed on one axis (percentages), plus the month ticks."""
    phases = list(CohortPhase.objects.filter(cohort=cohort).order_by("starts_on", "pk"))
    # the axis spans the cohort's period (its phases and dates); only without them the events
    days = [d for p in phases for d in (p.starts_on, p.ends_on)]
    days += [d for d in (cohort.start_date, cohort.end_date) if d]
    days = days or [_day(e.starts_at) for e in events]
    rows = [{"phase": p, "day": p.starts_on, "order": 0} for p in phases]
    rows += [{"event": e, "day": _day(e.starts_at), "order": 1} for e in events]
    rows.sort(key=lambda r: (r["day"], r["order"]))
    if not days:
        return {"phases": phases, "rows": rows, "has_axis": False}
    first, last = min(days), max(days)
    span = max((last - first).days + 1, 1)

    def place(start: date, end: date) -> tuple[float, float]:
        left = (start - first).days / span * 100
        width = max(((end - start).days + 1) / span * 100, 0.8)
        return round(left, 2), round(min(width, 100 - left), 2)

    phase_bars = []
    for phase in phases:
        left, width = place(phase.starts_on, phase.ends_on)
        phase_bars.append(
            TimelineItem(
                phase.kind, phase.get_kind_display(), phase.starts_on, phase.ends_on, left, width
            )
        )
    markers = []
    for event in events:
        day = _day(event.starts_at)
        if not first <= day <= last:
            continue  # listed below, but outside the cohort's period
        left, _width = place(day, day)
        markers.append({"event": event, "left": left, "day": day})
    months = []
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            months.append({"day": month, "left": place(month, month)[0]})
        month = (month + timedelta(days=32)).replace(day=1)
    # a label per month up to a year, then per quarter or half year, so labels never overlap
    step = 1 if len(months) <= 12 else 3 if len(months) <= 36 else 6
    months = months[::step]
    today = timezone.localdate()
    return {
        "phases": phases,
        "rows": rows,
        "today_left": place(today, today)[0] if first <= today <= last else None,
        "phase_bars": phase_bars,
        "markers": markers,
        "months": months,
        "first": first,
        "last": last,
        "has_axis": True,
    }


def cohort_events(user, lab_access: LabAccess, cohort: Cohort) -> list[Event]:
    visible = events_visible(user, lab_access).values("pk")
    return _labelled(
        _with_counts(Event.objects.filter(pk__in=visible, cohorts=cohort), user)
        .select_related("lab", "type")
        .order_by("starts_at", "pk")
    )


def phase_kinds() -> list[tuple[str, str]]:
    return list(PhaseKind.choices)


def lab_cohorts_for(access: LabAccess) -> list[Cohort]:
    """The lab's cohorts the person sees events of: all with a lab role, else their own."""
    cohorts = access.lab.cohorts.order_by("start_date", "name")
    if not access.has_lab_role:
        own = Participation.objects.filter(pk__in=access.participation_ids).values("cohort_id")
        cohorts = cohorts.filter(pk__in=own)
    return list(cohorts)


def own_registration(event: Event, user) -> EventRegistration | None:
    return (
        EventRegistration.objects.filter(event=event, user=user)
        .select_related("participation__municipality")
        .first()
    )


def waitlist_place(registration: EventRegistration | None) -> int | None:
    """The person's place on the waiting list (1 = next), or None when not waiting."""
    if registration is None or registration.status != RegistrationStatus.WAITLISTED:
        return None
    if not registration.waitlisted_at:
        return None
    return EventRegistration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        waitlisted_at__lte=registration.waitlisted_at,
    ).count()


def event_materials(event: Event) -> list:
    return list(event.materials.order_by("uploaded_at", "pk"))


def event_cohorts(event: Event) -> list[Cohort]:
    return list(event.cohorts.order_by("start_date", "name"))


def event_parts_if_any(event: Event) -> list[Event]:
    """The parts of a series event or of an event with parts; [] for a single event."""
    return event_parts(event) if (event.series_id or event.parts.exists()) else []


def in_cohort(lab_access: LabAccess, cohort_id: int) -> bool:
    """Whether one of the person's participations (as a tandem member or a participant) is in
    the cohort."""
    own = lab_access.participation_ids | lab_access.take_part_participation_ids
    return Participation.objects.filter(pk__in=own, cohort_id=cohort_id).exists()


def people_to_notify(event: Event) -> int:
    """How many invited people (all but those who declined) a cancellation notice reaches."""
    return (
        EventRegistration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.DECLINED)
        .count()
    )


def cohort_by_slug(lab: Lab, slug: str) -> Cohort | None:
    return lab.cohorts.filter(slug=slug).first()


def attendance_summary(registrations: list[EventRegistration], choices) -> list[tuple]:
    """(label, how many) for each attendance choice."""
    counts = {value: 0 for value, _label in choices}
    for registration in registrations:
        counts[registration.attendance] += 1
    return [(label, counts[value]) for value, label in choices]


def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()

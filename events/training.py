"""Figures of a lab's events for reports: people trained in multi-part trainings, events whose
invitations reached several municipalities.

A multi-part training is a series: its first part and the events that point to it (`series`).
A person counts as trained when they were present at every part of a series that took place
(cancelled parts do not count); each person once, however many series they completed, under the
municipality they were invited for (the participation of their registrations; people invited
without one count in the total only). Everything in two queries, whatever the number of people.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce

from .models import AttendanceStatus, Event, EventRegistration


@dataclass
class TrainedPeople:
    total: int = 0
    by_participation: dict[int, int] = field(default_factory=dict)  # participation id → people
    without_participation: int = 0  # invited by name, for no municipality
    series: int = 0  # multi-part trainings (series with at least two parts) among the events


def trained_people(events) -> TrainedPeople:
    """People who completed a multi-part training whose first part is among `events` (a
    queryset of Event)."""
    firsts = events.filter(series__isnull=True, cancelled_at__isnull=True).values("pk")
    sizes = dict(
        Event.objects.filter(cancelled_at__isnull=True)
        .filter(Q(pk__in=firsts) | Q(series_id__in=firsts))
        .annotate(first=Coalesce("series_id", "pk"))
        .values("first")
        .annotate(parts=Count("pk"))
        .filter(parts__gt=1)
        .values_list("first", "parts")
    )
    if not sizes:
        return TrainedPeople()
    rows = (
        EventRegistration.objects.filter(
            attendance=AttendanceStatus.PRESENT,
            event__cancelled_at__isnull=True,
        )
        .filter(Q(event_id__in=sizes) | Q(event__series_id__in=sizes))
        .annotate(first=Coalesce("event__series_id", "event_id"))
        .values("user_id", "first")
        .annotate(present=Count("event_id", distinct=True), participation=Max("participation_id"))
        .order_by()
    )
    trained: dict[int, int | None] = {}
    for row in rows:
        # a person who completed several series counts once, under one of their municipalities
        if row["present"] >= sizes[row["first"]] and trained.get(row["user_id"]) is None:
            trained[row["user_id"]] = row["participation"]
    per_participation = Counter(p for p in trained.values() if p is not None)
    return TrainedPeople(
        total=len(trained),
        by_participation=dict(per_participation),
        without_participation=sum(1 for p in trained.values() if p is None),
        series=len(sizes),
    )


def cross_site_event_ids(events) -> set[int]:
    """The ids of those `events` (a queryset of Event) whose invitations went to people of
    more than one participating municipality (a cross-site format)."""
    return set(
        events.annotate(
            sites=Count("registrations__participation", distinct=True),
        )
        .filter(sites__gt=1)
        .values_list("pk", flat=True)
    )


def events_by_type(events) -> list[tuple[str, int]]:
    """(type name, how many took place) of `events`, most frequent first, then by name."""
    counts: dict[str, int] = defaultdict(int)
    for event in events.select_related("type"):
        counts[event.type.name] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))

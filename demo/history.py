"""Plausible past dates for the demo's mission profiles.

The seeder writes a profile through the services, as a tandem would, so its history and review
steps are real, but they all carry the moment of seeding. `backdate_profile` moves them into the
cohort's time, keeping their order: the k-th of the profile's n timestamps (edits of the profile,
its goals and measures, and the review steps, together) becomes the k-th of n working-day moments
between the tandem's start (the commitment date, else a fortnight into the cohort) and a month
before the cohort ends (or yesterday, for a cohort still running). So "as of" views, comparisons
and the review list read as they would have then, and "last changed" is a day of the cohort.
Progress updates are dated the day they report; the notifications of the review steps the moment
of the step. Only a profile created in this run is moved: a second run changes nothing.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from missions import notices as mission_notices
from missions.models import (
    Measure,
    MissionProfile,
    ProgressUpdate,
    ReviewAction,
    ReviewEvent,
    SmartGoal,
)
from notifications.models import Notification

REVIEW_KINDS = {
    ReviewAction.SUBMIT: mission_notices.SUBMITTED,
    ReviewAction.RETURN: mission_notices.RETURNED,
    ReviewAction.APPROVE: mission_notices.APPROVED,
}
WORKDAY_START = dt.time(9, 0)
STEP_MINUTES = 7  # between two moments of the same day


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _period(profile: MissionProfile) -> tuple[dt.date, dt.date]:
    cohort = profile.participation.cohort
    first = cohort.start_date + dt.timedelta(days=14)
    commitment = getattr(getattr(profile.participation, "tandem", None), "commitment_date", None)
    if commitment and first < commitment < cohort.end_date:
        first = commitment
    last = min(cohort.end_date - dt.timedelta(days=30), timezone.localdate() - dt.timedelta(days=1))
    if last <= first:
        last = min(first + dt.timedelta(days=60), timezone.localdate() - dt.timedelta(days=1))
    return first, max(first, last)


def _moments(n: int, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """n increasing moments, spread over the working days from `first` to `last`."""
    days = [
        first + dt.timedelta(days=d)
        for d in range((last - first).days + 1)
        if (first + dt.timedelta(days=d)).weekday() < 5
    ] or [first]
    moments, per_day = [], {}
    for i in range(n):
        day = days[(i * len(days)) // max(n, 1)]
        k = per_day[day] = per_day.get(day, -1) + 1
        start = dt.datetime.combine(day, WORKDAY_START, tzinfo=_tz())
        moments.append(start + dt.timedelta(minutes=k * STEP_MINUTES))
    return moments


def backdate_profile(profile: MissionProfile) -> None:
    goals = SmartGoal.objects.filter(profile=profile)
    measures = Measure.objects.filter(profile=profile)
    history = [
        MissionProfile.history.filter(id=profile.pk),
        SmartGoal.history.filter(id__in=goals.values("pk")),
        Measure.history.filter(id__in=measures.values("pk")),
    ]
    stamps = [
        (row.history_date, 0, row.history_id, manager.model, "history_date")
        for manager in history
        for row in manager.only("history_id", "history_date")
    ]
    steps = ReviewEvent.objects.filter(profile=profile)
    stamps += [(step.at, 1, step.pk, ReviewEvent, "at") for step in steps]
    stamps.sort(key=lambda s: (s[0], s[1], s[2]))
    for (_old, _order, pk, model, field), moment in zip(
        stamps, _moments(len(stamps), *_period(profile)), strict=True
    ):
        model._default_manager.filter(pk=pk).update(**{field: moment})

    for model, rows in ((SmartGoal, goals), (Measure, measures)):
        for obj in rows:
            span = model.history.filter(id=obj.pk).aggregate(
                first=Min("history_date"), last=Max("history_date")
            )
            if span["first"]:
                model.objects.filter(pk=obj.pk).update(
                    created_at=span["first"], updated_at=span["last"]
                )
    everything = [
        manager.aggregate(first=Min("history_date"), last=Max("history_date"))
        for manager in history
    ]
    firsts = [s["first"] for s in everything if s["first"]]
    lasts = [s["last"] for s in everything if s["last"]]
    if firsts:
        MissionProfile.objects.filter(pk=profile.pk).update(
            created_at=min(firsts), updated_at=max(lasts)
        )
    for update in ProgressUpdate.objects.filter(goal__profile=profile):
        reported = dt.datetime.combine(update.date, dt.time(10, 0), tzinfo=_tz())
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=reported)
    _backdate_review_notifications(profile)


def _backdate_review_notifications(profile: MissionProfile) -> None:
    """The review steps' notifications (missions/notices.py) carry the moment of the step they
    tell of: the n-th of a kind that of the n-th step of its action."""
    for action, kind in REVIEW_KINDS.items():
        steps = ReviewEvent.objects.filter(profile=profile, action=action).order_by("at", "pk")
        told = Notification.objects.filter(kind=kind, key__startswith=f"{kind}:{profile.pk}:")
        keys = list(dict.fromkeys(told.order_by("pk").values_list("key", flat=True)))
        for key, step in zip(keys, steps, strict=False):
            told.filter(key=key).update(created_at=step.at)

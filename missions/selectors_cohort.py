"""Reads for the coordinator's table of all mission profiles of a cohort.

Three queries whatever the number of municipalities, goals, measures and progress updates:
the status counts for the filter, one row per participation with its measures counted in
subqueries, and one row per goal with its latest progress value (a subquery), from which
SMART completeness and on track / behind are worked out with the model's own rules.

When is a goal behind? Only goals with a target value and a deadline are judged:
- the deadline has passed and the latest reported value has not reached the target
  (or nothing was ever reported): behind;
- otherwise, when its latest progress share (SmartGoal.progress_share, 0–1 from baseline to
  target) is below the share of the time elapsed from the profile's creation to the deadline:
  behind; at or above it: on track.
Goals without target, deadline or any progress update (before their deadline) are neither.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labs.models import Cohort, Participation

from .models import (
    Indicator,
    Measure,
    MeasureStatus,
    MissionProfile,
    ProfileStatus,
    ProgressUpdate,
    SmartGoal,
)

NOT_STARTED = "none"
STATUS_FILTERS = [*ProfileStatus.choices, (NOT_STARTED, _("Not started"))]
OPEN_MEASURE_STATES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


@dataclass
class MissionRow:
    participation: Participation
    status: str  # a ProfileStatus value, or NOT_STARTED
    status_label: str
    n_goals: int = 0
    n_goals_complete: int = 0
    n_on_track: int = 0
    n_behind: int = 0
    n_measures: int = 0
    n_overdue: int = 0
    last_update: datetime | None = None
    last_update_by: object = None

    @property
    def municipality(self):
        return self.participation.municipality

    @property
    def n_goals_unjudged(self) -> int:
        return self.n_goals - self.n_on_track - self.n_behind


def _count(queryset) -> Coalesce:
    """COUNT(*) of `queryset` (correlated on the participation) as a subquery, 0 when empty."""
    counted = (
        queryset.order_by()
        .values("profile__participation_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# no profile, or the empty one created at admission (MissionProfile.is_started)
_NOT_STARTED = Q(mission_profile__isnull=True) | Q(
    mission_profile__updated_at=F("mission_profile__created_at")
)


def _status_filter(status: str) -> Q:
    if status == NOT_STARTED:
        return _NOT_STARTED
    if status:
        return Q(mission_profile__status=status) & ~_NOT_STARTED
    return Q()


def goal_is_behind(goal: SmartGoal, latest_value, started: date, today: date) -> bool | None:
    """True if behind, False if on track, None if the goal cannot be judged (see module doc)."""
    if goal.target is None or goal.deadline is None:
        return None
    share = goal.progress_share(latest_value)
    if today > goal.deadline:
        return share is None or share < 1.0
    if share is None:
        return None
    total_days = (goal.deadline - started).days
    elapsed = 1.0 if total_days <= 0 else max(0.0, min(1.0, (today - started).days / total_days))
    return share < elapsed


def cohort_mission_participations(cohort: Cohort, *, status: str = "", today: date | None = None):
    """The cohort's participations (filtered by profile status) with their measures counted,
    in table order: a queryset, so that a page of it can be fetched alone."""
    today = today or timezone.localdate()
    in_participation = {"profile__participation_id": OuterRef("pk")}
    return (
        cohort.participations.filter(_status_filter(status))
        .select_related("municipality", "mission_profile__updated_by")
        .annotate(
            n_measures=_count(Measure.objects.filter(**in_participation)),
            n_overdue=_count(
                Measure.objects.filter(
                    **in_participation, due_date__lt=today, status__in=OPEN_MEASURE_STATES
                )
            ),
        )
        .order_by("municipality__name", "pk")
    )


def cohort_mission_rows(
    cohort: Cohort, *, status: str = "", today: date | None = None, participations=None
) -> list[MissionRow]:
    """One MissionRow per participation: all of the cohort's (filtered by status), or only
    `participations` (e.g. one page of cohort_mission_participations) with their goals alone."""
    today = today or timezone.localdate()
    only_some = participations is not None
    if not only_some:
        participations = cohort_mission_participations(cohort, status=status, today=today)
    labels = dict(STATUS_FILTERS)
    rows: dict[int, MissionRow] = {}
    for participation in participations:
        profile = getattr(participation, "mission_profile", None)
        if profile is not None and not profile.is_started:
            profile = None
        row_status = profile.status if profile else NOT_STARTED
        rows[participation.pk] = MissionRow(
            participation=participation,
            status=row_status,
            status_label=str(labels[row_status]),
            n_measures=participation.n_measures,
            n_overdue=participation.n_overdue,
            last_update=profile.updated_at if profile else None,
            last_update_by=profile.updated_by if profile else None,
        )

    latest_value = Subquery(
        ProgressUpdate.objects.filter(goal=OuterRef("pk"))
        .order_by("-date", "-pk")
        .values("value")[:1]
    )
    goals = SmartGoal.objects.filter(profile__participation__cohort=cohort)
    if only_some:
        goals = goals.filter(profile__participation_id__in=list(rows))
    if status:
        goals = goals.filter(profile__status=status)
    goals = (
        goals
        .select_related("profile")
        .only(
            "statement", "indicator", "unit", "target", "baseline", "deadline", "owner",
            "achievability", "relevance", "profile__participation_id", "profile__created_at",
        )
        .annotate(latest_value=latest_value)
    )  # fmt: skip
    for goal in goals if status != NOT_STARTED else ():
        row = rows[goal.profile.participation_id]
        row.n_goals += 1
        if not goal.smart_missing:
            row.n_goals_complete += 1
        started = timezone.localdate(goal.profile.created_at)
        behind = goal_is_behind(goal, goal.latest_value, started, today)
        if behind is True:
            row.n_behind += 1
        elif behind is False:
            row.n_on_track += 1
    return list(rows.values())


def cohort_mission_status_counts(cohort: Cohort) -> dict[str, int]:
    status = Case(When(_NOT_STARTED, then=Value(NOT_STARTED)), default="mission_profile__status")
    counts = cohort.participations.values(row_status=status).annotate(n=Count("pk"))
    return {row["row_status"]: row["n"] for row in counts}


# --- aggregate figures of the cohort dashboard (missions/dashboard.py) ------------------------

DONE_MEASURE_STATES = (MeasureStatus.DONE, MeasureStatus.SUSTAINED)


def measure_count_annotations() -> dict:
    """Per participation its measures done (or sustained) and those that count (all but the
    dropped ones), as subqueries: no join that multiplies the other columns' rows."""
    in_participation = {"profile__participation_id": OuterRef("pk")}
    return {
        "n_measures_done": _count(
            Measure.objects.filter(**in_participation, status__in=DONE_MEASURE_STATES)
        ),
        "n_measures_counted": _count(
            Measure.objects.filter(**in_participation).exclude(status=MeasureStatus.DROPPED)
        ),
    }


def goals_on_track_behind(
    participation_ids: list[int], *, today: date | None = None
) -> dict[int, tuple[int, int]]:
    """(goals on track, goals behind) per participation, by the rules of the module's text, in
    one query whatever the number of participations and goals; participations without judged
    goals are left out."""
    today = today or timezone.localdate()
    latest_value = Subquery(
        ProgressUpdate.objects.filter(goal=OuterRef("pk"))
        .order_by("-date", "-pk")
        .values("value")[:1]
    )
    goals = (
        SmartGoal.objects.filter(
            profile__participation_id__in=participation_ids,
            target__isnull=False,
            deadline__isnull=False,
        )
        .select_related("profile")
        .only("target", "baseline", "deadline", "profile__participation_id", "profile__created_at")
        .annotate(latest_value=latest_value)
    )
    counts: dict[int, tuple[int, int]] = {}
    for goal in goals:
        started = timezone.localdate(goal.profile.created_at)
        behind = goal_is_behind(goal, goal.latest_value, started, today)
        if behind is None:
            continue
        on_track, n_behind = counts.get(goal.profile.participation_id, (0, 0))
        counts[goal.profile.participation_id] = (
            (on_track, n_behind + 1) if behind else (on_track + 1, n_behind)
        )
    return counts


def cohort_shared_profiles(cohort: Cohort) -> QuerySet[MissionProfile]:
    """The profiles their tandems shared with the cohort, by municipality, with their numbers of
    goals and measures (one query)."""
    return (
        MissionProfile.objects.filter(participation__cohort=cohort, shared_with_cohort=True)
        .select_related("participation__municipality")
        .annotate(
            n_goals=Count("goals", distinct=True),
            n_measures=Count("measures", distinct=True),
        )
        .order_by("participation__municipality__name", "pk")
    )


# --- the comparison per catalogue indicator ----------------------------------------------------


@dataclass
class IndicatorRow:
    municipality: str
    participation_id: int
    goal: SmartGoal  # with latest_value and latest_date
    share: float | None  # SmartGoal.progress_share of the latest value, 0–1


@dataclass
class IndicatorComparison:
    indicator: Indicator
    rows: list[IndicatorRow]
    n_hidden: int  # goals with this indicator in profiles the person may not read


def cohort_indicator_comparison(cohort: Cohort, *, visible: Q) -> list[IndicatorComparison]:
    """Per catalogue indicator that a goal of the cohort picked: the goals the person may see
    (`visible`, missions.permissions.access_indicator_comparison) with baseline, latest value,
    target and progress, by municipality; the others only counted. Two queries."""
    latest = ProgressUpdate.objects.filter(goal=OuterRef("pk")).order_by("-date", "-pk")
    goals = SmartGoal.objects.filter(
        profile__participation__cohort=cohort, catalogue_indicator__isnull=False
    )
    shown = (
        goals.filter(visible)
        .select_related("catalogue_indicator", "profile__participation__municipality")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_date=Subquery(latest.values("date")[:1]),
        )
        .order_by(
            "catalogue_indicator__name", "profile__participation__municipality__name", "position"
        )
    )
    hidden = dict(
        goals.exclude(visible)
        .values_list("catalogue_indicator")
        .annotate(n=Count("pk"))
        .values_list("catalogue_indicator", "n")
    )
    found: dict[int, IndicatorComparison] = {}
    for goal in shown:
        indicator = goal.catalogue_indicator
        comparison = found.setdefault(
            indicator.pk, IndicatorComparison(indicator, [], hidden.pop(indicator.pk, 0))
        )
        participation = goal.profile.participation
        comparison.rows.append(
            IndicatorRow(
                municipality=participation.municipality.name,
                participation_id=participation.pk,
                goal=goal,
                share=goal.progress_share(goal.latest_value),
            )
        )
    if hidden:  # indicators whose goals the person sees none of
        for indicator in Indicator.objects.filter(pk__in=hidden).order_by("name"):
            found[indicator.pk] = IndicatorComparison(indicator, [], hidden[indicator.pk])
    return sorted(found.values(), key=lambda c: (c.indicator.name.casefold(), c.indicator.pk))

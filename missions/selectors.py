"""Reads for the mission-profile pages, each in a constant number of queries whatever the size.

Goals come with their latest progress value, its date and the number of updates as subqueries, so
a list of goals is one query however many updates it has; the measures of a profile are counted
in one aggregate.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Indicator, Measure, MeasureStatus, MissionProfile, ProgressUpdate, SmartGoal

SMART_LABELS = {
    "S": _("Specific"),
    "M": _("Measurable"),
    "A": _("Achievable"),
    "R": _("Relevant"),
    "T": _("Time-bound"),
}
OPEN_MEASURE_STATES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


@dataclass(frozen=True)
class SmartCriterion:
    letter: str
    label: str
    met: bool


def smart_criteria(goal: SmartGoal) -> list[SmartCriterion]:
    missing = set(goal.smart_missing)
    return [
        SmartCriterion(letter, str(label), letter not in missing)
        for letter, label in SMART_LABELS.items()
    ]


def _latest_update(field: str) -> Subquery:
    updates = ProgressUpdate.objects.filter(goal=OuterRef("pk")).order_by("-date", "-pk")
    return Subquery(updates.values(field)[:1])


def _goals_with_progress(profile: MissionProfile) -> QuerySet[SmartGoal]:
    n_updates = (
        ProgressUpdate.objects.filter(goal=OuterRef("pk"))
        .order_by()
        .values("goal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return SmartGoal.objects.filter(profile=profile).annotate(
        latest_value=_latest_update("value"),
        latest_date=_latest_update("date"),
        latest_update_id=_latest_update("pk"),
        n_updates=Coalesce(Subquery(n_updates, output_field=IntegerField()), 0),
    )


def _decorate(goal: SmartGoal) -> SmartGoal:
    """Attach what the templates show: SMART criteria and progress towards the target."""
    goal.smart = smart_criteria(goal)
    goal.smart_missing_labels = [c.label for c in goal.smart if not c.met]
    goal.share = goal.progress_share(goal.latest_value)
    goal.percent = None if goal.share is None else round(goal.share * 100)
    return goal


def profile_goals(profile: MissionProfile) -> list[SmartGoal]:
    """The profile's goals in order, each with SMART criteria and latest progress."""
    return [_decorate(goal) for goal in _goals_with_progress(profile)]


def profile_goal(profile: MissionProfile, goal_id: int) -> SmartGoal | None:
    """One goal of this profile (None for a goal of another profile or none at all)."""
    goal = _goals_with_progress(profile).select_related("updated_by").filter(pk=goal_id).first()
    return goal and _decorate(goal)


def profile_has_goals(profile: MissionProfile) -> bool:
    return SmartGoal.objects.filter(profile=profile).exists()


def goal_progress_updates(goal: SmartGoal) -> list[ProgressUpdate]:
    """The goal's updates in date order, with their authors."""
    return list(goal.progress_updates.select_related("author").order_by("date", "pk"))


@dataclass(frozen=True)
class MeasureCounts:
    total: int
    overdue: int
    by_status: list[tuple[str, str, int]]  # (value, label, count), only statuses in use


def profile_measure_counts(profile: MissionProfile) -> MeasureCounts:
    """How many measures the profile has, per status, and how many are overdue: one query."""
    today = timezone.localdate()
    counts = Measure.objects.filter(profile=profile).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=today, status__in=OPEN_MEASURE_STATES)),
        **{f"n_{value}": Count("pk", filter=Q(status=value)) for value in MeasureStatus.values},
    )
    return MeasureCounts(
        total=counts["total"],
        overdue=counts["overdue"],
        by_status=[
            (value, label, counts[f"n_{value}"])
            for value, label in MeasureStatus.choices
            if counts[f"n_{value}"]
        ],
    )


@dataclass(frozen=True)
class ProfileOverview:
    goals: list[SmartGoal]
    measures: MeasureCounts

    @property
    def goals_smart_complete(self) -> int:
        return sum(1 for goal in self.goals if not goal.smart_missing)


def profile_overview(profile: MissionProfile) -> ProfileOverview:
    return ProfileOverview(goals=profile_goals(profile), measures=profile_measure_counts(profile))


def lab_indicators(lab) -> QuerySet[Indicator]:
    """The lab's indicator catalogue, by name."""
    return Indicator.objects.filter(lab=lab).order_by("name", "pk")

"""How an edit conflict is shown: which stored values differ from what the person typed, and for
the profile, goal and measure forms the fields a colleague changed since the person's version
(core.conflicts.field_conflicts, read from the history records)."""

from datetime import date
from decimal import Decimal

from django.utils import formats

from core.conflicts import EditConflictView, field_conflicts

from ..history import measure_goals_then
from ..models import DiversityDimension


def display(value) -> str:
    """A stored or typed value as the person reads it (dimension labels, local numbers, dates)."""
    if value in (None, ""):
        return ""
    if isinstance(value, list | tuple):
        labels = dict(DiversityDimension.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize() if value == value.to_integral() else value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def form_conflict(form, current, user) -> EditConflictView:
    """The refusal of a vision, mission or goal form: the fields to decide on."""
    return field_conflicts(
        form,
        current,
        names=list(form.Meta.fields),
        user=user,
        display=lambda _name, value: display(value),
    )


def measure_conflict(form, current, user) -> EditConflictView:
    """The refusal of a measure's form, its goals included (compared as sets of goal ids)."""

    def stored(measure, name):
        if name == "goals":
            return frozenset(measure.goals.values_list("pk", flat=True))
        return getattr(measure, name)

    def typed(name):
        if name == "goals":
            return frozenset(goal.pk for goal in form.cleaned_data.get("goals") or ())
        return form.cleaned_data.get(name)

    goals_field = form.fields["goals"]
    goals = {goal.pk: goal for goal in goals_field.queryset}

    def shown(name, value):
        if name == "goals":
            chosen = [goals[pk] for pk in goals if pk in value]  # in the form's order
            return "; ".join(goals_field.label_from_instance(goal) for goal in chosen)
        return display(value)

    return field_conflicts(
        form,
        current,
        names=[*form.Meta.fields, "goals"],
        user=user,
        display=shown,
        stored=stored,
        typed=typed,
        many={"goals": measure_goals_then},
    )

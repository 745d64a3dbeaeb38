"""Reads and comparisons for the history pages of a mission profile.

Every saved change of a profile, its goals and its measures is a row in one of three
django-simple-history tables. The history list merges them with a UNION in the database, so a
page costs the same few queries however long the history is; what changed is computed by
comparing each record with the previous record of the same object.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import CharField, OuterRef, Subquery, TextField, Value
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from .models import DiversityDimension, Measure, MissionProfile, SmartGoal

BERLIN = ZoneInfo("Europe/Berlin")
HISTORY_PAGE_SIZE = 50

# The fields a person edits; bookkeeping (version, updated_at, updated_by) is left out.
TRACKED_FIELDS = {
    "profile": [
        "challenge", "vision", "target_groups", "dimensions", "stakeholders",
        "mission_statement", "resources", "risks", "status", "shared_with_cohort",
    ],
    "goal": [
        "statement", "indicator", "unit", "baseline", "target", "deadline", "owner",
        "achievability", "relevance", "position",
    ],
    "measure": ["title", "description", "responsible", "due_date", "status", "drop_reason"],
}  # fmt: skip
MODELS = {"profile": MissionProfile, "goal": SmartGoal, "measure": Measure}
SHORT_TEXT = 80  # longer values are shown as a diff on the compare page, not inline

# --- moments ----------------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_moment(value: str | None) -> datetime | None:
    """The moment a `?at=` value means, or None if it is not a date.

    "2025-03-01" means the end of that day, "2025-03-01T10:15" the end of that minute (both in
    Europe/Berlin), so changes shown in the history as made on that day or in that minute are
    included. Longer ISO values (seconds, fractions, "Z" or an offset) are taken exactly; the
    history's own links use them.
    """
    value = (value or "").strip()
    if not value or len(value) > 40:
        return None
    try:
        if _DAY.fullmatch(value):
            day = date.fromisoformat(value)
            moment = datetime.combine(day + timedelta(days=1), time.min) - timedelta(microseconds=1)
        else:
            moment = datetime.fromisoformat(value.replace("z", "Z"))
            if _MINUTE.fullmatch(value):
                moment += timedelta(minutes=1, microseconds=-1)
        if not 1900 <= moment.year <= 9998:
            return None
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=BERLIN)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def moment_param(moment: datetime) -> str:
    """A moment as an exact `?at=` value (UTC, to the microsecond)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def moment_input(moment: datetime | None) -> str:
    """A moment as the value of a datetime-local field (Europe/Berlin, to the minute)."""
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M") if moment else ""


# --- values as people read them ---------------------------------------------------------------


def field_label(kind: str, name: str) -> str:
    if name == "position":
        return _("Order")
    if name == "goals":
        return _("Goals served")
    return capfirst(MODELS[kind]._meta.get_field(name).verbose_name)


def display_value(kind: str, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    model_field = MODELS[kind]._meta.get_field(name)
    if name == "dimensions":
        labels = dict(DiversityDimension.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.localize(value.normalize() if value == value.to_integral() else value)
    return str(value)


def _is_long(kind: str, name: str) -> bool:
    return isinstance(MODELS[kind]._meta.get_field(name), TextField)


def _too_long_to_repeat(*texts: str) -> bool:
    return any(len(t) > SHORT_TEXT or "\n" in t for t in texts)


def object_label(kind: str, record) -> str:
    if kind == "profile":
        return _("Mission profile")
    if kind == "goal":
        statement = Truncator(record.statement).chars(60) or _("without text")
        return _("Goal %(n)s: %(statement)s") % {"n": record.position, "statement": statement}
    return _("Measure “%(title)s”") % {"title": Truncator(record.title).chars(60)}


# --- the history list -------------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    long: bool  # long texts are not repeated in the list; the compare page shows them


@dataclass
class HistoryEntry:
    kind: str
    history_id: int
    at: datetime
    user: object
    change_type: str  # "+" created, "~" changed, "-" deleted
    label: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def change_label(self) -> str:
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}[self.change_type]

    @property
    def at_param(self) -> str:
        return moment_param(self.at)

    @property
    def before_param(self) -> str:
        return moment_param(self.at - timedelta(microseconds=1))


def _history_of(kind: str, profile_id: int):
    model = MODELS[kind]
    lookup = {"id": profile_id} if kind == "profile" else {"profile_id": profile_id}
    return model.history.filter(**lookup)


def history_keys(profile: MissionProfile):
    """(history_date, kind, history_id) of every change, newest first: one UNION query."""
    parts = [
        _history_of(kind, profile.pk)
        .order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("history_date", "kind", "history_id")
        for kind in MODELS
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id", "kind")


def _changes(kind: str, record, previous, goals_then=None) -> list[FieldChange]:
    changes = []
    for name in TRACKED_FIELDS[kind]:
        old, new = getattr(previous, name), getattr(record, name)
        if old == new:
            continue
        old_text, new_text = display_value(kind, name, old), display_value(kind, name, new)
        changes.append(
            FieldChange(
                name,
                field_label(kind, name),
                old_text,
                new_text,
                long=_too_long_to_repeat(old_text, new_text),
            )
        )
    if goals_then is not None:
        old_goals = goals_then.get(previous.history_id, frozenset())
        new_goals = goals_then.get(record.history_id, frozenset())
        if old_goals != new_goals:
            changes.append(
                FieldChange(
                    "goals",
                    field_label(kind, "goals"),
                    str(len(old_goals)),
                    str(len(new_goals)),
                    long=False,
                )
            )
    return changes


def history_page(profile: MissionProfile, number) -> tuple[Page, list[HistoryEntry]]:
    """One page of the profile's history with who, when and what changed; 9 queries at most."""
    page = Paginator(history_keys(profile), HISTORY_PAGE_SIZE).get_page(number)
    keys = list(page.object_list)
    ids_by_kind: dict[str, list[int]] = {kind: [] for kind in MODELS}
    for _at, kind, history_id in keys:
        ids_by_kind[kind].append(history_id)

    records = {}
    for kind, ids in ids_by_kind.items():
        if not ids:
            continue
        history = MODELS[kind].history
        previous_id = (
            history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        page_records = list(
            history.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(previous_id=Subquery(previous_id))
        )
        previous_ids = [r.previous_id for r in page_records if r.previous_id]
        previous = {r.history_id: r for r in history.filter(history_id__in=previous_ids)}
        goals_then = None
        if kind == "measure":
            goals_then = measure_goals_then(ids + previous_ids)
        for record in page_records:
            records[kind, record.history_id] = (
                record,
                previous.get(record.previous_id),
                goals_then,
            )

    entries = []
    for at, kind, history_id in keys:
        record, previous, goals_then = records[kind, history_id]
        change_type = record.history_type
        if change_type == "~" and previous is None:
            change_type = "+"
        entry = HistoryEntry(
            kind=kind,
            history_id=history_id,
            at=at,
            user=record.history_user,
            change_type=change_type,
            label=object_label(kind, record),
        )
        if change_type == "~":
            entry.changes = _changes(kind, record, previous, goals_then)
        entries.append(entry)
    return page, entries


def measure_goals_then(history_ids: list[int]) -> dict[int, frozenset[int]]:
    """The goals each historical measure record served (simple-history's m2m table)."""
    through = Measure.history.model._meta.get_field("historicalmeasure_goals").related_model
    goals: dict[int, set[int]] = {history_id: set() for history_id in history_ids}
    rows = through.objects.filter(history_id__in=history_ids).values_list(
        "history_id", "smartgoal_id"
    )
    for history_id, goal_id in rows:
        goals[history_id].add(goal_id)
    return {history_id: frozenset(ids) for history_id, ids in goals.items()}


# --- comparing two moments --------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")
MAX_DIFF_TOKENS = 4000


def _html(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>")


def _mark(tag: str, text: str) -> str:
    if not text:
        return ""
    hint = _("removed:") if tag == "del" else _("added:")
    return f'<{tag}><span class="kern-sr-only">[{hint}] </span>{_html(text)}</{tag}>'


def inline_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Old and new text as HTML, removed words in <del> on the left, added ones in <ins> on the
    right (word by word with difflib; wholesale for very long texts)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(a) > MAX_DIFF_TOKENS or len(b) > MAX_DIFF_TOKENS:
        return mark_safe(_mark("del", old)), mark_safe(_mark("ins", new))  # noqa: S308
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(_html(old_part))
            right.append(_html(new_part))
        else:
            left.append(_mark("del", old_part))
            right.append(_mark("ins", new_part))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308


@dataclass
class FieldDiff:
    label: str
    old_html: SafeString
    new_html: SafeString
    changed: bool


@dataclass
class ObjectDiff:
    label: str
    state: str  # "added", "removed", "changed", "unchanged"
    fields: list[FieldDiff]

    @property
    def state_label(self) -> str:
        return {
            "added": _("added"),
            "removed": _("removed"),
            "changed": _("changed"),
            "unchanged": _("unchanged"),
        }[self.state]


def _field_diff(kind: str, name: str, old_obj, new_obj) -> FieldDiff:
    old = getattr(old_obj, name) if old_obj is not None else None
    new = getattr(new_obj, name) if new_obj is not None else None
    label = field_label(kind, name)
    old_text, new_text = display_value(kind, name, old), display_value(kind, name, new)
    if old == new or (old in (None, "", []) and new in (None, "", [])):
        return FieldDiff(label, mark_safe(_html(old_text)), mark_safe(_html(new_text)), False)  # noqa: S308
    if _is_long(kind, name) and old and new:
        old_html, new_html = inline_diff(old, new)
    else:
        old_html = mark_safe(_mark("del", old_text) if old not in (None, "", []) else "–")  # noqa: S308
        new_html = mark_safe(_mark("ins", new_text) if new not in (None, "", []) else "–")  # noqa: S308
    return FieldDiff(label, old_html, new_html, True)


def _object_diffs(kind: str, old_objects: list, new_objects: list) -> list[ObjectDiff]:
    fields = [name for name in TRACKED_FIELDS[kind] if name != "position"]
    old_by_id = {obj.pk: obj for obj in old_objects}
    new_by_id = {obj.pk: obj for obj in new_objects}
    order = [obj.pk for obj in new_objects] + [
        obj.pk for obj in old_objects if obj.pk not in new_by_id
    ]
    diffs = []
    for pk in order:
        old, new = old_by_id.get(pk), new_by_id.get(pk)
        field_diffs = [_field_diff(kind, name, old, new) for name in fields]
        if old is None:
            state = "added"
        elif new is None:
            state = "removed"
        elif any(d.changed for d in field_diffs):
            state = "changed"
        else:
            state = "unchanged"
        if state == "changed":
            field_diffs = [d for d in field_diffs if d.changed]
        diffs.append(ObjectDiff(object_label(kind, new or old), state, field_diffs))
    return diffs


def in_order(snapshot: dict) -> dict:
    """A snapshot with goals by position and measures by due date, as the profile lists them."""
    far = date.max
    return {
        "profile": snapshot["profile"],
        "goals": sorted(snapshot["goals"], key=lambda g: (g.position, g.pk)),
        "measures": sorted(snapshot["measures"], key=lambda m: (m.due_date or far, m.pk)),
    }


def compare_snapshots(old: dict, new: dict) -> dict:
    """Two results of services.profile_as_of, field by field and goal by goal."""
    old, new = in_order(old), in_order(new)
    profile = [
        _field_diff("profile", name, old["profile"], new["profile"])
        for name in TRACKED_FIELDS["profile"]
    ]
    goals = _object_diffs("goal", old["goals"], new["goals"])
    measures = _object_diffs("measure", old["measures"], new["measures"])
    n_changes = (
        sum(d.changed for d in profile)
        + sum(d.state != "unchanged" for d in goals)
        + sum(d.state != "unchanged" for d in measures)
    )
    return {"profile": profile, "goals": goals, "measures": measures, "n_changes": n_changes}

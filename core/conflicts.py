"""Optimistic locking and edit conflicts, one mechanism for every edited object.

An edited object carries a version counter. A form sends the version the person started from; the
service locks the row, and if someone saved in between it refuses with EditConflict instead of
overwriting a colleague's change unseen. The view then shows what differs (EditConflictView:
templates/missions/includes/edit_conflict.html) next to what was typed, with the form moved on to
the stored version, so that a second save is a conscious decision.

Objects whose history records carry the version (django-simple-history) get the per-field refusal
(`field_conflicts`): only the fields someone changed since the person's version are listed, each
with the new value, who and when, and the person chooses per field "keep mine" or "take theirs"
(the choice is posted with the form; `without_taken` leaves the fields taken from the other person
as stored). Every other field keeps what the person typed. A save that meets yet another change is
refused again, against the version the person last saw; earlier choices and the input go along.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ModelForm


class EditConflict(Exception):
    """Someone else saved the object after the person opened it."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def locked(model, pk: int, expected_version: int | None, *, related: tuple[str, ...] = ()):
    """The row of `model` with `pk`, locked until the transaction ends; EditConflict when its
    version is no longer `expected_version` (None: no check, e.g. a flag that cannot conflict).
    The lock makes check-and-bump atomic: two saves from one version cannot both pass."""
    # of=("self",): PostgreSQL cannot lock the nullable side of an outer join
    obj = model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)
    if expected_version is not None and obj.version != expected_version:
        raise EditConflict(obj)
    return obj


KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"
CHOICES = (KEEP_MINE, TAKE_THEIRS)


@dataclass(frozen=True)
class FieldConflict:
    """One field someone changed since the person's version: their value, who, when, the choice."""

    label: str
    theirs: str
    yours: str
    by: object
    at: datetime
    by_you: bool  # the same person, in another window or tab
    input_name: str  # of the radio group "keep mine" / "take theirs"
    chosen: str  # preselected: TAKE_THEIRS when the person had left the field as it was, else ""


@dataclass(frozen=True)
class EditConflictView:
    """What the conflict alert shows: who saved when, and either each field where theirs ≠ yours
    (`changes`, a plain comparison) or the fields to decide on (`fields`, per_field=True)."""

    by: object
    at: datetime
    changes: list[tuple[str, str, str]] = ()  # (field label, saved value, typed value)
    per_field: bool = False
    fields: tuple[FieldConflict, ...] = ()
    kept_choices: tuple[tuple[str, str], ...] = ()  # earlier choices, posted again unasked
    base: int | None = None  # the version the listed changes are counted from
    base_name: str = ""  # the hidden field that carries it, and which fields were asked about
    asked_name: str = ""

    @property
    def all_by_you(self) -> bool:
        return bool(self.fields) and all(f.by_you for f in self.fields)


def comparable(value):
    """A value normalised for "did it change?": no None/"" or line-ending noise, lists unordered."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, list | tuple):
        return sorted(value)
    return value


OUT_OF_DATE = _("This form is out of date. Please reload the page and enter your change again.")


def version_field() -> forms.IntegerField:
    """The hidden field with the version the person started from (checked by VersionedFormMixin)."""
    return forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )


class VersionedFormMixin:
    """A form that edits a versioned object: it must name the version the person started from,
    or a save could not be checked for a conflict (said above the form, as the field is hidden)."""

    version_required = True

    def clean(self):
        cleaned = super().clean()
        if (
            self.version_required
            and cleaned.get("version") is None
            and not self.has_error("version")
        ):
            self.add_error(None, OUT_OF_DATE)
        return cleaned

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def move_to_version(self, version: int) -> None:
        """After a conflict: the next save of this form starts from the stored version."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


class VersionedModelForm(VersionedFormMixin, ModelForm):
    """A model form with the version; a new object has none to name."""

    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_required = bool(self.instance.pk)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("version", self.instance.version)


# --- per-field conflicts from the history ------------------------------------------------------

_UNKNOWN = object()


@dataclass(frozen=True)
class FieldChange:
    """A field's value at the person's version, and the last change since: who and when."""

    before: object
    by: object
    at: datetime


def changes_since(
    obj,
    version: int,
    names: Iterable[str],
    *,
    many: dict[str, Callable[[list[int]], dict[int, object]]] | None = None,
) -> dict[str, FieldChange] | None:
    """The fields of `names` whose stored value is no longer what it was at `version`, read from
    the object's history records (django-simple-history with the `version` column), each with the
    person and time of its last change. None when there is no record of that version (recorded
    before the history kept versions, or a version the object never had). `many` reads fields a
    record does not hold itself: name → function(history ids) → {history id: value}."""
    names = list(names)
    many = many or {}
    base_id = (
        obj.history.filter(version=version)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    if base_id is None:
        return None
    records = list(
        obj.history.filter(history_id__gte=base_id)
        .select_related("history_user")
        .order_by("history_id")
    )
    ids = [r.history_id for r in records]
    extra = {name: read(ids) for name, read in many.items()}

    def values(record) -> dict:
        return {
            name: extra[name].get(record.history_id) if name in extra else getattr(record, name)
            for name in names
        }

    before = state = values(records[0])
    last: dict[str, tuple] = {}
    for record in records[1:]:
        now = values(record)
        for name in names:
            if comparable(now[name]) != comparable(state[name]):
                last[name] = (record.history_user, record.history_date)
        state = now
    return {
        name: FieldChange(before[name], *last[name])
        for name in names
        if name in last and comparable(state[name]) != comparable(before[name])
    }


def choice_name(form, name: str) -> str:
    """The name of the radio group "keep mine" / "take theirs" for one field of `form`."""
    return form.add_prefix(f"conflict-{name}")


def without_taken(form, fields: dict) -> dict:
    """The fields to save: those the person chose to take from the other person's version are
    left out, so they stay as stored."""
    return {
        name: value
        for name, value in fields.items()
        if form.data.get(choice_name(form, name)) != TAKE_THEIRS
    }


def refuse_unanswered(form, obj) -> None:
    """EditConflict when a field the refusal asked about comes back without a choice (the forms
    are `novalidate`): nothing a colleague changed is overwritten by default. The stored row is
    read again: validating a model form writes the input into its instance."""
    for input_name in form.data.getlist(form.add_prefix("conflict-asked")):
        if form.data.get(input_name) not in CHOICES:
            raise EditConflict(type(obj)._default_manager.get(pk=obj.pk))


def _posted_version(form, name: str) -> int | None:
    value = form.data.get(form.add_prefix(name), "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def field_conflicts(
    form,
    current,
    *,
    names: list[str],
    user,
    display: Callable[[str, object], str],
    stored: Callable[[object, str], object] = getattr,
    typed: Callable[[str], object] | None = None,
    many: dict[str, Callable[[list[int]], dict[int, object]]] | None = None,
) -> EditConflictView:
    """The refusal of `form`'s save because `current` moved on: each field of `names` someone
    changed since the version the person started from (kept across refusals) and where their
    value is not what was typed. A choice made earlier stays chosen unless the field changed again
    since the version the person last saw; else a field the person had left as it was is
    preselected "take theirs", one both changed needs a choice. Without a history record of that
    version, every field where the stored value differs from the input is listed, attributed to
    the last save. Moves the form on to `current`."""
    typed = typed or form.cleaned_data.get
    seen = form.expected_version
    base = _posted_version(form, "conflict-base") or seen
    if base is not None and seen is not None and base > seen:
        base = seen
    changed = changes_since(current, base, names, many=many) if base else None
    if changed is None:
        changed = {
            name: FieldChange(_UNKNOWN, current.updated_by, current.updated_at)
            for name in names
            if comparable(stored(current, name)) != comparable(typed(name))
        }
    since_seen = changed
    if seen and seen != base:
        since_seen = changes_since(current, seen, names, many=many) or {}
    fields = []
    for name in names:
        change = changed.get(name)
        theirs, yours = stored(current, name), typed(name)
        if change is None or comparable(theirs) == comparable(yours):
            continue
        posted = form.data.get(choice_name(form, name))
        if posted in CHOICES and seen != base and name not in since_seen:
            chosen = posted
        elif change.before is not _UNKNOWN and comparable(change.before) == comparable(yours):
            chosen = TAKE_THEIRS
        else:
            chosen = ""
        fields.append(
            FieldConflict(
                label=str(form.fields[name].label),
                theirs=display(name, theirs),
                yours=display(name, yours),
                by=change.by,
                at=change.at,
                by_you=change.by is not None and change.by.pk == user.pk,
                input_name=choice_name(form, name),
                chosen=chosen,
            )
        )
    asked = {f.input_name for f in fields}
    kept = tuple(
        (choice_name(form, name), form.data[choice_name(form, name)])
        for name in names
        if choice_name(form, name) not in asked
        and form.data.get(choice_name(form, name)) in CHOICES
    )
    form.move_to_version(current.version)
    return EditConflictView(
        by=current.updated_by,
        at=current.updated_at,
        per_field=True,
        fields=tuple(fields),
        kept_choices=kept,
        base=base,
        base_name=form.add_prefix("conflict-base"),
        asked_name=form.add_prefix("conflict-asked"),
    )

"""Optimistic locking and edit conflicts, one mechanism for every edited object.

An edited object carries a version counter. A form sends the version the person started from; the
service locks the row, and if someone saved in between it refuses with EditConflict instead of
overwriting a colleague's change unseen. The view then shows what differs (EditConflictView:
templates/includes/edit_conflict.html) next to what was typed, with the form moved on to the
stored version, so that a second save is a conscious decision.
"""

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


@dataclass(frozen=True)
class EditConflictView:
    """What the conflict alert shows: who saved when, and each field where theirs ≠ yours."""

    by: object
    at: datetime
    changes: list[tuple[str, str, str]]  # (field label, saved value, typed value)


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

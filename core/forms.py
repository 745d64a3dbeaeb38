"""The project's form renderer, its bound field, and its choice fields for database objects.

Text fields with a `max_length` never cut what a person types: browsers truncate pasted text at an
input's `maxlength` attribute without a word, so `KernBoundField` drops that attribute and states
the limit in the field's hint instead; the field's own validator refuses longer text with a message
and the form re-renders with everything that was typed.

Use `ModelChoiceField` and `ModelMultipleChoiceField` from here, not from django.forms (a test
walks every project form and checks it, tests/test_forms_ids.py): they refuse an id outside the
range of the primary key's column before any query. Without that, SQLite's driver raises
OverflowError on an `id IN (…)` with a huge number (a 500; PostgreSQL answers it), and the
person gets a form error either way.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# The column ranges of Django's integer fields, the same for every database (on SQLite they are
# what the driver can bind at all).
_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def length_limit_hint(limit: int):
    return ngettext_lazy(
        "At most %(limit)d character.", "At most %(limit)d characters.", "limit"
    ) % {"limit": limit}


class KernBoundField(BoundField):
    """A bound field whose text limit is visible in its hint instead of a silent `maxlength`.

    Also names the element the error summary links to (`anchor_id`).
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        limit = getattr(field, "max_length", None)
        if limit and not field.widget.is_hidden:
            # form.fields holds the form's own deep copy of the field, so this touches no other form
            field.widget.attrs.pop("maxlength", None)
            hint = length_limit_hint(limit)
            if not self.help_text:
                self.help_text = hint
            elif isinstance(self.help_text, SafeData):
                self.help_text = format_html("{} {}", self.help_text, hint)
            else:
                self.help_text = format_lazy("{} {}", self.help_text, hint)

    @property
    def anchor_id(self) -> str:
        """The id of the element that takes focus for this field (its first option for a group)."""
        return self.id_for_label or (f"{self.auto_id}_0" if self.auto_id else "")


class KernFormRenderer(TemplatesSetting):
    """Renders every form and field with the KERN design system's markup (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = KernBoundField


class _IdInRange:
    """Refuses ids outside the key column's range as a form error, before the database sees them."""

    out_of_range_message = _("Select a valid choice: the number is out of range.")

    def _key_range(self) -> tuple[int, int] | None:
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        while field.is_relation:  # a key that is itself a relation (multi-table inheritance)
            field = field.target_field
        return _INTEGER_RANGES.get(field.get_internal_type())

    def refuse_out_of_range(self, values) -> None:
        bounds = self._key_range()
        if bounds is None:
            return
        low, high = bounds
        for value in values:
            if isinstance(value, self.queryset.model):
                continue
            try:
                number = int(str(value).strip())
            except (TypeError, ValueError):
                continue  # not a number at all: Django's own check says so
            if not low <= number <= high:
                raise ValidationError(self.out_of_range_message, code="invalid_choice")


class ModelChoiceField(_IdInRange, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            self.refuse_out_of_range([value])
        return super().to_python(value)


class ModelMultipleChoiceField(_IdInRange, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            values = ()  # Django's own check refuses it as "not a list"
        self.refuse_out_of_range(values)
        return super()._check_values(value)


def formfield_with_id_check(db_field, **kwargs):
    """A ModelForm's generated field, with the choice fields above for relations."""
    if db_field.many_to_many:
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    elif db_field.many_to_one or db_field.one_to_one:
        kwargs.setdefault("form_class", ModelChoiceField)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """Base of the project's ModelForms with relation fields: their generated fields check ids.

    Django reads `formfield_callback` from a form's own Meta only, so each subclass's Meta gets
    it here, before the metaclass builds the fields (unless the Meta names its own).
    """

    def __init_subclass__(cls, **kwargs):
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(formfield_with_id_check)
        super().__init_subclass__(**kwargs)

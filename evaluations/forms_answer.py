"""Forms for distributing surveys (link batches, e-mails, the open link) and for answering them.

`SectionForm` holds the answers of one section. Its fields take the raw input; the checks are
those of services.clean_answers, so the browser, drafts, imports and the service agree on what
is a valid answer. Its `items` give the template what it needs to render each question
accessibly (fieldset and legend for choices, ids for error links and aria-describedby).
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.forms import ModelChoiceField, length_limit_hint
from labs.models import Municipality

from . import services
from .models import Question, QuestionType, Survey

# --- distribution ---------------------------------------------------------------------------------

MAX_PRINTED_BATCH = 500
MAX_EMAIL_BATCH = 2000
LANGUAGE_CHOICES = [("de", gettext_lazy("German")), ("en", gettext_lazy("English"))]


class _TargetFields(forms.Form):
    """Municipality and respondent group of a batch: every response through it carries them."""

    municipality = ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("– none (the whole cohort) –"),
        help_text=gettext_lazy("Answers through these links count for this municipality."),
    )
    group = forms.CharField(
        label=gettext_lazy("Respondent group"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For the breakdown by group, e.g. administration, politics."),
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            participations__cohort=cohort
        ).order_by("name")

    def clean_group(self):
        return self.cleaned_data["group"].strip()


class LinkBatchForm(_TargetFields):
    """A batch of anonymous links to hand out (printed with QR codes)."""

    prefix = "batch"
    count = forms.IntegerField(
        label=gettext_lazy("Number of links"),
        min_value=1,
        max_value=MAX_PRINTED_BATCH,
        help_text=gettext_lazy("One link per person; each link can be used once. At most 500."),
    )
    field_order = ["count", "municipality", "group"]


def _split_addresses(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text) if part]


class LinkEmailForm(_TargetFields):
    """One personal link per e-mail address, sent by the platform."""

    prefix = "email"
    emails = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One address per line (commas and semicolons also separate). "
            "Each person receives their own link, which can be used once."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mail"), choices=LANGUAGE_CHOICES, initial="de"
    )
    field_order = ["emails", "language", "municipality", "group"]

    def clean_emails(self) -> list[str]:
        addresses, invalid = [], []
        for address in _split_addresses(self.cleaned_data["emails"]):
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
            else:
                addresses.append(address.lower())
        if invalid:
            shown = ", ".join(invalid[:10]) + (" …" if len(invalid) > 10 else "")
            raise ValidationError(
                _("These are not valid e-mail addresses: %(list)s") % {"list": shown}
            )
        addresses = list(dict.fromkeys(addresses))  # each person once
        if not addresses:
            raise ValidationError(_("Please enter at least one e-mail address."))
        if len(addresses) > MAX_EMAIL_BATCH:
            raise ValidationError(_("Please send at most 2,000 e-mails at once."))
        return addresses


class OpenLinkForm(forms.Form):
    ACTIONS = [
        ("enable", pgettext_lazy("open link", "Switch on")),
        ("disable", pgettext_lazy("open link", "Switch off")),
        ("renew", pgettext_lazy("open link", "Renew (the old address stops working)")),
    ]
    action = forms.ChoiceField(
        label=gettext_lazy("Open link"),
        choices=ACTIONS,
        error_messages={
            "required": gettext_lazy("Please choose what to do with the open link."),
            "invalid_choice": gettext_lazy("Please choose what to do with the open link."),
        },
    )


# --- answering ------------------------------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool
    hint: str = ""  # the end label of a scale, spoken after the value by screen readers


@dataclass
class QuestionItem:
    """One question as the answering template renders it."""

    question: Question
    name: str
    id: str  # the control's id, or the first option's: error links point here
    error_id: str
    hint_id: str
    errors: list[str]
    options: list[Option] = field(default_factory=list)
    value: str = ""

    @property
    def kind(self) -> str:
        return self.question.type

    @property
    def grouped(self) -> bool:
        """Options in a fieldset (scale, single, multi) rather than one labelled control."""
        return self.kind in (QuestionType.SCALE, QuestionType.SINGLE, QuestionType.MULTI)

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.has_hint else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def has_hint(self) -> bool:
        return self.kind in (
            QuestionType.SCALE,
            QuestionType.MULTI,
            QuestionType.NUMBER,
            QuestionType.TEXT,
        )

    @property
    def limit_hint(self) -> str:
        """The length limit of a typed answer, shown instead of a silent `maxlength`."""
        if self.kind == QuestionType.NUMBER:
            return str(length_limit_hint(services.NUMBER_ANSWER_MAX_LENGTH))
        if self.kind == QuestionType.TEXT:
            return str(length_limit_hint(services.TEXT_ANSWER_MAX_LENGTH))
        return ""


class SectionForm(forms.Form):
    """The answers to one section's questions, keyed by question code."""

    prefix = "a"

    def __init__(
        self,
        data=None,
        *,
        survey: Survey,
        questions: list[Question],
        values: dict | None = None,
        require: bool = True,
    ):
        values = values or {}
        initial = {q.code: values[q.code] for q in questions if q.code in values}
        super().__init__(data, initial=initial)
        self.survey = survey
        self.questions = questions
        self.require = require
        self.answer_values: dict = {}
        for question in questions:
            self.fields[question.code] = self._field_for(question)

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        kind = question.type
        if kind == QuestionType.MULTI:
            return forms.Field(required=False, widget=forms.CheckboxSelectMultiple)
        if kind in (QuestionType.SCALE, QuestionType.SINGLE):
            return forms.Field(required=False, widget=forms.RadioSelect)
        if kind == QuestionType.NUMBER:
            return forms.CharField(required=False, max_length=services.NUMBER_ANSWER_MAX_LENGTH)
        return forms.CharField(required=False, widget=forms.Textarea)

    @classmethod
    def data_from(cls, questions: list[Question], values: dict) -> MultiValueDict:
        """Form data carrying `values`, to check stored answers as if they had been posted."""
        data = MultiValueDict()
        for question in questions:
            value = values.get(question.code)
            if value is None:
                continue
            items = value if isinstance(value, list) else [value]
            data.setlist(f"{cls.prefix}-{question.code}", [str(v) for v in items])
        return data

    def clean(self):
        raw = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.code)
            if isinstance(value, list | tuple):
                value = [str(v) for v in value if str(v)]
            elif value is not None:
                value = str(value).strip()
            raw[question.code] = value
        checked = services.clean_answers(
            self.survey, raw, questions=self.questions, partial=not self.require
        )
        for code, message in checked.errors.items():
            if code not in self.errors:  # the field refused it already (too long): say only that
                self.add_error(code, message)
        self.answer_values = {
            code: value
            for code, value in raw.items()
            if value not in (None, "", []) and code not in checked.errors
        }
        return self.cleaned_data

    def _current(self, question: Question):
        bound = self[question.code]
        value = bound.value()
        if value is None:
            return [] if question.type == QuestionType.MULTI else ""
        if question.type == QuestionType.MULTI:
            return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if isinstance(value, float) and value == int(value):
            value = int(value)
        return str(value)

    @property
    def items(self) -> list[QuestionItem]:
        items = []
        for question in self.questions:
            bound = self[question.code]
            base_id = bound.auto_id
            current = self._current(question)
            item = QuestionItem(
                question=question,
                name=bound.html_name,
                id=base_id,
                error_id=f"{base_id}_error",
                hint_id=f"{base_id}_hint",
                errors=list(bound.errors),
            )
            if question.type == QuestionType.SCALE:
                values = question.scale_values
                for i, value in enumerate(values):
                    hint = ""
                    if i == 0:
                        hint = question.min_label
                    elif i == len(values) - 1:
                        hint = question.max_label
                    text = str(value)
                    label = text.replace("-", "\u2212")  # a minus sign, read as "minus"
                    item.options.append(
                        Option(text, label, f"{base_id}_{i}", current == text, hint)
                    )
            elif question.has_choices:
                chosen = set(current) if isinstance(current, list) else {current}
                for i, choice in enumerate(question.choices.all()):
                    item.options.append(
                        Option(choice.code, choice.label, f"{base_id}_{i}", choice.code in chosen)
                    )
            else:
                item.value = current if isinstance(current, str) else ""
            if item.options:
                item.id = item.options[0].id
            items.append(item)
        return items

    @property
    def error_items(self) -> list[QuestionItem]:
        return [item for item in self.items if item.errors]

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.conflicts import VersionedFormMixin, VersionedModelForm, version_field, without_taken
from core.forms import ModelChoiceField, ModelForm, ModelMultipleChoiceField
from labs.forms import DateInput

from .models import (
    DiversityDimension,
    Indicator,
    Measure,
    MeasureStatus,
    MissionProfile,
    ReviewAction,
    SmartGoal,
)


class VersionedForm(VersionedModelForm):
    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def fields_to_save(self) -> dict:
        """The model fields, less those the person chose to take from a colleague's version after
        an edit conflict (they stay as stored)."""
        return without_taken(self, self.model_fields())


class VisionForm(VersionedForm):
    dimensions = forms.MultipleChoiceField(
        label=_("Diversity dimensions"),
        choices=DiversityDimension.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The dimensions of diversity the mission addresses."),
    )

    class Meta:
        model = MissionProfile
        fields = ["challenge", "vision", "target_groups", "dimensions", "stakeholders"]
        widgets = {
            "challenge": forms.Textarea(attrs={"rows": 4}),
            "vision": forms.Textarea(attrs={"rows": 4}),
            "target_groups": forms.Textarea(attrs={"rows": 3}),
            "stakeholders": forms.Textarea(attrs={"rows": 3}),
        }


class MissionForm(VersionedForm):
    class Meta:
        model = MissionProfile
        fields = ["mission_statement", "resources", "risks"]
        widgets = {
            "mission_statement": forms.Textarea(attrs={"rows": 4}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 3}),
        }


# Longer than this, a goal statement gets a warning (not an error): it is probably several goals.
LONG_GOAL_STATEMENT = 600


class GoalForm(VersionedForm):
    """A SMART goal. `indicators`: the lab's catalogue; without any, the choice is not offered."""

    catalogue_indicator = ModelChoiceField(
        label=_("Indicator from the lab's catalogue"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("None: I describe my own indicator"),
        help_text=_(
            "Municipalities that pick the same indicator are compared in the cohort. Its name "
            "and unit fill the fields below when they are empty."
        ),
    )

    class Meta:
        model = SmartGoal
        fields = [
            "statement",
            "catalogue_indicator",
            "indicator",
            "unit",
            "baseline",
            "target",
            "deadline",
            "owner",
            "achievability",
            "relevance",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "deadline": DateInput(),
            "achievability": forms.Textarea(attrs={"rows": 3}),
            "relevance": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicators is None or not indicators:
            del self.fields["catalogue_indicator"]
        else:
            self.fields["catalogue_indicator"].queryset = indicators

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}

    def clean(self):
        """A catalogue indicator fills the indicator's name and unit where they are empty; what
        was typed there stays."""
        data = super().clean()
        picked = data.get("catalogue_indicator")
        if picked is not None:
            if not (data.get("indicator") or "").strip():
                data["indicator"] = picked.name
            if not (data.get("unit") or "").strip():
                data["unit"] = picked.unit
        return data

    def warnings(self) -> list[str]:
        """Notices about what this valid form changed that may be a slip; they do not stop a save.

        Only changed values count, so a goal of a past cohort is not warned about on every save.
        """
        notes = []
        deadline = self.cleaned_data.get("deadline")
        if "deadline" in self.changed_data and deadline and deadline < timezone.localdate():
            notes.append(_("The deadline is in the past. Please check the date."))
        statement = self.cleaned_data.get("statement") or ""
        if "statement" in self.changed_data and len(statement) > LONG_GOAL_STATEMENT:
            notes.append(
                _(
                    "The goal statement is very long (%(count)d characters). A SMART goal can "
                    "usually be said in one or two sentences: consider shortening or splitting it."
                )
                % {"count": len(statement)}
            )
        return notes


class ProgressForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class MeasureForm(VersionedForm):
    goals = ModelMultipleChoiceField(
        label=_("Goals served"),
        queryset=SmartGoal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Measure
        fields = ["title", "description", "responsible", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DateInput()}

    def __init__(self, *args, profile: MissionProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = profile.goals.all()
        self.fields["goals"].label_from_instance = lambda g: str(g)
        if self.instance.pk and not self.is_bound:
            self.initial["goals"] = list(self.instance.goals.values_list("pk", flat=True))


class MeasureStatusForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    reason = forms.CharField(
        label=_("Reason (when dropped)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    version = version_field()


class ReviewForm(forms.Form):
    # withdrawing has its own page action (views.measures.profile_withdraw)
    action = forms.ChoiceField(
        choices=[c for c in ReviewAction.choices if c[0] != ReviewAction.WITHDRAW],
        widget=forms.HiddenInput,
        # the buttons post it: the error summary lists it as text (nothing to link to)
        error_messages={
            "required": _("Please choose one of the buttons."),
            "invalid_choice": _("Please choose one of the buttons."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )  # fmt: skip
    reply = forms.CharField(
        label=_("Your answer to the comments of the coordination office"),
        help_text=_("The coordination office reads it next to its comment."),
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
    )  # fmt: skip


class IndicatorForm(ModelForm):
    """A catalogue indicator of the lab (the coordinators keep the catalogue)."""

    class Meta:
        model = Indicator
        fields = ["name", "definition", "unit", "direction", "data_source"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.lab = lab

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Indicator.objects.filter(lab=self.instance.lab, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The catalogue already has an indicator of this name."))
        return name

"""Forms of the planning pages. Date and time are entered in Europe/Berlin (settings.TIME_ZONE)."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import ModelForm, ModelMultipleChoiceField
from evaluations.models import Survey, SurveyKind
from labs.forms import DateInput
from labs.models import Cohort, Lab, Participation

from . import selectors
from .models import AttendanceStatus, Event, PhaseKind
from .services import event_field_errors


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(ModelForm):
    cohorts = ModelMultipleChoiceField(
        label=_("Cohorts"),
        queryset=Cohort.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The cohorts whose municipalities the event is for."),
    )

    class Meta:
        model = Event
        fields = [
            "type",
            "title",
            "starts_at",
            "ends_at",
            "format",
            "place",
            "online_url",
            "facilitators",
            "agenda",
            "capacity",
            "open_to_guests",
            "series",
            "feedback_survey",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "format": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "capacity": forms.NumberInput(attrs={"min": 1}),
        }
        help_texts = {
            "starts_at": _("Date and time in Berlin."),
            "ends_at": _("Date and time in Berlin; after the start."),
            "place": _("Required on site and for hybrid events: address and room."),
            "online_url": _("Required online and for hybrid events: the link to the video call."),
            "facilitators": _("Who moderates or teaches."),
        }

    def __init__(self, *args, lab: Lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.lab = lab
        self.fields["type"].queryset = selectors.lab_event_types(lab)
        self.fields["type"].empty_label = _("– please choose –")
        self.fields["format"].choices = [
            c for c in self.fields["format"].choices if c[0]
        ]  # no empty radio
        for name in ("place", "online_url"):
            self.fields[name].conditional = True  # required for some formats: no "optional"
        cohorts = lab.cohorts.order_by("start_date", "name")
        self.fields["cohorts"].queryset = cohorts
        self.fields["cohorts"].label_from_instance = lambda c: c.name
        series = Event.objects.filter(lab=lab, series__isnull=True).select_related("type")
        if self.instance.pk:
            series = series.exclude(pk=self.instance.pk)
        self.fields["series"].queryset = series.order_by("-starts_at")
        self.fields["series"].empty_label = _("– none –")
        self.fields["series"].label_from_instance = lambda e: (
            f"{e.title} ({formats.date_format(e.starts_at, 'SHORT_DATE_FORMAT')})"
        )
        self.fields["feedback_survey"].queryset = (
            Survey.objects.filter(cohort__lab=lab, kind=SurveyKind.FEEDBACK)
            .select_related("cohort")
            .order_by("cohort__name", "-created_at")
        )
        self.fields["feedback_survey"].empty_label = _("– none yet –")
        self.fields["feedback_survey"].label_from_instance = lambda s: (
            f"{s.title} ({s.cohort.name})"
        )
        self.fields["feedback_survey"].help_text = _(
            "A feedback survey of one of the event's cohorts. Registered participants find the "
            "link on the event's page."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["cohorts"] = list(self.instance.cohorts.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        errors = event_field_errors(
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            format=data.get("format") or "",
            place=data.get("place") or "",
            online_url=data.get("online_url") or "",
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        cohorts = data.get("cohorts")
        if cohorts is not None and not cohorts and not data.get("open_to_guests"):
            self.add_error(
                "cohorts", _("Please choose at least one cohort, or open the event to guests.")
            )
        survey = data.get("feedback_survey")
        if survey is not None and cohorts is not None and survey.cohort not in cohorts:
            self.add_error(
                "feedback_survey",
                _("Please choose a feedback survey of one of the event's cohorts."),
            )
        return data

    def _post_clean(self):
        # the services validate the model; a half-filled instance must not raise here
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InviteForm(forms.Form):
    participations = ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every tandem member of the municipalities chosen is invited."),
    )
    users = forms.MultipleChoiceField(
        label=_("People"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Single people of the lab who are not invited yet."),
    )

    def __init__(self, *args, participations, people, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        rows = {p.pk: p for p in participations}
        field = self.fields["participations"]
        field.queryset = Participation.objects.filter(pk__in=list(rows)).order_by(
            "cohort__start_date", "cohort__name", "municipality__name"
        )
        field.label_from_instance = lambda p: self._participation_label(rows[p.pk])
        self.participation_rows = participations
        self.people = people
        self.fields["users"].choices = [
            (str(p["user"].pk), f"{p['user'].get_full_name()} ({', '.join(p['roles'])})")
            for p in people
        ]
        self._user_model = get_user_model()

    @staticmethod
    def _participation_label(p) -> str:
        invited = ngettext(
            "%(n)d of %(total)d member invited",
            "%(n)d of %(total)d members invited",
            p.n_members,
        ) % {"n": p.n_invited, "total": p.n_members}
        return f"{p.municipality.name} – {p.cohort.name} ({invited})"

    def clean(self):
        data = super().clean()
        if not data.get("participations") and not data.get("users") and not self.errors:
            raise forms.ValidationError(_("Please choose at least one municipality or person."))
        return data

    def chosen_users(self):
        ids = [int(pk) for pk in self.cleaned_data.get("users", [])]
        return list(self._user_model.objects.filter(pk__in=ids))


class AttendanceForm(forms.Form):
    """One radio group per registration, named by its id; "" means not recorded."""

    CHOICES = [("", _("Not recorded")), *AttendanceStatus.choices]

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            name = self.field_name(registration)
            self.fields[name] = forms.ChoiceField(
                label=registration.user.get_full_name(),
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=registration.attendance,
            )

    @staticmethod
    def field_name(registration) -> str:
        return f"attendance-{registration.pk}"

    def rows(self):
        for registration in self.registrations:
            yield registration, self[self.field_name(registration)]

    def marks(self) -> dict[int, str]:
        """Only the groups that were sent: a person added meanwhile is left as they are."""
        return {
            registration.pk: self.cleaned_data[name]
            for registration in self.registrations
            if (name := self.field_name(registration)) in self.data
        }


class OutcomesForm(forms.Form):
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What was worked out and agreed; it feeds the cohort's reports."),
    )


class PhasesForm(forms.Form):
    """From and until for each of the five phases; a phase left empty is not shown."""

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        by_kind = {p.kind: p for p in phases}
        for kind, label in PhaseKind.choices:
            phase = by_kind.get(kind)
            self.fields[f"{kind}_starts_on"] = forms.DateField(
                label=_("%(phase)s: from") % {"phase": label},
                required=False,
                widget=DateInput(),
                initial=phase.starts_on if phase else None,
            )
            self.fields[f"{kind}_ends_on"] = forms.DateField(
                label=_("%(phase)s: until") % {"phase": label},
                required=False,
                widget=DateInput(),
                initial=phase.ends_on if phase else None,
            )

    def rows(self):
        for kind, label in PhaseKind.choices:
            yield kind, label, self[f"{kind}_starts_on"], self[f"{kind}_ends_on"]

    def phases(self) -> dict:
        return {
            kind: (self.cleaned_data[f"{kind}_starts_on"], self.cleaned_data[f"{kind}_ends_on"])
            for kind in PhaseKind.values
        }

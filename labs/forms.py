from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField, ModelForm

from .models import (
    Cohort,
    InvitationRole,
    Lab,
    Municipality,
    Participation,
    ParticipationStatus,
    State,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LabForm(forms.ModelForm):
    class Meta:
        model = Lab
        fields = [
            "name",
            "slug",
            "organiser",
            "description",
            "description_en",
            "funding_acknowledgement",
            "funding_line",
            "funding_line_en",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "funding_acknowledgement": forms.Textarea(attrs={"rows": 3}),
        }


class LabEditForm(LabForm):
    class Meta(LabForm.Meta):
        fields = [
            "name",
            "organiser",
            "description",
            "description_en",
            "funding_acknowledgement",
            "funding_line",
            "funding_line_en",
            "funders_read_shared_profiles",
        ]


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "slug", "start_date", "end_date", "description", "description_en"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, lab: Lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.lab = lab

    def clean(self):
        data = super().clean()
        slug = data.get("slug")
        if slug and "slug" in self.fields:
            taken = Cohort.objects.filter(lab=self.instance.lab, slug=slug)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error("slug", _("This lab already has a cohort with this short name."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end must not lie before the start."))
        return data


class CohortEditForm(CohortForm):
    class Meta(CohortForm.Meta):
        fields = ["name", "start_date", "end_date", "description", "description_en"]


class MunicipalityForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ["name", "ags", "state", "district", "population", "population_date"]
        widgets = {"population_date": DateInput()}

    def __init__(self, *args, lab: Lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.lab = lab
        self.fields["ags"].widget.attrs.update({"inputmode": "numeric", "pattern": r"\d{8}"})
        self.fields["state"].choices = [("", _("– please choose –")), *State.choices]

    def clean(self):
        data = super().clean()
        others = Municipality.objects.filter(lab=self.instance.lab).exclude(pk=self.instance.pk)
        name, ags = data.get("name"), data.get("ags")
        if name and others.filter(name__iexact=name).exists():
            self.add_error("name", _("This lab already has a municipality with this name."))
        if ags and others.filter(ags=ags).exists():
            self.add_error("ags", _("This lab already has a municipality with this AGS."))
        return data


class AdmitForm(ModelForm):
    class Meta:
        model = Participation
        fields = ["municipality", "status"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = _("– please choose –")


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["status", "starting_situation", "process_goals", "central_results"]
        widgets = {
            "starting_situation": forms.Textarea(attrs={"rows": 6}),
            "process_goals": forms.Textarea(attrs={"rows": 6}),
            "central_results": forms.Textarea(attrs={"rows": 6}),
        }


def participation_label(participation: Participation) -> str:
    """A municipality in a cohort as a choice, with its status when it left the cohort."""
    label = f"{participation.municipality.name} – {participation.cohort.name}"
    if participation.status == ParticipationStatus.LEFT:
        label += f" ({participation.get_status_display()})"
    return label


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=InvitationRole.choices)
    participation = ModelChoiceField(
        label=_("Municipality"),
        help_text=_(
            "Required for tandem members: the municipality whose tandem they join. Optional for "
            "participants: the municipality they take part for."
        ),
        queryset=Participation.objects.none(),
        required=False,
        empty_label=_("– please choose –"),
    )

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participation"]
        field.conditional = True  # required for one role only: the template omits "optional"
        field.queryset = participations
        field.label_from_instance = participation_label

    def clean(self):
        data = super().clean()
        if data.get("role") == InvitationRole.TANDEM_MEMBER and not data.get("participation"):
            self.add_error(
                "participation", _("Please choose the municipality the tandem member belongs to.")
            )
        return data


class AcceptSignupForm(forms.Form):
    # Shown so that people (and password managers) see which address the account gets; the
    # account always gets the invited address, and another address posted here is refused.
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"readonly": True, "autocomplete": "email"}),
        help_text=_("The address the invitation was sent to; it cannot be changed here."),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["email"].initial = email
        self.fields["email"].conditional = True  # never asked for: no "optional" mark
        if self.is_bound and not self.data.get("email"):
            self.data = self.data.copy()  # shown again after an error, like the other fields
            self.data["email"] = email

    def clean_email(self) -> str:
        posted = (self.cleaned_data.get("email") or "").strip()
        if posted and posted.casefold() != self.email.strip().casefold():
            raise forms.ValidationError(
                _(
                    "This invitation is for %(email)s. An account can be created through it "
                    "only for that address; please ask the coordination office for an "
                    "invitation to another address."
                ),
                code="invitation_email",
                params={"email": self.email},
            )
        return self.email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = get_user_model()(email=self.email, name=data.get("name", ""))
            try:
                validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

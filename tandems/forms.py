from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField
from labs.forms import DateInput

from .models import Tandem, TandemMember


class PeopleSearchForm(forms.Form):
    """The people page's search (GET): a part of a name, e-mail address, municipality or
    department."""

    q = forms.CharField(
        label=_("Find a person"),
        help_text=_("A part of the name, e-mail address, municipality or department."),
        required=False,
        max_length=200,
    )

    def search(self) -> str:
        """What to look for: nothing while the input is refused (the page says why)."""
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class SponsorForm(forms.ModelForm):
    class Meta:
        model = Tandem
        fields = ["sponsor_name", "sponsor_function", "commitment_date"]
        widgets = {"commitment_date": DateInput()}

    def clean(self):
        data = super().clean()
        committed = data.get("commitment_date")
        if committed and committed > timezone.localdate():
            self.add_error(
                "commitment_date", _("The date of the commitment cannot lie in the future.")
            )
        named = (data.get("sponsor_name") or "").strip() or (
            data.get("sponsor_function") or ""
        ).strip()
        if committed and not named:
            # the reports often name the office only ("Bürgermeister:in"), so either will do
            self.add_error(
                "sponsor_name",
                _("Please name the person or the function whose commitment this date records."),
            )
        return data


class MemberForm(forms.ModelForm):
    class Meta:
        model = TandemMember
        fields = ["department", "function"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A tandem is complete only when every member names their department.
        self.fields["department"].required = True
        self.fields["function"].help_text = _("E.g. equality officer, project lead.")


class MemberRemoveForm(forms.Form):
    """Remove a member who left, or hand their place over to another person of the lab."""

    REMOVE = "remove"
    HAND_OVER = "hand_over"
    action = forms.ChoiceField(
        label=_("What should happen?"),
        widget=forms.RadioSelect,
        choices=[
            (REMOVE, _("Remove the person from the tandem")),
            (HAND_OVER, _("Hand the place over to another person")),
        ],
    )
    successor = ModelChoiceField(
        label=_("Successor"),
        help_text=_(
            "A person of the lab with an account; they take over the department and the role in "
            "the tandem. To bring in someone new, invite them as a tandem member instead."
        ),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("– please choose –"),
    )

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        field.conditional = True  # required for one choice only: the template omits "optional"
        field.queryset = successors
        field.label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"

    def clean(self):
        data = super().clean()
        if data.get("action") == self.HAND_OVER and not data.get("successor"):
            self.add_error("successor", _("Please choose who takes over the place."))
        return data

    @property
    def chosen_successor(self):
        if self.cleaned_data.get("action") == self.HAND_OVER:
            return self.cleaned_data.get("successor")
        return None

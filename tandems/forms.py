from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labs.forms import DateInput

from .models import Tandem, TandemMember


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

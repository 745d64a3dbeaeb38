from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import ModelChoiceField

from .models import AuditEvent, AuditKind, SitePage

# The labs an audit entry can name (AuditEvent.lab): taken from the foreign key, since accounts
# sits below labs and does not import it.
Lab = AuditEvent._meta.get_field("lab").related_model


class LoginForm(AllauthLoginForm):
    """allauth's login form without the reset link inside the password field's help text: the
    link sat between label and input in the tab order; the template shows it after the button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


# --- audit log and site pages (admins) ------------------------------------------------------------


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET). Dates are whole days in UTC, both ends included."""

    kind = forms.ChoiceField(
        label=pgettext_lazy("audit log", "Event"),
        required=False,
        choices=[("", _("All events")), *AuditKind.choices],
    )
    lab = ModelChoiceField(
        label=_("Lab"),
        required=False,
        queryset=Lab.objects.order_by("name"),
        empty_label=_("All labs"),
    )
    date_from = forms.DateField(
        label=_("From (UTC date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until (UTC date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not lie before the start date."))
        return data


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = ["title_de", "body_de", "title_en", "body_en"]
        widgets = {
            "body_de": forms.Textarea(attrs={"rows": 20}),
            "body_en": forms.Textarea(attrs={"rows": 20}),
        }
        help_texts = {
            "body_de": _("Markdown: # for headings, - for lists, [text](https://…) for links."),
            "body_en": _("Leave empty to show the German text to English readers too."),
        }

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Delivery


def _language_choices():
    return [("", _("Automatic")), *settings.LANGUAGES]


class NotificationSettingsForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How do you want to hear about notifications?"),
        choices=Delivery.choices,
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=_language_choices,
        required=False,
        help_text=_(
            "The platform writes to you in this language. Automatic: the language of your"
            " invitation, else German."
        ),
    )

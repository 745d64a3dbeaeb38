"""The upload form of an answers file (see evaluations.importing)."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .importing import utf8_sample_ok

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
TEXT_EXTENSIONS = (".csv", ".txt")


class ResponsesImportForm(forms.Form):
    file = forms.FileField(
        label=_("Answers file (CSV)"),
        help_text=_(
            "UTF-8, separated by commas or semicolons; the first row names the columns: "
            "response_id, optionally submitted_at, municipality and group, then one column per "
            "question code. At most 50 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        if not upload.name.lower().endswith(TEXT_EXTENSIONS):
            raise forms.ValidationError(
                _("Please upload a CSV file (ending in .csv); save spreadsheets as “CSV UTF-8”.")
            )
        upload.seek(0)
        sample = upload.read(64 * 1024)
        upload.seek(0)
        if not utf8_sample_ok(sample):
            raise forms.ValidationError(
                _(
                    "This is not a UTF-8 text file. Save it as “CSV UTF-8” in your spreadsheet "
                    "program and upload it again."
                )
            )
        return upload

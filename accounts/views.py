"""A person's own data: what is stored (me/privacy/), the JSON download (me/data.json) and
deleting one's own account (me/delete/, POST with the password)."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import audit
from .privacy import (
    AccountDeletionRefused,
    account_delete,
    account_deletion_blockers,
    personal_data_export,
)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        help_text=gettext_lazy("To confirm that it is you, enter your current password."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password


def _privacy_page(request: HttpRequest, form: AccountDeleteForm, status: int = 200):
    context = {
        "form": form,
        "blockers": account_deletion_blockers(request.user),
        "retention_months": settings.SURVEY_RAW_RETENTION_MONTHS,
    }
    response = render(request, "accounts/my_privacy.html", context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def my_privacy(request: HttpRequest) -> HttpResponse:
    return _privacy_page(request, AccountDeleteForm(user=request.user))


@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(request.user)
    audit.record(audit.K.DATA_EXPORTED, request=request, obj=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"innolab-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)  # includes Cache-Control: no-store
    return response


@login_required
@require_POST
def my_account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST, user=request.user)
    if not form.is_valid():
        return _privacy_page(request, form)
    try:
        former_id = account_delete(request.user)
    except AccountDeletionRefused as refused:
        form.add_error(None, str(refused))
        return _privacy_page(request, form)
    # The account is gone: end this session too. Not through auth.logout(), whose signal would
    # write a "logout" audit row naming the deleted account; the row below has no actor and
    # does not hold the deleted person's e-mail address.
    request.session.flush()
    request.user = AnonymousUser()
    audit.record(audit.K.ACCOUNT_DELETED, request=request, target=f"account #{former_id} deleted")
    messages.success(
        request,
        _(
            "Your account has been deleted. What you wrote in shared mission profiles is kept "
            "and shown as written by a former member."
        ),
    )
    return redirect("home")

"""Accounts for platform administrators: find an account, deactivate it (not one's own) and
reactivate a deactivated one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.viewhelpers import GET_POST, paginate

from . import selectors, services
from .permissions import access_account_for_admin, require_site_admin

ACCOUNTS_PER_PAGE = 50
QUERY_MAX = 200


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    require_site_admin(request.user)
    query = request.GET.get("q", "")[:QUERY_MAX]
    pagination = paginate(request, selectors.accounts_matching(query), ACCOUNTS_PER_PAGE)
    return render(request, "accounts/account_list.html", {"query": query, **pagination})


@login_required
@GET_POST
def account_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """Asks for confirmation (GET), then deactivates (POST)."""
    account = access_account_for_admin(request.user, user_id)
    is_self = account.pk == request.user.pk
    if request.method == "POST":
        try:
            changed = services.account_deactivate(account=account, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            _tell_deactivated(request, account, changed)
        return redirect("account_list")
    return render(
        request, "accounts/account_deactivate.html", {"account": account, "is_self": is_self}
    )


def _tell_deactivated(request: HttpRequest, account, changed: bool) -> None:
    name = {"name": account.get_full_name()}
    if changed:
        messages.success(request, _("The account of %(name)s was deactivated.") % name)
    else:
        messages.info(request, _("The account of %(name)s was already deactivated.") % name)


@login_required
@GET_POST
def account_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """Asks for confirmation (GET), then reactivates (POST)."""
    account = access_account_for_admin(request.user, user_id)
    if request.method == "POST":
        changed = services.account_reactivate(account=account)
        name = {"name": account.get_full_name()}
        if changed:
            messages.success(request, _("The account of %(name)s was reactivated.") % name)
        else:
            messages.info(request, _("The account of %(name)s is already active.") % name)
        return redirect("account_list")
    return render(request, "accounts/account_reactivate.html", {"account": account})

"""Two-factor authentication required for privileged accounts (MFA_REQUIRED_FOR_PRIVILEGED).

Coordinators (anyone with a coordinator lab membership) and administrators (is_staff or
is_superuser) - the rule is labs.permissions.is_privileged - without an activated authenticator
are sent to allauth's TOTP activation page from every page except that flow itself
(re-authentication, recovery codes), logging out, the language switch, static files and the
health check. Production sets the flag; the demo and development leave it off and the login page
says so.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from labs.permissions import is_privileged

# url names a privileged person without an authenticator may still reach
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "healthz",
    }
)


def needs_mfa_setup(user) -> bool:
    if not getattr(settings, "MFA_REQUIRED_FOR_PRIVILEGED", False):
        return False
    if not user.is_authenticated:
        return False
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    return is_privileged(user)


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED_URL_NAMES:
            return None
        if request.path_info.startswith((settings.STATIC_URL, "/favicon")):
            return None
        if not needs_mfa_setup(request.user):
            return None
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        messages.warning(
            request,
            _(
                "Your role (coordinator or administrator) requires two-factor authentication. "
                "Please set up an authenticator app before you continue."
            ),
        )
        return HttpResponseRedirect(target)


def context(request: HttpRequest) -> dict:
    """MFA_REQUIRED_FOR_PRIVILEGED for templates (the demo's login page says it is off)."""
    return {"MFA_REQUIRED_FOR_PRIVILEGED": getattr(settings, "MFA_REQUIRED_FOR_PRIVILEGED", False)}

"""While a profile is submitted for review its tandem cannot change it (README, "Working with
mission profiles"). A page or form that would change it answers with the notice and the offer to
withdraw the submission, never a bare 403: a stale form (a tab opened before the submission)
gets 409 and the notice; htmx goes to the page the person is on, which shows it read-only."""

from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from ..permissions import ProfileAccess, ProfileAwaitsReview


def refused_while_submitted(view):
    """Answer ProfileAwaitsReview (raised by access_profile(edit=True)) with the notice page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ProfileAwaitsReview as refused:
            return _awaiting_review(request, refused.access)

    return wrapper


def _awaiting_review(request: HttpRequest, access: ProfileAccess) -> HttpResponse:
    posted = request.method == "POST"
    if posted:
        messages.error(request, _("Your change was not saved."))
    participation = access.participation
    cohort = participation.cohort
    overview = reverse("mission_profile", args=[cohort.lab.slug, cohort.slug, participation.pk])
    if request.htmx:
        here = request.htmx.current_url_abs_path or ""
        safe = here.startswith("/") and url_has_allowed_host_and_scheme(
            here, allowed_hosts={request.get_host()}
        )
        return HttpResponseClientRedirect(here if safe else overview)
    context = {
        "lab": cohort.lab,
        "cohort": cohort,
        "participation": participation,
        "profile": access.profile,
        "access": access,
        "step": "",
        "overview_url": overview,
        # after withdrawing: back to this page, or for a refused POST (maybe a POST-only URL)
        # to the overview
        "withdraw_next": overview if posted else request.path,
    }
    return render(request, "missions/awaiting_review.html", context, status=409 if posted else 200)

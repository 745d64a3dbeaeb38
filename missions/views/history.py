"""History of a mission profile: every saved change, the profile as it was at a moment, two moments
side by side, and restoring an old state (which is itself recorded as a change)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.viewhelpers import render_page_or_partial

from .. import history, services
from ..models import MissionProfile
from ..permissions import ProfileAccess, access_profile
from .awaiting import refused_while_submitted


def _frame(access: ProfileAccess) -> dict:
    participation = access.participation
    return {
        "lab": participation.cohort.lab,
        "cohort": participation.cohort,
        "participation": participation,
        "profile": access.profile,
        "access": access,
        "step": "history",
    }


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _not_a_moment(raw: str) -> str:
    return _(
        "“%(value)s” is not a date. Please give a date (YYYY-MM-DD) or a date and time "
        "(YYYY-MM-DDTHH:MM)."
    ) % {"value": Truncator(raw).chars(40)}


def _did_not_exist(moment) -> str:
    return _("On %(moment)s the profile did not exist yet.") % {"moment": _when(moment)}


def _snapshot(profile: MissionProfile, raw: str):
    """(moment, snapshot, error) for a `?at=`-style value; nothing and no error when empty."""
    if not raw.strip():
        return None, None, ""
    moment = history.parse_moment(raw)
    if moment is None:
        return None, None, _not_a_moment(raw)
    try:
        snapshot = services.profile_as_of(profile, moment)
    except MissionProfile.DoesNotExist:
        return moment, None, _did_not_exist(moment)
    return moment, history.in_order(snapshot), ""


@login_required
@require_GET
def profile_history(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id)
    page, entries = history.history_page(access.profile, request.GET.get("page"))
    return render_page_or_partial(
        request,
        "missions/history.html",
        "history-list",
        {**_frame(access), "page_obj": page, "entries": entries},
    )


@login_required
@require_GET
def profile_as_of(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id)
    raw = request.GET.get("at", "")
    moment, snapshot, error = _snapshot(access.profile, raw)
    return render(
        request,
        "missions/as_of.html",
        {
            **_frame(access),
            "moment": moment,
            "snapshot": snapshot,
            "error": error,
            "at_input": history.moment_input(moment) if moment else raw[:40],
            "at_param": history.moment_param(moment) if moment else "",
            "now_param": history.moment_param(timezone.now()),
        },
    )


@login_required
@require_GET
def profile_compare(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id)
    raw_a, raw_b = request.GET.get("a", ""), request.GET.get("b", "")
    errors, moment_a, moment_b, comparison = _comparison(access.profile, raw_a, raw_b)
    return render(
        request,
        "missions/compare.html",
        {
            **_frame(access),
            "errors": errors,
            "error_ids": {input_id for input_id, _message in errors},
            "comparison": comparison,
            "moment_a": moment_a,
            "moment_b": moment_b,
            "a_input": history.moment_input(moment_a) if moment_a else raw_a[:40],
            "b_input": history.moment_input(moment_b) if moment_b and raw_b else raw_b[:40],
            "a_param": history.moment_param(moment_a) if moment_a else "",
            "b_param": history.moment_param(moment_b) if moment_b else "",
        },
    )


def _comparison(profile: MissionProfile, raw_a: str, raw_b: str):
    """(errors, moment A, moment B, comparison) of two `?a=`/`?b=` values; B left open is now.
    Each error is (the id of its input, the message): the error summary links it there."""
    errors, comparison = [], None
    moment_a = snapshot_a = moment_b = snapshot_b = None
    if raw_a.strip() or raw_b.strip():
        if not raw_a.strip():
            errors.append(("a", _("Please give the earlier moment (A).")))
        else:
            moment_a, snapshot_a, error = _snapshot(profile, raw_a)
            errors += [("a", error)] if error else []
        if raw_b.strip():
            moment_b, snapshot_b, error = _snapshot(profile, raw_b)
            errors += [("b", error)] if error else []
        else:
            moment_b, snapshot_b, _error = _snapshot(profile, history.moment_param(timezone.now()))
    if snapshot_a and snapshot_b:
        comparison = history.compare_snapshots(snapshot_a, snapshot_b)
    return errors, moment_a, moment_b, comparison


@login_required
@refused_while_submitted
@require_POST
def profile_restore(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id, edit=True)
    back = reverse("mission_history", args=[lab_slug, cohort_slug, participation_id])
    raw = request.POST.get("at", "")
    moment = history.parse_moment(raw)
    if moment is None:
        messages.error(
            request,
            _not_a_moment(raw)
            if raw.strip()
            else _("Please choose the moment whose state should be restored."),
        )
        return redirect(back)
    try:
        services.profile_restore(profile=access.profile, user=request.user, moment=moment)
    except MissionProfile.DoesNotExist:
        messages.error(request, _did_not_exist(moment))
        return redirect(back)
    messages.success(request, _restored(moment))
    return redirect(back)


def _restored(moment) -> str:
    return _(
        "The state of %(moment)s was restored. The restore is recorded as a new change, "
        "so it can be undone the same way."
    ) % {"moment": _when(moment)}

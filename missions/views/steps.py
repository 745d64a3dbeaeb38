"""Profile overview, step 1 (vision and challenge), step 2 (SMART goals) and goal progress.

Every form saves on its own. With htmx a view answers with the partial of its page
("page.html#name"); without JavaScript it redirects after a save or renders the whole page.
When someone else saved the same object in between, the view answers 409 with the form as typed,
the fields the other person changed since (their value, who, when) to choose "keep mine" or "take
theirs" for, and the form's version moved on (core.conflicts).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.conflicts import EditConflict, refuse_unanswered
from core.fragments import fragment
from core.viewhelpers import GET_POST, apply_validation_error, posted, render_page_or_partial

from .. import charts, selectors, services
from ..forms import GoalForm, ProgressForm, VisionForm
from ..models import SmartGoal
from ..permissions import ProfileAccess, ProfileNotStarted, access_profile, access_profile_start
from .awaiting import refused_while_submitted
from .conflicts import form_conflict
from .measures import review_panel_context

CONFLICT = 409


def _access(
    request: HttpRequest,
    lab_slug: str,
    cohort_slug: str,
    participation_id: int,
    *,
    edit: bool = False,
) -> ProfileAccess:
    """Reading needs a role that may see the profile; a POST (or `edit`) one that may write it."""
    return access_profile(
        request.user,
        lab_slug,
        cohort_slug,
        participation_id,
        edit=edit or request.method == "POST",
    )


def _goal(access: ProfileAccess, goal_id: int) -> SmartGoal:
    goal = selectors.profile_goal(access.profile, goal_id)
    if goal is None:
        raise Http404
    return goal


def _context(access: ProfileAccess, step: str, **extra) -> dict:
    participation = access.participation
    return {
        "lab": participation.cohort.lab,
        "cohort": participation.cohort,
        "participation": participation,
        "profile": access.profile,
        "access": access,
        "step": step,
        **extra,
    }


def _status(context: dict) -> int:
    return CONFLICT if "conflict" in context else 200


def _goals_url(access: ProfileAccess) -> str:
    cohort = access.participation.cohort
    return reverse(
        "mission_step_goals", args=[cohort.lab.slug, cohort.slug, access.participation.pk]
    )


# --- overview ---------------------------------------------------------------------------------


@login_required
@require_GET
def profile_overview(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    try:
        access = _access(request, lab_slug, cohort_slug, participation_id)
    except ProfileNotStarted as missing:
        return _not_started(request, missing)
    context = _context(
        access,
        "overview",
        # computed only when the overview is not in the cache
        overview=SimpleLazyObject(lambda: selectors.profile_overview(access.profile)),
        fragment=fragment(request, "mission-overview", access.profile.pk, access.can_edit),
    )
    context.update(review_panel_context(access, next_url=request.path, user=request.user))
    return render(request, "missions/overview.html", context)


def _not_started(request: HttpRequest, missing: ProfileNotStarted) -> HttpResponse:
    participation = missing.participation
    context = {
        "lab": participation.cohort.lab,
        "cohort": participation.cohort,
        "participation": participation,
        "can_start": missing.can_start,
    }
    return render(request, "missions/not_started.html", context)


@login_required
@require_POST
def profile_start(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    participation = access_profile_start(request.user, lab_slug, cohort_slug, participation_id)
    services.profile_create(participation=participation)
    return redirect("mission_profile", lab_slug, cohort_slug, participation_id)


# --- step 1: vision and challenge -------------------------------------------------------------


@login_required
@refused_while_submitted
@GET_POST
def step_vision(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = _access(request, lab_slug, cohort_slug, participation_id)
    form = VisionForm(posted(request), instance=access.profile)
    context = _context(access, "vision", form=form)
    if request.method == "POST" and form.is_valid():
        try:
            refuse_unanswered(form, access.profile)
            profile = services.profile_update(
                profile=access.profile,
                user=request.user,
                expected_version=form.expected_version,
                **form.fields_to_save(),
            )
        except EditConflict as conflict:
            context["conflict"] = form_conflict(form, conflict.current, request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _vision_saved(request, access, context, profile)
    return render_page_or_partial(
        request, "missions/step_vision.html", "vision-form", context, _status(context)
    )


def _vision_saved(request: HttpRequest, access: ProfileAccess, context: dict, profile):
    """On to step 2 ("continue"), or the saved form again."""
    goals_url = _goals_url(access)
    go_on = request.POST.get("continue") == "goals"
    if request.htmx:
        if go_on:
            return HttpResponseClientRedirect(goals_url)
        context.update(profile=profile, form=VisionForm(instance=profile), saved=True)
        return render_page_or_partial(request, "missions/step_vision.html", "vision-form", context)
    messages.success(request, _("Vision and challenge were saved."))
    return redirect(goals_url if go_on else request.path)


# --- step 2: SMART goals ----------------------------------------------------------------------

NEW_GOAL_PREFIX = "new-goal"


def _indicators(access: ProfileAccess):
    """The lab's catalogue indicators a goal may pick."""
    return selectors.lab_indicators(access.participation.cohort.lab)


def _new_goal_form(access: ProfileAccess, data=None) -> GoalForm:
    form = GoalForm(data, prefix=NEW_GOAL_PREFIX, indicators=_indicators(access))
    # A goal starts with what it is about; everything else may follow later.
    form.fields["statement"].required = True
    return form


def _goal_form(access: ProfileAccess, goal: SmartGoal, data=None) -> GoalForm:
    return GoalForm(data, instance=goal, prefix=f"goal-{goal.pk}", indicators=_indicators(access))


@login_required
@refused_while_submitted
@GET_POST
def step_goals(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = _access(request, lab_slug, cohort_slug, participation_id)
    form = _new_goal_form(access, posted(request))
    context = _context(access, "goals", form=form)
    if request.method == "POST":
        if form.is_valid():
            try:
                goal = services.goal_create(
                    profile=access.profile, user=request.user, **form.model_fields()
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                context["goal_warnings"] = form.warnings()
                return _goal_added(request, access, context, goal)
        if request.htmx:
            return render_page_or_partial(request, "missions/step_goals.html", "goal-add", context)
    context["goals"] = selectors.profile_goals(access.profile)
    return render_page_or_partial(request, "missions/step_goals.html", "goal-list", context)


def _goal_added(request: HttpRequest, access: ProfileAccess, context: dict, goal):
    if request.htmx:
        context.update(
            goal=selectors.profile_goal(access.profile, goal.pk),
            form=_new_goal_form(access),
            added=True,
        )
        return render_page_or_partial(request, "missions/step_goals.html", "goal-add", context)
    messages.success(request, _("The goal was added."))
    _warn(request, context)
    return redirect(f"{request.path}#goal-{goal.pk}")


@login_required
@refused_while_submitted
@GET_POST
def goal_edit(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, goal_id: int
) -> HttpResponse:
    access = _access(request, lab_slug, cohort_slug, participation_id, edit=True)
    goal = _goal(access, goal_id)
    form = _goal_form(access, goal, posted(request))
    # htmx edits the goal in place in the list of step 2; without it, the goal has its own page.
    context = _context(access, "goals", goal=goal, form=form, inline=bool(request.htmx))
    if request.method == "POST" and form.is_valid():
        try:
            refuse_unanswered(form, goal)
            services.goal_update(
                goal=goal,
                user=request.user,
                expected_version=form.expected_version,
                **form.fields_to_save(),
            )
        except EditConflict as conflict:
            context["conflict"] = form_conflict(form, conflict.current, request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            context["goal_warnings"] = form.warnings()
            return _goal_saved(request, access, context, goal)
    return render_page_or_partial(
        request, "missions/goal_form.html", "goal-form", context, _status(context)
    )


def _goal_saved(request: HttpRequest, access: ProfileAccess, context: dict, goal):
    if request.htmx:
        context.update(goal=selectors.profile_goal(access.profile, goal.pk), saved=True)
        return render_page_or_partial(request, "missions/step_goals.html", "goal-card", context)
    messages.success(request, _("The goal was saved."))
    _warn(request, context)
    return redirect(f"{_goals_url(access)}#goal-{goal.pk}")


def _warn(request: HttpRequest, context: dict) -> None:
    for warning in context.get("goal_warnings", ()):
        messages.warning(request, warning)


@login_required
@refused_while_submitted
@GET_POST
def goal_delete(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, goal_id: int
) -> HttpResponse:
    """GET asks for confirmation (the goal's progress updates go with it); POST deletes."""
    access = _access(request, lab_slug, cohort_slug, participation_id, edit=True)
    goal = _goal(access, goal_id)
    context = _context(access, "goals", goal=goal, confirm_delete=True)
    if request.method == "POST":
        services.goal_delete(goal=goal, user=request.user)
        if request.htmx:
            context["goals_left"] = selectors.profile_has_goals(access.profile)
            return render_page_or_partial(
                request, "missions/step_goals.html", "goal-deleted", context
            )
        messages.success(request, _("The goal was deleted."))
        return redirect("mission_step_goals", lab_slug, cohort_slug, participation_id)
    return render(request, "missions/goal_form.html", context)


# --- progress ---------------------------------------------------------------------------------


def _progress_form(goal: SmartGoal, data=None) -> ProgressForm:
    today = timezone.localdate()
    form = ProgressForm(data, initial={"date": today}, prefix="progress")
    form.fields["date"].widget.attrs["max"] = today.isoformat()
    if goal.unit:
        form.fields["value"].help_text = _("In %(unit)s.") % {"unit": goal.unit}
    return form


@login_required
@refused_while_submitted
@GET_POST
def goal_progress(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, goal_id: int
) -> HttpResponse:
    access = _access(request, lab_slug, cohort_slug, participation_id)
    goal = _goal(access, goal_id)
    form = _progress_form(goal, posted(request))
    context = _context(access, "goals", goal=goal, form=form)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_add(
                goal=goal,
                user=request.user,
                value=form.cleaned_data["value"],
                on=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("The progress was recorded."))
                return redirect(request.path)
            context.update(goal=_goal(access, goal_id), form=_progress_form(goal), saved=True)
    context["updates"] = selectors.goal_progress_updates(context["goal"])
    return render_page_or_partial(request, "missions/goal_progress.html", "goal-progress", context)


@login_required
@require_GET
def goal_chart(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, goal_id: int
) -> HttpResponse:
    access = _access(request, lab_slug, cohort_slug, participation_id)
    goal = _goal(access, goal_id)
    title = _("Progress of the goal “%(goal)s”") % {"goal": Truncator(str(goal)).chars(80)}
    svg = charts.goal_progress_svg(goal, selectors.goal_progress_updates(goal), title=title)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The chart's address changes with the data (see the page); still, never serve a stale one.
    response["Cache-Control"] = "private, no-cache"
    return response

"""Step 3 of the mission profile (mission statement, resources, risks, measures), the review
workflow, sharing with the cohort and the printable Missionssteckbrief.

Step 3 saves as you go: with htmx each form swaps only its own section ("page.html#partial"),
without JavaScript the same forms post normally and the page redirects back. Every edit names the
version the person started from; a refused save (EditConflict) comes back with status
409, the person's input kept and the fields the other person changed since listed with their
value, who and when, to choose "keep mine" or "take theirs" for (core.conflicts).
"""

from copy import copy
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.conflicts import (
    EditConflict,
    EditConflictView,
    comparable,
    refuse_unanswered,
    without_taken,
)
from core.fragments import remember
from core.viewhelpers import GET_POST, apply_validation_error, posted, render_page_or_partial
from tandems.selectors import participation_tandem

from .. import history, selectors, services
from ..forms import MeasureForm, MeasureStatusForm, MissionForm, ReviewForm
from ..models import (
    MEASURE_TRANSITIONS,
    Measure,
    MeasureStatus,
    MissionProfile,
    ProfileStatus,
    ReviewAction,
)
from ..permissions import ProfileAccess, access_profile
from .awaiting import refused_while_submitted
from .conflicts import form_conflict, measure_conflict

STEP_TEMPLATE = "missions/step_mission.html"
MEASURE_TEMPLATE = "missions/measure_form.html"


# --- small helpers ------------------------------------------------------------------------------


def _keep_input_with_version(form, version: int, make_form):
    """The same input again (with the choices made), now naming the current version."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    form = make_form(data)
    form.is_valid()
    return form


def _profile_url(name: str, access: ProfileAccess, *extra) -> str:
    participation = access.participation
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk, *extra])


def _next_url(request: HttpRequest, access: ProfileAccess) -> str:
    """Where the review panel's forms return to: the page they came from, else the overview."""
    wanted = request.POST.get("next", "")
    if (
        wanted.startswith("/")
        and wanted.isprintable()  # a line break would end up in the Location header
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return wanted
    return _profile_url("mission_profile", access)


def _back_to(request: HttpRequest, url: str) -> HttpResponse:
    # htmx would follow a redirect and swap the whole page into the panel: let it navigate instead
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _measure_of(access: ProfileAccess, measure_id: int) -> Measure:
    """A measure of this profile; another profile's measure is 404 like a missing one."""
    return get_object_or_404(
        Measure.objects.select_related("updated_by"), pk=measure_id, profile=access.profile
    )


# --- edit conflicts ------------------------------------------------------------------------------


def _status_conflict(current: Measure, form: MeasureStatusForm) -> EditConflictView:
    changes = []
    wanted = form.cleaned_data["status"]
    if wanted != current.status:
        changes.append((_("Status"), current.get_status_display(), MeasureStatus(wanted).label))
    reason = form.cleaned_data["reason"] if wanted == MeasureStatus.DROPPED else ""
    if comparable(reason) != comparable(current.drop_reason):
        changes.append((_("Reason for dropping"), current.drop_reason, reason))
    return EditConflictView(by=current.updated_by, at=current.updated_at, changes=changes)


# --- reads for the pages (no query per goal or measure) ------------------------------------------


def _goal_label(goal, number: int | None) -> str:
    text = Truncator(goal.statement).chars(120) or _("Goal without text")
    return _("Goal %(n)s: %(text)s") % {"n": number, "text": text} if number else text


def _numbered_goals(profile: MissionProfile) -> list:
    """The profile's goals numbered as on step 2 and in the submission check (1, 2, …)."""
    prefetch_related_objects([profile], "goals")
    goals = list(profile.goals.all())
    for number, goal in enumerate(goals, start=1):
        goal.number = number
    return goals


def _offer_allowed_states(form: MeasureStatusForm, measure: Measure) -> MeasureStatusForm:
    """Show only the next states MEASURE_TRANSITIONS allows (the service checks posted ones)."""
    allowed = MEASURE_TRANSITIONS[MeasureStatus(measure.status)]
    choices = [(s.value, s.label) for s in MeasureStatus if s in allowed]
    # nothing preselected: the first allowed state may be a step back
    form.fields["status"].choices = [("", _("Choose the new status"))] + choices if choices else []
    return form


def _status_form(measure: Measure, data=None) -> MeasureStatusForm:
    return MeasureStatusForm(
        data, prefix=f"status-{measure.pk}", initial={"version": measure.version}
    )


def _quick_actions(measure: Measure) -> list[tuple[str, str]]:
    """One-click status changes for the list: the allowed next states except dropping, which
    needs a reason and is done on the measure's page."""
    current = MeasureStatus(measure.status)
    allowed = MEASURE_TRANSITIONS[current]
    labels = {
        MeasureStatus.IN_PROGRESS: _("Reopen") if current == MeasureStatus.DONE else _("Start"),
        MeasureStatus.DONE: _("Mark as done"),
        MeasureStatus.SUSTAINED: _("Mark as sustained"),
        MeasureStatus.PLANNED: (
            _("Reopen") if current == MeasureStatus.DROPPED else _("Back to planned")
        ),
    }
    return [(s.value, labels[s]) for s in MeasureStatus if s in allowed and s in labels]


def _measures_for_page(profile: MissionProfile, goals: list, *, can_edit: bool) -> list:
    numbers = {goal.pk: goal.number for goal in goals}
    today = timezone.localdate()
    measures = list(profile.measures.prefetch_related("goals"))
    for measure in measures:
        measure.goal_list = list(measure.goals.all())
        for goal in measure.goal_list:
            goal.number = numbers.get(goal.pk)
        measure.overdue = measure.is_overdue(today)
        measure.quick_actions = _quick_actions(measure) if can_edit else []
        measure.can_drop = (
            can_edit and MeasureStatus.DROPPED in MEASURE_TRANSITIONS[MeasureStatus(measure.status)]
        )
    return measures


def _measure_form(access: ProfileAccess, goals: list, data=None, **kwargs) -> MeasureForm:
    form = MeasureForm(data, profile=access.profile, **kwargs)
    numbers = {goal.pk: goal.number for goal in goals}
    form.fields["goals"].label_from_instance = lambda g: _goal_label(g, numbers.get(g.pk))
    return form


def _review_form(data=None) -> ReviewForm:
    form = ReviewForm(data, prefix="review")
    comment = form.fields["comment"]
    comment.label = _("Comment for the tandem")
    comment.help_text = _("Required when you return the profile; optional when you approve it.")
    comment.conditional = True  # forms/field.html: no "optional" mark, it depends on the button
    return form


def review_panel_context(
    access: ProfileAccess,
    *,
    next_url: str,
    review_form: ReviewForm | None = None,
    user=None,
) -> dict:
    """What templates/missions/includes/review_panel.html needs; the overview page uses it too.

    Coordinator feedback and the submission check are for the tandem and the coordination office;
    a tandem of another municipality reading a shared profile sees the status only. With `user`,
    the reviews and the submission check come from the cache while the profile is unchanged.
    """
    profile = access.profile
    insider = access.sees_review_details
    open_for_submission = profile.status in (ProfileStatus.DRAFT, ProfileStatus.RETURNED)

    def lookup() -> tuple[list, list]:
        return (
            list(profile.reviews.select_related("by")) if insider else [],
            services.submission_problems(profile) if insider and open_for_submission else [],
        )

    # "-2": the problems became SubmissionProblem objects; an entry cached before would not fit
    events, problems = (
        remember(user, "review-panel-2", profile.pk, insider, compute=lookup) if user else lookup()
    )
    latest_return = None
    if profile.status == ProfileStatus.RETURNED:
        latest_return = next((e for e in events if e.action == ReviewAction.RETURN), None)
    return {
        "review_form": review_form or _review_form(),
        "review_events": events,
        "latest_return": latest_return,
        "submission_problems": [(p.text, _problem_url(access, p)) for p in problems],
        # the tandem answers the open return when it submits again
        "return_to_answer": services.open_return_in(events) if access.can_submit else None,
        **(_since_return(access, events) if access.can_decide else {}),
        "show_review_details": insider,
        "can_submit": access.can_submit,
        "can_decide": access.can_decide,
        "can_activate": access.can_activate,
        "has_review_actions": access.has_review_actions,
        "can_share": access.can_share,
        "review_url": _profile_url("mission_review", access),
        "share_url": _profile_url("mission_share", access),
        "review_next": next_url,
    }


def _problem_url(access: ProfileAccess, problem: services.SubmissionProblem) -> str:
    """Where the tandem fixes what the submission check misses: the goal's own form at the
    missing field, or the step's."""
    if problem.goal_id:
        url = _profile_url("mission_goal_edit", access, problem.goal_id)
        return f"{url}#id_goal-{problem.goal_id}-{problem.field}"
    anchor = {"vision": "#id_vision", "goals": "#goal-add-heading"}.get(problem.step, "")
    if problem.step == "mission":
        anchor = "#id_mission-mission_statement"
    return _profile_url(f"mission_step_{problem.step}", access) + anchor


def _since_return(access: ProfileAccess, events: list) -> dict:
    """For the reviewer of a profile submitted again: the return it answers, the tandem's reply
    and the comparison from the returned version to now."""
    submission = next((e for e in events if e.action == ReviewAction.SUBMIT), None)
    if submission is None:
        return {}
    earlier = events[events.index(submission) + 1 :]
    returned = next((e for e in earlier if e.action == ReviewAction.RETURN), None)
    if returned is None:
        return {}
    compare = _profile_url("mission_compare", access)
    answers = submission.reply_to_id == returned.pk and submission.comment
    return {
        "answered_return": returned,
        "reply": submission if answers else None,
        "changes_since_return_url": f"{compare}?a={history.moment_param(returned.at)}",
    }


def _step_context(access: ProfileAccess, **overrides) -> dict:
    """Everything step 3 shows; `overrides` put bound forms, conflicts and notes in place."""
    profile = access.profile
    participation = access.participation
    goals = _numbered_goals(profile)
    step_url = _profile_url("mission_step_mission", access)
    context = {
        "lab": participation.cohort.lab,
        "cohort": participation.cohort,
        "participation": participation,
        "profile": profile,
        "access": access,
        "step": "mission",
        "goals": goals,
        "measures": _measures_for_page(profile, goals, can_edit=access.can_edit),
        "mission_form": (
            MissionForm(instance=profile, prefix="mission") if access.can_edit else None
        ),
        "measure_form": (
            _measure_form(access, goals, prefix="new-measure") if access.can_edit else None
        ),
        "step_url": step_url,
        "measure_create_url": _profile_url("mission_measure_create", access),
        "print_url": _profile_url("mission_print", access),
        "returned_notice_elsewhere": True,  # step 3 shows it at the top
    }
    context.update(
        review_panel_context(
            access, next_url=step_url, review_form=overrides.pop("review_form", None)
        )
    )
    context.update(overrides)
    return context


def _render_step(request, access, *, partial: str | None = None, status: int = 200, **overrides):
    return render_page_or_partial(
        request, STEP_TEMPLATE, partial, _step_context(access, **overrides), status=status
    )


# --- step 3: mission ------------------------------------------------------------------------------


def _mission_form(access: ProfileAccess, data=None) -> MissionForm:
    return MissionForm(data, instance=copy(access.profile), prefix="mission")


def _mission_saved(request: HttpRequest, access: ProfileAccess, profile) -> HttpResponse:
    if not request.htmx:
        messages.success(request, _("The mission was saved."))
        return redirect(request.path)
    # the review panel's checklist may have changed with the mission statement
    return _render_step(
        request,
        replace(access, profile=profile),
        partial="mission-section",
        mission_saved_at=timezone.now(),
        oob_review=True,
    )


@login_required
@refused_while_submitted
@GET_POST
def step_mission(  # long: a save answers a conflict (409), errors and success, htmx or not
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(
        request.user, lab_slug, cohort_slug, participation_id, edit=request.method == "POST"
    )
    if request.method == "GET":
        return _render_step(request, access)
    form = _mission_form(access, request.POST)
    conflict = None
    if form.is_valid():
        try:
            refuse_unanswered(form, access.profile)
            profile = services.profile_update(
                profile=access.profile,
                user=request.user,
                expected_version=form.expected_version,
                **form.fields_to_save(),
            )
        except EditConflict as exc:
            conflict = form_conflict(form, exc.current, request.user)
            form = _keep_input_with_version(
                form, exc.current.version, lambda data: _mission_form(access, data)
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _mission_saved(request, access, profile)
    return _mission_refused(request, access, form, conflict)


def _mission_refused(request: HttpRequest, access: ProfileAccess, form, conflict) -> HttpResponse:
    """The mission form again, with its errors or the other person's saved values (409)."""
    return _render_step(
        request,
        access,
        partial="mission-section",
        status=409 if conflict else 200,
        mission_form=form,
        form=form,
        mission_conflict=conflict,
    )


# --- measures ------------------------------------------------------------------------------------


@login_required
@refused_while_submitted
@GET_POST
def measure_create(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id, edit=True)
    goals = _numbered_goals(access.profile)
    form = _measure_form(access, goals, posted(request), prefix="new-measure")
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(
                profile=access.profile,
                user=request.user,
                goals=form.cleaned_data["goals"],
                **_measure_fields(form),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            done = _("The measure “%(title)s” was added.") % {"title": measure.title}
            return _measures_changed(request, access, measure, done)
    if request.htmx:
        return _render_step(
            request, access, partial="measures-section", measure_form=form, form=form
        )
    return render(request, MEASURE_TEMPLATE, _measure_page_context(access, form, None, goals))


@login_required
@refused_while_submitted
@GET_POST
def measure_edit(  # long: a save answers a conflict (409), errors and success
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, measure_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id, edit=True)
    measure = _measure_of(access, measure_id)
    goals = _numbered_goals(access.profile)

    def make_form(data):  # a copy: validation writes into the instance, the page shows the saved
        return _measure_form(access, goals, data, instance=copy(measure), prefix="measure")

    form = make_form(posted(request))
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = without_taken(form, {**_measure_fields(form), "goals": form.cleaned_data["goals"]})
        try:
            refuse_unanswered(form, measure)
            saved = services.measure_update(
                measure=measure,
                user=request.user,
                expected_version=form.expected_version,
                goals=fields.pop("goals", None),  # None: as stored
                **fields,
            )
        except EditConflict as exc:
            conflict = measure_conflict(form, exc.current, request.user)
            form = _keep_input_with_version(form, exc.current.version, make_form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The measure “%(title)s” was saved.") % {"title": saved})
            return redirect(_profile_url("mission_step_mission", access) + f"#measure-{measure.pk}")
    context = _measure_page_context(access, form, measure, goals, conflict=conflict)
    return render(request, MEASURE_TEMPLATE, context, status=409 if conflict else 200)


def _measure_fields(form: MeasureForm) -> dict:
    return {name: form.cleaned_data[name] for name in MeasureForm.Meta.fields}


def _measure_page_context(
    access: ProfileAccess,
    form,
    measure: Measure | None,
    goals,
    *,
    status_form: MeasureStatusForm | None = None,
    **extra,
) -> dict:
    participation = access.participation
    if measure is not None and status_form is None:
        status_form = _status_form(measure)
    if status_form is not None:
        _offer_allowed_states(status_form, measure)
    return {
        "lab": participation.cohort.lab,
        "cohort": participation.cohort,
        "participation": participation,
        "profile": access.profile,
        "access": access,
        "step": "mission",
        "form": form,
        "measure_form": form,
        "measure": measure,
        "goals": goals,
        "status_form": status_form,
        "step_url": _profile_url("mission_step_mission", access),
        **extra,
    }


@login_required
@refused_while_submitted
@require_POST
def measure_status(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, measure_id: int
) -> HttpResponse:
    # long: a save answers a conflict (409), errors and success, from the list or the page
    """From the list (one-click buttons, htmx) or from the measure's page (any allowed state,
    with the reason for dropping; origin=page)."""
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id, edit=True)
    measure = _measure_of(access, measure_id)
    form = _status_form(measure, request.POST)
    conflict = None
    if form.is_valid():
        try:
            measure = services.measure_set_status(
                measure=measure,
                user=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as exc:
            conflict = _status_conflict(exc.current, form)
            form = _keep_input_with_version(
                form, exc.current.version, lambda data: _status_form(measure, data)
            )
            measure = exc.current
        except ValidationError as exc:
            apply_validation_error(form, exc, renamed={"drop_reason": "reason"})
        else:
            return _measures_changed(request, access, measure, _status_done(measure))
    return _status_refused(request, access, measure, form, conflict)


def _status_refused(request: HttpRequest, access, measure, form, conflict) -> HttpResponse:
    """The status form again, on the measure's page (origin=page) or in the list."""
    status = 409 if conflict else 200
    if request.POST.get("origin") == "page" and not request.htmx:
        goals = _numbered_goals(access.profile)
        context = _measure_page_context(
            access,
            _measure_form(access, goals, instance=measure, prefix="measure"),
            measure,
            goals,
            status_form=form,
            status_conflict=conflict,
        )
        context["form"] = form
        return render(request, MEASURE_TEMPLATE, context, status=status)
    return _render_step(
        request,
        access,
        partial="measures-section",
        status=status,
        form=form,
        measures_error={"measure": measure, "form": form, "conflict": conflict},
    )


def _status_done(measure: Measure) -> str:
    return _("“%(title)s” is now “%(status)s”.") % {
        "title": measure.title,
        "status": measure.get_status_display(),
    }


def _measures_changed(request: HttpRequest, access, measure, done: str) -> HttpResponse:
    if request.htmx:
        return _render_step(request, access, partial="measures-section", measures_note=done)
    messages.success(request, done)
    return redirect(_profile_url("mission_step_mission", access) + f"#measure-{measure.pk}")


@login_required
@refused_while_submitted
@require_POST
def measure_delete(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, measure_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id, edit=True)
    measure = _measure_of(access, measure_id)
    title = measure.title
    services.measure_delete(measure=measure, user=request.user)
    messages.success(request, _("The measure “%(title)s” was deleted.") % {"title": title})
    return _back_to(request, _profile_url("mission_step_mission", access) + "#measures-section")


# --- review workflow and sharing -----------------------------------------------------------------


def _review_done(action: str) -> str:
    return {
        ReviewAction.SUBMIT: _("The mission profile was submitted for review."),
        ReviewAction.APPROVE: _("The mission profile was approved."),
        ReviewAction.RETURN: _("The mission profile was returned to the tandem with your comment."),
        ReviewAction.ACTIVATE: _("The mission profile is now active."),
    }[ReviewAction(action)]


@login_required
@require_POST
def profile_review(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(
        request.user, lab_slug, cohort_slug, participation_id, review_details=True
    )
    form = _review_form(request.POST)
    next_url = _next_url(request, access)
    if form.is_valid():
        action = form.cleaned_data["action"]
        if not access.may_take_review_action(action):
            raise PermissionDenied
        try:
            # the form's fields are the service's: action and comment
            services.profile_review(profile=access.profile, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _review_done(action))
            return _back_to(request, next_url)
    if request.htmx:
        return _review_panel(request, access, form, next_url)
    return _render_step(request, access, review_form=form, form=form)


def _review_panel(request: HttpRequest, access, form, next_url: str) -> HttpResponse:
    context = {
        "lab": access.participation.cohort.lab,
        "cohort": access.participation.cohort,
        "participation": access.participation,
        "profile": access.profile,
        "access": access,
        "form": form,
        "returned_notice_elsewhere": next_url == _profile_url("mission_step_mission", access),
        **review_panel_context(access, next_url=next_url, review_form=form),
    }
    return render(request, "missions/includes/review_panel.html", context)


@login_required
@require_POST
def profile_withdraw(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    """The tandem takes its submission back (to draft) to change the profile again."""
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id, writer=True)
    try:
        services.profile_withdraw(profile=access.profile, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "The submission was withdrawn: you can change the profile again. Submit it "
                "when it is ready."
            ),
        )
    return _back_to(request, _next_url(request, access))


@login_required
@require_POST
def profile_share(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id, writer=True)
    if not access.can_share:
        raise PermissionDenied
    shared = request.POST.get("shared") == "1"
    services.profile_share(profile=access.profile, user=request.user, shared=shared)
    if shared:
        messages.success(
            request, _("The other municipalities of the cohort can now read this profile.")
        )
    else:
        messages.success(request, _("The profile is no longer shared with the cohort."))
    return _back_to(request, _next_url(request, access))


# --- the printable Missionssteckbrief ------------------------------------------------------------


@login_required
@require_GET
def profile_print(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_profile(request.user, lab_slug, cohort_slug, participation_id)
    return render(request, "missions/print.html", _print_context(access))


def _print_context(access: ProfileAccess) -> dict:
    profile = access.profile
    participation = access.participation
    goals = selectors.profile_goals(profile)  # with the latest progress value and its date
    for number, goal in enumerate(goals, start=1):
        goal.number = number
    tandem = participation_tandem(participation)
    return {
        "lab": participation.cohort.lab,
        "cohort": participation.cohort,
        "participation": participation,
        "profile": profile,
        "access": access,
        "goals": goals,
        "measures": _measures_for_page(profile, goals, can_edit=False),
        "tandem": tandem,
        "members": list(tandem.members.all()) if tandem else [],
        "printed_at": timezone.now(),
        "back_url": _profile_url("mission_step_mission", access),
    }

"""Event views: planning, invitations, registration, attendance, outcomes, the cohort timeline
and the person's own events. (URL list at the bottom; events/urls.py mounts it.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.forms import length_limit_hint
from core.fragments import fragment
from core.viewhelpers import GET_POST, apply_validation_error, paginate, posted, url_around_pk
from labs.models import Cohort
from labs.permissions import access_cohort, access_lab

from . import selectors, services
from .forms import AttendanceForm, EventForm, InviteForm, OutcomesForm, PhasesForm
from .models import EventMaterial, RegistrationStatus
from .permissions import EventAccess, access_event, may_join_as_guest, shows_answer_column


def _detail(event) -> HttpResponse:
    return redirect("event_detail", event.lab.slug, event.pk)


# --- list and detail -----------------------------------------------------------------------------


EVENTS_PER_PAGE = 25


def _event_filters(request: HttpRequest, access) -> dict:
    cohorts = selectors.lab_cohorts_for(access)
    types = list(selectors.lab_event_types(access.lab))
    cohort = next((c for c in cohorts if c.slug == request.GET.get("cohort", "")), None)
    type_code = request.GET.get("type", "")
    if type_code not in {t.code for t in types}:
        type_code = ""
    return {
        "cohorts": cohorts,
        "types": types,
        "cohort": cohort,
        "type_code": type_code,
        "filtered": bool(cohort or type_code),
    }


def _event_listing(request: HttpRequest, access, filters) -> dict:
    now = timezone.now()
    events = selectors.event_list(
        request.user, access, cohort=filters["cohort"], type_code=filters["type_code"], now=now
    )
    pagination = paginate(request, events, EVENTS_PER_PAGE)
    page = pagination["page"]
    events = selectors.event_rows(request.user, page.object_list, now=now)
    upcoming = [event for event in events if event.ends_at >= now]
    past = [event for event in events if event.ends_at < now]
    return {
        "upcoming": upcoming,
        "past": past,
        # on the pages after the first, a section shows only when it has events there
        "show_upcoming": page.number == 1 or bool(upcoming),
        "show_past": bool(past) or not page.has_next(),
        "shows_answer": shows_answer_column(access, events),
        **pagination,
    }


@login_required
@require_GET
def event_list(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab(request.user, lab_slug)
    lab = access.lab
    # the filters and the listing are only computed when the page is not in the cache
    filters = SimpleLazyObject(lambda: _event_filters(request, access))
    context = {
        "lab": lab,
        "access": access,
        "filters": filters,
        "listing": SimpleLazyObject(lambda: _event_listing(request, access, filters)),
        "fragment": fragment(request, "event-list", lab.pk, query=("cohort", "type", "page")),
        "detail_url": url_around_pk("event_detail", lab.slug),
    }
    return render(request, "events/event_list.html", context)


def _feedback_context(request, access: EventAccess, registration) -> dict:
    survey = access.event.feedback_survey
    context = {"feedback_answer_url": "", "feedback_analysis_url": ""}
    if survey is None:
        return context
    args = [access.event.lab.slug, survey.cohort.slug, survey.slug]
    if access.can_coordinate:
        context["feedback_analysis_url"] = reverse("survey_analysis", args=args)
    if (
        registration is not None
        and registration.status == RegistrationStatus.REGISTERED
        and survey.in_app
        and selectors.in_cohort(access.lab_access, survey.cohort_id)
    ):
        context["feedback_answer_url"] = reverse("survey_answer_in_app", args=args)
    return context


@login_required
@require_GET
def event_detail(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id)
    return render(request, "events/event_detail.html", _detail_context(request, access))


def _detail_context(request: HttpRequest, access: EventAccess) -> dict:
    event = access.event
    registration = selectors.own_registration(event, request.user)
    coordinate = access.can_coordinate
    registrations = selectors.event_registrations(event) if coordinate else []
    counts = selectors.seat_counts(registrations) if coordinate else selectors.status_counts(event)
    return {
        "lab": event.lab,
        "event": event,
        "access": access,
        "registration": registration,
        "may_join_as_guest": registration is None and may_join_as_guest(event, request.user),
        # the "Your registration" panel: for the invited, possible guests and all but coordinators
        "shows_own_registration": registration is not None or not coordinate,
        "waitlist_place": selectors.waitlist_place(registration),
        "materials": selectors.event_materials(event),
        # the upload form on the page is hand-built: its title's limit is stated, never a maxlength
        "material_title_hint": length_limit_hint(EventMaterial._meta.get_field("title").max_length),
        "parts": selectors.event_parts_if_any(event),
        "cohorts": selectors.event_cohorts(event),
        "groups": selectors.registrations_by_status(registrations),
        "counts": counts,
        "is_over": event.ends_at <= timezone.now(),
        **_feedback_context(request, access, registration),
    }


# --- planning ------------------------------------------------------------------------------------


def _event_initial(request: HttpRequest, lab) -> dict:
    """Coming from a cohort's timeline (?cohort=<slug>), the event is for that cohort."""
    preselected = selectors.cohort_by_slug(lab, request.GET.get("cohort", ""))
    return {"cohorts": [preselected.pk]} if preselected is not None else {}


@login_required
@GET_POST
def event_create(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab(request.user, lab_slug, coordinate=True)
    lab = access.lab
    form = EventForm(posted(request), lab=lab, initial=_event_initial(request, lab))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                lab=lab,
                created_by=request.user,
                cohorts=form.cleaned_data["cohorts"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("The event “%(title)s” was planned. Now invite the participants.")
                % {"title": event.title},
            )
            return _detail(event)
    return render(request, "events/event_form.html", {"form": form, "lab": lab})


@login_required
@GET_POST
def event_edit(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id, coordinate=True)
    event = access.event
    form = EventForm(posted(request), instance=event, lab=event.lab)
    if request.method == "POST" and form.is_valid():
        sequence = event.sequence
        try:
            event = services.event_update(
                event=event, cohorts=form.cleaned_data["cohorts"], **form.service_fields()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if event.sequence != sequence:
                messages.success(
                    request,
                    _("Your changes were saved. Everybody invited is told about the new details."),
                )
            else:
                messages.success(request, _("Your changes were saved."))
            return _detail(event)
    return render(
        request, "events/event_form.html", {"form": form, "lab": event.lab, "event": event}
    )


@login_required
@GET_POST
def event_cancel(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id, coordinate=True)
    event = access.event
    if request.method == "POST":
        if event.is_cancelled:
            messages.info(request, _("This event was already cancelled."))
        else:
            services.event_cancel(event=event)
            messages.success(
                request,
                _("The event was cancelled. Everybody invited receives a cancellation notice."),
            )
        return _detail(event)
    return render(
        request,
        "events/event_cancel.html",
        {"lab": event.lab, "event": event, "n_people": selectors.people_to_notify(event)},
    )


@login_required
@GET_POST
def event_invite(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id, coordinate=True)
    event = access.event
    participations, people = selectors.invite_choices(event)
    registrations = selectors.event_registrations(event)
    form = InviteForm(posted(request), participations=participations, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.event_invite(
                event=event,
                participations=form.cleaned_data["participations"],
                users=form.chosen_users(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            _tell_invited(request, new)
            return redirect("event_invite", event.lab.slug, event.pk)
    groups = selectors.registrations_by_status(registrations)
    context = {"lab": event.lab, "event": event, "form": form, "groups": groups}
    context.update(participations=participations, people=people, n_invited=len(registrations))
    return render(request, "events/event_invite.html", context)


def _tell_invited(request: HttpRequest, new: list) -> None:
    if new:
        messages.success(
            request,
            ngettext("%(n)d person was invited.", "%(n)d people were invited.", len(new))
            % {"n": len(new)},
        )
    else:
        messages.info(request, _("Everybody chosen was already invited."))


# --- the participant's answer --------------------------------------------------------------------


@login_required
@require_POST
def event_respond(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id)
    event = access.event
    try:
        registration = services.event_respond(
            event=event, user=request.user, answer=request.POST.get("answer", "")
        )
    except services.RegistrationRefused as exc:
        messages.error(request, str(exc))
        return _detail(event)
    if registration.status == RegistrationStatus.REGISTERED:
        messages.success(request, _("You are registered. See you there!"))
    elif registration.status == RegistrationStatus.WAITLISTED:
        messages.info(
            request,
            _(
                "The event is fully booked; you are on the waiting list. If a seat becomes "
                "free, you move up and we let you know by e-mail."
            ),
        )
    else:
        messages.success(request, _("You declined. Thank you for letting us know."))
    return _detail(event)


# --- after the event -----------------------------------------------------------------------------


@login_required
@GET_POST
def event_attendance(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id, coordinate=True)
    event = access.event
    registrations = selectors.event_registrations(event)
    form = AttendanceForm(posted(request), registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_record(event=event, marks=form.marks())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved (%(n)d change).", "Attendance saved (%(n)d changes).", changed
                )
                % {"n": changed},
            )
            return redirect("event_attendance", event.lab.slug, event.pk)
    summary = selectors.attendance_summary(registrations, AttendanceForm.CHOICES)
    context = {"lab": event.lab, "event": event, "form": form, "summary": summary}
    return render(request, "events/event_attendance.html", context)


@login_required
@GET_POST
def event_outcomes(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id, coordinate=True)
    event = access.event
    form = OutcomesForm(posted(request), initial={"outcomes": event.outcomes})
    if request.method == "POST" and form.is_valid():
        services.event_outcomes_update(event=event, outcomes=form.cleaned_data["outcomes"])
        messages.success(request, _("The outcomes were saved."))
        return _detail(event)
    return render(
        request, "events/event_outcomes.html", {"lab": event.lab, "event": event, "form": form}
    )


# --- the cohort's timeline and the person's events -----------------------------------------------


@login_required
@GET_POST
def cohort_timeline(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort(request.user, lab_slug, cohort_slug, coordinate=request.method == "POST")
    cohort: Cohort = access.cohort
    form = None
    if access.can_coordinate:
        form = PhasesForm(posted(request), phases=list(cohort.phases.all()))
        if request.method == "POST" and form.is_valid():
            try:
                services.cohort_phases_set(cohort=cohort, phases=form.phases())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The phases were saved."))
                return redirect("cohort_timeline", lab_slug, cohort_slug)
    events = selectors.cohort_events(request.user, access.lab_access, cohort)
    context = {"lab": cohort.lab, "cohort": cohort, "access": access, "form": form}
    context.update(timeline=selectors.cohort_timeline(cohort, events), events=events)
    context["shows_answer"] = shows_answer_column(access.lab_access, events)
    return render(request, "events/cohort_timeline.html", context)


@login_required
@require_GET
def my_events(request: HttpRequest) -> HttpResponse:
    events = selectors.my_events(request.user)
    context = {"events": events, "shows_answer": shows_answer_column(None, events)}
    return render(request, "events/my_events.html", context)


# full paths from the site root, e.g. "labs/<slug:lab_slug>/events/<int:event_id>/…"
_EVENT = "labs/<slug:lab_slug>/events/<int:event_id>/"
urlpatterns = [
    path("labs/<slug:lab_slug>/events/", event_list, name="event_list"),
    path("labs/<slug:lab_slug>/events/new/", event_create, name="event_create"),
    path(_EVENT, event_detail, name="event_detail"),
    path(_EVENT + "edit/", event_edit, name="event_edit"),
    path(_EVENT + "cancel/", event_cancel, name="event_cancel"),
    path(_EVENT + "invite/", event_invite, name="event_invite"),
    path(_EVENT + "respond/", event_respond, name="event_respond"),
    path(_EVENT + "attendance/", event_attendance, name="event_attendance"),
    path(_EVENT + "outcomes/", event_outcomes, name="event_outcomes"),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/timeline/",
        cohort_timeline,
        name="cohort_timeline",
    ),
    path("events/", my_events, name="my_events"),
]

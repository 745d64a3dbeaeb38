from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.fragments import fragment
from core.viewhelpers import (
    GET_POST,
    apply_validation_error,
    paginate,
    posted,
    render_page_or_partial,
    url_around_pk,
)

from . import dashboard, selectors, services
from .forms import (
    AcceptSignupForm,
    AdmitForm,
    CohortEditForm,
    CohortForm,
    InvitationForm,
    LabEditForm,
    LabForm,
    MunicipalityForm,
    ParticipationForm,
)
from .models import InvitationRole, ParticipationStatus
from .permissions import (
    access_cohort,
    access_invitation_for_coordinator,
    access_lab,
    access_membership_for_coordinator,
    access_municipality,
    access_participation,
    can_create_lab,
    invitation_addressed_to,
)


def _model_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "labs/welcome.html")
    return render(
        request,
        "labs/home.html",
        {
            "labs": selectors.home_labs(request.user),
            "participations": selectors.home_participations(request.user),
            "taken_part": selectors.home_taken_part(request.user),
            "can_create_lab": can_create_lab(request.user),
        },
    )


@login_required
@GET_POST
def lab_create(request: HttpRequest) -> HttpResponse:
    if not can_create_lab(request.user):
        raise PermissionDenied
    form = LabForm(posted(request))
    if request.method == "POST" and form.is_valid():
        lab = services.lab_create(created_by=request.user, **_model_fields(form))
        messages.success(request, _("The lab “%(name)s” was created.") % {"name": lab.name})
        return redirect("lab_detail", lab.slug)
    return render(request, "labs/lab_form.html", {"form": form})


@login_required
@require_GET
def lab_detail(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab(request.user, lab_slug)
    cohorts = (
        selectors.lab_cohorts(access.lab)
        if access.has_lab_role
        else selectors.lab_cohorts_for_tandem(access.lab, access.participation_ids)
    )
    return render(
        request,
        "labs/lab_detail.html",
        {"lab": access.lab, "access": access, "cohorts": cohorts},
    )


@login_required
@GET_POST
def lab_edit(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab(request.user, lab_slug, coordinate=True)
    form = LabEditForm(posted(request), instance=access.lab)
    if request.method == "POST" and form.is_valid():
        services.lab_update(lab=access.lab, **_model_fields(form))
        messages.success(request, _("Your changes were saved."))
        return redirect("lab_detail", access.lab.slug)
    return render(request, "labs/lab_form.html", {"form": form, "lab": access.lab})


@login_required
@GET_POST
def cohort_create(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab(request.user, lab_slug, coordinate=True)
    form = CohortForm(posted(request), lab=access.lab)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(lab=access.lab, **_model_fields(form))
        messages.success(request, _("The cohort “%(name)s” was created.") % {"name": cohort.name})
        return redirect("cohort_dashboard", access.lab.slug, cohort.slug)
    return render(request, "labs/cohort_form.html", {"form": form, "lab": access.lab})


@login_required
@GET_POST
def cohort_edit(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort(request.user, lab_slug, cohort_slug, coordinate=True)
    form = CohortEditForm(posted(request), instance=access.cohort, lab=access.cohort.lab)
    if request.method == "POST" and form.is_valid():
        services.cohort_update(cohort=access.cohort, **_model_fields(form))
        messages.success(request, _("Your changes were saved."))
        return redirect("cohort_dashboard", lab_slug, cohort_slug)
    return render(
        request,
        "labs/cohort_form.html",
        {"form": form, "lab": access.cohort.lab, "cohort": access.cohort},
    )


DASHBOARD_PER_PAGE = 50  # municipalities per page


def _dashboard_status(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in ParticipationStatus.values else ""


def _dashboard_filters(cohort) -> dict:
    counts = selectors.cohort_status_counts(cohort)
    return {
        "status_filters": [
            (value, label, counts.get(value, 0)) for value, label in ParticipationStatus.choices
        ],
        "total": sum(counts.values()),
    }


def _dashboard_table(request: HttpRequest, access, status: str) -> dict:
    cohort = access.cohort
    rows = selectors.cohort_shared_rows(cohort).order_by("municipality__name", "pk")
    if status:
        rows = rows.filter(status=status)
    pagination = paginate(request, rows, DASHBOARD_PER_PAGE)
    audience = access.dashboard_audience
    columns = dashboard.columns(audience) if audience else []
    page_rows = pagination["page"].object_list
    if columns:  # the columns' figures of this page's rows alone
        page_rows = (
            selectors.cohort_dashboard_rows(cohort, columns)
            .filter(pk__in=[row.pk for row in page_rows])
            .order_by("municipality__name", "pk")
        )
    page_rows = dashboard.rows_with_cells(page_rows, cohort, columns)
    for row in page_rows:
        row.can_open = access.can_open_participation(row.pk)
    pagination["page"].object_list = page_rows
    return {"rows": page_rows, "columns": columns, **pagination}


def _dashboard_context(request: HttpRequest, access) -> dict:
    cohort = access.cohort
    status = _dashboard_status(request)
    return {
        "lab": cohort.lab,
        "cohort": cohort,
        "access": access,
        # the table and the filters are only computed when the page is not in the cache
        "table": SimpleLazyObject(lambda: _dashboard_table(request, access, status)),
        "fragment": fragment(
            request, "cohort-dashboard", cohort.pk, access.can_coordinate, query=("status", "page")
        ),
        # the link of every row, built once (a {% url %} per row costs)
        "detail_url": url_around_pk("participation_detail", cohort.lab.slug, cohort.slug),
        "status": status,
        "filters": SimpleLazyObject(lambda: _dashboard_filters(cohort)),
    }


@login_required
@require_GET
def cohort_dashboard(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort(request.user, lab_slug, cohort_slug)
    return render_page_or_partial(
        request,
        "labs/cohort_dashboard.html",
        "participation-table",
        _dashboard_context(request, access),
    )


@login_required
@GET_POST
def participation_admit(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort(request.user, lab_slug, cohort_slug, coordinate=True)
    cohort = access.cohort
    form = AdmitForm(posted(request), municipalities=selectors.admissible_municipalities(cohort))
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.participation_admit(cohort=cohort, **_model_fields(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(municipality)s was admitted to the cohort.")
                % {"municipality": participation.municipality.name},
            )
            return redirect("cohort_dashboard", lab_slug, cohort_slug)
    return render(
        request, "labs/admit_form.html", {"form": form, "lab": cohort.lab, "cohort": cohort}
    )


@login_required
@GET_POST
def participation_edit(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_participation(
        request.user, lab_slug, cohort_slug, participation_id, coordinate=True
    )
    participation = access.participation
    form = ParticipationForm(posted(request), instance=participation)
    if request.method == "POST" and form.is_valid():
        services.participation_update(participation=participation, **_model_fields(form))
        messages.success(request, _("Your changes were saved."))
        return redirect("participation_detail", lab_slug, cohort_slug, participation.pk)
    return render(
        request,
        "labs/participation_form.html",
        {
            "form": form,
            "participation": participation,
            "cohort": participation.cohort,
            "lab": participation.cohort.lab,
        },
    )


@login_required
@require_GET
def municipality_list(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab(request.user, lab_slug, coordinate=True)
    return render(
        request,
        "labs/municipality_list.html",
        {"lab": access.lab, "municipalities": selectors.lab_municipalities(access.lab)},
    )


@login_required
@GET_POST
def municipality_create(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_lab(request.user, lab_slug, coordinate=True)
    form = MunicipalityForm(posted(request), lab=access.lab)
    if request.method == "POST" and form.is_valid():
        municipality = services.municipality_create(lab=access.lab, **_model_fields(form))
        messages.success(request, _("%(name)s was added.") % {"name": municipality.name})
        return redirect("municipality_list", lab_slug)
    return render(request, "labs/municipality_form.html", {"form": form, "lab": access.lab})


@login_required
@GET_POST
def municipality_edit(request: HttpRequest, lab_slug: str, municipality_id: int) -> HttpResponse:
    municipality = access_municipality(request.user, lab_slug, municipality_id)
    form = MunicipalityForm(posted(request), instance=municipality, lab=municipality.lab)
    if request.method == "POST" and form.is_valid():
        services.municipality_update(municipality=municipality, **_model_fields(form))
        messages.success(request, _("Your changes were saved."))
        return redirect("municipality_list", lab_slug)
    return render(
        request,
        "labs/municipality_form.html",
        {"form": form, "lab": municipality.lab, "municipality": municipality},
    )


def _invitation_initial(request: HttpRequest) -> dict:
    """Coming from a municipality's page (?participation=<pk>), the form invites a tandem member."""
    wanted = request.GET.get("participation", "")
    if request.method == "GET" and wanted.isascii() and wanted.isdecimal() and len(wanted) < 19:
        return {"role": "tandem_member", "participation": int(wanted)}
    return {}


def _after_invite_redirect(request: HttpRequest, lab_slug: str, invitation) -> HttpResponse:
    came_from = request.GET.get("participation", "")
    if invitation.participation and came_from == str(invitation.participation.pk):
        p = invitation.participation
        return redirect("participation_detail", lab_slug, p.cohort.slug, p.pk)
    return redirect("lab_people", lab_slug)


@login_required
@GET_POST
def invitation_create(request: HttpRequest, lab_slug: str) -> HttpResponse:
    lab = access_lab(request.user, lab_slug, coordinate=True).lab
    form = InvitationForm(
        posted(request),
        initial=_invitation_initial(request),
        participations=selectors.lab_participations(lab),
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                lab=lab,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return _after_invite_redirect(request, lab_slug, invitation)
    return render(request, "labs/invitation_form.html", {"form": form, "lab": lab})


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, lab_slug: str, invitation_id: int) -> HttpResponse:
    invitation = access_invitation_for_coordinator(request.user, lab_slug, invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
    )
    return redirect("lab_people", lab_slug)


@login_required
@GET_POST
def lab_membership_revoke(request: HttpRequest, lab_slug: str, membership_id: int) -> HttpResponse:
    """Asks for confirmation (GET), then takes the role away (POST)."""
    _access, membership = access_membership_for_coordinator(request.user, lab_slug, membership_id)
    if request.method == "POST":
        try:
            services.lab_membership_revoke(membership=membership)
        except services.LastCoordinator as exc:
            messages.error(request, exc.messages[0])
            return redirect("lab_people", lab_slug)
        messages.success(
            request,
            _("%(name)s no longer has the role “%(role)s”.")
            % {"name": membership.user.get_full_name(), "role": membership.get_role_display()},
        )
        if membership.user_id == request.user.pk:
            return redirect("home")  # their own coordinator role: the people page is closed now
        return redirect("lab_people", lab_slug)
    context = {"lab": membership.lab, "membership": membership}
    return render(request, "labs/membership_revoke.html", context)


@GET_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None or not invitation.is_pending:
        return _invitation_unusable(request, invitation, status=410 if invitation else 404)
    user = request.user if request.user.is_authenticated else None
    if user is not None and not invitation_addressed_to(user, invitation):
        if request.method == "POST":
            services.invitation_refuse(invitation=invitation, user=user)
        return _invitation_for_another_account(request, invitation)
    has_account = user is None and selectors.account_exists_for_email(invitation.email)
    form = None
    if user is None and not has_account:
        form = AcceptSignupForm(posted(request), email=invitation.email)
    if request.method == "POST" and not has_account and (form is None or form.is_valid()):
        response = _invitation_accept_post(request, token, user, form)
        if response is not None:
            return response
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "login_url": reverse("account_login") + "?next=" + request.path,
    }
    return render(request, "labs/invitation_accept.html", context)


def _invitation_accept_post(request: HttpRequest, token: str, user, form) -> HttpResponse | None:
    """Accept, log the new account in and redirect; None when the form shows the errors."""
    try:
        invitation, user = services.invitation_accept(
            token=token,
            user=user,
            name=form.cleaned_data["name"] if form else "",
            password=form.cleaned_data["password1"] if form else None,
        )
    except services.InvitationUnusable:
        return _invitation_unusable(request, None, status=410)
    except ValidationError as exc:
        if form is None:
            raise
        apply_validation_error(form, exc)
        return None
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome! Your invitation was accepted."))
    return redirect(_after_accept_url(invitation))


def _invitation_unusable(request: HttpRequest, invitation, status: int) -> HttpResponse:
    return render(
        request, "labs/invitation_unusable.html", {"invitation": invitation}, status=status
    )


def _invitation_for_another_account(request: HttpRequest, invitation) -> HttpResponse:
    return render(
        request,
        "labs/invitation_other_account.html",
        {"invitation": invitation, "accept_url": request.path},
        status=403,
    )


def _after_accept_url(invitation) -> str:
    if invitation.role == InvitationRole.TANDEM_MEMBER:
        p = invitation.participation
        return reverse("participation_detail", args=[p.cohort.lab.slug, p.cohort.slug, p.pk])
    return reverse("lab_detail", args=[invitation.lab.slug])

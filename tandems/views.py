"""The tandem of a participation: members with department and role, the leadership sponsor and
whether the tandem is complete (and why not)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.viewhelpers import GET_POST, apply_validation_error, paginate, posted
from labs import selectors as lab_selectors
from labs.permissions import access_lab, access_participation

from . import selectors, services
from .forms import MemberForm, MemberRemoveForm, PeopleSearchForm, SponsorForm
from .models import TandemMember, tandem_gaps
from .permissions import access_tandem, access_tandem_member


def _completeness(members: list[TandemMember]) -> list[str]:
    departments = {m.department.strip().casefold() for m in members if m.department.strip()}
    without = sum(1 for m in members if not m.department.strip())
    return tandem_gaps(len(members), len(departments), without)


def _frame(access) -> dict:
    participation = access.participation
    return {
        "participation": participation,
        "cohort": participation.cohort,
        "lab": participation.cohort.lab,
        "tandem": access.tandem,
    }


PEOPLE_PER_PAGE = 50  # per list on the people page


@login_required
@GET_POST
def tandem_edit(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_tandem(request.user, lab_slug, cohort_slug, participation_id)
    tandem = access.tandem
    sponsor = _stored_sponsor(tandem)  # before a bound form writes the input onto the instance
    form = SponsorForm(posted(request), instance=tandem)
    if request.method == "POST" and form.is_valid():
        services.tandem_update(tandem=tandem, **form.cleaned_data)
        messages.success(request, _("Your changes were saved."))
        return redirect("tandem_edit", lab_slug, cohort_slug, participation_id)
    members = selectors.tandem_members(tandem)
    context = {
        **_frame(access),
        "form": form,
        "sponsor": sponsor,
        "members": members,
        "gaps": _completeness(members),
        "can_edit": access.can_edit,
        "can_invite": access.participation_access.can_coordinate,
    }
    return render(request, "tandems/tandem_edit.html", context)


def _stored_sponsor(tandem) -> dict:
    return {
        "name": tandem.sponsor_name,
        "function": tandem.sponsor_function,
        "commitment_date": tandem.commitment_date,
    }


@login_required
@GET_POST
def tandem_member_edit(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, member_id: int
) -> HttpResponse:
    access, member = access_tandem_member(
        request.user, lab_slug, cohort_slug, participation_id, member_id
    )
    form = MemberForm(posted(request), instance=member)
    if request.method == "POST" and form.is_valid():
        services.tandem_member_update(member=member, **form.cleaned_data)
        messages.success(
            request,
            _("The details of %(name)s were saved.") % {"name": member.user.get_full_name()},
        )
        return redirect("tandem_edit", lab_slug, cohort_slug, participation_id)
    return render(
        request, "tandems/member_form.html", {**_frame(access), "form": form, "member": member}
    )


@login_required
@GET_POST
def tandem_member_remove(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int, member_id: int
) -> HttpResponse:
    access, member = access_tandem_member(
        request.user, lab_slug, cohort_slug, participation_id, member_id, coordinate=True
    )
    form = MemberRemoveForm(posted(request), successors=selectors.successor_candidates(member))
    if request.method == "POST" and form.is_valid():
        try:
            services.tandem_member_remove(member=member, successor=form.chosen_successor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _removed_message(member, form.chosen_successor))
            return redirect("tandem_edit", lab_slug, cohort_slug, participation_id)
    context = {**_frame(access), "form": form, "member": member}
    return render(request, "tandems/member_remove.html", context)


def _removed_message(member: TandemMember, successor) -> str:
    name = member.user.get_full_name()
    if successor is None:
        return _("%(name)s is no longer a member of the tandem.") % {"name": name}
    return _("%(successor)s took over the place of %(name)s in the tandem.") % {
        "successor": successor.get_full_name(),
        "name": name,
    }


# --- pages of labs that show tandem members (labs sits below tandems and cannot read them) ---


@login_required
@require_GET
def participation_detail(
    request: HttpRequest, lab_slug: str, cohort_slug: str, participation_id: int
) -> HttpResponse:
    access = access_participation(request.user, lab_slug, cohort_slug, participation_id)
    participation = access.participation
    return render(
        request,
        "tandems/participation_detail.html",
        {
            "participation": participation,
            "cohort": participation.cohort,
            "lab": participation.cohort.lab,
            "access": access,
            "members": selectors.participation_tandem_members(participation),
        },
    )


@login_required
@require_GET
def lab_people(request: HttpRequest, lab_slug: str) -> HttpResponse:
    """Roles, tandem members and invitations, each list with its own pages; one search for all."""
    lab = access_lab(request.user, lab_slug, coordinate=True).lab
    form = PeopleSearchForm(request.GET)
    search = form.search()
    lists = {
        "roles": lab_selectors.lab_people(lab, search=search),
        "members": selectors.lab_tandem_people(lab, search=search),
        "invitations": lab_selectors.lab_invitations(lab, search=search),
    }
    return render(
        request,
        "tandems/people.html",
        {
            "lab": lab,
            "form": form,
            "search": search,
            **{
                name: paginate(request, rows, PEOPLE_PER_PAGE, param=f"{name}_page")
                for name, rows in lists.items()
            },
        },
    )

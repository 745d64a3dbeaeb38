"""Reads of tandems for the pages, with the rows they show in one query each."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from labs.models import Lab, Participation

from .models import Tandem, TandemMember


def lab_tandem_people(lab: Lab, *, search: str = ""):
    """The tandem members of the lab's municipalities; `search` finds a part of the name, e-mail
    address, municipality or department."""
    members = TandemMember.objects.filter(tandem__participation__cohort__lab=lab)
    if search:
        members = members.filter(
            Q(user__name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(tandem__participation__municipality__name__icontains=search)
            | Q(department__icontains=search)
        )
    return members.select_related(
        "user", "tandem__participation__municipality", "tandem__participation__cohort"
    ).order_by("tandem__participation__municipality__name", "user__name")


def participation_tandem_members(participation: Participation):
    return TandemMember.objects.filter(tandem__participation=participation).select_related("user")


def participation_tandem(participation: Participation) -> Tandem | None:
    """The participation's tandem with its members and their accounts, or None."""
    return (
        Tandem.objects.filter(participation=participation).prefetch_related("members__user").first()
    )


def tandem_members(tandem: Tandem) -> list[TandemMember]:
    """The members with their accounts; none for a tandem not saved yet."""
    return list(tandem.members.select_related("user")) if tandem.pk else []


def successor_candidates(member: TandemMember):
    """Who may take over a member's place: the active accounts of the lab (its role holders and
    the tandem members of its cohorts) who are not in this tandem yet."""
    lab_id = member.tandem.participation.cohort.lab_id
    in_tandem = TandemMember.objects.filter(tandem_id=member.tandem_id).values("user_id")
    return (
        get_user_model()
        .objects.filter(
            Q(lab_memberships__lab_id=lab_id)
            | Q(tandem_memberships__tandem__participation__cohort__lab_id=lab_id),
            is_active=True,
        )
        .exclude(pk__in=in_tandem)
        .distinct()
        .order_by("name", "email")
    )

"""Reads of tandems for the pages, with the rows they show in one query each."""

from labs.models import Lab, Participation

from .models import Tandem, TandemMember


def lab_tandem_people(lab: Lab):
    return (
        TandemMember.objects.filter(tandem__participation__cohort__lab=lab)
        .select_related(
            "user", "tandem__participation__municipality", "tandem__participation__cohort"
        )
        .order_by("tandem__participation__municipality__name", "user__name")
    )


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

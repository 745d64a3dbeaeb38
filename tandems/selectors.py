"""Reads of tandems for the pages, with the rows they show in one query each."""

from labs.models import Lab, Participation

from .models import TandemMember


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

"""Every write to tandems: the leadership sponsor and the members' department and function."""

from django.db import transaction

from labs.models import Participation

from .models import Tandem, TandemMember


def tandem_for_participation(participation: Participation) -> Tandem:
    """The participation's tandem; participations admitted before tandems existed get one now."""
    tandem, _created = Tandem.objects.get_or_create(participation=participation)
    return tandem


@transaction.atomic
def tandem_update(
    *, tandem: Tandem, sponsor_name: str, sponsor_function: str, commitment_date
) -> Tandem:
    tandem.sponsor_name = sponsor_name.strip()
    tandem.sponsor_function = sponsor_function.strip()
    tandem.commitment_date = commitment_date
    tandem.full_clean()
    tandem.save(update_fields=["sponsor_name", "sponsor_function", "commitment_date"])
    return tandem


@transaction.atomic
def tandem_member_update(*, member: TandemMember, department: str, function: str) -> TandemMember:
    member.department = department.strip()
    member.function = function.strip()
    member.full_clean()
    member.save(update_fields=["department", "function"])
    return member

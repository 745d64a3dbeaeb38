"""Every write to tandems: the leadership sponsor and the members' department and function."""

from django.db import transaction

from accounts import audit
from labs.models import Participation
from labs.services import participation_group

from .models import Tandem, TandemMember


def tandem_create(*, participation: Participation) -> Tandem:
    """The participation's empty tandem, when the municipality is admitted (receivers.py)."""
    tandem, _created = Tandem.objects.get_or_create(participation=participation)
    return tandem


def tandem_for_participation(participation: Participation) -> Tandem:
    """The participation's tandem, created if missing (for writers such as the demo seeder)."""
    return tandem_create(participation=participation)


@transaction.atomic
def tandem_member_add(*, participation: Participation, user, department: str = "") -> TandemMember:
    tandem = tandem_create(participation=participation)
    member, created = TandemMember.objects.get_or_create(
        tandem=tandem, user=user, defaults={"department": department}
    )
    if created:
        audit.record(
            audit.K.ROLE_GRANTED,
            lab_id=participation.cohort.lab_id,
            target=user.email,
            obj=member,
            role="tandem_member",
            participation=participation.pk,
        )
    user.groups.add(participation_group(participation))
    return member


@transaction.atomic
def tandem_update(
    *, tandem: Tandem, sponsor_name: str, sponsor_function: str, commitment_date
) -> Tandem:
    """Save the sponsor. A tandem the admission did not create (permissions.access_tandem shows
    an unsaved one) is created by this first save."""
    tandem.sponsor_name = sponsor_name.strip()
    tandem.sponsor_function = sponsor_function.strip()
    tandem.commitment_date = commitment_date
    tandem.full_clean()
    if tandem.pk is None:
        tandem.save()
    else:
        tandem.save(update_fields=["sponsor_name", "sponsor_function", "commitment_date"])
    return tandem


@transaction.atomic
def tandem_member_update(*, member: TandemMember, department: str, function: str) -> TandemMember:
    member.department = department.strip()
    member.function = function.strip()
    member.full_clean()
    member.save(update_fields=["department", "function"])
    return member

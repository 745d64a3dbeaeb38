"""Every write to tandems: the leadership sponsor and the members' department and function."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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


@transaction.atomic
def tandem_member_remove(*, member: TandemMember, successor=None) -> TandemMember | None:
    """Take a person who left out of the tandem, or hand their place over to `successor`, who
    takes their department and role in the tandem. Only the membership goes: the account and
    everything the person wrote (profile texts, history, progress, attendance) stay, attributed
    to them. Both steps are audited. Returns the successor's membership, if any."""
    locked = TandemMember.objects.select_for_update().filter(pk=member.pk).first()
    if locked is None:
        raise ValidationError(_("This person is no longer a member of the tandem."))
    participation = member.tandem.participation
    user = member.user
    lab_id = participation.cohort.lab_id
    new_member = None
    if successor is not None:
        if TandemMember.objects.filter(tandem_id=member.tandem_id, user=successor).exists():
            raise ValidationError(
                {"successor": _("This person is already a member of the tandem.")}
            )
        new_member = TandemMember.objects.create(
            tandem_id=member.tandem_id,
            user=successor,
            department=locked.department,
            function=locked.function,
        )
        successor.groups.add(participation_group(participation))
        audit.record(
            audit.K.ROLE_GRANTED,
            lab_id=lab_id,
            target=successor.email,
            obj=new_member,
            role="tandem_member",
            participation=participation.pk,
            handed_over_from=user.email,
        )
    audit.record(
        audit.K.ROLE_REVOKED,
        lab_id=lab_id,
        target=user.email,
        obj=locked,
        role="tandem_member",
        participation=participation.pk,
        handed_over_to=successor.email if successor is not None else "",
    )
    locked.delete()
    user.groups.remove(participation_group(participation))
    return new_member

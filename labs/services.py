"""Every write to labs, cohorts, municipalities, participations, roles and invitations."""

import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from core.tokens import token_hash

from . import role_grants, tasks
from .invitation_mail import invitation_token
from .models import (
    Cohort,
    Invitation,
    InvitationRole,
    Lab,
    LabGroupObjectPermission,
    LabMembership,
    LabRole,
    Municipality,
    Participation,
    ParticipationGroupObjectPermission,
)
from .permissions import (
    COORDINATOR_LAB_PERMS,
    EXPERT_LAB_PERMS,
    FUNDER_LAB_PERMS,
    PARTICIPANT_LAB_PERMS,
    TANDEM_PARTICIPATION_PERMS,
    invitation_addressed_to,
)
from .signals import participation_admitted

logger = logging.getLogger("innolab.labs")
User = get_user_model()

LAB_ROLE_PERMS = {
    LabRole.COORDINATOR: COORDINATOR_LAB_PERMS,
    LabRole.FUNDER: FUNDER_LAB_PERMS,
    LabRole.EXPERT: EXPERT_LAB_PERMS,
    LabRole.PARTICIPANT: PARTICIPANT_LAB_PERMS,
}


def _grant_object_perms(model, group: Group, obj, codenames) -> None:
    """Give `group` the permissions `codenames` on `obj` (guardian's direct foreign key
    table `model`): one query for the permissions and one insert, where guardian's assign_perm
    needs about five queries per permission."""
    _grant_object_perms_to_groups(model, {group: codenames}, obj)


def _grant_object_perms_to_groups(model, codenames_by_group: dict, obj) -> None:
    """`_grant_object_perms` for several groups at once: still one query and one insert."""
    content_type = ContentType.objects.get_for_model(obj)
    wanted = {codename for codenames in codenames_by_group.values() for codename in codenames}
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(content_type=content_type, codename__in=wanted)
    }
    if missing := wanted - set(permissions):
        raise Permission.DoesNotExist(f"{content_type}: no permission {sorted(missing)}")
    model.objects.bulk_create(
        [
            model(permission=permissions[codename], group=group, content_object=obj)
            for group, codenames in codenames_by_group.items()
            for codename in codenames
        ],
        ignore_conflicts=True,
    )


def _lab_group_name(lab: Lab, role: str) -> str:
    return f"lab-{lab.pk}-{role}"


def lab_group(lab: Lab, role: str) -> Group:
    """The guardian group holding a lab role's object permissions; created on first use."""
    group, created = Group.objects.get_or_create(name=_lab_group_name(lab, role))
    if created:
        _grant_object_perms(LabGroupObjectPermission, group, lab, LAB_ROLE_PERMS[LabRole(role)])
    return group


def participation_group(participation: Participation) -> Group:
    group, created = Group.objects.get_or_create(name=f"participation-{participation.pk}-tandem")
    if created:
        _grant_object_perms(
            ParticipationGroupObjectPermission, group, participation, TANDEM_PARTICIPATION_PERMS
        )
    return group


def _save(obj) -> None:
    obj.full_clean()
    obj.save()


@transaction.atomic
def lab_create(*, created_by, slug: str, name: str, **fields) -> Lab:
    lab = Lab(slug=slug, name=name, **fields)
    _save(lab)
    # the role groups of a new lab, in four queries (lab_group would take about seven per role)
    names = {_lab_group_name(lab, role): role for role in LabRole}
    Group.objects.bulk_create([Group(name=name) for name in names], ignore_conflicts=True)
    groups = Group.objects.filter(name__in=names)
    _grant_object_perms_to_groups(
        LabGroupObjectPermission,
        {group: LAB_ROLE_PERMS[LabRole(names[group.name])] for group in groups},
        lab,
    )
    if not created_by.is_superuser:
        lab_membership_grant(lab=lab, user=created_by, role=LabRole.COORDINATOR)
    return lab


def lab_update(*, lab: Lab, **fields) -> Lab:
    for name, value in fields.items():
        setattr(lab, name, value)
    _save(lab)
    return lab


@transaction.atomic
def lab_membership_grant(
    *, lab: Lab, user, role: str, municipality: Municipality | None = None
) -> LabMembership:
    """Give `user` a role in `lab`; a participant may be tied to one of the lab's municipalities
    (a second invitation with another municipality ties them to that one)."""
    if municipality is not None and (role != LabRole.PARTICIPANT or municipality.lab_id != lab.pk):
        raise ValidationError(_("Only a participant can be tied to a municipality of the lab."))
    membership, _created = LabMembership.objects.get_or_create(
        lab=lab, user=user, role=role, defaults={"municipality": municipality}
    )
    if _created:
        tied = {"municipality": municipality.name} if municipality else {}
        audit.record(
            audit.K.ROLE_GRANTED, lab=lab, target=user.email, obj=membership, role=role, **tied
        )
    elif municipality is not None and membership.municipality_id != municipality.pk:
        membership.municipality = municipality
        membership.save(update_fields=["municipality"])
    user.groups.add(lab_group(lab, role))
    if role == LabRole.COORDINATOR:
        # Staff of a coordination office may set up further labs.
        user.user_permissions.add(
            Permission.objects.get(codename="add_lab", content_type__app_label="labs")
        )
    return membership


class LastCoordinator(ValidationError):
    """The lab's only coordinator cannot lose the role: nobody could run the lab any more."""


@transaction.atomic
def lab_membership_revoke(*, membership: LabMembership) -> None:
    """Take a person's role in a lab away (audited). A lab keeps at least one coordinator: the
    lab's coordinator rows are locked, so two coordinators revoking each other at once cannot
    both succeed."""
    if membership.role == LabRole.COORDINATOR:
        coordinators = list(
            LabMembership.objects.select_for_update()
            .filter(lab_id=membership.lab_id, role=LabRole.COORDINATOR)
            .values_list("pk", flat=True)
        )
        if set(coordinators) <= {membership.pk}:
            raise LastCoordinator(
                _("A lab needs at least one coordinator; please name another one first.")
            )
    user = membership.user
    audit.record(
        audit.K.ROLE_REVOKED,
        lab_id=membership.lab_id,
        target=user.email,
        obj=membership,
        role=membership.role,
    )
    user.groups.remove(lab_group(membership.lab, membership.role))
    membership.delete()
    if not user.lab_memberships.filter(role=LabRole.COORDINATOR).exists():
        user.user_permissions.remove(
            Permission.objects.get(codename="add_lab", content_type__app_label="labs")
        )


def cohort_create(*, lab: Lab, **fields) -> Cohort:
    cohort = Cohort(lab=lab, **fields)
    _save(cohort)
    return cohort


def cohort_update(*, cohort: Cohort, **fields) -> Cohort:
    for name, value in fields.items():
        setattr(cohort, name, value)
    _save(cohort)
    return cohort


def municipality_create(*, lab: Lab, **fields) -> Municipality:
    municipality = Municipality(lab=lab, **fields)
    _save(municipality)
    return municipality


def municipality_update(*, municipality: Municipality, **fields) -> Municipality:
    for name, value in fields.items():
        setattr(municipality, name, value)
    _save(municipality)
    return municipality


@transaction.atomic
def participation_admit(*, cohort: Cohort, municipality: Municipality, **fields) -> Participation:
    if municipality.lab_id != cohort.lab_id:
        raise ValidationError(_("This municipality belongs to another lab."))
    participation = Participation(cohort=cohort, municipality=municipality, **fields)
    _save(participation)
    participation_set_up(participation=participation)
    return participation


@transaction.atomic
def participation_set_up(*, participation: Participation) -> None:
    """What a newly admitted participation needs: its tandem's permission group here, and what
    the apps above labs add on `participation_admitted` (the tandem, the mission profile)."""
    participation_group(participation)
    participation_admitted.send(sender=Participation, participation=participation)


def participation_update(*, participation: Participation, **fields) -> Participation:
    for name, value in fields.items():
        setattr(participation, name, value)
    _save(participation)
    return participation


def invitation_create(
    *,
    lab: Lab,
    invited_by,
    email: str,
    role: str,
    participation: Participation | None = None,
    name: str = "",
    language: str | None = None,
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Store the invitation and e-mail its link; returns the invitation and the raw token."""
    if role == InvitationRole.TANDEM_MEMBER:
        if participation is None or participation.cohort.lab_id != lab.pk:
            raise ValidationError({"participation": _("Please choose a municipality of this lab.")})
    elif role == InvitationRole.PARTICIPANT:
        if participation is not None and participation.cohort.lab_id != lab.pk:
            raise ValidationError({"participation": _("Please choose a municipality of this lab.")})
    else:
        participation = None
    invitation = Invitation(
        lab=lab,
        participation=participation,
        email=email.strip().lower(),
        name=name,
        role=role,
        token_salt=secrets.token_hex(32),
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    token = invitation_token(invitation)
    invitation.token_hash = token_hash(token)
    _save(invitation)
    audit.record(
        audit.K.INVITATION_CREATED,
        actor=invited_by,
        lab=lab,
        target=invitation.email,
        obj=invitation,
        role=role,
    )
    tasks.send_invitation_email.delay_on_commit(invitation.pk, base_url)
    return invitation, token


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related(
            "lab", "participation__municipality", "participation__cohort"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_revoke(*, invitation: Invitation) -> None:
    revoked = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(
            audit.K.INVITATION_REVOKED,
            lab_id=invitation.lab_id,
            target=invitation.email,
            obj=invitation,
            role=invitation.role,
        )


class InvitationUnusable(Exception):
    """The link was used, revoked or has expired."""


class InvitationForAnotherAccount(Exception):
    """The invitation was sent to an address that is not the logged-in account's."""


def invitation_refuse(*, invitation: Invitation, user) -> None:
    """Record that `user`, logged in with another address, tried to accept `invitation`.

    The row names the invited address and the invitation's id, never its link or token."""
    logger.warning("invitation %s refused for user %s: another address", invitation.pk, user.pk)
    audit.record(
        audit.K.INVITATION_REFUSED,
        actor=user,
        lab_id=invitation.lab_id,
        target=invitation.email,
        obj=invitation,
        role=invitation.role,
        reason="another_account",
    )


def invitation_accept(*, token: str, user=None, name: str = "", password: str | None = None):
    """Grant the invitation's role to `user`, or to a new account created from it.

    Only the account the invitation was sent to may accept it (`invitation_addressed_to`);
    anyone else is refused, and the refusal is audited outside the transaction so that it stays.
    A new account always gets the invited address: the link arrived there.
    """
    invitation = invitation_by_token(token)
    if invitation is None or not invitation.is_pending:
        raise InvitationUnusable
    if user is not None and not invitation_addressed_to(user, invitation):
        invitation_refuse(invitation=invitation, user=user)
        raise InvitationForAnotherAccount
    return _invitation_claim(invitation=invitation, user=user, name=name, password=password)


@transaction.atomic
def _invitation_claim(*, invitation: Invitation, user, name: str, password: str | None):
    """The conditional UPDATE is what makes the link single-use: of two concurrent acceptances
    only one changes the row, the other sees zero rows and gives up.
    """
    now = timezone.now()
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail address exists; please log in."))
        candidate = User(email=invitation.email, name=name)
        validate_password(password, candidate)
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email, password=password, name=name
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("An account with this e-mail address exists; please log in.")
            ) from exc
        # The link arrived by e-mail, so the address is verified.
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=user)
    if claimed != 1:
        raise InvitationUnusable
    if invitation.role == InvitationRole.TANDEM_MEMBER:
        role_grants.grant(invitation.role, participation=invitation.participation, user=user)
    else:
        participation = invitation.participation
        lab_membership_grant(
            lab=invitation.lab,
            user=user,
            role=invitation.role,
            municipality=participation.municipality if participation else None,
        )
    logger.info("invitation %s accepted by user %s", invitation.pk, user.pk)
    audit.record(
        audit.K.INVITATION_ACCEPTED,
        actor=user,
        lab=invitation.lab,
        target=invitation.email,
        obj=invitation,
        role=invitation.role,
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    return invitation, user

"""The labs' part of a person's data export and account deletion (protocol: accounts/privacy.py).

Lab memberships, invitations received and sent. On deletion the invitations the person accepted
go (they hold the person's name and address and have served their purpose); the only
coordinator of a lab cannot delete the account (a lab must keep a coordinator).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.privacy import email_addresses_of, register_section, rows

from .models import Invitation, LabMembership, LabRole

_INVITATION_FIELDS = [
    "lab__name",
    "participation__municipality__name",
    "role",
    "name",
    "email",
    "language",
    "created_at",
    "expires_at",
    "accepted_at",
    "revoked_at",
]


def _lab_memberships(user) -> list[dict]:
    return rows(
        LabMembership.objects.filter(user=user).order_by("lab__name", "role"),
        ["lab__slug", "lab__name", "role", "municipality__name", "created_at"],
    )


def _invitations_received(user) -> list[dict]:
    # addressed to the person's address(es) or accepted by them; never the token's hash or salt
    query = Q(accepted_by=user)
    for address in email_addresses_of(user):
        query |= Q(email__iexact=address)
    return rows(Invitation.objects.filter(query).order_by("created_at", "pk"), _INVITATION_FIELDS)


def _invitations_sent(user) -> list[dict]:
    # what the person did; the invitees' names and addresses are other people's data
    return rows(
        Invitation.objects.filter(invited_by=user).order_by("created_at", "pk"),
        ["lab__name", "role", "created_at", "accepted_at", "revoked_at"],
    )


def _erase_accepted_invitations(user) -> None:
    Invitation.objects.filter(accepted_by=user).delete()


def _only_coordinator_labs(user) -> list[str]:
    """Names of the labs the person coordinates alone (a lab must keep a coordinator)."""
    own = LabMembership.objects.filter(user=user, role=LabRole.COORDINATOR).values("lab_id")
    others = (
        LabMembership.objects.filter(lab_id__in=own, role=LabRole.COORDINATOR, user__is_active=True)
        .exclude(user=user)
        .values("lab_id")
    )
    return list(
        LabMembership.objects.filter(user=user, role=LabRole.COORDINATOR)
        .exclude(lab_id__in=others)
        .order_by("lab__name")
        .values_list("lab__name", flat=True)
    )


def _sole_coordinator(user) -> list[str]:
    return [
        _(
            "You are the only coordinator of “%(lab)s”. A lab must keep a coordinator: ask "
            "the coordination office or an administrator to make someone else coordinator "
            "first."
        )
        % {"lab": name}
        for name in _only_coordinator_labs(user)
    ]


def register() -> None:
    register_section(
        "lab_memberships",
        export=_lab_memberships,
        fields=[("labs.LabMembership", "user")],
        blockers=_sole_coordinator,
    )
    register_section(
        "invitations_received",
        export=_invitations_received,
        fields=[("labs.Invitation", "accepted_by")],
        erase=_erase_accepted_invitations,
    )
    register_section(
        "invitations_sent", export=_invitations_sent, fields=[("labs.Invitation", "invited_by")]
    )

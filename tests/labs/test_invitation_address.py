"""Issue 21.1: an invitation is for the address it was sent to. A forwarded or leaked link grants
nothing to another account: opening or accepting it while logged in as someone else is refused
(and the refusal audited), and a new account through it gets the invited address only."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind, User
from labs import permissions
from labs.models import InvitationRole, LabMembership
from tandems.models import TandemMember

from ..factories import InvitationFactory, UserFactory
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

PASSWORD = "Vielfalt-gestalten-2025!"
INVITED = "Eingeladen.Person@Example.org"  # stored lower-cased by the service, not the factory


@pytest.fixture(params=["tandem", "coordinator", "funder"])
def forwarded(request, lab_x, coordinator, participation_a):
    """A pending invitation of each kind, addressed to INVITED."""
    role = {
        "tandem": InvitationRole.TANDEM_MEMBER,
        "coordinator": InvitationRole.COORDINATOR,
        "funder": InvitationRole.FUNDER,
    }[request.param]
    return InvitationFactory(
        lab=lab_x,
        invited_by=coordinator,
        email=INVITED.lower(),
        role=role,
        participation=participation_a if role == InvitationRole.TANDEM_MEMBER else None,
    )


def _url(invitation) -> str:
    return reverse("invitation_accept", args=[invitation.token])


def _grants(user) -> tuple:
    return (
        set(LabMembership.objects.filter(user=user).values_list("lab_id", "role")),
        set(TandemMember.objects.filter(user=user).values_list("tandem_id", flat=True)),
        set(user.groups.values_list("name", flat=True)),
    )


def _has_role(user, invitation) -> bool:
    if invitation.role == InvitationRole.TANDEM_MEMBER:
        return TandemMember.objects.filter(
            user=user, tandem__participation=invitation.participation
        ).exists()
    return LabMembership.objects.filter(
        user=user, lab=invitation.lab, role=invitation.role
    ).exists()


@pytest.mark.parametrize("persona", ["outsider", "tandem_b", "expert"])
def test_another_logged_in_account_is_refused_and_gets_nothing(
    client_as, personas, forwarded, persona
):
    other = personas[persona]
    before = _grants(other)
    client = client_as(persona)

    page = client.get(_url(forwarded))
    assert page.status_code == 403
    assert "sent to another e-mail address" in text(page)
    assert 'action="' + reverse("account_logout") in page.content.decode()
    # no form in the page posts back to the invitation: the only one in <main> logs out
    main = page.content.decode().split("<main", 1)[1]
    assert re.findall(r"<form[^>]*>", main) == [
        f'<form method="post" action="{reverse("account_logout")}" class="inline-form">'
    ]
    assert not AuditEvent.objects.filter(kind="invitation_refused").exists()  # a GET writes nothing

    response = client.post(_url(forwarded))

    assert response.status_code == 403
    forwarded.refresh_from_db()
    assert forwarded.is_pending and forwarded.accepted_by is None
    assert _grants(other) == before
    assert not _has_role(other, forwarded)
    refused = AuditEvent.objects.get(kind="invitation_refused")
    assert (refused.actor, refused.lab_id, refused.target) == (
        other,
        forwarded.lab_id,
        INVITED.lower(),
    )
    assert (refused.object_type, refused.object_id) == ("labs.invitation", str(forwarded.pk))
    row = f"{refused.target} {refused.details} {refused.actor_label}"
    assert forwarded.token not in row and forwarded.token_hash not in row
    assert not AuditEvent.objects.filter(kind=AuditKind.INVITATION_ACCEPTED).exists()


def test_the_refusal_speaks_german_and_english(client_as, pending_invitation):
    client = client_as("outsider")  # chose English
    english = text(client.get(_url(pending_invitation)))
    assert "This invitation was sent to another e-mail address" in english
    assert "please log out and open the link again" in english
    assert "ask the coordination office for an invitation to this address" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german = text(client.get(_url(pending_invitation)))
    assert "Diese Einladung wurde an eine andere E-Mail-Adresse geschickt" in german
    assert "melden Sie sich bitte ab" in german
    assert "Einladung an diese Adresse" in german


def test_the_invited_account_accepts_whatever_the_case(client_as, forwarded):
    invitee = UserFactory(email=INVITED)  # mixed case in the account, lower case in the row
    client = client_as(invitee)
    assert client.get(_url(forwarded)).status_code == 200
    assert client.post(_url(forwarded)).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.accepted_by == invitee
    assert _has_role(invitee, forwarded)
    assert not AuditEvent.objects.filter(kind="invitation_refused").exists()


def test_a_verified_second_address_of_the_account_accepts(client_as, forwarded, personas):
    outsider = personas["outsider"]
    EmailAddress.objects.create(user=outsider, email=INVITED, verified=True, primary=False)
    assert client_as("outsider").post(_url(forwarded)).status_code == 302
    assert _has_role(outsider, forwarded)


def test_an_unverified_second_address_does_not(client_as, forwarded, personas):
    outsider = personas["outsider"]
    EmailAddress.objects.create(user=outsider, email=INVITED, verified=False, primary=False)
    assert client_as("outsider").post(_url(forwarded)).status_code == 403
    assert not _has_role(outsider, forwarded)


def test_a_new_account_with_another_address_is_refused(client_as, forwarded):
    users = User.objects.count()
    response = client_as("anonymous").post(
        _url(forwarded),
        {
            "email": "jemand.anders@example.org",
            "name": "Jemand Anders",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert User.objects.count() == users
    assert not User.objects.filter(email__iexact="jemand.anders@example.org").exists()
    forwarded.refresh_from_db()
    assert forwarded.is_pending


def test_a_new_account_gets_the_invited_address(client_as, forwarded):
    page = client_as("anonymous").get(_url(forwarded))
    field = page.context["form"]["email"]
    assert field.value() == INVITED.lower()
    assert "readonly" in str(field)

    response = client_as("anonymous").post(
        _url(forwarded),
        {"email": INVITED, "name": "Eva Eingeladen", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(email__iexact=INVITED)
    assert user.email == INVITED.lower()
    assert _has_role(user, forwarded)


def test_the_service_refuses_another_account_too(forwarded, personas):
    from labs import services

    with pytest.raises(services.InvitationForAnotherAccount):
        services.invitation_accept(token=forwarded.token, user=personas["outsider"])
    assert not _has_role(personas["outsider"], forwarded)
    assert AuditEvent.objects.filter(kind="invitation_refused").count() == 1
    assert permissions.invitation_addressed_to(personas["outsider"], forwarded) is False

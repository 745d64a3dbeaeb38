"""Revoking a lab role in the browser: confirmation, who may, the last coordinator, the audit."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind
from labs import services
from labs.models import LabMembership, LabRole

from ..factories import UserFactory
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


def revoke_url(membership: LabMembership) -> str:
    return reverse("lab_membership_revoke", args=[membership.lab.slug, membership.pk])


def test_coordinator_revokes_a_funder_after_confirming(client_as, personas, funder, lab_x):
    membership = LabMembership.objects.get(lab=lab_x, user=funder)
    page = client_as("coordinator").get(revoke_url(membership))
    assert page.status_code == 200
    assert "Fiona Förder" in text(page)
    assert LabMembership.objects.filter(pk=membership.pk).exists()  # asking changes nothing

    response = client_as("coordinator").post(revoke_url(membership))

    assert response.status_code == 302
    assert not LabMembership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(kind=AuditKind.ROLE_REVOKED, target=funder.email)
    assert event.actor == personas["coordinator"]
    assert event.lab_id == lab_x.pk
    # the role's rights are gone with it
    assert client_as(funder).get(reverse("lab_detail", args=[lab_x.slug])).status_code == 404


def test_the_last_coordinator_keeps_the_role(client_as, coordinator, lab_x):
    membership = LabMembership.objects.get(lab=lab_x, user=coordinator, role=LabRole.COORDINATOR)
    response = client_as("coordinator").post(revoke_url(membership), follow=True)
    assert LabMembership.objects.filter(pk=membership.pk).exists()
    assert "at least one coordinator" in text(response)
    assert not AuditEvent.objects.filter(kind=AuditKind.ROLE_REVOKED).exists()


def test_a_second_coordinator_may_go(client_as, coordinator, lab_x):
    other = UserFactory(name="Zweite Koordination")
    services.lab_membership_grant(lab=lab_x, user=other, role=LabRole.COORDINATOR)
    membership = LabMembership.objects.get(lab=lab_x, user=other)
    assert client_as("coordinator").post(revoke_url(membership)).status_code == 302
    assert not LabMembership.objects.filter(pk=membership.pk).exists()
    # and now the first one is the last
    own = LabMembership.objects.get(lab=lab_x, user=coordinator)
    client_as("coordinator").post(revoke_url(own))
    assert LabMembership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    "who,status",
    [
        ("funder", 403),
        ("expert", 403),
        ("tandem_a", 403),
        ("coordinator_y", 404),
        ("outsider", 404),
    ],
)
def test_only_the_labs_coordinators_revoke(client_as, personas, funder, lab_x, who, status):
    membership = LabMembership.objects.get(lab=lab_x, user=funder)
    assert client_as(who).post(revoke_url(membership)).status_code == status
    assert LabMembership.objects.filter(pk=membership.pk).exists()


def test_people_page_links_each_role_to_its_revocation(client_as, funder, lab_x):
    membership = LabMembership.objects.get(lab=lab_x, user=funder)
    page = client_as("coordinator").get(reverse("lab_people", args=[lab_x.slug]))
    assert revoke_url(membership) in page.content.decode()

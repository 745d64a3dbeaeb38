"""Removing a tandem member who left, or handing their place over: who may, what stays."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind
from labs import services as lab_services
from labs.models import LabRole
from missions import services as mission_services
from missions.models import MissionProfile, SmartGoal
from tandems.models import TandemMember

from ..factories import UserFactory
from ..helpers import assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


def remove_url(member: TandemMember) -> str:
    participation = member.tandem.participation
    cohort = participation.cohort
    return reverse(
        "tandem_member_remove", args=[cohort.lab.slug, cohort.slug, participation.pk, member.pk]
    )


def profile_url(name: str, participation) -> str:
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk])


@pytest.fixture
def member_a(tandem_a, participation_a) -> TandemMember:
    return TandemMember.objects.get(tandem__participation=participation_a, user=tandem_a)


def test_coordinator_removes_a_member_whose_texts_stay_attributed(
    client_as, personas, member_a, participation_a, tandem_a
):
    profile, _created = MissionProfile.objects.get_or_create(participation=participation_a)
    mission_services.goal_create(profile=profile, user=tandem_a, statement="Mehr Vielfalt")

    response = client_as("coordinator").post(remove_url(member_a), {"action": "remove"})

    assert response.status_code == 302
    assert not TandemMember.objects.filter(pk=member_a.pk).exists()
    tandem_a.refresh_from_db()
    assert tandem_a.is_active  # the account stays
    goal = SmartGoal.objects.get(profile=profile)
    assert goal.updated_by == tandem_a
    assert goal.history.filter(history_user=tandem_a).exists()
    # the history still names her
    history = client_as("coordinator").get(profile_url("mission_history", participation_a))
    assert "Anna Ahorn" in text(history)
    # she no longer opens the municipality's pages
    assert (
        client_as(tandem_a).get(profile_url("participation_detail", participation_a)).status_code
        == 404
    )
    assert (
        client_as(tandem_a).get(profile_url("mission_profile", participation_a)).status_code == 404
    )
    revoked = AuditEvent.objects.get(kind=AuditKind.ROLE_REVOKED, target=tandem_a.email)
    assert revoked.actor == personas["coordinator"]
    assert revoked.details["role"] == "tandem_member"


def test_hand_over_gives_the_successor_department_role_and_access(
    client_as, member_a, participation_a, tandem_a, tandem_b, lab_x
):
    member_a.function = "Projektleitung"
    member_a.save()
    successor = UserFactory(name="Paula Nachfolge")
    lab_services.lab_membership_grant(lab=lab_x, user=successor, role=LabRole.FUNDER)
    page = client_as("coordinator").get(remove_url(member_a))
    assert "Paula Nachfolge" in text(page)
    assert "Anna Ahorn (anna.ahorn@example.org)" not in text(page)  # not herself

    response = client_as("coordinator").post(
        remove_url(member_a), {"action": "hand_over", "successor": successor.pk}
    )

    assert response.status_code == 302
    new = TandemMember.objects.get(tandem=member_a.tandem, user=successor)
    assert (new.department, new.function) == ("Sozialamt", "Projektleitung")
    assert not TandemMember.objects.filter(user=tandem_a).exists()
    assert client_as(successor).get(profile_url("tandem_edit", participation_a)).status_code == 200
    granted = AuditEvent.objects.get(
        kind=AuditKind.ROLE_GRANTED, target=successor.email, details__role="tandem_member"
    )
    assert granted.details["handed_over_from"] == tandem_a.email


def test_hand_over_needs_a_successor_of_the_lab(client_as, member_a, outsider, tandem_a):
    response = client_as("coordinator").post(remove_url(member_a), {"action": "hand_over"})
    assert response.status_code == 200
    assert response.context["form"].errors["successor"]
    # an account without a role in the lab is not offered, and posting it is refused
    response = client_as("coordinator").post(
        remove_url(member_a), {"action": "hand_over", "successor": outsider.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["successor"]
    assert TandemMember.objects.filter(pk=member_a.pk).exists()


@pytest.mark.parametrize(
    "who,status",
    [
        ("tandem_a", 403),
        ("tandem_b", 404),
        ("funder", 404),
        ("coordinator_y", 404),
        ("outsider", 404),
    ],
)
def test_only_coordinators_remove(client_as, personas, member_a, who, status):
    response = client_as(who).post(remove_url(member_a), {"action": "remove"})
    assert response.status_code == status
    assert TandemMember.objects.filter(pk=member_a.pk).exists()


def test_anonymous_is_sent_to_login(client, member_a):
    assert_login_required(client.get(remove_url(member_a)))


def test_member_of_another_tandem_is_not_found_through_this_one(
    client_as, tandem_b, participation_a, participation_b
):
    member_b = TandemMember.objects.get(user=tandem_b)
    cohort = participation_a.cohort
    url = reverse(
        "tandem_member_remove", args=[cohort.lab.slug, cohort.slug, participation_a.pk, member_b.pk]
    )
    assert client_as("coordinator").post(url, {"action": "remove"}).status_code == 404
    assert TandemMember.objects.filter(pk=member_b.pk).exists()


def test_tandem_page_offers_removal_to_coordinators_only(client_as, member_a, participation_a):
    url = profile_url("tandem_edit", participation_a)
    assert remove_url(member_a) in client_as("coordinator").get(url).content.decode()
    assert remove_url(member_a) not in client_as("tandem_a").get(url).content.decode()

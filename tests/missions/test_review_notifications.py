"""The review tells people what happened (issue 16): a submission the lab's coordinators, a return
or an approval the tandem; by e-mail in each person's language, once per profile version."""

import pytest
from django.core import mail
from django.urls import reverse

from missions import services
from missions.models import MissionProfile
from notifications.models import Notification

from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_measures_review import COMPLETE_GOAL, purl, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def submittable_a(participation_a, tandem_a):
    profile = MissionProfile.objects.get_or_create(participation=participation_a)[0]
    services.profile_update(
        profile=profile,
        user=tandem_a,
        expected_version=None,
        vision="Eine Verwaltung für alle.",
        mission_statement="Wir öffnen die Verwaltung.",
    )
    services.goal_create(profile=profile, user=tandem_a, **COMPLETE_GOAL)
    return MissionProfile.objects.get(pk=profile.pk)


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_review_steps_notify_the_other_side(
    client_as, submittable_a, tandem_a, coordinator, funder, tandem_b,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    coordinator.language = "en"
    coordinator.save()
    profile_url = purl("mission_profile", submittable_a.participation)
    with django_capture_on_commit_callbacks(execute=True):
        assert review(client_as("tandem_a"), submittable_a, "submit").status_code == 302
    # the coordinators of the lab, not the submitter, the funder or another tandem
    assert recipients("profile-submitted") == {coordinator.email}
    notification = Notification.objects.get(kind="profile-submitted")
    assert notification.link == profile_url
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert mail.outbox[0].subject == "The mission profile of Ahornstadt was submitted for review."

    page = text(client_as("coordinator").get(reverse("notification_list")))
    assert "The mission profile of Ahornstadt was submitted for review." in page

    with django_capture_on_commit_callbacks(execute=True):
        assert review(client_as("coordinator"), submittable_a, "return", "Mehr").status_code == 302
    assert recipients("profile-returned") == {tandem_a.email}
    assert mail.outbox[-1].to == [tandem_a.email]
    assert mail.outbox[-1].subject == (
        "Der Missionssteckbrief von Ahornstadt wurde mit Anmerkungen zurückgegeben."
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert review(client_as("tandem_a"), submittable_a, "submit").status_code == 302
        assert review(client_as("coordinator"), submittable_a, "approve").status_code == 302
    # a second submission is a new happening (a new version): the coordinator hears again
    assert Notification.objects.filter(kind="profile-submitted").count() == 2
    assert recipients("profile-approved") == {tandem_a.email}
    assert len(mail.outbox) == 4

"""The participant role: invited like every role, tied to a municipality if wanted; sees the lab's
events, registers, appears in attendance, answers the in-app surveys of its municipality's
cohorts; sees no cohort page and no mission profile unless it is shared with the cohort."""

import pytest
from django.urls import reverse

from accounts.models import User
from evaluations.models import Response, SurveyCompletion
from events import services as event_services
from events.models import AttendanceStatus, EventRegistration, RegistrationStatus
from labs import permissions, services
from labs.models import Invitation, InvitationRole, LabMembership, LabRole
from missions.models import MissionProfile

from ..evaluations.builders import make_survey
from ..evaluations.test_anonymity import SECTION_1, SECTION_1_NEXT, SECTION_2
from ..events.test_events_planning import make_event
from ..factories import CohortFactory, MunicipalityFactory, ParticipationFactory, UserFactory
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Vielfalt-gestalten-2025!"


def lab_url(name: str, lab, *args) -> str:
    return reverse(name, args=[lab.slug, *args])


def test_coordinator_invites_a_participant_for_a_municipality_who_accepts(
    client_as,
    lab_x,
    participation_a,
    municipality_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(
            lab_url("invitation_create", lab_x),
            {
                "email": "mona.multi@example.org",
                "name": "Mona Multi",
                "role": InvitationRole.PARTICIPANT,
                "participation": participation_a.pk,
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="mona.multi@example.org")
    assert (invitation.role, invitation.participation) == ("participant", participation_a)
    assert "take part in InnoLab X for Ahornstadt" in mailoutbox[0].body

    token = mailoutbox[0].body.split("/invitations/")[1].split("/")[0]
    accept = reverse("invitation_accept", args=[token])
    page = client_as("anonymous").get(accept)
    assert "You are invited as a participant for Ahornstadt." in text(page)
    response = client_as("anonymous").post(
        accept, {"name": "Mona Multi", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == lab_url("lab_detail", lab_x)
    user = User.objects.get(email="mona.multi@example.org")
    membership = LabMembership.objects.get(lab=lab_x, user=user)
    assert (membership.role, membership.municipality) == (LabRole.PARTICIPANT, municipality_a)
    access = permissions.access_lab(user, lab_x.slug)
    assert access.can_take_part and not access.has_lab_role and not access.is_tandem_member
    assert not permissions.is_privileged(user)


def test_a_participant_without_municipality(client_as, lab_x, participation_a):
    response = client_as("coordinator").post(
        lab_url("invitation_create", lab_x),
        {"email": "vera.volunteer@example.org", "role": InvitationRole.PARTICIPANT},
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="vera.volunteer@example.org").participation is None


def test_participant_sees_the_labs_events_registers_and_is_in_attendance(
    client_as, personas, world, participant
):
    lab, cohort = world["lab_x"], world["cohort_x"]
    coming = make_event(lab, [cohort], days=5, title="Vertiefung", open_to_guests=True)
    client = client_as("participant")

    assert "Vertiefung" in text(client.get(lab_url("event_list", lab)))
    assert client.get(lab_url("event_detail", lab, coming.pk)).status_code == 200
    # registering as a guest of the lab, counted for her municipality
    client.post(lab_url("event_respond", lab, coming.pk), {"answer": "register"})
    registration = EventRegistration.objects.get(event=coming, user=participant)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.participation == world["participation_a"]
    # invited by name, she appears on the attendance sheet
    past = make_event(lab, [cohort], days=-2, title="Auftakt")
    event_services.event_invite(event=past, users=[participant])
    sheet = client_as("coordinator").get(lab_url("event_attendance", lab, past.pk))
    assert "Paula Teilnahme" in text(sheet)
    invited = past.registrations.get(user=participant)
    event_services.attendance_record(event=past, marks={invited.pk: AttendanceStatus.PRESENT})
    # and the coordinators find her among the people they may invite
    other = make_event(lab, [cohort], days=9)
    invite_page = client_as("coordinator").get(lab_url("event_invite", lab, other.pk))
    assert "Participant (Ahornstadt)" in text(invite_page)


def test_participant_sees_no_cohort_and_no_unshared_profile(client_as, world, participant):
    lab, cohort, a = world["lab_x"], world["cohort_x"], world["participation_a"]
    client = client_as("participant")
    assert client.get(lab_url("lab_detail", lab)).status_code == 200
    assert "Kohorte 1" not in text(client.get(lab_url("lab_detail", lab)))
    assert client.get(lab_url("cohort_dashboard", lab, cohort.slug)).status_code == 404
    for name in ("participation_detail", "mission_profile", "tandem_edit"):
        assert client.get(lab_url(name, lab, cohort.slug, a.pk)).status_code == 404, name
    assert client.get(lab_url("survey_list", lab, cohort.slug)).status_code == 404
    assert client.get(lab_url("report_list", lab)).status_code == 403


def test_participant_reads_a_profile_shared_with_the_cohort(client_as, world, participant):
    lab, cohort, b = world["lab_x"], world["cohort_x"], world["participation_b"]
    MissionProfile.objects.filter(participation=b).update(shared_with_cohort=True)
    client = client_as("participant")
    assert client.get(lab_url("mission_profile", lab, cohort.slug, b.pk)).status_code == 200
    assert client.get(lab_url("mission_step_vision", lab, cohort.slug, b.pk)).status_code == 200
    response = client.post(lab_url("mission_step_vision", lab, cohort.slug, b.pk), {"vision": "X"})
    assert response.status_code == 403


def test_participant_opens_learning_from_each_other_from_her_home_page(
    client_as, world, participant
):
    lab, cohort, b = world["lab_x"], world["cohort_x"], world["participation_b"]
    MissionProfile.objects.filter(participation=b).update(shared_with_cohort=True)
    client = client_as("participant")
    list_url = lab_url("cohort_shared_profiles", lab, cohort.slug)

    home = text(client.get(reverse("home")))
    assert "Where you take part" in home
    assert f'href="{list_url}"' in home

    page = client.get(list_url)
    assert page.status_code == 200
    body = text(page)
    assert b.municipality.name in body
    assert lab_url("mission_profile", lab, cohort.slug, b.pk) in body
    # the cohort's own page stays closed, so the breadcrumbs do not lead there
    assert f'href="{lab_url("cohort_dashboard", lab, cohort.slug)}"' not in body
    assert client.get(lab_url("cohort_dashboard", lab, cohort.slug)).status_code == 404
    assert client.get(lab_url("survey_list", lab, cohort.slug)).status_code == 404


def test_a_participant_of_another_cohorts_municipality_does_not_open_the_list(
    client_as, world, lab_x
):
    other_cohort = CohortFactory(lab=lab_x, slug="kohorte-2", name="Kohorte 2")
    elsewhere = MunicipalityFactory(lab=lab_x, name="Eichendorf")
    ParticipationFactory(cohort=other_cohort, municipality=elsewhere)
    user = UserFactory()
    services.lab_membership_grant(
        lab=lab_x, user=user, role=LabRole.PARTICIPANT, municipality=elsewhere
    )
    client = client_as(user)
    assert client.get(lab_url("cohort_shared_profiles", lab_x, "kohorte-1")).status_code == 404
    assert client.get(lab_url("cohort_shared_profiles", lab_x, "kohorte-2")).status_code == 200
    assert "Eichendorf" in text(client.get(reverse("home")))


def test_participant_answers_an_in_app_survey_for_her_municipality(
    client_as, world, participant, municipality_a
):
    cohort = world["cohort_x"]
    survey = make_survey(cohort)
    client = client_as("participant")
    listed = client.get(reverse("my_surveys"))
    assert survey.title_en in text(listed) or survey.title_de in text(listed)

    url = reverse("survey_answer_in_app", args=[cohort.lab.slug, cohort.slug, survey.slug])
    assert client.post(url, SECTION_1).status_code == 302
    assert client.post(url, SECTION_1_NEXT).status_code == 302
    assert client.post(url, SECTION_2).status_code == 302

    [response] = Response.objects.filter(survey=survey)
    assert response.municipality == municipality_a
    assert SurveyCompletion.objects.filter(survey=survey, user=participant).exists()


def test_a_participant_of_another_cohorts_municipality_does_not_answer(
    client_as, world, lab_x, coordinator
):
    other_cohort = CohortFactory(lab=lab_x, slug="kohorte-2", name="Kohorte 2")
    elsewhere = MunicipalityFactory(lab=lab_x, name="Eichendorf")
    ParticipationFactory(cohort=other_cohort, municipality=elsewhere)
    user = UserFactory()
    services.lab_membership_grant(
        lab=lab_x, user=user, role=LabRole.PARTICIPANT, municipality=elsewhere
    )
    survey = make_survey(world["cohort_x"])
    url = reverse("survey_answer_in_app", args=[lab_x.slug, "kohorte-1", survey.slug])
    assert client_as(user).get(url).status_code == 404

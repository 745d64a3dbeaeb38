"""A survey one should answer: when an in-platform survey opens (by the builder or at its time)
and when a person joins a tandem of its cohort while it is open, the people who may answer it
are told, once each, in their language, with a link to the answer page that really lets them in."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from evaluations import definitions, notices
from evaluations import tasks as evaluation_tasks
from evaluations.models import SurveyCompletion
from labs import services as lab_services
from labs.models import LabRole
from notifications.models import Notification
from tandems import services as tandem_services

from ..conftest import make_client
from ..evaluations.builders import make_survey
from ..factories import CohortFactory, MunicipalityFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


def told(survey) -> set[int]:
    return set(
        Notification.objects.filter(
            kind=notices.TO_ANSWER, key=f"{notices.TO_ANSWER}:{survey.pk}"
        ).values_list("recipient_id", flat=True)
    )


def test_opening_a_survey_tells_its_respondents_once_each_in_their_language(
    cohort_x, cohort_y, tandem_a, tandem_b, coordinator, funder, participation_y,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    tandem_a.language = "en"
    tandem_a.save()
    other_cohort = UserFactory(email="yara.ypsilon@example.org")
    tandem_services.tandem_member_add(participation=participation_y, user=other_cohort)
    survey = make_survey(cohort_x, opened=False)
    assert notices.open_surveys_notify() == 0  # a draft tells nobody

    with django_capture_on_commit_callbacks(execute=True):
        definitions.survey_update(survey=survey, opens_at=timezone.now() - dt.timedelta(minutes=1))
    # the tandems of the cohort; not its coordinator, funder or another cohort's tandem
    assert told(survey) == {tandem_a.pk, tandem_b.pk}
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {tandem_a.email, tandem_b.email}
    assert by_address[tandem_a.email].subject == (
        f"Please answer the survey “Baseline survey” ({cohort_x.name})."
    )
    assert by_address[tandem_b.email].subject == (
        f"Bitte beantworten Sie die Befragung „Eingangsbefragung“ ({cohort_x.name})."
    )

    # saving it again, and the beat: nobody is told twice
    with django_capture_on_commit_callbacks(execute=True):
        definitions.survey_update(survey=survey, title_de="Eingangsbefragung 2026")
        assert evaluation_tasks.notify_respondents_of_open_surveys() == 0
    assert len(mail.outbox) == 2

    # the link opens the answer page for the person told
    link = Notification.objects.get(recipient=tandem_a).link
    assert make_client(tandem_a).get(link).status_code == 200


def test_a_survey_opening_at_its_time_and_a_new_tandem_member_are_told_by_the_beat(
    cohort_x, participation_a, tandem_a, tandem_b
):
    later = make_survey(cohort_x, slug="abschluss", opens_at=timezone.now() + dt.timedelta(hours=1))
    answered = make_survey(cohort_x, slug="puls")
    SurveyCompletion.objects.create(survey=answered, user=tandem_b)
    closed = make_survey(cohort_x, slug="alt", closes_at=timezone.now() - dt.timedelta(hours=1))
    not_in_app = make_survey(cohort_x, slug="papier", in_app=False)

    assert evaluation_tasks.notify_respondents_of_open_surveys() == 1
    assert told(answered) == {tandem_a.pk}  # tandem_b answered it already
    assert told(later) == told(closed) == told(not_in_app) == set()

    newcomer = UserFactory(email="neu.mitglied@example.org")
    tandem_services.tandem_member_add(participation=participation_a, user=newcomer)
    in_two_hours = timezone.now() + dt.timedelta(hours=2)
    assert notices.open_surveys_notify(now=in_two_hours) == 4
    assert told(later) == {tandem_a.pk, tandem_b.pk, newcomer.pk}
    assert told(answered) == {tandem_a.pk, newcomer.pk}
    assert notices.open_surveys_notify(now=in_two_hours) == 0


def test_deactivated_accounts_are_not_told(cohort_x, tandem_a, tandem_b):
    tandem_b.is_active = False
    tandem_b.save()
    survey = make_survey(cohort_x)
    assert notices.survey_to_answer_notify(survey=survey) == 1
    assert told(survey) == {tandem_a.pk}


def test_participants_of_the_cohorts_municipalities_are_told_once_each(
    lab_x, cohort_x, municipality_a, participation_a, participant, tandem_a, tandem_b
):
    def add_participant(email, municipality=None, active=True):
        user = UserFactory(email=email, is_active=active)
        lab_services.lab_membership_grant(
            lab=lab_x, user=user, role=LabRole.PARTICIPANT, municipality=municipality
        )
        return user

    # a tandem member of Ahornstadt who also takes part for it: one notification
    lab_services.lab_membership_grant(
        lab=lab_x, user=tandem_a, role=LabRole.PARTICIPANT, municipality=municipality_a
    )
    add_participant("ohne.kommune@example.org")
    add_participant("ehemals@example.org", municipality_a, active=False)
    elsewhere = MunicipalityFactory(lab=lab_x, name="Eichendorf")
    ParticipationFactory(cohort=CohortFactory(lab=lab_x, slug="kohorte-2"), municipality=elsewhere)
    add_participant("eichendorf@example.org", elsewhere)

    survey = make_survey(cohort_x)
    assert notices.survey_to_answer_notify(survey=survey) == 3
    assert told(survey) == {tandem_a.pk, tandem_b.pk, participant.pk}
    assert Notification.objects.filter(recipient=tandem_a).count() == 1
    assert notices.survey_to_answer_notify(survey=survey) == 0
    # the link lets the participant answer
    link = Notification.objects.get(recipient=participant).link
    assert make_client(participant).get(link).status_code == 200

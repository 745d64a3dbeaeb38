"""Anonymous answers: after a submission by personal link, by open link and in the platform, no
stored column links the response to the link, an invitation, an account, a browser session or an
IP address; the time is kept to the day; the link keeps only that it was used; the completion of
an account holds the survey and the person only; nothing logged names the token or the person.

The column lists below are allow-lists: a new column on Response, Answer, SurveyLink or
SurveyCompletion fails these tests until someone has decided it cannot identify a respondent.
"""

import datetime as dt
import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import (
    Answer,
    Response,
    ResponseDraft,
    SurveyCompletion,
    SurveyLink,
)

from ..conftest import make_client
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_survey

RESPONSE_COLUMNS = {
    "id",
    "survey",
    "municipality",
    "group",
    "channel",
    "external_id",
    "submitted_at",
}
ANSWER_COLUMNS = {"id", "response", "question", "choice", "number", "text", "municipality", "group"}
COMPLETION_COLUMNS = {"id", "survey", "user"}
IDENTIFYING_MODELS = {
    settings.AUTH_USER_MODEL.lower(),
    "evaluations.surveylink",
    "evaluations.responsedraft",
    "labs.invitation",
    "sessions.session",
    "usersessions.usersession",
}

SECTION_1 = {"section": "1", "action": "save", "a-q_agree": "1", "a-q_sat": "4"}
SECTION_1_NEXT = {**SECTION_1, "action": "next", "a-q_role": "politik"}
SECTION_2 = {
    "section": "2",
    "action": "submit",
    "a-q_formats": ["workshop"],
    "a-q_hours": "3",
    "a-q_comment": "Ein Satz von mir",
}


@pytest.fixture
def survey(cohort_x):
    return make_survey(cohort_x)


def _columns(model) -> dict[str, models.Field]:
    return {f.name: f for f in model._meta.concrete_fields}


def _answer_through(client, url: str) -> None:
    """Save a draft first (so a draft existed), then answer both sections and submit."""
    assert client.post(url, SECTION_1).status_code == 302
    assert client.post(url, SECTION_1_NEXT).status_code == 302
    response = client.post(url, SECTION_2)
    assert response.status_code == 302 and response["Location"] == url


def _stored_values(survey) -> str:
    rows = list(Response.objects.filter(survey=survey).values())
    rows += list(Answer.objects.filter(response__survey=survey).values())
    return repr(rows)


def _assert_anonymous_rows(survey, *, secrets: list[str]) -> Response:
    [response] = Response.objects.filter(survey=survey)
    assert Answer.objects.filter(response=response).count() == 6
    # nothing of the draft is left that could be matched with the response
    assert not ResponseDraft.objects.filter(survey=survey).exists()
    # the submission time: a day boundary (midnight, Berlin time), today
    local = timezone.localtime(response.submitted_at)
    assert local.time() == dt.time(0, 0)
    assert local.date() == timezone.localdate()
    # no stored value holds the token, its hash, the session key, the e-mail address or the IP
    stored = _stored_values(survey)
    for secret in secrets:
        assert secret and secret not in stored, secret
    assert "127.0.0.1" not in stored
    return response


def test_response_and_answer_have_no_column_that_points_to_a_person():
    assert set(_columns(Response)) == RESPONSE_COLUMNS
    assert set(_columns(Answer)) == ANSWER_COLUMNS
    for model in (Response, Answer):
        for field in _columns(model).values():
            assert not isinstance(field, models.GenericIPAddressField), field
            if field.is_relation:
                assert field.related_model._meta.label_lower not in IDENTIFYING_MODELS, field


def test_the_link_keeps_no_time_of_use_and_the_completion_only_survey_and_user():
    assert set(_columns(SurveyCompletion)) == COMPLETION_COLUMNS
    link_columns = _columns(SurveyLink)
    # a link may record when it was sent or reminded, never when it was used or by whom
    assert not any("used_at" in name or "answered" in name for name in link_columns)
    assert not any(
        f.is_relation and f.related_model in (Response, Answer) for f in link_columns.values()
    )


def test_anonymous_link_submission(survey, municipality_a, caplog):
    caplog.set_level(logging.DEBUG)
    link = services.links_create(survey=survey, count=1, municipality=municipality_a, group="Rat")[
        0
    ]
    link.email = "person@example.org"
    link.save()
    token = services.link_token(link)
    before = model_to_dict(SurveyLink.objects.get(pk=link.pk))

    _answer_through(make_client(), reverse("survey_answer_link", args=[token]))

    after = model_to_dict(SurveyLink.objects.get(pk=link.pk))
    assert {k for k in after if after[k] != before[k]} == {"used"}
    assert after["used"] is True
    response = _assert_anonymous_rows(
        survey, secrets=[token, link.token_hash, link.token_salt, "person@example.org"]
    )
    # the link's municipality and group are the breakdown, not a way back to the link
    assert (response.municipality, response.group, response.channel) == (
        municipality_a,
        "Rat",
        "link",
    )
    assert token not in caplog.text and "person@example.org" not in caplog.text


def test_open_link_submission(survey, caplog):
    caplog.set_level(logging.DEBUG)
    services.open_link_enable(survey=survey)
    survey.refresh_from_db()
    token = services.open_token(survey)
    client = make_client()

    _answer_through(client, reverse("survey_answer_open", args=[token]))

    session_key = client.session.session_key
    response = _assert_anonymous_rows(survey, secrets=[token, survey.open_token_hash, session_key])
    assert (response.municipality, response.group, response.channel) == (None, "", "open")
    assert token not in caplog.text


def test_in_app_submission(survey, tandem_a, municipality_a, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(tandem_a)
    cohort = survey.cohort
    url = reverse("survey_answer_in_app", args=[cohort.lab.slug, cohort.slug, survey.slug])

    _answer_through(client, url)

    response = _assert_anonymous_rows(
        survey,
        secrets=[tandem_a.email, tandem_a.name, client.session.session_key],
    )
    assert (response.municipality, response.channel) == (municipality_a, "in_app")
    # the person's completion: the survey and the person, nothing else (no time, no response)
    completion = SurveyCompletion.objects.values().get(survey=survey)
    assert completion == {"id": completion["id"], "survey_id": survey.pk, "user_id": tandem_a.pk}
    assert tandem_a.email not in caplog.text


@pytest.mark.parametrize(
    ("utc", "berlin_day"),
    [
        (dt.datetime(2025, 3, 4, 23, 30, tzinfo=dt.UTC), dt.date(2025, 3, 5)),  # 00:30 in Berlin
        (dt.datetime(2025, 7, 1, 12, 59, tzinfo=dt.UTC), dt.date(2025, 7, 1)),
        (dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC), dt.date(2025, 10, 26)),  # DST ends
    ],
)
def test_the_submission_time_is_the_start_of_the_day_in_berlin(utc, berlin_day):
    with mock.patch("django.utils.timezone.now", return_value=utc):
        stored = services._submitted_day()
    local = timezone.localtime(stored)
    assert (local.date(), local.time()) == (berlin_day, dt.time(0, 0))
    assert stored <= utc < stored + dt.timedelta(days=1, hours=1)

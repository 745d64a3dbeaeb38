"""Answering surveys through the URLs: personal link, open link, in the platform, my surveys.

The survey is builders.make_survey: section 1 "Starting point" (q_agree −2…+2 required, q_sat
1–5, q_role single), section 2 "Formats" (q_formats multi, q_hours number, q_comment text).
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import (
    Answer,
    Response,
    ResponseChannel,
    ResponseDraft,
    Survey,
    SurveyCompletion,
    SurveyLink,
)

from ..conftest import make_client
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_survey

SECTION_1 = {
    "section": "1",
    "action": "next",
    "a-q_agree": "1",
    "a-q_sat": "4",
    "a-q_role": "politik",
}
SECTION_2 = {
    "section": "2",
    "action": "submit",
    "a-q_formats": ["workshop", "beratung"],
    "a-q_hours": "2,5",
    "a-q_comment": "Mehr davon",
}


@pytest.fixture
def survey(cohort_x):
    return make_survey(cohort_x)


@pytest.fixture
def link(survey, municipality_a):
    return services.links_create(survey=survey, count=1, municipality=municipality_a, group="Rat")[
        0
    ]


def link_url(link) -> str:
    return reverse("survey_answer_link", args=[services.link_token(link)])


def open_url(survey) -> str:
    services.open_link_enable(survey=survey)
    return reverse("survey_answer_open", args=[services.open_token(survey)])


def in_app_url(survey) -> str:
    cohort = survey.cohort
    return reverse("survey_answer_in_app", args=[cohort.lab.slug, cohort.slug, survey.slug])


def answer_all(client, url) -> None:
    response = client.post(url, SECTION_1)
    assert response.status_code == 302, text(response)
    assert response["Location"] == f"{url}?section=2"
    response = client.post(url, SECTION_2)
    assert response.status_code == 302, text(response)
    assert response["Location"] == url


def stored_answers(response: Response) -> dict:
    values: dict = {}
    for answer in response.answers.select_related("question", "choice"):
        code = answer.question.code
        if answer.choice_id:
            values[code] = sorted([*values.get(code, []), answer.choice.code])
        elif answer.text:
            values[code] = answer.text
        else:
            values[code] = answer.number
    return values


# --- the personal link ----------------------------------------------------------------------------


def test_answering_by_link_section_by_section(survey, link, municipality_a):
    client = make_client()
    url = link_url(link)

    page = client.get(url)
    assert page.status_code == 200
    assert "Section 1 of 2" in text(page)
    assert "Diversity is an issue in our administration." in text(page)
    assert "How many hours per week?" not in text(page)  # section 2 comes on its own page

    response = client.post(url, SECTION_1)
    assert response.status_code == 302
    assert ResponseDraft.objects.get(link=link).data == {
        "q_agree": "1",
        "q_sat": "4",
        "q_role": "politik",
    }
    page = client.get(f"{url}?section=2")
    assert "Section 2 of 2" in text(page)
    assert "How many hours per week?" in text(page)

    response = client.post(url, SECTION_2)
    assert response.status_code == 302
    thanks = client.get(url)
    assert thanks.status_code == 200
    assert "Thank you for your answers" in text(thanks)

    response = Response.objects.get(survey=survey)
    assert response.channel == ResponseChannel.LINK
    assert response.municipality == municipality_a
    assert response.group == "Rat"
    assert response.submitted_at.minute == 0 and response.submitted_at.second == 0
    values = stored_answers(response)
    assert values == {
        "q_agree": 1,
        "q_sat": 4,
        "q_role": ["politik"],
        "q_formats": ["beratung", "workshop"],
        "q_hours": 2.5,
        "q_comment": "Mehr davon",
    }
    link.refresh_from_db()
    assert link.used
    assert not ResponseDraft.objects.exists()

    # afterwards the link says so and stores nothing more
    again = client.get(url)
    assert "Already answered" in text(again)


def test_a_response_references_neither_link_nor_person_nor_draft():
    related = {
        f.related_model
        for f in Response._meta.get_fields()
        if f.is_relation and (f.many_to_one or f.one_to_one or f.many_to_many)
    }
    from labs.models import Municipality

    assert related == {Survey, Municipality}
    # an answer's municipality is its response's (a copy for aggregating without a join)
    assert {f.related_model for f in Answer._meta.get_fields() if f.many_to_one} == {
        Response,
        Answer._meta.get_field("question").related_model,
        Answer._meta.get_field("choice").related_model,
        Municipality,
    }
    # and the link records only *that* it was used, no time that could be matched
    link_fields = {f.name for f in SurveyLink._meta.get_fields() if isinstance(f, models.Field)}
    assert "used_at" not in link_fields and "response" not in link_fields


def test_public_pages_send_no_referrer_elsewhere_and_no_store(link):
    response = make_client().get(link_url(link))
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="referrer" content="same-origin">' in text(response)


def test_a_used_link_shows_already_answered_and_stores_nothing(survey, link):
    client = make_client()
    answer_all(client, link_url(link))
    assert Response.objects.count() == 1

    other = make_client()
    page = other.get(link_url(link))
    assert page.status_code == 200
    assert "Already answered" in text(page)
    response = other.post(link_url(link), SECTION_2)
    assert "Already answered" in text(response)
    response = other.post(link_url(link), SECTION_1)
    assert "Already answered" in text(response)
    assert Response.objects.count() == 1
    assert not ResponseDraft.objects.exists()


def test_unknown_and_revoked_tokens_are_404(survey, link):
    client = make_client()
    response = client.get(reverse("survey_answer_link", args=["x" * 40]))
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "same-origin"
    assert "Survey link not valid" in text(response)

    services.links_revoke(survey=survey, batch=link.batch)
    assert client.get(link_url(link)).status_code == 404
    assert client.post(link_url(link), SECTION_1).status_code == 404
    assert not ResponseDraft.objects.exists()

    assert client.get(reverse("survey_answer_open", args=["y" * 40])).status_code == 404


def test_closed_survey_is_refused_calmly(survey, link):
    client = make_client()
    url = link_url(link)
    client.post(url, SECTION_1)  # a draft from while it was open
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))

    page = client.get(url)
    assert page.status_code == 410
    assert "This survey has closed" in text(page)
    response = client.post(url, SECTION_2)
    assert response.status_code == 410
    assert not Response.objects.exists()
    link.refresh_from_db()
    assert not link.used


def test_survey_not_open_yet(survey, link):
    Survey.objects.filter(pk=survey.pk).update(opens_at=timezone.now() + dt.timedelta(days=2))
    page = make_client().get(link_url(link))
    assert page.status_code == 200
    assert "This survey is not open yet" in text(page)
    assert "Diversity is an issue" not in text(page)

    Survey.objects.filter(pk=survey.pk).update(opens_at=None)  # not scheduled at all
    page = make_client().post(link_url(link), SECTION_1)
    assert page.status_code == 200
    assert "still being prepared" in text(page)
    assert not ResponseDraft.objects.exists()


# --- validation -----------------------------------------------------------------------------------


def test_a_missing_required_answer_is_summarised_and_nothing_is_stored(link):
    client = make_client()
    response = client.post(link_url(link), {"section": "1", "action": "next", "a-q_sat": "9"})
    assert response.status_code == 200
    body = text(response)
    assert "Please check 2 answers:" in body
    # the summary links to the first option of each question
    assert 'href="#id_a-q_agree_0"' in body
    assert 'href="#id_a-q_sat_0"' in body
    assert "Please answer this question." in body
    assert "Choose a whole number from 1 to 5." in body
    # the message is tied to the question
    assert re.search(r'<fieldset[^>]*aria-describedby="[^"]*id_a-q_agree_error', body)
    assert response.context["form"].errors
    assert not ResponseDraft.objects.exists()
    assert not Response.objects.exists()
    assert response["Referrer-Policy"] == "same-origin"


def test_a_bad_number_or_choice_keeps_the_input_and_stores_nothing(link):
    client = make_client()
    url = link_url(link)
    client.post(url, SECTION_1)
    draft_before = ResponseDraft.objects.get(link=link).data
    response = client.post(
        url, {**SECTION_2, "a-q_hours": "viele", "a-q_formats": ["workshop", "kino"]}
    )
    assert response.status_code == 200
    body = text(response)
    assert "Enter a number." in body
    assert "Choose one of the offered answers." in body
    assert 'value="viele"' in body
    assert re.search(r'aria-describedby="id_a-q_hours_hint id_a-q_hours_error"', body)
    assert 'aria-invalid="true"' in body
    assert not Response.objects.exists()
    assert ResponseDraft.objects.get(link=link).data == draft_before
    link.refresh_from_db()
    assert not link.used


def test_typed_answers_state_their_limit_and_carry_no_maxlength(link):
    client = make_client()
    url = link_url(link)
    client.post(url, SECTION_1)
    body = text(client.get(f"{url}?section=2"))
    assert "maxlength" not in body
    assert re.search(r'id="id_a-q_hours_hint">[^<]*e\.g\. 2,5\. At most 40 characters\.', body)
    assert re.search(r'id="id_a-q_comment_hint">\s*At most 10000 characters\.', body)
    assert re.search(r'<textarea[^>]*aria-describedby="id_a-q_comment_hint"', body)


def test_over_long_typed_answers_are_refused_and_kept(survey, link):
    survey.questions.filter(code="q_hours").update(required=True)
    client = make_client()
    url = link_url(link)
    client.post(url, SECTION_1)
    draft_before = ResponseDraft.objects.get(link=link).data
    long_number = "1" * 41
    long_text = "Mehr davon. " * 834  # 10,008 characters
    response = client.post(url, {**SECTION_2, "a-q_hours": long_number, "a-q_comment": long_text})
    assert response.status_code == 200
    body = text(response)
    assert "Ensure this value has at most 40 characters (it has 41)." in body
    assert "Please keep the answer under 10,000 characters." in body
    # one message per question: the length, not also "answer this" for the refused value
    assert "Please answer this question." not in body
    assert f'value="{long_number}"' in body
    assert long_text.strip() in body
    assert "maxlength" not in body
    assert not Response.objects.exists()
    assert ResponseDraft.objects.get(link=link).data == draft_before


def test_submitting_the_last_section_checks_earlier_ones(link):
    client = make_client()
    # straight to the last section, section 1's required answer never given
    response = client.post(link_url(link), SECTION_2)
    assert response.status_code == 200
    body = text(response)
    assert "Section 1 of 2" in body
    assert "Please answer this question." in body
    assert not Response.objects.exists()
    link.refresh_from_db()
    assert not link.used
    # what was given in section 2 is kept for later
    assert ResponseDraft.objects.get(link=link).data["q_hours"] == "2,5"


# --- drafts ---------------------------------------------------------------------------------------


def test_save_and_continue_later_restores_the_answers_with_the_link(link):
    url = link_url(link)
    first = make_client()
    response = first.post(url, {**SECTION_1, "action": "save", "a-q_agree": "-2"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?section=1"
    assert "Your answers have been saved" in text(first.get(response["Location"]))

    # another day, another browser: the link alone brings the answers back
    later = make_client()
    page = later.get(url)
    body = text(page)
    assert "Welcome back" in body
    assert re.search(r'name="a-q_agree" id="id_a-q_agree_0" value="-2" checked', body)
    assert re.search(r'value="politik" checked', body)


def test_no_draft_outlives_a_response_given_on_another_device(survey, link):
    phone, laptop = make_client(), make_client()
    phone.get(link_url(link))
    answer_all(laptop, link_url(link))

    response = phone.post(link_url(link), {**SECTION_1, "action": "save"})
    assert "Already answered" in text(response)
    assert not ResponseDraft.objects.exists()
    assert Response.objects.count() == 1


def test_saving_for_later_does_not_require_answers(link):
    client = make_client()
    response = client.post(link_url(link), {"section": "1", "action": "save", "a-q_sat": "2"})
    assert response.status_code == 302
    assert ResponseDraft.objects.get(link=link).data == {"q_sat": "2"}


def test_previous_keeps_the_answers_of_the_later_section(link):
    client = make_client()
    url = link_url(link)
    client.post(url, SECTION_1)
    response = client.post(url, {**SECTION_2, "action": "previous", "a-q_comment": "Halb fertig"})
    assert response["Location"] == f"{url}?section=1"
    assert ResponseDraft.objects.get(link=link).data["q_comment"] == "Halb fertig"
    assert 'value="1" checked' in text(client.get(response["Location"]))
    assert "Halb fertig" in text(client.get(f"{url}?section=2"))


# --- the open link --------------------------------------------------------------------------------


def test_the_open_link_takes_answers_as_often_as_it_is_opened(survey):
    url = open_url(survey)
    client = make_client()
    answer_all(client, url)
    assert "Thank you for your answers" in text(client.get(url))
    answer_all(client, url)
    assert Response.objects.filter(survey=survey, channel=ResponseChannel.OPEN).count() == 2
    assert not ResponseDraft.objects.exists()


def test_open_link_drafts_belong_to_the_browser_session(survey):
    url = open_url(survey)
    mine = make_client()
    mine.post(url, {**SECTION_1, "action": "save"})
    draft = ResponseDraft.objects.get(survey=survey)
    assert draft.session_key == mine.session.session_key
    assert draft.link_id is None and draft.user_id is None

    assert "Welcome back" in text(mine.get(url))
    stranger = text(make_client().get(url))
    assert "Welcome back" not in stranger
    assert 'value="politik" checked' not in stranger


def test_open_link_switched_off_is_404(survey):
    url = open_url(survey)
    services.open_link_enable(survey=survey, enabled=False)
    assert make_client().get(url).status_code == 404


# --- in the platform ------------------------------------------------------------------------------


def test_a_tandem_member_answers_once_in_the_platform(survey, tandem_a, municipality_a):
    client = make_client(tandem_a)
    url = in_app_url(survey)
    page = client.get(url)
    assert page.status_code == 200
    assert "My surveys" in text(page)  # inside the platform, with its breadcrumbs
    answer_all(client, url)

    response = Response.objects.get(survey=survey)
    assert response.channel == ResponseChannel.IN_APP
    assert response.municipality == municipality_a
    assert SurveyCompletion.objects.filter(survey=survey, user=tandem_a).count() == 1
    assert not ResponseDraft.objects.exists()
    assert "Thank you for your answers" in text(client.get(url))

    assert "You have already answered this survey." in text(client.get(url))
    client.post(url, SECTION_1)
    client.post(url, SECTION_2)
    assert Response.objects.count() == 1


def test_in_app_drafts_follow_the_account(survey, tandem_a):
    url = in_app_url(survey)
    make_client(tandem_a).post(url, {**SECTION_1, "action": "save"})
    assert ResponseDraft.objects.get(survey=survey).user == tandem_a
    assert "Welcome back" in text(make_client(tandem_a).get(url))


def test_in_app_answering_only_when_the_survey_is_offered_there(survey, tandem_a):
    Survey.objects.filter(pk=survey.pk).update(in_app=False)
    assert make_client(tandem_a).get(in_app_url(survey)).status_code == 403


# --- my surveys -----------------------------------------------------------------------------------


def test_my_surveys_lists_open_in_app_surveys_and_what_was_answered(
    survey, cohort_x, tandem_a, tandem_b, coordinator
):
    make_survey(cohort_x, slug="spaeter", title_en="Later survey", opened=False)
    make_survey(cohort_x, slug="feedback", title_en="Feedback", in_app=False)
    client = make_client(tandem_a)
    answer_all(client, in_app_url(survey))
    make_client(tandem_b).post(in_app_url(survey), {**SECTION_1, "action": "save"})

    mine = client.get(reverse("my_surveys"))
    assert mine.context["to_answer"] == []
    assert [s.slug for s in mine.context["answered"]] == [survey.slug]

    theirs = make_client(tandem_b).get(reverse("my_surveys"))
    assert [s.slug for s in theirs.context["to_answer"]] == [survey.slug]
    assert "Continue “Baseline survey”" in text(theirs)
    assert in_app_url(survey) in text(theirs)

    assert make_client(coordinator).get(reverse("my_surveys")).context["to_answer"] == []
    # tandem members find the list from the overview
    assert reverse("my_surveys") in text(make_client(tandem_b).get(reverse("home")))


def test_my_surveys_needs_constant_queries(cohort_x, tandem_a):
    client = make_client(tandem_a)
    make_survey(cohort_x, slug="s0")
    counter = iter(range(1, 100))

    def grow():
        for _ in range(4):
            make_survey(cohort_x, slug=f"s{next(counter)}")

    assert_constant_queries(client, reverse("my_surveys"), grow)
    assert len(client.get(reverse("my_surveys")).context["to_answer"]) == 5


# --- language, navigation, CSRF -------------------------------------------------------------------


def test_questions_in_german_by_default_and_english_by_choice(link):
    url = link_url(link)
    german = Client().get(url)
    assert 'lang="de"' in text(german)
    assert "Vielfalt ist in unserer Verwaltung ein Thema." in text(german)
    assert "stimme voll zu" in text(german)

    switched = Client().get(f"{url}?section=1&lang=en")
    assert switched.status_code == 302
    assert switched["Location"] == f"{url}?section=1"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = make_client().get(url)
    assert "Diversity is an issue in our administration." in text(english)
    assert "strongly agree" in text(english)
    assert 'href="?lang=de"' in text(english)


def test_the_public_page_shows_no_platform_navigation(coordinator, link):
    body = text(make_client(coordinator).get(link_url(link)))
    assert "Log out" not in body
    assert "My account" not in body
    assert coordinator.email not in body


def test_scale_markup_values_as_labels_ends_visible_required_in_text(link):
    body = text(make_client().get(link_url(link)))
    # −2…+2 as a row of radios labelled with their values; both end labels shown
    for value in ("-2", "-1", "0", "1", "2"):
        assert f'value="{value}"' in body
    assert "\u22122 = strongly disagree" in body
    assert "2 = strongly agree" in body
    assert '<span class="survey-q__required">(required)</span>' in body
    assert body.count("<fieldset") == 3 and body.count("<legend") == 3


def test_the_public_form_keeps_django_csrf_protection(survey, link):
    """Posts from this site pass with the token; another site's post or one without the token
    is refused and stores nothing."""
    client = Client(enforce_csrf_checks=True)
    url = link_url(link)
    client.get(url)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    data = {**SECTION_1, "csrfmiddlewaretoken": token}

    cross_site = client.post(url, data, HTTP_ORIGIN="https://evil.example")
    assert cross_site.status_code == 403
    no_token = client.post(url, SECTION_1, HTTP_ORIGIN="http://testserver")
    assert no_token.status_code == 403
    assert not ResponseDraft.objects.exists()

    same_site = client.post(url, data, HTTP_ORIGIN="http://testserver")
    assert same_site.status_code == 302
    assert ResponseDraft.objects.filter(link=link).exists()

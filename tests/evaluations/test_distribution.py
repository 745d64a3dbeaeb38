"""Distributing a survey: link batches, e-mails in the link's language, the printable sheet with
QR codes, revoking, the open link and reminders (idempotent)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluations import services, survey_mail, tasks
from evaluations.models import ResponseDraft, Survey, SurveyLink

from ..conftest import make_client
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_survey


@pytest.fixture
def survey(cohort_x):
    return make_survey(cohort_x)


def survey_url(name: str, survey, *extra) -> str:
    cohort = survey.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, survey.slug, *extra])


def token_in(body: str) -> str:
    found = re.findall(r"/s/([0-9a-f]{40})/", body)
    assert len(found) == 1, body
    return found[0]


def emailed(survey, addresses, *, language="de", sent_ago=dt.timedelta(days=2)) -> list:
    """Links as if e-mailed `sent_ago`; no mail goes out here."""
    links = services.links_create(survey=survey, emails=addresses, language=language)
    SurveyLink.objects.filter(pk__in=[link.pk for link in links]).update(
        sent_at=timezone.now() - sent_ago
    )
    return links


# --- batches to hand out -----------------------------------------------------------------------


def test_a_coordinator_creates_a_batch_for_a_municipality_and_group(
    survey, coordinator, participation_a, municipality_a
):
    client = make_client(coordinator)
    response = client.post(
        survey_url("survey_links", survey),
        {
            "form": "batch",
            "batch-count": "3",
            "batch-municipality": municipality_a.pk,
            "batch-group": " Verwaltung ",
        },
    )
    assert response.status_code == 302
    links = list(SurveyLink.objects.filter(survey=survey))
    assert [(link.batch, link.number) for link in links] == [(1, 1), (1, 2), (1, 3)]
    assert {(link.municipality, link.group, link.email) for link in links} == {
        (municipality_a, "Verwaltung", "")
    }
    page = client.get(response["Location"])
    assert "Batch 1 with 3 links was created." in text(page)
    assert page.context["batches"][0] | {"created": None} == {
        "batch": 1,
        "created": None,
        "total": 3,
        "used": 0,
        "revoked": 0,
        "unused": 3,
        "emailed": 0,
        "sent": 0,
        "reminded": 0,
        "by_email": False,
        "municipality": "Ahornstadt",
        "group": "Verwaltung",
        "language": "en",
    }


def test_a_bad_batch_is_refused_and_creates_nothing(survey, coordinator, municipality_y):
    client = make_client(coordinator)
    for data in (
        {"batch-count": "0"},
        {"batch-count": "501"},
        {"batch-count": "zwei"},
        {"batch-count": "2", "batch-municipality": municipality_y.pk},  # another lab's town
    ):
        response = client.post(survey_url("survey_links", survey), {"form": "batch", **data})
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    assert not SurveyLink.objects.exists()


def test_counts_per_batch_never_say_which_link_was_used(survey, coordinator):
    links = services.links_create(survey=survey, count=4)
    services.response_submit(survey=survey, values={"q_agree": 2}, link=links[2])
    emailed(survey, ["wer@example.org", "wie@example.org"])
    services.links_revoke(survey=survey, batch=1)

    page = make_client(coordinator).get(survey_url("survey_links", survey))
    by_batch = {b["batch"]: b for b in page.context["batches"]}
    assert (by_batch[1]["used"], by_batch[1]["unused"], by_batch[1]["revoked"]) == (1, 0, 3)
    assert (by_batch[2]["used"], by_batch[2]["unused"], by_batch[2]["emailed"]) == (0, 2, 2)
    body = text(page)
    assert "wer@example.org" not in body  # the addresses (and who answered) stay out of sight
    assert services.link_token(links[0]) not in body


def test_the_distribution_page_shows_the_answering_period(survey, coordinator):
    closes = timezone.now() + dt.timedelta(days=30)
    Survey.objects.filter(pk=survey.pk).update(closes_at=closes)
    body = text(make_client(coordinator).get(survey_url("survey_links", survey)))
    assert "Answering period" in body
    assert survey_url("survey_edit", survey) in body
    assert "no end date" not in body


def test_the_distribution_page_needs_constant_queries(survey, coordinator):
    services.links_create(survey=survey, count=2)

    def grow():
        for _ in range(5):
            services.links_create(survey=survey, count=3)
        emailed(survey, ["a@example.org", "b@example.org"])

    assert_constant_queries(make_client(coordinator), survey_url("survey_links", survey), grow)


# --- the printable sheet -------------------------------------------------------------------------


def test_the_print_sheet_has_one_qr_code_per_unused_link(survey, coordinator):
    links = services.links_create(survey=survey, count=5)
    services.response_submit(survey=survey, values={"q_agree": 0}, link=links[1])
    response = make_client(coordinator).get(survey_url("survey_links_print", survey, 1))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    body = text(response)
    assert len(re.findall(r'<svg role="img"[^>]*class="qr-code"', body)) == 4
    assert body.count("<title>QR code of link") == 4
    for link in links:
        url = f"http://testserver/s/{services.link_token(link)}/"
        assert (url in body) is (link is not links[1])
    assert "1 used or revoked link is left out." in body
    assert "<nav" not in body  # a sheet, not a platform page


def test_e_mailed_and_unknown_batches_are_not_printed(survey, coordinator):
    emailed(survey, ["p@example.org"])
    client = make_client(coordinator)
    assert client.get(survey_url("survey_links_print", survey, 1)).status_code == 404
    assert client.get(survey_url("survey_links_print", survey, 7)).status_code == 404


# --- e-mail --------------------------------------------------------------------------------------


def test_personal_links_are_e_mailed_in_the_chosen_language(
    survey, coordinator, django_capture_on_commit_callbacks
):
    client = make_client(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            survey_url("survey_links", survey),
            {
                "form": "email",
                "email-emails": "Ada@Example.org\nbob@example.org; ada@example.org,\n",
                "email-language": "de",
                "email-group": "Politik",
            },
        )
    assert response.status_code == 302
    links = list(SurveyLink.objects.filter(survey=survey))
    assert [link.email for link in links] == ["ada@example.org", "bob@example.org"]
    assert {link.language for link in links} == {"de"}
    assert all(link.sent_at for link in links)
    assert len(mail.outbox) == 2
    for message, link in zip(mail.outbox, links, strict=True):
        assert message.to == [link.email]
        assert "Eingangsbefragung" in message.subject  # the survey's German title
        assert token_in(message.body) == services.link_token(link)
    # the link in the mail opens the survey
    answer = make_client().get(f"/s/{token_in(mail.outbox[0].body)}/")
    assert answer.status_code == 200

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            survey_url("survey_links", survey),
            {"form": "email", "email-emails": "cem@example.org", "email-language": "en"},
        )
    assert [m.to for m in mail.outbox] == [["cem@example.org"]]
    assert "Baseline survey" in mail.outbox[0].subject


def test_invalid_addresses_are_named_and_nothing_is_sent(
    survey, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = make_client(coordinator).post(
            survey_url("survey_links", survey),
            {
                "form": "email",
                "email-emails": "gut@example.org\nkaputt@\nnoch-kaputter",
                "email-language": "de",
            },
        )
    assert response.status_code == 200
    assert "These are not valid e-mail addresses: kaputt@, noch-kaputter" in text(response)
    assert not SurveyLink.objects.exists()
    assert mail.outbox == []


def test_the_e_mail_task_sends_each_link_once(survey):
    link = services.links_create(survey=survey, emails=["x@example.org"])[0]
    assert tasks.send_survey_link_email.delay(link.pk, "https://innolab.example").get() is True
    assert tasks.send_survey_link_email.delay(link.pk, "https://innolab.example").get() is False
    assert len(mail.outbox) == 1
    assert f"https://innolab.example/s/{services.link_token(link)}/" in mail.outbox[0].body


def test_a_failed_send_can_be_retried(survey, monkeypatch):
    link = services.links_create(survey=survey, emails=["x@example.org"])[0]

    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(survey_mail, "send_mail", broken)
    with pytest.raises(OSError):
        survey_mail.survey_link_email_send(link_id=link.pk, base_url="")
    link.refresh_from_db()
    assert link.sent_at is None  # not claimed: the retry sends it
    monkeypatch.undo()
    assert survey_mail.survey_link_email_send(link_id=link.pk, base_url="") is True
    assert len(mail.outbox) == 1


# --- revoking ------------------------------------------------------------------------------------


def test_revoking_a_batch_stops_its_unused_links(survey, coordinator):
    links = services.links_create(survey=survey, count=3)
    services.response_submit(survey=survey, values={"q_agree": 1}, link=links[0])
    services.draft_save(survey=survey, values={"q_agree": 2}, link=links[1])

    response = make_client(coordinator).post(survey_url("survey_links_revoke", survey, 1))
    assert response.status_code == 302
    states = list(SurveyLink.objects.order_by("number").values_list("used", "revoked"))
    assert states == [(True, False), (False, True), (False, True)]
    assert not ResponseDraft.objects.exists()  # a revoked link's draft goes too
    page = make_client().get(f"/s/{services.link_token(links[1])}/")
    assert page.status_code == 404


def test_revoking_is_post_only(survey, coordinator):
    services.links_create(survey=survey, count=1)
    response = make_client(coordinator).get(survey_url("survey_links_revoke", survey, 1))
    assert response.status_code == 405
    assert not SurveyLink.objects.filter(revoked=True).exists()


# --- the open link -------------------------------------------------------------------------------


def test_the_open_link_is_switched_on_renewed_and_off(survey, coordinator):
    client = make_client(coordinator)
    url = survey_url("survey_open_link", survey)

    client.post(url, {"action": "enable"})
    survey.refresh_from_db()
    first = reverse("survey_answer_open", args=[services.open_token(survey)])
    assert survey.open_link_enabled
    assert f"http://testserver{first}" in text(client.get(survey_url("survey_links", survey)))
    assert make_client().get(first).status_code == 200

    client.post(url, {"action": "renew"})
    survey.refresh_from_db()
    second = reverse("survey_answer_open", args=[services.open_token(survey)])
    assert second != first
    assert make_client().get(first).status_code == 404
    assert make_client().get(second).status_code == 200

    client.post(url, {"action": "disable"})
    assert make_client().get(second).status_code == 404
    assert "The open link is switched off." in text(client.get(survey_url("survey_links", survey)))


def test_an_unknown_open_link_action_changes_nothing(survey, coordinator):
    response = make_client(coordinator).post(
        survey_url("survey_open_link", survey), {"action": "explode"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    survey.refresh_from_db()
    assert not survey.open_link_enabled and not survey.open_token_salt
    # the shared error summary, its error linked to the button that switches the link on
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#id_action" data-error-link="id_action"' in body
    assert "Please choose what to do with the open link." in text(response)
    assert 'value="enable" class="kern-btn kern-btn--secondary" id="id_action"' in body


# --- reminders -----------------------------------------------------------------------------------


def test_a_reminder_goes_once_to_everyone_who_has_not_answered(
    survey, coordinator, django_capture_on_commit_callbacks
):
    ada, bob, cem = emailed(survey, ["ada@example.org", "bob@example.org", "cem@example.org"])
    emailed(survey, ["eng@example.org"], language="en")
    services.response_submit(survey=survey, values={"q_agree": 1}, link=bob)
    services.links_create(survey=survey, emails=["unsent@example.org"])  # not sent yet
    client = make_client(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(survey_url("survey_remind", survey))
    assert response.status_code == 302
    assert "Reminders are being sent to 3 people." in text(client.get(response["Location"]))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ada@example.org",
        "cem@example.org",
        "eng@example.org",
    ]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["eng@example.org"].subject == "Reminder: Baseline survey"
    assert "Eingangsbefragung" in by_address["ada@example.org"].subject
    assert token_in(by_address["ada@example.org"].body) == services.link_token(ada)

    # clicked again: nobody is due within 24 hours
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(survey_url("survey_remind", survey))
    assert mail.outbox == []
    assert "Nobody is due for a reminder" in text(client.get(response["Location"]))

    # a day later, those who still have not answered get one more
    SurveyLink.objects.update(reminded_at=timezone.now() - dt.timedelta(hours=25))
    services.response_submit(survey=survey, values={"q_agree": 1}, link=cem)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(survey_url("survey_remind", survey))
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "eng@example.org"]


def test_the_reminder_task_run_twice_reminds_each_person_once(survey):
    emailed(survey, ["ada@example.org", "bob@example.org"])
    assert tasks.send_survey_reminders.delay(survey.pk, "https://x").get() == 2
    assert tasks.send_survey_reminders.delay(survey.pk, "https://x").get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bob@example.org"]


def test_no_reminders_for_a_closed_survey(survey, coordinator):
    emailed(survey, ["ada@example.org"])
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))
    make_client(coordinator).post(survey_url("survey_remind", survey))
    assert tasks.send_survey_reminders.delay(survey.pk, "https://x").get() == 0
    assert mail.outbox == []
    assert not SurveyLink.objects.filter(reminded_at__isnull=False).exists()


def test_the_survey_page_links_to_the_distribution(survey, coordinator):
    detail = survey_url("survey_detail", survey)
    assert survey_url("survey_links", survey) in text(make_client(coordinator).get(detail))

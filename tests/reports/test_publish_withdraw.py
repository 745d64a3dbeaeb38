"""Publishing a report version after a confirmation that names who will see it, withdrawing it
with a reason, and what funders and coordinators find afterwards (issue 16). Through the URLs;
the rows of the permission matrix are in matrix_reports."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind
from labs import services as lab_services
from labs.models import LabMembership, LabRole
from notifications.models import Notification
from reports.models import ReportRun, RunStatus

from ..factories import UserFactory
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_report_run

pytestmark = pytest.mark.django_db
LAB = "innolab-x"


def _url(name: str, run: ReportRun) -> str:
    return reverse(name, args=[LAB, run.pk])


def _withdraw(client, run, reason="Zahlen in Kapitel 3 falsch"):
    return client.post(_url("report_run_withdraw", run), {"reason": reason})


# --- the confirmation -------------------------------------------------------------------------


def test_the_confirmation_names_the_funders_and_publishes_nothing(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"])
    second = UserFactory(email="bea.bund@example.org", name="Bea Bund")
    lab_services.lab_membership_grant(lab=world["lab_x"], user=second, role=LabRole.FUNDER)
    gone = UserFactory(email="alt@example.org", name="Alte Förderin", is_active=False)
    lab_services.lab_membership_grant(lab=world["lab_x"], user=gone, role=LabRole.FUNDER)

    response = client_as("coordinator").get(_url("report_run_publish", run))
    assert response.status_code == 200
    page = text(response)
    assert "The lab's 2 funders, who are notified and can download the PDF:" in page
    assert page.index("Bea Bund") < page.index("Fiona Förder")  # by name
    assert "Alte Förderin" not in page  # a deactivated account sees nothing
    assert "the lab's coordinator and the platform's administrators" in page
    assert '<form method="post" class="page-form">' in page and "Publish now" in page
    run.refresh_from_db()
    assert run.published_at is None  # the GET only asks
    assert not Notification.objects.exists()


def test_the_confirmation_says_when_no_funder_will_see_it(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"])
    LabMembership.objects.filter(role=LabRole.FUNDER).delete()
    page = text(client_as("coordinator").get(_url("report_run_publish", run)))
    assert "The lab has no funders yet" in page
    assert "Fiona Förder" not in page


def test_the_confirmation_is_in_german_by_default(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"])
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = text(client.get(_url("report_run_publish", run)))
    assert "Wer die Fassung sehen wird" in page
    assert "Fördergeber*in des Labs" in page and "Fiona Förder" in page


def test_the_confirmation_shows_the_title_in_bold_not_in_quotes(personas, world, client_as):
    """A title often quotes a name itself: „Abschlussbericht „…““ read as a typo."""
    draft, run = make_report_run(world, personas["coordinator"])
    draft.title = "Abschlussbericht „Vielfalt in Eichenau“"
    draft.save(update_fields=["title"])
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = text(client.get(_url("report_run_publish", run)))
    assert "<strong>Abschlussbericht „Vielfalt in Eichenau“</strong>, erstellt am " in page
    assert "„Abschlussbericht" not in page


def test_a_published_version_has_no_confirmation_to_give(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"], published=True)
    response = client_as("coordinator").get(_url("report_run_publish", run))
    assert response.status_code == 302
    assert response["Location"] == _url("report_run", run)


def test_the_version_page_links_to_the_confirmation_not_straight_to_publishing(
    personas, world, client_as
):
    _draft, run = make_report_run(world, personas["coordinator"])
    page = text(client_as("coordinator").get(_url("report_run", run)))
    assert f'href="{_url("report_run_publish", run)}"' in page
    assert f'action="{_url("report_run_publish", run)}"' not in page


# --- who may publish and withdraw -------------------------------------------------------------


@pytest.mark.parametrize("who", ["funder", "expert", "tandem_a", "coordinator_y", "outsider"])
def test_only_the_labs_coordinators_publish_and_withdraw(personas, world, client_as, who):
    _draft, ready = make_report_run(world, personas["coordinator"], key="ready")
    _draft, published = make_report_run(world, personas["coordinator"], key="pub", published=True)
    client = client_as(who)
    expected = 404 if who in ("coordinator_y", "outsider") else 403
    assert client.post(_url("report_run_publish", ready)).status_code == expected
    assert client.get(_url("report_run_withdraw", published)).status_code == expected
    assert _withdraw(client, published).status_code == expected
    ready.refresh_from_db()
    published.refresh_from_db()
    assert ready.published_at is None
    assert published.withdrawn_at is None
    assert not AuditEvent.objects.filter(kind=AuditKind.REPORT_WITHDRAWN).exists()


def test_the_admin_withdraws_too(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"], published=True)
    assert _withdraw(client_as("admin"), run).status_code == 302
    run.refresh_from_db()
    assert run.withdrawn_by == personas["admin"]


# --- withdrawing ------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"], published=True)
    response = _withdraw(client_as("coordinator"), run, reason="   ")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    run.refresh_from_db()
    assert run.withdrawn_at is None
    assert not AuditEvent.objects.filter(kind=AuditKind.REPORT_WITHDRAWN).exists()


def test_withdrawing_is_recorded_and_notified_once(
    personas, world, client_as, django_capture_on_commit_callbacks
):
    draft, run = make_report_run(world, personas["coordinator"], published=True)
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = _withdraw(client, run)
        assert _withdraw(client, run, reason="noch einmal").status_code == 302
    assert response.status_code == 302
    assert response["Location"] == _url("report_run", run)
    run.refresh_from_db()
    assert run.withdrawn_by == personas["coordinator"]
    assert run.withdrawal_reason == "Zahlen in Kapitel 3 falsch"  # the second changed nothing

    event = AuditEvent.objects.get(kind=AuditKind.REPORT_WITHDRAWN)
    assert (event.actor, event.lab, event.target) == (
        personas["coordinator"],
        world["lab_x"],
        "Abschlussbericht",
    )
    assert (event.object_type, event.object_id) == ("reports.reportrun", str(run.pk))
    assert event.details["reason"] == "Zahlen in Kapitel 3 falsch"

    notification = Notification.objects.get(kind="report-withdrawn")
    assert notification.recipient == personas["funder"]
    assert notification.link == reverse("report_list", args=[LAB])
    assert [m.to for m in mail.outbox] == [[personas["funder"].email]]
    assert mail.outbox[0].subject.startswith(
        f"Die veröffentlichte Version des Berichts „{draft.title}“ ({draft.lab.name}) wurde "
        "zurückgezogen"
    )
    assert "Kapitel 3" not in mail.outbox[0].body  # the reason stays with the coordination
    page = text(client_as("funder").get(reverse("notification_list")))
    assert f"The published version of the report “{draft.title}”" in page
    assert client_as("funder").get(notification.link).status_code == 200


def test_an_unpublished_version_cannot_be_withdrawn(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"])
    client = client_as("coordinator")
    response = client.post(_url("report_run_withdraw", run), {"reason": "x"}, follow=True)
    assert response.redirect_chain == [(_url("report_run", run), 302)]
    assert "Only a published version can be withdrawn." in text(response)
    run.refresh_from_db()
    assert run.withdrawn_at is None


# --- after the withdrawal ---------------------------------------------------------------------


def test_funders_keep_nothing_downloadable_that_was_withdrawn(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"], published=True)
    _withdraw(client_as("coordinator"), run)
    funder = client_as("funder")

    download = funder.get(_url("report_download", run))
    assert download.status_code == 410
    assert download["Content-Type"].startswith("text/html")
    assert "This report version was withdrawn" in text(download)
    assert b"%PDF" not in download.content
    page = funder.get(_url("report_run", run))
    assert page.status_code == 410
    assert "It is no longer available for download." in text(page)
    assert "Kapitel 3" not in text(page)  # funders are not told the reason
    assert _url("report_download", run) not in text(page)
    listing = funder.get(reverse("report_list", args=[LAB]))
    assert listing.context["published"] == []
    assert _url("report_download", run) not in text(listing)


def test_coordinators_see_the_withdrawn_version_with_reason_who_and_when(
    personas, world, client_as
):
    _draft, run = make_report_run(world, personas["coordinator"], published=True)
    _withdraw(client_as("admin"), run)
    client = client_as("coordinator")
    page = text(client.get(_url("report_run", run)))
    assert 'data-state="withdrawn"' in page
    assert "Withdrawn on" in page and "by Ada Admin" in page
    assert "Zahlen in Kapitel 3 falsch" in page
    assert _url("report_run_withdraw", run) not in page  # nothing more to withdraw
    assert f'href="{_url("report_run_publish", run)}"' not in page
    assert client.get(_url("report_download", run)).status_code == 200
    listing = text(client.get(reverse("report_list", args=[LAB])))
    assert "Withdrawn" in listing


def test_a_withdrawn_version_is_not_published_again(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"], published=True)
    client = client_as("coordinator")
    _withdraw(client, run)
    run.refresh_from_db()
    published_at = run.published_at
    response = client.post(_url("report_run_publish", run), follow=True)
    assert "A withdrawn version cannot be published again." in text(response)
    run.refresh_from_db()
    assert (run.published_at, run.withdrawn_at is not None) == (published_at, True)
    assert client.get(_url("report_run_publish", run)).status_code == 302


# --- the status banner ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "published", "state", "says"),
    [
        (RunStatus.QUEUED, False, "queued", "Waiting for a free worker"),
        (RunStatus.RUNNING, False, "running", "Generating the PDF"),
        (RunStatus.FAILED, False, "failed", "The PDF could not be generated"),
        (
            RunStatus.DONE,
            False,
            "ready",
            "Only the lab's coordinators see it",
        ),
        (RunStatus.DONE, True, "published", "the lab's funders see it and can download it"),
    ],
)
def test_the_banner_says_the_state(personas, world, client_as, status, published, state, says):
    _draft, run = make_report_run(world, personas["coordinator"], published=published)
    ReportRun.objects.filter(pk=run.pk).update(status=status, error="Umfrage fehlt")
    client = client_as("coordinator")
    for headers in ({}, {"HX-Request": "true"}):  # the page and the part htmx refreshes
        page = text(client.get(_url("report_run", run), headers=headers))
        assert page.count('class="kern-alert kern-alert--') == 1
        assert f'data-state="{state}"' in page and says in page


def test_the_checksum_is_folded_into_technical_details(personas, world, client_as):
    _draft, run = make_report_run(world, personas["coordinator"], published=True)
    page = text(client_as("funder").get(_url("report_run", run)))
    details = page[page.index("<details") : page.index("</details>")]
    assert "Technical details" in details and run.checksum in details
    assert page.count(run.checksum) == 1
    assert '<dl class="kern-description-list">' in page
    assert "Published on" in page and 'data-state="published"' in page


def test_the_draft_page_says_drafts_are_the_coordinations(personas, world, client_as):
    draft, _run = make_report_run(world, personas["coordinator"])
    page = text(client_as("coordinator").get(reverse("report_draft", args=[LAB, draft.pk])))
    assert 'data-state="draft"' in page and "Only the lab's coordinators see drafts." in page

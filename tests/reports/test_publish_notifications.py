"""Publishing a report version tells the lab's funders (issue 16), once per version; withdrawing
it tells them too (test_publish_withdraw.py)."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification

from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_report_run

pytestmark = pytest.mark.django_db
LAB = "innolab-x"


def test_publishing_notifies_the_labs_funders_once(
    personas, world, client_as, django_capture_on_commit_callbacks
):
    draft, run = make_report_run(world, personas["coordinator"])
    url = reverse("report_run_publish", args=[LAB, run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_as("coordinator").post(url).status_code == 302
        assert client_as("coordinator").post(url).status_code == 302  # publishing twice
    notification = Notification.objects.get()
    assert notification.recipient == personas["funder"]
    assert notification.link == reverse("report_run", args=[LAB, run.pk])
    assert [m.to for m in mail.outbox] == [[personas["funder"].email]]
    assert mail.outbox[0].subject == (
        f"Eine neue Version des Berichts „{draft.title}“ ({draft.lab.name}) wurde veröffentlicht."
    )
    page = text(client_as("funder").get(reverse("notification_list")))
    assert f"A new version of the report “{draft.title}”" in page
    # the link leads to a page the funder may open
    assert client_as("funder").get(notification.link).status_code == 200

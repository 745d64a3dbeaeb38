"""The invitation e-mail travels through Redis to a real worker process and back to the user."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from labs import services
from labs.models import Invitation, LabRole
from labs.permissions import participations_for_user

pytestmark = pytest.mark.integration


def _wait_for_mail(folder, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.log"))
        if files and files[0].stat().st_size > 0:
            time.sleep(0.2)
            return files[0].read_text()
        time.sleep(0.2)
    raise AssertionError(f"No e-mail arrived from the worker within {timeout} s")


def test_invitation_mail_is_sent_by_the_worker_and_the_link_works(celery_worker_process, client):
    User = get_user_model()
    coordinator = User.objects.create_user(email="koord@example.org", password="x" * 14)
    lab = services.lab_create(created_by=coordinator, slug="lab-w", name="Lab W")
    cohort = services.cohort_create(lab=lab, slug="k1", name="Kohorte 1")
    town = services.municipality_create(lab=lab, name="Musterstadt", state="HE")
    participation = services.participation_admit(cohort=cohort, municipality=town)
    assert lab.memberships.filter(user=coordinator, role=LabRole.COORDINATOR).exists()

    client.force_login(coordinator)
    response = client.post(
        f"/labs/{lab.slug}/invitations/new/",
        {"email": "neu@example.org", "role": "tandem_member", "participation": participation.pk},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="neu@example.org")

    mail = _wait_for_mail(celery_worker_process)
    assert "neu@example.org" in mail
    assert "Musterstadt" in mail
    link = re.search(r"https?://\S+/invitations/(\S+)/", mail)
    assert link, mail

    client.logout()
    response = client.post(
        f"/invitations/{link.group(1)}/",
        {
            "name": "Nora Neu",
            "password1": "ein-langes-passwort-42",
            "password2": "ein-langes-passwort-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert EmailAddress.objects.filter(user=user, verified=True).exists()
    assert list(participations_for_user(user)) == [participation]
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_a_retried_send_of_an_accepted_invitation_sends_nothing(celery_worker_process):
    User = get_user_model()
    coordinator = User.objects.create_user(email="k2@example.org", password="x" * 14)
    lab = services.lab_create(created_by=coordinator, slug="lab-r", name="Lab R")
    invitation, token = services.invitation_create(
        lab=lab, invited_by=coordinator, email="f@example.org", role="funder"
    )
    mail_dir = celery_worker_process
    _wait_for_mail(mail_dir)
    for f in mail_dir.glob("*.log"):
        f.unlink()
    services.invitation_accept(token=token, name="F", password="ein-langes-passwort-42")
    from labs.tasks import send_invitation_email

    result = send_invitation_email.apply_async(args=[invitation.pk, "http://x"])
    worker_log = mail_dir.parent / "worker.log"
    deadline = time.monotonic() + 30
    while f"{result.id}] succeeded" not in worker_log.read_text():
        assert time.monotonic() < deadline, worker_log.read_text()
        time.sleep(0.2)
    line = next(x for x in worker_log.read_text().splitlines() if f"{result.id}] succeeded" in x)
    assert line.rstrip().endswith("False")
    assert list(mail_dir.glob("*.log")) == []

"""Site administrators deactivate accounts in the browser: sessions end, audited, not their own."""

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind

from ..conftest import make_client
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def deactivate_url(user) -> str:
    return reverse("account_deactivate", args=[user.pk])


def test_admin_deactivates_an_account_and_its_sessions_end(client_as, admin, person):
    # the person's browser, logged in through the login form so that its session is recorded
    browser = make_client()
    browser.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert browser.get(reverse("my_events")).status_code == 200
    assert UserSession.objects.filter(user=person).exists()

    page = client_as("admin").get(deactivate_url(person))
    assert "Pat Person" in text(page)
    response = client_as("admin").post(deactivate_url(person))

    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert not UserSession.objects.filter(user=person).exists()
    assert browser.get(reverse("my_events")).status_code == 302  # logged out
    event = AuditEvent.objects.get(kind=AuditKind.ACCOUNT_DEACTIVATED, target=person.email)
    assert event.actor == admin


def test_admin_cannot_deactivate_their_own_account(client_as, admin):
    page = client_as("admin").get(deactivate_url(admin))
    assert "cannot deactivate your own account" in text(page)
    client_as("admin").post(deactivate_url(admin))
    admin.refresh_from_db()
    assert admin.is_active
    assert not AuditEvent.objects.filter(kind=AuditKind.ACCOUNT_DEACTIVATED).exists()


@pytest.mark.parametrize("who", ["coordinator", "funder", "tandem_b", "outsider"])
def test_only_site_admins_deactivate(client_as, personas, tandem_a, who):
    assert client_as(who).post(deactivate_url(tandem_a)).status_code == 404
    tandem_a.refresh_from_db()
    assert tandem_a.is_active


def test_account_list_finds_by_name_and_links_deactivation(client_as, personas, tandem_a):
    page = client_as("admin").get(reverse("account_list"), {"q": "ahorn"})
    body = page.content.decode()
    assert "anna.ahorn@example.org" in body
    assert "bernd.buche@example.org" not in body
    assert deactivate_url(tandem_a) in body


def test_account_list_heads_the_accounts_state_status(client_as, personas, tandem_a):
    """Not "Bundesland", the translation of a municipality's "State"."""
    client = client_as("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    body = client.get(reverse("account_list"), {"q": "ahorn"}).content.decode()
    assert '<th scope="col" class="kern-table__header">Status</th>' in body
    assert "Bundesland" not in body
    assert 'data-label="Status"' in body and 'data-label="E-Mail-Adresse"' in body

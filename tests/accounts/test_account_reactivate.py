"""Site administrators reactivate a deactivated account in the browser: audited like the
deactivation, the person logs in again with their roles; nobody else may."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind
from accounts.services import account_deactivate
from labs.models import LabMembership

from ..conftest import make_client
from ..helpers import text
from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def reactivate_url(user) -> str:
    return reverse("account_reactivate", args=[user.pk])


def test_admin_reactivates_an_account_and_the_person_logs_in_again(client_as, admin, person):
    account_deactivate(account=person, by=admin)
    browser = make_client()
    browser.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert browser.get(reverse("my_events")).status_code == 302  # deactivated: not logged in

    listing = client_as("admin").get(reverse("account_list"), {"q": person.email})
    assert reactivate_url(person) in listing.content.decode()
    assert reverse("account_deactivate", args=[person.pk]) not in listing.content.decode()
    page = client_as("admin").get(reactivate_url(person))
    assert "Pat Person" in text(page)
    response = client_as("admin").post(reactivate_url(person))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_list")
    person.refresh_from_db()
    assert person.is_active
    event = AuditEvent.objects.get(kind=AuditKind.ACCOUNT_ACTIVATED, target=person.email)
    assert event.actor == admin
    browser.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert browser.get(reverse("my_events")).status_code == 200


def test_roles_stay_through_deactivation_and_reactivation(client_as, admin, personas, lab_x):
    funder = personas["funder"]
    roles = list(LabMembership.objects.filter(user=funder).values_list("lab_id", "role"))
    assert roles
    client_as("admin").post(reverse("account_deactivate", args=[funder.pk]))
    client_as("admin").post(reactivate_url(funder))
    funder.refresh_from_db()
    assert funder.is_active
    assert list(LabMembership.objects.filter(user=funder).values_list("lab_id", "role")) == roles
    assert funder.has_perm("labs.view_lab_reports", lab_x)


def test_an_active_account_is_left_alone(client_as, admin, person):
    page = client_as("admin").get(reactivate_url(person))
    assert "This account is active." in text(page)
    assert client_as("admin").post(reactivate_url(person)).status_code == 302
    assert not AuditEvent.objects.filter(kind=AuditKind.ACCOUNT_ACTIVATED).exists()


@pytest.mark.parametrize("who", ["coordinator", "funder", "tandem_b", "outsider"])
def test_only_site_admins_reactivate(client_as, admin, personas, tandem_a, who):
    account_deactivate(account=tandem_a, by=admin)
    assert client_as(who).get(reactivate_url(tandem_a)).status_code == 404
    assert client_as(who).post(reactivate_url(tandem_a)).status_code == 404
    tandem_a.refresh_from_db()
    assert not tandem_a.is_active

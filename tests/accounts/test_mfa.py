"""Two-factor authentication required for coordinators and administrators (config/mfa.py) when
MFA_REQUIRED_FOR_PRIVILEGED is on (production); the demo's login page says it is off."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests.conftest import make_client
from tests.helpers import text

from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db
PASSWORD = "ein-sehr-langes-passwort"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    return settings


def _password_login(client, user) -> None:
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_privileged_people_without_an_authenticator_are_sent_to_set_one_up(
    required, client_as, cohort_x, persona
):
    client = client_as(persona)
    dashboard = reverse("cohort_dashboard", args=[cohort_x.lab.slug, cohort_x.slug])
    for url in ("/", dashboard, reverse("calendar_settings")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ACTIVATE
    page = client.get(ACTIVATE, follow=True)  # the activation asks for the password first
    assert page.status_code == 200
    assert "requires two-factor authentication" in text(page)


def test_staff_without_superuser_rights_are_privileged_too(required, personas):
    staff = personas["outsider"]
    staff.is_staff = True
    staff.save()
    response = make_client(staff).get("/")
    assert response.status_code == 302 and response["Location"] == ACTIVATE


@pytest.mark.parametrize("persona", ["tandem_a", "funder", "expert", "outsider"])
def test_other_roles_are_not_asked(required, client_as, persona):
    assert client_as(persona).get("/").status_code == 200


def test_a_coordinator_with_an_authenticator_passes(required, client_as, personas, cohort_x):
    TOTP.activate(personas["coordinator"], generate_totp_secret())
    client = client_as("coordinator")
    dashboard = reverse("cohort_dashboard", args=[cohort_x.lab.slug, cohort_x.slug])
    assert client.get(dashboard).status_code == 200


def test_recovery_codes_alone_are_not_enough(required, client_as, personas):
    Authenticator.objects.create(
        user=personas["coordinator"], type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    assert client_as("coordinator").get("/")["Location"] == ACTIVATE


def test_not_required_by_default(client_as, personas, cohort_x):
    from django.conf import settings

    assert settings.MFA_REQUIRED_FOR_PRIVILEGED is False
    dashboard = reverse("cohort_dashboard", args=[cohort_x.lab.slug, cohort_x.slug])
    assert client_as("coordinator").get(dashboard).status_code == 200
    assert client_as("admin").get("/").status_code == 200


def test_what_stays_reachable_without_an_authenticator(required, client_as):
    client = client_as("coordinator")
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.get("/static/css/innolab.css").status_code == 200
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    reauth = client.get(ACTIVATE)
    assert reauth.status_code == 302
    assert reauth["Location"].startswith(reverse("account_reauthenticate"))  # not a loop
    assert client.get(reauth["Location"]).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_is_redirected_by_htmx(required, client_as):
    response = client_as("coordinator").get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == ACTIVATE


def test_a_coordinator_sets_up_totp_and_then_works(required, personas, cohort_x):
    coordinator = personas["coordinator"]
    client = make_client()
    _password_login(client, coordinator)
    dashboard = reverse("cohort_dashboard", args=[cohort_x.lab.slug, cohort_x.slug])
    assert client.get(dashboard)["Location"] == ACTIVATE
    reauth = client.get(ACTIVATE)["Location"]
    client.post(reauth, {"password": PASSWORD})
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(ACTIVATE, {"code": _totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    # the recovery codes are shown right after, still inside the set-up flow
    assert client.get(response["Location"]).status_code == 200
    assert client.get(dashboard).status_code == 200


# --- the login page of the demo ----------------------------------------------------------------

NOTE = "This demo does not require two-factor authentication for coordinators"


def test_demo_login_page_says_mfa_is_not_required(settings):
    settings.DEMO_MODE = True
    settings.MFA_REQUIRED_FOR_PRIVILEGED = False
    page = make_client().get(reverse("account_login"))
    assert NOTE in text(page)
    assert 'id="demo-mfa-note"' in text(page)


@pytest.mark.parametrize("demo, required_", [(True, True), (False, False), (False, True)])
def test_no_demo_note_otherwise(settings, demo, required_):
    settings.DEMO_MODE = demo
    settings.MFA_REQUIRED_FOR_PRIVILEGED = required_
    assert NOTE not in text(make_client().get(reverse("account_login")))

"""Re-authentication before security changes, password rules and the rate-limit cache.

What allauth enforces with ACCOUNT_REAUTHENTICATION_REQUIRED: adding (or removing) an e-mail
address and setting up or removing two-factor authentication need a password confirmation from
the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (300) — logging in does not count; changing the
password needs the current password in the same form. Time is moved with time-machine.
"""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from config.settings import base
from tests.conftest import make_client
from tests.helpers import text

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
REAUTH = reverse("account_reauthenticate")


def logged_in(user):
    client = make_client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def asks_to_reauthenticate(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        (REAUTH, reverse("mfa_reauthenticate"))
    )


def add_email(client, address):
    return client.post(reverse("account_email"), {"email": address, "action_add": ""})


# --- e-mail --------------------------------------------------------------------------------------


def test_adding_an_email_address_needs_a_fresh_password(person):
    with time_machine.travel(START, tick=False) as clock:
        client = logged_in(person)
        response = add_email(client, "zweite@example.org")
        assert asks_to_reauthenticate(response)  # a login alone is not a confirmation
        assert not EmailAddress.objects.filter(email="zweite@example.org").exists()

        wrong = client.post(response["Location"], {"password": "falsch-falsch-falsch"})
        assert wrong.status_code == 200
        assert not EmailAddress.objects.filter(email="zweite@example.org").exists()

        client.post(response["Location"], {"password": PASSWORD})  # resumes the request
        assert EmailAddress.objects.filter(user=person, email="zweite@example.org").exists()

        clock.shift(299)
        assert not asks_to_reauthenticate(add_email(client, "dritte@example.org"))
        clock.shift(2)  # now 301 seconds after the confirmation
        assert asks_to_reauthenticate(add_email(client, "vierte@example.org"))
        assert not EmailAddress.objects.filter(email="vierte@example.org").exists()


def test_removing_an_email_address_needs_a_fresh_password(person):
    EmailAddress.objects.create(user=person, email="alt@example.org", verified=True)
    client = logged_in(person)
    response = client.post(
        reverse("account_email"), {"email": "alt@example.org", "action_remove": ""}
    )
    assert asks_to_reauthenticate(response)
    assert EmailAddress.objects.filter(email="alt@example.org").exists()


# --- password ------------------------------------------------------------------------------------


def change_password(client, old, new):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": old, "password1": new, "password2": new},
    )


def test_changing_the_password_needs_the_current_one(person):
    with time_machine.travel(START, tick=False) as clock:
        client = logged_in(person)
        clock.shift(20 * 60)  # long after the login, still within the idle limit
        page = client.get(reverse("account_change_password"))
        assert 'name="oldpassword"' in text(page)
        new = "ganz-neues-passwort-2026"
        response = change_password(client, "falsch-falsch-falsch", new)
        assert response.status_code == 200
        person.refresh_from_db()
        assert person.check_password(PASSWORD)
        response = change_password(client, PASSWORD, new)
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.check_password(new)


# --- two-factor authentication -------------------------------------------------------------------


def test_setting_up_totp_needs_a_fresh_password(person):
    activate = reverse("mfa_activate_totp")
    with time_machine.travel(START, tick=False) as clock:
        client = logged_in(person)
        assert asks_to_reauthenticate(client.get(activate))
        client.post(REAUTH, {"password": PASSWORD})
        assert client.get(activate).status_code == 200
        clock.shift(301)
        assert asks_to_reauthenticate(client.get(activate))


def test_removing_totp_needs_a_fresh_confirmation(person):
    TOTP.activate(person, generate_totp_secret())
    client = make_client(person)  # as after a complete login with password and code
    response = client.get(reverse("mfa_deactivate_totp"))
    assert asks_to_reauthenticate(response)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert asks_to_reauthenticate(response)
    assert person.authenticator_set.filter(type="totp").exists()


# --- password rules (the invitation form's are in tests/labs/test_views.py) ----------------------


@pytest.mark.parametrize(
    "new, message",
    [
        ("elf-zeichen", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("pat.person.example", "The password is too similar to the"),
    ],
)
def test_the_password_change_form_refuses_weak_passwords(person, new, message):
    client = logged_in(person)
    response = change_password(client, PASSWORD, new)
    assert response.status_code == 200
    assert message in text(response)
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_twelve_characters_are_enough(person):
    client = logged_in(person)
    assert change_password(client, PASSWORD, "zwoelf-Zeich").status_code == 302


def test_passwords_are_stored_with_argon2(person, settings):
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # production's hashers; the tests' fast MD5 one last, only to read the fixture's hash
    settings.PASSWORD_HASHERS = [*base.PASSWORD_HASHERS, *settings.PASSWORD_HASHERS]
    client = logged_in(person)  # a login upgrades the MD5 hash of the fixture to argon2
    person.refresh_from_db()
    assert person.password.startswith("argon2$argon2id$")
    assert change_password(client, PASSWORD, "ganz-neues-passwort-2026").status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2$argon2id$")
    assert person.check_password("ganz-neues-passwort-2026")


# --- rate limits need a real cache ----------------------------------------------------------------


def test_the_rate_limit_cache_is_a_real_one():
    backend = settings.CACHES["default"]["BACKEND"]
    assert "DummyCache" not in backend
    cache.set("innolab-test-probe", 42, 30)
    assert cache.get("innolab-test-probe") == 42  # tests/accounts/test_auth.py: limits bite

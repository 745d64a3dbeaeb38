"""allauth flows as a person uses them: e-mail login, verification, reset, rate limit, TOTP."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db
PASSWORD = "ein-sehr-langes-passwort"


def _user(email="person@example.org", verified=True):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, name="Pat Person")
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_login_with_email_and_password(client):
    user = _user()
    response = _login(client, "PERSON@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_gives_a_message_and_no_session(client):
    _user()
    response = _login(client, "person@example.org", "falsch-falsch-falsch")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "leider falsch" in response.content.decode()


def test_unverified_address_must_be_confirmed_first(client):
    _user(verified=False)
    response = _login(client, "person@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="person@example.org").verified


def test_password_reset_by_email(client):
    _user()
    response = client.post("/accounts/password/reset/", {"email": "person@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert path, mail.outbox[0].body
    response = client.get(path.group(1))
    assert response.status_code == 302  # allauth moves the key into the session
    new = "ein-neues-langes-passwort"
    response = client.post(response["Location"], {"password1": new, "password2": new})
    assert response.status_code == 302
    assert get_user_model().objects.get(email="person@example.org").check_password(new)


def test_password_reset_rejects_a_short_password(client):
    _user()
    client.post("/accounts/password/reset/", {"email": "person@example.org"})
    path = re.search(r"(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    key_page = client.get(path)["Location"]
    response = client.post(key_page, {"password1": "kurz123", "password2": "kurz123"})
    assert response.status_code == 200
    assert get_user_model().objects.get(email="person@example.org").check_password(PASSWORD)


def test_failed_logins_are_rate_limited(client):
    _user()
    for _ in range(5):
        assert _login(client, "person@example.org", "falsch-falsch-falsch").status_code == 200
    # Even the right password is refused now, with a message instead of a session.
    response = _login(client, "person@example.org")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    text = response.content.decode()
    assert "Zu viele" in text or "Too many" in text


def test_totp_two_factor_authentication(client):
    user = _user()
    _login(client, "person@example.org")
    response = client.get("/accounts/2fa/totp/activate/")
    # Changing security settings asks for the password again.
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    response = client.post("/accounts/2fa/totp/activate/", {"code": _totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)

    client.post("/accounts/logout/")
    response = _login(client, "person@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone is not enough

    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    code = recovery.wrap().get_unused_codes()[0]
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_public_sign_up_is_closed(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "fremd@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not get_user_model().objects.filter(email="fremd@example.org").exists()
    assert response.status_code == 200

"""Session limits (core/sessions.py) and the end of every session of a deactivated account
(accounts/signals.py, allauth.usersessions). Time is moved with time-machine, never slept."""

import datetime as dt

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.conftest import make_client
from tests.helpers import text

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
MINUTE = 60


@pytest.fixture(autouse=True)
def _production_write_interval(settings):
    settings.SESSION_ACTIVITY_WRITE_INTERVAL = 60  # config/settings/test.py sets an hour


def log_in(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, text(response)
    assert client.session["_auth_user_id"] == str(user.pk)


def is_logged_in(client) -> bool:
    """A page that needs a login answers 200 (and not a redirect to the login page)."""
    return client.get(reverse("account_email")).status_code == 200


def test_idle_for_29_minutes_stays_logged_in(person):
    with time_machine.travel(START, tick=False) as clock:
        client = make_client()
        log_in(client, person)
        clock.shift(29 * MINUTE)
        assert is_logged_in(client)
        clock.shift(29 * MINUTE)  # counted from the last request, not from the login
        assert is_logged_in(client)


def test_idle_for_31_minutes_logs_out_with_a_message(person):
    with time_machine.travel(START, tick=False) as clock:
        client = make_client()
        log_in(client, person)
        clock.shift(31 * MINUTE)
        response = client.get(reverse("account_email"), follow=True)
        assert response.redirect_chain[0][0].startswith(reverse("account_login"))
        assert "logged out after 30 minutes without activity" in text(response)
        assert "_auth_user_id" not in client.session
        assert not is_logged_in(client)


def test_twelve_hours_after_the_login_the_session_ends_however_active(person):
    with time_machine.travel(START, tick=False) as clock:
        client = make_client()
        log_in(client, person)
        for _ in range(35):  # a request every 20 minutes: 11 hours 40 minutes
            clock.shift(20 * MINUTE)
            assert is_logged_in(client)
        clock.shift(21 * MINUTE)  # 12 hours and 1 minute after the login
        response = client.get(reverse("account_email"), follow=True)
        assert "logged out 12 hours after logging in" in text(response)
        assert "_auth_user_id" not in client.session


def test_a_new_login_starts_both_limits_again(person):
    with time_machine.travel(START, tick=False) as clock:
        client = make_client()
        log_in(client, person)
        clock.shift(31 * MINUTE)
        assert not is_logged_in(client)
        log_in(client, person)
        clock.shift(29 * MINUTE)
        assert is_logged_in(client)


def test_a_session_made_without_the_login_form_is_limited_too(person):
    """force_login (and the invitation's login) go through Django's login(): limits apply."""
    with time_machine.travel(START, tick=False) as clock:
        client = make_client(person)
        assert is_logged_in(client)
        clock.shift(31 * MINUTE)
        assert not is_logged_in(client)


def test_anonymous_visitors_are_not_affected():
    with time_machine.travel(START, tick=False) as clock:
        client = make_client()
        assert client.get("/").status_code == 200
        clock.shift(13 * 60 * MINUTE)
        response = client.get("/")
        assert response.status_code == 200
        assert "logged out" not in text(response)


# --- deactivation ends every session -----------------------------------------------------------


def test_deactivating_an_account_ends_all_its_sessions(person):
    laptop, phone = make_client(), make_client()
    log_in(laptop, person)
    log_in(phone, person)
    assert is_logged_in(laptop) and is_logged_in(phone)
    keys = set(UserSession.objects.filter(user=person).values_list("session_key", flat=True))
    assert keys == {laptop.session.session_key, phone.session.session_key}

    person.is_active = False
    person.save()

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=person).exists()
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)


def test_a_login_by_accepting_an_invitation_is_recorded_and_ended_too(pending_invitation):
    client = make_client()
    url = reverse("invitation_accept", args=[pending_invitation.token])
    password = "Kastanienallee-2025!"
    response = client.post(url, {"name": "Nele Neu", "password1": password, "password2": password})
    assert response.status_code == 302
    user = get_user_model().objects.get(email=pending_invitation.email)
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()
    assert is_logged_in(client)
    user.is_active = False
    user.save()
    assert not is_logged_in(client)
    assert not UserSession.objects.filter(user=user).exists()


def test_deactivating_in_the_django_admin_ends_the_sessions(person, admin):
    client = make_client()
    log_in(client, person)
    assert is_logged_in(client)
    administrator = make_client(admin)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = administrator.get(url)
    assert page.status_code == 200
    joined = person.date_joined.astimezone(dt.timezone(dt.timedelta(hours=1)))
    response = administrator.post(
        url,
        {
            "email": person.email,
            "name": person.name,
            # is_active left out: the box is unchecked
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
            "_save": "Save",
        },
    )
    assert response.status_code == 302, text(response)
    person.refresh_from_db()
    assert not person.is_active
    assert not is_logged_in(client)
    assert not UserSession.objects.filter(user=person).exists()


def test_saving_an_active_account_keeps_its_sessions(person):
    client = make_client()
    log_in(client, person)
    person.name = "Pat Neu"
    person.save()
    assert is_logged_in(client)


def test_a_person_sees_and_ends_their_other_sessions(person):
    laptop, phone = make_client(), make_client()
    log_in(laptop, person)
    log_in(phone, person)
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert UserSession.objects.filter(user=person).count() == 2
    response = laptop.post(reverse("usersessions_list"))  # "log out other sessions"
    assert response.status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)

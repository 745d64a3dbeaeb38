"""Registering and declining: capacity, the waiting list and its order, promotion when a seat
frees up, guests, cancelled and past events, and capacity under concurrent registrations."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from events import services
from events.models import EventRegistration, RegistrationStatus
from events.services import RegistrationRefused

from ..factories import CohortFactory, ParticipationFactory, TandemMemberFactory, UserFactory
from ..helpers import text
from .test_events_planning import MAILS, make_event

REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED
DECLINED = RegistrationStatus.DECLINED


@pytest.fixture(autouse=True)
def _english():
    """The services' refusals are asserted in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def notified(monkeypatch):
    calls = []
    for function, name in MAILS.items():
        monkeypatch.setattr(
            services, function, lambda _name=name, **kwargs: calls.append((_name, *kwargs.values()))
        )
    return calls


@pytest.fixture
def five_people(world):
    """Five members of Ahornstadt's tandem, invited to a workshop with two seats."""
    people = [
        TandemMemberFactory(participation=world["participation_a"], user=UserFactory()).user
        for _ in range(5)
    ]
    event = make_event(world["lab_x"], [world["cohort_x"]], capacity=2)
    services.event_invite(event=event, users=people)
    return event, people


def _status(event, user) -> str:
    return EventRegistration.objects.get(event=event, user=user).status


def test_registration_fills_the_seats_then_the_waiting_list(five_people, notified):
    event, people = five_people
    answers = [services.event_respond(event=event, user=u, answer="register") for u in people[:4]]

    assert [r.status for r in answers] == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
    assert answers[2].waitlisted_at < answers[3].waitlisted_at
    assert all(r.responded_at for r in answers)
    # registering twice changes nothing
    again = services.event_respond(event=event, user=people[2], answer="register")
    assert again.status == WAITLISTED and again.waitlisted_at == answers[2].waitlisted_at


def test_a_decline_promotes_the_first_on_the_waiting_list(five_people, notified):
    event, people = five_people
    for user in people[:4]:
        services.event_respond(event=event, user=user, answer="register")
    notified.clear()

    services.event_respond(event=event, user=people[0], answer="decline")

    assert [_status(event, u) for u in people[:4]] == [DECLINED, REGISTERED, REGISTERED, WAITLISTED]
    promoted = EventRegistration.objects.get(event=event, user=people[2])
    assert promoted.waitlisted_at is None
    assert notified == [("promoted", promoted.pk)]
    # leaving the waiting list frees no seat and promotes nobody
    services.event_respond(event=event, user=people[3], answer="decline")
    assert _status(event, people[3]) == DECLINED
    assert notified == [("promoted", promoted.pk)]
    # whoever declined may register again: a seat is free only if somebody leaves
    assert services.event_respond(event=event, user=people[0], answer="register").status == (
        WAITLISTED
    )


def test_more_seats_promote_the_waiting_list_in_order(five_people, notified):
    event, people = five_people
    for user in people:
        services.event_respond(event=event, user=user, answer="register")

    services.event_update(event=event, capacity=3)
    assert [_status(event, u) for u in people] == [REGISTERED] * 3 + [WAITLISTED] * 2
    services.event_update(event=event, capacity=None)
    assert [_status(event, u) for u in people] == [REGISTERED] * 5
    assert [name for name, _ in notified].count("promoted") == 3


def test_a_cancelled_event_refuses_registration(client_as, personas, five_people, notified):
    event, people = five_people
    services.event_respond(event=event, user=people[0], answer="register")
    services.event_cancel(event=event)

    with pytest.raises(RegistrationRefused, match="cancelled"):
        services.event_respond(event=event, user=people[1], answer="register")
    assert _status(event, people[1]) == RegistrationStatus.INVITED

    response = client_as(people[1]).post(
        reverse("event_respond", args=[event.lab.slug, event.pk]),
        {"answer": "register"},
        follow=True,
    )
    assert "This event was cancelled; you cannot register for it." in text(response)
    assert _status(event, people[1]) == RegistrationStatus.INVITED
    assert "registration is closed" in text(response)  # and no Register button
    assert 'value="register"' not in text(response)


def test_a_past_event_refuses_registration(world, personas):
    event = make_event(world["lab_x"], [world["cohort_x"]], days=-1)
    services.event_invite(event=event, participations=[world["participation_a"]])
    with pytest.raises(RegistrationRefused, match="over"):
        services.event_respond(event=event, user=personas["tandem_a"], answer="register")


def test_register_and_decline_through_the_event_page(client_as, personas, world, notified):
    event = make_event(world["lab_x"], [world["cohort_x"]], capacity=5)
    services.event_invite(event=event, participations=[world["participation_a"]])
    url = reverse("event_detail", args=[event.lab.slug, event.pk])
    respond = reverse("event_respond", args=[event.lab.slug, event.pk])
    client = client_as("tandem_a")

    page = text(client.get(url))
    assert "Your registration" in page and 'value="register"' in page

    response = client.post(respond, {"answer": "register"}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "You are registered." in text(response)
    assert _status(event, personas["tandem_a"]) == REGISTERED
    assert "Cancel my registration" in text(response)

    client.post(respond, {"answer": "decline"})
    assert _status(event, personas["tandem_a"]) == DECLINED
    for nonsense in ({}, {"answer": "maybe"}, {"answer": "x" * 500}):
        response = client.post(respond, nonsense, follow=True)
        assert "Please choose whether you register or decline." in text(response)
    assert _status(event, personas["tandem_a"]) == DECLINED


def test_people_not_invited_cannot_register_unless_guests_are_welcome(
    client_as, personas, world, lab_x
):
    kohorte_2 = CohortFactory(lab=lab_x, slug="kohorte-2")
    ParticipationFactory(cohort=kohorte_2)
    closed = make_event(lab_x, [kohorte_2])
    with pytest.raises(RegistrationRefused, match="not invited"):
        services.event_respond(event=closed, user=personas["tandem_a"], answer="register")
    # tandem A cannot even see it
    assert client_as("tandem_a").get(
        reverse("event_detail", args=[lab_x.slug, closed.pk])
    ).status_code == (404)

    open_event = make_event(lab_x, [kohorte_2], open_to_guests=True, title="Offenes Netzwerk")
    url = reverse("event_detail", args=[lab_x.slug, open_event.pk])
    assert "open to guests from the whole lab: you may register yourself" in text(
        client_as("tandem_a").get(url)
    )
    client_as("tandem_a").post(
        reverse("event_respond", args=[lab_x.slug, open_event.pk]), {"answer": "register"}
    )
    guest = EventRegistration.objects.get(event=open_event, user=personas["tandem_a"])
    assert guest.status == REGISTERED
    assert guest.participation == world["participation_a"]  # their one municipality in the lab
    # a role holder of the lab joins without a municipality; a declining stranger is refused
    services.event_respond(event=open_event, user=personas["funder"], answer="register")
    assert (
        EventRegistration.objects.get(event=open_event, user=personas["funder"]).participation_id
        is None
    )
    with pytest.raises(RegistrationRefused):
        services.event_respond(event=open_event, user=personas["tandem_b"], answer="decline")
    with pytest.raises(RegistrationRefused):
        services.event_respond(event=open_event, user=personas["coordinator_y"], answer="register")


@pytest.mark.django_db(transaction=True)
def test_ten_people_registering_at_once_for_five_seats(world, monkeypatch):
    assert connection.vendor == "postgresql", "the row lock is what this test is about"
    counted = services._has_seat

    def slow_has_seat(*args, **kwargs):
        # widen the window between counting the seats and taking one, where a race would strike
        answer = counted(*args, **kwargs)
        time.sleep(0.05)
        return answer

    monkeypatch.setattr(services, "_has_seat", slow_has_seat)
    people = [
        TandemMemberFactory(participation=world["participation_a"], user=UserFactory()).user
        for _ in range(10)
    ]
    event = make_event(world["lab_x"], [world["cohort_x"]], capacity=5)
    services.event_invite(event=event, users=people)
    start = threading.Barrier(len(people))
    errors = []

    def register(user):
        try:
            start.wait(timeout=10)
            services.event_respond(event=event, user=user, answer="register")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(u,)) for u in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    statuses = list(EventRegistration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(REGISTERED) == 5
    assert statuses.count(WAITLISTED) == 5

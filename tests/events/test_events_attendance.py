"""After the event: the attendance sheet for many people, the outcomes, and the cohort dashboard's
"events attended / invited" per municipality."""

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import AttendanceStatus, EventRegistration

from ..factories import ParticipationFactory, TandemMemberFactory, UserFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_events_planning import make_event

PRESENT, EXCUSED, ABSENT = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


def _attendance_url(event) -> str:
    return reverse("event_attendance", args=[event.lab.slug, event.pk])


def _invite_people(event, participation, n: int) -> list:
    users = [
        TandemMemberFactory(participation=participation, user=UserFactory()).user for _ in range(n)
    ]
    services.event_invite(event=event, users=users)
    return users


@pytest.fixture
def past_workshop(world, personas):
    event = make_event(world["lab_x"], [world["cohort_x"]], days=-1)
    services.event_invite(
        event=event, participations=[world["participation_a"], world["participation_b"]]
    )
    return event


def _attendance(event) -> dict:
    return {r.user.email: r.attendance for r in event.registrations.select_related("user")}


def test_attendance_sheet_has_one_radio_group_per_person(client_as, past_workshop):
    response = client_as("coordinator").get(_attendance_url(past_workshop))

    body = text(response)
    assert "Anna Ahorn" in body and "Bernd Buche" in body
    assert "Attendance of Anna Ahorn" in body  # each group's legend names the person
    for value in ("present", "excused", "absent"):
        assert body.count(f'value="{value}"') == 2
    # nothing recorded yet: "not recorded" is checked, so every group is sent with the form
    assert len(re.findall(r'<input type="radio"[^>]*value=""[^>]*\bchecked', body)) == 2


def test_recording_attendance_saves_every_mark_in_one_go(client_as, past_workshop):
    a, b = (past_workshop.registrations.get(user__email=e) for e in _emails())
    response = client_as("coordinator").post(
        _attendance_url(past_workshop),
        {f"attendance-{a.pk}": "present", f"attendance-{b.pk}": "excused"},
        follow=True,
    )
    assert "Attendance saved (2 changes)." in text(response)
    assert _attendance(past_workshop) == {_emails()[0]: PRESENT, _emails()[1]: EXCUSED}

    # a group not sent leaves the mark alone; "" clears it
    client_as("coordinator").post(_attendance_url(past_workshop), {f"attendance-{a.pk}": ""})
    assert _attendance(past_workshop) == {_emails()[0]: "", _emails()[1]: EXCUSED}


def _emails():
    return ["anna.ahorn@example.org", "bernd.buche@example.org"]


def test_bad_marks_change_nothing(client_as, past_workshop, world):
    a, b = (past_workshop.registrations.get(user__email=e) for e in _emails())
    other_event = make_event(world["lab_x"], [world["cohort_x"]], days=-3)
    (stranger,) = _invite_people(other_event, world["participation_a"], 1)
    foreign = other_event.registrations.get(user=stranger)

    response = client_as("coordinator").post(
        _attendance_url(past_workshop),
        {f"attendance-{a.pk}": "present", f"attendance-{b.pk}": "maybe"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    # a registration of another event in the form is ignored, never touched
    client_as("coordinator").post(
        _attendance_url(past_workshop), {f"attendance-{foreign.pk}": "present"}
    )
    assert set(_attendance(past_workshop).values()) == {""}
    assert EventRegistration.objects.get(pk=foreign.pk).attendance == ""


def test_a_cancelled_event_has_no_attendance(client_as, past_workshop):
    services.event_cancel(event=past_workshop)
    a = past_workshop.registrations.first()
    response = client_as("coordinator").post(
        _attendance_url(past_workshop), {f"attendance-{a.pk}": "present"}
    )
    assert response.status_code == 200
    assert "there is no attendance to record" in text(response)
    assert set(_attendance(past_workshop).values()) == {""}


def test_attendance_sheet_for_sixty_people_needs_constant_queries(
    client_as, personas, past_workshop, world
):
    url = _attendance_url(past_workshop)
    client = client_as("coordinator")
    assert_constant_queries(
        client, url, lambda: _invite_people(past_workshop, world["participation_a"], 60)
    )
    registrations = list(past_workshop.registrations.all())
    assert len(registrations) == 62
    # saving all 62 marks at once: a fixed number of queries as well
    small = make_event(world["lab_x"], [world["cohort_x"]], days=-2)
    few = _invite_people(small, world["participation_b"], 2)
    counts = []
    for event, regs in ((small, list(small.registrations.all())), (past_workshop, registrations)):
        data = {f"attendance-{r.pk}": PRESENT for r in regs}
        with CaptureQueriesContext(connections["default"]) as queries:
            response = client.post(_attendance_url(event), data)
        assert response.status_code == 302
        counts.append(len(queries.captured_queries))
    assert counts[1] <= counts[0], counts
    assert set(_attendance(past_workshop).values()) == {PRESENT}
    assert len(few) == 2


def test_outcomes_are_written_and_shown(client_as, personas, past_workshop):
    url = reverse("event_outcomes", args=[past_workshop.lab.slug, past_workshop.pk])
    response = client_as("coordinator").post(
        url, {"outcomes": "Drei Leitziele vereinbart.\nNächster Termin im Mai."}
    )
    assert response.status_code == 302
    past_workshop.refresh_from_db()
    assert past_workshop.outcomes.startswith("Drei Leitziele")
    detail = client_as("tandem_a").get(
        reverse("event_detail", args=[past_workshop.lab.slug, past_workshop.pk])
    )
    assert "Drei Leitziele vereinbart." in text(detail)
    assert client_as("tandem_a").post(url, {"outcomes": "x"}).status_code == 403


# --- the cohort dashboard --------------------------------------------------------------------


def _dashboard(cohort) -> str:
    return reverse("cohort_dashboard", args=[cohort.lab.slug, cohort.slug])


def _mark(event, user, value):
    registration = event.registrations.get(user=user)
    services.attendance_record(event=event, marks={registration.pk: value})


def test_dashboard_counts_events_attended_out_of_invited(client_as, personas, world):
    """By hand: Ahornstadt was invited to E1, E2, E4 (E3 was cancelled) and was present at E1
    (two members: still one event) and E4; Buchenfeld was invited to E1 only and absent."""
    lab, cohort = world["lab_x"], world["cohort_x"]
    a, b = world["participation_a"], world["participation_b"]
    tandem_a, tandem_b = personas["tandem_a"], personas["tandem_b"]
    second_a = TandemMemberFactory(participation=a, user=UserFactory()).user
    e1, e2, e3, e4 = (make_event(lab, [cohort], days=-d, title=f"E{d}") for d in (40, 30, 20, 10))
    services.event_invite(event=e1, participations=[a, b])
    services.event_invite(event=e2, participations=[a])
    services.event_invite(event=e3, participations=[a])
    services.event_invite(event=e4, users=[tandem_a])  # by name: counts for Ahornstadt too
    _mark(e1, tandem_a, PRESENT)
    _mark(e1, second_a, PRESENT)
    _mark(e1, tandem_b, ABSENT)
    _mark(e2, tandem_a, EXCUSED)
    _mark(e3, tandem_a, PRESENT)
    services.event_cancel(event=e3)
    _mark(e4, tandem_a, PRESENT)
    ParticipationFactory(cohort=cohort)  # a municipality without any event

    response = client_as("coordinator").get(_dashboard(cohort))
    rows = {r.municipality.name: r for r in response.context["table"]["rows"]}
    assert (rows["Ahornstadt"].n_events_attended, rows["Ahornstadt"].n_events_invited) == (2, 3)
    assert (rows["Buchenfeld"].n_events_attended, rows["Buchenfeld"].n_events_invited) == (0, 1)
    others = [r for name, r in rows.items() if name not in ("Ahornstadt", "Buchenfeld")]
    assert [(r.n_events_attended, r.n_events_invited) for r in others] == [(0, 0)]
    body = text(response)
    assert "Events attended / invited" in body
    assert "2 / 3" in body and "0 / 1" in body
    # the tandem figures are unchanged by the extra join
    assert rows["Ahornstadt"].n_members == 2
    assert reverse("cohort_timeline", args=[lab.slug, cohort.slug]) in body
    assert reverse("event_list", args=[lab.slug]) + "?cohort=kohorte-1" in body


def test_dashboard_shows_the_next_event_per_municipality(client_as, personas, world):
    lab, cohort = world["lab_x"], world["cohort_x"]
    soon = make_event(lab, [cohort], days=5)
    make_event(lab, [cohort], days=2)  # not invited: not Ahornstadt's next event
    services.event_invite(event=soon, participations=[world["participation_a"]])
    rows = {
        r.municipality.name: r
        for r in client_as("coordinator").get(_dashboard(cohort)).context["table"]["rows"]
    }
    assert rows["Ahornstadt"].next_event_at == soon.starts_at
    assert rows["Buchenfeld"].next_event_at is None


def test_dashboard_queries_constant_with_events(client_as, personas, world):
    lab, cohort = world["lab_x"], world["cohort_x"]

    def grow():
        for i in range(6):
            event = make_event(lab, [cohort], days=-i - 1, title=f"Treffen {i}")
            services.event_invite(
                event=event, participations=[world["participation_a"], world["participation_b"]]
            )
            for registration in event.registrations.all():
                services.attendance_record(event=event, marks={registration.pk: PRESENT})
            participation = ParticipationFactory(cohort=cohort)
            TandemMemberFactory(participation=participation, user=UserFactory())

    assert_constant_queries(client_as("coordinator"), _dashboard(cohort), grow)

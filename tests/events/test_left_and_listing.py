"""Small fixes of the event pages: attended / invited counts past events only; a municipality
that left its cohort is not invited, has no "next workshop" and shows its status; the capacity
reads "14 / unlimited"; the "Your answer" column only for people who answer."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import services
from events.models import AttendanceStatus
from labs.models import ParticipationStatus

from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_events_planning import make_event

pytestmark = pytest.mark.django_db


def _dashboard_rows(client, cohort) -> dict:
    url = reverse("cohort_dashboard", args=[cohort.lab.slug, cohort.slug])
    return {r.municipality.name: r for r in client.get(url).context["table"]["rows"]}


def _leave(participation) -> None:
    participation.status = ParticipationStatus.LEFT
    participation.save()


def test_attended_of_invited_counts_only_past_events(client_as, personas, world):
    lab, cohort, a = world["lab_x"], world["cohort_x"], world["participation_a"]
    past = make_event(lab, [cohort], days=-3)
    coming = make_event(lab, [cohort], days=3)
    for event in (past, coming):
        services.event_invite(event=event, participations=[a])
    registration = past.registrations.get(user=personas["tandem_a"])
    services.attendance_record(event=past, marks={registration.pk: AttendanceStatus.PRESENT})

    row = _dashboard_rows(client_as("coordinator"), cohort)["Ahornstadt"]

    assert (row.n_events_attended, row.n_events_invited) == (1, 1)  # not 1 / 2


def test_a_municipality_that_left_has_no_next_workshop(client_as, personas, world):
    lab, cohort = world["lab_x"], world["cohort_x"]
    coming = make_event(lab, [cohort], days=3)
    services.event_invite(
        event=coming, participations=[world["participation_a"], world["participation_b"]]
    )
    _leave(world["participation_b"])

    rows = _dashboard_rows(client_as("coordinator"), cohort)

    assert rows["Ahornstadt"].next_event_at == coming.starts_at
    assert rows["Buchenfeld"].next_event_at is None


def test_a_municipality_that_left_is_not_offered_in_invitations(client_as, personas, world):
    lab, cohort = world["lab_x"], world["cohort_x"]
    event = make_event(lab, [cohort], days=3)
    _leave(world["participation_b"])
    url = reverse("event_invite", args=[lab.slug, event.pk])

    page = client_as("coordinator").get(url)

    offered = [p.municipality.name for p in page.context["participations"]]
    assert offered == ["Ahornstadt"]
    assert "Bernd Buche" not in [p["user"].name for p in page.context["people"]]
    # posting it anyway is refused, by the form and by the service
    response = client_as("coordinator").post(url, {"participations": [world["participation_b"].pk]})
    assert response.status_code == 200 and response.context["form"].errors
    with pytest.raises(ValidationError):
        services.event_invite(event=event, participations=[world["participation_b"]])
    assert not event.registrations.exists()


def test_status_left_is_shown_where_the_municipality_is_listed(client_as, personas, world):
    lab, cohort = world["lab_x"], world["cohort_x"]
    event = make_event(lab, [cohort], days=-3)
    services.event_invite(event=event, participations=[world["participation_b"]])
    _leave(world["participation_b"])
    client = client_as("coordinator")
    pages = [
        reverse("lab_people", args=[lab.slug]),
        reverse("municipality_list", args=[lab.slug]),
        reverse("event_detail", args=[lab.slug, event.pk]),
        reverse("event_attendance", args=[lab.slug, event.pk]),
        reverse("cohort_dashboard", args=[lab.slug, cohort.slug]),
        reverse("tandem_edit", args=[lab.slug, cohort.slug, world["participation_b"].pk]),
    ]
    for url in pages:
        assert "status-left" in client.get(url).content.decode(), url
    form = client.get(reverse("invitation_create", args=[lab.slug]))
    assert "Buchenfeld – Kohorte 1 (Left)" in text(form)
    assert "Ahornstadt – Kohorte 1 (" not in text(form)


def test_event_list_shows_unlimited_capacity(client_as, world):
    lab = world["lab_x"]
    make_event(lab, [world["cohort_x"]], days=3, capacity=None)
    make_event(lab, [world["cohort_x"]], days=4, capacity=14, title="Mit Grenze")
    body = text(client_as("coordinator").get(reverse("event_list", args=[lab.slug])))
    assert "0 / unlimited" in body
    assert "0 / 14" in body


def test_event_list_in_german_reads_unbegrenzt(client_as, world):
    lab = world["lab_x"]
    make_event(lab, [world["cohort_x"]], days=3, capacity=None)
    client = client_as("coordinator")
    client.cookies["django_language"] = "de"
    assert "0 / unbegrenzt" in text(client.get(reverse("event_list", args=[lab.slug])))


@pytest.mark.parametrize(
    "who,shown", [("tandem_a", True), ("coordinator", False), ("funder", False)]
)
def test_your_answer_column_only_for_people_who_answer(client_as, personas, world, who, shown):
    lab = world["lab_x"]
    make_event(lab, [world["cohort_x"]], days=3)
    for url in (
        reverse("event_list", args=[lab.slug]),
        reverse("cohort_timeline", args=[lab.slug, world["cohort_x"].slug]),
    ):
        assert ("Your answer" in text(client_as(who).get(url))) is shown, url


def test_your_answer_column_for_a_funder_who_was_invited(client_as, personas, world):
    lab = world["lab_x"]
    event = make_event(lab, [world["cohort_x"]], days=3)
    services.event_invite(event=event, users=[personas["funder"]])
    assert "Your answer" in text(client_as("funder").get(reverse("event_list", args=[lab.slug])))

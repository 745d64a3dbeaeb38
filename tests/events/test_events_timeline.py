"""The cohort's timeline: five phases with dates set by coordinators, the cohort's events on them,
the same as an accessible table, and a calm hint while no phase has dates."""

import datetime as dt

import pytest
from django.urls import reverse

from events import services
from events.models import CohortPhase, PhaseKind

from ..factories import CohortFactory, ParticipationFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_events_planning import kickoff, make_event


def _url(cohort) -> str:
    return reverse("cohort_timeline", args=[cohort.lab.slug, cohort.slug])


def _phase_data(**phases) -> dict:
    data = {}
    for kind in PhaseKind.values:
        start, end = phases.get(kind, ("", ""))
        data[f"{kind}_starts_on"] = start
        data[f"{kind}_ends_on"] = end
    return data


def test_without_phases_the_page_gives_a_calm_hint(client_as, personas, cohort_x):
    coordinator = text(client_as("coordinator").get(_url(cohort_x)))
    assert "have no dates yet. Set them below" in coordinator
    tandem = client_as("tandem_a").get(_url(cohort_x))
    assert "has not set the phases of this cohort yet" in text(tandem)
    assert tandem.context["form"] is None
    assert 'name="setup_starts_on"' not in text(tandem)


def test_coordinator_sets_the_phases_and_the_events_appear_on_them(client_as, personas, world):
    cohort = world["cohort_x"]
    response = client_as("coordinator").post(
        _url(cohort),
        _phase_data(
            setup=("2025-01-01", "2025-01-31"),
            orientation=("2025-02-01", "2025-03-31"),
            mission=("2025-04-01", "2025-06-30"),
            implementation=("2025-07-01", "2025-11-30"),
            transfer=("2025-12-01", "2025-12-31"),
        ),
    )
    assert response.status_code == 302
    assert list(CohortPhase.objects.filter(cohort=cohort).values_list("kind", flat=True)) == [
        "setup",
        "orientation",
        "mission",
        "implementation",
        "transfer",
    ]
    start = dt.datetime(2025, 4, 10, 9, 0, tzinfo=dt.UTC)
    workshop = services.event_create(
        lab=cohort.lab,
        created_by=None,
        cohorts=[cohort],
        type=kickoff(),
        title="Missionswerkstatt",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        place="Rathaus",
    )
    other_cohort = CohortFactory(lab=cohort.lab, slug="kohorte-2")
    make_event(cohort.lab, [other_cohort], title="Nicht diese Kohorte")

    page = client_as("tandem_a").get(_url(cohort))
    body = text(page)
    assert "Missionswerkstatt" in body and "Nicht diese Kohorte" not in body
    # the table lists phases and events in time order: the workshop inside "Mission development"
    rows = page.context["timeline"]["rows"]
    labels = [r["phase"].kind if "phase" in r else r["event"].title for r in rows]
    assert labels == [
        "setup",
        "orientation",
        "mission",
        "Missionswerkstatt",
        "implementation",
        "transfer",
    ]
    bars = page.context["timeline"]["phase_bars"]
    assert bars[0].left == 0 and 99 <= bars[-1].left + bars[-1].width <= 100.01
    (marker,) = page.context["timeline"]["markers"]
    assert bars[2].left <= marker["left"] <= bars[2].left + bars[2].width
    assert reverse("event_detail", args=[cohort.lab.slug, workshop.pk]) in body
    assert "Phase: Mission development" in body


@pytest.mark.parametrize(
    "data,field,message",
    [
        (
            {"mission": ("2025-04-01", "")},
            "mission_ends_on",
            "Please give both dates of the phase, or neither.",
        ),
        (
            {"mission": ("2025-04-01", "2025-03-01")},
            "mission_ends_on",
            "The end must not lie before the start.",
        ),
        ({"setup": ("soon", "2025-01-31")}, "setup_starts_on", None),
    ],
)
def test_invalid_phase_dates_are_refused(client_as, personas, cohort_x, data, field, message):
    CohortPhase.objects.create(
        cohort=cohort_x, kind="setup", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 9)
    )
    response = client_as("coordinator").post(_url(cohort_x), _phase_data(**data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
    # nothing changed, nothing deleted
    assert list(CohortPhase.objects.values_list("kind", "ends_on")) == [
        ("setup", dt.date(2025, 1, 9))
    ]


def test_clearing_a_phase_removes_it(client_as, personas, cohort_x):
    CohortPhase.objects.create(
        cohort=cohort_x, kind="setup", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 9)
    )
    client_as("coordinator").post(
        _url(cohort_x), _phase_data(transfer=("2025-12-01", "2025-12-31"))
    )
    assert list(CohortPhase.objects.values_list("kind", flat=True)) == ["transfer"]


@pytest.mark.parametrize("persona", ["tandem_a", "funder", "expert"])
def test_only_coordinators_set_phases(client_as, personas, cohort_x, persona):
    response = client_as(persona).post(
        _url(cohort_x), _phase_data(setup=("2025-01-01", "2025-01-02"))
    )
    assert response.status_code == 403
    assert not CohortPhase.objects.exists()


def test_the_timeline_shows_only_events_the_viewer_may_see(client_as, personas, world, lab_x):
    """A lab-wide event for another cohort that also names kohorte-1 is visible; tandem A never
    sees the timeline of a cohort it does not belong to."""
    kohorte_2 = CohortFactory(lab=lab_x, slug="kohorte-2")
    ParticipationFactory(cohort=kohorte_2)
    shared = make_event(lab_x, [world["cohort_x"], kohorte_2], title="Netzwerktag")
    body = text(client_as("tandem_a").get(_url(world["cohort_x"])))
    assert "Netzwerktag" in body
    assert client_as("tandem_a").get(_url(kohorte_2)).status_code == 404
    assert "Netzwerktag" in text(client_as("funder").get(_url(kohorte_2)))
    assert shared.pk


def test_timeline_queries_constant(client_as, personas, world):
    cohort = world["cohort_x"]
    CohortPhase.objects.create(
        cohort=cohort, kind="setup", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 2, 1)
    )
    make_event(cohort.lab, [cohort])

    def grow():
        for i, kind in enumerate(PhaseKind.values[1:]):
            CohortPhase.objects.create(
                cohort=cohort,
                kind=kind,
                starts_on=dt.date(2025, 3 + 2 * i, 1),
                ends_on=dt.date(2025, 4 + 2 * i, 1),
            )
        for i in range(12):
            event = make_event(cohort.lab, [cohort], days=i * 10 - 50, title=f"Termin {i}")
            services.event_invite(event=event, participations=[world["participation_a"]])

    for persona in ("coordinator", "tandem_a"):
        CohortPhase.objects.filter(cohort=cohort).exclude(kind="setup").delete()
        assert_constant_queries(client_as(persona), _url(cohort), grow)

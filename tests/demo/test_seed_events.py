"""seed_demo's process data (demo/data/events.yaml): the Hessen Innovationszirkel every half
year, five runs of the Vielfaltsmanager:innen training with 53 trained people, phases that cover
each cohort, attendance only where an event is over, something upcoming, and a second run that
creates nothing."""

import datetime as dt
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone

from demo.events import seed_events
from demo.loader import load
from events.models import (
    AttendanceStatus,
    CohortPhase,
    Event,
    EventMaterial,
    EventRegistration,
    EventType,
    PhaseKind,
    RegistrationStatus,
)
from labs.models import Cohort, Lab, LabMembership, LabRole

from .conftest import NO_PDFS, seeded_world

# one process seeds once (tests/demo/conftest.py)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-events")]

BERLIN = ZoneInfo("Europe/Berlin")
EVENTS = load("events")
HESSEN = EVENTS["training"]["lab"]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", NO_PDFS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the whole module (tests/demo/conftest.py)."""
    with seeded_world(django_db_blocker, tmp_path_factory):
        yield


@pytest.fixture
def seeded(_seeded_once, db):
    """The seeded demo world; each test's changes are rolled back."""


def _counts() -> dict:
    return {
        "events": Event.objects.count(),
        "registrations": EventRegistration.objects.count(),
        "attendance": EventRegistration.objects.exclude(attendance="").count(),
        "phases": CohortPhase.objects.count(),
        "materials": EventMaterial.objects.count(),
        "types": EventType.objects.count(),
        "users": get_user_model().objects.count(),
        "surveys linked": Event.objects.exclude(feedback_survey=None).count(),
    }


def _hessen_training_runs() -> list[Event]:
    return list(
        Event.objects.filter(
            lab__slug=HESSEN,
            type__code="training",
            series=None,
            title__startswith="Ausbildung Vielfaltsmanager:innen",
        ).order_by("starts_at")
    )


def _innovationszirkel_every_half_year():
    meetings = list(
        Event.objects.filter(
            lab__slug=HESSEN, type__code=EVENTS["innovationszirkel"]["type"]["code"]
        )
        .select_related("type")
        .order_by("starts_at")
    )
    assert meetings[0].type.lab.slug == HESSEN  # the lab's own type
    project = [e for e in meetings if e.starts_at.year <= 2022]
    assert len(project) == 5
    for earlier, later in zip(project, project[1:], strict=False):
        gap = (later.starts_at - earlier.starts_at).days
        assert 150 <= gap <= 215, (earlier.title, later.title, gap)
    # each meeting is for the cohorts running at the time, and open to guests
    for meeting in project:
        day = meeting.starts_at.date()
        for cohort in meeting.cohorts.all():
            assert cohort.start_date <= day <= cohort.end_date, (meeting.title, cohort.slug)
        assert meeting.open_to_guests
    # and one lies ahead, with the demo tandem login invited to it
    upcoming = [e for e in meetings if e.starts_at > timezone.now()]
    assert [e.title for e in upcoming] == [EVENTS["innovationszirkel"]["upcoming"]["title"]]
    registration = EventRegistration.objects.get(
        event=upcoming[0], user__email="tandem@demo.innolab.de"
    )
    assert registration.status == RegistrationStatus.INVITED
    assert registration.attendance == ""


def _five_training_runs_with_53_trained_people():
    runs = _hessen_training_runs()
    assert len(runs) == 5
    trained = 0
    for run in runs:
        parts = [run, *run.parts.order_by("starts_at")]
        assert len(parts) == 3, run.title
        day_1, day_2, follow_up = (timezone.localtime(p.starts_at, BERLIN).date() for p in parts)
        assert day_2 - day_1 == dt.timedelta(days=1), "a two-day basic training"
        assert 70 <= (follow_up - day_2).days <= 120, "about three months of practice"
        present = [
            set(
                p.registrations.filter(attendance=AttendanceStatus.PRESENT).values_list(
                    "user_id", flat=True
                )
            )
            for p in parts
        ]
        # whoever completed the follow-up day was there on both days of the basic training
        assert present[2] <= present[0] & present[1]
        trained += len(present[2])
        # the follow-up day asks for feedback in the cohort's training survey
        survey = parts[2].feedback_survey
        assert survey is not None and survey.slug == EVENTS["training"]["feedback_survey"]
        assert survey.cohort in run.cohorts.all()
    assert trained == EVENTS["training"]["trained_total"] == 53
    # per municipality as in the report's chapters, the rest guests from outside the project
    seligenstadt = EventRegistration.objects.filter(
        event__title__contains="Vertiefungstag",
        attendance=AttendanceStatus.PRESENT,
        participation__municipality__name="Seligenstadt",
    )
    assert seligenstadt.count() == 7
    guests = EventRegistration.objects.filter(
        event__title__contains="Vertiefungstag",
        attendance=AttendanceStatus.PRESENT,
        participation=None,
    )
    assert guests.count() == 2
    # the participants cannot log in
    people = get_user_model().objects.filter(email__endswith="@teilnehmende.example.org")
    assert people.count() == 55  # 53 trained and two who did not finish
    assert not any(person.has_usable_password() for person in people)


def _phases_cover_every_cohort_back_to_back():
    for spec in EVENTS["phases"]:
        cohort = Cohort.objects.get(lab__slug=spec["lab"], slug=spec["cohort"])
        phases = list(cohort.phases.order_by("starts_on"))
        assert [p.kind for p in phases] == list(PhaseKind.values), cohort
        assert phases[0].starts_on == cohort.start_date
        assert phases[-1].ends_on == cohort.end_date
        for earlier, later in zip(phases, phases[1:], strict=False):
            assert later.starts_on == earlier.ends_on + dt.timedelta(days=1), cohort


def _events_in_their_cohorts_at_berlin_working_hours():
    now = timezone.now()
    for event in Event.objects.prefetch_related("cohorts"):
        start = timezone.localtime(event.starts_at, BERLIN)
        assert 8 <= start.hour <= 19, (event.title, start)
        if event.starts_at > now:
            continue  # the upcoming ones follow the calendar, not the (past) cohorts
        for cohort in event.cohorts.all():
            assert cohort.start_date <= start.date() <= cohort.end_date, (event.title, cohort)


def _attendance_only_for_events_that_are_over():
    now = timezone.now()
    future = EventRegistration.objects.filter(event__ends_at__gt=now)
    assert future.exists()
    assert not future.exclude(attendance="").exists()
    past = EventRegistration.objects.filter(
        event__ends_at__lt=now, status=RegistrationStatus.REGISTERED
    )
    assert past.exists()
    assert not past.filter(attendance="").exists()
    assert (
        not EventRegistration.objects.filter(status=RegistrationStatus.DECLINED)
        .exclude(attendance="")
        .exists()
    )
    # outcomes are written for the events that are over, not for the upcoming ones
    assert not Event.objects.filter(starts_at__gt=now).exclude(outcomes="").exists()
    assert Event.objects.filter(ends_at__lt=now).exclude(outcomes="").count() >= 20


def _moderation_training_with_nine_municipalities():
    event = Event.objects.get(title__startswith="Moderationsschulung")
    present = event.registrations.filter(attendance=AttendanceStatus.PRESENT)
    assert present.values("participation__municipality").distinct().count() == 9


def _demo_tandem_has_past_and_upcoming_events():
    mine = EventRegistration.objects.filter(user__email="tandem@demo.innolab.de")
    assert mine.filter(event__starts_at__gt=timezone.now()).exists()
    assert mine.filter(event__ends_at__lt=timezone.now()).exclude(attendance="").exists()


def _demo_materials_are_real_files():
    from events import filetypes

    materials = list(EventMaterial.objects.all())
    assert materials
    for material in materials:
        with material.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-")
        assert filetypes.BY_CONTENT_TYPE[material.content_type].extensions == ("pdf",)


# Seeding the whole demo takes ~10 s, so each test below checks several things on one seed.


def test_the_hessen_formats(seeded):
    _innovationszirkel_every_half_year()
    _five_training_runs_with_53_trained_people()
    _moderation_training_with_nine_municipalities()
    _demo_tandem_has_past_and_upcoming_events()


def test_phases_times_attendance_and_materials(seeded):
    _phases_cover_every_cohort_back_to_back()
    _events_in_their_cohorts_at_berlin_working_hours()
    _attendance_only_for_events_that_are_over()
    _demo_materials_are_real_files()


def test_a_second_run_creates_nothing_and_keeps_the_upcoming_event_ahead(seeded):
    before = _counts()
    out = _seed()
    assert _counts() == before
    assert "Created: nothing." in out, out

    event = Event.objects.get(title=EVENTS["innovationszirkel"]["upcoming"]["title"])
    past = timezone.now() - dt.timedelta(days=30)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + dt.timedelta(hours=3))
    before = _counts()
    created, updated = seed_events()
    assert created == {}
    assert updated == {"events": 1}
    assert _counts() == before
    event.refresh_from_db()
    assert event.starts_at > timezone.now()
    assert event.ends_at - event.starts_at == dt.timedelta(hours=3)


def test_the_trained_multipliers_are_participants_of_their_municipality(seeded):
    """The Hessen training's people take part in the lab as participants, tied to the
    municipality they registered for (guests to none); 53 attended every part of a series."""
    hessen = Lab.objects.get(slug=HESSEN)
    people = get_user_model().objects.filter(email__endswith="@teilnehmende.example.org")
    memberships = LabMembership.objects.filter(lab=hessen, role=LabRole.PARTICIPANT)
    assert memberships.filter(user__in=people).count() == people.count() == 55
    tied = dict(memberships.values_list("user_id", "municipality__name"))
    registered = set(
        EventRegistration.objects.filter(user__in=people).values_list(
            "user_id", "participation__municipality__name"
        )
    )
    assert registered == set(tied.items())
    assert sum(1 for name in tied.values() if name is None) == 3  # the guests

    # "people trained": present at every part of a series (Event.series names the first part)
    parts = dict(
        Event.objects.filter(lab=hessen)
        .annotate(first=Coalesce("series_id", "id"))
        .values("first")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("first", "n")
    )
    present = (
        EventRegistration.objects.filter(event__lab=hessen, attendance=AttendanceStatus.PRESENT)
        .annotate(first=Coalesce("event__series_id", "event_id"))
        .values("user_id", "first", "participation__municipality__name")
        .annotate(n=Count("event_id", distinct=True))
    )
    trained = [row for row in present if parts.get(row["first"]) == row["n"]]
    assert len(parts) == 5
    assert len({row["user_id"] for row in trained}) == 53
    # at most five people of a municipality per run (the report's rule)
    per_run = Counter((row["first"], row["participation__municipality__name"]) for row in trained)
    assert max(n for (_run, name), n in per_run.items() if name) == 5
    # and participants see the lab's events, nothing of the cohort's pages
    person = people.get(email=EVENTS["training"]["participant_email"].format(number=1, index=1))
    assert person.has_perm("labs.take_part_in_lab", hessen)
    assert not person.has_perm("labs.coordinate_lab", hessen)

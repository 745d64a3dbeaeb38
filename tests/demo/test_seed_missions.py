"""manage.py seed_demo: the tandems and mission profiles of the 14 Hessen municipalities."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from demo.loader import load
from labs.models import Participation, ParticipationStatus
from labs.permissions import participations_for_user
from missions import services as mission_services
from missions.models import (
    DiversityDimension,
    Measure,
    MeasureStatus,
    MissionProfile,
    ProfileStatus,
    ProgressUpdate,
    ReviewEvent,
    SmartGoal,
)
from notifications.models import Notification
from tandems.models import Tandem, TandemMember, tandem_gaps

from .conftest import NO_PDFS, seeded_world

# one process seeds once (tests/demo/conftest.py)
pytestmark = pytest.mark.xdist_group("demo-missions")

DEMO_LOGINS = {spec["email"] for spec in load("labs")["logins"]}
HESSEN = load("missions")["lab"]
HESSEN_SPECS = next(lab for lab in load("labs")["labs"] if lab["slug"] == HESSEN)
PROFILES = load("missions")["profiles"]
DEMO_PASSWORD = load("labs")["password"]
COHORTS = {c["slug"]: c for c in HESSEN_SPECS["cohorts"]}
COHORT_OF = {m["name"]: m["cohort"] for m in HESSEN_SPECS["municipalities"]}
STATUS_OF = {m["name"]: m["status"] for m in HESSEN_SPECS["municipalities"]}


@pytest.fixture
def seed(db, settings):
    settings.DEMO_MODE = True

    def _seed(*args) -> str:
        out = StringIO()
        call_command("seed_demo", NO_PDFS, *args, stdout=out)
        return out.getvalue()

    return _seed


@pytest.fixture(scope="class")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the read-only tests of TestSeededWorld (tests/demo/conftest.py)."""
    with seeded_world(django_db_blocker, tmp_path_factory, "--quiet"):
        yield


@pytest.fixture
def seeded(_seeded_once, db):
    """The seeded demo world, shared by the tests of TestSeededWorld (each test's changes are
    rolled back, so the order of the tests does not matter)."""


def _hessen():
    return Participation.objects.filter(cohort__lab__slug=HESSEN).select_related(
        "municipality", "cohort"
    )


# -- the data module (no database) ----------------------------------------------------------


def test_data_covers_exactly_the_hessen_municipalities():
    assert set(PROFILES) == set(COHORT_OF)
    assert len(PROFILES) == 14


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_data_is_shaped_as_the_brief_says(name):
    spec = PROFILES[name]
    cohort = COHORTS[COHORT_OF[name]]
    start, end = cohort["start_date"], min(cohort["end_date"], dt.date.today())

    assert 2 <= len(spec["goals"]) <= 4
    assert 2 <= len(spec["measures"]) <= 4
    assert spec["dimensions"] and set(spec["dimensions"]) <= set(DiversityDimension.values)
    for field in ("challenge", "vision", "target_groups", "stakeholders", "mission_statement"):
        assert spec[field].strip(), field
    for goal in spec["goals"]:
        assert 1 <= len(goal["progress"]) <= 4
        dates = [update["date"] for update in goal["progress"]]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert all(start <= on <= end for on in dates), (goal["statement"], dates)
    for measure in spec["measures"]:
        assert measure["goals"] and all(0 <= i < len(spec["goals"]) for i in measure["goals"])
        dropped = measure["status"] == MeasureStatus.DROPPED
        assert bool(measure.get("drop_reason", "").strip()) == dropped, measure["title"]
    titles = [m["title"] for m in spec["measures"]]
    assert len(set(titles)) == len(titles)

    tandem = spec["tandem"]
    assert tandem["sponsor_function"] and tandem["sponsor_name"] == ""
    assert start <= tandem["commitment_date"] <= end
    people = [m for m in tandem["members"] if "login" not in m]
    for person in people:
        assert person["email"].endswith("@demo.innolab.de")
        assert person["department"] and person["function"]
    if name == "Bischofsheim":
        assert {m["login"] for m in tandem["members"]} == {"tandem", "tandem2"}
    else:
        assert len(people) == 2
        assert len({p["department"] for p in people}) == 2


def test_review_statuses_are_a_plausible_mix():
    by_cohort = {"kohorte-1": [], "kohorte-2": []}
    for name, spec in PROFILES.items():
        by_cohort[COHORT_OF[name]].append(spec["status"])
        if STATUS_OF[name] == ParticipationStatus.LEFT:
            assert spec["status"] == ProfileStatus.DRAFT, name
        if spec["status"] == ProfileStatus.RETURNED:
            assert spec["review_comment"].strip(), name
    done = {ProfileStatus.APPROVED, ProfileStatus.ACTIVE}
    assert sum(s in done for s in by_cohort["kohorte-1"]) >= 5
    assert {
        ProfileStatus.DRAFT,
        ProfileStatus.SUBMITTED,
        ProfileStatus.RETURNED,
        ProfileStatus.APPROVED,
    } <= set(by_cohort["kohorte-2"])
    measure_states = {m["status"] for p in PROFILES.values() for m in p["measures"]}
    assert measure_states == set(MeasureStatus.values)


def test_fictional_people_are_unique():
    emails = [m["email"] for p in PROFILES.values() for m in p["tandem"]["members"] if "email" in m]
    assert len(emails) == len(set(emails)) == 26
    assert not set(emails) & DEMO_LOGINS


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


# -- the seeded database --------------------------------------------------------------------


class TestSeededWorld:
    """Read-only checks of one seeded demo world."""

    def test_every_hessen_municipality_has_a_complete_tandem_and_a_profile(self, seeded):
        participations = list(_hessen())
        assert len(participations) == 14
        for participation in participations:
            name = participation.municipality.name
            tandem = Tandem.objects.get(participation=participation)
            members = list(tandem.members.all())
            departments = {m.department for m in members}
            assert len(members) >= 2 and len(departments) >= 2, name
            assert (
                tandem_gaps(len(members), len(departments), sum(not m.department for m in members))
                == []
            )
            assert tandem.sponsor_function and tandem.commitment_date, name

            profile = MissionProfile.objects.get(participation=participation)
            assert profile.goals.count() >= 2, name
            assert profile.measures.count() >= 2, name
            assert profile.vision and profile.mission_statement, name
            assert profile.status == PROFILES[name]["status"], name
            for goal in profile.goals.all():
                assert goal.progress_updates.exists(), (name, goal.statement)
            for measure in profile.measures.all():
                assert measure.goals.exists(), (name, measure.title)

    def test_goals_of_approved_and_active_profiles_are_smart(self, seeded):
        profiles = MissionProfile.objects.filter(
            participation__cohort__lab__slug=HESSEN,
            status__in=[ProfileStatus.APPROVED, ProfileStatus.ACTIVE],
        )
        assert profiles.count() >= 8
        for goal in SmartGoal.objects.filter(profile__in=profiles):
            assert goal.indicator and goal.target is not None and goal.deadline, goal.statement
            assert goal.smart_missing == [], goal.statement
        # Everything past draft went through the workflow, so it passed the submission check.
        for profile in MissionProfile.objects.exclude(status=ProfileStatus.DRAFT):
            assert mission_services.submission_problems(profile) == []

    def test_the_review_went_through_the_workflow(self, seeded, django_user_model):
        coordinator = django_user_model.objects.get(email="koordination@demo.innolab.de")
        active = MissionProfile.objects.filter(status=ProfileStatus.ACTIVE).first()
        assert [e.action for e in active.reviews.order_by("pk")] == [
            "submit",
            "approve",
            "activate",
        ]
        assert {e.by for e in active.reviews.exclude(action="submit")} == {coordinator}
        submitter = active.reviews.get(action="submit").by
        assert submitter.tandem_memberships.filter(tandem__participation=active.participation_id)

        returned = MissionProfile.objects.get(participation__municipality__name="Bischofsheim")
        assert returned.status == ProfileStatus.RETURNED
        event = returned.reviews.get(action="return")
        assert event.by == coordinator and event.comment
        assert returned.reviews.get(action="submit").by.email == "tandem@demo.innolab.de"
        assert not ReviewEvent.objects.filter(profile__status=ProfileStatus.DRAFT).exists()

    def test_progress_lies_in_the_cohort_period_and_not_in_the_future(self, seeded):
        updates = ProgressUpdate.objects.select_related("goal__profile__participation__cohort")
        assert updates.count() >= 28
        today = timezone.localdate()
        for update in updates:
            cohort = update.goal.profile.participation.cohort
            assert cohort.start_date <= update.date <= min(cohort.end_date, today)

    def test_history_and_review_carry_dates_of_the_cohorts_time(self, seeded):
        """Not the seeding's moment: every history row, review step and "last changed" of a
        profile lies in its cohort's period (a 2020–2021 cohort: 2020–2021), in the order the
        steps were taken; progress is dated the day it reports; review notifications the step."""
        seeding_day = timezone.localdate()
        for participation in _hessen():
            cohort = participation.cohort
            profile = participation.mission_profile
            start, end = cohort.start_date, cohort.end_date
            rows = [
                *MissionProfile.history.filter(id=profile.pk),
                *SmartGoal.history.filter(profile_id=profile.pk),
                *Measure.history.filter(profile_id=profile.pk),
            ]
            days = {timezone.localdate(r.history_date) for r in rows}
            steps = list(ReviewEvent.objects.filter(profile=profile).order_by("at"))
            days |= {timezone.localdate(step.at) for step in steps}
            days |= {timezone.localdate(profile.updated_at), timezone.localdate(profile.created_at)}
            for goal in profile.goals.all():
                days |= {timezone.localdate(goal.updated_at), timezone.localdate(goal.created_at)}
            name = participation.municipality.name
            assert all(start <= day <= end for day in days), (name, min(days), max(days))
            assert seeding_day not in days
            if cohort.slug == "kohorte-1":
                assert {day.year for day in days} <= {2020, 2021}, name
            # the review came after the edits it reviewed; "last changed" is the last edit
            last_edit = max(r.history_date for r in rows)
            assert profile.updated_at == last_edit
            if steps:
                assert steps[0].at >= min(r.history_date for r in rows)
                submitted = ReviewEvent.objects.filter(profile=profile, action="submit")
                told = Notification.objects.filter(kind="profile-submitted").filter(
                    key__startswith=f"profile-submitted:{profile.pk}:"
                )
                assert {n.created_at for n in told} <= {s.at for s in submitted}
                assert told.exists()
            for update in ProgressUpdate.objects.filter(goal__profile=profile):
                assert timezone.localdate(update.created_at) == update.date

    def test_measures_carry_their_lifecycle_in_history(self, seeded):
        assert set(Measure.objects.values_list("status", flat=True)) == set(MeasureStatus.values)
        for measure in Measure.objects.filter(status=MeasureStatus.DROPPED):
            assert measure.drop_reason
        sustained = Measure.objects.filter(status=MeasureStatus.SUSTAINED).first()
        states = sustained.history.order_by("history_id").values_list("status", flat=True)
        # (linking the goals adds a second "planned" row: simple-history records m2m changes)
        assert list(dict.fromkeys(states)) == ["planned", "in_progress", "done", "sustained"]

    def test_fictional_people_cannot_log_in(self, seeded, django_user_model, client):
        people = django_user_model.objects.filter(tandem_memberships__isnull=False).exclude(
            email__in=DEMO_LOGINS
        )
        assert people.count() == 26
        for person in people:
            assert person.email.endswith("@demo.innolab.de")
            assert not person.has_usable_password()
            assert not person.is_staff and not person.is_superuser
            assert not person.lab_memberships.exists()
            assert person.tandem_memberships.count() == 1
        response = client.post(
            "/accounts/login/", {"login": people.first().email, "password": DEMO_PASSWORD}
        )
        assert "_auth_user_id" not in client.session
        assert response.status_code == 200

    def test_the_demo_tandem_user_still_has_exactly_bischofsheim(self, seeded, django_user_model):
        bischofsheim = Participation.objects.get(
            cohort__lab__slug=HESSEN, municipality__name="Bischofsheim"
        )
        for email in ("tandem@demo.innolab.de", "tandem2@demo.innolab.de"):
            user = django_user_model.objects.get(email=email)
            assert list(participations_for_user(user)) == [bischofsheim]
            assert user.check_password(DEMO_PASSWORD)
        members = bischofsheim.tandem.members.select_related("user")
        assert {m.user.email for m in members} == {
            "tandem@demo.innolab.de",
            "tandem2@demo.innolab.de",
        }
        assert all(m.function for m in members)
        # Each fictional member can work on exactly their own municipality.
        person = django_user_model.objects.get(email="hannah.scholz@demo.innolab.de")
        assert [p.municipality.name for p in participations_for_user(person)] == ["Rodgau"]


def _history_models():
    return [
        m
        for m in apps.get_app_config("missions").get_models()
        if m.__name__.startswith("Historical")
    ]


def _snapshot(user_model) -> dict:
    """Row counts and the values a needless re-save would change (versions, timestamps)."""
    snapshot = {m.__name__: m.objects.count() for m in _history_models()}
    snapshot.update(
        users=list(
            user_model.objects.order_by("pk").values_list("pk", "email", "name", "password")
        ),
        tandems=list(
            Tandem.objects.order_by("pk").values_list(
                "pk", "sponsor_name", "sponsor_function", "commitment_date"
            )
        ),
        members=list(
            TandemMember.objects.order_by("pk").values_list(
                "pk", "user_id", "department", "function"
            )
        ),
        profiles=list(
            MissionProfile.objects.order_by("pk").values_list(
                "pk", "status", "version", "updated_at", "shared_with_cohort"
            )
        ),
        goals=list(SmartGoal.objects.order_by("pk").values_list("pk", "version", "updated_at")),
        measures=list(
            Measure.objects.order_by("pk").values_list("pk", "status", "version", "updated_at")
        ),
        measure_goals=Measure.goals.through.objects.count(),
        progress=list(ProgressUpdate.objects.order_by("pk").values_list("pk", "value", "date")),
        reviews=ReviewEvent.objects.count(),
    )
    return snapshot


def test_running_twice_changes_nothing_and_adds_no_history(seed, django_user_model):
    first_output = seed()
    first = _snapshot(django_user_model)
    created_line = first_output.splitlines()[1]
    assert "14 mission profiles" in created_line and "40 goals" in created_line
    assert all(first[m.__name__] for m in _history_models())

    second_output = seed()
    assert _snapshot(django_user_model) == first
    assert "Created: nothing. Updated: nothing." in second_output


def test_a_second_run_repairs_what_was_changed(seed, django_user_model):
    seed("--quiet")
    rodgau = MissionProfile.objects.get(participation__municipality__name="Rodgau")
    author = django_user_model.objects.get(email="hannah.scholz@demo.innolab.de")
    goal = rodgau.goals.get(position=1)
    mission_services.goal_update(goal=goal, user=author, expected_version=None, target=99)
    goal.progress_updates.order_by("date").first().delete()
    measure = rodgau.measures.get(status=MeasureStatus.PLANNED)
    mission_services.measure_set_status(measure=measure, user=author, status="in_progress")

    output = seed()

    goal.refresh_from_db()
    measure.refresh_from_db()
    assert goal.target == 5
    assert goal.progress_updates.count() == 3
    assert measure.status == MeasureStatus.PLANNED
    assert "Created: 1 progress updates. Updated: 1 goals, 1 measures." in output

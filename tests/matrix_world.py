"""The permission matrix's world: tests/world.py's personas and labs, Ahornstadt's mission profile,
a survey, a report, a workshop (tests/evaluations/matrix_world.py, tests/reports/builders.py,
tests/events/matrix_events_world.py) and `url_kwargs`, a value for every project URL's kwargs.

The walks over every URL (tests/test_permission_matrix.py, test_get_is_safe.py, test_fuzz.py)
build it once per module and process, like Django's TestCase.setUpTestData: the module's fixture
opens a transaction and builds the world in it; every test runs in a savepoint inside it (the
`db` fixture), rolled back after the test, so what one test writes (a POST row, a fuzz example)
no other test sees. The transaction is never committed: it is rolled back after the module's last
test, and the next module starts from an empty database. Each test gets its own copies of the
objects, so changing one (`participation.delete()` clears its pk) stays in that test too.

A module takes the shared world with `from .matrix_world import *`: the fixtures named like
tests/conftest.py's (`coordinator`, `lab_x`, `world`, `personas`, `pending_invitation`, …) and
`ahornstadt_profile` and `url_kwargs` then come from it. Pages seen from another thread (the live
server of the browser tests) never see an uncommitted world: tests/e2e takes `url_kwargs_per_test`
(and `ahornstadt_profile_per_test`), built per test from conftest's fixtures.
"""

import copy

import pytest
from django.conf import settings
from django.test import Client

from labs.models import LabMembership
from missions import services as mission_services
from missions.models import MissionProfile
from notifications.models import Notification
from tandems.models import TandemMember

from . import world as make
from .conftest import make_client
from .evaluations.matrix_world import survey_url_kwargs
from .events.matrix_events_world import event_url_kwargs
from .missions.matrix_indicators import indicators_url_kwargs
from .shared_world import built_for_the_module, shared_fixture


def ahornstadt_profile_make(world, tandem_a) -> dict:
    """A's mission profile with one goal and one measure, written by A's tandem."""
    profile, _created = MissionProfile.objects.get_or_create(participation=world["participation_a"])
    goal = mission_services.goal_create(
        profile=profile, user=tandem_a, statement="Mehr Vielfalt im Personal"
    )
    measure = mission_services.measure_create(
        profile=profile, user=tandem_a, title="Fortbildung", goals=[goal]
    )
    return {"profile": profile, "goal": goal, "measure": measure}


def url_kwargs_make(personas, world, pending_invitation, ahornstadt_profile) -> dict:
    coordinator, tandem_a = personas["coordinator"], personas["tandem_a"]
    return {
        **survey_url_kwargs(world, coordinator),
        **event_url_kwargs(world, coordinator, tandem_a, personas["tandem_b"]),
        "goal_id": ahornstadt_profile["goal"].pk,
        "measure_id": ahornstadt_profile["measure"].pk,
        "member_id": TandemMember.objects.get(
            tandem__participation=world["participation_a"], user=tandem_a
        ).pk,
        "lab_slug": world["lab_x"].slug,
        "cohort_slug": world["cohort_x"].slug,
        "participation_id": world["participation_a"].pk,
        "municipality_id": world["municipality_a"].pk,
        "membership_id": LabMembership.objects.get(lab=world["lab_x"], user=personas["funder"]).pk,
        "user_id": personas["outsider"].pk,  # accounts: account_deactivate, account_reactivate
        "invitation_id": pending_invitation.pk,
        "token": pending_invitation.token,
        "key": "privacy",  # accounts: site_page_edit
        **indicators_url_kwargs(world, ahornstadt_profile),
        "notification_id": Notification.objects.create(
            recipient=tandem_a,
            kind="profile-approved",
            key="matrix",
            link="/",
            params={"municipality": world["municipality_a"].name},
        ).pk,
    }


# --- per test, on conftest's fixtures (the browser tests) -------------------------------------


@pytest.fixture(name="ahornstadt_profile")
def ahornstadt_profile_per_test(world, tandem_a):
    return ahornstadt_profile_make(world, tandem_a)


@pytest.fixture(name="url_kwargs")
def url_kwargs_per_test(personas, world, pending_invitation, ahornstadt_profile):
    return url_kwargs_make(personas, world, pending_invitation, ahornstadt_profile)


# --- once per module: `from .matrix_world import *` -------------------------------------------


def _matrix_build() -> dict:
    made = make.build()
    made["ahornstadt_profile"] = ahornstadt_profile_make(made["world"], made["tandem_a"])
    made["url_kwargs"] = url_kwargs_make(
        made["personas"], made["world"], made["pending_invitation"], made["ahornstadt_profile"]
    )
    # one login per persona for the module (a test's session writes roll back with it)
    made["sessions"] = {
        name: make_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        for name, user in made["personas"].items()
        if user is not None
    }
    return made


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Everything the fixtures below hand out, by fixture name; rolled back after the module."""
    with built_for_the_module(django_db_blocker, tmp_path_factory, _matrix_build) as made:
        yield made


@pytest.fixture
def matrix_world_copy(db, matrix_world):
    """This test's copies of the objects (one copy each: `world["lab_x"] is lab_x`)."""
    return copy.deepcopy(matrix_world)


SHARED = (
    *make.WORLD,
    *(name for name in make.PERSONAS if name != "anonymous"),
    "world",
    "personas",
    "pending_invitation",
    "ahornstadt_profile",
    "url_kwargs",
)
for _name in SHARED:
    globals()[f"shared_{_name}"] = shared_fixture(_name, "matrix_world_copy")


@pytest.fixture(name="client_as")
def shared_client_as(matrix_world, matrix_world_copy):
    """client_as("tandem_a") or client_as(user), as tests/conftest.py's; a persona's client
    takes the module's session of that persona instead of logging in again."""
    personas = matrix_world_copy["personas"]

    def _client(who) -> Client:
        if isinstance(who, str) and who in matrix_world["sessions"]:
            client = make_client()
            client.cookies[settings.SESSION_COOKIE_NAME] = matrix_world["sessions"][who]
            return client
        return make_client(personas[who] if isinstance(who, str) else who)

    return _client


__all__ = [
    "matrix_world",
    "matrix_world_copy",
    "shared_client_as",
    *(f"shared_{name}" for name in SHARED),
]

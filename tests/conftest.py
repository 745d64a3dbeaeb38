"""Personas and their world, built through labs.services so that guardian grants are real.

Lab X has cohort "kohorte-1" with the municipalities Ahornstadt (A) and Buchenfeld (B) admitted;
lab Y has its own cohort and municipality. Personas: coordinator (X), coordinator_y (Y),
tandem_a / tandem_b (tandem members of A / B in X), funder (X), expert (X), admin (superuser),
outsider (an account without any role), participant (X, tied to Ahornstadt, no tandem) and
anonymous. Each object is made by its function in
tests/world.py; the read-only walks share one world per module (tests/shared_world.py).
"""

import importlib
from collections import Counter

import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import translation

from core import dataversion

from . import world as make

PERSONAS = make.PERSONAS


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the platform's default language (German), not in what an earlier test
    in the same process left active; tests that read English texts choose English themselves."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _data_versions_inside_the_transaction(monkeypatch):
    """A test's transaction is rolled back, never committed: data versions change at once inside
    it, so that every test that reads a page after a write also checks that the cached fragments
    are invalidated. tests/test_fragment_cache.py restores the production order (after the
    commit) where it tests it."""
    bump_data_versions_at_once(monkeypatch)


def bump_data_versions_at_once(monkeypatch) -> None:
    """A write inside a transaction gives its scope a new token at once, in that transaction —
    once: further writes of the same scope on the same connection add no statement until the
    tokens are read there again (core.fragments), a savepoint is rolled back (which may have
    undone the new token) or another outermost transaction begins. A read after a write thus
    always sees a token that was not there before the write, as with a bump per write."""
    # on each connection: (its outermost atomic block, the scopes bumped in it since)
    mark = "_test_bumped_scopes"
    read_tokens = dataversion.tokens
    rollback = BaseDatabaseWrapper.savepoint_rollback

    def schedule_bump(using, scope):
        connection = connections[using]
        outermost = connection.atomic_blocks[0]
        block, scopes = getattr(connection, mark, (None, set()))
        if block is not outermost:
            block, scopes = outermost, set()
            setattr(connection, mark, (block, scopes))
        if scope not in scopes:
            dataversion.bump_now(using, [scope])
            scopes.add(scope)

    def tokens(using="default"):
        connections[using].__dict__.pop(mark, None)
        return read_tokens(using)

    def savepoint_rollback(self, sid):
        self.__dict__.pop(mark, None)
        return rollback(self, sid)

    monkeypatch.setattr(dataversion, "schedule_bump", schedule_bump)
    monkeypatch.setattr(dataversion, "tokens", tokens)
    monkeypatch.setattr(BaseDatabaseWrapper, "savepoint_rollback", savepoint_rollback)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts and ends with an empty cache (its own Redis database per test process,
    config/settings/test.py): no rate-limit counter of an earlier test, and no page fragment
    (core/fragments.py), whose keys hold the data versions that restart with every rolled-back
    test. A changed setting, which the fragment keys do not hold, empties it too."""
    from django.core.cache import cache
    from django.test.signals import setting_changed

    def clear(**kwargs):
        cache.clear()

    clear()
    setting_changed.connect(clear, dispatch_uid="fresh-cache")
    yield
    setting_changed.disconnect(dispatch_uid="fresh-cache")
    clear()


@pytest.fixture(autouse=True)
def _builtin_event_types(request):
    """Transactional tests flush the database, and with it what data migrations created: bring
    the built-in event formats (labs migration 0003) back for every test that uses the database."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    ensure_builtin_event_types()


def ensure_builtin_event_types() -> None:
    from events.models import EventType

    if EventType.objects.filter(lab=None).exists():
        return
    migration = importlib.import_module("labs.migrations.0003_builtin_event_types")
    for position, (code, name_de, name_en) in enumerate(migration.BUILTIN, start=1):
        EventType.objects.create(
            lab=None, code=code, name_de=name_de, name_en=name_en, position=position
        )


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path_factory):
    """Uploaded files (event materials) go to this session's temporary folder, not to var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def coordinator(db):
    return make.coordinator()


@pytest.fixture
def coordinator_y(db):
    return make.coordinator_y()


@pytest.fixture
def lab_x(coordinator):
    return make.lab_x(coordinator)


@pytest.fixture
def lab_y(coordinator_y):
    return make.lab_y(coordinator_y)


@pytest.fixture
def cohort_x(lab_x):
    return make.cohort_x(lab_x)


@pytest.fixture
def cohort_y(lab_y):
    return make.cohort_y(lab_y)


@pytest.fixture
def municipality_a(lab_x):
    return make.municipality_a(lab_x)


@pytest.fixture
def municipality_b(lab_x):
    return make.municipality_b(lab_x)


@pytest.fixture
def municipality_y(lab_y):
    return make.municipality_y(lab_y)


@pytest.fixture
def participation_a(cohort_x, municipality_a):
    return make.participation(cohort_x, municipality_a)


@pytest.fixture
def participation_b(cohort_x, municipality_b):
    return make.participation(cohort_x, municipality_b)


@pytest.fixture
def participation_y(cohort_y, municipality_y):
    return make.participation(cohort_y, municipality_y)


@pytest.fixture
def tandem_a(participation_a):
    return make.tandem_a(participation_a)


@pytest.fixture
def tandem_b(participation_b):
    return make.tandem_b(participation_b)


@pytest.fixture
def funder(lab_x):
    return make.funder(lab_x)


@pytest.fixture
def expert(lab_x):
    return make.expert(lab_x)


@pytest.fixture
def admin(db):
    return make.admin()


@pytest.fixture
def outsider(db):
    return make.outsider()


@pytest.fixture
def participant(lab_x, municipality_a):
    return make.participant(lab_x, municipality_a)


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def world(
    lab_x,
    lab_y,
    cohort_x,
    cohort_y,
    municipality_a,
    municipality_b,
    municipality_y,
    participation_a,
    participation_b,
    participation_y,
):
    """Both labs with everything in them (no personas besides the two coordinators)."""
    return {
        "lab_x": lab_x,
        "lab_y": lab_y,
        "cohort_x": cohort_x,
        "cohort_y": cohort_y,
        "municipality_a": municipality_a,
        "municipality_b": municipality_b,
        "municipality_y": municipality_y,
        "participation_a": participation_a,
        "participation_b": participation_b,
        "participation_y": participation_y,
    }


@pytest.fixture
def personas(
    world,
    coordinator,
    coordinator_y,
    tandem_a,
    tandem_b,
    funder,
    expert,
    admin,
    outsider,
    participant,
):
    """Every persona by name; anonymous is None."""
    return {
        "anonymous": None,
        "coordinator": coordinator,
        "coordinator_y": coordinator_y,
        "tandem_a": tandem_a,
        "tandem_b": tandem_b,
        "funder": funder,
        "expert": expert,
        "admin": admin,
        "outsider": outsider,
        "participant": participant,
    }


def make_client(user=None) -> Client:
    """A client that chose English (texts are the English msgids), logged in as `user`."""
    client = Client()
    # the language switch's cookie decides (config.middleware.LanguageMiddleware)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_as(personas):
    """client_as("tandem_a") or client_as(user): a client logged in as that persona."""

    def _client(who) -> Client:
        user = personas[who] if isinstance(who, str) else who
        return make_client(user)

    return _client


@pytest.fixture
def pending_invitation(coordinator, participation_a):
    """A pending tandem invitation for Ahornstadt; the raw token is `.token`."""
    return make.pending_invitation(coordinator, participation_a)


# --- what the URL walks checked, in the run's summary -------------------------------------------

# tests/test_get_is_safe.py and tests/test_fuzz.py put these counts into their test reports; the
# summary adds them up (the reports of pytest-xdist's processes too) and names the database.
_walk_totals: Counter = Counter()


def pytest_runtest_logreport(report):
    if report.when == "call":
        for name, value in report.user_properties:
            if name in ("walk_url_personas", "walk_requests", "fuzz_inputs"):
                _walk_totals[name] += value
                _walk_totals[f"{name} tests"] += 1


def pytest_terminal_summary(terminalreporter):
    if not _walk_totals:
        return
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    t = _walk_totals
    parts = []
    if t["walk_url_personas tests"]:
        parts.append(
            f"GET-safety {t['walk_url_personas']} URLs × personas ({t['walk_requests']} GETs,"
            f" plain and htmx, in {t['walk_url_personas tests']} tests)"
        )
    if t["fuzz_inputs tests"]:
        parts.append(f"fuzzing {t['fuzz_inputs']} inputs (in {t['fuzz_inputs tests']} tests)")
    terminalreporter.write_line(f"URL walks on {engine}: {'; '.join(parts)}")

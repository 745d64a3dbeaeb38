"""tests/world.py's world built once per module and process, for the modules whose tests use most
of it anyway (a client per persona, the `world` dict): building it is about 230 queries, which
per test took as long as the test itself.

As tests/matrix_world.py does for the URL walks: the module's fixture opens a transaction and
builds the whole world in it (every persona, both labs, the pending invitation); every test runs in
a savepoint inside it (the `db` fixture), rolled back after the test, so what one test writes no
other test sees, and gets its own copies of the objects. The transaction is rolled back after the
module's last test. A module takes it with `from ..shared_world import *`; then every fixture of
tests/conftest.py named in SHARED comes from it. Such a module's tests see the whole world even
where they ask for a part of it, and its objects were created before the test began.
"""

import copy

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from . import world as make
from .conftest import bump_data_versions_at_once, ensure_builtin_event_types


@pytest.fixture(scope="module")
def shared_world_made(django_db_setup, django_db_blocker, tmp_path_factory):
    """Everything the fixtures below hand out, by fixture name; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        # what the autouse fixtures of tests/conftest.py arrange for a test, for the building
        with (
            pytest.MonkeyPatch.context() as monkeypatch,
            override_settings(MEDIA_ROOT=str(tmp_path_factory.getbasetemp() / "media")),
            translation.override(settings.LANGUAGE_CODE),
        ):
            bump_data_versions_at_once(monkeypatch)
            ensure_builtin_event_types()
            made = make.build()
        yield made
        transaction.set_rollback(True)


@pytest.fixture
def shared_world_copy(db, shared_world_made):
    """This test's copies of the objects (one copy each: `world["lab_x"] is lab_x`)."""
    return copy.deepcopy(shared_world_made)


def _shared(name: str):
    def fixture(shared_world_copy):
        return shared_world_copy[name]

    fixture.__doc__ = f"`{name}` from the module's shared world (tests/shared_world.py)."
    return pytest.fixture(fixture, name=name)


SHARED = (
    *make.WORLD,
    *(name for name in make.PERSONAS if name != "anonymous"),
    "world",
    "personas",
    "pending_invitation",
)
for _name in SHARED:
    globals()[f"world_{_name}"] = _shared(_name)

__all__ = ["shared_world_made", "shared_world_copy", *(f"world_{name}" for name in SHARED)]

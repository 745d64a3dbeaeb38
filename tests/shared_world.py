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

import contextlib
import copy
import inspect

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from . import world as make
from .conftest import bump_data_versions_at_once, ensure_builtin_event_types


@contextlib.contextmanager
def built_for_the_module(django_db_blocker, tmp_path_factory, build):
    """`build()` in a transaction opened for the module, with what the autouse fixtures of
    tests/conftest.py arrange for a test; gives what it built and rolls it back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with (
            pytest.MonkeyPatch.context() as monkeypatch,
            override_settings(MEDIA_ROOT=str(tmp_path_factory.getbasetemp() / "media")),
            translation.override(settings.LANGUAGE_CODE),
        ):
            bump_data_versions_at_once(monkeypatch)
            ensure_builtin_event_types()
            made = build()
        yield made
        transaction.set_rollback(True)


def shared_fixture(name: str, copies: str):
    """A fixture `name`: this test's copy of `name` from the fixture `copies` (a module's
    world, deep-copied per test)."""

    def fixture(**given):
        return given[copies][name]

    # `copies` as its declared argument: pytest then sets the module's world up before the
    # test's transaction begins (asked for inside a fixture, it would nest in that transaction)
    parameter = inspect.Parameter(copies, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    fixture.__signature__ = inspect.Signature([parameter])
    fixture.__doc__ = f"`{name}` from the module's shared world (`{copies}`)."
    return pytest.fixture(fixture, name=name)


@pytest.fixture(scope="module")
def shared_world_made(django_db_setup, django_db_blocker, tmp_path_factory):
    """Everything the fixtures below hand out, by fixture name; rolled back after the module."""
    with built_for_the_module(django_db_blocker, tmp_path_factory, make.build) as made:
        yield made


@pytest.fixture
def shared_world_copy(db, shared_world_made):
    """This test's copies of the objects (one copy each: `world["lab_x"] is lab_x`)."""
    return copy.deepcopy(shared_world_made)


SHARED = (
    *make.WORLD,
    *(name for name in make.PERSONAS if name != "anonymous"),
    "world",
    "personas",
    "pending_invitation",
)
for _name in SHARED:
    globals()[f"world_{_name}"] = shared_fixture(_name, "shared_world_copy")

__all__ = ["shared_world_made", "shared_world_copy", *(f"world_{name}" for name in SHARED)]

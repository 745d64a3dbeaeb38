"""Seeding the whole demo takes ~10 s of CPU: the read-only tests of a module or class share one
seeded world (`seeded_world`). Each module is an xdist group of its own (`pytestmark`), so that
pytest-xdist (`--dist loadgroup`, scripts/test) runs its tests in one process, which seeds once.

The sample reports' PDFs (demo/reports.py) cost seconds more: the worlds seed without them
(`--no-report-pdfs`, NO_PDFS) unless a module asks for them (test_seed_demo.py does)."""

import contextlib
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

NO_PDFS = "--no-report-pdfs"


@contextlib.contextmanager
def seeded_world(django_db_blocker, tmp_path_factory, *args: str, report_pdfs: bool = False):
    """The demo seeded inside a transaction that is rolled back at the end: the tests' own
    transactions nest in it as savepoints. Its files go where the tests' uploads go
    (tests/conftest.py). Gives the command's output. report_pdfs: render and publish the
    sample reports too."""
    if not report_pdfs:
        args = (*args, NO_PDFS)
    out = StringIO()
    media = str(tmp_path_factory.getbasetemp() / "media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_MODE=True, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("seed_demo", *args, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)

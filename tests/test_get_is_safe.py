"""A GET changes nothing: every project URL, as every persona the permission matrix lets read it,
plain and as an htmx request, leaves every table as it was (row counts and an md5 of all rows).

Sensitive actions are POST-only (the matrix checks the 405s); this test checks the other side:
that no page quietly writes when it is only looked at. The exceptions are listed with a reason.
"""

import traceback

import pytest
from django.db import transaction

from labs.models import Lab, Municipality
from missions.models import MissionProfile
from tandems.models import Tandem

from . import fuzz_support as fz
from .conftest import PERSONAS
from .matrix_world import *  # noqa: F403  the permission matrix's world, one per module
from .test_permission_matrix import EXPECTED, PROJECT_ROUTES, _project_url

# URL name → (the tables a GET may change, why). Every other project URL writes nothing on GET.
_AUDITED_DOWNLOAD = (
    {"accounts_auditevent"},
    "the download is itself the security/privacy event the audit log records (issue 7: exports "
    "of raw answers; a person's own data export); the row is the trace of the read, nothing "
    "else changes",
)
WRITES_ON_GET: dict[str, tuple[set[str], str]] = {
    "survey_export_raw": _AUDITED_DOWNLOAD,
    "my_data_export": _AUDITED_DOWNLOAD,
}


def record_walk(request, *, urls: int, requests: int) -> None:
    """What this walk checked: tests/conftest.py adds it up in the run's summary."""
    request.node.user_properties += [("walk_url_personas", urls), ("walk_requests", requests)]


def _may_get(name: str, persona: str) -> bool:
    return EXPECTED.get((name, persona, "GET")) in (200, "200 or 503")


def _get(client, url, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    try:
        return client.get(url, headers=headers), None
    except Exception:  # noqa: BLE001 - a view that raises is a 500 for the user
        return None, traceback.format_exc()


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_changes_nothing(persona, client_as, url_kwargs, request):
    """One world per persona, every URL it may read, each GET in a rolled-back savepoint."""
    client = client_as(persona)
    problems = []
    checked = urls = 0
    for route in PROJECT_ROUTES:
        if not _may_get(route.name, persona):
            continue
        urls += 1
        url = _project_url(route, url_kwargs)
        allowed, _why = WRITES_ON_GET.get(route.name, (set(), ""))
        for htmx in (False, True):
            with transaction.atomic():
                before = fz.fingerprint()
                response, error = _get(client, url, htmx)
                after = fz.fingerprint()
                transaction.set_rollback(True)
            checked += 1
            if error:
                problems.append(f"GET {url} (htmx={htmx}) raised:\n{error}")
                continue
            if response.status_code >= 500 and route.name != "healthz":
                problems.append(f"GET {url} (htmx={htmx}): {response.status_code}")
            changed = set(fz.fingerprint_diff(before, after)) - allowed
            if changed:
                problems.append(f"GET {url} (htmx={htmx}) as {persona} changed {sorted(changed)}")
    record_walk(request, urls=urls, requests=checked)
    assert checked or persona == "anonymous"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["tandem_a", "coordinator", "admin"])
def test_a_participation_without_profile_and_tandem_is_read_without_writes(
    persona, client_as, url_kwargs, request
):
    """A participation added around the admission service (the profile and the tandem are
    created there) has neither: its pages still write nothing, and none of them fails."""
    participation_id = url_kwargs["participation_id"]
    MissionProfile.objects.filter(participation_id=participation_id).delete()
    Tandem.objects.filter(participation_id=participation_id).delete()
    client = client_as(persona)
    problems = []
    checked = urls = 0
    for route in PROJECT_ROUTES:
        if "participation_id" not in route.kwarg_names or not _may_get(route.name, persona):
            continue
        urls += 1
        url = _project_url(route, url_kwargs)
        for htmx in (False, True):
            before = fz.fingerprint()
            response, error = _get(client, url, htmx)
            checked += 1
            if error:
                problems.append(f"GET {url} (htmx={htmx}) raised:\n{error}")
                continue
            if response.status_code >= 500:
                problems.append(f"GET {url} (htmx={htmx}): {response.status_code}")
            changed = fz.fingerprint_diff(before, fz.fingerprint())
            if changed:
                problems.append(f"GET {url} (htmx={htmx}) as {persona} changed {sorted(changed)}")
    record_walk(request, urls=urls, requests=checked)
    assert checked
    assert not problems, "\n".join(problems)
    assert not MissionProfile.objects.filter(participation_id=participation_id).exists()
    assert not Tandem.objects.filter(participation_id=participation_id).exists()


def test_the_fingerprint_sees_inserts_updates_and_deletes(world):
    lab = world["lab_x"]
    steps = [
        lambda: Lab.objects.filter(pk=lab.pk).update(name="Anders"),
        lambda: Municipality.objects.create(lab=lab, name="Neustadt", state="HE"),
        lambda: world["participation_b"].delete(),
    ]
    for step in steps:
        with transaction.atomic():
            before = fz.fingerprint()
            step()
            assert fz.fingerprint_diff(before, fz.fingerprint())
            transaction.set_rollback(True)
    before = fz.fingerprint()
    Lab.objects.get(pk=lab.pk)
    assert not fz.fingerprint_diff(before, fz.fingerprint())


def test_every_exception_is_still_needed():
    names = {route.name for route in PROJECT_ROUTES}
    for name, (tables, why) in WRITES_ON_GET.items():
        assert name in names, f"{name} is no URL any more: drop the exception"
        assert tables and why

"""What a funder sees on the cohort dashboard: aggregate progress per municipality (profile
status, goals on track / behind, measures done, past workshops attended), nothing personal, in a
constant number of queries; and the lab setting that lets funders read shared profiles."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import AttendanceStatus, EventRegistration, RegistrationStatus
from labs.models import Lab
from missions.models import Measure, MeasureStatus, ProgressUpdate, SmartGoal

from ..events.test_events_planning import make_event
from ..factories import ParticipationFactory, TandemMemberFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


def _dashboard(cohort) -> str:
    return reverse("cohort_dashboard", args=[cohort.lab.slug, cohort.slug])


def _headers(body: str) -> list[str]:
    return re.findall(r'<th scope="col" class="kern-table__header[^"]*">([^<]+)</th>', body)


def _row(body: str, name: str) -> str:
    return re.search(rf"{name}\s*</th>.*?</tr>", body, re.S).group(0)


def _progress(participation, user, *, behind: bool):
    """A started profile with one goal on track or behind, a done and an open measure and a
    dropped one."""
    profile = participation.mission_profile
    profile.vision, profile.updated_at = "Vielfalt", timezone.now() + dt.timedelta(seconds=1)
    profile.created_at = timezone.now() - dt.timedelta(days=100)
    profile.save()
    today = timezone.localdate()
    goal = SmartGoal.objects.create(
        profile=profile,
        statement="Mehr Vielfalt",
        indicator="Anteil",
        unit="%",
        baseline=Decimal(0),
        target=Decimal(100),
        deadline=today + dt.timedelta(days=100),  # half the time has passed
    )
    value = Decimal(10) if behind else Decimal(80)
    ProgressUpdate.objects.create(goal=goal, value=value, date=today, author=user)
    SmartGoal.objects.create(profile=profile, statement="Ohne Ziel und Frist")  # not judged
    for status in (MeasureStatus.DONE, MeasureStatus.PLANNED, MeasureStatus.DROPPED):
        reason = "Kein Budget" if status == MeasureStatus.DROPPED else ""
        Measure.objects.create(
            profile=profile, title=f"Maßnahme {status}", status=status, drop_reason=reason
        )


def _workshops(cohort, participation, user, *, attended: bool):
    """One past workshop the municipality was invited to (attended or not), one to come."""
    past = make_event(cohort.lab, [cohort], days=-10, title="Vergangen")
    future = make_event(cohort.lab, [cohort], days=10, title="Kommend")
    attendance = AttendanceStatus.PRESENT if attended else AttendanceStatus.ABSENT
    for event, fields in ((past, {"attendance": attendance}), (future, {})):
        EventRegistration.objects.create(
            event=event,
            user=user,
            participation=participation,
            status=RegistrationStatus.REGISTERED,
            **fields,
        )


def test_funder_sees_aggregates_without_personal_data(
    client_as, cohort_x, participation_a, participation_b, personas
):
    tandem_a, tandem_b = personas["tandem_a"], personas["tandem_b"]
    _progress(participation_a, tandem_a, behind=False)
    _progress(participation_b, tandem_b, behind=True)
    _workshops(cohort_x, participation_a, tandem_a, attended=True)
    _workshops(cohort_x, participation_b, tandem_b, attended=False)

    body = text(client_as("funder").get(_dashboard(cohort_x)))
    assert _headers(body) == [
        "Municipality",
        "District",
        "Status",
        "Mission profile",
        "Goals on track / behind",
        "Measures done / total",
        "Past workshops attended / invited",
    ]
    ahorn, buche = _row(body, "Ahornstadt"), _row(body, "Buchenfeld")
    assert ">Draft<" in ahorn and "1 / 0" in ahorn and "1 / 2" in ahorn and "1 / 1" in ahorn
    assert "0 / 1" in buche  # goal behind; the past workshop was not attended
    # no link into a profile (not shared) or a municipality's page, nobody's name or address
    assert "/mission/" not in body and "/municipalities/" not in body
    for person in (tandem_a, tandem_b, personas["coordinator"]):
        assert person.name not in body and person.email not in body
    for hidden in (">Tandem<", "Next workshop", "Events attended", "complete", "member"):
        assert hidden not in body, hidden


def test_coordinator_sees_the_aggregates_too_and_the_others_none(
    client_as, cohort_x, participation_a, personas
):
    _progress(participation_a, personas["tandem_a"], behind=True)
    coordinator_headers = _headers(text(client_as("coordinator").get(_dashboard(cohort_x))))
    assert "Goals on track / behind" in coordinator_headers
    assert "Measures done / total" in coordinator_headers
    assert "Mission" in coordinator_headers and "Mission profile" not in coordinator_headers
    assert "Past workshops attended / invited" not in coordinator_headers
    for persona in ("tandem_a", "expert"):
        body = text(client_as(persona).get(_dashboard(cohort_x)))
        assert _headers(body) == ["Municipality", "District", "Status"], persona


def test_funder_link_to_a_shared_profile_only_when_the_lab_allows(
    client_as, cohort_x, participation_a, personas
):
    _progress(participation_a, personas["tandem_a"], behind=False)
    profile = participation_a.mission_profile
    profile.shared_with_cohort = True
    profile.save()
    mission_a = reverse(
        "mission_profile", args=[cohort_x.lab.slug, cohort_x.slug, participation_a.pk]
    )
    assert mission_a not in text(client_as("funder").get(_dashboard(cohort_x)))
    Lab.objects.filter(pk=cohort_x.lab_id).update(funders_read_shared_profiles=True)
    assert mission_a in text(client_as("funder").get(_dashboard(cohort_x)))


@pytest.mark.parametrize("persona", ["funder", "coordinator"])
def test_dashboard_queries_constant_with_progress(client_as, cohort_x, personas, persona):
    """Two data sizes: 5 and then 42 municipalities (A and B of the personas' world besides),
    each with goals, progress, measures and workshops: the same number of queries."""

    def grow(n):
        for _ in range(n):
            participation = ParticipationFactory(cohort=cohort_x)
            member = TandemMemberFactory(participation=participation).user
            _progress(participation, member, behind=bool(participation.pk % 2))
            _workshops(cohort_x, participation, member, attended=bool(participation.pk % 3))

    grow(3)
    before, after = assert_constant_queries(
        client_as(persona), _dashboard(cohort_x), lambda: grow(37)
    )
    assert before == after
    assert cohort_x.participations.count() == 42


def test_lab_setting_edited_by_coordinators(client_as, lab_x):
    assert lab_x.funders_read_shared_profiles is False  # off by default
    edit = reverse("lab_edit", args=[lab_x.slug])
    form = client_as("coordinator").get(edit)
    assert 'name="funders_read_shared_profiles"' in text(form)
    data = {"name": lab_x.name, "funders_read_shared_profiles": "on"}
    assert client_as("coordinator").post(edit, data).status_code == 302
    lab_x.refresh_from_db()
    assert lab_x.funders_read_shared_profiles is True
    assert client_as("funder").post(edit, {**data, "name": "X"}).status_code == 403
    client_as("coordinator").post(edit, {"name": lab_x.name})  # unchecked: off again
    lab_x.refresh_from_db()
    assert lab_x.funders_read_shared_profiles is False

"""Step 3 (mission, measures), the review workflow, sharing with the cohort and the print view.

One section per view: the happy path with the database checked after, anonymous → login, outsider
→ 404, read-only → 403, wrong method → 405, htmx → only the partial; then the workflows end to end
and the query counts. Fixtures live here (tests/missions/conftest.py belongs to steps 1 and 2).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import (
    Measure,
    MeasureStatus,
    MissionProfile,
    ProfileStatus,
    ReviewAction,
    ReviewEvent,
)
from tandems import services as tandem_services

from ..conftest import make_client
from ..factories import UserFactory
from ..helpers import assert_constant_queries, assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

HUGE_ID = 10**19  # beyond a PostgreSQL bigint
HX = {"HX-Request": "true"}

COMPLETE_GOAL = {
    "statement": "Mehr Beschäftigte mit Migrationsgeschichte in der Verwaltung",
    "indicator": "Anteil der Beschäftigten mit Migrationsgeschichte",
    "unit": "%",
    "baseline": Decimal("10"),
    "target": Decimal("20"),
    "deadline": dt.date(2026, 12, 31),
    "owner": "Personalamt",
    "achievability": "Ausbildungskampagne",
    "relevance": "Die Verwaltung soll die Stadtgesellschaft abbilden.",
}


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def mission_a(participation_a, tandem_a):
    profile = MissionProfile.objects.get_or_create(participation=participation_a)[0]
    return services.profile_update(
        profile=profile,
        user=tandem_a,
        expected_version=None,
        vision="Ahornstadt ist eine Verwaltung für alle.",
        mission_statement="Wir öffnen die Verwaltung für alle Menschen der Stadt.",
        resources="Eine halbe Stelle im Personalamt",
        risks="Personalwechsel",
    )


@pytest.fixture
def goal_a(mission_a, tandem_a):
    return services.goal_create(profile=mission_a, user=tandem_a, **COMPLETE_GOAL)


@pytest.fixture
def measure_a(mission_a, goal_a, tandem_a):
    return services.measure_create(
        profile=mission_a,
        user=tandem_a,
        goals=[goal_a],
        title="Lotsenprogramm starten",
        description="Lots:innen ausbilden",
        responsible="Personalamt",
        due_date=dt.date(2030, 6, 30),
    )


@pytest.fixture
def mission_b(participation_b, tandem_b):
    profile = MissionProfile.objects.get_or_create(participation=participation_b)[0]
    return services.profile_update(
        profile=profile, user=tandem_b, expected_version=None, mission_statement="Buchenfeld"
    )


@pytest.fixture
def measure_b(mission_b, tandem_b):
    return services.measure_create(profile=mission_b, user=tandem_b, title="Buchenfelds Maßnahme")


@pytest.fixture
def zora(participation_a):
    """A second tandem member of Ahornstadt, for two people editing at once."""
    user = UserFactory(email="zora.zwei@example.org", name="Zora Zwei")
    tandem_services.tandem_member_add(
        participation=participation_a, user=user, department="Kulturamt"
    )
    return user


def purl(name: str, participation, *extra) -> str:
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk, *extra])


def mission_data(version, **fields) -> dict:
    data = {
        "mission-mission_statement": "Neue Mission",
        "mission-resources": "Neue Ressourcen",
        "mission-risks": "Neue Risiken",
        "mission-version": version,
    }
    data.update({f"mission-{k}": v for k, v in fields.items()})
    return data


def measure_data(prefix: str, version=None, goals=(), **fields) -> dict:
    data = {
        f"{prefix}-title": "Willkommensfest",
        f"{prefix}-description": "",
        f"{prefix}-responsible": "Kulturamt",
        f"{prefix}-due_date": "2030-09-30",
        f"{prefix}-goals": [g.pk for g in goals],
    }
    if version is not None:
        data[f"{prefix}-version"] = version
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


def status_data(measure, status, reason="", version=None) -> dict:
    return {
        f"status-{measure.pk}-status": status,
        f"status-{measure.pk}-reason": reason,
        f"status-{measure.pk}-version": measure.version if version is None else version,
    }


def hidden_version(body: str, name: str) -> int:
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)"', body)
    assert match, f"no hidden {name} in the page"
    return int(match.group(1))


# --- step 3: mission -----------------------------------------------------------------------------


def test_step_mission_shows_the_form_to_the_tandem(client_as, mission_a, measure_a):
    response = client_as("tandem_a").get(purl("mission_step_mission", mission_a.participation))

    assert response.status_code == 200
    body = text(response)
    assert "Wir öffnen die Verwaltung für alle Menschen der Stadt." in body
    assert "Lotsenprogramm starten" in body
    assert 'name="mission-version"' in body
    assert response.context["mission_form"] is not None
    assert "HX-Request" in response["Vary"]


def test_step_mission_save_without_js_redirects(client_as, mission_a, tandem_a):
    url = purl("mission_step_mission", mission_a.participation)
    response = client_as("tandem_a").post(url, mission_data(mission_a.version))

    assert response.status_code == 302
    assert response["Location"] == url
    profile = MissionProfile.objects.get(pk=mission_a.pk)
    assert profile.mission_statement == "Neue Mission"
    assert profile.resources == "Neue Ressourcen"
    assert profile.risks == "Neue Risiken"
    assert profile.version == mission_a.version + 1
    assert profile.updated_by == tandem_a


def test_step_mission_save_with_htmx_answers_the_partial(client_as, mission_a):
    url = purl("mission_step_mission", mission_a.participation)
    response = client_as("tandem_a").post(url, mission_data(mission_a.version), headers=HX)

    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body
    assert 'id="mission-section"' in body
    assert "Saved at" in body
    # the review checklist is refreshed out of band, and the form moved on to the new version
    assert 'id="review-panel"' in body and 'hx-swap-oob="true"' in body
    assert hidden_version(body, "mission-version") == mission_a.version + 1
    assert MissionProfile.objects.get(pk=mission_a.pk).mission_statement == "Neue Mission"


def test_step_mission_save_without_version_is_refused(client_as, mission_a):
    data = mission_data(None)
    del data["mission-version"]
    response = client_as("tandem_a").post(
        purl("mission_step_mission", mission_a.participation), data
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "out of date" in text(response)
    assert (
        MissionProfile.objects.get(pk=mission_a.pk).mission_statement == mission_a.mission_statement
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_step_mission_concurrent_edit_is_refused_with_409(client_as, mission_a, zora, htmx):
    url = purl("mission_step_mission", mission_a.participation)
    anna, zora_client = client_as("tandem_a"), make_client(zora)
    anna_version = hidden_version(text(anna.get(url)), "mission-version")
    zora_version = hidden_version(text(zora_client.get(url)), "mission-version")

    first = zora_client.post(url, mission_data(zora_version, mission_statement="Zoras Mission"))
    assert first.status_code == 302
    second = anna.post(
        url,
        mission_data(anna_version, mission_statement="Annas Mission, lange getippt"),
        headers=HX if htmx else {},
    )

    assert second.status_code == 409
    body = text(second)
    assert "Annas Mission, lange getippt" in body  # nothing typed is lost
    assert "Zoras Mission" in body  # the other person's saved value
    assert "Zora Zwei" in body
    assert "Not saved: someone else changed this in the meantime" in body
    current = MissionProfile.objects.get(pk=mission_a.pk)
    assert current.mission_statement == "Zoras Mission"
    assert hidden_version(body, "mission-version") == current.version
    assert ("<html" in body) is not htmx

    # saving again, now naming the current version, is a deliberate overwrite
    third = anna.post(url, mission_data(current.version, mission_statement="Annas Mission"))
    assert third.status_code == 302
    assert MissionProfile.objects.get(pk=mission_a.pk).mission_statement == "Annas Mission"


@pytest.mark.parametrize("version", ["abc", "", str(HUGE_ID), "-5", "1.5"])
def test_step_mission_odd_versions_never_500(client_as, mission_a, version):
    response = client_as("tandem_a").post(
        purl("mission_step_mission", mission_a.participation), mission_data(version)
    )
    assert response.status_code in (200, 409)
    assert MissionProfile.objects.get(pk=mission_a.pk).mission_statement != "Neue Mission"


def test_step_mission_coordinator_reads_but_cannot_save(client_as, mission_a):
    client = client_as("coordinator")
    url = purl("mission_step_mission", mission_a.participation)

    response = client.get(url)
    assert response.status_code == 200
    assert response.context["mission_form"] is None
    assert "Save mission" not in text(response)
    assert "Wir öffnen die Verwaltung für alle Menschen der Stadt." in text(response)

    assert client.post(url, mission_data(mission_a.version)).status_code == 403
    assert MissionProfile.objects.get(pk=mission_a.pk).mission_statement != "Neue Mission"


@pytest.mark.parametrize("persona", ["outsider", "tandem_b", "coordinator_y", "funder", "expert"])
def test_step_mission_hidden_from_others(client_as, mission_a, persona):
    client = client_as(persona)
    url = purl("mission_step_mission", mission_a.participation)
    assert client.get(url).status_code == 404
    assert client.post(url, mission_data(mission_a.version)).status_code == 404
    assert MissionProfile.objects.get(pk=mission_a.pk).mission_statement != "Neue Mission"


def test_step_mission_wrong_method(client_as, mission_a):
    response = client_as("tandem_a").put(purl("mission_step_mission", mission_a.participation))
    assert response.status_code == 405


# --- measures: create and edit -------------------------------------------------------------------


def test_measure_create_without_js(client_as, mission_a, goal_a, tandem_a):
    response = client_as("tandem_a").post(
        purl("mission_measure_create", mission_a.participation),
        measure_data("new-measure", goals=[goal_a]),
    )

    measure = Measure.objects.get(profile=mission_a, title="Willkommensfest")
    assert response.status_code == 302
    assert response["Location"] == (
        purl("mission_step_mission", mission_a.participation) + f"#measure-{measure.pk}"
    )
    assert measure.responsible == "Kulturamt"
    assert measure.due_date == dt.date(2030, 9, 30)
    assert measure.status == MeasureStatus.PLANNED
    assert list(measure.goals.all()) == [goal_a]
    assert measure.updated_by == tandem_a


def test_measure_create_with_htmx_answers_the_measures_section(client_as, mission_a, goal_a):
    response = client_as("tandem_a").post(
        purl("mission_measure_create", mission_a.participation),
        measure_data("new-measure", goals=[goal_a]),
        headers=HX,
    )

    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="measures-section"')
    assert "The measure “Willkommensfest” was added." in body
    assert Measure.objects.filter(profile=mission_a, title="Willkommensfest").exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_measure_create_needs_a_title(client_as, mission_a, htmx):
    response = client_as("tandem_a").post(
        purl("mission_measure_create", mission_a.participation),
        measure_data("new-measure", title=""),
        headers=HX if htmx else {},
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert ("<html" in text(response)) is not htmx
    assert not Measure.objects.filter(profile=mission_a).exists()


def test_measure_create_cannot_serve_another_profiles_goal(
    client_as, mission_a, mission_b, tandem_b
):
    goal_b = services.goal_create(profile=mission_b, user=tandem_b, statement="Ziel B")
    response = client_as("tandem_a").post(
        purl("mission_measure_create", mission_a.participation),
        measure_data("new-measure", goals=[goal_b]),
    )

    assert response.status_code == 200
    assert "goals" in response.context["form"].errors
    assert not Measure.objects.exists()


@pytest.mark.parametrize("value", ["abc", str(HUGE_ID), "-1", "2030-02-30"])
def test_measure_create_bad_input_is_a_form_error(client_as, mission_a, value):
    data = measure_data("new-measure", due_date=value)
    data["new-measure-goals"] = [value]
    response = client_as("tandem_a").post(
        purl("mission_measure_create", mission_a.participation), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Measure.objects.exists()


def test_measure_create_page_and_permissions(client_as, mission_a):
    url = purl("mission_measure_create", mission_a.participation)
    assert client_as("tandem_a").get(url).status_code == 200
    assert client_as("coordinator").get(url).status_code == 403
    assert client_as("coordinator").post(url, measure_data("new-measure")).status_code == 403
    assert client_as("tandem_b").post(url, measure_data("new-measure")).status_code == 404
    assert client_as("outsider").get(url).status_code == 404
    assert_login_required(client_as("anonymous").post(url, measure_data("new-measure")))
    assert not Measure.objects.exists()


def test_measure_edit_happy_path(client_as, mission_a, measure_a, tandem_a, zora):
    url = purl("mission_measure_edit", mission_a.participation, measure_a.pk)
    client = make_client(zora)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["title"].value() == "Lotsenprogramm starten"

    response = client.post(
        url, measure_data("measure", version=measure_a.version, title="Lotsenprogramm", goals=[])
    )

    assert response.status_code == 302
    measure = Measure.objects.get(pk=measure_a.pk)
    assert measure.title == "Lotsenprogramm"
    assert measure.version == measure_a.version + 1
    assert measure.updated_by == zora
    assert not measure.goals.exists()


def test_measure_edit_concurrent_edit_is_refused_with_409(client_as, mission_a, measure_a, zora):
    url = purl("mission_measure_edit", mission_a.participation, measure_a.pk)
    anna, zora_client = client_as("tandem_a"), make_client(zora)
    anna_version = hidden_version(text(anna.get(url)), "measure-version")
    zora_version = hidden_version(text(zora_client.get(url)), "measure-version")

    assert (
        zora_client.post(
            url, measure_data("measure", version=zora_version, title="Zoras Titel")
        ).status_code
        == 302
    )
    response = anna.post(
        url, measure_data("measure", version=anna_version, title="Annas getippter Titel")
    )

    assert response.status_code == 409
    body = text(response)
    assert 'value="Annas getippter Titel"' in body
    assert "Zoras Titel" in body and "Zora Zwei" in body
    current = Measure.objects.get(pk=measure_a.pk)
    assert current.title == "Zoras Titel"
    assert hidden_version(body, "measure-version") == current.version


def test_measure_edit_other_profiles_measure_is_404(client_as, mission_a, measure_b):
    client = client_as("tandem_a")
    url = purl("mission_measure_edit", mission_a.participation, measure_b.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, measure_data("measure", version=1)).status_code == 404
    assert (
        client.get(purl("mission_measure_edit", mission_a.participation, HUGE_ID)).status_code
        == 404
    )
    assert Measure.objects.get(pk=measure_b.pk).title == "Buchenfelds Maßnahme"


def test_measure_edit_coordinator_cannot_edit(client_as, mission_a, measure_a):
    client = client_as("coordinator")
    url = purl("mission_measure_edit", mission_a.participation, measure_a.pk)
    assert client.get(url).status_code == 403
    response = client.post(url, measure_data("measure", version=measure_a.version, title="Nein"))
    assert response.status_code == 403
    assert Measure.objects.get(pk=measure_a.pk).title == "Lotsenprogramm starten"


# --- measures: status and delete -----------------------------------------------------------------


def _set_status(client, measure, status, reason="", headers=None, origin=None):
    measure.refresh_from_db()
    url = purl("mission_measure_status", measure.profile.participation, measure.pk)
    data = status_data(measure, status, reason)
    if origin:
        data["origin"] = origin
    return client.post(url, data, headers=headers or {})


def test_measure_status_lifecycle(client_as, measure_a, tandem_a):
    client = client_as("tandem_a")
    step_url = purl("mission_step_mission", measure_a.profile.participation)

    for status in ("in_progress", "done", "sustained"):
        response = _set_status(client, measure_a, status)
        assert response.status_code == 302
        assert response["Location"] == f"{step_url}#measure-{measure_a.pk}"
        measure = Measure.objects.get(pk=measure_a.pk)
        assert measure.status == status
        assert measure.updated_by == tandem_a
    # a sustained measure offers no further status
    page = client.get(step_url)
    assert page.context["measures"][0].quick_actions == []
    assert not page.context["measures"][0].can_drop
    edit_url = purl("mission_measure_edit", measure_a.profile.participation, measure_a.pk)
    assert "This measure has reached its final status." in text(client.get(edit_url))


def test_measure_status_offers_only_allowed_next_states(client_as, measure_a):
    client = client_as("tandem_a")
    participation = measure_a.profile.participation
    listed = client.get(purl("mission_step_mission", participation)).context["measures"][0]
    assert listed.quick_actions == [("in_progress", "Start")]  # dropping needs the reason form
    assert listed.can_drop

    page = client.get(purl("mission_measure_edit", participation, measure_a.pk))
    form = page.context["status_form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        "",
        "in_progress",
        "dropped",
    ]

    _set_status(client, measure_a, "in_progress")
    listed = client.get(purl("mission_step_mission", participation)).context["measures"][0]
    assert listed.quick_actions == [("planned", "Back to planned"), ("done", "Mark as done")]


@pytest.mark.parametrize("htmx,origin", [(False, None), (True, None), (False, "page")])
def test_measure_status_illegal_transition_is_refused(client_as, measure_a, htmx, origin):
    response = _set_status(
        client_as("tandem_a"), measure_a, "sustained", headers=HX if htmx else {}, origin=origin
    )

    assert response.status_code == 200
    body = text(response)
    assert "A measure cannot go from “Planned” to “Sustained”." in body
    assert ("<html" in body) is not htmx
    if origin == "page":  # back on the measure's own page, its status form shows the message
        assert 'id="status-heading"' in body
    else:
        assert "The status of “Lotsenprogramm starten” was not changed." in body
    assert Measure.objects.get(pk=measure_a.pk).status == MeasureStatus.PLANNED


def test_measure_drop_needs_a_reason(client_as, measure_a):
    client = client_as("tandem_a")

    response = _set_status(client, measure_a, "dropped", reason="   ", origin="page")
    assert response.status_code == 200
    assert "Please say why the measure is dropped." in text(response)
    assert response.context["status_form"].errors["reason"]
    assert Measure.objects.get(pk=measure_a.pk).status == MeasureStatus.PLANNED

    response = _set_status(client, measure_a, "dropped", reason="Kein Budget mehr", origin="page")
    assert response.status_code == 302
    measure = Measure.objects.get(pk=measure_a.pk)
    assert measure.status == MeasureStatus.DROPPED
    assert measure.drop_reason == "Kein Budget mehr"
    page = text(client.get(purl("mission_step_mission", measure.profile.participation)))
    assert "Kein Budget mehr" in page


def test_measure_status_with_htmx_answers_the_measures_section(client_as, measure_a):
    response = _set_status(client_as("tandem_a"), measure_a, "in_progress", headers=HX)
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<section id="measures-section"')
    assert "“Lotsenprogramm starten” is now “In progress”." in body
    assert Measure.objects.get(pk=measure_a.pk).status == MeasureStatus.IN_PROGRESS


def test_measure_status_concurrent_change_is_409(client_as, measure_a, zora):
    stale = status_data(measure_a, "in_progress")
    services.measure_set_status(measure=measure_a, user=zora, status="dropped", reason="Zu teuer")

    response = client_as("tandem_a").post(
        purl("mission_measure_status", measure_a.profile.participation, measure_a.pk), stale
    )

    assert response.status_code == 409
    body = text(response)
    assert "Zora Zwei" in body and "Zu teuer" in body
    assert Measure.objects.get(pk=measure_a.pk).status == MeasureStatus.DROPPED


def test_measure_overdue_is_flagged_in_text(client_as, mission_a, tandem_a):
    services.measure_create(
        profile=mission_a,
        user=tandem_a,
        title="Alte Maßnahme",
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    body = text(client_as("tandem_a").get(purl("mission_step_mission", mission_a.participation)))
    assert "overdue" in body


def test_measure_status_permissions(client_as, measure_a, measure_b):
    url = purl("mission_measure_status", measure_a.profile.participation, measure_a.pk)
    data = status_data(measure_a, "in_progress")
    assert client_as("tandem_a").get(url).status_code == 405
    assert client_as("coordinator").post(url, data).status_code == 403
    assert client_as("tandem_b").post(url, data).status_code == 404
    assert client_as("outsider").post(url, data).status_code == 404
    assert_login_required(client_as("anonymous").post(url, data))
    other = purl("mission_measure_status", measure_a.profile.participation, measure_b.pk)
    assert (
        client_as("tandem_a").post(other, status_data(measure_b, "in_progress")).status_code == 404
    )
    assert Measure.objects.get(pk=measure_a.pk).status == MeasureStatus.PLANNED
    assert Measure.objects.get(pk=measure_b.pk).status == MeasureStatus.PLANNED


def test_measure_delete(client_as, measure_a, measure_b):
    participation = measure_a.profile.participation
    url = purl("mission_measure_delete", participation, measure_a.pk)
    assert client_as("tandem_a").get(url).status_code == 405
    assert client_as("coordinator").post(url).status_code == 403
    assert client_as("tandem_b").post(url).status_code == 404
    assert_login_required(client_as("anonymous").post(url))
    other = purl("mission_measure_delete", participation, measure_b.pk)
    assert client_as("tandem_a").post(other).status_code == 404
    assert Measure.objects.filter(pk=measure_a.pk).exists()

    response = client_as("tandem_a").post(url)

    assert response.status_code == 302
    assert response["Location"].endswith("#measures-section")
    assert not Measure.objects.filter(pk=measure_a.pk).exists()
    assert Measure.objects.filter(pk=measure_b.pk).exists()


# --- review workflow -----------------------------------------------------------------------------


def review(client, profile, action, comment="", next_url=None, headers=None):
    data = {"review-action": action, "review-comment": comment}
    if next_url is not None:
        data["next"] = next_url
    return client.post(purl("mission_review", profile.participation), data, headers=headers or {})


def test_cannot_submit_while_a_goal_lacks_indicator_target_or_deadline(
    client_as, mission_a, tandem_a
):
    services.goal_create(
        profile=mission_a, user=tandem_a, **{**COMPLETE_GOAL, "target": None, "deadline": None}
    )

    response = review(client_as("tandem_a"), mission_a, "submit")

    assert response.status_code == 200
    assert "Goal 1: target value missing" in text(response)
    assert "Goal 1: deadline missing" in text(response)
    assert MissionProfile.objects.get(pk=mission_a.pk).status == ProfileStatus.DRAFT
    assert not ReviewEvent.objects.exists()
    # the blocker is listed before anyone presses the button
    page = client_as("tandem_a").get(purl("mission_step_mission", mission_a.participation))
    assert page.context["submission_problems"]


def test_review_workflow_end_to_end(client_as, mission_a, goal_a, tandem_a, coordinator):
    tandem, coord = client_as("tandem_a"), client_as("coordinator")
    step_url = purl("mission_step_mission", mission_a.participation)

    def status():
        return MissionProfile.objects.get(pk=mission_a.pk).status

    # the coordination office cannot submit for the tandem, nor approve a draft
    assert review(coord, mission_a, "submit").status_code == 403
    response = review(coord, mission_a, "approve")
    assert response.status_code == 200
    assert "This step is not possible while the profile is “Draft”." in text(response)
    assert status() == ProfileStatus.DRAFT

    response = review(tandem, mission_a, "submit", next_url=step_url)
    assert response.status_code == 302 and response["Location"] == step_url
    assert status() == ProfileStatus.SUBMITTED

    # a tandem member cannot approve their own profile
    assert review(tandem, mission_a, "approve").status_code == 403
    assert review(tandem, mission_a, "return", "Selbst").status_code == 403
    assert status() == ProfileStatus.SUBMITTED

    response = review(coord, mission_a, "return", "   ")
    assert response.status_code == 200
    assert "Please tell the tandem what to change." in text(response)
    assert "Comment for the tandem" in text(response)
    assert status() == ProfileStatus.SUBMITTED

    assert review(coord, mission_a, "return", "Bitte Ziel 1 schärfen.").status_code == 302
    assert status() == ProfileStatus.RETURNED

    page = text(tandem.get(step_url))
    assert "Returned with comments by the coordination office" in page
    assert "Bitte Ziel 1 schärfen." in page

    assert review(tandem, mission_a, "submit").status_code == 302
    assert review(coord, mission_a, "approve", "Gut so.").status_code == 302
    assert status() == ProfileStatus.APPROVED
    assert review(tandem, mission_a, "activate").status_code == 403
    assert review(coord, mission_a, "activate").status_code == 302
    assert status() == ProfileStatus.ACTIVE

    events = list(ReviewEvent.objects.filter(profile=mission_a).order_by("at", "pk"))
    assert [e.action for e in events] == [
        ReviewAction.SUBMIT,
        ReviewAction.RETURN,
        ReviewAction.SUBMIT,
        ReviewAction.APPROVE,
        ReviewAction.ACTIVATE,
    ]
    assert [e.by for e in events] == [tandem_a, coordinator, tandem_a, coordinator, coordinator]
    assert events[1].comment == "Bitte Ziel 1 schärfen."
    history = text(coord.get(step_url))
    assert "Review history" in history and "Gut so." in history


def test_review_with_htmx(client_as, mission_a, goal_a):
    client = client_as("tandem_a")
    step_url = purl("mission_step_mission", mission_a.participation)

    services.profile_update(
        profile=mission_a, user=None, expected_version=None, mission_statement=""
    )
    refused = review(client, mission_a, "submit", next_url=step_url, headers=HX)
    assert refused.status_code == 200
    assert text(refused).lstrip().startswith('<section id="review-panel"')
    assert "The mission statement is missing." in text(refused)

    services.profile_update(
        profile=mission_a, user=None, expected_version=None, mission_statement="Wieder da"
    )
    done = review(client, mission_a, "submit", next_url=step_url, headers=HX)
    assert done.status_code == 200
    assert done["HX-Redirect"] == step_url
    assert MissionProfile.objects.get(pk=mission_a.pk).status == ProfileStatus.SUBMITTED


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:x",
        "/a\r\nSet-Cookie: x=1",
        "/\\evil",
    ],
)
def test_review_never_redirects_elsewhere(client_as, mission_a, goal_a, next_url):
    response = review(client_as("tandem_a"), mission_a, "submit", next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == purl("mission_profile", mission_a.participation)


@pytest.mark.parametrize("action", ["", "publish", "x" * 500])
def test_review_bad_action_is_a_form_error(client_as, mission_a, action):
    response = review(client_as("coordinator"), mission_a, action)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert MissionProfile.objects.get(pk=mission_a.pk).status == ProfileStatus.DRAFT


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_review_step_shows_the_shared_error_summary(client_as, mission_a, goal_a, htmx):
    """The comment the return needs is listed and linked to its field, and the summary takes the
    focus when the page or the swapped panel arrives (data-error-summary, static/js/forms.js)."""
    step_url = purl("mission_step_mission", mission_a.participation)
    assert review(client_as("tandem_a"), mission_a, "submit").status_code == 302
    response = review(
        client_as("coordinator"), mission_a, "return", "  ", step_url, HX if htmx else None
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#id_review-comment" data-error-link="id_review-comment"' in body
    assert 'id="id_review-comment"' in body
    assert "Please tell the tandem what to change." in text(response)
    assert body.lstrip().startswith('<section id="review-panel"') is htmx


def test_a_review_without_a_button_says_which_to_choose(client_as, mission_a, goal_a):
    response = review(client_as("coordinator"), mission_a, "publish")
    assert "Please choose one of the buttons." in text(response)
    assert "data-error-summary" in response.content.decode()


def test_a_refused_quick_status_links_to_the_measures_status_form(client_as, measure_a):
    response = _set_status(client_as("tandem_a"), measure_a, "sustained", headers=HX)
    body = response.content.decode()
    edit_url = purl("mission_measure_edit", measure_a.profile.participation, measure_a.pk)
    assert "data-error-summary" in body
    assert f'<a class="kern-link" href="{edit_url}#status">' in body
    assert "A measure cannot go from “Planned” to “Sustained”." in text(response)


def test_review_permissions(client_as, mission_a, goal_a):
    url = purl("mission_review", mission_a.participation)
    assert client_as("coordinator").get(url).status_code == 405
    assert_login_required(client_as("anonymous").post(url, {"review-action": "submit"}))
    for persona in ("outsider", "tandem_b", "coordinator_y", "funder", "expert"):
        assert review(client_as(persona), mission_a, "submit").status_code == 404, persona
    assert MissionProfile.objects.get(pk=mission_a.pk).status == ProfileStatus.DRAFT


# --- sharing with the cohort ---------------------------------------------------------------------


def test_sharing_lets_the_cohort_read_but_not_write(client_as, mission_a, measure_a, coordinator):
    participation = mission_a.participation
    reader = client_as("tandem_b")
    read_urls = [
        purl("mission_step_mission", participation),
        purl("mission_print", participation),
    ]
    for url in read_urls:
        assert reader.get(url).status_code == 404

    services.profile_review(profile=mission_a, user=None, action="submit")
    services.profile_review(
        profile=mission_a, user=coordinator, action="return", comment="Nur-fuer-das-Tandem"
    )
    response = client_as("tandem_a").post(
        purl("mission_share", participation),
        {"shared": "1", "next": purl("mission_step_mission", participation)},
    )
    assert response.status_code == 302
    assert response["Location"] == purl("mission_step_mission", participation)
    assert MissionProfile.objects.get(pk=mission_a.pk).shared_with_cohort

    for url in read_urls:
        assert reader.get(url).status_code == 200
    page = reader.get(purl("mission_step_mission", participation))
    body = text(page)
    assert "Lotsenprogramm starten" in body
    assert page.context["mission_form"] is None and page.context["measure_form"] is None
    assert all(not m.quick_actions and not m.can_drop for m in page.context["measures"])
    assert "Save mission" not in body and "quick-status" not in body
    assert "Add a measure" not in body
    assert "Submit for review" not in body and "Share read-only" not in body
    assert "Nur-fuer-das-Tandem" not in body  # the coordinator's feedback is for the tandem

    before = MissionProfile.objects.get(pk=mission_a.pk)
    posts = [
        (purl("mission_step_mission", participation), mission_data(before.version)),
        (purl("mission_measure_create", participation), measure_data("new-measure")),
        (
            purl("mission_measure_edit", participation, measure_a.pk),
            measure_data("measure", version=measure_a.version),
        ),
        (
            purl("mission_measure_status", participation, measure_a.pk),
            status_data(measure_a, "in_progress"),
        ),
        (purl("mission_measure_delete", participation, measure_a.pk), {}),
        (purl("mission_review", participation), {"review-action": "submit"}),
        (purl("mission_share", participation), {"shared": "0"}),
    ]
    for url, data in posts:
        assert reader.post(url, data).status_code == 403, url
    after = MissionProfile.objects.get(pk=mission_a.pk)
    assert (after.version, after.status, after.shared_with_cohort) == (
        before.version,
        "returned",
        True,
    )
    assert Measure.objects.filter(profile=mission_a).count() == 1
    assert Measure.objects.get(pk=measure_a.pk).status == MeasureStatus.PLANNED

    assert (
        client_as("tandem_a")
        .post(purl("mission_share", participation), {"shared": "0"})
        .status_code
        == 302
    )
    assert not MissionProfile.objects.get(pk=mission_a.pk).shared_with_cohort
    assert reader.get(read_urls[0]).status_code == 404


def test_share_permissions(client_as, mission_a):
    url = purl("mission_share", mission_a.participation)
    assert client_as("tandem_a").get(url).status_code == 405
    assert client_as("coordinator").post(url, {"shared": "1"}).status_code == 403
    assert client_as("coordinator_y").post(url, {"shared": "1"}).status_code == 404
    assert client_as("outsider").post(url, {"shared": "1"}).status_code == 404
    assert_login_required(client_as("anonymous").post(url, {"shared": "1"}))
    assert not MissionProfile.objects.get(pk=mission_a.pk).shared_with_cohort


def test_share_with_htmx_reloads_the_page(client_as, mission_a):
    step_url = purl("mission_step_mission", mission_a.participation)
    response = client_as("tandem_a").post(
        purl("mission_share", mission_a.participation),
        {"shared": "1", "next": step_url},
        headers=HX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == step_url
    assert MissionProfile.objects.get(pk=mission_a.pk).shared_with_cohort


# --- the printable Missionssteckbrief ------------------------------------------------------------


def test_print_view(client_as, mission_a, measure_a, goal_a, tandem_a):
    services.progress_add(goal=goal_a, user=tandem_a, value=Decimal("12.5"), on=dt.date(2025, 3, 1))
    response = client_as("tandem_a").get(purl("mission_print", mission_a.participation))

    assert response.status_code == 200
    body = text(response)
    assert '<html lang="en">' in body
    assert "css/print.css" in body
    assert "innolab.css" not in body and "site-nav" not in body  # standalone, no navigation
    assert "Ahornstadt" in body
    assert "Wir öffnen die Verwaltung für alle Menschen der Stadt." in body
    assert COMPLETE_GOAL["statement"] in body
    assert "Lotsenprogramm starten" in body
    assert "12.50" in body
    assert "Anna Ahorn (Sozialamt)" in body


# --- query counts --------------------------------------------------------------------------------


def _grow(profile, user, n_goals=5, n_measures=12):
    goals = [
        services.goal_create(profile=profile, user=user, **COMPLETE_GOAL) for _ in range(n_goals)
    ]
    for i in range(n_measures):
        measure = services.measure_create(
            profile=profile,
            user=user,
            goals=goals[: 1 + i % 3],
            title=f"Maßnahme {i}",
            due_date=dt.date(2020, 1, 1) if i % 2 else dt.date(2031, 1, 1),
        )
        if i % 4 == 1:
            services.measure_set_status(measure=measure, user=user, status="in_progress")
        for _ in range(2):
            services.progress_add(
                goal=goals[0], user=user, value=Decimal(i), on=dt.date(2024, 1, 1)
            )
    services.profile_review(profile=profile, user=user, action="submit")
    services.profile_review(profile=profile, user=None, action="return", comment="Mehr")


@pytest.mark.parametrize("persona", ["tandem_a", "coordinator"])
def test_step_mission_queries_do_not_grow(client_as, mission_a, measure_a, tandem_a, persona):
    assert_constant_queries(
        client_as(persona),
        purl("mission_step_mission", mission_a.participation),
        lambda: _grow(mission_a, tandem_a),
    )


def test_print_queries_do_not_grow(client_as, mission_a, measure_a, tandem_a):
    assert_constant_queries(
        client_as("tandem_a"),
        purl("mission_print", mission_a.participation),
        lambda: _grow(mission_a, tandem_a),
    )

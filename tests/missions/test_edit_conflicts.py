"""Edit conflicts with a choice per field (core.conflicts.field_conflicts), through the URLs.

Two people (or one person in two windows) open the same vision, goal, mission or measure; one
saves. The other's save is refused with only the fields changed since the version that person
started from, each with the value, who and when; per field they keep theirs or take the other's;
fields nobody else changed keep what was typed; a change in between refuses again, nothing lost.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from core.conflicts import changes_since
from missions import services
from missions.models import Measure, MissionProfile, SmartGoal

from ..conftest import make_client
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .conftest import SMART_GOAL

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, participation, *extra) -> str:
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk, *extra])


def version_in(body: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)"', body)
    assert match, f"no hidden {name}"
    return match.group(1)


def vision_data(version, **changes) -> dict:
    data = {
        "challenge": "Wenig Kontakt zu Vereinen",
        "vision": "Eine Stadt für alle.",
        "target_groups": "Neuzugewanderte",
        "dimensions": ["age"],
        "stakeholders": "Integrationsbeirat",
        "version": str(version),
    }
    data.update(changes)
    return data


def goal_data(goal, version, **changes) -> dict:
    prefix = f"goal-{goal.pk}"
    values = {**SMART_GOAL, **changes}
    data = {f"{prefix}-{k}": "" if v is None else str(v) for k, v in values.items()}
    data[f"{prefix}-version"] = str(version)
    return data


@pytest.fixture
def vision_a(profile_a, tandem_a):
    return services.profile_update(
        profile=profile_a, user=tandem_a, expected_version=None, **_vision_fields()
    )


def _vision_fields() -> dict:
    data = vision_data(0)
    del data["version"]
    return data


@pytest.fixture
def measure_a(profile_a, goal_a, tandem_a):
    return services.measure_create(
        profile=profile_a,
        user=tandem_a,
        goals=[goal_a],
        title="Lotsenprogramm",
        description="Lots*innen ausbilden",
        responsible="Personalamt",
        due_date=dt.date(2030, 6, 30),
    )


def measure_data(measure, version, goals, **changes) -> dict:
    data = {
        "measure-title": measure.title,
        "measure-description": measure.description,
        "measure-responsible": measure.responsible,
        "measure-due_date": measure.due_date.isoformat(),
        "measure-goals": [g.pk for g in goals],
        "measure-version": str(version),
    }
    data.update({f"measure-{k}": v for k, v in changes.items()})
    return data


# --- vision -------------------------------------------------------------------------------------


def test_vision_refusal_lists_only_what_the_other_person_changed(
    client_as, vision_a, second_member_a
):
    vision_url = url("mission_step_vision", vision_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(vision_url)), "version")

    zora.post(vision_url, vision_data(started, stakeholders="Zoras Akteure", vision="Zoras Vision"))
    refused = anna.post(
        vision_url, vision_data(started, vision="Annas Vision", challenge="Annas Herausforderung")
    )

    assert refused.status_code == 409
    conflict = refused.context["conflict"]
    fields = {f.label: f for f in conflict.fields}
    # Anna's challenge is not asked about: Zora did not touch it
    assert list(fields) == ["Vision", "Stakeholders"]
    vision, stakeholders = fields["Vision"], fields["Stakeholders"]
    assert (vision.theirs, vision.yours, vision.chosen) == ("Zoras Vision", "Annas Vision", "")
    assert (stakeholders.theirs, stakeholders.chosen) == ("Zoras Akteure", "theirs")
    assert vision.by == second_member_a and not vision.by_you
    assert vision.at == MissionProfile.history.filter(id=vision_a.pk).latest().history_date
    body = text(refused)
    assert "Zora Zweite" in body and "Changed on" in body
    assert "Annas Herausforderung" in body and "Annas Vision" in body  # nothing typed is lost
    assert 'name="conflict-vision" id="id_conflict-vision_mine" value="mine" required>' in body
    assert 'id="id_conflict-stakeholders_theirs" value="theirs" required checked>' in body
    assert "Keep my version" in body and "Take their version" in body


@pytest.mark.parametrize("choice, expected", [("mine", "Annas Vision"), ("theirs", "Zoras Vision")])
def test_vision_choice_decides_the_saved_row(
    client_as, vision_a, second_member_a, choice, expected
):
    vision_url = url("mission_step_vision", vision_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(vision_url)), "version")
    zora.post(vision_url, vision_data(started, stakeholders="Zoras Akteure", vision="Zoras Vision"))
    typed = vision_data(started, vision="Annas Vision", challenge="Annas Herausforderung")
    refused = anna.post(vision_url, typed)
    seen = version_in(text(refused), "version")

    saved = anna.post(
        vision_url,
        {
            **typed,
            "version": seen,
            "conflict-vision": choice,
            "conflict-stakeholders": "theirs",
        },
    )

    assert saved.status_code == 302
    profile = MissionProfile.objects.get(pk=vision_a.pk)
    assert profile.vision == expected
    assert profile.stakeholders == "Zoras Akteure"  # taken from Zora, not reverted to the old one
    assert profile.challenge == "Annas Herausforderung"  # nobody else changed it: Anna's entry


def test_same_person_in_two_windows_is_named_so(client_as, vision_a, tandem_a):
    vision_url = url("mission_step_vision", vision_a.participation)
    window_1, window_2 = client_as("tandem_a"), client_as("tandem_a")
    started = version_in(text(window_1.get(vision_url)), "version")
    window_2.post(vision_url, vision_data(started, vision="Aus Fenster 2"))

    refused = window_1.post(vision_url, vision_data(started, vision="Aus Fenster 1"), **HTMX)

    assert refused.status_code == 409
    [field] = refused.context["conflict"].fields
    assert field.by_you
    body = text(refused)
    assert "you, in another window" in body
    assert "you changed this in another window in the meantime" in body


def test_same_person_wording_in_german(client_as, vision_a, tandem_a):
    vision_url = url("mission_step_vision", vision_a.participation)
    window_1, window_2 = client_as("tandem_a"), client_as("tandem_a")
    started = version_in(text(window_1.get(vision_url)), "version")
    window_2.post(vision_url, vision_data(started, vision="Aus Fenster 2"))

    window_1.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    refused = window_1.post(vision_url, vision_data(started, vision="Aus Fenster 1"))

    body = text(refused)
    assert "Sie in einem anderen Fenster" in body
    assert "Meine Fassung behalten" in body and "Deren Fassung übernehmen" in body


def test_a_third_change_meanwhile_refuses_again_and_keeps_everything(
    client_as, vision_a, second_member_a, tandem_b
):
    """Anna decides, but Zora saves again before Anna does: a new refusal against the version
    Anna last saw, with her input and her earlier choices still there; nothing overwritten."""
    vision_url = url("mission_step_vision", vision_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(vision_url)), "version")
    zora.post(vision_url, vision_data(started, vision="Zoras Vision", stakeholders="Zora 1"))
    typed = vision_data(started, vision="Annas Vision")
    seen = version_in(text(anna.post(vision_url, typed)), "version")
    # Zora changes the target groups (never asked about before) and her vision again
    zora.post(
        vision_url,
        vision_data(seen, vision="Zoras zweite Vision", stakeholders="Zora 1", target_groups="Z"),
    )

    again = anna.post(
        vision_url,
        {
            **typed,
            "version": seen,
            "conflict-base": started,  # as the refusal's form posts them
            "conflict-vision": "mine",
            "conflict-stakeholders": "theirs",
        },
    )

    assert again.status_code == 409
    profile = MissionProfile.objects.get(pk=vision_a.pk)
    assert (profile.vision, profile.target_groups) == ("Zoras zweite Vision", "Z")
    conflict = again.context["conflict"]
    fields = {f.label: (f.theirs, f.yours, f.chosen) for f in conflict.fields}
    # still counted from the version Anna started from; the vision changed again since she
    # chose, so she is asked again; her choice for the stakeholders stands
    assert fields == {
        "Vision": ("Zoras zweite Vision", "Annas Vision", ""),
        "Target groups": ("Z", "Neuzugewanderte", "theirs"),
        "Stakeholders": ("Zora 1", "Integrationsbeirat", "theirs"),
    }
    body = text(again)
    assert "Annas Vision" in body
    assert f'name="conflict-base" value="{started}"' in body
    latest = version_in(body, "version")
    assert latest == str(profile.version)

    saved = anna.post(
        vision_url,
        {
            **typed,
            "version": latest,
            "conflict-vision": "mine",
            "conflict-target_groups": "theirs",
            "conflict-stakeholders": "theirs",
        },
    )

    assert saved.status_code == 302
    profile.refresh_from_db()
    assert (profile.vision, profile.target_groups, profile.stakeholders) == (
        "Annas Vision",
        "Z",
        "Zora 1",
    )


def test_a_field_changed_and_changed_back_is_not_asked_about(client_as, vision_a, second_member_a):
    vision_url = url("mission_step_vision", vision_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(vision_url)), "version")
    zora.post(vision_url, vision_data(started, vision="Kurz anders"))
    zora.post(vision_url, vision_data(int(started) + 1, stakeholders="Zora"))  # vision back

    refused = anna.post(vision_url, vision_data(started, vision="Annas Vision"))

    assert [f.label for f in refused.context["conflict"].fields] == ["Stakeholders"]


# --- goal ---------------------------------------------------------------------------------------


def test_goal_both_changed_the_same_field_keep_mine_and_take_theirs(
    client_as, goal_a, second_member_a
):
    edit_url = url("mission_goal_edit", goal_a.profile.participation, goal_a.pk)
    prefix = f"goal-{goal_a.pk}"
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(edit_url)), f"{prefix}-version")
    zora.post(edit_url, goal_data(goal_a, started, target="30", owner="Kulturamt"))

    typed = goal_data(goal_a, started, target="25", unit="Prozent")
    refused = anna.post(edit_url, typed, **HTMX)

    assert refused.status_code == 409
    fields = {f.label: (f.theirs, f.yours, f.chosen) for f in refused.context["conflict"].fields}
    assert fields == {
        "Target value": ("30", "25", ""),
        "Responsible": ("Kulturamt", "Personalamt", "theirs"),
    }
    saved = anna.post(
        edit_url,
        {
            **typed,
            f"{prefix}-version": version_in(text(refused), f"{prefix}-version"),
            f"{prefix}-conflict-target": "mine",
            f"{prefix}-conflict-owner": "theirs",
        },
    )

    assert saved.status_code == 302
    goal = SmartGoal.objects.get(pk=goal_a.pk)
    assert (goal.target, goal.owner, goal.unit) == (Decimal("25"), "Kulturamt", "Prozent")


# --- mission (step 3) ---------------------------------------------------------------------------


def test_mission_conflict_choices_are_inside_the_form(client_as, profile_a, second_member_a):
    step_url = url("mission_step_mission", profile_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(step_url)), "mission-version")
    mission = {"mission-mission_statement": "", "mission-resources": "", "mission-risks": ""}
    zora.post(step_url, {**mission, "mission-risks": "Zoras Risiko", "mission-version": started})

    typed = {**mission, "mission-mission_statement": "Annas Mission", "mission-version": started}
    refused = anna.post(step_url, typed, **HTMX)

    assert refused.status_code == 409
    body = text(refused)
    form = body[body.index("<form") : body.index("</form>")]
    assert 'name="mission-conflict-risks"' in form
    assert "Annas Mission" in form
    [field] = refused.context["mission_conflict"].fields
    assert (field.label, field.theirs, field.chosen) == ("Risks", "Zoras Risiko", "theirs")

    saved = anna.post(
        step_url,
        {
            **typed,
            "mission-version": version_in(body, "mission-version"),
            "mission-conflict-risks": "theirs",
        },
    )
    assert saved.status_code == 302
    profile = MissionProfile.objects.get(pk=profile_a.pk)
    assert (profile.mission_statement, profile.risks) == ("Annas Mission", "Zoras Risiko")


# --- measure ------------------------------------------------------------------------------------


def test_measure_conflict_with_goals(client_as, measure_a, goal_a, second_member_a, tandem_a):
    edit_url = url("mission_measure_edit", measure_a.profile.participation, measure_a.pk)
    other_goal = services.goal_create(profile=measure_a.profile, user=tandem_a, statement="Zwei")
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(edit_url)), "measure-version")
    zora.post(edit_url, measure_data(measure_a, started, [other_goal], title="Zoras Titel"))

    typed = measure_data(measure_a, started, [goal_a], title="Annas Titel", responsible="Amt 3")
    refused = anna.post(edit_url, typed)

    assert refused.status_code == 409
    fields = {f.label: (f.theirs, f.yours, f.chosen) for f in refused.context["conflict"].fields}
    assert fields == {
        "Measure": ("Zoras Titel", "Annas Titel", ""),
        "Goals served": ("Goal 2: Zwei", f"Goal 1: {goal_a.statement}", "theirs"),
    }
    body = text(refused)
    assert 'value="Annas Titel"' in body and 'value="Amt 3"' in body
    form = body[body.index(f'<form method="post" action="{edit_url}"') :]
    assert form.index('name="measure-conflict-title"') < form.index("</form>")

    saved = anna.post(
        edit_url,
        {
            **typed,
            "measure-version": version_in(body, "measure-version"),
            "measure-conflict-title": "mine",
            "measure-conflict-goals": "theirs",
        },
    )

    assert saved.status_code == 302
    measure = Measure.objects.get(pk=measure_a.pk)
    assert (measure.title, measure.responsible) == ("Annas Titel", "Amt 3")
    assert list(measure.goals.all()) == [other_goal]


# --- the mechanism ------------------------------------------------------------------------------


def test_changes_since_names_who_changed_each_field_last(vision_a, tandem_a, second_member_a):
    v = vision_a.version
    services.profile_update(
        profile=vision_a, user=second_member_a, expected_version=v, vision="Zora"
    )
    services.profile_update(
        profile=vision_a, user=tandem_a, expected_version=v + 1, stakeholders="Anna"
    )
    current = MissionProfile.objects.get(pk=vision_a.pk)

    changes = changes_since(current, v, ["vision", "stakeholders", "challenge"])

    assert {name: c.by for name, c in changes.items()} == {
        "vision": second_member_a,
        "stakeholders": tandem_a,
    }
    assert changes["vision"].before == vision_a.vision
    assert changes_since(current, 999, ["vision"]) is None  # no record of that version


def test_records_without_a_version_fall_back_to_comparing_with_the_input(
    client_as, vision_a, second_member_a
):
    """History written before the records carried versions (migration 0003: version 0)."""
    vision_url = url("mission_step_vision", vision_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(vision_url)), "version")
    MissionProfile.history.filter(id=vision_a.pk).update(version=0)
    zora.post(vision_url, vision_data(started, vision="Zoras Vision"))

    refused = anna.post(vision_url, vision_data(started, challenge="Annas Herausforderung"))

    assert refused.status_code == 409
    fields = {f.label: (f.theirs, f.chosen) for f in refused.context["conflict"].fields}
    # who changed what is unknown: every difference is asked about, nothing preselected
    assert fields == {
        "Challenge": ("Wenig Kontakt zu Vereinen", ""),
        "Vision": ("Zoras Vision", ""),
    }


def test_a_choice_left_out_is_asked_again_not_overwritten(client_as, vision_a, second_member_a):
    """The forms are `novalidate`: a save without a choice for an asked field is refused."""
    vision_url = url("mission_step_vision", vision_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    started = version_in(text(anna.get(vision_url)), "version")
    zora.post(vision_url, vision_data(started, vision="Zoras Vision"))
    typed = vision_data(started, vision="Annas Vision", challenge="Annas Herausforderung")
    body = text(anna.post(vision_url, typed))
    assert '<input type="hidden" name="conflict-asked" value="conflict-vision">' in body

    again = anna.post(
        vision_url,
        {
            **typed,
            "version": version_in(body, "version"),
            "conflict-base": started,
            "conflict-asked": "conflict-vision",
        },
    )

    assert again.status_code == 409
    assert [f.label for f in again.context["conflict"].fields] == ["Vision"]
    assert "Annas Herausforderung" in text(again)
    profile = MissionProfile.objects.get(pk=vision_a.pk)
    assert (profile.vision, profile.challenge) == ("Zoras Vision", "Wenig Kontakt zu Vereinen")

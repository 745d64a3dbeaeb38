"""The profile overview, step 1 (vision), step 2 (SMART goals), progress and its chart.

Per view: the happy path with the database checked afterwards, anonymous → login, outsider and
other tandem → 404, coordinator reads but may not write (403), wrong method → 405, htmx → only the
partial; plus SMART letters, progress share, the edit conflict of two people and query counts.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from missions import charts, selectors, services
from missions.models import (
    DiversityDimension,
    Measure,
    MeasureStatus,
    MissionProfile,
    ProgressUpdate,
    SmartGoal,
)

from ..conftest import make_client
from ..helpers import assert_constant_queries, assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .conftest import SMART_GOAL

pytestmark = pytest.mark.django_db

HUGE_ID = 10**19  # beyond a PostgreSQL bigint
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, participation, *extra) -> str:
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk, *extra])


def goal_url(name: str, goal: SmartGoal) -> str:
    return url(name, goal.profile.participation, goal.pk)


def hidden_value(body: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', body) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', body
    )
    assert match, f"no field {name}"
    return match.group(1)


def goal_post_data(prefix: str, version: int | None = None, **changes) -> dict:
    values = {**SMART_GOAL, **changes}
    data = {
        f"{prefix}-{name}": "" if value is None else str(value) for name, value in values.items()
    }
    if version is not None:
        data[f"{prefix}-version"] = str(version)
    return data


def vision_data(version, **changes) -> dict:
    data = {
        "challenge": "Wenig Kontakt zu migrantischen Vereinen",
        "vision": "Ahornstadt ist eine Stadt für alle.",
        "target_groups": "Neuzugewanderte",
        "dimensions": ["age", "ethnic_origin", "social_origin"],
        "stakeholders": "Integrationsbeirat",
        "version": str(version),
    }
    data.update(changes)
    return data


def add_progress(goal, user, value, on) -> ProgressUpdate:
    return services.progress_add(goal=goal, user=user, value=Decimal(value), on=on)


def plain(response) -> str:
    """The response as text without tags and with single spaces, for phrases that span tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def is_partial(response) -> bool:
    body = response.content.decode()
    return "<html" not in body and "<body" not in body


# --- profile_overview -------------------------------------------------------------------------


def test_overview_shows_the_profile_at_a_glance(client_as, profile_a, goal_a, tandem_a):
    services.profile_update(
        profile=profile_a,
        user=tandem_a,
        expected_version=None,
        vision="Ahornstadt ist eine Stadt für alle.",
        dimensions=["age", "social_origin"],
        mission_statement="Wir öffnen die Verwaltung.",
    )
    half_done = services.goal_create(profile=profile_a, user=tandem_a, statement="Halb fertig")
    add_progress(goal_a, tandem_a, "15", dt.date(2025, 6, 1))
    services.measure_create(profile=profile_a, user=tandem_a, title="Kampagne")
    services.measure_create(
        profile=profile_a, user=tandem_a, title="Alt", due_date=dt.date(2020, 1, 1)
    )

    response = client_as("tandem_a").get(url("mission_profile", profile_a.participation))

    assert response.status_code == 200
    body = text(response)
    assert "Ahornstadt ist eine Stadt für alle." in body
    assert "Wir öffnen die Verwaltung." in body
    assert "Age, Social origin" in body
    assert SMART_GOAL["statement"] in body
    assert "Halb fertig" in body
    assert "1 of 2 goals meet all SMART criteria." in body
    assert "Missing: Measurable, Achievable, Relevant, Time-bound" in plain(response)
    assert "50\xa0%" in body  # 10 → 15 of 10 → 20
    assert "2 measures" in body
    assert "1 measure is overdue." in body
    assert "by Anna Ahorn" in body
    assert response.context["step"] == "overview"
    assert [g.pk for g in response.context["overview"].goals] == [goal_a.pk, half_done.pk]


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_overview_readable_by_coordinator_and_admin(client_as, profile_a, goal_a, persona):
    response = client_as(persona).get(url("mission_profile", profile_a.participation))
    assert response.status_code == 200
    assert SMART_GOAL["statement"] in text(response)


def test_overview_shared_profile_is_readable_by_the_cohort(client_as, profile_a, goal_a):
    MissionProfile.objects.filter(pk=profile_a.pk).update(shared_with_cohort=True)
    client = client_as("tandem_b")

    response = client.get(url("mission_profile", profile_a.participation))

    assert response.status_code == 200
    assert response.context["access"].read_only
    assert client.get(goal_url("mission_goal_progress", goal_a)).status_code == 200
    assert client.get(goal_url("mission_goal_chart", goal_a)).status_code == 200


def test_overview_unknown_participation(client_as, cohort_x, tandem_a):
    args = [cohort_x.lab.slug, cohort_x.slug, HUGE_ID]
    assert client_as("tandem_a").get(reverse("mission_profile", args=args)).status_code == 404


def test_overview_queries_constant(client_as, profile_a, goal_a, tandem_a):
    def grow():
        for n in range(6):
            goal = services.goal_create(
                profile=profile_a, user=tandem_a, statement=f"Ziel {n}", target=Decimal(n + 1)
            )
            for day in range(1, 4):
                add_progress(goal, tandem_a, str(day), dt.date(2025, 3, day))
            measure = services.measure_create(profile=profile_a, user=tandem_a, title=f"M {n}")
            measure.goals.add(goal)

    assert_constant_queries(
        client_as("tandem_a"), url("mission_profile", profile_a.participation), grow
    )


# --- step_vision ------------------------------------------------------------------------------


def test_vision_form_has_labels_and_a_fieldset(client_as, profile_a):
    response = client_as("tandem_a").get(url("mission_step_vision", profile_a.participation))

    assert response.status_code == 200
    body = text(response)
    assert '<fieldset class="kern-fieldset"' in body
    assert "<legend" in body and "Diversity dimensions" in body
    for value in DiversityDimension.values:
        assert f'for="id_dimensions_{DiversityDimension.values.index(value)}"' in body
    for name in ("challenge", "vision", "target_groups", "stakeholders"):
        assert f'for="id_{name}"' in body
    assert hidden_value(body, "version") == str(profile_a.version)


def test_vision_save(client_as, profile_a, tandem_a):
    vision_url = url("mission_step_vision", profile_a.participation)

    response = client_as("tandem_a").post(vision_url, vision_data(profile_a.version))

    assert response.status_code == 302
    assert response["Location"] == vision_url
    profile_a.refresh_from_db()
    assert profile_a.vision == "Ahornstadt ist eine Stadt für alle."
    assert profile_a.dimensions == ["age", "ethnic_origin", "social_origin"]
    assert profile_a.stakeholders == "Integrationsbeirat"
    assert profile_a.version == 2
    assert profile_a.updated_by == tandem_a
    assert profile_a.history.count() >= 1


def test_vision_save_and_continue(client_as, profile_a):
    response = client_as("tandem_a").post(
        url("mission_step_vision", profile_a.participation),
        vision_data(profile_a.version, **{"continue": "goals"}),
    )

    assert response.status_code == 302
    assert response["Location"] == url("mission_step_goals", profile_a.participation)


def test_vision_htmx_save_answers_the_form_partial(client_as, profile_a):
    response = client_as("tandem_a").post(
        url("mission_step_vision", profile_a.participation), vision_data(1), **HTMX
    )

    assert response.status_code == 200
    assert is_partial(response)
    body = text(response)
    assert body.lstrip().startswith('<form id="vision-form"')
    assert "Saved at" in body
    assert hidden_value(body, "version") == "2"
    assert MissionProfile.objects.get(pk=profile_a.pk).vision.startswith("Ahornstadt")


def test_vision_htmx_save_and_continue_redirects_the_browser(client_as, profile_a):
    response = client_as("tandem_a").post(
        url("mission_step_vision", profile_a.participation),
        vision_data(1, **{"continue": "goals"}),
        **HTMX,
    )

    assert response["HX-Redirect"] == url("mission_step_goals", profile_a.participation)


def test_vision_rejects_unknown_dimensions(client_as, profile_a):
    response = client_as("tandem_a").post(
        url("mission_step_vision", profile_a.participation),
        vision_data(1, dimensions=["age", "star_sign"]),
    )

    assert response.status_code == 200
    assert "dimensions" in response.context["form"].errors
    assert MissionProfile.objects.get(pk=profile_a.pk).vision == ""


def test_vision_without_version_is_refused(client_as, profile_a):
    data = vision_data(1)
    del data["version"]

    response = client_as("tandem_a").post(url("mission_step_vision", profile_a.participation), data)

    assert response.status_code == 200
    assert "This form is out of date" in text(response)
    assert MissionProfile.objects.get(pk=profile_a.pk).vision == ""


def test_vision_coordinator_reads_but_may_not_write(client_as, profile_a, tandem_a):
    services.profile_update(
        profile=profile_a, user=tandem_a, expected_version=None, vision="Unsere Vision"
    )
    client = client_as("coordinator")
    vision_url = url("mission_step_vision", profile_a.participation)

    response = client.get(vision_url)
    assert response.status_code == 200
    assert "Unsere Vision" in text(response)
    assert '<form id="vision-form"' not in text(response)

    response = client.post(vision_url, vision_data(2, vision="Überschrieben"))
    assert response.status_code == 403
    assert MissionProfile.objects.get(pk=profile_a.pk).vision == "Unsere Vision"


@pytest.mark.parametrize("persona", ["outsider", "tandem_b", "funder"])
def test_vision_hidden_from_others(client_as, profile_a, persona):
    client = client_as(persona)
    vision_url = url("mission_step_vision", profile_a.participation)
    assert client.get(vision_url).status_code == 404
    assert client.post(vision_url, vision_data(1, vision="Fremd")).status_code == 404
    assert MissionProfile.objects.get(pk=profile_a.pk).vision == ""


def test_vision_anonymous_and_wrong_method(client_as, profile_a):
    vision_url = url("mission_step_vision", profile_a.participation)
    assert_login_required(client_as("anonymous").get(vision_url))
    assert_login_required(client_as("anonymous").post(vision_url, vision_data(1)))
    assert client_as("tandem_a").put(vision_url).status_code == 405


def test_vision_concurrent_edit_keeps_both(client_as, profile_a, tandem_a, second_member_a):
    """Anna and Zora open step 1; Zora saves first; Anna's save is refused, nothing is lost."""
    vision_url = url("mission_step_vision", profile_a.participation)
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    anna_version = hidden_value(text(anna.get(vision_url)), "version")
    zora_version = hidden_value(text(zora.get(vision_url)), "version")

    first = zora.post(vision_url, vision_data(zora_version, vision="Zoras Vision"))
    assert first.status_code == 302

    second = anna.post(vision_url, vision_data(anna_version, vision="Annas Vision"))

    assert second.status_code == 409
    body = text(second)
    assert "Annas Vision" in body  # what Anna typed is still in the form
    assert "Zoras Vision" in body  # and she sees what Zora saved
    assert "Zora Zweite" in body
    assert MissionProfile.objects.get(pk=profile_a.pk).vision == "Zoras Vision"
    changed = [field.label for field in second.context["conflict"].fields]
    assert changed == ["Vision"]

    # The form now carries Zora's version: keeping her own version is a deliberate choice.
    new_version = hidden_value(body, "version")
    assert new_version == str(MissionProfile.objects.get(pk=profile_a.pk).version)
    third = anna.post(
        vision_url, vision_data(new_version, vision="Annas Vision", **{"conflict-vision": "mine"})
    )
    assert third.status_code == 302
    assert MissionProfile.objects.get(pk=profile_a.pk).vision == "Annas Vision"


def test_vision_concurrent_edit_over_htmx_answers_409_partial(
    client_as, profile_a, second_member_a
):
    vision_url = url("mission_step_vision", profile_a.participation)
    make_client(second_member_a).post(vision_url, vision_data(1, vision="Zoras Vision"))

    response = client_as("tandem_a").post(vision_url, vision_data(1, vision="Annas Vision"), **HTMX)

    assert response.status_code == 409
    assert is_partial(response)
    assert "Annas Vision" in text(response)
    assert "Zoras Vision" in text(response)


# --- step_goals -------------------------------------------------------------------------------


def test_goals_list_shows_smart_gaps_and_progress(client_as, profile_a, goal_a, tandem_a):
    services.goal_create(
        profile=profile_a, user=tandem_a, statement="Vage", indicator="Zahl", owner="Amt"
    )
    add_progress(goal_a, tandem_a, "12", dt.date(2025, 2, 1))
    add_progress(goal_a, tandem_a, "18", dt.date(2025, 9, 1))
    add_progress(goal_a, tandem_a, "11", dt.date(2025, 1, 1))  # reported late, still older

    response = client_as("tandem_a").get(url("mission_step_goals", profile_a.participation))

    assert response.status_code == 200
    body = text(response)
    assert "All SMART criteria are met." in body
    assert "Missing: Measurable, Achievable, Relevant, Time-bound" in plain(response)
    first, second = response.context["goals"]
    assert first.latest_value == Decimal("18")
    assert first.percent == 80
    assert first.n_updates == 3
    assert second.percent is None
    assert f'<progress id="goal-{goal_a.pk}-progress" max="100" value="80">' in body
    assert "80 % of the way from the baseline to the target" in body
    assert goal_url("mission_goal_progress", goal_a) in body
    assert "Progress can be shown once the goal has a target value." in body


def test_goals_add(client_as, profile_a, tandem_a):
    goals_url = url("mission_step_goals", profile_a.participation)

    response = client_as("tandem_a").post(goals_url, goal_post_data("new-goal"))

    goal = SmartGoal.objects.get(profile=profile_a)
    assert response.status_code == 302
    assert response["Location"] == f"{goals_url}#goal-{goal.pk}"
    assert goal.statement == SMART_GOAL["statement"]
    assert goal.target == Decimal("20")
    assert goal.deadline == dt.date(2026, 12, 31)
    assert goal.updated_by == tandem_a
    assert goal.smart_missing == []


def test_goals_add_over_htmx_appends_the_goal(client_as, profile_a):
    response = client_as("tandem_a").post(
        url("mission_step_goals", profile_a.participation),
        goal_post_data("new-goal", statement="Neues Ziel", deadline=None),
        **HTMX,
    )

    assert response.status_code == 200
    assert is_partial(response)
    goal = SmartGoal.objects.get(profile=profile_a)
    body = text(response)
    assert body.lstrip().startswith("<form")  # a fresh add form first …
    assert 'hx-swap-oob="beforeend:#goal-list"' in body  # … the new goal out of band
    assert f'<li id="goal-{goal.pk}"' in body
    assert "Missing: Time-bound" in plain(response)
    assert "The goal was added." in body


def test_goals_add_needs_a_statement(client_as, profile_a):
    response = client_as("tandem_a").post(
        url("mission_step_goals", profile_a.participation), goal_post_data("new-goal", statement="")
    )

    assert response.status_code == 200
    assert "statement" in response.context["form"].errors
    assert not SmartGoal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("baseline", "zehn"),
        ("target", "1e400"),
        ("target", "123456789012345678"),
        ("target", "NaN"),
        ("deadline", "2025-02-30"),
        ("deadline", "morgen"),
    ],
)
def test_goals_add_bad_input_is_a_form_error(client_as, profile_a, field, value):
    response = client_as("tandem_a").post(
        url("mission_step_goals", profile_a.participation),
        goal_post_data("new-goal", **{field: value}),
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SmartGoal.objects.exists()


def test_goals_bad_input_message_in_german(profile_a, tandem_a):
    client = make_client(tandem_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.post(
        url("mission_step_goals", profile_a.participation),
        goal_post_data("new-goal", baseline="zehn"),
    )

    assert response.status_code == 200
    assert "Bitte eine Zahl eingeben." in text(response)


def test_goals_invalid_add_over_htmx_answers_the_form(client_as, profile_a):
    response = client_as("tandem_a").post(
        url("mission_step_goals", profile_a.participation),
        goal_post_data("new-goal", statement=""),
        **HTMX,
    )

    assert response.status_code == 200
    assert is_partial(response)
    assert "hx-swap-oob" not in text(response)
    assert not SmartGoal.objects.exists()


def test_goals_htmx_get_answers_the_list(client_as, goal_a):
    response = client_as("tandem_a").get(
        url("mission_step_goals", goal_a.profile.participation), **HTMX
    )

    assert response.status_code == 200
    assert is_partial(response)
    assert text(response).lstrip().startswith('<div id="goal-list-region">')
    assert f'id="goal-{goal_a.pk}"' in text(response)
    assert "HX-Request" in response["Vary"]


def test_goals_coordinator_reads_but_may_not_add(client_as, profile_a, goal_a):
    client = client_as("coordinator")
    goals_url = url("mission_step_goals", profile_a.participation)

    response = client.get(goals_url)
    assert response.status_code == 200
    assert SMART_GOAL["statement"] in text(response)
    assert 'id="goal-add"' not in text(response)
    assert f'href="{goal_url("mission_goal_edit", goal_a)}"' not in text(response)

    assert client.post(goals_url, goal_post_data("new-goal")).status_code == 403
    assert SmartGoal.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "tandem_b", "expert"])
def test_goals_hidden_from_others(client_as, profile_a, persona):
    goals_url = url("mission_step_goals", profile_a.participation)
    assert client_as(persona).get(goals_url).status_code == 404
    assert client_as(persona).post(goals_url, goal_post_data("new-goal")).status_code == 404
    assert not SmartGoal.objects.exists()


def test_goals_anonymous_and_wrong_method(client_as, profile_a):
    goals_url = url("mission_step_goals", profile_a.participation)
    assert_login_required(client_as("anonymous").get(goals_url))
    assert_login_required(client_as("anonymous").post(goals_url, goal_post_data("new-goal")))
    assert client_as("tandem_a").delete(goals_url).status_code == 405


def test_goals_queries_constant(client_as, profile_a, goal_a, tandem_a):
    def grow():
        for n in range(8):
            goal = services.goal_create(
                profile=profile_a, user=tandem_a, statement=f"Ziel {n}", target=Decimal(10)
            )
            for day in range(1, 5):
                add_progress(goal, tandem_a, str(day), dt.date(2025, 4, day))

    assert_constant_queries(
        client_as("tandem_a"), url("mission_step_goals", profile_a.participation), grow
    )


# --- goal_edit --------------------------------------------------------------------------------


def test_goal_edit_page_and_save(client_as, goal_a, tandem_a):
    client = client_as("tandem_a")
    edit_url = goal_url("mission_goal_edit", goal_a)
    prefix = f"goal-{goal_a.pk}"

    page = client.get(edit_url)
    assert page.status_code == 200
    assert f'for="id_{prefix}-statement"' in text(page)
    assert "<legend" in text(page)

    response = client.post(edit_url, goal_post_data(prefix, version=1, target="25.5", deadline=""))

    assert response.status_code == 302
    goals_url = url("mission_step_goals", goal_a.profile.participation)
    assert response["Location"] == f"{goals_url}#goal-{goal_a.pk}"
    goal_a.refresh_from_db()
    assert goal_a.target == Decimal("25.5")
    assert goal_a.deadline is None
    assert goal_a.smart_missing == ["T"]
    assert goal_a.version == 2


def test_goal_edit_over_htmx(client_as, goal_a):
    client = client_as("tandem_a")
    edit_url = goal_url("mission_goal_edit", goal_a)
    prefix = f"goal-{goal_a.pk}"

    form = client.get(edit_url, **HTMX)
    assert form.status_code == 200
    assert is_partial(form)
    assert f'hx-post="{edit_url}"' in text(form)

    card = client.post(edit_url, goal_post_data(prefix, version=1, relevance=""), **HTMX)

    assert card.status_code == 200
    assert is_partial(card)
    assert text(card).lstrip().startswith("<article")
    assert "Missing: Relevant" in plain(card)
    assert SmartGoal.objects.get(pk=goal_a.pk).relevance == ""


def test_goal_edit_bad_input(client_as, goal_a):
    response = client_as("tandem_a").post(
        goal_url("mission_goal_edit", goal_a),
        goal_post_data(f"goal-{goal_a.pk}", version=1, baseline="viel", deadline="31.02.2026"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"baseline", "deadline"}
    assert SmartGoal.objects.get(pk=goal_a.pk).baseline == Decimal("10")


def test_goal_edit_concurrent_edit(client_as, goal_a, second_member_a):
    """Two people edit the same goal; the second save is refused with both versions shown."""
    edit_url = goal_url("mission_goal_edit", goal_a)
    prefix = f"goal-{goal_a.pk}"
    anna, zora = client_as("tandem_a"), make_client(second_member_a)
    anna_version = hidden_value(text(anna.get(edit_url)), f"{prefix}-version")
    zora_version = hidden_value(text(zora.get(edit_url)), f"{prefix}-version")

    saved = zora.post(edit_url, goal_post_data(prefix, zora_version, target="30", owner="Zora"))
    assert saved.status_code == 302

    refused = anna.post(
        edit_url, goal_post_data(prefix, anna_version, statement="Annas Fassung"), **HTMX
    )

    assert refused.status_code == 409
    assert is_partial(refused)
    body = text(refused)
    assert "Annas Fassung" in body
    assert "Zora Zweite" in body
    conflict = refused.context["conflict"]
    # only what Zora changed; Anna left those fields as they were: "take theirs" is preselected
    changes = {f.label: (f.theirs, f.yours, f.chosen) for f in conflict.fields}
    assert changes == {
        "Target value": ("30", "20", "theirs"),
        "Responsible": ("Zora", "Personalamt", "theirs"),
    }
    goal_a.refresh_from_db()
    assert (goal_a.statement, goal_a.target, goal_a.owner) == (
        SMART_GOAL["statement"],
        Decimal("30"),
        "Zora",
    )
    assert hidden_value(body, f"{prefix}-version") == str(goal_a.version)


@pytest.mark.parametrize("persona", ["coordinator", "tandem_b", "outsider"])
def test_goal_edit_only_by_the_tandem(client_as, goal_a, persona):
    status = 403 if persona == "coordinator" else 404
    client = client_as(persona)
    edit_url = goal_url("mission_goal_edit", goal_a)

    assert client.get(edit_url).status_code == status
    response = client.post(edit_url, goal_post_data(f"goal-{goal_a.pk}", 1, statement="Fremd"))

    assert response.status_code == status
    assert SmartGoal.objects.get(pk=goal_a.pk).statement == SMART_GOAL["statement"]


def test_goal_of_another_profile_is_not_found(client_as, profile_a, goal_b):
    client = client_as("tandem_a")
    participation = profile_a.participation
    for name in (
        "mission_goal_edit",
        "mission_goal_delete",
        "mission_goal_progress",
        "mission_goal_chart",
    ):
        assert client.get(url(name, participation, goal_b.pk)).status_code == 404, name
        assert client.get(url(name, participation, HUGE_ID)).status_code == 404, name
    response = client.post(
        url("mission_goal_edit", participation, goal_b.pk),
        goal_post_data(f"goal-{goal_b.pk}", 1, statement="Gekapert"),
    )
    assert response.status_code == 404
    assert client.post(url("mission_goal_delete", participation, goal_b.pk)).status_code == 404
    assert SmartGoal.objects.get(pk=goal_b.pk).statement == "Buchenfelds Ziel"


def test_goal_edit_anonymous_and_wrong_method(client_as, goal_a):
    edit_url = goal_url("mission_goal_edit", goal_a)
    assert_login_required(client_as("anonymous").get(edit_url))
    assert client_as("tandem_a").put(edit_url).status_code == 405


# --- goal_delete ------------------------------------------------------------------------------


def test_goal_delete_asks_then_deletes(client_as, goal_a, tandem_a):
    add_progress(goal_a, tandem_a, "11", dt.date(2025, 1, 1))
    client = client_as("tandem_a")
    delete_url = goal_url("mission_goal_delete", goal_a)

    confirm = client.get(delete_url)
    assert confirm.status_code == 200
    assert "Its 1 progress update will be deleted with it." in text(confirm)
    assert SmartGoal.objects.filter(pk=goal_a.pk).exists()

    response = client.post(delete_url)

    assert response.status_code == 302
    assert response["Location"] == url("mission_step_goals", goal_a.profile.participation)
    assert not SmartGoal.objects.filter(pk=goal_a.pk).exists()
    assert not ProgressUpdate.objects.exists()


def test_goal_delete_over_htmx_answers_out_of_band_updates(client_as, goal_a):
    response = client_as("tandem_a").post(goal_url("mission_goal_delete", goal_a), **HTMX)

    assert response.status_code == 200
    assert is_partial(response)
    body = text(response)
    assert '<p id="goals-empty" class="kern-body" hx-swap-oob="true">' in body
    assert "The goal was deleted." in body
    assert not SmartGoal.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 403), ("tandem_b", 404)])
def test_goal_delete_only_by_the_tandem(client_as, goal_a, persona, status):
    assert client_as(persona).post(goal_url("mission_goal_delete", goal_a)).status_code == status
    assert SmartGoal.objects.filter(pk=goal_a.pk).exists()


def test_goal_delete_anonymous_and_wrong_method(client_as, goal_a):
    delete_url = goal_url("mission_goal_delete", goal_a)
    assert_login_required(client_as("anonymous").post(delete_url))
    assert client_as("tandem_a").put(delete_url).status_code == 405
    assert SmartGoal.objects.filter(pk=goal_a.pk).exists()


# --- goal_progress ----------------------------------------------------------------------------


def test_progress_page_lists_updates_with_chart(client_as, goal_a, tandem_a):
    add_progress(goal_a, tandem_a, "12.5", dt.date(2025, 2, 1))
    add_progress(goal_a, tandem_a, "15", dt.date(2025, 5, 1))

    response = client_as("tandem_a").get(goal_url("mission_goal_progress", goal_a))

    assert response.status_code == 200
    body = text(response)
    assert "12.5" in body and "Anna Ahorn" in body
    assert goal_url("mission_goal_chart", goal_a) + "?v=" in body
    assert re.search(r'<img [^>]*alt="Line chart of 2 reported values from [^"]+Target: 20 %', body)
    assert "50 % of the way from the baseline to the target" in body
    assert 'id="progress-form"' in body


def test_progress_add(client_as, goal_a, tandem_a):
    progress_url = goal_url("mission_goal_progress", goal_a)
    today = timezone.localdate()

    response = client_as("tandem_a").post(
        progress_url,
        {"progress-value": "13.5", "progress-date": today.isoformat(), "progress-note": "Gut"},
    )

    assert response.status_code == 302
    assert response["Location"] == progress_url
    update = ProgressUpdate.objects.get(goal=goal_a)
    assert (update.value, update.date, update.note, update.author) == (
        Decimal("13.5"),
        today,
        "Gut",
        tandem_a,
    )


def test_progress_add_over_htmx(client_as, goal_a):
    response = client_as("tandem_a").post(
        goal_url("mission_goal_progress", goal_a),
        {"progress-value": "20", "progress-date": "2025-03-01"},
        **HTMX,
    )

    assert response.status_code == 200
    assert is_partial(response)
    body = text(response)
    assert body.lstrip().startswith('<div id="goal-progress">')
    assert "The progress was recorded." in body
    assert "100 % of the way" in body
    assert ProgressUpdate.objects.filter(goal=goal_a, value=20).exists()


def test_progress_in_the_future_is_refused(client_as, goal_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_as("tandem_a").post(
        goal_url("mission_goal_progress", goal_a),
        {"progress-value": "15", "progress-date": tomorrow.isoformat()},
    )

    assert response.status_code == 200
    assert "Progress cannot be reported for a future date." in text(response)
    assert response.context["form"]["value"].value() == "15"  # kept as typed
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"progress-value": "viel", "progress-date": "2025-01-01"},
        {"progress-value": "1e400", "progress-date": "2025-01-01"},
        {"progress-value": "Infinity", "progress-date": "2025-01-01"},
        {"progress-value": "5", "progress-date": "2025-13-45"},
        {"progress-value": "5", "progress-date": "99999-01-01"},
        {},
    ],
)
def test_progress_bad_input_is_a_form_error(client_as, goal_a, data):
    response = client_as("tandem_a").post(goal_url("mission_goal_progress", goal_a), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ProgressUpdate.objects.exists()


def test_progress_coordinator_reads_but_may_not_report(client_as, goal_a):
    client = client_as("coordinator")
    progress_url = goal_url("mission_goal_progress", goal_a)

    page = client.get(progress_url)
    assert page.status_code == 200
    assert 'id="progress-form"' not in text(page)

    data = {"progress-value": "15", "progress-date": "2025-01-01"}
    assert client.post(progress_url, data).status_code == 403
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "tandem_b", "funder"])
def test_progress_hidden_from_others(client_as, goal_a, persona):
    progress_url = goal_url("mission_goal_progress", goal_a)
    assert client_as(persona).get(progress_url).status_code == 404
    data = {"progress-value": "15", "progress-date": "2025-01-01"}
    assert client_as(persona).post(progress_url, data).status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_progress_anonymous_and_wrong_method(client_as, goal_a):
    progress_url = goal_url("mission_goal_progress", goal_a)
    assert_login_required(client_as("anonymous").get(progress_url))
    assert client_as("tandem_a").put(progress_url).status_code == 405


def test_progress_queries_constant(client_as, goal_a, tandem_a, second_member_a):
    add_progress(goal_a, tandem_a, "11", dt.date(2025, 1, 1))

    def grow():
        for day in range(1, 21):
            user = tandem_a if day % 2 else second_member_a
            add_progress(goal_a, user, str(10 + day / 4), dt.date(2025, 2, day))

    assert_constant_queries(client_as("tandem_a"), goal_url("mission_goal_progress", goal_a), grow)


# --- goal_chart -------------------------------------------------------------------------------


def test_chart_is_an_svg_with_a_title(client_as, goal_a, tandem_a):
    add_progress(goal_a, tandem_a, "12", dt.date(2025, 2, 1))
    add_progress(goal_a, tandem_a, "16", dt.date(2025, 6, 1))

    response = client_as("coordinator").get(goal_url("mission_goal_chart", goal_a))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert body.startswith("<svg ")
    assert 'role="img"' in body
    assert f"<title>Progress of the goal “{SMART_GOAL['statement']}”</title>" in body


# --- selectors and charts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({}, ["S", "M", "A", "R", "T"]),
        ({"statement": "S"}, ["M", "A", "R", "T"]),
        ({"statement": "S", "indicator": "I", "unit": "%"}, ["M", "A", "R", "T"]),
        ({"statement": "S", "indicator": "I", "unit": "%", "target": 5}, ["A", "R", "T"]),
        ({"owner": "O", "achievability": "A"}, ["S", "M", "R", "T"]),
        ({"relevance": "R", "deadline": dt.date(2026, 1, 1)}, ["S", "M", "A"]),
    ],
)
def test_smart_criteria(profile_a, tandem_a, fields, missing):
    goal = services.goal_create(profile=profile_a, user=tandem_a, **fields)

    (listed,) = selectors.profile_goals(profile_a)

    assert [c.letter for c in listed.smart if not c.met] == missing
    labels = dict(selectors.SMART_LABELS)
    assert listed.smart_missing_labels == [str(labels[letter]) for letter in missing]
    assert goal.smart_missing == missing


@pytest.mark.parametrize(
    ("baseline", "target", "values", "percent"),
    [
        ("10", "20", ["15"], 50),
        ("10", "20", ["5"], 0),  # below the baseline
        ("10", "20", ["25"], 100),  # beyond the target
        (None, "40", ["10"], 25),  # no baseline counts from zero
        ("100", "50", ["75"], 50),  # a goal to reduce something
        ("10", "10", ["10"], 100),
        ("10", None, ["15"], None),  # no target, no share
        ("10", "20", [], None),
    ],
)
def test_progress_share(profile_a, tandem_a, baseline, target, values, percent):
    goal = services.goal_create(
        profile=profile_a,
        user=tandem_a,
        statement="Ziel",
        baseline=baseline and Decimal(baseline),
        target=target and Decimal(target),
    )
    for day, value in enumerate(values, start=1):
        add_progress(goal, tandem_a, value, dt.date(2025, 1, day))

    assert selectors.profile_goal(profile_a, goal.pk).percent == percent


def test_measure_counts(profile_a, tandem_a):
    services.measure_create(profile=profile_a, user=tandem_a, title="A")
    late = services.measure_create(
        profile=profile_a, user=tandem_a, title="B", due_date=dt.date(2020, 1, 1)
    )
    done = services.measure_create(
        profile=profile_a, user=tandem_a, title="C", due_date=dt.date(2020, 1, 1)
    )
    for status in (MeasureStatus.IN_PROGRESS, MeasureStatus.DONE):
        services.measure_set_status(measure=done, user=tandem_a, status=status)

    counts = selectors.profile_measure_counts(profile_a)

    assert counts.total == Measure.objects.count() == 3
    assert counts.overdue == 1  # done measures are not overdue
    assert [(value, n) for value, _label, n in counts.by_status] == [("planned", 2), ("done", 1)]
    assert late.is_overdue()


def test_chart_svg_without_updates(goal_a):
    with translation.override("en"):
        svg = charts.goal_progress_svg(goal_a, [], title="Ziel <1> & mehr")

    assert svg.startswith('<svg role="img"')
    assert "<title>Ziel &lt;1&gt; &amp; mehr</title>" in svg
    assert "No progress reported yet" in svg


def test_chart_svg_with_updates_and_german_numbers(goal_a, tandem_a):
    goal = services.goal_update(
        goal=goal_a, user=tandem_a, expected_version=None, baseline=Decimal("10.5")
    )
    add_progress(goal, tandem_a, "12", dt.date(2025, 2, 1))
    add_progress(goal, tandem_a, "14", dt.date(2026, 2, 1))
    updates = selectors.goal_progress_updates(goal)

    with translation.override("de"):
        svg = charts.goal_progress_svg(goal, updates, title="Fortschritt")

    assert "<title>Fortschritt</title>" in svg
    assert "10,5" in svg  # the baseline in the legend, with a decimal comma
    assert "2026-12-31" in svg  # the deadline, within a year of the last report
    assert 'width="360pt" height="150pt"' in svg  # 480 × 200 CSS pixels

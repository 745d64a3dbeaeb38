"""The lab's indicator catalogue and the cohort's comparison per catalogue indicator, through the
URLs: who keeps the catalogue, a goal that picks an indicator, who sees which goals compared."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from labs.models import Lab
from missions import services
from missions.models import Indicator, IndicatorDirection, MissionProfile, SmartGoal

from ..factories import ParticipationFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .conftest import SMART_GOAL
from .test_steps import goal_post_data

pytestmark = pytest.mark.django_db


def _indicator(lab, name="Anteil Beschäftigte mit Migrationsgeschichte", **fields) -> Indicator:
    return services.indicator_create(
        lab=lab,
        name=name,
        definition=fields.pop("definition", "Beschäftigte mit Migrationsgeschichte je 100."),
        unit=fields.pop("unit", "Prozent"),
        **fields,
    )


def _goal(participation, user, indicator=None, **fields) -> SmartGoal:
    profile = MissionProfile.objects.get_or_create(participation=participation)[0]
    return services.goal_create(
        profile=profile, user=user, **{**SMART_GOAL, "catalogue_indicator": indicator, **fields}
    )


def _comparison(cohort) -> str:
    return reverse("cohort_indicators", args=[cohort.lab.slug, cohort.slug])


def _chart(cohort, indicator) -> str:
    return reverse("cohort_indicator_chart", args=[cohort.lab.slug, cohort.slug, indicator.pk])


def _steps_url(participation) -> str:
    cohort = participation.cohort
    return reverse("mission_step_goals", args=[cohort.lab.slug, cohort.slug, participation.pk])


# --- the catalogue -----------------------------------------------------------------------------


def test_a_coordinator_adds_an_indicator_and_a_duplicate_name_is_refused(client_as, lab_x):
    client = client_as("coordinator")
    data = {
        "name": "Anteil Auszubildende mit Migrationsgeschichte",
        "definition": "Auszubildende mit Migrationsgeschichte je 100 Auszubildende.",
        "unit": "Prozent",
        "direction": IndicatorDirection.HIGHER,
        "data_source": "Personalstatistik",
    }
    response = client.post(reverse("indicator_create", args=[lab_x.slug]), data)
    assert response.status_code == 302
    assert Indicator.objects.get(lab=lab_x).data_source == "Personalstatistik"

    again = client.post(
        reverse("indicator_create", args=[lab_x.slug]), {**data, "name": data["name"].upper()}
    )
    assert again.status_code == 200
    assert "The catalogue already has an indicator of this name." in text(again)
    assert Indicator.objects.filter(lab=lab_x).count() == 1


def test_the_same_name_is_fine_in_another_lab(client_as, lab_x, lab_y):
    _indicator(lab_x)
    response = client_as("coordinator_y").post(
        reverse("indicator_create", args=[lab_y.slug]),
        {"name": "Anteil Beschäftigte mit Migrationsgeschichte", "definition": "…", "unit": "%",
         "direction": "higher"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Indicator.objects.filter(lab=lab_y).count() == 1


def test_tandems_read_the_catalogue_and_cannot_change_it(client_as, lab_x):
    indicator = _indicator(lab_x)
    tandem = client_as("tandem_a")
    body = text(tandem.get(reverse("indicator_list", args=[lab_x.slug])))
    assert indicator.name in body
    assert reverse("indicator_edit", args=[lab_x.slug, indicator.pk]) not in body
    edit = tandem.post(
        reverse("indicator_edit", args=[lab_x.slug, indicator.pk]),
        {"name": "Umbenannt", "definition": "x", "unit": "%", "direction": "higher"},
    )
    assert edit.status_code == 403
    assert Indicator.objects.get(pk=indicator.pk).name == indicator.name


def test_another_labs_coordinator_cannot_reach_the_indicator(client_as, lab_x, lab_y):
    indicator = _indicator(lab_x)
    client = client_as("coordinator_y")
    # through lab X's address: not their lab; through their own: not their indicator
    assert client.get(reverse("indicator_edit", args=[lab_x.slug, indicator.pk])).status_code == 404
    assert client.get(reverse("indicator_edit", args=[lab_y.slug, indicator.pk])).status_code == 404
    response = client.post(reverse("indicator_delete", args=[lab_y.slug, indicator.pk]))
    assert response.status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_an_indicator_in_use_is_not_deleted(client_as, lab_x, participation_a, tandem_a):
    indicator = _indicator(lab_x)
    _goal(participation_a, tandem_a, indicator)
    url = reverse("indicator_delete", args=[lab_x.slug, indicator.pk])
    response = client_as("coordinator").post(url)
    assert response.status_code == 409
    assert "1 goal uses this indicator." in text(response)
    assert Indicator.objects.filter(pk=indicator.pk).exists()

    SmartGoal.objects.filter(catalogue_indicator=indicator).update(catalogue_indicator=None)
    assert client_as("coordinator").post(url).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


# --- a goal picks a catalogue indicator --------------------------------------------------------


def test_a_goal_picks_an_indicator_whose_name_and_unit_fill_the_empty_fields(
    client_as, lab_x, participation_a
):
    indicator = _indicator(lab_x)
    MissionProfile.objects.get_or_create(participation=participation_a)
    data = goal_post_data("new-goal", indicator="", unit="")
    data["new-goal-catalogue_indicator"] = str(indicator.pk)
    response = client_as("tandem_a").post(_steps_url(participation_a), data)
    assert response.status_code == 302
    goal = SmartGoal.objects.get(profile__participation=participation_a)
    assert goal.catalogue_indicator == indicator
    assert (goal.indicator, goal.unit) == (indicator.name, "Prozent")


def test_what_was_typed_stays_when_a_goal_picks_an_indicator(client_as, lab_x, participation_a):
    indicator = _indicator(lab_x)
    MissionProfile.objects.get_or_create(participation=participation_a)
    data = goal_post_data("new-goal", indicator="Anteil im Bürgeramt", unit="%")
    data["new-goal-catalogue_indicator"] = str(indicator.pk)
    assert client_as("tandem_a").post(_steps_url(participation_a), data).status_code == 302
    goal = SmartGoal.objects.get(profile__participation=participation_a)
    assert (goal.catalogue_indicator, goal.indicator, goal.unit) == (
        indicator,
        "Anteil im Bürgeramt",
        "%",
    )


def test_a_goal_cannot_pick_another_labs_indicator(client_as, lab_x, lab_y, participation_a):
    _indicator(lab_x)
    foreign = _indicator(lab_y)
    MissionProfile.objects.get_or_create(participation=participation_a)
    data = goal_post_data("new-goal")
    data["new-goal-catalogue_indicator"] = str(foreign.pk)
    response = client_as("tandem_a").post(_steps_url(participation_a), data)
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert not SmartGoal.objects.filter(profile__participation=participation_a).exists()


def test_the_service_refuses_another_labs_indicator(lab_y, participation_a, tandem_a):
    with pytest.raises(services.ValidationError):
        _goal(participation_a, tandem_a, _indicator(lab_y))


def test_without_a_catalogue_the_goal_form_offers_no_choice(client_as, participation_a):
    MissionProfile.objects.get_or_create(participation=participation_a)
    body = text(client_as("tandem_a").get(_steps_url(participation_a)))
    assert "catalogue_indicator" not in body


# --- the cohort's comparison -------------------------------------------------------------------


@pytest.fixture
def compared(lab_x, participation_a, participation_b, tandem_a, tandem_b):
    """Ahornstadt's goal (not shared) and Buchenfeld's goal (shared) pick the same indicator."""
    indicator = _indicator(lab_x)
    _goal(participation_a, tandem_a, indicator, baseline=Decimal(10))
    goal_b = _goal(participation_b, tandem_b, indicator, baseline=Decimal(5))
    services.progress_add(goal=goal_b, user=tandem_b, value=Decimal(12), on=dt.date(2025, 3, 1))
    services.profile_share(profile=goal_b.profile, user=tandem_b, shared=True)
    return indicator


def test_coordinators_compare_every_municipality(client_as, cohort_x, compared):
    response = client_as("coordinator").get(_comparison(cohort_x))
    [comparison] = response.context["comparisons"]
    assert [row.municipality for row in comparison.rows] == ["Ahornstadt", "Buchenfeld"]
    assert comparison.n_hidden == 0
    buchenau = comparison.rows[1]
    # from 5 to the target 20, now at 12: 7 of 15
    assert buchenau.share == pytest.approx(7 / 15)
    assert "47 %" in text(response)


def test_a_tandem_sees_its_own_and_the_shared_goals_and_the_rest_counted(
    client_as, cohort_x, compared
):
    response = client_as("tandem_b").get(_comparison(cohort_x))
    [comparison] = response.context["comparisons"]
    assert [row.municipality for row in comparison.rows] == ["Buchenfeld"]
    assert comparison.n_hidden == 1
    assert "1 further goal uses this indicator" in text(response)


def test_a_funder_sees_shared_goals_only_when_the_lab_allows(client_as, lab_x, cohort_x, compared):
    [comparison] = client_as("funder").get(_comparison(cohort_x)).context["comparisons"]
    assert comparison.rows == [] and comparison.n_hidden == 2
    assert client_as("funder").get(_chart(cohort_x, compared)).status_code == 404

    Lab.objects.filter(pk=lab_x.pk).update(funders_read_shared_profiles=True)
    [comparison] = client_as("funder").get(_comparison(cohort_x)).context["comparisons"]
    assert [row.municipality for row in comparison.rows] == ["Buchenfeld"]


def test_the_chart_shows_the_rows_one_may_see(client_as, cohort_x, compared):
    response = client_as("tandem_b").get(_chart(cohort_x, compared))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "Buchenfeld" in svg and "Ahornstadt" not in svg
    assert "Ahornstadt" in client_as("coordinator").get(_chart(cohort_x, compared)).content.decode()


def test_another_cohort_is_not_open_to_the_tandem(client_as, lab_x, compared):
    other = ParticipationFactory(cohort__lab=lab_x).cohort
    assert client_as("tandem_a").get(_comparison(other)).status_code == 404
    assert client_as("tandem_a").get(_chart(other, compared)).status_code == 404


def test_the_comparison_queries_do_not_grow_with_the_goals(
    client_as, lab_x, cohort_x, compared, tandem_a
):
    def grow():
        for n in range(12):
            participation = ParticipationFactory(cohort=cohort_x)
            profile = MissionProfile.objects.get_or_create(participation=participation)[0]
            goal = services.goal_create(
                profile=profile, user=tandem_a, **{**SMART_GOAL, "catalogue_indicator": compared}
            )
            services.progress_add(
                goal=goal, user=tandem_a, value=Decimal(n), on=dt.date(2025, 1, 1)
            )
            other = _indicator(lab_x, name=f"Kennzahl {n}")
            services.goal_create(
                profile=profile, user=tandem_a, **{**SMART_GOAL, "catalogue_indicator": other}
            )

    assert_constant_queries(client_as("coordinator"), _comparison(cohort_x), grow)
    assert_constant_queries(client_as("tandem_b"), _comparison(cohort_x), lambda: None)

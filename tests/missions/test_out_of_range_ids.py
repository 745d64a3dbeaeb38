"""Issue 21.3 through the URL: a new measure with a goal id beyond any integer column is a form
error (on SQLite it was an OverflowError and a 500), and nothing is stored."""

from missions.models import Measure

from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_measures_review import measure_data, mission_a, purl

__all__ = ["mission_a"]  # the fixture, used by name

HUGE = "9" * 400


def test_new_measure_with_a_huge_goal_id_is_a_form_error(client_as, mission_a, goal_a):
    measures = Measure.objects.count()
    data = measure_data("new-measure", goals=[goal_a])
    data["new-measure-goals"] = [str(goal_a.pk), HUGE]

    response = client_as("tandem_a").post(
        purl("mission_measure_create", mission_a.participation), data
    )

    assert response.status_code == 200
    assert "Select a valid choice: the number is out of range." in text(response)
    assert HUGE not in text(response)
    assert Measure.objects.count() == measures


def test_new_measure_with_a_huge_negative_goal_id_is_a_form_error(client_as, mission_a, goal_a):
    data = measure_data("new-measure")
    data["new-measure-goals"] = ["-99999999999999999999"]
    response = client_as("tandem_a").post(
        purl("mission_measure_create", mission_a.participation), data
    )
    assert response.status_code == 200
    assert "Select a valid choice: the number is out of range." in text(response)
    assert not Measure.objects.filter(profile=mission_a).exists()

"""Shared mission profiles: "Learning from each other" (the list of the profiles shared in a
cohort) and the lab setting that lets the lab's funders read them (missions/permissions.py)."""

import pytest
from django.urls import reverse

from labs.models import Lab
from missions import services
from missions.models import MissionProfile

from ..factories import CohortFactory, ParticipationFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


def _shared_list(cohort) -> str:
    return reverse("cohort_shared_profiles", args=[cohort.lab.slug, cohort.slug])


def _profile_url(name: str, participation) -> str:
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk])


def _share(participation, user, **fields) -> MissionProfile:
    profile = MissionProfile.objects.get_or_create(participation=participation)[0]
    if fields:
        profile = services.profile_update(
            profile=profile, user=user, expected_version=profile.version, **fields
        )
    return services.profile_share(profile=profile, user=user, shared=True)


def _allow_funders(lab, allowed: bool = True) -> None:
    Lab.objects.filter(pk=lab.pk).update(funders_read_shared_profiles=allowed)


# --- the lab setting: funders read shared profiles, read-only --------------------------------


def test_funder_reads_a_shared_profile_only_when_the_lab_allows(
    client_as, lab_x, participation_a, participation_b, tandem_a
):
    _share(participation_a, tandem_a, vision="Eine Stadt für alle")
    MissionProfile.objects.get_or_create(participation=participation_b)  # not shared
    funder = client_as("funder")
    pages = ("mission_profile", "mission_step_vision", "mission_step_goals", "mission_history")
    for name in pages:
        assert funder.get(_profile_url(name, participation_a)).status_code == 404, name

    _allow_funders(lab_x)
    for name in pages:
        response = funder.get(_profile_url(name, participation_a))
        assert response.status_code == 200, name
    overview = funder.get(_profile_url("mission_profile", participation_a))
    assert overview.context["access"].read_only
    assert "Eine Stadt für alle" in text(
        funder.get(_profile_url("mission_step_vision", participation_a))
    )
    # read only: writing answers 403, the unshared profile stays invisible
    posted = funder.post(_profile_url("mission_step_vision", participation_a), {"vision": "x"})
    assert posted.status_code in (403, 404)
    assert MissionProfile.objects.get(participation=participation_a).vision == "Eine Stadt für alle"
    assert funder.get(_profile_url("mission_profile", participation_b)).status_code == 404

    _allow_funders(lab_x, False)
    assert funder.get(_profile_url("mission_profile", participation_a)).status_code == 404


def test_the_setting_grants_nothing_to_experts_or_other_labs(
    client_as, lab_x, participation_a, tandem_a
):
    _share(participation_a, tandem_a, vision="V")
    _allow_funders(lab_x)
    assert (
        client_as("expert").get(_profile_url("mission_profile", participation_a)).status_code == 404
    )
    assert (
        client_as("coordinator_y").get(_profile_url("mission_profile", participation_a)).status_code
        == 404
    )


# --- "Learning from each other" ---------------------------------------------------------------


def test_shared_list_shows_only_shared_profiles_of_the_same_cohort(
    client_as, lab_x, cohort_x, participation_a, participation_b, tandem_a, tandem_b
):
    _share(participation_a, tandem_a, mission_statement="Ahorn teilt seine Mission")
    MissionProfile.objects.get_or_create(participation=participation_b)  # B does not share
    other_cohort = CohortFactory(lab=lab_x, slug="kohorte-2", name="Kohorte 2")
    elsewhere = ParticipationFactory(cohort=other_cohort)
    _share(elsewhere, tandem_a, mission_statement="Anderswo geteilt")

    response = client_as("tandem_b").get(_shared_list(cohort_x))
    assert response.status_code == 200
    body = text(response)
    assert "Learning from each other" in body
    assert "Ahornstadt" in body and "Ahorn teilt seine Mission" in body
    assert _profile_url("mission_profile", participation_a) in body
    assert "Buchenfeld" not in body and _profile_url("mission_profile", participation_b) not in body
    assert "Anderswo geteilt" not in body and elsewhere.municipality.name not in body
    assert [p.participation_id for p in response.context["profiles"]] == [participation_a.pk]
    # the link leads to a page tandem B may read
    assert (
        client_as("tandem_b").get(_profile_url("mission_profile", participation_a)).status_code
        == 200
    )


def test_shared_list_access(client_as, lab_x, cohort_x, cohort_y, participation_a, tandem_a):
    _share(participation_a, tandem_a, vision="V")
    for persona in ("tandem_a", "tandem_b", "coordinator", "admin"):
        assert client_as(persona).get(_shared_list(cohort_x)).status_code == 200, persona
    assert client_as("expert").get(_shared_list(cohort_x)).status_code == 403
    assert client_as("funder").get(_shared_list(cohort_x)).status_code == 403
    _allow_funders(lab_x)
    funder_page = client_as("funder").get(_shared_list(cohort_x))
    assert funder_page.status_code == 200 and "Ahornstadt" in text(funder_page)
    assert client_as("tandem_a").get(_shared_list(cohort_y)).status_code == 404
    assert client_as("outsider").get(_shared_list(cohort_x)).status_code == 404
    assert client_as("anonymous").get(_shared_list(cohort_x)).status_code == 302
    assert client_as("tandem_a").post(_shared_list(cohort_x)).status_code == 405


def test_shared_list_linked_from_the_tandem_pages(client_as, cohort_x, participation_a, tandem_a):
    shared = _shared_list(cohort_x)
    client = client_as("tandem_a")
    MissionProfile.objects.get_or_create(participation=participation_a)
    assert shared in text(client.get("/"))
    assert shared in text(
        client.get(reverse("cohort_dashboard", args=[cohort_x.lab.slug, cohort_x.slug]))
    )
    assert shared in text(client.get(_profile_url("participation_detail", participation_a)))
    assert shared in text(client.get(_profile_url("mission_profile", participation_a)))
    # not offered to those who would be refused
    assert shared not in text(
        client_as("expert").get(
            reverse("cohort_dashboard", args=[cohort_x.lab.slug, cohort_x.slug])
        )
    )


def test_shared_list_queries_constant(client_as, lab_x, cohort_x, tandem_a):
    def grow(n):
        for _ in range(n):
            participation = ParticipationFactory(cohort=cohort_x)
            _share(participation, tandem_a, vision="V", mission_statement="M")

    grow(2)
    assert_constant_queries(client_as("tandem_a"), _shared_list(cohort_x), lambda: grow(20))

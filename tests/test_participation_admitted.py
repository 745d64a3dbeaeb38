"""A participation gets its tandem and mission profile when the municipality is admitted (labs
announces it with labs.signals.participation_admitted; tandems and missions create theirs), and
the data migrations give older participations theirs. Pages never create them on GET; a
participation that has none (added around the service) still leads its tandem somewhere."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from labs import services as lab_services
from labs.models import Participation
from missions.models import MissionProfile
from tandems.models import Tandem

from .conftest import make_client
from .factories import MunicipalityFactory, SuperUserFactory
from .helpers import text
from .shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


def _without_tandem_and_profile(participation) -> Participation:
    MissionProfile.objects.filter(participation=participation).delete()
    Tandem.objects.filter(participation=participation).delete()
    return participation


def _args(participation) -> list:
    return [participation.cohort.lab.slug, participation.cohort.slug, participation.pk]


def test_admitting_creates_the_tandem_and_the_profile(cohort_x, lab_x):
    participation = lab_services.participation_admit(
        cohort=cohort_x, municipality=MunicipalityFactory(lab=lab_x)
    )
    assert Tandem.objects.filter(participation=participation).exists()
    assert MissionProfile.objects.filter(participation=participation).exists()


def test_a_participation_added_in_django_admin_gets_them_too(cohort_x, lab_x):
    municipality = MunicipalityFactory(lab=lab_x)
    client = make_client(SuperUserFactory())
    response = client.post(
        reverse("admin:labs_participation_add"),
        {
            "cohort": cohort_x.pk,
            "municipality": municipality.pk,
            "status": "active",
            "created_at_0": "2026-01-15",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    participation = Participation.objects.get(municipality=municipality)
    assert Tandem.objects.filter(participation=participation).exists()
    assert MissionProfile.objects.filter(participation=participation).exists()


@pytest.mark.parametrize(
    "module,function",
    [
        ("tandems.migrations.0002_tandem_for_every_participation", "create_missing_tandems"),
        ("missions.migrations.0002_profile_for_every_participation", "create_missing_profiles"),
    ],
)
def test_the_data_migrations_fill_the_gaps_only(participation_a, participation_b, module, function):
    _without_tandem_and_profile(participation_a)
    kept_tandem = Tandem.objects.get(participation=participation_b)
    kept_profile = MissionProfile.objects.get(participation=participation_b)
    getattr(importlib.import_module(module), function)(apps, None)
    model = Tandem if module.startswith("tandems") else MissionProfile
    assert model.objects.filter(participation=participation_a).count() == 1
    assert Tandem.objects.filter(participation=participation_b).get() == kept_tandem
    assert MissionProfile.objects.filter(participation=participation_b).get() == kept_profile


def test_the_tandem_is_offered_to_start_the_missing_profile(world, tandem_a, client_as):
    participation = _without_tandem_and_profile(world["participation_a"])
    client = client_as(tandem_a)
    page = text(client.get(reverse("mission_profile", args=_args(participation))))
    assert "has not been started yet" in page
    start = reverse("mission_start", args=_args(participation))
    assert f'action="{start}"' in page
    # deeper pages answer 404 until then
    assert client.get(reverse("mission_step_vision", args=_args(participation))).status_code == 404

    response = client.post(start)
    assert response.status_code == 302
    assert response["Location"] == reverse("mission_profile", args=_args(participation))
    assert MissionProfile.objects.filter(participation=participation).count() == 1
    assert client.get(reverse("mission_step_vision", args=_args(participation))).status_code == 200
    # twice is harmless
    assert client.post(start).status_code == 302
    assert MissionProfile.objects.filter(participation=participation).count() == 1


def test_coordinators_read_that_it_is_not_started_but_do_not_start_it(world, client_as):
    participation = _without_tandem_and_profile(world["participation_a"])
    client = client_as("coordinator")
    page = text(client.get(reverse("mission_profile", args=_args(participation))))
    assert "has not been started yet" in page and "The municipality's tandem can start it." in page
    assert client.post(reverse("mission_start", args=_args(participation))).status_code == 403
    assert not MissionProfile.objects.filter(participation=participation).exists()


def test_others_do_not_learn_that_a_profile_is_missing(world, client_as):
    participation = _without_tandem_and_profile(world["participation_a"])
    for persona in ("tandem_b", "coordinator_y", "funder"):
        client = client_as(persona)
        assert client.get(reverse("mission_profile", args=_args(participation))).status_code == 404
        assert client.post(reverse("mission_start", args=_args(participation))).status_code == 404


def test_a_missing_tandem_shows_empty_and_its_first_save_creates_it(world, tandem_a, client_as):
    participation = _without_tandem_and_profile(world["participation_a"])
    client = client_as(tandem_a)
    url = reverse("tandem_edit", args=_args(participation))
    assert client.get(url).status_code == 200
    assert not Tandem.objects.filter(participation=participation).exists()
    response = client.post(
        url,
        {"sponsor_name": "Bürgermeisterin Ahorn", "sponsor_function": "", "commitment_date": ""},
    )
    assert response.status_code == 302
    tandem = Tandem.objects.get(participation=participation)
    assert tandem.sponsor_name == "Bürgermeisterin Ahorn"

"""Mission-profile fixtures on top of the personas of tests/conftest.py."""

import datetime as dt
from decimal import Decimal

import pytest

from missions import services
from missions.models import MissionProfile
from tandems import services as tandem_services

from ..factories import UserFactory


@pytest.fixture
def profile_a(participation_a):
    return MissionProfile.objects.get_or_create(participation=participation_a)[0]


@pytest.fixture
def profile_b(participation_b):
    return MissionProfile.objects.get_or_create(participation=participation_b)[0]


@pytest.fixture
def second_member_a(participation_a):
    """A second tandem member of Ahornstadt, for two people editing at once."""
    user = UserFactory(email="zora.zweite@example.org", name="Zora Zweite")
    tandem_services.tandem_member_add(
        participation=participation_a, user=user, department="Kulturamt"
    )
    return user


SMART_GOAL = {
    "statement": "Mehr Beschäftigte mit Migrationsgeschichte in der Verwaltung",
    "indicator": "Anteil der Beschäftigten mit Migrationsgeschichte",
    "unit": "%",
    "baseline": Decimal("10"),
    "target": Decimal("20"),
    "deadline": dt.date(2026, 12, 31),
    "owner": "Personalamt",
    "achievability": "Ausbildungskampagne, Mittel im Haushalt 2026",
    "relevance": "Die Verwaltung soll die Stadtgesellschaft abbilden.",
}


@pytest.fixture
def goal_a(profile_a, tandem_a):
    """A goal of Ahornstadt that meets all SMART criteria."""
    return services.goal_create(profile=profile_a, user=tandem_a, **SMART_GOAL)


@pytest.fixture
def goal_b(profile_b, tandem_b):
    return services.goal_create(profile=profile_b, user=tandem_b, statement="Buchenfelds Ziel")

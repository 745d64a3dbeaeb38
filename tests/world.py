"""The personas' world as plain functions: one per object, named like its fixture.

tests/conftest.py makes a fixture of each (a world per test); tests/shared_world.py calls `build`
for a world that read-only walks share for a whole module (a world per module and process).
"""

import datetime as dt

from labs import services
from labs.models import InvitationRole, LabRole, State
from tandems import services as tandem_services

from .factories import (
    CohortFactory,
    InvitationFactory,
    LabFactory,
    MunicipalityFactory,
    ParticipationFactory,
    SuperUserFactory,
    UserFactory,
)


def coordinator():
    return UserFactory(email="clara.koordination@example.org", name="Clara Koordination")


def coordinator_y():
    return UserFactory(email="yusuf.ypsilon@example.org", name="Yusuf Ypsilon")


def lab_x(coordinator):
    return LabFactory(slug="innolab-x", name="InnoLab X", created_by=coordinator)


def lab_y(coordinator_y):
    return LabFactory(slug="innolab-y", name="InnoLab Y", created_by=coordinator_y)


def cohort_x(lab_x):
    return CohortFactory(
        lab=lab_x,
        slug="kohorte-1",
        name="Kohorte 1",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )


def cohort_y(lab_y):
    return CohortFactory(lab=lab_y, slug="kohorte-y", name="Kohorte Y")


def municipality_a(lab_x):
    return MunicipalityFactory(
        lab=lab_x, name="Ahornstadt", ags="06412000", state=State.HE, district="kreisfrei"
    )


def municipality_b(lab_x):
    return MunicipalityFactory(lab=lab_x, name="Buchenfeld", state=State.HE, district="Kreis B")


def municipality_y(lab_y):
    return MunicipalityFactory(lab=lab_y, name="Ypsilonhausen", state=State.BY)


def participation(cohort, municipality):
    return ParticipationFactory(cohort=cohort, municipality=municipality)


def tandem_a(participation_a):
    user = UserFactory(email="anna.ahorn@example.org", name="Anna Ahorn")
    tandem_services.tandem_member_add(
        participation=participation_a, user=user, department="Sozialamt"
    )
    return user


def tandem_b(participation_b):
    user = UserFactory(email="bernd.buche@example.org", name="Bernd Buche")
    tandem_services.tandem_member_add(
        participation=participation_b, user=user, department="Personalamt"
    )
    return user


def funder(lab_x):
    user = UserFactory(email="fiona.foerder@example.org", name="Fiona Förder")
    services.lab_membership_grant(lab=lab_x, user=user, role=LabRole.FUNDER)
    return user


def expert(lab_x):
    user = UserFactory(email="erik.experte@example.org", name="Erik Experte")
    services.lab_membership_grant(lab=lab_x, user=user, role=LabRole.EXPERT)
    return user


def participant(lab_x, municipality_a):
    """A participant of lab X (a trained multiplier), tied to Ahornstadt; no tandem."""
    user = UserFactory(email="paula.teilnahme@example.org", name="Paula Teilnahme")
    services.lab_membership_grant(
        lab=lab_x, user=user, role=LabRole.PARTICIPANT, municipality=municipality_a
    )
    return user


def admin():
    return SuperUserFactory(email="admin@example.org", name="Ada Admin")


def outsider():
    return UserFactory(email="otto.aussen@example.org", name="Otto Außen")


def pending_invitation(coordinator, participation_a):
    return InvitationFactory(
        lab=participation_a.cohort.lab,
        invited_by=coordinator,
        email="neue.person@example.org",
        name="Nele Neu",
        role=InvitationRole.TANDEM_MEMBER,
        participation=participation_a,
    )


def build() -> dict:
    """Everything the fixtures of tests/conftest.py make, by fixture name: the `world` dict, the
    `personas` dict (anonymous is None), each of them by its own name and the pending invitation."""
    made = {"coordinator": coordinator(), "coordinator_y": coordinator_y()}
    made["lab_x"] = lab_x(made["coordinator"])
    made["lab_y"] = lab_y(made["coordinator_y"])
    made["cohort_x"] = cohort_x(made["lab_x"])
    made["cohort_y"] = cohort_y(made["lab_y"])
    made["municipality_a"] = municipality_a(made["lab_x"])
    made["municipality_b"] = municipality_b(made["lab_x"])
    made["municipality_y"] = municipality_y(made["lab_y"])
    made["participation_a"] = participation(made["cohort_x"], made["municipality_a"])
    made["participation_b"] = participation(made["cohort_x"], made["municipality_b"])
    made["participation_y"] = participation(made["cohort_y"], made["municipality_y"])
    made["world"] = {name: made[name] for name in WORLD}
    made["tandem_a"] = tandem_a(made["participation_a"])
    made["tandem_b"] = tandem_b(made["participation_b"])
    made["funder"] = funder(made["lab_x"])
    made["expert"] = expert(made["lab_x"])
    made["admin"] = admin()
    made["outsider"] = outsider()
    made["participant"] = participant(made["lab_x"], made["municipality_a"])
    made["anonymous"] = None
    made["personas"] = {name: made[name] for name in PERSONAS}
    made["pending_invitation"] = pending_invitation(made["coordinator"], made["participation_a"])
    return made


WORLD = (
    "lab_x",
    "lab_y",
    "cohort_x",
    "cohort_y",
    "municipality_a",
    "municipality_b",
    "municipality_y",
    "participation_a",
    "participation_b",
    "participation_y",
)
PERSONAS = (
    "anonymous",
    "coordinator",
    "coordinator_y",
    "tandem_a",
    "tandem_b",
    "funder",
    "expert",
    "admin",
    "outsider",
    "participant",
)

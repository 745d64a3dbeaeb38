"""factory_boy factories; labs objects come from labs.services, so guardian grants are real."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from labs import services
from labs.models import (
    Cohort,
    Invitation,
    InvitationRole,
    Lab,
    Municipality,
    Participation,
    ParticipationStatus,
    State,
)
from tandems import services as tandem_services
from tandems.models import TandemMember

TEST_PASSWORD = "a-long-enough-test-passphrase-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(TEST_PASSWORD)


class SuperUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class LabFactory(DjangoModelFactory):
    """A lab from services.lab_create; `created_by` becomes its coordinator (unless superuser)."""

    class Meta:
        model = Lab

    slug = factory.Sequence(lambda n: f"lab-{n}")
    name = factory.Sequence(lambda n: f"InnoLab {n}")
    organiser = "Koordinierungsstelle"
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, created_by, **kwargs):
        return services.lab_create(created_by=created_by, **kwargs)


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    lab = factory.SubFactory(LabFactory)
    slug = factory.Sequence(lambda n: f"kohorte-{n}")
    name = factory.Sequence(lambda n: f"Kohorte {n}")

    @classmethod
    def _create(cls, model_class, *args, lab, **kwargs):
        return services.cohort_create(lab=lab, **kwargs)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    lab = factory.SubFactory(LabFactory)
    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    state = State.HE
    district = "kreisfrei"

    @classmethod
    def _create(cls, model_class, *args, lab, **kwargs):
        return services.municipality_create(lab=lab, **kwargs)


class ParticipationFactory(DjangoModelFactory):
    """Admits a municipality of the cohort's lab (services.participation_admit, with its tandem)."""

    class Meta:
        model = Participation

    cohort = factory.SubFactory(CohortFactory)
    municipality = factory.SubFactory(
        MunicipalityFactory, lab=factory.SelfAttribute("..cohort.lab")
    )
    status = ParticipationStatus.ACTIVE

    @classmethod
    def _create(cls, model_class, *args, cohort, municipality, **kwargs):
        return services.participation_admit(cohort=cohort, municipality=municipality, **kwargs)


class TandemMemberFactory(DjangoModelFactory):
    class Meta:
        model = TandemMember

    participation = factory.SubFactory(ParticipationFactory)
    user = factory.SubFactory(UserFactory)
    department = factory.Sequence(lambda n: f"Amt {n}")

    @classmethod
    def _create(cls, model_class, *args, participation, user, department="", **kwargs):
        return tandem_services.tandem_member_add(
            participation=participation, user=user, department=department
        )


class InvitationFactory(DjangoModelFactory):
    """An invitation via services.invitation_create; the raw token is set as `.token`."""

    class Meta:
        model = Invitation

    lab = factory.SubFactory(LabFactory)
    invited_by = factory.LazyAttribute(lambda o: o.lab.memberships.first().user)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    name = factory.Sequence(lambda n: f"Invitee {n}")
    role = InvitationRole.FUNDER
    participation = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        invitation, token = services.invitation_create(**kwargs)
        invitation.token = token
        return invitation

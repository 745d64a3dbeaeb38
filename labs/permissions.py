"""Who may do what in labs, cohorts and participations.

Views and services fetch objects only through these helpers. An object the user may not see
answers 404 (ids never leak); an object they may see but not change answers 403.
Grants live in django-guardian: per lab one group per role, per participation one tandem group
(see services.py); superusers may do everything.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from accounts.permissions import is_site_admin
from core.fragments import remember

from . import dashboard
from .models import Cohort, Invitation, Lab, LabMembership, LabRole, Municipality, Participation

COORDINATOR_LAB_PERMS = [
    "view_lab",
    "change_lab",
    "coordinate_lab",
    "view_lab_reports",
    "comment_lab",
]
FUNDER_LAB_PERMS = ["view_lab", "view_lab_reports"]
EXPERT_LAB_PERMS = ["view_lab", "comment_lab"]
# not view_lab: that one means a role that sees every cohort of the lab
PARTICIPANT_LAB_PERMS = ["take_part_in_lab"]
TANDEM_PARTICIPATION_PERMS = ["view_participation", "work_on_participation"]


@dataclass(frozen=True)
class LabAccess:
    lab: Lab
    can_coordinate: bool
    can_view_reports: bool
    can_comment: bool
    participation_ids: frozenset[int]
    # a participant (LabRole.PARTICIPANT): the lab's events and in-app surveys, no cohort pages;
    # the participations of the municipality they take part for (their answers count for it)
    can_take_part: bool = False
    take_part_participation_ids: frozenset[int] = frozenset()

    @property
    def is_tandem_member(self) -> bool:
        return bool(self.participation_ids)

    @property
    def has_lab_role(self) -> bool:
        """A role in the lab itself (coordinator, funder, expert, or an admin), as opposed to
        membership of one of its tandems: a lab role sees every cohort and event of the lab."""
        return self.can_coordinate or self.can_view_reports or self.can_comment

    @property
    def can_see_results(self) -> bool:
        """The lab's reports and survey results: its coordinators and funders."""
        return self.can_coordinate or self.can_view_reports

    def can_open_participation(self, participation_id: int) -> bool:
        """A participation of the lab (its page, tandem, mission): the coordinators open every
        one, a tandem member their own. No query: the ids are the access's."""
        return self.can_coordinate or participation_id in self.participation_ids

    @property
    def funder_reads_shared_profiles(self) -> bool:
        """A funder of the lab reads the mission profiles that tandems shared with their cohort
        (read-only) when the lab's coordinators allow it (Lab.funders_read_shared_profiles)."""
        return self.can_view_reports and self.lab.funders_read_shared_profiles


def is_privileged(user) -> bool:
    """Platform administrators and coordinators of any lab: the accounts that must use two-factor
    authentication when MFA_REQUIRED_FOR_PRIVILEGED is set (config/mfa.py)."""
    if not user.is_authenticated:
        return False
    if is_site_admin(user):
        return True
    return LabMembership.objects.filter(user=user, role=LabRole.COORDINATOR).exists()


def can_create_lab(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.has_perm("labs.add_lab")


def participations_for_user(user) -> QuerySet[Participation]:
    """Participations whose tandem the user belongs to (not those they coordinate)."""
    if not user.is_authenticated:
        return Participation.objects.none()
    return get_objects_for_user(
        user,
        "labs.work_on_participation",
        klass=Participation,
        with_superuser=False,
        accept_global_perms=False,
    )


def participations_taken_part_in(user) -> QuerySet[Participation]:
    """The participations of the municipalities the user takes part for as a participant."""
    if not user.is_authenticated:
        return Participation.objects.none()
    return Participation.objects.filter(
        municipality__participants__user=user,
        municipality__participants__role=LabRole.PARTICIPANT,
    )


def labs_for_user(user) -> QuerySet[Lab]:
    """Every lab the user may open: by a lab role (participants too) or as a tandem member of
    one of its cohorts."""
    if not user.is_authenticated:
        return Lab.objects.none()
    if user.is_superuser:
        return Lab.objects.all()
    by_role = get_objects_for_user(
        user,
        ["labs.view_lab", "labs.take_part_in_lab"],
        klass=Lab,
        any_perm=True,
        accept_global_perms=False,
    )
    by_tandem = participations_for_user(user).values("cohort__lab_id")
    return Lab.objects.filter(pk__in=by_role.values("pk")) | Lab.objects.filter(pk__in=by_tandem)


def _lab_access_for(user, lab: Lab) -> LabAccess | None:
    if user.is_superuser:
        return LabAccess(lab, True, True, True, frozenset())
    checker = ObjectPermissionChecker(user)
    perms = set(checker.get_perms(lab))
    participation_ids = frozenset(
        participations_for_user(user).filter(cohort__lab=lab).values_list("pk", flat=True)
    )
    if "view_lab" not in perms and "take_part_in_lab" not in perms and not participation_ids:
        return None
    return LabAccess(
        lab=lab,
        can_coordinate="coordinate_lab" in perms,
        can_view_reports="view_lab_reports" in perms,
        can_comment="comment_lab" in perms,
        participation_ids=participation_ids,
        can_take_part="take_part_in_lab" in perms,
        take_part_participation_ids=frozenset(
            participations_taken_part_in(user).filter(cohort__lab=lab).values_list("pk", flat=True)
        )
        if "take_part_in_lab" in perms
        else frozenset(),
    )


def access_lab(user, slug: str, *, coordinate: bool = False) -> LabAccess:
    """The lab with what the user may do in it; 404 if they may not see it at all."""
    if not user.is_authenticated:
        raise Http404

    def lookup() -> LabAccess | None:
        lab = Lab.objects.filter(slug=slug).first()
        return _lab_access_for(user, lab) if lab else None

    access = remember(user, "lab-access", slug, compute=lookup)
    if access is None:
        raise Http404
    if coordinate and not access.can_coordinate:
        raise PermissionDenied
    return access


@dataclass(frozen=True)
class CohortAccess:
    lab_access: LabAccess
    cohort: Cohort
    # in the cohort only as a participant (access_cohort(participants=True)): no cohort pages
    only_taking_part: bool = False

    @property
    def can_open_dashboard(self) -> bool:
        return not self.only_taking_part

    @property
    def can_coordinate(self) -> bool:
        return self.lab_access.can_coordinate

    @property
    def can_see_figures(self) -> bool:
        """Every municipality's figures on the cohort dashboard (tandem, mission, events)."""
        return self.lab_access.can_coordinate

    @property
    def dashboard_audience(self) -> str | None:
        """Whose columns of the cohort dashboard the person sees (labs/dashboard.py): the
        coordinators' (every figure) or the funders' (aggregates without personal data); None:
        labs' own three columns only (tandem members, experts)."""
        if self.lab_access.can_coordinate:
            return dashboard.COORDINATORS
        if self.lab_access.can_view_reports:
            return dashboard.FUNDERS
        return None

    @property
    def can_read_shared_profiles(self) -> bool:
        """The list of the mission profiles shared in the cohort ("Learning from each other"):
        its tandems and participants, the lab's coordinators and, if the lab allows it, its
        funders (lab roles see every cohort of the lab; a tandem member or participant opens
        only their own cohorts)."""
        lab_access = self.lab_access
        return (
            lab_access.can_coordinate
            or lab_access.is_tandem_member
            or self.only_taking_part
            or lab_access.funder_reads_shared_profiles
        )

    def can_open_participation(self, participation_id: int) -> bool:
        return self.lab_access.can_open_participation(participation_id)


def access_cohort(
    user, lab_slug: str, cohort_slug: str, *, coordinate: bool = False, participants: bool = False
) -> CohortAccess:
    """Lab roles see every cohort of the lab; a tandem member sees only their own. With
    `participants`, a participant tied to a municipality of the cohort sees it too: only the
    read-only pages that ask for it (the profiles shared in the cohort), never the dashboard."""
    lab_access = access_lab(user, lab_slug)

    def lookup() -> tuple[Cohort, bool] | None:
        cohort = (
            Cohort.objects.filter(lab=lab_access.lab, slug=cohort_slug)
            .select_related("lab")
            .first()
        )
        if cohort is None:
            return None
        if lab_access.has_lab_role:
            return cohort, False
        ids = lab_access.participation_ids
        if participants:
            ids = ids | lab_access.take_part_participation_ids
        in_cohort = set(
            Participation.objects.filter(pk__in=ids, cohort=cohort).values_list("pk", flat=True)
        )
        if not in_cohort:
            return None
        return cohort, not in_cohort & lab_access.participation_ids

    name = "cohort-access-participants" if participants else "cohort-access"
    found = remember(user, name, lab_slug, cohort_slug, compute=lookup)
    if found is None:
        raise Http404
    if coordinate and not lab_access.can_coordinate:
        raise PermissionDenied
    cohort, only_taking_part = found
    return CohortAccess(lab_access, cohort, only_taking_part=only_taking_part)


@dataclass(frozen=True)
class ParticipationAccess:
    participation: Participation
    can_coordinate: bool
    is_tandem_member: bool

    @property
    def can_edit_texts(self) -> bool:
        return self.can_coordinate


def lab_participation(
    lab_access: LabAccess, cohort_slug: str, participation_id: int
) -> Participation | None:
    """The participation of that cohort of the lab (with cohort, lab and municipality), or None;
    what the user may do with it is the caller's check."""
    return (
        Participation.objects.select_related("cohort__lab", "municipality")
        .filter(pk=participation_id, cohort__lab=lab_access.lab, cohort__slug=cohort_slug)
        .first()
    )


def access_participation(
    user, lab_slug: str, cohort_slug: str, participation_id: int, *, coordinate: bool = False
) -> ParticipationAccess:
    """Only the lab's coordinators and the municipality's own tandem open a participation."""
    lab_access = access_lab(user, lab_slug)
    participation = lab_participation(lab_access, cohort_slug, participation_id)
    if participation is None:
        raise Http404
    if not lab_access.can_open_participation(participation.pk):
        raise Http404
    if coordinate and not lab_access.can_coordinate:
        raise PermissionDenied
    is_member = participation.pk in lab_access.participation_ids
    return ParticipationAccess(participation, lab_access.can_coordinate, is_member)


def access_municipality(user, lab_slug: str, municipality_id: int) -> Municipality:
    access = access_lab(user, lab_slug, coordinate=True)
    municipality = Municipality.objects.filter(pk=municipality_id, lab=access.lab).first()
    if municipality is None:
        raise Http404
    return municipality


def access_membership_for_coordinator(
    user, lab_slug: str, membership_id: int
) -> tuple[LabAccess, LabMembership]:
    """A role in the lab, for its coordinators to revoke; a role in another lab answers 404."""
    access = access_lab(user, lab_slug, coordinate=True)
    membership = (
        LabMembership.objects.select_related("user", "lab")
        .filter(pk=membership_id, lab=access.lab)
        .first()
    )
    if membership is None:
        raise Http404
    return access, membership


def access_invitation_for_coordinator(user, lab_slug: str, invitation_id: int) -> Invitation:
    access = access_lab(user, lab_slug, coordinate=True)
    invitation = Invitation.objects.filter(pk=invitation_id, lab=access.lab).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_addressed_to(user, invitation: Invitation) -> bool:
    """Whether `user` may accept `invitation`: it was sent to the account's address or to another
    address the account has verified (case-insensitive). A forwarded or leaked link grants
    nothing to anyone else."""
    if not getattr(user, "is_authenticated", False):
        return False
    invited = invitation.email.strip().casefold()
    if (user.email or "").strip().casefold() == invited:
        return True
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email.strip(), verified=True
    ).exists()

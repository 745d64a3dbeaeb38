"""Who may read, write and review a mission profile.

Readers: the lab's coordinators, the municipality's tandem and, when the tandem shares it, the
tandems of the other municipalities in the same cohort and, if the lab allows it
(Lab.funders_read_shared_profiles), the lab's funders. Writers: the tandem (and superusers).
Reviewers: the lab's coordinators. Everyone else gets 404, as for the participation itself.
While the profile is submitted for review its writers cannot change it: `can_edit` is False,
and a page or form that changes it raises ProfileAwaitsReview, which the views answer with the
notice and the offer to withdraw the submission (views/awaiting.py), never a bare 403.

Reading writes nothing: the profile is created when the municipality is admitted. For a
participation that has none (added around the admission service), those who may read it get
ProfileNotStarted, a 404 that the overview turns into a page offering its writers to start it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from core.fragments import remember
from labs.models import Participation
from labs.permissions import CohortAccess, access_cohort, access_lab, lab_participation

from .models import Indicator, MissionProfile, ProfileStatus, ReviewAction


class ProfileAwaitsReview(PermissionDenied):
    """A writer wants to change a profile that is submitted for review (unhandled: a 403)."""

    def __init__(self, access: "ProfileAccess"):
        super().__init__("the profile is submitted for review")
        self.access = access


class ProfileNotStarted(Http404):
    """The participation has no mission profile yet; the person may read it once it exists."""

    def __init__(self, participation: Participation, *, can_start: bool):
        super().__init__("no mission profile yet")
        self.participation = participation
        self.can_start = can_start


@dataclass(frozen=True)
class ProfileAccess:
    profile: MissionProfile
    participation: Participation
    is_writer: bool  # the tandem (and superusers): may change the profile unless it is submitted
    can_review: bool
    is_member: bool

    @property
    def awaits_review(self) -> bool:
        """A writer of a profile that is submitted: it stays as it is until the coordination
        office decides or the writer withdraws the submission."""
        return self.is_writer and self.profile.status == ProfileStatus.SUBMITTED

    @property
    def can_withdraw(self) -> bool:
        return self.awaits_review

    @property
    def can_edit(self) -> bool:
        return self.is_writer and not self.awaits_review

    @property
    def read_only(self) -> bool:
        return not self.can_edit

    @property
    def can_submit(self) -> bool:
        return self.is_writer and self.profile.status in (
            ProfileStatus.DRAFT,
            ProfileStatus.RETURNED,
        )

    @property
    def can_share(self) -> bool:
        return self.is_member or (self.is_writer and self.can_review)

    @property
    def sees_review_details(self) -> bool:
        """Coordinator feedback and the submission check are for the tandem and the coordination
        office; a tandem of another municipality reading a shared profile sees the status only."""
        return self.is_writer or self.can_review

    @property
    def can_decide(self) -> bool:
        return self.can_review and self.profile.status == ProfileStatus.SUBMITTED

    @property
    def can_activate(self) -> bool:
        return self.can_review and self.profile.status == ProfileStatus.APPROVED

    @property
    def has_review_actions(self) -> bool:
        """Whether the review panel offers any step (submit, approve or return, activate)."""
        return self.can_submit or self.can_decide or self.can_activate

    @property
    def edits_approved_profile(self) -> bool:
        """A writer of an approved or active profile: changes stay possible and are recorded."""
        return self.can_edit and self.profile.status in (
            ProfileStatus.APPROVED,
            ProfileStatus.ACTIVE,
        )

    @property
    def can_open_participation(self) -> bool:
        """The municipality's own page (breadcrumbs): its tandem and the coordinators, as
        labs.permissions.access_participation decides; a reader of a shared profile cannot."""
        return self.is_member or self.can_review

    def may_take_review_action(self, action: str) -> bool:
        """The tandem submits; the coordination office approves, returns and activates (whether
        the profile's status allows the action is the service's check)."""
        if not self.sees_review_details:
            return False
        if action in (ReviewAction.SUBMIT, ReviewAction.WITHDRAW):
            return self.is_writer
        return self.can_review


def access_profile_start(user, lab_slug: str, cohort_slug: str, participation_id: int):
    """The participation whose mission profile the person may start: its writers (the tandem,
    superusers); readers get 403, everyone else 404, as access_profile(edit=True)."""
    try:
        access = access_profile(user, lab_slug, cohort_slug, participation_id)
    except ProfileNotStarted as missing:
        if not missing.can_start:
            raise PermissionDenied from None
        return missing.participation
    if not access.is_writer:
        raise PermissionDenied
    return access.participation  # started already


def access_profile(
    user,
    lab_slug: str,
    cohort_slug: str,
    participation_id: int,
    *,
    edit: bool = False,
    writer: bool = False,
    review: bool = False,
    review_details: bool = False,
) -> ProfileAccess:
    """The profile and what the person may do with it. `edit`: they want to change it (403 for
    readers, ProfileAwaitsReview while it is submitted); `writer`: an action of its writers that
    changes none of its content (sharing, withdrawing the submission), whatever its status."""
    lab_access = access_lab(user, lab_slug)

    def lookup() -> ProfileAccess | None:
        participation = lab_participation(lab_access, cohort_slug, participation_id)
        if participation is None:
            return None
        is_member = participation.pk in lab_access.participation_ids
        can_review = lab_access.can_coordinate
        if not (is_member or can_review):
            # the cohort's tandems, participants tied to one of its municipalities and (if the
            # lab allows it) its funders read the profiles shared with the cohort
            own = lab_access.participation_ids | lab_access.take_part_participation_ids
            reads_shared = lab_access.funder_reads_shared_profiles or (
                participation.cohort_id
                in Participation.objects.filter(pk__in=own).values_list("cohort_id", flat=True)
            )
            shared_reader = (
                reads_shared
                and MissionProfile.objects.filter(
                    participation=participation, shared_with_cohort=True
                ).exists()
            )
            if not shared_reader:
                return None
        can_edit = is_member or user.is_superuser
        profile = (
            MissionProfile.objects.select_related("updated_by")
            .filter(participation=participation)
            .first()
        )
        if profile is None:
            raise ProfileNotStarted(participation, can_start=can_edit)
        profile.participation = participation
        return ProfileAccess(
            profile=profile,
            participation=participation,
            is_writer=can_edit,
            can_review=can_review,
            is_member=is_member,
        )

    access = remember(
        # "-2": ProfileAccess gained is_writer; an entry cached before would not unpickle
        user,
        "profile-access-2",
        lab_slug,
        cohort_slug,
        participation_id,
        compute=lookup,
    )
    if access is None:
        raise Http404
    if (edit or writer) and not access.is_writer:
        raise PermissionDenied
    if edit and access.awaits_review:
        raise ProfileAwaitsReview(access)
    if review and not access.can_review:
        raise PermissionDenied
    if review_details and not access.sees_review_details:
        raise PermissionDenied
    return access


def profile_readable_by_funders(lab, profile: MissionProfile) -> bool:
    """Whether the lab's funders read this profile (access_profile decides the same way): the
    tandem shared it with the cohort and the lab lets its funders read shared profiles."""
    return lab.funders_read_shared_profiles and profile.shared_with_cohort


def access_shared_profiles(user, lab_slug: str, cohort_slug: str) -> CohortAccess:
    """The list of the profiles shared in a cohort ("Learning from each other"): the cohort's
    tandems, the participants tied to one of its municipalities, the lab's coordinators and, if
    the lab allows it, its funders; the lab's other roles 403, everyone else 404
    (labs.permissions.access_cohort)."""
    access = access_cohort(user, lab_slug, cohort_slug, participants=True)
    lab_access = access.lab_access
    if lab_access.can_coordinate or lab_access.funder_reads_shared_profiles:
        return access
    ids = lab_access.participation_ids | lab_access.take_part_participation_ids
    if not Participation.objects.filter(pk__in=ids, cohort=access.cohort).exists():
        raise PermissionDenied
    return access


# --- the indicator catalogue and the cohort's comparison ---------------------------------------


@dataclass(frozen=True)
class ComparisonAccess:
    """The cohort's indicator comparison: who opens it, and whose goals they see in it."""

    cohort_access: CohortAccess
    goals: Q  # a filter on SmartGoal: the goals whose values this person sees

    @property
    def sees_every_goal(self) -> bool:
        return self.cohort_access.can_coordinate


def access_indicator_comparison(user, lab_slug: str, cohort_slug: str) -> ComparisonAccess:
    """The cohort's comparison per catalogue indicator: everyone in the cohort (its tandems and
    participants, the lab's roles; others 404). Each sees the goals of the profiles they may read:
    coordinators every one; the others their own municipality's and those shared with the cohort
    (a funder only if the lab lets funders read shared profiles). The rest is only counted."""
    access = access_cohort(user, lab_slug, cohort_slug, participants=True)
    lab_access = access.lab_access
    if lab_access.can_coordinate:
        return ComparisonAccess(access, Q(pk__isnull=False))  # every goal (not Q(): excluding
        # an empty Q excludes nothing, and the hidden goals are counted by exclude())
    own = Q(profile__participation_id__in=lab_access.participation_ids)
    reads_shared = (
        lab_access.is_tandem_member
        or access.only_taking_part  # a participant of one of the cohort's municipalities
        or lab_access.can_comment  # the lab's experts
        or lab_access.funder_reads_shared_profiles
    )
    shared = Q(profile__shared_with_cohort=True) if reads_shared else Q(pk__in=[])
    return ComparisonAccess(access, own | shared)


def access_indicator_catalogue(user, lab_slug: str, *, edit: bool = False):
    """The lab's catalogue: everyone who sees the lab reads it (a tandem picks from it); its
    coordinators add to it (`edit`; the lab's other people 403, everyone else 404)."""
    return access_lab(user, lab_slug, coordinate=edit)


def access_indicator(user, lab_slug: str, indicator_id: int) -> Indicator:
    """An indicator to change or delete: the lab's coordinators (others of the lab 403)."""
    lab = access_lab(user, lab_slug, coordinate=True).lab
    indicator = Indicator.objects.filter(lab=lab, pk=indicator_id).first()
    if indicator is None:
        raise Http404
    return indicator

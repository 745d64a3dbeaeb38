"""Who may edit a tandem: the lab's coordinators and the tandem's own members.

Both reuse labs.permissions.access_participation, so whoever may not open the participation gets
404, and ids of members of other tandems answer 404 too. Reading writes nothing: the tandem is
created when the municipality is admitted; a participation that has none (added around the
admission service) shows an empty, unsaved tandem, which its first save creates.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from labs.permissions import ParticipationAccess, access_participation

from .models import Tandem, TandemMember


@dataclass(frozen=True)
class TandemAccess:
    participation_access: ParticipationAccess
    tandem: Tandem

    @property
    def participation(self):
        return self.participation_access.participation

    @property
    def can_edit(self) -> bool:
        access = self.participation_access
        return access.can_coordinate or access.is_tandem_member


def access_tandem(user, lab_slug: str, cohort_slug: str, participation_id: int) -> TandemAccess:
    access = access_participation(user, lab_slug, cohort_slug, participation_id)
    participation = access.participation
    tandem = Tandem.objects.filter(participation=participation).first() or Tandem()
    tandem.participation = participation
    return TandemAccess(access, tandem)


def access_tandem_member(
    user,
    lab_slug: str,
    cohort_slug: str,
    participation_id: int,
    member_id: int,
    *,
    coordinate: bool = False,
) -> tuple[TandemAccess, TandemMember]:
    """A member of the tandem, for its coordinators and its members (department and role);
    with `coordinate`, for the coordinators only (removing a member, handing a place over)."""
    access = access_tandem(user, lab_slug, cohort_slug, participation_id)
    if coordinate and not access.participation_access.can_coordinate:
        raise PermissionDenied
    if access.tandem.pk is None:  # no tandem, no members
        raise Http404
    member = (
        TandemMember.objects.select_related("user")
        .filter(pk=member_id, tandem=access.tandem)
        .first()
    )
    if member is None:
        raise Http404
    return access, member

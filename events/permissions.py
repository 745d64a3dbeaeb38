"""Who may see and change events. Built on labs.permissions: invisible → 404, read-only → 403.

- Coordinators of the lab (and admins) plan, invite, record attendance, upload materials.
- Funders and experts of the lab see the lab's events and their materials.
- Participants of the lab see the lab's events and register for themselves.
- Tandem members see the events of their cohorts, events they are invited to, and events of
  their lab that are open to guests; they register or decline for themselves.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from labs.models import Lab, LabMembership
from labs.permissions import LabAccess, access_lab, labs_for_user, participations_for_user
from tandems.models import TandemMember

from .models import Event, EventMaterial, RegistrationStatus


@dataclass(frozen=True)
class EventAccess:
    lab_access: LabAccess
    event: Event

    @property
    def can_coordinate(self) -> bool:
        return self.lab_access.can_coordinate


def event_visibility(user, lab_access: LabAccess | None = None) -> Q:
    """Which events this person may see, as a filter on Event: the one rule for the event pages.

    Every event of a lab where they hold a lab role (coordinator, funder, expert, participant;
    an admin in every lab); otherwise the events of their tandems' cohorts, the events they are
    invited to, and the events open to guests of the labs of their tandems. With `lab_access`
    (the lab's access, already worked out), that lab's events only; without it, across all labs.
    """
    if lab_access is not None:
        lab = Q(lab=lab_access.lab)
        if _sees_every_event(lab_access):
            return lab
        return lab & _seen_without_lab_role(user, lab_access.participation_ids, [lab_access.lab.pk])
    if user.is_superuser:
        return Q()
    role_labs = get_objects_for_user(
        user,
        ["labs.view_lab", "labs.take_part_in_lab"],
        klass=Lab,
        any_perm=True,
        accept_global_perms=False,
    ).values("pk")
    own = participations_for_user(user)
    return Q(lab__in=role_labs) | _seen_without_lab_role(user, own, own.values("cohort__lab_id"))


def _sees_every_event(lab_access: LabAccess) -> bool:
    return lab_access.has_lab_role or lab_access.can_take_part


def _seen_without_lab_role(user, participations, labs) -> Q:
    return (
        Q(cohorts__participations__in=participations)
        | Q(registrations__user=user)
        | Q(open_to_guests=True, lab__in=labs)
    )


def events_visible(user, lab_access: LabAccess) -> QuerySet[Event]:
    """The lab's events this person may see."""
    events = Event.objects.filter(event_visibility(user, lab_access))
    return events if _sees_every_event(lab_access) else events.distinct()


def shows_answer_column(lab_access: LabAccess | None, events) -> bool:
    """Whether a table of events has the column with the person's own answer: for the lab's
    tandem members and participants, who answer invitations, and for anyone invited to one of
    the events shown; the people who plan or follow the events answer nothing there."""
    if lab_access is not None and (lab_access.is_tandem_member or lab_access.can_take_part):
        return True
    return any(getattr(event, "my_status", None) for event in events)


def access_event(user, lab_slug: str, event_id: int, *, coordinate: bool = False) -> EventAccess:
    lab_access = access_lab(user, lab_slug)
    event = (
        events_visible(user, lab_access)
        .select_related("lab", "type", "series", "feedback_survey__cohort")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise Http404
    if coordinate and not lab_access.can_coordinate:
        raise PermissionDenied
    return EventAccess(lab_access, event)


def events_in_calendar(user) -> QuerySet[Event]:
    """Events in the person's calendar: those they are invited to, registered or waitlisted for
    (not declined), in labs they may still open."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    return Event.objects.filter(
        lab__in=labs_for_user(user).values("pk"),
        registrations__user=user,
        registrations__status__in=[
            RegistrationStatus.INVITED,
            RegistrationStatus.REGISTERED,
            RegistrationStatus.WAITLISTED,
        ],
    )


def access_event_material(
    user, lab_slug: str, event_id: int, material_id: int, *, coordinate: bool = False
):
    """The event (as access_event) and one of its materials; a material of another event → 404,
    so material ids cannot be tried across events."""
    access = access_event(user, lab_slug, event_id, coordinate=coordinate)
    material = EventMaterial.objects.filter(pk=material_id, event=access.event).first()
    if material is None:
        raise Http404
    return access, material


def may_join_as_guest(event: Event, user) -> bool:
    """Whether the person may register themselves for an event they were not invited to: the
    event is open to guests and they belong to its lab (a tandem member of one of its cohorts or
    a role holder), checked without loading everybody."""
    if not event.open_to_guests:
        return False
    return (
        TandemMember.objects.filter(
            tandem__participation__cohort__lab=event.lab, user=user
        ).exists()
        or LabMembership.objects.filter(lab=event.lab, user=user).exists()
    )

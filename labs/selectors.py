"""Reads for the labs pages, each in a constant number of queries whatever the data size."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from .dashboard import Column
from .models import (
    Cohort,
    Invitation,
    Lab,
    LabMembership,
    LabRole,
    Municipality,
    Participation,
    ParticipationGroupObjectPermission,
    ParticipationStatus,
    ParticipationUserObjectPermission,
)
from .permissions import labs_for_user, participations_for_user, participations_taken_part_in


def home_labs(user) -> QuerySet[Lab]:
    """The user's labs, each with the cohorts the user may open."""
    cohorts = Cohort.objects.order_by("start_date", "name")
    if not user.is_superuser:
        role_labs = get_objects_for_user(
            user, "labs.view_lab", klass=Lab, accept_global_perms=False
        ).values("pk")
        own = participations_for_user(user).values("cohort_id")
        cohorts = cohorts.filter(Q(lab__in=role_labs) | Q(pk__in=own))
    return (
        labs_for_user(user)
        .prefetch_related(Prefetch("cohorts", queryset=cohorts, to_attr="visible_cohorts"))
        .order_by("name")
    )


def home_participations(user) -> QuerySet[Participation]:
    return participations_for_user(user).select_related("municipality", "cohort__lab")


def home_taken_part(user) -> QuerySet[Participation]:
    """The participations a participant takes part for, unless they are in its tandem too
    (those are under "My municipality")."""
    return (
        participations_taken_part_in(user)
        .exclude(pk__in=participations_for_user(user).values("pk"))
        .select_related("municipality", "cohort__lab")
        .distinct()
        .order_by("cohort__lab__name", "cohort__name", "municipality__name")
    )


def lab_cohorts(lab: Lab) -> QuerySet[Cohort]:
    return lab.cohorts.annotate(n_participations=Count("participations")).order_by(
        "start_date", "name"
    )


def lab_cohorts_for_tandem(lab: Lab, participation_ids) -> QuerySet[Cohort]:
    own = Participation.objects.filter(pk__in=participation_ids).values("cohort_id")
    return lab_cohorts(lab).filter(pk__in=own)


def lab_municipalities(lab: Lab) -> QuerySet[Municipality]:
    return lab.municipalities.annotate(
        n_cohorts=Count("participations"),
        n_left=Count("participations", filter=Q(participations__status=ParticipationStatus.LEFT)),
    ).order_by("name")


def lab_people(lab: Lab, *, search: str = "") -> QuerySet[LabMembership]:
    """The lab's roles; `search` finds a part of the name, e-mail address or municipality."""
    memberships = lab.memberships.select_related("user", "municipality")
    if search:
        memberships = memberships.filter(
            Q(user__name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(municipality__name__icontains=search)
        )
    return memberships.order_by("role", "user__name", "user__email")


def lab_invitations(lab: Lab, *, search: str = "") -> QuerySet[Invitation]:
    """The lab's invitations, newest first; `search` as lab_people's."""
    invitations = lab.invitations.select_related(
        "participation__municipality", "participation__cohort", "invited_by"
    )
    if search:
        invitations = invitations.filter(
            Q(email__icontains=search) | Q(participation__municipality__name__icontains=search)
        )
    return invitations.order_by("-created_at")


def cohort_dashboard_rows(cohort: Cohort, columns: list[Column]) -> QuerySet[Participation]:
    """One row per municipality with the figures of the dashboard's columns, in one query."""
    annotations: dict = {}
    for column in columns:
        annotations.update(column.annotations())
    return (
        cohort.participations.select_related(
            "municipality", *(name for column in columns for name in column.select_related)
        )
        .annotate(**annotations)
        .order_by("municipality__name")
    )


def cohort_shared_rows(cohort: Cohort) -> QuerySet[Participation]:
    """What every member of a cohort may see of the others: name, district, status."""
    return cohort.participations.select_related("municipality").order_by("municipality__name")


def cohort_status_counts(cohort: Cohort) -> dict[str, int]:
    rows = cohort.participations.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def admissible_municipalities(cohort: Cohort) -> QuerySet[Municipality]:
    return cohort.lab.municipalities.exclude(participations__cohort=cohort).order_by("name")


def lab_participations(lab: Lab) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(cohort__lab=lab)
        .select_related("municipality", "cohort")
        .order_by("cohort__start_date", "cohort__name", "municipality__name")
    )


def account_exists_for_email(email: str) -> bool:
    """Whether an account uses this address (case-insensitive), e.g. an invitation's."""
    return get_user_model().objects.filter(email__iexact=email).exists()


def invitation_languages(user_ids) -> dict[int, str]:
    """Each person's language as of the latest invitation they accepted (those who accepted
    none are left out): the fallback of notifications/languages.py for people who chose none."""
    supported = {code for code, _name in settings.LANGUAGES}
    languages: dict[int, str] = {}
    rows = (
        Invitation.objects.filter(accepted_by__in=set(user_ids), accepted_at__isnull=False)
        .order_by("accepted_by", "-accepted_at")
        .values_list("accepted_by", "language")
    )
    for user_id, language in rows:
        if language in supported:
            languages.setdefault(user_id, language)
    return languages


def cohort_member_ids(cohort: Cohort) -> set[int]:
    """The active people who work on a participation of the cohort (its tandems: the reverse of
    permissions.participations_for_user), by a permission of their own or of a group."""
    grants = Q(permission__codename="work_on_participation", content_object__cohort=cohort)
    direct = ParticipationUserObjectPermission.objects.filter(grants).values("user_id")
    groups = ParticipationGroupObjectPermission.objects.filter(grants).values("group_id")
    people = get_user_model().objects.filter(is_active=True)
    return set(people.filter(Q(pk__in=direct) | Q(groups__in=groups)).values_list("pk", flat=True))


def cohort_participant_ids(cohort: Cohort) -> set[int]:
    """The active participants (LabRole.PARTICIPANT) of the cohort's lab tied to a municipality
    of the cohort: they answer its in-app surveys (the reverse of
    permissions.participations_taken_part_in)."""
    return set(
        LabMembership.objects.filter(
            lab_id=cohort.lab_id,
            role=LabRole.PARTICIPANT,
            municipality__participations__cohort=cohort,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )

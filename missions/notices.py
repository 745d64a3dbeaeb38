"""What missions tells people about (notifications.kinds): a profile submitted for review, submitted
again with a reply to the return comment, or withdrawn (the lab's coordinators); returned or
approved (the tandem). Registered from MissionsConfig.ready(); profile_review calls
`review_notify` at the moment the step is taken."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import LabMembership, LabRole
from notifications import kinds
from notifications.services import notify
from tandems.models import TandemMember

from .models import MissionProfile, ReviewAction

SUBMITTED = "profile-submitted"
RETURNED = "profile-returned"
APPROVED = "profile-approved"
REPLY = "review-reply"
WITHDRAWN = "profile-withdrawn"


def register() -> None:
    kinds.register(
        kinds.Kind(
            key=SUBMITTED,
            label=gettext_lazy("A mission profile was submitted for review"),
            text=lambda p: (
                _("The mission profile of %(municipality)s was submitted for review.") % p
            ),
        )
    )
    kinds.register(
        kinds.Kind(
            key=RETURNED,
            label=gettext_lazy("A mission profile was returned with comments"),
            text=lambda p: (
                _("The mission profile of %(municipality)s was returned with comments.") % p
            ),
        )
    )
    kinds.register(
        kinds.Kind(
            key=APPROVED,
            label=gettext_lazy("A mission profile was approved"),
            text=lambda p: _("The mission profile of %(municipality)s was approved.") % p,
        )
    )

    kinds.register(
        kinds.Kind(
            key=REPLY,
            label=gettext_lazy("A tandem answered the review comments"),
            text=lambda p: (
                _(
                    "The tandem of %(municipality)s answered your comments and submitted the "
                    "mission profile again."
                )
                % p
            ),
        )
    )
    kinds.register(
        kinds.Kind(
            key=WITHDRAWN,
            label=gettext_lazy("A submission for review was withdrawn"),
            text=lambda p: (
                _("The tandem of %(municipality)s withdrew the mission profile from review.") % p
            ),
        )
    )


_KIND_OF_ACTION = {
    ReviewAction.SUBMIT: SUBMITTED,
    ReviewAction.RETURN: RETURNED,
    ReviewAction.APPROVE: APPROVED,
    ReviewAction.WITHDRAW: WITHDRAWN,
}
_FOR_REVIEWERS = {SUBMITTED, REPLY, WITHDRAWN}


def review_notify(*, profile: MissionProfile, action: str, actor, replied: bool = False) -> None:
    """Tell the reviewers about a submission (with the tandem's reply: one "review-reply" instead
    of "profile-submitted") or a withdrawal, and the tandem about a decision (not the person who
    took the step); one notification per profile version, however often this is called."""
    kind = _KIND_OF_ACTION.get(ReviewAction(action))
    if kind is None:
        return
    if kind == SUBMITTED and replied:
        kind = REPLY
    participation = profile.participation
    cohort = participation.cohort
    if kind in _FOR_REVIEWERS:
        recipients = LabMembership.objects.filter(lab_id=cohort.lab_id, role=LabRole.COORDINATOR)
    else:
        recipients = TandemMember.objects.filter(tandem__participation=participation)
    user_ids = set(recipients.values_list("user_id", flat=True)) - {getattr(actor, "pk", None)}
    link = reverse(
        "mission_profile",
        kwargs={
            "lab_slug": cohort.lab.slug,
            "cohort_slug": cohort.slug,
            "participation_id": participation.pk,
        },
    )
    notify(
        kind=kind,
        recipients=user_ids,
        key=f"{kind}:{profile.pk}:{profile.version}",
        params={"municipality": participation.municipality.name, "cohort": cohort.name},
        link=link,
    )

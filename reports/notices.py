"""What reports tells people about (notifications.kinds): a report version published (the lab's
funders). Registered from ReportsConfig.ready(); report_run_publish calls `published_notify` when
a version becomes visible."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import LabMembership, LabRole
from notifications import kinds
from notifications.services import notify

from .models import ReportRun

PUBLISHED = "report-published"


def register() -> None:
    kinds.register(
        kinds.Kind(
            key=PUBLISHED,
            label=gettext_lazy("A report version was published"),
            text=lambda p: (
                _("A new version of the report “%(title)s” (%(lab)s) was published.") % p
            ),
        )
    )


def published_notify(*, run: ReportRun) -> None:
    """Tell the lab's funders, once per version."""
    draft = run.draft
    funders = LabMembership.objects.filter(lab_id=draft.lab_id, role=LabRole.FUNDER)
    notify(
        kind=PUBLISHED,
        recipients=funders.values_list("user_id", flat=True),
        key=f"{PUBLISHED}:{run.pk}",
        params={"title": draft.title, "lab": draft.lab.name},
        link=reverse("report_run", args=[draft.lab.slug, run.pk]),
    )

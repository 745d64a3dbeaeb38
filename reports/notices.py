"""What reports tells people about (notifications.kinds): a report version published or withdrawn
(the lab's funders). Registered from ReportsConfig.ready(); report_run_publish calls
`published_notify` when a version becomes visible, report_run_withdraw `withdrawn_notify` when it
is taken back."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import LabRole
from notifications import kinds
from notifications.services import notify

from .models import ReportRun
from .selectors import lab_people_with_role

PUBLISHED = "report-published"
WITHDRAWN = "report-withdrawn"


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
    kinds.register(
        kinds.Kind(
            key=WITHDRAWN,
            label=gettext_lazy("A published report version was withdrawn"),
            text=lambda p: (
                _(
                    "The published version of the report “%(title)s” (%(lab)s) was withdrawn "
                    "and can no longer be downloaded."
                )
                % p
            ),
        )
    )


def _funder_ids(run: ReportRun):
    return lab_people_with_role(run.draft.lab_id, LabRole.FUNDER).values_list("pk", flat=True)


def published_notify(*, run: ReportRun) -> None:
    """Tell the lab's funders, once per version."""
    draft = run.draft
    notify(
        kind=PUBLISHED,
        recipients=_funder_ids(run),
        key=f"{PUBLISHED}:{run.pk}",
        params={"title": draft.title, "lab": draft.lab.name},
        link=reverse("report_run", args=[draft.lab.slug, run.pk]),
    )


def withdrawn_notify(*, run: ReportRun) -> None:
    """Tell the lab's funders, once per version, that they can no longer download it; the link
    leads to the reports that remain."""
    draft = run.draft
    notify(
        kind=WITHDRAWN,
        recipients=_funder_ids(run),
        key=f"{WITHDRAWN}:{run.pk}",
        params={"title": draft.title, "lab": draft.lab.name},
        link=reverse("report_list", args=[draft.lab.slug]),
    )

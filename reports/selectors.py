"""Reads for the report pages, each with its related rows loaded up front (no N+1)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet

from labs.models import Cohort, Lab, LabRole

from .models import ReportDraft, ReportRun

RECENT_RUNS = 5  # versions per draft on the list; the draft page links to the rest
HISTORY_LIMIT = 200


def report_drafts_for_list(lab: Lab) -> list[ReportDraft]:
    """The lab's drafts, most recently changed first, each with `all_runs` (newest first) and
    `recent_runs` (the first RECENT_RUNS of them)."""
    runs = ReportRun.objects.select_related("requested_by").order_by("-requested_at", "-pk")
    drafts = list(
        ReportDraft.objects.filter(lab=lab)
        .select_related("cohort", "participation__municipality")
        .prefetch_related(Prefetch("runs", queryset=runs, to_attr="all_runs"))
        .order_by("-updated_at")
    )
    for draft in drafts:
        draft.recent_runs = draft.all_runs[:RECENT_RUNS]
    return drafts


def published_report_runs(lab: Lab) -> list[ReportRun]:
    """The lab's published versions that were not withdrawn, most recently published first (what
    funders see)."""
    return list(
        ReportRun.objects.filter(draft__lab=lab, published_at__isnull=False, withdrawn_at=None)
        .select_related("draft__cohort", "draft__participation__municipality")
        .order_by("-published_at", "-pk")
    )


def report_period(*, lab_id: int, cohort: Cohort | None) -> tuple[date | None, date | None]:
    """The first and last day a report covers (None: open on that side): its cohort's dates, or
    for the whole lab from the earliest cohort start to the latest cohort end."""
    if cohort is not None:
        return cohort.start_date, cohort.end_date
    bounds = Cohort.objects.filter(lab_id=lab_id).aggregate(
        start=Min("start_date"),
        end=Max("end_date"),
        open_start=Count("pk", filter=Q(start_date=None)),
        open_end=Count("pk", filter=Q(end_date=None)),
    )
    return (
        None if bounds["open_start"] else bounds["start"],
        None if bounds["open_end"] else bounds["end"],
    )


def lab_people_with_role(lab_id: int, role: str) -> QuerySet:
    """The active accounts holding `role` in the lab, by name."""
    return (
        get_user_model()
        .objects.filter(lab_memberships__lab_id=lab_id, lab_memberships__role=role, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


@dataclass(frozen=True)
class Audience:
    """Who sees a version once it is published (the publish confirmation says it): the lab's
    funders, by name, and the coordinators, who see every version anyway."""

    funders: list
    coordinator_count: int


def publication_audience(run: ReportRun) -> Audience:
    lab_id = run.draft.lab_id
    return Audience(
        funders=list(lab_people_with_role(lab_id, LabRole.FUNDER)),
        coordinator_count=lab_people_with_role(lab_id, LabRole.COORDINATOR).count(),
    )


def municipality_report_runs(participation, kinds) -> list[ReportRun]:
    """The published versions of the reports of `kinds` about one municipality, most recently
    published first (what its tandem downloads)."""
    return list(
        ReportRun.objects.filter(
            draft__participation=participation,
            draft__kind__in=kinds,
            published_at__isnull=False,
            withdrawn_at=None,
        )
        .select_related("draft")
        .order_by("-published_at", "-pk")
    )


def report_draft_runs(draft: ReportDraft) -> list[ReportRun]:
    return list(draft.runs.select_related("requested_by").order_by("-requested_at", "-pk"))


def report_draft_last_change(draft: ReportDraft):
    """The draft's newest history record (who saved it last), or None."""
    return draft.history.select_related("history_user").order_by("-history_date").first()


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: object
    change_type: str  # "+" created, "~" changed, "-" deleted
    fields: list[str]  # labels of the changed fields


def report_draft_history(draft: ReportDraft) -> list[HistoryEntry]:
    """The draft's saved states, newest first (at most HISTORY_LIMIT), with the changed fields."""
    records = list(
        draft.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_LIMIT + 1
        ]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(entries) == HISTORY_LIMIT:
            break
        fields = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["updated_at"])
            fields = [
                str(ReportDraft._meta.get_field(change.field).verbose_name)
                for change in delta.changes
            ]
        entries.append(
            HistoryEntry(newer.history_date, newer.history_user, newer.history_type, fields)
        )
    return entries

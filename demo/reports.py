"""The demo labs' published sample reports (demo/data/reports.yaml), seeded after the events, so
that a funder's first login shows one: a draft per lab, its version rendered here and now through
the job the Celery worker runs (reports.jobs.execute_run: no worker is started, and a worker that
receives the queued message later finds the version done), then published.

Idempotent: drafts are looked up by lab and title and left alone when they exist; a draft with a
published version (withdrawn since or not) gets no new one. With `render=False` (the tests: the
PDFs cost seconds) only the drafts are created; a later run with `render=True` renders and
publishes them.

Through the services of reports: report_draft_create and report_draft_update (texts, surveys,
events), report_run_request (the version and its job), report_run_publish (which notifies the
lab's funders).
"""

from django.db import transaction
from django.utils import timezone

from evaluations.models import Survey
from events.models import Event
from labs.models import Cohort
from reports import jobs, services
from reports.models import NARRATIVE_FIELDS, ReportDraft, RunStatus

from .loader import load


def _events(cohort: Cohort, now) -> list[Event]:
    """The cohort's events that are over and lie within the cohort's dates."""
    return list(
        Event.objects.filter(
            cohorts=cohort,
            cancelled_at__isnull=True,
            ends_at__lt=now,
            starts_at__date__gte=cohort.start_date,
            starts_at__date__lte=cohort.end_date,
        ).order_by("starts_at", "pk")
    )


class _Seeder:
    def __init__(self, created_by, render: bool):
        self.created_by = created_by
        self.render = render
        self.now = timezone.now()
        self.created: dict[str, int] = {}

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def draft(self, spec: dict) -> ReportDraft | None:
        cohort = (
            Cohort.objects.filter(lab__slug=spec["lab"], slug=spec["cohort"])
            .select_related("lab")
            .first()
        )
        if cohort is None:
            return None
        draft = ReportDraft.objects.filter(lab=cohort.lab, title=spec["title"]).first()
        if draft is not None:
            return draft
        draft = services.report_draft_create(
            lab=cohort.lab,
            user=self.created_by,
            kind=spec["kind"],
            title=spec["title"],
            cohort=cohort,
        )
        fields = {"subtitle": spec.get("subtitle", "")}
        fields |= {name: spec.get(name, "") for name in NARRATIVE_FIELDS}
        draft = services.report_draft_update(
            draft=draft,
            user=self.created_by,
            expected_version=draft.version,
            fields=fields,
            surveys=Survey.objects.filter(cohort=cohort, slug__in=spec["surveys"]),
            events=_events(cohort, self.now),
        )
        self.count("report drafts")
        return draft

    def publish(self, draft: ReportDraft) -> None:
        if draft.runs.filter(published_at__isnull=False).exists():
            return
        run, _queued = services.report_run_request(draft=draft, user=self.created_by)
        if run.status != RunStatus.DONE:
            jobs.execute_run(run.pk)
            run.refresh_from_db()
            if run.status != RunStatus.DONE:
                # The version page tells the coordinator why; the rest of the demo goes on.
                self.count("report versions that failed")
                return
            self.count("report versions")
        if run.withdrawn_at is None:
            services.report_run_publish(run=run, user=self.created_by)
            self.count("published report versions")

    def run(self) -> dict[str, int]:
        for spec in load("reports")["reports"]:
            draft = self.draft(spec)
            if draft is not None and self.render:
                self.publish(draft)
        return self.created


@transaction.atomic
def seed_reports(*, created_by, render: bool = True) -> dict[str, int]:
    """A sample report per demo lab, rendered and published unless `render` is False; returns
    what was created, by kind. Labs or cohorts that do not exist are skipped."""
    return _Seeder(created_by, render).run()

"""manage.py generate_report (--cohort LAB/COHORT | --lab LAB) --kind final|whitepaper
[--output FILE]

Generates a cohort's report, or with --lab the lab-wide report (all cohorts, the surveys of one
kind pooled across them), in the foreground through the same job the report pages queue
(reports.services.report_run_request + reports.jobs.execute_run), so the run is kept with its PDF,
checksum and page count like any other version. Uses the cohort's (the lab's lab-wide) most
recently changed draft of that kind, or creates one with a default title. If the same draft and
data were generated before, that version's PDF is written again instead of rendering anew.
Writes the PDF to --output (default: <lab>-<cohort>-<kind>.pdf, <lab>-<kind>.pdf for the lab, in
the current directory).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from labs.models import Cohort, Lab
from reports import jobs
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus
from reports.render import report_language
from reports.services import report_draft_create, report_run_request

WAIT_FOR_WORKER_SECONDS = 20 * 60


def default_title(kind: str, cohort: Cohort | None, language: str, lab: Lab | None = None) -> str:
    with translation.override(language):
        if cohort is None:
            return f"{ReportKind(kind).label} – {lab.name}"
        return f"{ReportKind(kind).label} – {cohort.lab.name}, {cohort.name}"


class Command(BaseCommand):
    help = "Generate a cohort's or a lab's final report or whitepaper as a PDF, in the foreground."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--cohort", help="LAB/COHORT")
        scope.add_argument("--lab", help="LAB: the lab-wide report over all its cohorts")
        parser.add_argument(
            "--kind", required=True, choices=(ReportKind.FINAL, ReportKind.WHITEPAPER)
        )
        parser.add_argument("--output", help="the PDF file to write")

    def handle(self, *args, cohort: str | None, lab: str | None, kind: str, output, **options):
        target, lab_target = self._scope(cohort, lab)
        draft = (
            ReportDraft.objects.filter(lab=lab_target, cohort=target, kind=kind)
            .order_by("-updated_at", "-pk")
            .first()
        )
        if draft is None:
            probe = ReportDraft(lab=lab_target, cohort=target, kind=kind)
            draft = report_draft_create(
                lab=lab_target,
                user=None,
                kind=kind,
                title=default_title(kind, target, report_language(probe), lab=lab_target),
                cohort=target,
            )
            self.stderr.write(f"Created draft {draft.pk}: {draft.title}")

        started = time.monotonic()
        run, queued = report_run_request(draft=draft, user=None)
        outcome = jobs.execute_run(run.pk)
        while outcome == jobs.Outcome.BUSY:  # a worker took the job first: wait for it
            if time.monotonic() - started > WAIT_FOR_WORKER_SECONDS:
                raise CommandError(f"Run {run.pk} is still being rendered by a worker.")
            time.sleep(2)
            outcome = jobs.execute_run(run.pk)
        run = ReportRun.objects.get(pk=run.pk)
        if run.status != RunStatus.DONE:
            raise CommandError(f"Run {run.pk} failed: {run.error}")

        default = f"{lab_target.slug}-{target.slug}" if target else lab_target.slug
        path = output or f"{default}-{kind}.pdf"
        with run.pdf.open("rb") as source:
            content = source.read()
        try:
            with open(path, "wb") as handle:
                handle.write(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        reused = "" if queued else " (same draft and data as an earlier version: reused)"
        self.stdout.write(
            f"Wrote {path}: {run.pages} pages, {run.size} bytes, "
            f"data as of {run.data_as_of:%Y-%m-%d %H:%M} (run {run.pk}){reused}"
        )

    def _scope(self, cohort: str | None, lab: str | None) -> tuple[Cohort | None, Lab]:
        """(the cohort or None for the lab-wide report, the lab)."""
        if lab is not None:
            found = Lab.objects.filter(slug=lab).first()
            if found is None:
                raise CommandError(f"No lab {lab}.")
            return None, found
        lab_slug, _sep, cohort_slug = cohort.partition("/")
        target = (
            Cohort.objects.select_related("lab")
            .filter(lab__slug=lab_slug, slug=cohort_slug)
            .first()
        )
        if target is None:
            raise CommandError(f"No cohort {cohort} (give it as LAB/COHORT).")
        return target, target.lab

"""manage.py generate_report --cohort LAB/COHORT --kind final|whitepaper [--output FILE]

Generates a cohort's report in the foreground through the same job the report pages queue
(reports.services.report_run_request + reports.jobs.execute_run), so the run is kept with its PDF,
checksum and page count like any other version. Uses the cohort's most recently changed draft
of that kind, or creates one with a default title. If the same draft and data were generated
before, that version's PDF is written again instead of rendering anew. Writes the PDF to
--output (default: <lab>-<cohort>-<kind>.pdf in the current directory).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from labs.models import Cohort
from reports import jobs
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus
from reports.render import report_language
from reports.services import report_draft_create, report_run_request

WAIT_FOR_WORKER_SECONDS = 20 * 60


def default_title(kind: str, cohort: Cohort, language: str) -> str:
    with translation.override(language):
        return f"{ReportKind(kind).label} – {cohort.lab.name}, {cohort.name}"


class Command(BaseCommand):
    help = "Generate a cohort's final report or whitepaper as a PDF, in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("--cohort", required=True, help="LAB/COHORT")
        parser.add_argument(
            "--kind", required=True, choices=(ReportKind.FINAL, ReportKind.WHITEPAPER)
        )
        parser.add_argument("--output", help="the PDF file to write")

    def handle(self, *args, cohort: str, kind: str, output, **options):
        lab_slug, _sep, cohort_slug = cohort.partition("/")
        target = (
            Cohort.objects.select_related("lab")
            .filter(lab__slug=lab_slug, slug=cohort_slug)
            .first()
        )
        if target is None:
            raise CommandError(f"No cohort {cohort} (give it as LAB/COHORT).")
        draft = (
            ReportDraft.objects.filter(lab=target.lab, cohort=target, kind=kind)
            .order_by("-updated_at", "-pk")
            .first()
        )
        if draft is None:
            probe = ReportDraft(lab=target.lab, cohort=target, kind=kind)
            draft = report_draft_create(
                lab=target.lab,
                user=None,
                kind=kind,
                title=default_title(kind, target, report_language(probe)),
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

        path = output or f"{target.lab.slug}-{target.slug}-{kind}.pdf"
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

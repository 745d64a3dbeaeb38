"""manage.py import_responses --survey LAB/COHORT/SLUG FILE.csv: import an answers file.

All or nothing: every error is printed as "row N, column C: reason" and nothing is imported;
the exit status is then 1. On success it prints how many responses were imported.
"""

from django.core.management.base import BaseCommand, CommandError

from evaluations.importing import responses_import, survey_by_path
from evaluations.models import Survey


class Command(BaseCommand):
    help = "Import answers collected elsewhere (answers file, CSV) into a survey: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True, help="LAB/COHORT/SLUG")
        parser.add_argument("file", help="the answers file (CSV, UTF-8)")

    def handle(self, *args, survey: str, file: str, **options):
        try:
            target = survey_by_path(survey)
        except Survey.DoesNotExist:
            raise CommandError(f"No survey {survey} (give it as LAB/COHORT/SLUG).") from None
        try:
            handle = open(file, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        with handle:
            result = responses_import(
                survey=target,
                file=handle,
                keep_errors=0,
                on_error=lambda error: self.stderr.write(str(error)),
            )
        if not result.ok:
            raise CommandError(
                f"{result.error_count} error(s) in {file}; nothing was imported.", returncode=1
            )
        self.stdout.write(f"{result.created} responses imported into {target.path}.")

"""manage.py export_results --survey LAB/COHORT/SLUG [--by municipality|group]
[--format csv|xlsx] [--output FILE]: the aggregate results of a survey.

One row per question (and breakdown value): question_code,breakdown,n,mean,median,sd,suppressed,
then count_<value> per scale value or choice code. CSV goes to standard output without --output;
XLSX needs --output.
"""

from django.core.management.base import BaseCommand, CommandError

from evaluations import exporting
from evaluations.importing import survey_by_path
from evaluations.models import Survey


class Command(BaseCommand):
    help = "Export the aggregate results of a survey as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True, help="LAB/COHORT/SLUG")
        parser.add_argument("--by", choices=exporting.BREAKDOWNS, default=None)
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", dest="fmt")
        parser.add_argument("--output", help="the file to write (default: standard output, CSV)")

    def handle(self, *args, survey: str, by, fmt: str, output, **options):
        try:
            target = survey_by_path(survey)
        except Survey.DoesNotExist:
            raise CommandError(f"No survey {survey} (give it as LAB/COHORT/SLUG).") from None
        if fmt == "xlsx" and not output:
            raise CommandError("XLSX needs --output FILE.")
        if fmt == "xlsx":
            content = exporting.results_xlsx(target, by=by)
        else:
            content = exporting.results_csv(target, by=by)
        if not output:
            self.stdout.write(content, ending="")
            return
        try:
            with open(output, "wb") as handle:
                handle.write(content if fmt == "xlsx" else content.encode("utf-8-sig"))
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        self.stderr.write(f"Results of {target.path} written to {output}.")

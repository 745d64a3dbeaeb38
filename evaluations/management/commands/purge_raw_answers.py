"""manage.py purge_raw_answers [--dry-run]: delete the raw answers of surveys closed longer than
SURVEY_RAW_RETENTION_MONTHS ago, keeping their aggregated results (evaluations/retention.py).

The Celery beat task `purge_expired_raw_answers` does the same every day. A second run does
nothing. --dry-run lists the surveys that are due and changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from evaluations import retention


class Command(BaseCommand):
    help = "Delete raw survey answers past the retention period, keeping the aggregates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="only list the surveys that are due"
        )

    def handle(self, *args, dry_run: bool, **options):
        months = settings.SURVEY_RAW_RETENTION_MONTHS
        cutoff = retention.retention_cutoff()
        if cutoff is None:
            self.stdout.write("SURVEY_RAW_RETENTION_MONTHS is 0: raw answers are kept forever.")
            return
        if dry_run:
            due = list(retention.expired_surveys())
            for survey in due:
                self.stdout.write(
                    f"due: {survey.path} (closed {survey.closes_at:%Y-%m-%d}, "
                    f"{survey.responses.count()} responses)"
                )
            self.stdout.write(
                f"{len(due)} survey(s) closed before {cutoff:%Y-%m-%d} ({months} months) "
                "would have their raw answers deleted (dry run: nothing changed)."
            )
            return
        purged = retention.purge_expired_raw_answers()
        for item in purged:
            self.stdout.write(
                f"purged: {item.path}: {item.responses} responses, {item.answers} answers "
                "deleted, aggregates stored"
            )
        self.stdout.write(
            self.style.SUCCESS(f"{len(purged)} survey(s) purged (closed before {cutoff:%Y-%m-%d}).")
        )

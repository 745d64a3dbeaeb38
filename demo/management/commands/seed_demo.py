"""manage.py seed_demo: build the demo labs, cohorts, municipalities and one login per role from
demo/data/ (demo/seed.py); refuses to run unless DEMO_MODE is on or --force is given. The sample
reports' PDFs are rendered in the command itself (no worker needed) unless --no-report-pdfs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from demo.loader import load
from demo.seed import login_table, seed, summary


class Command(BaseCommand):
    help = (
        "Create the demo labs (InnoLab Vielfalt, ECCAR „Kommunen für alle?“, Vielfaltsorientierung "
        "in hessischen Kommunen) with cohorts, municipalities and one login per role. "
        "Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing except errors.")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Seed even though DEMO_MODE is off. The demo logins have a published password "
                "and one of them is a superuser: never use this on a real instance."
            ),
        )

        parser.add_argument(
            "--no-report-pdfs",
            action="store_false",
            dest="report_pdfs",
            help=(
                "Create the sample reports' drafts but do not render and publish their PDFs "
                "(a few seconds of WeasyPrint; the tests pass it)."
            ),
        )

    def handle(
        self, *args, quiet: bool = False, force: bool = False, report_pdfs: bool = True, **options
    ):
        if not (settings.DEMO_MODE or force):
            raise CommandError(
                "DEMO_MODE is off: this looks like a real instance. The demo creates a superuser "
                "with a published password. Set DEMO_MODE=true or pass --force if you mean it."
            )
        password = load("labs")["password"]
        try:
            seeder, logins = seed(password=password, report_pdfs=report_pdfs)
        except ValidationError as exc:
            raise CommandError(f"The demo data is not valid: {exc}") from exc
        if quiet:
            return
        self.stdout.write(summary(seeder))
        self.stdout.write("")
        self.stdout.write(login_table(logins, password))

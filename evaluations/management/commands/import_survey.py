"""python manage.py import_survey FILE.json --cohort LAB/COHORT [--slug SLUG]

Creates a survey from a definition file (format innolab-survey/1). All or nothing: on any
problem it creates nothing, lists every problem with its place in the file and exits non-zero.
Messages are in the installation's language (LANGUAGE_CODE).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluations.definitions import DefinitionInvalid, survey_from_definition
from labs.models import Cohort


class Command(BaseCommand):
    help = "Create a survey from a definition file (JSON, format innolab-survey/1)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the definition file (JSON)")
        parser.add_argument(
            "--cohort", required=True, metavar="LAB/COHORT", help="e.g. innolab-hessen/kohorte-1"
        )
        parser.add_argument("--slug", help="short name of the new survey instead of the file's")

    def handle(self, *args, file, cohort, slug=None, **options):
        lab_slug, _sep, cohort_slug = cohort.partition("/")
        if not lab_slug or not cohort_slug or "/" in cohort_slug:
            raise CommandError(
                _("--cohort must be LAB/COHORT, not “%(value)s”.") % {"value": cohort}
            )
        target = (
            Cohort.objects.select_related("lab")
            .filter(lab__slug=lab_slug, slug=cohort_slug)
            .first()
        )
        if target is None:
            raise CommandError(
                _("There is no cohort “%(cohort)s” in a lab “%(lab)s”.")
                % {"cohort": cohort_slug, "lab": lab_slug}
            )
        try:
            with open(file, encoding="utf-8-sig") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s")
                % {"file": file, "reason": exc.strerror or exc}
            ) from None
        except UnicodeDecodeError:
            raise CommandError(_("%(file)s is not UTF-8 text.") % {"file": file}) from None
        except RecursionError:
            raise CommandError(_("%(file)s is nested too deeply.") % {"file": file}) from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("%(file)s is not valid JSON: %(reason)s") % {"file": file, "reason": exc}
            ) from None
        try:
            survey = survey_from_definition(target, data, None, slug=slug)
        except DefinitionInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(file)s: %(n)s problem(s); nothing was imported.")
                % {"file": file, "n": len(exc.problems)}
            ) from None
        n_questions = survey.questions.count()
        self.stdout.write(
            self.style.SUCCESS(
                _("Created the survey %(path)s (%(sections)s sections, %(questions)s questions).")
                % {
                    "path": survey.path,
                    "sections": survey.sections.count(),
                    "questions": n_questions,
                }
            )
        )

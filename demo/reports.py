"""The demo's reports (demo/data/reports.yaml), seeded after the surveys and events.

`reports`: the demo labs' published sample reports, so that a funder's first login shows one:
a draft per lab, its version rendered here and now through the job the Celery worker runs
(reports.jobs.execute_run: no worker is started, and a worker that receives the queued message
later finds the version done), then published.

Idempotent: drafts are looked up by lab and title and left alone when they exist; a draft with a
published version (withdrawn since or not) gets no new one. With `render=False` (the tests: the
PDFs cost seconds) only the drafts are created; a later run with `render=True` renders and
publishes them.

Through the services of reports: report_draft_create and report_draft_update (texts, surveys,
events), report_run_request (the version and its job), report_run_publish (which notifies the
lab's funders).

`drafts`: edited drafts, such as Hessen's lab-wide final report with its foreword, imprint and
contact, the logos on its cover (placeholders drawn here with the organisation's short name) and
quotes chosen from the free texts of its surveys through the rule of the quotes page (only where
the survey and the question reach the minimum group size) — what `manage.py generate_report --lab`
prints besides the data chapters. Left unrendered: the coordinator generates it. A draft that
exists (same lab, kind and title, whole lab) is left alone.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from evaluations.models import Answer, QuestionType, Survey
from events.models import Event
from labs.models import Cohort, Lab
from reports import jobs, services
from reports.models import NARRATIVE_FIELDS, ReportDraft, RunStatus

from .loader import load

EDITED_FIELDS = ("subtitle", "foreword", "imprint", "contact")


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

    def edited_draft(self, spec: dict) -> None:
        lab = Lab.objects.get(slug=spec["lab"])
        if ReportDraft.objects.filter(
            lab=lab, kind=spec["kind"], cohort__isnull=True, title=spec["title"]
        ).exists():
            return
        user = self.created_by
        draft = services.report_draft_create(
            lab=lab, user=user, kind=spec["kind"], title=spec["title"]
        )
        draft = services.report_draft_update(
            draft=draft,
            user=user,
            expected_version=draft.version,
            fields={name: spec.get(name, "") for name in EDITED_FIELDS},
        )
        for logo in spec.get("logos", []):
            services.report_image_create(
                draft=draft,
                user=user,
                file=_logo(logo["text"], logo["color"]),
                placement=logo["placement"],
                alt_text=logo["alt"],
            )
        answers = Answer.objects.filter(
            question__survey__cohort__lab=lab, question__type=QuestionType.TEXT
        ).order_by("pk")
        chosen = []
        for text in spec.get("quotes", []):
            if (answer := answers.filter(text=text).first()) is not None:
                chosen.append((answer.pk, spec.get("quotes_chapter", "survey")))
        if chosen:
            services.report_draft_quotes_set(
                draft=draft, user=user, expected_version=draft.version, chosen=chosen
            )
        self.count("report drafts")

    def run(self) -> dict[str, int]:
        data = load("reports")
        for spec in data["reports"]:
            draft = self.draft(spec)
            if draft is not None and self.render:
                self.publish(draft)
        for spec in data.get("drafts", []):
            self.edited_draft(spec)
        return self.created


def _logo(text: str, color: str) -> SimpleUploadedFile:
    """A plain placeholder logo: a colour block and the organisation's short name, as a PNG."""
    font = ImageFont.load_default(size=64)
    width = int(font.getlength(text)) + 150
    image = Image.new("RGB", (width, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 100, 119], fill=color)
    draw.text((125, 22), text, fill=color, font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{text.lower()}.png", buffer.getvalue(), content_type="image/png")


@transaction.atomic
def seed_reports(*, created_by, render: bool = True) -> dict[str, int]:
    """A sample report per demo lab, rendered and published unless `render` is False; returns
    what was created, by kind. Labs or cohorts that do not exist are skipped."""
    return _Seeder(created_by, render).run()

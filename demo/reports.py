"""The demo's edited report (demo/data/reports.yaml): a final-report draft of a whole lab with its
foreword, imprint and contact, the logos on its cover and quotes chosen from the free texts of
its surveys — what `manage.py generate_report --lab` prints besides the data chapters.

Written through reports.services like a coordinator would in the draft's pages: the texts as a
save of the draft, the logos as uploads (placeholder images drawn here with the organisation's
name), the quotes through the same rule as the quotes page (reports.quotes: only where the
survey and the question reach the minimum group size). A draft that exists (same lab, kind and
title, whole lab) is left alone, so a second run creates nothing.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from evaluations.models import Answer, QuestionType
from labs.models import Lab
from reports import services
from reports.models import ReportDraft

from .loader import load

TEXT_FIELDS = ("subtitle", "foreword", "imprint", "contact")


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


def _draft(spec: dict, coordinator) -> int:
    lab = Lab.objects.get(slug=spec["lab"])
    if ReportDraft.objects.filter(
        lab=lab, kind=spec["kind"], cohort__isnull=True, title=spec["title"]
    ).exists():
        return 0
    draft = services.report_draft_create(
        lab=lab, user=coordinator, kind=spec["kind"], title=spec["title"]
    )
    draft = services.report_draft_update(
        draft=draft,
        user=coordinator,
        expected_version=draft.version,
        fields={name: spec.get(name, "") for name in TEXT_FIELDS},
    )
    for logo in spec.get("logos", []):
        services.report_image_create(
            draft=draft,
            user=coordinator,
            file=_logo(logo["text"], logo["color"]),
            placement=logo["placement"],
            alt_text=logo["alt"],
        )
    answers = Answer.objects.filter(
        question__survey__cohort__lab=lab, question__type=QuestionType.TEXT
    ).order_by("pk")
    chosen = []
    for text in spec.get("quotes", []):
        answer = answers.filter(text=text).first()
        if answer is not None:
            chosen.append((answer.pk, spec.get("quotes_chapter", "survey")))
    if chosen:
        services.report_draft_quotes_set(
            draft=draft, user=coordinator, expected_version=draft.version, chosen=chosen
        )
    return 1


def seed_reports(*, created_by) -> dict[str, int]:
    """Create the demo's report drafts that are missing; {"report drafts": how many}."""
    created = sum(_draft(spec, created_by) for spec in load("reports")["drafts"])
    return {"report drafts": created} if created else {}

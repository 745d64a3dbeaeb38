"""The survey objects the permission matrix requests: lab X's open baseline survey."""

from django.core.files.base import ContentFile
from django.utils import timezone

from evaluations import services
from evaluations.models import (
    ImportJob,
    ImportKind,
    ImportStatus,
    ReportDraft,
    ReportKind,
    ReportRun,
    RunStatus,
    SurveyTemplate,
)

from .builders import add_responses, make_survey


def survey_url_kwargs(world, coordinator) -> dict:
    survey = make_survey(world["cohort_x"])
    services.open_link_enable(survey=survey)
    link = services.links_create(survey=survey, count=1)[0]
    add_responses(
        survey, [{"q_agree": 1, "q_comment": "Gut"}], municipality=world["municipality_a"]
    )
    question = survey.questions.get(code="q_role")
    template = SurveyTemplate.objects.create(
        lab=world["lab_x"], name="Vorlage", kind=survey.kind, definition={}
    )
    draft, run = make_report_run(world, coordinator)
    job = ImportJob.objects.create(
        kind=ImportKind.ANSWERS,
        cohort=world["cohort_x"],
        survey=survey,
        file_name="antworten.csv",
        status=ImportStatus.SUCCEEDED,
        created_count=1,
        created_by=coordinator,
    )
    return {
        "job_id": job.pk,
        "draft_id": draft.pk,
        "run_id": run.pk,
        "survey_slug": survey.slug,
        "section_id": survey.sections.first().pk,
        "question_id": question.pk,
        "choice_id": question.choices.first().pk,
        "link_token": services.link_token(link),
        "open_token": services.open_token(survey),
        "batch": link.batch,
        "template_id": template.pk,
    }


def make_report_run(world, coordinator, *, published=False, key="matrix"):
    """Lab X's final-report draft for kohorte-1 with one done version (unpublished by default)."""
    draft = ReportDraft.objects.filter(lab=world["lab_x"], title="Abschlussbericht").first()
    if draft is None:
        draft = ReportDraft.objects.create(
            lab=world["lab_x"],
            cohort=world["cohort_x"],
            kind=ReportKind.FINAL,
            title="Abschlussbericht",
            created_by=coordinator,
        )
    now = timezone.now()
    run = ReportRun.objects.create(
        draft=draft,
        key=key.ljust(64, "0"),
        status=RunStatus.DONE,
        progress=100,
        requested_by=coordinator,
        finished_at=now,
        data_as_of=now,
        checksum="0" * 64,
        size=13,
        pages=1,
        published_at=now if published else None,
        published_by=coordinator if published else None,
    )
    run.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 test"))
    return draft, run

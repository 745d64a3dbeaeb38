"""The survey objects the permission matrix requests: lab X's open baseline survey."""

from evaluations import services
from evaluations.models import ImportJob, ImportKind, ImportStatus, SurveyTemplate

from ..reports.builders import make_report_run
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

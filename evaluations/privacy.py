"""The surveys' part of a person's data export (the protocol: accounts/privacy.py). Answers are
anonymous: only that the person completed a survey in the platform, their unfinished drafts and
what they created are theirs."""

from django.utils.translation import gettext as _

from accounts.privacy import register_section, rows, value

from .models import ImportJob, ResponseDraft, Survey, SurveyCompletion, SurveyTemplate


def _surveys(user) -> dict:
    survey = ["survey__cohort__lab__name", "survey__cohort__name", "survey__title_en"]
    drafts = []
    for row in (
        ResponseDraft.objects.filter(user=user)
        .order_by("pk")
        .values("survey__title_de", *survey, "updated_at", "data")
    ):
        answers = row.pop("data")
        drafts.append({**{k: value(v) for k, v in row.items()}, "answers": value(answers)})
    return {
        "note": _(
            "Survey answers are anonymous. The platform only records that you completed a "
            "survey in the platform (so that nobody answers twice); your submitted answers are "
            "stored without any link to you, your account or your invitation, so they cannot be "
            "exported or deleted as yours."
        ),
        "completed_in_the_platform": rows(
            SurveyCompletion.objects.filter(user=user).order_by("pk"),
            ["survey__title_de", *survey],
        ),
        # unfinished answers held for the person until they submit (deleted on submission)
        "drafts": drafts,
        "surveys_created": rows(
            Survey.objects.filter(created_by=user).order_by("pk"),
            ["id", "cohort__lab__name", "slug", "title_de", "created_at"],
        ),
        "survey_templates_created": rows(
            SurveyTemplate.objects.filter(created_by=user).order_by("pk"),
            ["id", "name", "created_at"],
        ),
        # uploaded answers files and survey definitions (the files themselves are deleted once
        # the job has finished)
        "imports_uploaded": rows(
            ImportJob.objects.filter(created_by=user).order_by("pk"),
            ["id", "kind", "cohort__name", "file_name", "status", "created_at"],
        ),
    }


def register() -> None:
    register_section(
        "surveys",
        export=_surveys,
        fields=[
            ("evaluations.Survey", "created_by"),
            ("evaluations.SurveyTemplate", "created_by"),
            ("evaluations.SurveyCompletion", "user"),
            ("evaluations.ResponseDraft", "user"),
            ("evaluations.ImportJob", "created_by"),
        ],
    )

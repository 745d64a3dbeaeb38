"""Surveys for tests, built through the models and evaluations.services."""

import datetime as dt

from django.utils import timezone

from evaluations import services
from evaluations.models import Choice, Question, QuestionType, Section, Survey, SurveyKind


def make_survey(cohort, *, slug="eingangsbefragung", kind=SurveyKind.BASELINE, opened=True, **kw):
    """A survey with one question of every type:

    q_agree scale −2…+2 (required), q_sat scale 1–5, q_role single (verwaltung/politik/andere),
    q_formats multi (workshop/seminar/beratung), q_hours number, q_comment text.
    """
    defaults = {
        "title_de": "Eingangsbefragung",
        "title_en": "Baseline survey",
        "opens_at": timezone.now() - dt.timedelta(days=1) if opened else None,
    }
    survey = Survey.objects.create(cohort=cohort, slug=slug, kind=kind, **(defaults | kw))
    first = Section.objects.create(
        survey=survey, position=1, title_de="Ausgangslage", title_en="Starting point"
    )
    second = Section.objects.create(
        survey=survey, position=2, title_de="Angebote", title_en="Formats"
    )
    Question.objects.create(
        survey=survey,
        section=first,
        position=1,
        code="q_agree",
        type=QuestionType.SCALE,
        text_de="Vielfalt ist in unserer Verwaltung ein Thema.",
        text_en="Diversity is an issue in our administration.",
        required=True,
        scale_min=-2,
        scale_max=2,
        min_label_de="stimme gar nicht zu",
        min_label_en="strongly disagree",
        max_label_de="stimme voll zu",
        max_label_en="strongly agree",
    )
    Question.objects.create(
        survey=survey,
        section=first,
        position=2,
        code="q_sat",
        type=QuestionType.SCALE,
        text_de="Wie zufrieden sind Sie?",
        text_en="How satisfied are you?",
        scale_min=1,
        scale_max=5,
        min_label_de="gar nicht",
        min_label_en="not at all",
        max_label_de="sehr",
        max_label_en="very",
    )
    role = Question.objects.create(
        survey=survey,
        section=first,
        position=3,
        code="q_role",
        type=QuestionType.SINGLE,
        text_de="In welchem Bereich arbeiten Sie?",
        text_en="Where do you work?",
    )
    for pos, (code, de, en) in enumerate(
        [
            ("verwaltung", "Verwaltung", "Administration"),
            ("politik", "Politik", "Politics"),
            ("andere", "Andere", "Other"),
        ],
        start=1,
    ):
        Choice.objects.create(question=role, position=pos, code=code, label_de=de, label_en=en)
    formats = Question.objects.create(
        survey=survey,
        section=second,
        position=1,
        code="q_formats",
        type=QuestionType.MULTI,
        text_de="Welche Formate haben Sie genutzt?",
        text_en="Which formats did you use?",
    )
    for pos, (code, de, en) in enumerate(
        [
            ("workshop", "Workshop", "Workshop"),
            ("seminar", "Online-Seminar", "Online seminar"),
            ("beratung", "Beratung", "Consultation"),
        ],
        start=1,
    ):
        Choice.objects.create(question=formats, position=pos, code=code, label_de=de, label_en=en)
    Question.objects.create(
        survey=survey,
        section=second,
        position=2,
        code="q_hours",
        type=QuestionType.NUMBER,
        text_de="Wie viele Stunden pro Woche?",
        text_en="How many hours per week?",
    )
    Question.objects.create(
        survey=survey,
        section=second,
        position=3,
        code="q_comment",
        type=QuestionType.TEXT,
        text_de="Was möchten Sie uns mitteilen?",
        text_en="What would you like to tell us?",
    )
    return survey


def add_responses(survey, answers: list[dict], *, municipality=None, group=""):
    """Store each {code: value} dict as one imported response (bypassing open/closed)."""
    questions = list(survey.questions.prefetch_related("choices"))
    responses = []
    for values in answers:
        cleaned = services.clean_answers(survey, values, questions=questions, partial=True)
        assert not cleaned.errors, cleaned.errors
        responses.append(
            services._store(
                survey, cleaned.rows, municipality=municipality, group=group, channel="import"
            )
        )
    return responses

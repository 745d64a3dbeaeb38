"""Quotes: free-text answers a coordinator chooses to print in a report ("Stimmen aus der
Befragung").

An answer may be quoted only from a survey of the report's scope (its chosen surveys, or every
survey of its cohort or lab) whose responses *and* whose answers to that question both reach the
survey's minimum group size: fewer would let a reader guess who wrote it. A quote is printed as
its text alone, never with the respondent, their municipality or group. The rule is checked when
the coordinator chooses (reports.services.report_draft_quotes_set refuses with a message) and
again when the report is printed (a quote that no longer passes — answers deleted under the
retention rule, a survey taken out of the report — is left out).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Answer, Question, QuestionType, Response, Survey

from .models import ReportDraft, ReportKind

QUOTE_KINDS = (ReportKind.FINAL, ReportKind.WHITEPAPER)
AFTER_SURVEY = "survey"
# where a survey's quotes are printed: after its figures, or in one of the narrative chapters
QUOTE_CHAPTERS = {
    AFTER_SURVEY: gettext_lazy("After the survey's figures"),
    "executive_summary": gettext_lazy("Executive summary"),
    "method": gettext_lazy("Method"),
    "lessons": gettext_lazy("Success factors and lessons learned"),
    "challenges": gettext_lazy("Challenges"),
    "recommendations": gettext_lazy("Recommendations"),
    "conclusion": gettext_lazy("Conclusion"),
}
# a page of candidates stays readable: the first answers of a question, in the order given
CANDIDATES_PER_QUESTION = 200


@dataclass
class QuestionCandidates:
    question: Question
    n_answers: int
    allowed: bool
    answers: list[Answer] = field(default_factory=list)


@dataclass
class SurveyCandidates:
    survey: Survey
    n_responses: int
    allowed: bool
    questions: list[QuestionCandidates] = field(default_factory=list)


def quote_surveys(draft: ReportDraft) -> list[Survey]:
    """The surveys a draft may quote from: those its report prints (reports.render._surveys)."""
    if draft.kind not in QUOTE_KINDS:
        return []
    chosen = list(draft.surveys.select_related("cohort"))
    if chosen:
        return sorted(chosen, key=lambda s: (s.created_at, s.pk))
    scope = Q(cohort=draft.cohort_id) if draft.cohort_id else Q(cohort__lab=draft.lab_id)
    return list(Survey.objects.filter(scope).select_related("cohort").order_by("created_at", "pk"))


def _counts(surveys: list[Survey]) -> tuple[Counter, Counter]:
    """Responses per survey and non-empty text answers per text question."""
    responses = Counter(
        dict(
            Response.objects.filter(survey__in=surveys)
            .values("survey")
            .annotate(n=Count("pk"))
            .values_list("survey", "n")
        )
    )
    texts = Counter(
        dict(
            Answer.objects.filter(question__survey__in=surveys, question__type=QuestionType.TEXT)
            .exclude(text="")
            .values("question")
            .annotate(n=Count("pk"))
            .values_list("question", "n")
        )
    )
    return responses, texts


def quote_candidates(draft: ReportDraft) -> list[SurveyCandidates]:
    """Every text question of the draft's surveys, whether it may be quoted, and its answers
    (only the text and the id: nothing that names a respondent)."""
    surveys = quote_surveys(draft)
    responses, texts = _counts(surveys)
    questions = Question.objects.filter(survey__in=surveys, type=QuestionType.TEXT).order_by(
        "section__position", "position", "pk"
    )
    by_survey: dict[int, list[Question]] = {}
    for question in questions:
        by_survey.setdefault(question.survey_id, []).append(question)
    result = []
    for survey in surveys:
        k = survey.min_group_size
        entry = SurveyCandidates(survey, responses[survey.pk], responses[survey.pk] >= k)
        for question in by_survey.get(survey.pk, []):
            allowed = entry.allowed and texts[question.pk] >= k
            item = QuestionCandidates(question, texts[question.pk], allowed)
            if allowed:
                item.answers = list(
                    Answer.objects.filter(question=question)
                    .exclude(text="")
                    .only("pk", "text", "question_id")
                    .order_by("pk")[:CANDIDATES_PER_QUESTION]
                )
            entry.questions.append(item)
        result.append(entry)
    return result


def quote_refusals(draft: ReportDraft, answer_ids: list[int]) -> tuple[dict[int, Answer], list]:
    """The answers that may be quoted (by id) and a message for each one that may not."""
    surveys = {s.pk: s for s in quote_surveys(draft)}
    answers = {
        a.pk: a for a in Answer.objects.filter(pk__in=answer_ids).select_related("question__survey")
    }
    responses, texts = _counts(list(surveys.values()))
    allowed, refused = {}, []
    for answer_id in answer_ids:
        answer = answers.get(answer_id)
        if answer is None or answer.question.survey_id not in surveys:
            refused.append(_("An answer is not one of this report's surveys (any more)."))
            continue
        survey, question = surveys[answer.question.survey_id], answer.question
        k = survey.min_group_size
        if question.type != QuestionType.TEXT or not answer.text.strip():
            refused.append(_("Only free-text answers can be printed as quotes."))
        elif responses[survey.pk] < k:
            refused.append(
                _(
                    "“%(survey)s” has fewer than %(k)d responses: its answers are not printed, "
                    "so that nobody can be recognised."
                )
                % {"survey": survey.title, "k": k}
            )
        elif texts[question.pk] < k:
            refused.append(
                _(
                    "The question “%(question)s” has fewer than %(k)d free-text answers: they "
                    "are not printed, so that nobody can be recognised."
                )
                % {"question": question.text, "k": k}
            )
        else:
            allowed[answer_id] = answer
    return allowed, refused


@dataclass
class QuoteBlock:
    """The quotes printed in one place: their texts only, and the survey they come from."""

    survey_titles: list[str]
    texts: list[str]


def report_quotes(draft: ReportDraft) -> dict:
    """The draft's quotes that still pass the rule, grouped where they are printed:
    {"survey": {survey pk: QuoteBlock}, "<narrative field>": QuoteBlock}."""
    chosen = [q for q in (draft.quotes or []) if isinstance(q, dict) and "answer" in q]
    if not chosen:
        return {AFTER_SURVEY: {}}
    allowed, _refused = quote_refusals(draft, [int(q["answer"]) for q in chosen])
    after_survey: dict[int, QuoteBlock] = {}
    in_chapters: dict[str, QuoteBlock] = {}
    for item in chosen:
        answer = allowed.get(int(item["answer"]))
        if answer is None:
            continue
        survey = answer.question.survey
        chapter = item.get("chapter") or AFTER_SURVEY
        if chapter == AFTER_SURVEY or chapter not in QUOTE_CHAPTERS:
            block = after_survey.setdefault(survey.pk, QuoteBlock([survey.title], []))
        else:
            block = in_chapters.setdefault(chapter, QuoteBlock([], []))
            if survey.title not in block.survey_titles:
                block.survey_titles.append(survey.title)
        block.texts.append(answer.text.strip())
    return {AFTER_SURVEY: after_survey, **in_chapters}

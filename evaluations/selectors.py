"""Reads for the survey pages, each in a constant number of queries whatever the size.

The figures of the analysis come from evaluations.analysis (its own module: the reports use it
too); the reads here are what the builder, distribution, answering and import pages show.
"""

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import dataversion
from core.fragments import remember
from labs.models import Participation
from labs.permissions import participations_for_user, participations_taken_part_in

from .analysis import survey_snapshot
from .definitions import template_question_count
from .models import (
    ImportJob,
    Question,
    Response,
    ResponseDraft,
    Section,
    Survey,
    SurveyCompletion,
    SurveyKind,
    SurveyLink,
    SurveyResultSnapshot,
    SurveyTemplate,
)
from .survey_mail import reminder_candidates

# the analysis changes with the survey's questions and with every response
RESULT_SCOPES = (dataversion.CONTENT, dataversion.RESPONSES)

# --- builder --------------------------------------------------------------------------------------


def _count_per_survey(model) -> Coalesce:
    rows = (
        model.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def cohort_surveys(cohort) -> QuerySet[Survey]:
    """The cohort's surveys, newest first, each with its numbers of responses and questions
    (one query)."""
    return cohort.surveys.annotate(
        n_responses=_count_per_survey(Response),
        n_questions=_count_per_survey(Question),
    ).order_by("-created_at", "pk")


def lab_template(lab, template_id: int) -> SurveyTemplate | None:
    """A template the lab sees: its own or one for every lab."""
    return SurveyTemplate.objects.filter(Q(lab=lab) | Q(lab__isnull=True), pk=template_id).first()


def template_rows(templates: QuerySet[SurveyTemplate]) -> list[dict]:
    """The templates offered for a new survey, each with its number of questions (one query)."""
    return [
        {"template": t, "questions": template_question_count(t)}
        for t in templates.select_related("lab")
    ]


# --- distribution ---------------------------------------------------------------------------------


def link_batches(survey: Survey) -> list[dict]:
    """Per batch: its kind, target and how many links are used, unused or revoked (one query)."""
    # annotation names differ from the fields: Q(used=…) must mean the field
    rows = (
        SurveyLink.objects.filter(survey=survey)
        .values("batch")
        .annotate(
            n_total=Count("pk"),
            n_used=Count("pk", filter=Q(used=True)),
            n_revoked=Count("pk", filter=Q(used=False, revoked=True)),
            n_emailed=Count("pk", filter=~Q(email="")),
            n_sent=Count("pk", filter=Q(sent_at__isnull=False)),
            n_reminded=Count("pk", filter=Q(reminded_at__isnull=False)),
            created=Min("created_at"),
            municipality_name=Min("municipality__name"),
            group_name=Min("group"),
            language_code=Min("language"),
        )
        .order_by("-batch")
    )
    batches = []
    for row in rows:
        batches.append(
            {
                "batch": row["batch"],
                "created": row["created"],
                "total": row["n_total"],
                "used": row["n_used"],
                "revoked": row["n_revoked"],
                "unused": row["n_total"] - row["n_used"] - row["n_revoked"],
                "emailed": row["n_emailed"],
                "sent": row["n_sent"],
                "reminded": row["n_reminded"],
                "by_email": row["n_emailed"] > 0,
                "municipality": row["municipality_name"],
                "group": row["group_name"],
                "language": row["language_code"],
            }
        )
    return batches


def batch_links(survey: Survey, batch: int) -> list[SurveyLink]:
    """All links of one batch of the survey (used, revoked or not), with their municipality."""
    return list(
        SurveyLink.objects.filter(survey=survey, batch=batch).select_related("municipality")
    )


def reminders_due(survey: Survey) -> int:
    """How many people a reminder would go to now (none while the survey is not open)."""
    return reminder_candidates(survey).count() if survey.is_open() else 0


# --- answering ------------------------------------------------------------------------------------


def answer_sections(survey: Survey) -> list[tuple[Section, list[Question]]]:
    """The sections that have questions, each with its questions (choices prefetched)."""
    questions = list(survey.questions.prefetch_related("choices"))
    by_section: dict[int, list[Question]] = {}
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    return [(s, by_section[s.pk]) for s in survey.sections.all() if s.pk in by_section]


def draft_values(survey: Survey, owner: dict | None) -> dict:
    """What the owner of a draft (a link, an account or a session) has answered so far."""
    if owner is None:
        return {}
    draft = ResponseDraft.objects.filter(survey=survey, **owner).first()
    return dict(draft.data) if draft else {}


def has_completed(survey: Survey, user) -> bool:
    """Whether the account has answered the survey in the platform."""
    return SurveyCompletion.objects.filter(survey=survey, user=user).exists()


def respondent_participation(survey: Survey, participation_ids) -> Participation | None:
    """The person's first participation in the survey's cohort, with its municipality: the one
    an in-app response counts for."""
    return (
        Participation.objects.filter(pk__in=participation_ids, cohort=survey.cohort)
        .select_related("municipality")
        .order_by("pk")
        .first()
    )


def surveys_to_answer(user) -> list[Survey]:
    """The open in-app surveys of the person's cohorts (as a tandem member, or as a participant
    tied to one of the cohort's municipalities), soonest closing first, each with
    `answered` and `started` (a draft is kept)."""
    now = timezone.now()
    surveys = (
        Survey.objects.filter(
            in_app=True,
            opens_at__lte=now,
        )
        .filter(
            Q(cohort__participations__in=participations_for_user(user))
            | Q(cohort__participations__in=participations_taken_part_in(user))
        )
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("cohort__lab")
        .annotate(
            answered=Exists(SurveyCompletion.objects.filter(survey=OuterRef("pk"), user=user)),
            started=Exists(ResponseDraft.objects.filter(survey=OuterRef("pk"), user=user)),
        )
        .distinct()
        .order_by("closes_at", "cohort__lab__name", "pk")
    )
    return list(surveys)


# --- analysis -------------------------------------------------------------------------------------


def opened_cohort_surveys(cohort) -> QuerySet[Survey]:
    """The cohort's surveys that have opened (those that can have results), newest first: what
    a municipality's tandem reads its own results of (one query)."""
    return cohort.surveys.filter(opens_at__lte=timezone.now()).order_by("-opens_at", "pk")


def survey_response_total(survey: Survey, *, user=None) -> tuple[int, SurveyResultSnapshot | None]:
    """How many responses the survey has, and its stored aggregates when the raw answers were
    deleted under the retention rule (the number then comes from those). With `user`, from the
    cache while the survey's content and responses are unchanged."""

    def count() -> tuple[int, SurveyResultSnapshot | None]:
        n_responses = survey.responses.count()
        snapshot = survey_snapshot(survey) if not n_responses else None
        if snapshot is not None:
            n_responses = snapshot.data.get("n_responses", 0)
        return n_responses, snapshot

    if user is None:
        return count()
    return remember(user, "survey-responses", survey.pk, compute=count, scopes=RESULT_SCOPES)


def compare_candidates(cohort) -> tuple[list[Survey], list[Survey]]:
    """The cohort's baseline and final surveys, each newest first (one query)."""
    surveys = list(
        cohort.surveys.filter(kind__in=[SurveyKind.BASELINE, SurveyKind.FINAL]).order_by(
            "-created_at", "-pk"
        )
    )
    baselines = [s for s in surveys if s.kind == SurveyKind.BASELINE]
    finals = [s for s in surveys if s.kind == SurveyKind.FINAL]
    return baselines, finals


# --- import ---------------------------------------------------------------------------------------


def survey_question_codes(survey: Survey) -> list[str]:
    return list(survey.questions.values_list("code", flat=True))


def recent_import_jobs(survey: Survey, limit: int) -> QuerySet[ImportJob]:
    """The survey's latest answer imports, newest first (lazy: the template reads them)."""
    return survey.import_jobs.select_related("created_by")[:limit]

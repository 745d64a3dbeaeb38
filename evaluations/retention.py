"""Retention of raw survey answers (SURVEY_RAW_RETENTION_MONTHS, default 24; 0 keeps them).

For every survey closed longer than that ago that still has responses, the aggregated results are
stored first (evaluations.models.SurveyResultSnapshot: all respondents, by municipality, by
respondent group; minimum group size and complementary suppression applied; no free texts) and
the responses with their answers are deleted, both in one transaction. The analysis pages, the
exports and the reports then read the stored aggregates (analysis.survey_snapshot). Running it
again does nothing: a survey with stored aggregates and no responses is not touched.

Used by the daily Celery beat task `evaluations.tasks.purge_expired_raw_answers` and the
management command `purge_raw_answers [--dry-run]`.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import analysis
from .models import Answer, Response, ResponseDraft, Survey, SurveyResultSnapshot

logger = logging.getLogger("innolab.retention")


@dataclass(frozen=True)
class Purged:
    survey_id: int
    path: str
    responses: int
    answers: int


def _months_ago(now: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the month's last day if shorter)."""
    local = timezone.localtime(now)
    year, month = divmod(local.month - 1 - months, 12)
    year, month = local.year + year, month + 1
    day = local.day
    while True:
        try:
            return local.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def retention_cutoff(now: dt.datetime | None = None, months: int | None = None):
    """Surveys closed before this moment are due; None when raw answers are kept forever."""
    months = settings.SURVEY_RAW_RETENTION_MONTHS if months is None else months
    if not months or months < 0:
        return None
    return _months_ago(now or timezone.now(), months)


def expired_surveys(now: dt.datetime | None = None, months: int | None = None):
    """Closed surveys past the retention period that still have raw answers."""
    cutoff = retention_cutoff(now, months)
    if cutoff is None:
        return Survey.objects.none()
    return (
        Survey.objects.filter(closes_at__lt=cutoff, responses__isnull=False)
        .exclude(result_snapshot__isnull=False)
        .select_related("cohort__lab")
        .distinct()
        .order_by("closes_at", "pk")
    )


def survey_raw_answers_purge(*, survey_id: int, now: dt.datetime | None = None) -> Purged | None:
    """Store the aggregates of one expired survey and delete its raw answers, atomically.

    The survey row is locked, and everything is checked again under the lock, so two runs at
    the same time purge it once; None when there was nothing (any more) to do."""
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return None
    with transaction.atomic():
        survey = (
            Survey.objects.select_for_update()
            .select_related("cohort__lab")
            .filter(pk=survey_id, closes_at__lt=cutoff)
            .first()
        )
        if survey is None or SurveyResultSnapshot.objects.filter(survey=survey).exists():
            return None
        responses = Response.objects.filter(survey=survey)
        count = responses.count()
        if not count:
            return None
        SurveyResultSnapshot.objects.create(survey=survey, data=analysis.snapshot_data(survey))
        answers = Answer.objects.filter(response__survey=survey)
        answer_count = answers.count()
        # answers first, in one statement (nothing refers to them), so the responses' cascade
        # finds none left to collect
        answers.delete()
        responses.delete()
        # drafts of a closed survey can never be submitted any more
        ResponseDraft.objects.filter(survey=survey).delete()
    purged = Purged(survey.pk, survey.path, count, answer_count)
    logger.info(
        "retention: deleted %s responses (%s answers) of survey %s, aggregates stored",
        purged.responses,
        purged.answers,
        purged.path,
    )
    return purged


def purge_expired_raw_answers(*, now: dt.datetime | None = None) -> list[Purged]:
    """Purge every expired survey, each in its own transaction."""
    done = []
    for survey_id in list(expired_surveys(now).values_list("pk", flat=True)):
        purged = survey_raw_answers_purge(survey_id=survey_id, now=now)
        if purged is not None:
            done.append(purged)
    return done

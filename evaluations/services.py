"""Writing survey data: links and their tokens, drafts, and storing a response exactly once.

Answers arrive as {question_code: value} where value is an int/float (scale, number), a choice
code (single), a list of choice codes (multi) or a string (text); `clean_answers` checks them
against the survey's questions and reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.tokens import token_hash

from . import tasks
from .links import link_token, open_token
from .models import (
    Answer,
    ImportJob,
    Question,
    QuestionType,
    Response,
    ResponseChannel,
    ResponseDraft,
    Survey,
    SurveyCompletion,
    SurveyLink,
)
from .survey_mail import reminder_candidates

if TYPE_CHECKING:
    from accounts.models import User
    from labs.models import Cohort

# --- tokens ---------------------------------------------------------------------------------------


def link_by_token(token: str) -> SurveyLink | None:
    """The link a token belongs to (used, revoked or not); None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return (
        SurveyLink.objects.select_related("survey__cohort__lab", "municipality")
        .filter(token_hash=token_hash(token))
        .first()
    )


def survey_by_open_token(token: str) -> Survey | None:
    if not token or len(token) > 100:
        return None
    return (
        Survey.objects.select_related("cohort__lab")
        .filter(open_link_enabled=True, open_token_hash=token_hash(token))
        .first()
    )


def open_link_enable(*, survey: Survey, enabled: bool = True, renew: bool = False) -> Survey:
    """Switch the open link on or off; `renew` gives it a new token (the old one stops working)."""
    if renew or not survey.open_token_salt:
        survey.open_token_salt = secrets.token_hex(32)
        survey.open_token_hash = token_hash(open_token(survey))
    survey.open_link_enabled = enabled
    survey.save(
        update_fields=["open_link_enabled", "open_token_salt", "open_token_hash", "updated_at"]
    )
    return survey


@transaction.atomic
def links_create(
    *,
    survey: Survey,
    count: int = 0,
    emails: list[str] | None = None,
    municipality=None,
    group: str = "",
    language: str = "de",
) -> list[SurveyLink]:
    """A new batch: `count` anonymous links for handing out, or one link per e-mail address."""
    emails = emails or []
    total = len(emails) or count
    if total < 1 or total > 2000:
        raise ValidationError(_("A batch has 1 to 2,000 links."))
    # lock the survey row so two batches created at once get different numbers
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    batch = (survey.links.aggregate(m=Max("batch"))["m"] or 0) + 1
    links = []
    for number in range(1, total + 1):
        link = SurveyLink(
            survey=survey,
            token_salt=secrets.token_hex(32),
            batch=batch,
            number=number,
            municipality=municipality,
            group=group,
            email=emails[number - 1] if emails else "",
            language=language,
        )
        link.token_hash = token_hash(link_token(link))
        links.append(link)
    return SurveyLink.objects.bulk_create(links)


# --- answers --------------------------------------------------------------------------------------


@dataclass
class CleanAnswers:
    rows: list[Answer]  # unsaved, without response
    errors: dict[str, str]  # question code -> message


def _number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return value
    text = str(value).strip().replace(",", ".")
    return float(text)


TEXT_ANSWER_MAX_LENGTH = 10000
NUMBER_ANSWER_MAX_LENGTH = 40  # what a person types for a number, e.g. "1.234.567,5"


def clean_answers(
    survey: Survey, values: dict, *, questions: list[Question] | None = None, partial=False
) -> CleanAnswers:
    """Check {code: value} against the survey; `partial` skips the required rule (drafts)."""
    if questions is None:
        questions = list(survey.questions.prefetch_related("choices"))
    rows, errors = [], {}
    for question in questions:
        value = values.get(question.code)
        empty = value is None or value == "" or value == []
        if empty:
            if question.required and not partial:
                errors[question.code] = _("Please answer this question.")
            continue
        choices = {c.code: c for c in question.choices.all()} if question.has_choices else {}
        try:
            if question.type == QuestionType.SCALE:
                number = _number(value)
                if number != int(number) or not question.scale_min <= number <= question.scale_max:
                    raise ValueError
                rows.append(Answer(question=question, number=int(number)))
            elif question.type == QuestionType.NUMBER:
                number = _number(value)
                if number != number or abs(number) > 1e12:  # NaN or absurd
                    raise ValueError
                rows.append(Answer(question=question, number=number))
            elif question.type == QuestionType.SINGLE:
                if isinstance(value, list) or str(value) not in choices:
                    raise KeyError
                rows.append(Answer(question=question, choice=choices[str(value)]))
            elif question.type == QuestionType.MULTI:
                codes = value if isinstance(value, list) else [value]
                if any(str(code) not in choices for code in codes):
                    raise KeyError
                for code in dict.fromkeys(str(c) for c in codes):
                    rows.append(Answer(question=question, choice=choices[code]))
            else:
                text = str(value).strip()
                if len(text) > TEXT_ANSWER_MAX_LENGTH:
                    errors[question.code] = _("Please keep the answer under 10,000 characters.")
                    continue
                if text:
                    rows.append(Answer(question=question, text=text))
        except (ValueError, TypeError, OverflowError):
            if question.type == QuestionType.SCALE:
                errors[question.code] = _("Choose a whole number from %(min)s to %(max)s.") % {
                    "min": question.scale_min,
                    "max": question.scale_max,
                }
            else:
                errors[question.code] = _("Enter a number.")
        except KeyError:
            errors[question.code] = _("Choose one of the offered answers.")
    return CleanAnswers(rows, errors)


class AlreadyAnswered(Exception):
    """The link was used, or the account answered already."""


class SurveyClosed(Exception):
    pass


def _store(survey: Survey, rows: list[Answer], **fields) -> Response:
    response = Response.objects.create(survey=survey, **fields)
    for row in rows:
        row.response = response
        row.copy_breakdown(response)
    Answer.objects.bulk_create(rows)
    return response


def _submitted_day() -> dt.datetime:
    # to the day only (midnight, Berlin time), so the time cannot single out who answered when
    # (an hour could still be matched with the moment a link was handed out or a person was seen
    # answering); the analysis and exports need no finer time
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def response_submit(
    *,
    survey: Survey,
    values: dict,
    link: SurveyLink | None = None,
    user=None,
    municipality=None,
    group: str = "",
    session_key: str = "",
) -> Response:
    """Store a response given in the platform, exactly once per link and per account.

    The link is marked used by a conditional UPDATE in the same transaction as the response is
    stored: of concurrent submissions with one link exactly one updates a row, the others find
    it used and raise AlreadyAnswered. In-app answers rely on the unique (survey, user) row.
    Raises ValidationError (a dict by question code) for bad answers, SurveyClosed when closed.
    """
    if not survey.is_open():
        raise SurveyClosed
    cleaned = clean_answers(survey, values)
    if cleaned.errors:
        raise ValidationError(cleaned.errors)
    with transaction.atomic():
        if link is not None:
            claimed = SurveyLink.objects.filter(
                pk=link.pk, survey=survey, used=False, revoked=False
            ).update(used=True)
            if not claimed:
                raise AlreadyAnswered
            channel = ResponseChannel.LINK
            municipality, group = link.municipality, link.group
            ResponseDraft.objects.filter(link=link).delete()
        elif user is not None:
            try:
                with transaction.atomic():
                    SurveyCompletion.objects.create(survey=survey, user=user)
            except IntegrityError:
                raise AlreadyAnswered from None
            channel = ResponseChannel.IN_APP
            ResponseDraft.objects.filter(survey=survey, user=user).delete()
        else:
            channel = ResponseChannel.OPEN
            if session_key:
                ResponseDraft.objects.filter(survey=survey, session_key=session_key).delete()
        return _store(
            survey,
            cleaned.rows,
            municipality=municipality,
            group=group,
            channel=channel,
            submitted_at=_submitted_day(),
        )


def draft_save(
    *, survey: Survey, values: dict, link=None, user=None, session_key: str = ""
) -> ResponseDraft:
    """Keep what someone has answered so far (only known question codes, as given)."""
    codes = set(survey.questions.values_list("code", flat=True))
    data = {code: value for code, value in values.items() if code in codes}
    if link is not None:
        owner = {"link": link}
    elif user is not None:
        owner = {"user": user}
    else:
        owner = {"session_key": session_key}
    draft, _created = ResponseDraft.objects.update_or_create(
        survey=survey, **owner, defaults={"data": data}
    )
    return draft


def draft_keep(
    *, survey: Survey, values: dict, link=None, user=None, session_key: str = ""
) -> ResponseDraft:
    """Keep the answers so far while answering; raises AlreadyAnswered when the link or account
    has answered meanwhile (another tab, another device), so no draft outlives the response."""
    with transaction.atomic():
        if link is not None:
            # the row lock orders this after (or before) a concurrent submission's claim
            usable = SurveyLink.objects.select_for_update().filter(
                pk=link.pk, used=False, revoked=False
            )
            if not usable.exists():
                raise AlreadyAnswered
        elif (
            user is not None and SurveyCompletion.objects.filter(survey=survey, user=user).exists()
        ):
            raise AlreadyAnswered
        return draft_save(
            survey=survey, values=values, link=link, user=user, session_key=session_key
        )


# --- distribution: e-mailed links, reminders, revoking --------------------------------------------


def links_email(
    *,
    survey: Survey,
    emails: list[str],
    base_url: str,
    municipality=None,
    group: str = "",
    language: str = "de",
) -> list[SurveyLink]:
    """A batch with one link per address; each link is e-mailed by a task once this commits."""
    with transaction.atomic():
        links = links_create(
            survey=survey, emails=emails, municipality=municipality, group=group, language=language
        )
        for link in links:
            tasks.send_survey_link_email.delay_on_commit(link.pk, base_url)
    return links


def links_revoke(*, survey: Survey, batch: int) -> int:
    """Revoke a batch's unused links (used ones stay as they are); returns how many."""
    with transaction.atomic():
        unused = SurveyLink.objects.filter(survey=survey, batch=batch, used=False, revoked=False)
        ResponseDraft.objects.filter(link__in=unused).delete()
        return unused.update(revoked=True)


def survey_remind(*, survey: Survey, base_url: str) -> int:
    """Queue one reminder per person who has not answered; returns how many are due now."""
    if not survey.is_open():
        return 0
    due = reminder_candidates(survey).count()
    if due:
        tasks.send_survey_reminders.delay_on_commit(survey.pk, base_url)
    return due


# --- imports as jobs (import_jobs.py) --------------------------------------------------------


def import_job_create(
    *,
    kind: str,
    cohort: Cohort,
    upload: UploadedFile,
    user: User | None,
    survey: Survey | None = None,
    params: dict | None = None,
) -> ImportJob:
    """Store the uploaded file and a queued job for it; the job is sent to the worker after the
    commit. Returns at once, whatever the file's size (the file is moved, not read)."""
    job = ImportJob(
        kind=kind,
        cohort=cohort,
        survey=survey,
        file_name=(upload.name or "")[:255],
        file_size=upload.size or 0,
        params=params or {},
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=user,
    )
    job.file.save(upload.name or "upload", upload, save=False)
    job.save()
    tasks.dispatch_import_job(job.pk)
    return job

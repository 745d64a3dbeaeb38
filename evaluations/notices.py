"""What evaluations tells people about (notifications.kinds): a survey they should answer in the
platform. Registered from EvaluationsConfig.ready().

The people who should answer a survey are those who may answer it in the platform (they work on
a participation of its cohort: permissions.SurveyAccess.is_respondent, or take part for one of
its municipalities as participants: permissions.access_survey_to_answer) and have not answered it.
They are told once per survey, when it opens and when they gain access while it is open:
definitions.survey_create and survey_update call `survey_to_answer_notify` for a survey that is
open then, and Celery beat runs `open_surveys_notify` every few minutes for surveys that opened
at their time and for people who joined a tandem (or became participants) since.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.selectors import cohort_member_ids, cohort_participant_ids
from notifications import kinds
from notifications.services import notify

from .models import Survey, SurveyCompletion

TO_ANSWER = "survey-to-answer"


def _text(params: dict) -> str:
    title = params.get(f"title_{translation.get_language()}") or params["title_de"]
    return _("Please answer the survey “%(title)s” (%(cohort)s).") % {
        "title": title,
        "cohort": params["cohort"],
    }


def register() -> None:
    kinds.register(
        kinds.Kind(key=TO_ANSWER, label=gettext_lazy("A survey you should answer"), text=_text)
    )


def survey_to_answer_notify(*, survey: Survey, now=None) -> int:
    """Tell the people who should answer the survey in the platform, each once; nothing for a
    survey that is not open or not answered in the platform. Returns how many were told."""
    if not survey.in_app or not survey.is_open(now):
        return 0
    cohort = survey.cohort
    answered = set(SurveyCompletion.objects.filter(survey=survey).values_list("user_id", flat=True))
    respondents = cohort_member_ids(cohort) | cohort_participant_ids(cohort)
    return notify(
        kind=TO_ANSWER,
        recipients=respondents - answered,
        key=f"{TO_ANSWER}:{survey.pk}",
        params={"title_de": survey.title_de, "title_en": survey.title_en, "cohort": cohort.name},
        link=reverse("survey_answer_in_app", args=[cohort.lab.slug, cohort.slug, survey.slug]),
    )


def open_surveys_notify(*, now=None) -> int:
    """survey_to_answer_notify for every open survey answered in the platform (Celery beat)."""
    now = now or timezone.now()
    surveys = (
        Survey.objects.filter(in_app=True, opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("cohort__lab")
        .order_by("pk")
    )
    return sum(survey_to_answer_notify(survey=survey, now=now) for survey in surveys)

"""Survey e-mails: a personal link, and reminders to links not used yet. Called by the tasks
(tasks.py), which the services enqueue after the commit; every mail is claimed by a conditional
UPDATE before it is sent, so a task that runs twice sends nothing the second time."""

import datetime as dt

from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .links import link_token
from .models import Survey, SurveyLink

REMINDER_INTERVAL = dt.timedelta(hours=24)


def _link_mail(link: SurveyLink, *, base_url: str, reminder: bool) -> None:
    url = base_url + reverse("survey_answer_link", args=[link_token(link)])
    with translation.override(link.language):
        survey = link.survey
        context = {"survey": survey, "lab": survey.cohort.lab, "url": url, "reminder": reminder}
        if reminder:
            subject = _("Reminder: %(title)s") % {"title": survey.title}
        else:
            subject = _("Survey: %(title)s") % {"title": survey.title}
        body = render_to_string("evaluations/email/survey_link.txt", context)
    send_mail(subject, body, None, [link.email])


def survey_link_email_send(*, link_id: int, base_url: str) -> bool:
    """E-mail one link in its language. The conditional UPDATE of `sent_at` is the claim: a task
    that runs twice, or a retried one, sends nothing the second time. False when nothing was
    sent (sent already, used, revoked, or the survey has closed)."""
    link = SurveyLink.objects.select_related("survey__cohort__lab").filter(pk=link_id).first()
    if link is None or not link.email or link.survey.state == "closed":
        return False
    now = timezone.now()
    claimed = SurveyLink.objects.filter(
        pk=link.pk, sent_at__isnull=True, used=False, revoked=False
    ).update(sent_at=now)
    if not claimed:
        return False
    try:
        _link_mail(link, base_url=base_url, reminder=False)
    except Exception:
        # not sent after all: give the retry its chance
        SurveyLink.objects.filter(pk=link.pk, sent_at=now).update(sent_at=None)
        raise
    return True


def reminder_candidates(survey: Survey, now: dt.datetime | None = None):
    """E-mailed links not used yet and not reminded within the last 24 hours."""
    cutoff = (now or timezone.now()) - REMINDER_INTERVAL
    return (
        SurveyLink.objects.filter(survey=survey, used=False, revoked=False, sent_at__isnull=False)
        .exclude(email="")
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))
    )


def survey_reminders_send(*, survey_id: int, base_url: str) -> int:
    """Send the due reminders of a survey; returns how many were sent.

    Each link is claimed by a conditional UPDATE of `reminded_at` before its mail goes out, so a
    task run twice (or two at once) reminds each person once.
    """
    survey = Survey.objects.select_related("cohort__lab").filter(pk=survey_id).first()
    if survey is None or not survey.is_open():
        return 0
    sent = 0
    due = list(reminder_candidates(survey).values_list("pk", "reminded_at"))
    for link_id, previous in due:
        now = timezone.now()
        claimed = reminder_candidates(survey, now).filter(pk=link_id).update(reminded_at=now)
        if not claimed:
            continue  # used meanwhile, or another run reminded this person
        link = SurveyLink.objects.select_related("survey__cohort__lab").get(pk=link_id)
        try:
            _link_mail(link, base_url=base_url, reminder=True)
        except Exception:
            SurveyLink.objects.filter(pk=link_id, reminded_at=now).update(reminded_at=previous)
            raise
        sent += 1
    return sent

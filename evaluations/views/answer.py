"""Answering surveys: by a personal link (s/<token>/), by the open link (o/<token>/), in the
platform for tandem members, and a person's list of surveys to answer (surveys/).

One page per section. Every step keeps what has been answered in a draft (per link, per account,
or per browser session for the open link), so "previous", "next" and "save and continue later"
lose nothing and a person who comes back finds their answers again. The last step stores the
response through services.response_submit, which makes a link single-use in the database.

The public pages carry a token in their address. They send `Referrer-Policy: same-origin` (the
address never leaves the site in a Referer header, while the site's own forms keep their Origin
for Django's CSRF check) and `Cache-Control: no-store`, show no platform navigation, and answer an
unknown or revoked token with 404.
"""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.viewhelpers import GET_POST
from labs.models import Municipality

from .. import selectors, services
from ..forms_answer import SectionForm
from ..models import Survey, SurveyLink
from ..permissions import access_survey_to_answer

PUBLIC_LAYOUT = "evaluations/answer/public_base.html"
THANKS_KEY = "survey_answered"
ACTIONS = ("next", "previous", "save", "submit")
ALREADY_TEMPLATE = "evaluations/answer/already.html"


# --- public pages: headers, language --------------------------------------------------------


def _language_switch(request: HttpRequest) -> HttpResponse | None:
    """`?lang=en`: remember the choice as the language switch in the site header does (a plain
    link, so the public layout needs no form for it)."""
    wanted = request.GET.get("lang")
    if wanted is None:
        return None
    query = request.GET.copy()
    del query["lang"]
    response = redirect(request.path + (f"?{query.urlencode()}" if query else ""))
    if wanted in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            wanted,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def public_answer_page(view):
    """For pages whose address holds a token: no referrer, no caching, no indexing; a missing or
    revoked token gives the public 404 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = _language_switch(request) if request.method == "GET" else None
        if response is None:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = render(
                    request,
                    "evaluations/answer/not_found.html",
                    _public_context(request),
                    status=404,
                )
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response

    return wrapped


def _language_links(request: HttpRequest) -> list[dict]:
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        query = request.GET.copy()
        query["lang"] = code
        info = translation.get_language_info(code)
        links.append({"code": code, "name": info["name_local"], "url": f"?{query.urlencode()}"})
    return links


def _public_context(request: HttpRequest) -> dict:
    return {"layout": PUBLIC_LAYOUT, "public": True, "language_links": _language_links(request)}


# --- who answers ----------------------------------------------------------------------------------


@dataclass
class Respondent:
    """The survey and how this person answers it: by link, open link, or account."""

    survey: Survey
    url: str  # the answering page, without query
    public: bool
    link: SurveyLink | None = None
    user: object = None
    session_key: str = ""
    municipality: Municipality | None = None

    @property
    def draft_owner(self) -> dict | None:
        if self.link is not None:
            return {"link": self.link}
        if self.user is not None:
            return {"user": self.user}
        return {"session_key": self.session_key} if self.session_key else None

    def has_answered(self) -> bool:
        if self.link is not None:
            return self.link.used
        if self.user is not None:
            return selectors.has_completed(self.survey, self.user)
        return False


def _section_index(raw: str | None, count: int) -> int:
    if raw and raw.isascii() and raw.isdecimal() and len(raw) < 4:
        return min(max(int(raw), 1), count)
    return 1


def _action(wanted: str | None, *, is_last: bool) -> str:
    """What the pressed button asks for; Enter (no button) goes on, and only the last section
    submits."""
    if wanted not in ACTIONS:
        return "submit" if is_last else "next"
    return "next" if wanted == "submit" and not is_last else wanted


def _context(request: HttpRequest, respondent: Respondent, **extra) -> dict:
    survey = respondent.survey
    context = {"survey": survey, "respondent": respondent, "public": respondent.public, **extra}
    if respondent.public:
        context.update(_public_context(request))
    else:
        context.update(layout="base.html", lab=survey.cohort.lab, cohort=survey.cohort)
    return context


def _state_page(request, respondent: Respondent, template: str, status: int = 200):
    return render(request, template, _context(request, respondent), status=status)


def _closed(request, respondent: Respondent) -> HttpResponse:
    # closed for good: 410 Gone; not open yet: 200, the same address will work later
    status = 410 if respondent.survey.state == "closed" else 200
    return _state_page(request, respondent, "evaluations/answer/closed.html", status)


def _page(request, respondent, sections, index, form, *, restored=False) -> HttpResponse:
    section, _questions = sections[index - 1]
    context = _context(
        request,
        respondent,
        form=form,
        section=section,
        index=index,
        count=len(sections),
        is_first=index == 1,
        is_last=index == len(sections),
        restored=restored,
    )
    return render(request, "evaluations/answer/page.html", context)


def _save_draft(request, respondent: Respondent, values: dict) -> None:
    """Keep the answers so far; raises AlreadyAnswered when the link or account has answered
    meanwhile (another tab, another device), so no draft outlives the response."""
    if respondent.draft_owner is None:
        # open link: the draft belongs to this browser's session
        if not request.session.session_key:
            request.session.save()
        respondent.session_key = request.session.session_key
    services.draft_keep(
        survey=respondent.survey,
        values=values,
        link=respondent.link,
        user=respondent.user,
        session_key=respondent.session_key,
    )


def _submit_kwargs(respondent: Respondent) -> dict:
    if respondent.link is not None:
        return {"link": respondent.link}
    if respondent.user is not None:
        return {"user": respondent.user, "municipality": respondent.municipality}
    return {"session_key": respondent.session_key}


def _first_error_page(request, respondent, sections, values, exc: ValidationError):
    """A stored answer of an earlier section no longer passes: show that section's errors."""
    codes = set(getattr(exc, "error_dict", {}))
    for index, (_section, questions) in enumerate(sections, start=1):
        if codes & {q.code for q in questions}:
            form = SectionForm(
                SectionForm.data_from(questions, values),
                survey=respondent.survey,
                questions=questions,
            )
            form.is_valid()
            return _page(request, respondent, sections, index, form)
    raise exc


def _answer(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """The survey for this respondent: the thanks, closed or already-answered page, or a section
    (GET) and what is done with its answers (POST)."""
    survey = respondent.survey
    if request.method == "GET" and request.session.get(THANKS_KEY) == survey.pk:
        del request.session[THANKS_KEY]
        return _state_page(request, respondent, "evaluations/answer/thanks.html")
    if not survey.is_open():
        return _closed(request, respondent)
    if respondent.has_answered():
        return _state_page(request, respondent, ALREADY_TEMPLATE)
    if respondent.link is None and respondent.user is None:
        respondent.session_key = request.session.session_key or ""
    sections = selectors.answer_sections(survey)
    if not sections:
        return _closed(request, respondent)
    stored = selectors.draft_values(survey, respondent.draft_owner)
    if request.method == "GET":
        return _show_section(request, respondent, sections, stored)
    return _take_section(request, respondent, sections, stored)


def _show_section(request, respondent, sections, stored: dict) -> HttpResponse:
    """The asked-for section with the answers kept so far; without ?section= the first, and a
    note that earlier answers were restored."""
    index = _section_index(request.GET.get("section"), len(sections))
    _section, questions = sections[index - 1]
    form = SectionForm(survey=respondent.survey, questions=questions, values=stored)
    restored = bool(stored) and "section" not in request.GET
    return _page(request, respondent, sections, index, form, restored=restored)


def _take_section(request, respondent, sections, stored: dict) -> HttpResponse:
    """A posted section: its answers join those kept so far, then the response is submitted or
    the draft kept, as the pressed button asks."""
    index = _section_index(request.POST.get("section"), len(sections))
    action = _action(request.POST.get("action"), is_last=index == len(sections))
    _section, questions = sections[index - 1]
    form = SectionForm(
        request.POST,
        survey=respondent.survey,
        questions=questions,
        require=action in ("next", "submit"),
    )
    if not form.is_valid():
        return _page(request, respondent, sections, index, form)
    codes = {q.code for q in questions}
    values = {c: v for c, v in stored.items() if c not in codes} | form.answer_values
    try:
        return _submit_or_keep(request, respondent, sections, index, action, values)
    except services.AlreadyAnswered:
        return _state_page(request, respondent, ALREADY_TEMPLATE)


def _submit_or_keep(request, respondent, sections, index, action, values) -> HttpResponse:
    """Submit the response, or keep the draft and go where the person asked."""
    if action == "submit":
        return _submit(request, respondent, sections, values)
    _save_draft(request, respondent, values)
    if action == "save":
        messages.success(request, _saved_note(respondent))
    target = {"save": index, "previous": index - 1}.get(action, index + 1)
    return redirect(f"{respondent.url}?{urlencode({'section': target})}")


def _submit(request, respondent, sections, values) -> HttpResponse:
    """Store the response and thank; a stored answer that no longer passes shows its section."""
    survey = respondent.survey
    try:
        services.response_submit(survey=survey, values=values, **_submit_kwargs(respondent))
    except ValidationError as exc:
        _save_draft(request, respondent, values)
        return _first_error_page(request, respondent, sections, values, exc)
    except services.SurveyClosed:
        return _closed(request, respondent)
    request.session[THANKS_KEY] = survey.pk
    return redirect(respondent.url)


def _saved_note(respondent: Respondent) -> str:
    """Where the saved answers wait: behind the link, in the account, or in this browser."""
    if respondent.link is not None:
        return _("Your answers have been saved. Open the same link again to continue.")
    if respondent.user is not None:
        return _("Your answers have been saved. You can continue at any time.")
    return _(
        "Your answers have been saved in this browser. Open the same address again "
        "in this browser to continue."
    )


# --- views ----------------------------------------------------------------------------------------


@public_answer_page
@GET_POST
def survey_answer_link(request: HttpRequest, link_token: str) -> HttpResponse:
    link = services.link_by_token(link_token)
    if link is None or link.revoked:
        raise Http404
    return _answer(
        request, Respondent(survey=link.survey, url=request.path, public=True, link=link)
    )


@public_answer_page
@GET_POST
def survey_answer_open(request: HttpRequest, open_token: str) -> HttpResponse:
    survey = services.survey_by_open_token(open_token)
    if survey is None:
        raise Http404
    return _answer(request, Respondent(survey=survey, url=request.path, public=True))


@login_required
@GET_POST
def survey_answer_in_app(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access, participation = access_survey_to_answer(
        request.user, lab_slug, cohort_slug, survey_slug
    )
    respondent = Respondent(
        survey=access.survey,
        url=request.path,
        public=False,
        user=request.user,
        municipality=participation.municipality,
    )
    return _answer(request, respondent)


@login_required
@require_GET
def my_surveys(request: HttpRequest) -> HttpResponse:
    """The open surveys a tandem member answers in the platform, and those already answered."""
    surveys = selectors.surveys_to_answer(request.user)
    context = {
        "to_answer": [s for s in surveys if not s.answered],
        "answered": [s for s in surveys if s.answered],
    }
    return render(request, "evaluations/answer/my_surveys.html", context)


# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/
cohort_patterns = []
# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/<survey_slug>/
survey_patterns = [
    path("answer/", survey_answer_in_app, name="survey_answer_in_app"),
]
# from the site root (public answering links and the like)
root_patterns = [
    path("s/<str:link_token>/", survey_answer_link, name="survey_answer_link"),
    path("o/<str:open_token>/", survey_answer_open, name="survey_answer_open"),
    path("surveys/", my_surveys, name="my_surveys"),
]

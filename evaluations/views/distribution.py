"""Distributing a survey (coordinators only): batches of anonymous single-use links to hand out
or to send by e-mail, a printable sheet with QR codes per batch, the open link, reminders.

A batch shows how many of its links were used, never which ones: e-mailed links would otherwise
tell who has answered.
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.viewhelpers import GET_POST, apply_validation_error

from .. import selectors, services
from ..forms_answer import LinkBatchForm, LinkEmailForm, OpenLinkForm
from ..permissions import SurveyAccess, access_printable_batch, access_survey
from .common import survey_context


def _manage(request, lab_slug, cohort_slug, survey_slug) -> SurveyAccess:
    return access_survey(request.user, lab_slug, cohort_slug, survey_slug, manage=True)


def _links_url(survey) -> str:
    return reverse("survey_links", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug])


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _open_url(request: HttpRequest, survey) -> str:
    """The open link's address while it is switched on, else ""."""
    if not (survey.open_link_enabled and survey.open_token_salt):
        return ""
    return request.build_absolute_uri(
        reverse("survey_answer_open", args=[services.open_token(survey)])
    )


def _link_forms(cohort, *, batch_form=None, email_form=None, open_form=None) -> dict:
    """The page's three forms, a refused one bound with its errors; `form` is that one (for
    the error summary), else the batch form."""
    language = {"language": translation.get_language()}
    forms = {
        "batch_form": batch_form or LinkBatchForm(cohort=cohort),
        "email_form": email_form or LinkEmailForm(cohort=cohort, initial=language),
        "open_form": open_form or OpenLinkForm(),
    }
    forms["form"] = next((f for f in forms.values() if f.is_bound), forms["batch_form"])
    return forms


def _batch_totals(batches: list[dict]) -> dict:
    return {
        "emailed_total": sum(b["emailed"] for b in batches),
        "used_total": sum(b["used"] for b in batches),
        "links_total": sum(b["total"] for b in batches),
    }


def _links_page(request, access: SurveyAccess, **bound_forms) -> HttpResponse:
    survey = access.survey
    batches = selectors.link_batches(survey)
    open_url = _open_url(request, survey)
    context = {
        **survey_context(access),
        "batches": batches,
        **_link_forms(survey.cohort, **bound_forms),
        "open_url": open_url,
        "open_qr": _qr_svg(open_url, _("QR code of the open link")) if open_url else "",
        "reminders_due": selectors.reminders_due(survey),
        **_batch_totals(batches),
    }
    return render(request, "evaluations/distribution/links.html", context)


@login_required
@GET_POST
def survey_links(request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str):
    """The survey's batches of links; a POST creates a batch to hand out, or one that is sent
    by e-mail (form=email)."""
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    if request.method == "GET":
        return _links_page(request, access)
    if request.POST.get("form") == "email":
        return _email_batch(request, access)
    return _handout_batch(request, access)


def _handout_batch(request: HttpRequest, access: SurveyAccess) -> HttpResponse:
    """A batch of anonymous links to hand out; the message links to its printable sheet."""
    survey = access.survey
    form = LinkBatchForm(request.POST, cohort=survey.cohort)
    if form.is_valid():
        language = translation.get_language() or "de"
        try:
            links = services.links_create(survey=survey, language=language, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _batch_created(survey, links))
            return redirect(_links_url(survey))
    return _links_page(request, access, batch_form=form)


def _batch_created(survey, links) -> str:
    """The message about a new batch, with the link to its printable sheet."""
    batch = links[0].batch
    cohort = survey.cohort
    print_url = reverse(
        "survey_links_print", args=[cohort.lab.slug, cohort.slug, survey.slug, batch]
    )
    done = ngettext(
        "Batch %(batch)s with %(n)s link was created.",
        "Batch %(batch)s with %(n)s links was created.",
        len(links),
    ) % {"batch": batch, "n": len(links)}
    return format_html('{} <a href="{}">{}</a>', done, print_url, _("Print it with QR codes"))


def _email_batch(request: HttpRequest, access: SurveyAccess) -> HttpResponse:
    """A batch with one personal link per address, each e-mailed by the worker."""
    survey = access.survey
    form = LinkEmailForm(request.POST, cohort=survey.cohort)
    if form.is_valid():
        try:
            links = services.links_email(
                survey=survey, base_url=_base_url(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            sending = ngettext(
                "Batch %(batch)s: %(n)s e-mail with a personal link is being sent.",
                "Batch %(batch)s: %(n)s e-mails with personal links are being sent.",
                len(links),
            )
            messages.success(request, sending % {"batch": links[0].batch, "n": len(links)})
            return redirect(_links_url(survey))
    return _links_page(request, access, email_form=form)


def _qr_svg(url: str, title: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3, title=title, svgclass="qr-code")
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's own markup


@login_required
@require_GET
def survey_links_print(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, batch: int
) -> HttpResponse:
    """A batch's unused links as cards with QR codes, to print for a workshop room."""
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    links = access_printable_batch(access, batch)
    survey = access.survey
    cards = _print_cards(request, links)
    context = {
        "survey": survey,
        "lab": survey.cohort.lab,
        "cohort": survey.cohort,
        "batch": batch,
        "cards": cards,
        "left_out": len(links) - len(cards),
        "first": links[0],
        "back_url": _links_url(survey),
        "printed_at": timezone.now(),
    }
    response = render(request, "evaluations/distribution/print.html", context)
    # the sheet holds working links: keep it out of caches and referrers
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store, private"
    return response


def _print_cards(request: HttpRequest, links) -> list[dict]:
    """A card per link not used or revoked: its address and its QR code."""
    cards = []
    for link in links:
        if link.used or link.revoked:
            continue
        url = request.build_absolute_uri(
            reverse("survey_answer_link", args=[services.link_token(link)])
        )
        title = _("QR code of link %(number)s") % {"number": link.number}
        cards.append({"link": link, "url": url, "qr": _qr_svg(url, title)})
    return cards


@login_required
@require_POST
def survey_links_revoke(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, batch: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    revoked = services.links_revoke(survey=access.survey, batch=batch)
    messages.success(
        request,
        ngettext(
            "Batch %(batch)s: %(n)s unused link was revoked.",
            "Batch %(batch)s: %(n)s unused links were revoked.",
            revoked,
        )
        % {"batch": batch, "n": revoked},
    )
    return redirect(_links_url(access.survey))


@login_required
@require_POST
def survey_open_link(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    form = OpenLinkForm(request.POST)
    if not form.is_valid():
        return _links_page(request, access, open_form=form)
    action = form.cleaned_data["action"]
    services.open_link_enable(
        survey=access.survey, enabled=action != "disable", renew=action == "renew"
    )
    messages.success(
        request,
        {
            "enable": _("The open link is switched on."),
            "disable": _("The open link is switched off."),
            "renew": _("The open link has a new address; the old one no longer works."),
        }[action],
    )
    return redirect(_links_url(access.survey))


@login_required
@require_POST
def survey_remind(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    due = services.survey_remind(survey=access.survey, base_url=_base_url(request))
    if due:
        messages.success(
            request,
            ngettext(
                "A reminder is being sent to %(n)s person.",
                "Reminders are being sent to %(n)s people.",
                due,
            )
            % {"n": due},
        )
    else:
        messages.info(
            request,
            _(
                "Nobody is due for a reminder: everyone e-mailed has answered or was reminded "
                "within the last 24 hours, or the survey is not open."
            ),
        )
    return redirect(_links_url(access.survey))


# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/
cohort_patterns = []
# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/<survey_slug>/
survey_patterns = [
    path("links/", survey_links, name="survey_links"),
    path("links/<int:batch>/print/", survey_links_print, name="survey_links_print"),
    path("links/<int:batch>/revoke/", survey_links_revoke, name="survey_links_revoke"),
    path("open-link/", survey_open_link, name="survey_open_link"),
    path("remind/", survey_remind, name="survey_remind"),
]
# from the site root (public answering links and the like)
root_patterns = []

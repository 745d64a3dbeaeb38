"""Distributing a survey (coordinators only): batches of anonymous single-use links to hand out
or to send by e-mail, a printable sheet with QR codes per batch, the open link, reminders.

A batch shows how many of its links were used, never which ones: e-mailed links would otherwise
tell who has answered.
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.viewhelpers import GET_POST, apply_validation_error

from .. import services, survey_mail
from ..forms_answer import LinkBatchForm, LinkEmailForm, OpenLinkForm
from ..models import SurveyLink
from ..permissions import SurveyAccess, access_survey


def _manage(request, lab_slug, cohort_slug, survey_slug) -> SurveyAccess:
    return access_survey(request.user, lab_slug, cohort_slug, survey_slug, manage=True)


def _links_url(survey) -> str:
    return reverse("survey_links", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug])


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def link_batches(survey) -> list[dict]:
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


def _links_page(request, access: SurveyAccess, *, batch_form=None, email_form=None, open_form=None):
    survey = access.survey
    cohort = survey.cohort
    batch_form = batch_form or LinkBatchForm(cohort=cohort)
    email_form = email_form or LinkEmailForm(
        cohort=cohort, initial={"language": translation.get_language()}
    )
    open_form = open_form or OpenLinkForm()
    posted = next((f for f in (batch_form, email_form, open_form) if f.is_bound), batch_form)
    open_url = ""
    if survey.open_link_enabled and survey.open_token_salt:
        open_url = request.build_absolute_uri(
            reverse("survey_answer_open", args=[services.open_token(survey)])
        )
    batches = link_batches(survey)
    context = {
        "access": access,
        "survey": survey,
        "lab": cohort.lab,
        "cohort": cohort,
        "batches": batches,
        "form": posted,
        "batch_form": batch_form,
        "email_form": email_form,
        "open_form": open_form,
        "open_url": open_url,
        "reminders_due": survey_mail.reminder_candidates(survey).count() if survey.is_open() else 0,
        "emailed_total": sum(b["emailed"] for b in batches),
        "used_total": sum(b["used"] for b in batches),
        "links_total": sum(b["total"] for b in batches),
    }
    return render(request, "evaluations/distribution/links.html", context)


@login_required
@GET_POST
def survey_links(request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str):
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    survey = access.survey
    if request.method == "GET":
        return _links_page(request, access)

    if request.POST.get("form") == "email":
        form = LinkEmailForm(request.POST, cohort=survey.cohort)
        if form.is_valid():
            data = form.cleaned_data
            try:
                links = services.links_email(
                    survey=survey,
                    emails=data["emails"],
                    base_url=_base_url(request),
                    municipality=data["municipality"],
                    group=data["group"],
                    language=data["language"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Batch %(batch)s: %(n)s e-mail with a personal link is being sent.",
                        "Batch %(batch)s: %(n)s e-mails with personal links are being sent.",
                        len(links),
                    )
                    % {"batch": links[0].batch, "n": len(links)},
                )
                return redirect(_links_url(survey))
        return _links_page(request, access, email_form=form)

    form = LinkBatchForm(request.POST, cohort=survey.cohort)
    if form.is_valid():
        data = form.cleaned_data
        try:
            links = services.links_create(
                survey=survey,
                count=data["count"],
                municipality=data["municipality"],
                group=data["group"],
                language=translation.get_language() or "de",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            print_url = reverse(
                "survey_links_print",
                args=[lab_slug, cohort_slug, survey_slug, links[0].batch],
            )
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    ngettext(
                        "Batch %(batch)s with %(n)s link was created.",
                        "Batch %(batch)s with %(n)s links was created.",
                        len(links),
                    )
                    % {"batch": links[0].batch, "n": len(links)},
                    print_url,
                    _("Print it with QR codes"),
                ),
            )
            return redirect(_links_url(survey))
    return _links_page(request, access, batch_form=form)


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
    survey = access.survey
    links = list(
        SurveyLink.objects.filter(survey=survey, batch=batch).select_related("municipality")
    )
    # e-mailed links are personal: printing them would let anyone answer in someone's name
    if not links or any(link.email for link in links):
        raise Http404
    usable = [link for link in links if not link.used and not link.revoked]
    cards = []
    for link in usable:
        url = request.build_absolute_uri(
            reverse("survey_answer_link", args=[services.link_token(link)])
        )
        title = _("QR code of link %(number)s") % {"number": link.number}
        cards.append({"link": link, "url": url, "qr": _qr_svg(url, title)})
    response = render(
        request,
        "evaluations/distribution/print.html",
        {
            "survey": survey,
            "lab": survey.cohort.lab,
            "cohort": survey.cohort,
            "batch": batch,
            "cards": cards,
            "left_out": len(links) - len(usable),
            "first": links[0],
            "back_url": _links_url(survey),
            "printed_at": timezone.now(),
        },
    )
    # the sheet holds working links: keep it out of caches and referrers
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store, private"
    return response


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

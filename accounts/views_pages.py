"""The privacy notice and the accessibility statement: public pages that administrators edit.

Until an administrator saves a page, a default text (gettext, German and English) is shown; it
is a skeleton the operator completes with their own details (the parts in square brackets).
"""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.markdown import to_html
from core.viewhelpers import GET_POST, posted

from . import selectors, services
from .forms import SitePageForm
from .models import SitePage, SitePageKey
from .permissions import is_site_admin, require_site_admin

PUBLIC_URL_NAMES = {
    SitePageKey.PRIVACY: "privacy_notice",
    SitePageKey.ACCESSIBILITY: "accessibility_statement",
}

# to_html() puts Markdown's top headings at h3 (below a report section's h2); on a page of its
# own they sit directly below the page's h1.
_HEADING = re.compile(r"<(/?)h([34])>")


def _page_html(markdown_text: str) -> str:
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - 1}>", to_html(markdown_text))


def _retention_months() -> int | None:
    for name in ("SURVEY_RAW_ANSWER_RETENTION_MONTHS", "RAW_ANSWER_RETENTION_MONTHS"):
        if getattr(settings, name, None):
            return int(getattr(settings, name))
    return None


def _default_privacy() -> tuple[str, str]:
    months = _retention_months()
    retention = (
        _(
            "Individual survey answers (raw answers) are deleted %(months)s months after a survey "
            "has closed; only aggregated results (counts, means) are kept."
        )
        % {"months": months}
        if months
        else _(
            "Individual survey answers (raw answers) are deleted after the period the operator "
            "has set once a survey has closed; only aggregated results (counts, means) are kept."
        )
    )
    parts = [
        _(
            "This notice explains how the InnoLab platform processes personal data, as required "
            "by Articles 13 and 14 of the General Data Protection Regulation (GDPR)."
        ),
        "# " + _("Controller"),
        _(
            "[Name and address of the public body operating the platform, e-mail address, "
            "telephone number.]"
        ),
        "# " + _("Data protection officer"),
        _("[Contact details of the data protection officer of the controller.]"),
        "# " + _("Purposes of processing"),
        "- "
        + _("running innovation labs with municipalities: cohorts, events, mission profiles;")
        + "\n- "
        + _("inviting people and managing their accounts and roles;")
        + "\n- "
        + _("carrying out surveys and evaluating them in aggregated form;")
        + "\n- "
        + _("writing and publishing reports on the labs' results;")
        + "\n- "
        + _("keeping the platform secure (login, audit log of security-relevant events)."),
        "# " + _("Legal bases"),
        _(
            "Processing is necessary for the performance of a task carried out in the public "
            "interest or in the exercise of official authority (Art. 6(1)(e) GDPR) and, where "
            "the controller is under a legal obligation, for compliance with it "
            "(Art. 6(1)(c) GDPR), each together with the applicable federal or state law. "
            "Taking part in surveys is voluntary."
        ),
        "# " + _("Categories of data"),
        _(
            "Name, e-mail address, role and municipality of the people taking part; content they "
            "write (mission profiles, comments); registrations for events; survey answers, "
            "which in anonymous surveys are stored without any link to a person; technical "
            "data for security (time of login, IP address in the audit log)."
        ),
        "# " + _("Recipients"),
        _(
            "Coordinators of a lab see the data of their lab. Funders and experts see only "
            "published reports and aggregated results. Results of groups smaller than the "
            "minimum group size are never shown. [Name the processors, e.g. the hosting "
            "provider, with whom a data processing agreement under Art. 28 GDPR exists.] "
            "Data is not transferred to countries outside the EU."
        ),
        "# " + _("Retention"),
        _(
            "Account data is kept while the account exists; a person can delete their account "
            "at any time, after which contributions to shared mission profiles remain, "
            "attributed to a former member."
        )
        + " "
        + retention
        + " "
        + _("Audit log entries are kept for [period] and then deleted."),
        "# " + _("Your rights"),
        _(
            "You have the right of access (Art. 15 GDPR), to rectification (Art. 16), to erasure "
            "(Art. 17), to restriction of processing (Art. 18), to data portability (Art. 20) "
            "and to object (Art. 21). You can download your own data and delete your account "
            "on your account page."
        ),
        "# " + _("Right to lodge a complaint"),
        _(
            "You can lodge a complaint with a data protection supervisory authority, in "
            "particular the one of the federal state in which the controller is based: "
            "[name and address of the competent state data protection authority]."
        ),
    ]
    return _("Privacy notice"), "\n\n".join(parts)


def _default_accessibility() -> tuple[str, str]:
    email = settings.ACCESSIBILITY_CONTACT_EMAIL
    parts = [
        _(
            "[Name of the public body] endeavours to make its website accessible in accordance "
            "with the Barrier-Free Information Technology Ordinance (BITV 2.0), which implements "
            "Directive (EU) 2016/2102. This statement applies to the InnoLab platform."
        ),
        "# " + _("Status of conformance"),
        _(
            "The platform is designed to conform to WCAG 2.1 level AA and the harmonised "
            "European standard EN 301 549. Every page type is tested automatically with axe-core "
            "in German and English; the main flows are tested with the keyboard alone. The "
            "platform is partially compliant for the reasons listed below."
        ),
        "# " + _("Non-accessible content"),
        "- "
        + _(
            "Files uploaded by users (for example event materials) may not be accessible; "
            "we ask everyone who uploads files to make them accessible."
        )
        + "\n- "
        + _(
            "Generated PDF reports are tagged and have a title, a language and bookmarks; "
            "complex charts are described in text, but may not be fully usable with every "
            "screen reader."
        )
        + "\n- "
        + _("[Further known issues found in the most recent review.]"),
        "# " + _("Preparation of this statement"),
        _(
            "This statement was prepared on [date] by a self-assessment supported by automated "
            "tests. It was last reviewed on [date]."
        ),
        "# " + _("Feedback and contact"),
        _(
            "If you notice barriers on this platform or need information in an accessible "
            "form, please write to [%(email)s](mailto:%(email)s). We will answer within "
            "[period]."
        )
        % {"email": email},
        "# " + _("Enforcement procedure"),
        _(
            "If you do not receive a satisfactory answer to your feedback, you can apply to the "
            "arbitration board under § 16 of the Disability Equality Act (Schlichtungsstelle "
            "nach dem Behindertengleichstellungsgesetz, BGG) for out-of-court dispute "
            "resolution: "
            "[www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de), "
            "[info@schlichtungsstelle-bgg.de](mailto:info@schlichtungsstelle-bgg.de). "
            "[For a body of a federal state or a municipality: name the state's enforcement "
            "body instead or in addition.]"
        ),
    ]
    return _("Accessibility statement"), "\n\n".join(parts)


DEFAULTS = {
    SitePageKey.PRIVACY: _default_privacy,
    SitePageKey.ACCESSIBILITY: _default_accessibility,
}


def default_content(key: str, language: str) -> tuple[str, str]:
    """The default (title, Markdown) of a page in `language`."""
    with translation.override(language):
        return DEFAULTS[key]()


def _show(request: HttpRequest, key: str) -> HttpResponse:
    page = selectors.site_page(key)
    language = (translation.get_language() or "de")[:2]
    if page is None:
        title, body = DEFAULTS[key]()
        content_language = language
    elif language == "en" and page.title_en.strip() and page.body_en.strip():
        title, body, content_language = page.title_en, page.body_en, "en"
    else:
        title, body, content_language = page.title_de, page.body_de, "de"
    return render(
        request,
        "accounts/site_page.html",
        {
            "key": key,
            "page": page,
            "title": title,
            "body_html": _page_html(body),
            "content_language": content_language,
            "is_fallback_language": content_language != language,
            "can_edit": is_site_admin(request.user),
        },
    )


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return _show(request, SitePageKey.PRIVACY)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return _show(request, SitePageKey.ACCESSIBILITY)


@login_required
@GET_POST
def site_page_edit(request: HttpRequest, key: str) -> HttpResponse:
    require_site_admin(request.user)
    if key not in SitePageKey.values:
        raise Http404
    page, initial = _page_to_edit(key)
    form = SitePageForm(posted(request), instance=page, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.site_page_save(
            page=form.save(commit=False), user=request.user, changed_fields=form.changed_data
        )
        messages.success(request, _("The page was saved."))
        return redirect(PUBLIC_URL_NAMES[key])
    context = {
        "form": form,
        "key": key,
        "page_label": SitePageKey(key).label,
        "public_url_name": PUBLIC_URL_NAMES[key],
    }
    return render(request, "accounts/site_page_form.html", context)


def _page_to_edit(key: str) -> tuple[SitePage, dict]:
    """The stored page, or a new one whose form starts with the default texts."""
    page = selectors.site_page(key)
    if page is not None:
        return page, {}
    initial = {}
    initial["title_de"], initial["body_de"] = default_content(key, "de")
    initial["title_en"], initial["body_en"] = default_content(key, "en")
    return SitePage(key=key), initial

"""Event views: calendar. (URL list at the bottom; events/urls.py mounts it.)

An event downloads as .ics for everyone who may see it; each person may create a private feed
address (a secret token in the URL, for Outlook, Thunderbird and phones), renew it or revoke it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.viewhelpers import GET_POST, posted
from notifications.languages import mail_languages

from . import ics, selectors
from .permissions import access_event


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _calendar_response(body: bytes, filename: str, *, disposition: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@require_GET
def event_ics(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id)
    body = ics.event_ics(access.event, method="PUBLISH", base_url=_base_url(request))
    response = _calendar_response(body, f"event-{access.event.pk}.ics", disposition="attachment")
    response["Cache-Control"] = "private, no-cache"
    return response


class FeedActionForm(forms.Form):
    """What the buttons of the calendar page ask for; nothing to type. The error summary links
    its error to the first button (templates/events/calendar_settings.html)."""

    action = forms.ChoiceField(
        label=gettext_lazy("Your calendar address"),
        choices=[
            ("create", gettext_lazy("Create address")),
            ("renew", gettext_lazy("New address")),
            ("revoke", gettext_lazy("Delete address")),
        ],
        error_messages={
            "required": gettext_lazy("Please choose what to do with your calendar address."),
            "invalid_choice": gettext_lazy("Please choose what to do with your calendar address."),
        },
    )


def _feed_action(request: HttpRequest, action: str) -> None:
    if action == "create":
        ics.calendar_feed_create(user=request.user)
        messages.success(request, _("Your calendar address was created."))
    elif action == "renew":
        ics.calendar_feed_renew(user=request.user)
        messages.success(
            request, _("You have a new calendar address; the old one no longer works.")
        )
    elif ics.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Your calendar address was deleted; it no longer works."))
    else:
        messages.info(request, _("You had no calendar address."))


@never_cache
@login_required
@GET_POST
def calendar_settings(request: HttpRequest) -> HttpResponse:
    form = FeedActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        _feed_action(request, form.cleaned_data["action"])
        return redirect("calendar_settings")
    feed = selectors.calendar_feed_of(request.user)
    feed_url = webcal_url = ""
    if feed is not None:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[ics.feed_token(feed)]))
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "events/calendar_settings.html",
        {"form": form, "feed": feed, "feed_url": feed_url, "webcal_url": webcal_url},
    )


@require_GET
def calendar_feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """Public by design: calendar programs fetch it without a login. The token is the secret, so
    the response is neither cached nor does it leak the address as a referrer."""
    feed = ics.calendar_feed_by_token(feed_token)
    if feed is None:
        raise Http404
    # calendar programs send no language cookie: the owner's language, as in their e-mails
    language = mail_languages([feed.user_id])[feed.user_id]
    with translation.override(language):
        body = ics.feed_ics(feed.user, base_url=_base_url(request))
    response = _calendar_response(body, "innolab.ics", disposition="inline")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# full paths from the site root, e.g. "labs/<slug:lab_slug>/events/<int:event_id>/…"
urlpatterns = [
    path(
        "labs/<slug:lab_slug>/events/<int:event_id>/event.ics",
        event_ics,
        name="event_ics",
    ),
    path("calendar/", calendar_settings, name="calendar_settings"),
    path("calendar/<str:feed_token>.ics", calendar_feed, name="calendar_feed"),
]

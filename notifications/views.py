from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.viewhelpers import GET_POST, apply_validation_error, paginate, posted

from . import selectors, services
from .forms import NotificationSettingsForm
from .kinds import registered, text_of
from .permissions import access_own_notification

PER_PAGE = 25


@never_cache
@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    context = paginate(request, selectors.notifications_of(request.user), PER_PAGE)
    for notification in context["page"]:
        notification.text = text_of(notification.kind, notification.params)
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = access_own_notification(request.user, notification_id)
    services.notification_mark_read(notification=notification)
    return redirect("notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    if services.notifications_mark_all_read(user=request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")


@never_cache
@login_required
@GET_POST
def notification_settings(request: HttpRequest) -> HttpResponse:
    initial = {
        "delivery": services.preference_of(request.user),
        "language": request.user.language,
    }
    form = NotificationSettingsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notification_settings")
    labels = [kind.label for kind in registered()]
    return render(request, "notifications/settings.html", {"form": form, "kind_labels": labels})

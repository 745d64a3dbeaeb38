"""Event views: materials. (URL list at the bottom; events/urls.py mounts it.)

Files are checked and stored by events/uploads.py and served only here, after the same
permission check as the event page (never from MEDIA_URL).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.viewhelpers import GET_POST, apply_validation_error

from . import filetypes, uploads
from .permissions import access_event, access_event_material


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": filetypes.ACCEPT_ATTRIBUTE}),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Shown instead of the file name, e.g. “Slides of the kick-off”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(limit)s.") % {
            "types": filetypes.allowed_summary(),
            "limit": filesizeformat(filetypes.max_upload_bytes()),
        }


def _event_page(event) -> str:
    return reverse("event_detail", args=[event.lab.slug, event.pk]) + "#materials"


@login_required
@GET_POST
def event_material_upload(request: HttpRequest, lab_slug: str, event_id: int) -> HttpResponse:
    access = access_event(request.user, lab_slug, event_id, coordinate=True)
    event = access.event
    posted = request.method == "POST"
    form = MaterialForm(request.POST, request.FILES) if posted else MaterialForm()
    if posted and form.is_valid():
        try:
            material = uploads.event_material_create(
                event=event,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("“%(name)s” was added to the materials.") % {"name": material}
            )
            return redirect(_event_page(event))
    return render(
        request,
        "events/material_form.html",
        {"form": form, "event": event, "lab": event.lab, "access": access},
    )


@login_required
@require_GET
def event_material_download(
    request: HttpRequest, lab_slug: str, event_id: int, material_id: int
) -> FileResponse:
    _access, material = access_event_material(request.user, lab_slug, event_id, material_id)
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    # The stored type comes from the allow list (filetypes.ALLOWED_TYPES), not from the uploader.
    response = FileResponse(handle, content_type=material.content_type)
    response["Content-Disposition"] = uploads.content_disposition(material.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    # Should a browser ever render it anyway: no scripts, no plugins, no same-origin access.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response


@login_required
@require_POST
def event_material_delete(
    request: HttpRequest, lab_slug: str, event_id: int, material_id: int
) -> HttpResponse:
    access, material = access_event_material(
        request.user, lab_slug, event_id, material_id, coordinate=True
    )
    name = str(material)
    uploads.event_material_delete(material=material)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
    return redirect(_event_page(access.event))


_EVENT = "labs/<slug:lab_slug>/events/<int:event_id>/"

# full paths from the site root, e.g. "labs/<slug:lab_slug>/events/<int:event_id>/…"
urlpatterns = [
    path(_EVENT + "materials/new/", event_material_upload, name="event_material_upload"),
    path(
        _EVENT + "materials/<int:material_id>/",
        event_material_download,
        name="event_material_download",
    ),
    path(
        _EVENT + "materials/<int:material_id>/delete/",
        event_material_delete,
        name="event_material_delete",
    ),
]

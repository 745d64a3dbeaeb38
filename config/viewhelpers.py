"""Small pieces every app's views share."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.views.decorators.http import require_http_methods

GET_POST = require_http_methods(["GET", "POST"])


def posted(request: HttpRequest):
    """The submitted data, or None on GET: an empty POST still gets its form validated."""
    return request.POST if request.method == "POST" else None


def apply_validation_error(form, exc: ValidationError, renamed: dict | None = None) -> None:
    """Show a service's ValidationError on the form: on its field, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (renamed or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)

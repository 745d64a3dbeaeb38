"""Small pieces every app's views share."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
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


def paginate(request: HttpRequest, object_list, per_page: int, *, param: str = "page") -> dict:
    """One page of `object_list` for templates/includes/pagination.html: {"page", "page_range",
    "page_query", "param"}. A bad ?page= (text, 0, beyond the end) gives the first or the last
    page; page_query keeps the other GET parameters (the filters, other lists' pages) for the page
    links. Several lists on one page each name their own `param`."""
    from django.core.paginator import Paginator

    page = Paginator(object_list, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    encoded = query.urlencode()
    return {
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2)),
        "page_query": f"{encoded}&" if encoded else "",
        "param": param,
    }


_PK_MARKER = 2147483647


def url_around_pk(name: str, *args) -> tuple[str, str]:
    """(before, after): reverse(name, args=[*args, pk]) == before + str(pk) + after, so that a
    template builds the link of every row of a long table without a {% url %} per row."""
    from django.urls import reverse

    before, after = reverse(name, args=[*args, _PK_MARKER]).split(str(_PK_MARKER))
    return before, after


def render_page_or_partial(
    request: HttpRequest, template: str, partial: str | None, context: dict, status: int = 200
):
    """The whole page, or only its `{% partialdef partial %}` for an htmx request. The same
    address answers with either, so caches must keep them apart (Vary: HX-Request)."""
    if partial and request.htmx:
        template = f"{template}#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response

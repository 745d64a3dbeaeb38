from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.log import log_response
from django.views import defaults

from .db_errors import server_error


class LanguageMiddleware:
    """German unless the person chose English: the language switch's cookie decides, not the
    browser's Accept-Language (a German administration's platform speaks German first)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response (settings.PERMISSIONS_POLICY): the browser features
    the platform never uses stay off, for its pages and for anything they might frame."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PlatformErrorPagesMiddleware:
    """The platform's own 404, 400 and 500 pages while DEBUG is on (the demo: config.settings.dev),
    where Django would show its technical pages with the URL patterns, settings and tracebacks.
    The 403 page is the platform's anyway. Last in MIDDLEWARE: the pages render with the user and
    the language, and CommonMiddleware still adds the slash to an address that lacks it. A crash
    is logged with its traceback as Django logs it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # an address that matches no URL pattern fails before any view, where process_exception
        # would not see it
        try:
            get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404 as exc:
            return defaults.page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django renders 403.html whatever DEBUG says
        if isinstance(exception, BadRequest | SuspiciousOperation):
            response = defaults.bad_request(request, exception)
            log_response(
                "Bad request: %s", request.path, response=response, request=request,
                exception=exception,
            )  # fmt: skip
            return response
        response = server_error(request)
        log_response(
            "%s: %s", response.reason_phrase, request.path, response=response, request=request,
            exception=exception,
        )  # fmt: skip
        return response

"""config.db_errors: a database that is away answers 503 "temporarily unavailable" (with
Retry-After, never cached), from a view or from a middleware; other errors stay 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path


def _db_down(request):
    raise OperationalError("connection to server at 10.0.0.5 failed: password=geheim")


def _connection_closed(request):
    raise InterfaceError("connection already closed")


def _bug(request):
    raise ZeroDivisionError


def _fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("down/", _db_down),
    path("closed/", _connection_closed),
    path("bug/", _bug),
    path("fine/", _fine),
]
handler500 = "config.db_errors.server_error"


class BrokenSessionMiddleware:
    """Fails outside the view, as a session read does while the database is away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/fine/" and request.GET.get("break"):
            raise OperationalError("the database system is shutting down")
        return self.get_response(request)


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/down/", "/closed/"])
def test_a_database_error_in_a_view_is_a_503(client, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "Temporarily unavailable" in text and "Vorübergehend nicht verfügbar" in text
    assert "geheim" not in text and "10.0.0.5" not in text


def test_a_database_error_outside_the_view_is_a_503_too(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.BrokenSessionMiddleware"]
    assert client.get("/fine/").status_code == 200
    response = client.get("/fine/?break=1")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


def test_other_errors_are_still_500(client):
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Temporarily unavailable" not in response.content.decode()

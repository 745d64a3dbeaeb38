"""The demo runs with DEBUG on (config.settings.dev) and still shows the platform's own error
pages, never Django's technical ones; a refused request is one line on the console."""

import io
import logging

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from config.logging import ForbiddenWithoutTraceback
from config.middleware import PlatformErrorPagesMiddleware

from ..conftest import make_client

pytestmark = pytest.mark.django_db
TECHNICAL = ("Using the URLconf defined in", "Traceback", "technical_500", "DEBUG = True")


@pytest.fixture
def demo_debug(settings):
    """The middleware as config/settings/dev.py installs it for the demo, with DEBUG on."""
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "config.middleware.PlatformErrorPagesMiddleware"]
    return settings


def test_dev_settings_install_it_for_the_demo():
    from config.settings import dev

    assert dev.DEMO_MODE and dev.DEBUG
    assert dev.MIDDLEWARE[-1] == "config.middleware.PlatformErrorPagesMiddleware"


def test_an_unknown_address_and_a_missing_object_show_the_platforms_404(demo_debug, tandem_a):
    client = make_client(tandem_a)
    for url in ("/no-such-page/", "/labs/no-such-lab/"):
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Page not found</h1>" in page and "Back to the overview" in page, url
        assert not any(marker in page for marker in TECHNICAL), url
    # the slash is still added to an address that lacks it
    assert client.get("/notifications").status_code == 301


def test_a_refused_request_shows_the_403_page_and_logs_one_line(demo_debug, funder, cohort_x):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ForbiddenWithoutTraceback())
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(handler)
    try:
        response = make_client(funder).get(
            reverse("survey_create", args=[cohort_x.lab.slug, cohort_x.slug])
        )
    finally:
        request_logger.removeHandler(handler)
    assert response.status_code == 403
    assert not any(marker in response.content.decode() for marker in TECHNICAL)
    logged = stream.getvalue()
    assert "Forbidden" in logged and "Traceback" not in logged
    # the console handler of the settings carries the filter
    console = django_settings.LOGGING["handlers"]["console"]
    assert "forbidden_without_traceback" in console["filters"]


def test_a_crash_shows_the_platforms_500_page(demo_debug, caplog):
    request = RequestFactory().get("/notifications/")
    middleware = PlatformErrorPagesMiddleware(lambda r: None)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        response = middleware.process_exception(request, exc)
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in response.content.decode()  # 500.html, both languages
    assert "boom" not in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info  # the console keeps the traceback of a real error

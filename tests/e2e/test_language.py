"""The header's language button switches between German (the default) and English."""

import pytest
from django.conf import settings

from .conftest import axe_check, force_login_cookie, shot

pytestmark = pytest.mark.e2e


def _lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def _switch_to(page, code: str) -> None:
    button = page.locator(f"header form.lang-switch button[name=language][value={code}]")
    # The button speaks the language it offers, for screen readers.
    assert button.get_attribute("lang") == code
    with page.expect_navigation():
        button.click()


def _switch_there_and_back(page, path: str, name: str) -> None:
    assert _lang(page) == "de"
    axe_check(page, label=f"{name} in German")
    shot(page, f"30-{name}-de")

    _switch_to(page, "en")
    assert _lang(page) == "en"
    assert page.url.endswith(path), "the switch keeps the person on their page"
    assert page.locator("header button[name=language][value=de]").count() == 1
    axe_check(page, label=f"{name} in English")
    shot(page, f"31-{name}-en")

    _switch_to(page, "de")
    assert _lang(page) == "de"
    assert page.url.endswith(path)
    axe_check(page, label=f"{name} back in German")


def test_language_switch_on_the_login_page(live_server, page, transactional_db):
    page.goto(f"{live_server.url}/accounts/login/")
    _switch_there_and_back(page, "/accounts/login/", "login")


def test_language_switch_when_logged_in(e2e_participation, e2e_coordinator, live_server, page):
    force_login_cookie(page.context, live_server.url, e2e_coordinator)
    path = "/labs/innolab-ost/cohorts/kohorte-1/"
    page.goto(live_server.url + path)
    _switch_there_and_back(page, path, "cohort-dashboard")


def _texts_in(page, base_url: str, language: str, path: str, selector: str) -> list[str]:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
    page.goto(base_url + path)
    assert _lang(page) == language
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_form_labels_and_blank_choices_follow_the_language(
    e2e_participation, e2e_coordinator, live_server, page
):
    force_login_cookie(page.context, live_server.url, e2e_coordinator)
    admit = "/labs/innolab-ost/cohorts/kohorte-1/admit/"
    new_municipality = "/labs/innolab-ost/municipalities/new/"
    label = "main label[for=id_municipality]"
    blank = "main select[name=state] option[value='']"

    assert _texts_in(page, live_server.url, "de", admit, label) != _texts_in(
        page, live_server.url, "en", admit, label
    )
    assert _texts_in(page, live_server.url, "de", new_municipality, blank) != _texts_in(
        page, live_server.url, "en", new_municipality, blank
    )

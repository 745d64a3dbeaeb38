"""The login page works with the keyboard alone."""

import pytest

from .conftest import COORDINATOR_EMAIL, E2E_PASSWORD, axe_check, shot

pytestmark = pytest.mark.e2e


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                    href: el.getAttribute('href')};
        }"""
    )


def _skip_to_main(page) -> None:
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def test_skip_link_is_first_and_moves_focus_to_main(live_server, page, transactional_db):
    page.goto(f"{live_server.url}/accounts/login/")

    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["href"] == "#main", focused
    assert page.locator(".skip-link").is_visible(), "the focused skip link must become visible"
    shot(page, "20-skip-link-focused")

    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"


def test_login_with_the_keyboard_only(e2e_coordinator, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    _skip_to_main(page)

    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "login"
    page.keyboard.type(COORDINATOR_EMAIL)
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "password"
    page.keyboard.type(E2E_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url == f"{live_server.url}/"
    # The overview greets the coordinator by name.
    assert "Kora Koordination" in page.get_by_role("heading", level=1).inner_text()
    axe_check(page, label="overview")
    shot(page, "21-overview-after-keyboard-login")


def test_tab_goes_from_email_straight_to_password(live_server, page, transactional_db):
    page.goto(f"{live_server.url}/accounts/login/")
    _skip_to_main(page)
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "login"

    page.keyboard.press("Tab")

    assert _focused(page)["name"] == "password"

"""The notification pages in the browser: the header announces the unread count, the list is a
real list whose buttons have names, marking read works from the keyboard, the settings save; axe
finds nothing, in German and English, and nothing is wider than a phone at 320 px."""

import pytest

from notifications.services import notify

from .conftest import axe_check, document_overflow, e2e_make_user, field, follow, force_login_cookie

pytestmark = pytest.mark.e2e


@pytest.fixture
def reader(transactional_db):
    user = e2e_make_user(email="nora.nachricht@example.org", name="Nora Nachricht")
    for n, town in enumerate(["Ahornstadt", "Buchenfeld", "Cedernheim"]):
        notify(
            kind="profile-submitted",
            recipients=[user],
            key=f"e2e:{n}",
            params={"municipality": town},
            link="/",
        )
    return user


@pytest.mark.parametrize("language", ["de", "en"])
def test_notifications_in_the_browser(language, reader, live_server, context, page):
    base = live_server.url
    force_login_cookie(context, base, reader)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/")
    link = page.locator("header a[href='/notifications/']")
    name = link.inner_text()
    expected = "3 ungelesene Benachrichtigungen" if language == "de" else "3 unread notifications"
    assert expected in name
    axe_check(page, label=f"home with unread count ({language})")

    follow(page, link)
    assert page.locator("main ul.notification-list > li").count() == 3
    axe_check(page, label=f"notification list ({language})")
    button = page.locator("main ul.notification-list button").first
    assert "Cedernheim" in button.inner_text() or "Cedernheim" in (button.text_content() or "")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("main .notification--unread").count() == 2
    page.set_viewport_size({"width": 320, "height": 700})
    assert not document_overflow(page), document_overflow(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(f"{base}/notifications/settings/")
    field(page, "delivery").select_option("daily")
    field(page, "language").select_option("en")
    follow(page, page.locator("main form button[type=submit]").first)
    reader.refresh_from_db()
    assert reader.language == "en"
    axe_check(page, label=f"notification settings saved ({language})")
    page.set_viewport_size({"width": 320, "height": 700})
    assert not document_overflow(page), document_overflow(page)

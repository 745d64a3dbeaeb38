"""Answering a survey through an anonymous link in Chromium, with the keyboard only.

Tab moves between questions, the arrow keys choose on a scale, Space ticks, Enter presses the
focused button. axe-core checks every step, the error summary and the thank-you page.
"""

import pytest

from evaluations import services
from evaluations.models import Response, SurveyLink

from ..evaluations.builders import make_survey
from .conftest import axe_check, document_overflow, field, follow, force_login_cookie, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def e2e_link(e2e_participation):
    survey = make_survey(e2e_participation.cohort)
    link = services.links_create(
        survey=survey, count=1, municipality=e2e_participation.municipality
    )[0]
    return survey, link


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                    value: el.value ?? null, checked: !!el.checked,
                    href: el.getAttribute('href'), text: el.innerText || ''};
        }"""
    )


def _tab_to(page, wanted, limit: int = 40) -> dict:
    """Press Tab until the focused element matches `wanted` (a predicate on _focused)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the element; last focus: {_focused(page)}")


def _press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _checked(page, name: str) -> list[str]:
    return page.eval_on_selector_all(
        f"input[name='{name}']:checked", "els => els.map(e => e.value)"
    )


def test_answer_a_survey_by_link_with_the_keyboard_only(e2e_link, live_server, page):
    survey, link = e2e_link
    url = f"{live_server.url}/s/{services.link_token(link)}/"
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "de"
    progress = page.locator("main progress")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("1", "2")
    axe_check(page, label="survey section 1")
    shot(page, "50-survey-section-1")

    # the skip link comes first and leads into the page
    page.keyboard.press("Tab")
    assert _focused(page)["href"] == "#main"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"

    # "next" without the required answer: an error summary that links to the question
    _tab_to(page, lambda f: f["tag"] == "button" and f["value"] == "next")
    _press_enter_and_wait(page)
    summary = page.locator("#survey-errors")
    assert summary.is_visible()
    assert _focused(page)["id"] == "survey-errors", "the summary takes the focus"
    axe_check(page, label="survey section 1 with errors")
    shot(page, "51-survey-errors")
    focused = _tab_to(page, lambda f: f["tag"] == "a", limit=3)
    assert focused["href"] == "#id_a-q_agree_0"
    page.keyboard.press("Enter")

    # q_agree −2…+2: into the group with Tab, three steps right: 1
    focused = _tab_to(page, lambda f: f["name"] == "a-q_agree")
    assert focused["value"] == "-2"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert _checked(page, "a-q_agree") == ["1"]
    # q_sat 1–5: the next Tab leaves the group for the next question
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "a-q_sat"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _checked(page, "a-q_sat") == ["4"]
    # q_role: a single choice
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "a-q_role"
    page.keyboard.press("ArrowDown")
    assert _checked(page, "a-q_role") == ["politik"]
    page.keyboard.press("Tab")
    assert _focused(page)["value"] == "next", "after the last question comes the next button"
    _press_enter_and_wait(page)

    assert "section=2" in page.url
    axe_check(page, label="survey section 2")
    shot(page, "52-survey-section-2")
    # q_formats: tick workshop and consultation
    focused = _tab_to(page, lambda f: f["name"] == "a-q_formats")
    assert focused["value"] == "workshop"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _focused(page)["value"] == "beratung"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "a-q_hours"
    page.keyboard.type("2,5")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "a-q_comment"
    page.keyboard.type("Gern wieder")

    # back to section 1 and forth again: nothing is lost
    _tab_to(page, lambda f: f["tag"] == "button" and f["value"] == "previous")
    _press_enter_and_wait(page)
    assert _checked(page, "a-q_agree") == ["1"]
    _tab_to(page, lambda f: f["tag"] == "button" and f["value"] == "next")
    _press_enter_and_wait(page)
    assert _checked(page, "a-q_formats") == ["workshop", "beratung"]
    assert page.locator("[name='a-q_comment']").input_value() == "Gern wieder"

    focused = _tab_to(page, lambda f: f["tag"] == "button" and f["value"] == "submit")
    _press_enter_and_wait(page)
    assert page.url == url
    assert page.locator("main .kern-alert--success").count() == 1  # the thank-you page
    assert page.locator("main form").count() == 0
    axe_check(page, label="survey thank-you page")
    shot(page, "53-survey-thanks")

    response = Response.objects.get(survey=survey)
    assert response.answers.count() == 7  # q_agree, q_sat, q_role, 2 formats, hours, comment
    assert SurveyLink.objects.get(pk=link.pk).used

    # the link is spent: a calm page, no form
    page.goto(url)
    assert page.locator("main form").count() == 0
    axe_check(page, label="survey already answered")


def test_the_language_switch_on_the_answer_page(e2e_link, live_server, page):
    survey, link = e2e_link
    url = f"{live_server.url}/s/{services.link_token(link)}/?section=2"
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_text("Wie viele Stunden pro Woche?").count() == 1

    switch = page.locator("header a[hreflang=en]")
    assert switch.get_attribute("lang") == "en"
    with page.expect_navigation():
        switch.click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == url, "the switch keeps the person on their section"
    assert page.get_by_text("How many hours per week?").count() == 1
    axe_check(page, label="survey section 2 in English")

    # and answering goes on in English: the form posts from the public page
    page.locator("[name='a-q_hours']").fill("3")
    with page.expect_navigation():
        page.locator("button[value=save]").click()
    assert "Your answers have been saved" in page.inner_text("main")
    assert page.locator("[name='a-q_hours']").input_value() == "3"


def test_the_answer_page_fits_a_phone_with_large_targets(e2e_link, live_server, page):
    survey, link = e2e_link
    page.set_viewport_size({"width": 320, "height": 640})
    url = f"{live_server.url}/s/{services.link_token(link)}/"
    # Before the web font has loaded (a slow phone, a busy server) the page shows the fallback
    # font, here DejaVu Sans, which is wider than Fira Sans: the page must fit with either.
    page.route("**/*.woff2", lambda route: route.abort())
    page.goto(url)
    assert page.evaluate("() => document.fonts.check('16px \"Fira Sans\"')") is False
    overflow = document_overflow(page)
    assert not overflow, f"no sideways scrolling on a small phone (fallback font): {overflow}"
    page.unroute("**/*.woff2")
    page.goto(url)
    page.evaluate("() => document.fonts.ready")
    overflow = document_overflow(page)
    assert not overflow, f"no sideways scrolling on a small phone: {overflow}"
    # every answer option and button is a target of at least 44 × 44 CSS pixels
    sizes = page.eval_on_selector_all(
        ".survey-scale__option, .survey-choices .kern-form-check, .survey-actions .kern-btn",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent.trim().slice(0, 20), r.width, r.height]; })",
    )
    assert len(sizes) == 5 + 5 + 3 + 2
    small = [s for s in sizes if s[1] < 44 or s[2] < 44]
    assert not small, small
    axe_check(page, label="survey section 1 on a phone")
    shot(page, "54-survey-phone")


def test_the_distribution_page_and_the_printed_batch(e2e_link, e2e_coordinator, live_server, page):
    """Not keyboard-only: the coordinator's pages, checked by axe, with a batch printed."""
    survey, _link = e2e_link
    force_login_cookie(page.context, live_server.url, e2e_coordinator)
    cohort = survey.cohort
    page.goto(
        f"{live_server.url}/labs/{cohort.lab.slug}/cohorts/{cohort.slug}/surveys/"
        f"{survey.slug}/links/"
    )
    axe_check(page, label="distribution page")
    field(page, "batch-count").fill("4")
    field(page, "batch-group").fill("Workshop März")
    follow(page, page.locator("main form:has([name='batch-count']) button[type=submit]"))
    axe_check(page, label="distribution page with two batches")
    shot(page, "55-survey-distribution")

    follow(page, page.locator("main table a[href$='/links/2/print/']"))
    assert page.locator("svg.qr-code").count() == 4
    axe_check(page, label="printed batch")
    shot(page, "56-survey-print")

"""Two tandem members edit step 1 at once in two browsers: the refused save asks per field, with
the keyboard, which version to keep; a further change meanwhile asks again; nothing is lost."""

import pytest

from missions.models import MissionProfile
from tandems import services as tandem_services

from .conftest import axe_check, e2e_make_user, force_login_cookie, shot, sideways

pytestmark = pytest.mark.e2e

QUESTION = "{label}: Welche Fassung soll gespeichert werden?"


@pytest.fixture
def e2e_members(e2e_participation):
    members = []
    for email, name in (("tilda@example.org", "Tilda Tandem"), ("zora@example.org", "Zora Zwei")):
        user = e2e_make_user(email=email, name=name)
        tandem_services.tandem_member_add(
            participation=e2e_participation, user=user, department="Personalamt"
        )
        members.append(user)
    return members


def _open_step_1(browser, browser_context_args, base: str, user, url: str):
    context = browser.new_context(**browser_context_args)
    force_login_cookie(context, base, user)
    page = context.new_page()
    page.goto(url)
    return page


def _save(page) -> None:
    page.locator("#vision-save").focus()
    page.keyboard.press("Enter")


def _choose(page, label: str, choice: str) -> None:
    """Pick a version with the keyboard, in the radio group the field's question names."""
    group = page.get_by_role("group", name=QUESTION.format(label=label))
    group.get_by_role("radio", name=choice).focus()
    page.keyboard.press("Space")


def test_conflict_with_a_choice_per_field(
    e2e_participation, e2e_members, live_server, browser, browser_context_args
):
    tilda, zora = e2e_members
    base = live_server.url
    url = (
        f"{base}/labs/innolab-ost/cohorts/kohorte-1/municipalities/"
        f"{e2e_participation.pk}/mission/vision/"
    )
    mine = _open_step_1(browser, browser_context_args, base, tilda, url)
    theirs = _open_step_1(browser, browser_context_args, base, zora, url)

    theirs.fill("[name=vision]", "Zoras Vision")
    theirs.fill("[name=stakeholders]", "Personalrat")
    _save(theirs)
    theirs.wait_for_selector("text=Gespeichert um")

    mine.fill("[name=vision]", "Tildas Vision")
    mine.fill("[name=challenge]", "Tildas Herausforderung")
    _save(mine)
    conflict = mine.locator(".edit-conflict")
    conflict.wait_for()
    # only what Zora changed, with her name; Tilda's typing is still in the form
    legends = conflict.locator("legend").all_inner_texts()
    assert legends == [QUESTION.format(label="Vision"), QUESTION.format(label="Akteur*innen")]
    assert "Zora Zwei" in conflict.inner_text()
    assert mine.input_value("[name=vision]") == "Tildas Vision"
    assert mine.input_value("[name=challenge]") == "Tildas Herausforderung"
    stakeholders = mine.get_by_role("group", name=QUESTION.format(label="Akteur*innen"))
    assert stakeholders.get_by_role("radio", name="Deren Fassung übernehmen").is_checked()
    axe_check(mine, label="conflict")
    _choose(mine, "Vision", "Meine Fassung behalten")

    # Zora saves once more before Tilda does: Tilda is asked again, her choices still made
    theirs.fill("[name=target_groups]", "Neuzugewanderte")
    _save(theirs)
    theirs.wait_for_function(
        "() => document.querySelector('#vision-form [name=version]').value === '3'"
    )
    _save(mine)
    mine.wait_for_selector(f"legend:has-text('{QUESTION.format(label='Zielgruppen')}')")
    profile = MissionProfile.objects.get(participation=e2e_participation)
    assert (profile.vision, profile.challenge) == ("Zoras Vision", "")
    assert mine.input_value("[name=vision]") == "Tildas Vision"
    vision = mine.get_by_role("group", name=QUESTION.format(label="Vision"))
    assert vision.get_by_role("radio", name="Meine Fassung behalten").is_checked()
    shot(mine, "edit-conflict-second-refusal")
    axe_check(mine, label="conflict again")
    mine.set_viewport_size({"width": 320, "height": 800})  # a phone: no sideways scrolling
    assert sideways(mine) == ""
    shot(mine, "edit-conflict-320")

    _choose(mine, "Zielgruppen", "Deren Fassung übernehmen")
    _save(mine)
    mine.wait_for_selector("text=Gespeichert um")
    profile.refresh_from_db()
    assert (profile.vision, profile.challenge, profile.stakeholders, profile.target_groups) == (
        "Tildas Vision",
        "Tildas Herausforderung",
        "Personalrat",
        "Neuzugewanderte",
    )
    axe_check(mine, label="saved after the conflict")

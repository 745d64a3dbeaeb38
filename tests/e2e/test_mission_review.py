"""The review as the roles do it (issue 16): after a return, the tandem finds the submit button
disabled with the reason, follows the link of "Ziel 2: Frist fehlt" to the goal, adds the
deadline, submits with a reply and then finds the profile locked with a withdraw button; the
coordinator reads the reply beside the comment and opens what changed since the return."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from missions import services as mission_services
from missions.models import MissionProfile, ProfileStatus, ReviewAction
from tandems import services as tandem_services

from .conftest import axe_check, e2e_make_user, follow, force_login_cookie, shot

pytestmark = pytest.mark.e2e

GOAL = {
    "statement": "Mehr Auszubildende mit Einwanderungsgeschichte",
    "indicator": "Anteil an den Auszubildenden",
    "unit": "%",
    "baseline": 12,
    "target": 25,
    "deadline": datetime.date(2027, 12, 31),
    "owner": "Personalamt",
    "achievability": "Kooperation mit Schulen",
    "relevance": "Nachwuchs aus der ganzen Stadt",
}
SECOND = "Mehrsprachige Bürgerberatung im Rathaus"


@pytest.fixture
def returned_profile(e2e_participation, e2e_coordinator):
    """Eichenau's profile, submitted once and returned; since then a second goal without
    a deadline."""
    member = e2e_make_user(email="tandem.ost@example.org", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=member, department="Personalamt"
    )
    profile = MissionProfile.objects.get(participation=e2e_participation)
    profile = mission_services.profile_update(
        profile=profile,
        user=member,
        expected_version=None,
        vision="Eine Verwaltung, in der sich alle wiederfinden.",
        mission_statement="Bis 2027 öffnen wir die Ausbildung.",
    )
    mission_services.goal_create(profile=profile, user=member, **GOAL)
    profile = mission_services.profile_review(profile=profile, user=member, action="submit")
    mission_services.profile_review(
        profile=profile,
        user=e2e_coordinator,
        action="return",
        comment="Bitte ergänzen Sie ein Ziel zur Beratung.",
    )
    mission_services.goal_create(
        profile=profile,
        user=member,
        **{**GOAL, "statement": SECOND, "indicator": "Beratungen pro Monat", "deadline": None},
    )
    return member, profile


def test_tandem_fixes_the_missing_deadline_replies_and_the_coordinator_sees_the_change(
    returned_profile, e2e_coordinator, live_server, page, context, browser
):
    member, profile = returned_profile
    base = live_server.url
    prefix = (
        f"/labs/innolab-ost/cohorts/kohorte-1/municipalities/{profile.participation_id}/mission"
    )
    force_login_cookie(context, base, member)

    # The overview: the submit button is disabled and says why; the check names goal 2.
    page.goto(f"{base}{prefix}/")
    submit_button = page.locator("#review-submit")
    expect(submit_button).to_be_disabled()
    expect(submit_button).to_have_attribute("aria-describedby", re.compile("submit-blocked"))
    expect(page.locator("#submit-blocked")).to_be_visible()
    problem = page.locator("#submission-problems a", has_text="Ziel 2: Frist fehlt")
    expect(problem).to_have_count(1)
    axe_check(page, label="overview, deadline missing")

    # Follow the link to the goal and add the deadline.
    follow(page, problem)
    assert "/goals/" in page.url and page.url.endswith("-deadline")
    deadline = page.locator("input[name$='-deadline']")
    expect(deadline).to_be_visible()
    axe_check(page, label="goal form from the submit check")
    deadline.fill("2027-06-30")
    follow(page, page.locator("main form button[type=submit]").first)
    second = profile.goals.get(statement=SECOND)
    assert second.deadline == datetime.date(2027, 6, 30)
    axe_check(page, label="goals after the fix")

    # Back on the overview: the check is complete; answer the comment and submit.
    page.goto(f"{base}{prefix}/")
    expect(page.locator("#submission-problems")).to_have_count(0)
    expect(page.get_by_text("Bitte ergänzen Sie ein Ziel zur Beratung.").first).to_be_visible()
    page.locator("[name='review-reply']").fill("Ziel 2 zur Beratung ist ergänzt.")
    follow(page, page.locator("#review-submit"))
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED
    submission = profile.reviews.filter(action=ReviewAction.SUBMIT).first()
    assert submission.comment == "Ziel 2 zur Beratung ist ergänzt."
    assert submission.reply_to is not None
    axe_check(page, label="overview, submitted")

    # Submitted: the steps show the notice and the withdraw button instead of forms.
    page.goto(f"{base}{prefix}/vision/")
    expect(page.locator("#awaiting-review")).to_contain_text("liegt zur Prüfung vor")
    expect(page.locator("#review-withdraw")).to_be_visible()
    expect(page.locator("#vision-form")).to_have_count(0)
    shot(page, "mission-review-locked")
    axe_check(page, label="step 1 while submitted")

    # The coordinator: the reply beside the comment, and what changed since the return.
    coordination = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    force_login_cookie(coordination, base, e2e_coordinator)
    reviewer = coordination.new_page()
    reviewer.goto(f"{base}{prefix}/")
    dialogue = reviewer.locator("#review-dialogue")
    expect(dialogue).to_contain_text("Bitte ergänzen Sie ein Ziel zur Beratung.")
    expect(dialogue).to_contain_text("Ziel 2 zur Beratung ist ergänzt.")
    axe_check(reviewer, label="reviewer's overview")
    follow(reviewer, reviewer.locator("#changes-since-return"))
    assert "/history/compare/" in reviewer.url
    expect(reviewer.locator("main")).to_contain_text(SECOND)
    shot(reviewer, "mission-review-changes-since-return")
    axe_check(reviewer, label="changes since the return")
    coordination.close()

# ruff: noqa: F811  the fixtures of test_measures_review are imported and used as arguments
"""The review without dead ends (issue 16): while submitted the profile cannot be changed (the
notice and "withdraw" instead of forms), the submit check names each goal's missing field with a
link, the tandem answers the return comment when submitting again, and the reviewer sees the
reply next to the comment and what changed since the return."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import (
    Measure,
    ProfileStatus,
    ReviewAction,
    ReviewEvent,
    SmartGoal,
)
from missions.services import ProfileAwaitsReview
from notifications.models import Notification

from ..helpers import assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_measures_review import (  # noqa: F401  fixtures
    HX,
    goal_a,
    measure_a,
    mission_a,
    purl,
    review,
)

pytestmark = pytest.mark.django_db

NOTICE = "The mission profile has been submitted for review and cannot be changed now."


@pytest.fixture
def submitted_a(mission_a, goal_a, measure_a, tandem_a):
    return services.profile_review(profile=mission_a, user=tandem_a, action="submit")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- services: nothing changes while submitted -------------------------------------------------


def test_services_refuse_every_change_while_submitted(
    submitted_a,
    goal_a,
    measure_a,
    tandem_a,
):
    profile = submitted_a
    changes = [
        lambda: services.profile_update(
            profile=profile, user=tandem_a, expected_version=None, vision="Neu"
        ),
        lambda: services.goal_create(profile=profile, user=tandem_a, statement="Neu"),
        lambda: services.goal_update(
            goal=goal_a, user=tandem_a, expected_version=None, statement="Neu"
        ),
        lambda: services.goal_delete(goal=goal_a, user=tandem_a),
        lambda: services.progress_add(goal=goal_a, user=tandem_a, value=1, on=timezone.localdate()),
        lambda: services.measure_create(profile=profile, user=tandem_a, title="Neu"),
        lambda: services.measure_update(
            measure=measure_a, user=tandem_a, expected_version=None, title="Neu"
        ),
        lambda: services.measure_set_status(measure=measure_a, user=tandem_a, status="in_progress"),
        lambda: services.measure_delete(measure=measure_a, user=tandem_a),
        lambda: services.profile_restore(profile=profile, user=tandem_a, moment=timezone.now()),
    ]
    for change in changes:
        with pytest.raises(ProfileAwaitsReview):
            change()
    assert fresh(profile).vision == "Ahornstadt ist eine Verwaltung für alle."
    assert SmartGoal.objects.filter(profile=profile).count() == 1
    assert fresh(goal_a).statement != "Neu"
    assert Measure.objects.get(pk=measure_a.pk).title == "Lotsenprogramm starten"
    assert not goal_a.progress_updates.exists()
    # sharing changes nothing the coordination office reviews
    services.profile_share(profile=profile, user=tandem_a, shared=True)
    assert fresh(profile).shared_with_cohort


def test_withdraw_takes_the_profile_back_to_draft_and_is_recorded(
    submitted_a, tandem_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_withdraw(profile=submitted_a, user=tandem_a)
    profile = fresh(submitted_a)
    assert profile.status == ProfileStatus.DRAFT
    step = profile.reviews.first()
    assert (step.action, step.by) == (ReviewAction.WITHDRAW, tandem_a)
    assert set(
        Notification.objects.filter(kind="profile-withdrawn").values_list("recipient", flat=True)
    ) == {coordinator.pk}
    # changeable again; a second withdrawal is not possible
    services.profile_update(profile=profile, user=tandem_a, expected_version=None, vision="Neu")
    with pytest.raises(ValidationError):
        services.profile_withdraw(profile=fresh(profile), user=tandem_a)
    assert fresh(profile).status == ProfileStatus.DRAFT


# --- pages: notice and withdraw instead of forms, never a 403 for the tandem -------------------


def _edit_posts(profile, goal, measure):
    p = profile.participation
    return [
        (purl("mission_step_vision", p), {"vision": "Neu", "version": profile.version}),
        (purl("mission_step_goals", p), {"new-goal-statement": "Neu"}),
        (purl("mission_goal_edit", p, goal.pk), {f"goal-{goal.pk}-statement": "Neu"}),
        (purl("mission_goal_delete", p, goal.pk), {}),
        (purl("mission_goal_progress", p, goal.pk), {"progress-value": "1"}),
        (purl("mission_step_mission", p), {"mission-mission_statement": "Neu"}),
        (purl("mission_measure_create", p), {"new-measure-title": "Neu"}),
        (purl("mission_measure_edit", p, measure.pk), {"measure-title": "Neu"}),
        (purl("mission_measure_status", p, measure.pk), {f"status-{measure.pk}-status": "done"}),
        (purl("mission_measure_delete", p, measure.pk), {}),
        (purl("mission_restore", p), {"at": timezone.now().isoformat()}),
    ]


def test_tandem_cannot_post_edits_while_submitted(
    client_as,
    submitted_a,
    goal_a,
    measure_a,
):
    client = client_as("tandem_a")
    before = fresh(submitted_a).version
    for url, data in _edit_posts(submitted_a, goal_a, measure_a):
        response = client.post(url, data)
        assert response.status_code == 409, url
        body = text(response)
        assert NOTICE in body and "Your change was not saved." in body, url
        assert 'id="review-withdraw"' in body, url
        # after withdrawing, back to the profile (some of these URLs take only POSTs)
        assert f'name="next" value="{purl("mission_profile", submitted_a.participation)}"' in body
    assert fresh(submitted_a).version == before
    assert fresh(goal_a).statement == goal_a.statement
    assert Measure.objects.filter(pk=measure_a.pk, title=measure_a.title).exists()
    assert SmartGoal.objects.filter(profile=submitted_a).count() == 1


def test_htmx_edit_while_submitted_goes_to_the_page_showing_the_notice(
    client_as,
    submitted_a,
    goal_a,
):
    goals_url = purl("mission_step_goals", submitted_a.participation)
    client = client_as("tandem_a")
    response = client.post(
        purl("mission_goal_edit", submitted_a.participation, goal_a.pk),
        {f"goal-{goal_a.pk}-statement": "Neu"},
        headers={**HX, "HX-Current-URL": f"http://testserver{goals_url}"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == goals_url
    page = text(client.get(goals_url))
    assert NOTICE in page and "Your change was not saved." in page


def test_edit_pages_show_the_notice_instead_of_forms(
    client_as,
    submitted_a,
    goal_a,
    measure_a,
):
    p = submitted_a.participation
    client = client_as("tandem_a")
    for name, extra, form_marker in [
        ("mission_step_vision", (), 'id="vision-form"'),
        ("mission_step_goals", (), 'id="goal-add"'),
        ("mission_step_mission", (), 'id="mission-save"'),
        ("mission_goal_progress", (goal_a.pk,), 'name="progress-value"'),
        ("mission_goal_edit", (goal_a.pk,), 'id="goal-'),
        ("mission_goal_delete", (goal_a.pk,), "Delete goal"),
        ("mission_measure_create", (), 'id="measure-add-save"'),
        ("mission_measure_edit", (measure_a.pk,), 'id="measure-save"'),
        ("mission_history", (), "Restore"),
    ]:
        url = purl(name, p, *extra)
        response = client.get(url)
        assert response.status_code == 200, url
        body = text(response)
        assert NOTICE in body and 'id="review-withdraw"' in body, url
        assert form_marker not in body, url
        assert f'name="next" value="{url}"' in body, url  # back to this page after withdrawing
    # the coordination office reads the profile as before: no notice, no withdraw button
    body = text(client_as("coordinator").get(purl("mission_step_vision", p)))
    assert NOTICE not in body and "review-withdraw" not in body


def test_withdraw_through_the_page(client_as, submitted_a, goal_a):
    p = submitted_a.participation
    url = purl("mission_withdraw", p)
    goals_url = purl("mission_step_goals", p)
    assert client_as("tandem_a").get(url).status_code == 405
    assert_login_required(client_as("anonymous").post(url))
    # the coordination office returns a profile, it does not withdraw it; others never see it
    assert client_as("coordinator").post(url).status_code == 403
    assert client_as("tandem_b").post(url).status_code == 404
    assert client_as("outsider").post(url).status_code == 404
    assert fresh(submitted_a).status == ProfileStatus.SUBMITTED
    # nor through the review form
    response = review(client_as("coordinator"), submitted_a, "withdraw")
    assert response.status_code == 200 and response.context["form"].errors
    assert fresh(submitted_a).status == ProfileStatus.SUBMITTED

    response = client_as("tandem_a").post(url, {"next": goals_url}, follow=True)
    assert response.redirect_chain == [(goals_url, 302)]
    assert fresh(submitted_a).status == ProfileStatus.DRAFT
    body = text(response)
    assert "The submission was withdrawn" in body and NOTICE not in body
    assert 'id="goal-add"' in body  # editable again
    assert ReviewEvent.objects.filter(action=ReviewAction.WITHDRAW).count() == 1

    # a draft has nothing to withdraw: a message, no step recorded
    response = client_as("tandem_a").post(url, follow=True)
    assert "This step is not possible" in text(response)
    assert ReviewEvent.objects.filter(action=ReviewAction.WITHDRAW).count() == 1


# --- the submit check: per goal, with links; the button says why it is disabled -----------------


def test_submit_block_lists_each_goal_gap_with_a_link(client_as, mission_a, goal_a, tandem_a):
    second = services.goal_create(
        profile=mission_a, user=tandem_a, statement="Zweites Ziel", indicator="Anzahl", target=5
    )
    services.profile_update(profile=mission_a, user=tandem_a, expected_version=None, vision="")
    p = mission_a.participation
    response = client_as("tandem_a").get(purl("mission_step_mission", p))
    body = text(response)
    edit = purl("mission_goal_edit", p, second.pk)
    items = re.findall(r'<li><a class="kern-link" href="([^"]+)">([^<]+)</a></li>', body)
    assert items == [
        (purl("mission_step_vision", p) + "#id_vision", "The vision is missing."),
        (f"{edit}#id_goal-{second.pk}-deadline", "Goal 2: deadline missing"),
    ]
    button = re.search(r'<button[^>]*id="review-submit"[^>]*>', body).group(0)
    assert "disabled" in button
    assert 'aria-describedby="submit-blocked submission-check-heading"' in button
    assert 'id="submit-blocked"' in body and "Submitting is possible as soon as" in body
    # the link leads to the goal's form with the field
    assert f'id="id_goal-{second.pk}-deadline"' in text(client_as("tandem_a").get(edit))

    # German, as the example of the issue
    client = client_as("tandem_a")
    client.cookies["django_language"] = "de"
    body = text(client.get(purl("mission_step_mission", p), headers={"Accept-Language": "de"}))
    assert "Ziel 2: Frist fehlt" in body


def test_submit_button_is_enabled_when_nothing_is_missing(client_as, mission_a, goal_a):
    body = text(client_as("tandem_a").get(purl("mission_profile", mission_a.participation)))
    button = re.search(r'<button[^>]*id="review-submit"[^>]*>', body).group(0)
    assert "disabled" not in button and 'id="submit-blocked"' not in body


# --- reply to the return, what changed since ------------------------------------------------------


def test_reply_to_the_return_is_stored_shown_and_notified_once(
    client_as, submitted_a, tandem_a, coordinator, django_capture_on_commit_callbacks
):
    p = submitted_a.participation
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            review(client_as("coordinator"), submitted_a, "return", "Vision schärfen").status_code
            == 302
        )
    returned = ReviewEvent.objects.get(action=ReviewAction.RETURN)
    tandem = client_as("tandem_a")
    page = text(tandem.get(purl("mission_step_mission", p)))
    assert 'name="review-reply"' in page and "Vision schärfen" in page
    services.profile_update(
        profile=fresh(submitted_a), user=tandem_a, expected_version=None, vision="Geschärft"
    )

    data = {"review-action": "submit", "review-reply": "Vision ist geschärft."}
    with django_capture_on_commit_callbacks(execute=True):
        assert tandem.post(purl("mission_review", p), data).status_code == 302
        # the same step again is refused and notifies nobody
        assert tandem.post(purl("mission_review", p), data).status_code == 200
    submission = ReviewEvent.objects.filter(action=ReviewAction.SUBMIT).first()
    assert (submission.comment, submission.reply_to) == ("Vision ist geschärft.", returned)
    replies = Notification.objects.filter(kind="review-reply")
    assert list(replies.values_list("recipient", flat=True)) == [coordinator.pk]
    # one notification for the resubmission: the reply, not also "submitted"
    assert Notification.objects.filter(kind="profile-submitted").count() == 1
    assert "answered your comments" in text(
        client_as("coordinator").get(reverse("notification_list"))
    )

    reviewer_page = client_as("coordinator").get(purl("mission_profile", p))
    body = text(reviewer_page)
    assert "Vision schärfen" in body and "Vision ist geschärft." in body
    link = re.search(r'id="changes-since-return" href="([^"]+)"', body).group(1)
    compare = client_as("coordinator").get(link.replace("&amp;", "&"))
    assert compare.status_code == 200
    changes = text(compare)
    assert "Geschärft" in changes and "Ahornstadt ist eine Verwaltung für alle." in changes
    # the tandem's own review history marks the reply
    assert "Reply to the comments:" in text(tandem.get(purl("mission_profile", p)))


def test_resubmission_without_reply_still_offers_the_changes(
    client_as, submitted_a, tandem_a, coordinator
):
    services.profile_review(profile=submitted_a, user=coordinator, action="return", comment="X")
    services.profile_review(profile=fresh(submitted_a), user=tandem_a, action="submit")
    body = text(client_as("coordinator").get(purl("mission_profile", submitted_a.participation)))
    assert "without a reply" in body and 'id="changes-since-return"' in body
    assert not ReviewEvent.objects.filter(reply_to__isnull=False).exists()


def test_first_submission_shows_no_comparison(client_as, submitted_a):
    body = text(client_as("coordinator").get(purl("mission_profile", submitted_a.participation)))
    assert "changes-since-return" not in body and "review-dialogue" not in body


def test_reply_field_only_after_a_return(client_as, mission_a, goal_a):
    body = text(client_as("tandem_a").get(purl("mission_profile", mission_a.participation)))
    assert 'name="review-reply"' not in body

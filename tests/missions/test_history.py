"""History of a mission profile: the list of changes, the profile as of a moment, the comparison
of two moments and restoring an old state; who may do which."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.history import HISTORY_PAGE_SIZE, inline_diff, moment_param, parse_moment
from missions.models import Measure, MissionProfile, SmartGoal

from ..helpers import assert_constant_queries, assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def profile_url(name: str, participation) -> str:
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk])


@pytest.fixture
def profile(personas, participation_a) -> MissionProfile:
    # as missions.permissions.access_profile creates it on the first visit
    profile, _created = MissionProfile.objects.get_or_create(participation=participation_a)
    return profile


@pytest.fixture
def story(profile, tandem_a):
    """A profile written in three saves, with the moments between them.

    before: nothing written; t1: vision "Alte Vision", goal 1 "Ursprüngliches Ziel", measure
    "Fortbildung"; then the vision, goal 1 change, goal 2 is added and the measure deleted.
    """
    before = timezone.now()
    profile = services.profile_update(
        profile=profile, user=tandem_a, expected_version=None, vision="Alte Vision für alle"
    )
    goal = services.goal_create(
        profile=profile, user=tandem_a, statement="Ursprüngliches Ziel", indicator="Quote"
    )
    measure = services.measure_create(
        profile=profile, user=tandem_a, title="Fortbildung", responsible="Personalamt"
    )
    t1 = timezone.now()
    profile = services.profile_update(
        profile=profile, user=tandem_a, expected_version=None, vision="Neue Vision für alle"
    )
    goal = services.goal_update(
        goal=goal, user=tandem_a, expected_version=None, statement="Geändertes Ziel"
    )
    goal_2 = services.goal_create(profile=profile, user=tandem_a, statement="Zweites Ziel")
    measure_id = measure.pk
    services.measure_delete(measure=measure, user=tandem_a)
    t2 = timezone.now()
    return {
        "profile": profile,
        "goal": goal,
        "goal_2": goal_2,
        "measure_id": measure_id,
        "before": before,
        "t1": t1,
        "t2": t2,
    }


# --- moments ------------------------------------------------------------------------------------


def test_parse_moment_date_means_end_of_day_in_berlin():
    moment = parse_moment("2025-03-01")
    assert moment.astimezone(BERLIN) == dt.datetime(2025, 3, 1, 23, 59, 59, 999999, tzinfo=BERLIN)


def test_parse_moment_minute_means_end_of_minute_in_berlin():
    moment = parse_moment("2025-07-01T10:15")
    assert moment.astimezone(BERLIN) == dt.datetime(2025, 7, 1, 10, 15, 59, 999999, tzinfo=BERLIN)


def test_parse_moment_exact_values_round_trip():
    now = timezone.now()
    assert parse_moment(moment_param(now)) == now
    assert parse_moment("2025-07-01T08:15:00+00:00") == dt.datetime(
        2025, 7, 1, 8, 15, tzinfo=dt.UTC
    )


@pytest.mark.parametrize(
    "value",
    ["", "   ", "gestern", "2025-02-30", "2025-13-01", "01.03.2025", "0001-01-01", "9999-12-31",
     "2025-03-01T25:00", "x" * 500, "2025-03-01T10:15+01:00 ", "2025-03-01T10:15 01:00"],
)  # fmt: skip
def test_parse_moment_rejects_what_is_no_date(value):
    if value == "2025-03-01T10:15+01:00 ":
        assert parse_moment(value) is not None  # surrounding blanks are fine
        return
    assert parse_moment(value) is None


def test_inline_diff_marks_words_and_escapes():
    old, new = inline_diff("Alle <b>Menschen</b> sind gleich", "Alle Menschen sind gleich <i>&")
    assert "<del>" in old and "&lt;b&gt;Menschen&lt;/b&gt;" in old
    assert "<ins>" in new and "&lt;i&gt;&amp;" in new
    assert "<b>" not in old and "<i>" not in new
    assert old.startswith("Alle ")  # what stayed is not marked


# --- history list -------------------------------------------------------------------------------


def test_history_shows_who_when_what(client_as, participation_a, story):
    response = client_as("tandem_a").get(profile_url("mission_history", participation_a))

    assert response.status_code == 200
    entries = response.context["entries"]
    # newest first: the measure's deletion was the last save
    assert (entries[0].kind, entries[0].change_type) == ("measure", "-")
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert {e.user.name for e in entries if e.user} == {"Anna Ahorn"}
    vision_change = next(e for e in entries if e.kind == "profile" and e.changes)
    assert [c.name for c in vision_change.changes] == ["vision"]
    goal_change = next(e for e in entries if e.kind == "goal" and e.change_type == "~")
    assert [(c.name, c.old, c.new) for c in goal_change.changes] == [
        ("statement", "Ursprüngliches Ziel", "Geändertes Ziel")
    ]
    body = text(response)
    assert "Anna Ahorn" in body
    assert "Goal 1: Geändertes Ziel" in body
    assert "Goal 2: Zweites Ziel" in body
    assert "Measure “Fortbildung”" in body
    assert "deleted" in body and "created" in body
    plain = re.sub(r"<[^>]+>", "", body)
    assert re.search(r"Specific goal: Ursprüngliches Ziel\W+changed to\W+Geändertes Ziel", plain)
    # the time is shown in German time
    local = timezone.localtime(entries[0].at, BERLIN)
    assert local.strftime("%H:%M") in body


def test_history_records_status_and_sharing(client_as, participation_a, story, tandem_a):
    services.profile_share(profile=story["profile"], user=tandem_a, shared=True)
    response = client_as("coordinator").get(profile_url("mission_history", participation_a))
    first = response.context["entries"][0]
    assert first.kind == "profile"
    assert [(c.name, c.old, c.new) for c in first.changes] == [("shared_with_cohort", "no", "yes")]


def test_history_measure_goal_links_are_a_change(client_as, participation_a, story, tandem_a):
    services.measure_create(
        profile=story["profile"], user=tandem_a, title="Leitbild", goals=[story["goal"]]
    )
    response = client_as("tandem_a").get(profile_url("mission_history", participation_a))
    entries = response.context["entries"]
    assert entries[0].kind == "measure"
    assert [c.name for c in entries[0].changes] == ["goals"]
    assert entries[1].change_type == "+"


def test_history_paginates_and_htmx_gets_only_the_list(client_as, participation_a, story, tandem_a):
    goal = story["goal"]
    for i in range(HISTORY_PAGE_SIZE):
        goal = services.goal_update(goal=goal, user=tandem_a, expected_version=None, unit=f"E{i}")
    url = profile_url("mission_history", participation_a)
    client = client_as("tandem_a")

    first = client.get(url)
    second = client.get(url + "?page=2")
    partial = client.get(url + "?page=2", headers={"HX-Request": "true"})

    assert len(first.context["entries"]) == HISTORY_PAGE_SIZE
    assert first.context["entries"][0].changes[0].new == f"E{HISTORY_PAGE_SIZE - 1}"
    total = first.context["page_obj"].paginator.count
    assert len(second.context["entries"]) == total - HISTORY_PAGE_SIZE
    assert "Older changes" in text(first) and "Newer changes" in text(second)
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="history-list"')
    assert "<html" not in body
    assert partial["Vary"] and "HX-Request" in partial["Vary"]
    # a page number beyond the last shows the last page, nonsense the first
    assert client.get(url + "?page=999").context["page_obj"].number == 2
    assert client.get(url + "?page=abc").context["page_obj"].number == 1


def test_history_queries_constant(client_as, participation_a, story, tandem_a):
    def grow():
        profile = story["profile"]
        goal = story["goal"]
        for i in range(20):
            goal = services.goal_update(
                goal=goal, user=tandem_a, expected_version=None, owner=f"Person {i}"
            )
            measure = services.measure_create(
                profile=profile, user=tandem_a, title=f"Maßnahme {i}", goals=[goal]
            )
            services.measure_update(
                measure=measure, user=tandem_a, expected_version=None, responsible="Amt"
            )
            profile = services.profile_update(
                profile=profile, user=tandem_a, expected_version=None, risks=f"Risiko {i}"
            )

    assert_constant_queries(
        client_as("tandem_a"), profile_url("mission_history", participation_a), grow
    )


@pytest.mark.parametrize("name", ["mission_as_of", "mission_compare"])
def test_as_of_and_compare_queries_constant(client_as, participation_a, story, tandem_a, name):
    def grow():
        for i in range(15):
            goal = services.goal_create(
                profile=story["profile"], user=tandem_a, statement=f"Ziel {i}"
            )
            services.goal_update(goal=goal, user=tandem_a, expected_version=None, unit="%")
            services.measure_create(
                profile=story["profile"], user=tandem_a, title=f"Maßnahme {i}", goals=[goal]
            )

    moment = moment_param(timezone.now() + dt.timedelta(days=1))
    url = profile_url(name, participation_a) + f"?at={moment}&a={moment_param(story['t1'])}"
    assert_constant_queries(client_as("tandem_a"), url.replace("+", "%2B"), grow)


# --- as of --------------------------------------------------------------------------------------


def test_as_of_shows_the_old_texts(client_as, participation_a, story):
    url = profile_url("mission_as_of", participation_a)
    response = client_as("tandem_a").get(url, {"at": moment_param(story["t1"])})

    assert response.status_code == 200
    body = text(response)
    assert "Alte Vision für alle" in body
    assert "Neue Vision für alle" not in body
    assert "Ursprüngliches Ziel" in body
    assert "Geändertes Ziel" not in body and "Zweites Ziel" not in body
    assert "Fortbildung" in body
    snapshot = response.context["snapshot"]
    assert snapshot["profile"].vision == "Alte Vision für alle"
    assert [g.statement for g in snapshot["goals"]] == ["Ursprüngliches Ziel"]


def test_as_of_now_shows_the_current_state(client_as, participation_a, story):
    url = profile_url("mission_as_of", participation_a)
    response = client_as("coordinator").get(url, {"at": moment_param(story["t2"])})
    snapshot = response.context["snapshot"]
    assert snapshot["profile"].vision == "Neue Vision für alle"
    assert [g.statement for g in snapshot["goals"]] == ["Geändertes Ziel", "Zweites Ziel"]
    assert snapshot["measures"] == []
    # the coordinator may read but not restore
    assert "Restore the state" not in text(response)


def test_as_of_accepts_a_date(client_as, participation_a, story):
    today = timezone.localdate().isoformat()
    response = client_as("tandem_a").get(
        profile_url("mission_as_of", participation_a), {"at": today}
    )
    assert response.status_code == 200
    assert response.context["snapshot"]["profile"].vision == "Neue Vision für alle"


def test_as_of_without_a_moment_shows_the_form(client_as, participation_a, story):
    response = client_as("tandem_a").get(profile_url("mission_as_of", participation_a))
    assert response.status_code == 200
    assert response.context["snapshot"] is None
    assert response.context["error"] == ""


@pytest.mark.parametrize(
    "value", ["gestern", "2025-02-30", "31.12.2025", "<script>alert(1)</script>", "9" * 300]
)
def test_as_of_bad_dates_give_a_message(client_as, participation_a, story, value):
    response = client_as("tandem_a").get(
        profile_url("mission_as_of", participation_a), {"at": value}
    )
    assert response.status_code == 200
    assert "is not a date" in text(response)
    assert "<script>alert(1)" not in response.content.decode()


def test_as_of_before_the_profile_existed(client_as, participation_a, story):
    response = client_as("tandem_a").get(
        profile_url("mission_as_of", participation_a), {"at": "2001-01-01"}
    )
    assert response.status_code == 200
    assert "the profile did not exist yet" in text(response)


# --- compare ------------------------------------------------------------------------------------


def test_compare_marks_the_differences(client_as, participation_a, story):
    response = client_as("tandem_a").get(
        profile_url("mission_compare", participation_a),
        {"a": moment_param(story["t1"]), "b": moment_param(story["t2"])},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert '<del><span class="kern-sr-only">[removed:] </span>Alte</del>' in body
    assert '<ins><span class="kern-sr-only">[added:] </span>Neue</ins>' in body
    comparison = response.context["comparison"]
    vision = next(d for d in comparison["profile"] if d.label == "Vision")
    assert vision.changed
    assert not next(d for d in comparison["profile"] if d.label == "Risks").changed
    assert [(d.label, d.state) for d in comparison["goals"]] == [
        ("Goal 1: Geändertes Ziel", "changed"),
        ("Goal 2: Zweites Ziel", "added"),
    ]
    assert [(d.label, d.state) for d in comparison["measures"]] == [
        ("Measure “Fortbildung”", "removed")
    ]
    assert comparison["n_changes"] == 4
    assert "changed" in text(response) and "removed" in text(response)


def test_compare_same_moment_has_no_differences(client_as, participation_a, story):
    at = moment_param(story["t2"])
    response = client_as("coordinator").get(
        profile_url("mission_compare", participation_a), {"a": at, "b": at}
    )
    assert response.context["comparison"]["n_changes"] == 0


def test_compare_b_empty_means_now(client_as, participation_a, story):
    response = client_as("tandem_a").get(
        profile_url("mission_compare", participation_a), {"a": moment_param(story["t1"])}
    )
    assert response.context["comparison"]["n_changes"] == 4


@pytest.mark.parametrize(
    "params,message",
    [
        ({"a": "gestern", "b": "heute"}, "is not a date"),
        ({"b": "2025-01-01"}, "Please give the earlier moment (A)."),
        ({"a": "2001-01-01"}, "the profile did not exist yet"),
    ],
)
def test_compare_bad_moments_give_a_message(client_as, participation_a, story, params, message):
    response = client_as("tandem_a").get(profile_url("mission_compare", participation_a), params)
    assert response.status_code == 200
    assert message in text(response)
    assert response.context["comparison"] is None
    # listed in an error summary, linked to the input it is about, which is marked
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#a" data-error-link="a"' in body
    assert 'id="a" name="a"' in body and body.count('aria-invalid="true"') >= 1
    if params.get("b") == "heute":  # both moments are wrong: both are listed and linked
        assert 'href="#b" data-error-link="b"' in body


# --- restore ------------------------------------------------------------------------------------


def test_restore_brings_back_old_texts_and_deleted_objects(
    client_as, participation_a, story, tandem_a
):
    profile = story["profile"]
    changes_before = profile.history.count()
    client = client_as("tandem_a")

    response = client.post(
        profile_url("mission_restore", participation_a), {"at": moment_param(story["t1"])}
    )

    assert response.status_code == 302
    assert response["Location"] == profile_url("mission_history", participation_a)
    profile.refresh_from_db()
    assert profile.vision == "Alte Vision für alle"
    goals = list(SmartGoal.objects.filter(profile=profile))
    assert [g.statement for g in goals] == ["Ursprüngliches Ziel"]
    assert goals[0].pk == story["goal"].pk
    assert not SmartGoal.objects.filter(pk=story["goal_2"].pk).exists()
    measure = Measure.objects.get(pk=story["measure_id"])  # the deleted measure is back
    assert measure.title == "Fortbildung"
    # recorded as a new change, by the person who restored
    assert profile.history.count() == changes_before + 1
    assert profile.history.first().history_user == tandem_a
    assert SmartGoal.history.filter(id=story["goal_2"].pk).first().history_type == "-"
    history = client.get(response["Location"])
    assert "was restored. The restore is recorded as a new change" in text(history)
    assert history.context["entries"][0].user == tandem_a


def test_restore_of_a_deleted_goal(client_as, participation_a, story, tandem_a):
    goal_2_id = story["goal_2"].pk
    services.goal_delete(goal=story["goal_2"], user=tandem_a)
    assert not SmartGoal.objects.filter(pk=goal_2_id).exists()

    client_as("tandem_a").post(
        profile_url("mission_restore", participation_a), {"at": moment_param(story["t2"])}
    )

    restored = SmartGoal.objects.get(pk=goal_2_id)
    assert restored.statement == "Zweites Ziel"


def test_restore_can_be_undone(client_as, participation_a, story):
    client = client_as("tandem_a")
    url = profile_url("mission_restore", participation_a)
    client.post(url, {"at": moment_param(story["t1"])})
    client.post(url, {"at": moment_param(story["t2"])})
    story["profile"].refresh_from_db()
    assert story["profile"].vision == "Neue Vision für alle"
    assert set(
        SmartGoal.objects.filter(profile=story["profile"]).values_list("statement", flat=True)
    ) == {
        "Geändertes Ziel",
        "Zweites Ziel",
    }


@pytest.mark.parametrize(
    "persona,status",
    [("coordinator", 403), ("tandem_b", 404), ("funder", 404), ("expert", 404),
     ("coordinator_y", 404), ("outsider", 404)],
)  # fmt: skip
def test_restore_only_by_the_tandem(client_as, participation_a, story, persona, status):
    response = client_as(persona).post(
        profile_url("mission_restore", participation_a), {"at": moment_param(story["t1"])}
    )
    assert response.status_code == status
    story["profile"].refresh_from_db()
    assert story["profile"].vision == "Neue Vision für alle"
    assert SmartGoal.objects.filter(pk=story["goal_2"].pk).exists()


def test_restore_anonymous_and_wrong_method(client_as, participation_a, story):
    url = profile_url("mission_restore", participation_a)
    assert_login_required(client_as("anonymous").post(url, {"at": moment_param(story["t1"])}))
    assert client_as("tandem_a").get(url, {"at": moment_param(story["t1"])}).status_code == 405
    story["profile"].refresh_from_db()
    assert story["profile"].vision == "Neue Vision für alle"


@pytest.mark.parametrize(
    "value,message",
    [
        ("", "Please choose the moment"),
        ("gestern", "is not a date"),
        ("2001-01-01", "the profile did not exist yet"),
    ],
)
def test_restore_bad_moment_changes_nothing(client_as, participation_a, story, value, message):
    client = client_as("tandem_a")
    changes_before = story["profile"].history.count()
    response = client.post(profile_url("mission_restore", participation_a), {"at": value})
    assert response.status_code == 302
    assert message in text(client.get(response["Location"]))
    story["profile"].refresh_from_db()
    assert story["profile"].vision == "Neue Vision für alle"
    assert story["profile"].history.count() == changes_before


# --- who may read -------------------------------------------------------------------------------


HISTORY_PAGES = ["mission_history", "mission_as_of", "mission_compare"]


@pytest.mark.parametrize("name", HISTORY_PAGES)
@pytest.mark.parametrize("persona", ["tandem_b", "funder", "expert", "coordinator_y", "outsider"])
def test_history_hidden_from_others(client_as, participation_a, story, name, persona):
    response = client_as(persona).get(
        profile_url(name, participation_a), {"at": moment_param(story["t1"])}
    )
    assert response.status_code == 404
    assert "Alte Vision" not in text(response)


@pytest.mark.parametrize("name", HISTORY_PAGES)
def test_history_readable_by_the_cohort_when_shared(
    client_as, participation_a, story, tandem_a, name
):
    services.profile_share(profile=story["profile"], user=tandem_a, shared=True)
    response = client_as("tandem_b").get(
        profile_url(name, participation_a),
        {"at": moment_param(story["t1"]), "a": moment_param(story["t1"])},
    )
    assert response.status_code == 200
    assert "Restore" not in text(response)
    restore = client_as("tandem_b").post(
        profile_url("mission_restore", participation_a), {"at": moment_param(story["t1"])}
    )
    assert restore.status_code == 403

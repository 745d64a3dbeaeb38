"""Planning events: the form and its rules, changes and cancellation (with their notices),
series, the feedback survey on the event page, invitations, the lab's list and "my events"."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Survey, SurveyKind
from events import services
from events.models import Event, EventRegistration, EventType, RegistrationStatus

from ..factories import CohortFactory, ParticipationFactory, TandemMemberFactory, UserFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

BERLIN = ZoneInfo("Europe/Berlin")


def kickoff() -> EventType:
    return EventType.objects.get(lab=None, code="kickoff")


def make_event(lab, cohorts=(), *, days: float = 7, hours: float = 3, **fields) -> Event:
    """A planned on-site event `days` from now (negative: in the past), through the service."""
    start = (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    values = {
        "type": kickoff(),
        "title": "Auftaktworkshop",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=hours),
        "place": "Rathaus, Saal 1",
        **fields,
    }
    return services.event_create(lab=lab, created_by=None, cohorts=list(cohorts), **values)


# the services' e-mail functions → how the tests name what they queued
MAILS = {
    "event_invitations_mail": "invited",
    "event_change_mail": "changed",
    "event_cancellation_mail": "cancelled",
    "event_promotion_mail": "promoted",
}


@pytest.fixture
def notified(monkeypatch):
    """Record which e-mails the services queue (instead of queueing them)."""
    calls = []
    for function, name in MAILS.items():
        monkeypatch.setattr(
            services, function, lambda _name=name, **kwargs: calls.append((_name, *kwargs.values()))
        )
    return calls


def _form_data(cohort, **overrides) -> dict:
    data = {
        "type": kickoff().pk,
        "title": "Methodenworkshop Vision",
        "starts_at": "2030-05-04T10:00",
        "ends_at": "2030-05-04T16:30",
        "format": "on_site",
        "place": "Haus der Vielfalt, Raum 2",
        "online_url": "",
        "facilitators": "Clara Koordination",
        "agenda": "Ankommen\nVision\nMittag",
        "capacity": "20",
        "cohorts": [cohort.pk],
        "series": "",
        "feedback_survey": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- create and edit ------------------------------------------------------------------------------


def test_coordinator_plans_an_event_in_berlin_time(client_as, personas, cohort_x, coordinator):
    url = reverse("event_create", args=[cohort_x.lab.slug])
    response = client_as("coordinator").post(url, _form_data(cohort_x))

    event = Event.objects.get(title="Methodenworkshop Vision")
    assert response.status_code == 302
    assert response["Location"] == reverse("event_detail", args=[cohort_x.lab.slug, event.pk])
    # 10:00 in Berlin in May (summer time) is 08:00 UTC
    assert event.starts_at == dt.datetime(2030, 5, 4, 8, 0, tzinfo=dt.UTC)
    assert event.ends_at.astimezone(BERLIN).time() == dt.time(16, 30)
    assert list(event.cohorts.all()) == [cohort_x]
    assert event.created_by == coordinator
    assert event.capacity == 20 and event.sequence == 0
    detail = client_as("coordinator").get(response["Location"])
    assert "10:00" in text(detail) and "Haus der Vielfalt, Raum 2" in text(detail)


def test_the_form_preselects_the_cohort_and_offers_the_lab_types_only(
    client_as, personas, cohort_x, lab_y
):
    EventType.objects.create(lab=lab_y, code="y-only", name_de="Nur Y")
    response = client_as("coordinator").get(
        reverse("event_create", args=[cohort_x.lab.slug]) + "?cohort=kohorte-1"
    )
    form = response.context["form"]
    assert form.initial["cohorts"] == [cohort_x.pk]
    assert "y-only" not in {t.code for t in form.fields["type"].queryset}
    assert "Nur Y" not in text(response)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"ends_at": "2030-05-04T09:00"},
            "ends_at",
            "The end must lie after the start.",
        ),
        (
            {"ends_at": "2030-05-04T10:00"},
            "ends_at",
            "The end must lie after the start.",
        ),
        (
            {"format": "online", "place": ""},
            "online_url",
            "Please give the link of an online event.",
        ),
        ({"place": ""}, "place", "Please give the place of an event on site."),
        (
            {"format": "hybrid", "online_url": "https://meet.example.org/x"},
            None,
            None,
        ),
        (
            {"format": "hybrid", "place": ""},
            "online_url",
            "Please give the link of an online event.",
        ),
        (
            {"cohorts": []},
            "cohorts",
            "Please choose at least one cohort, or open the event to guests.",
        ),
        ({"starts_at": "tomorrow"}, "starts_at", None),
    ],
)
def test_invalid_events_are_refused_with_a_clear_message(
    client_as, personas, cohort_x, overrides, field, message
):
    url = reverse("event_create", args=[cohort_x.lab.slug])
    response = client_as("coordinator").post(url, _form_data(cohort_x, **overrides))

    if field is None:  # the hybrid event with place and link is fine
        assert response.status_code == 302
        return
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
        assert message in text(response)
    assert not Event.objects.exists()


def test_cohorts_and_surveys_of_other_labs_cannot_be_chosen(
    client_as, personas, cohort_x, cohort_y
):
    url = reverse("event_create", args=[cohort_x.lab.slug])
    response = client_as("coordinator").post(url, _form_data(cohort_x, cohorts=[cohort_y.pk]))
    assert "cohorts" in response.context["form"].errors
    # a feedback survey must be one of the event's cohorts, and of the kind "feedback"
    other = CohortFactory(lab=cohort_x.lab, slug="kohorte-2")
    survey = Survey.objects.create(cohort=other, slug="fb", kind=SurveyKind.FEEDBACK, title_de="F")
    baseline = Survey.objects.create(
        cohort=cohort_x, slug="base", kind=SurveyKind.BASELINE, title_de="B"
    )
    for chosen in (survey, baseline):
        response = client_as("coordinator").post(
            url, _form_data(cohort_x, feedback_survey=chosen.pk)
        )
        assert "feedback_survey" in response.context["form"].errors
    assert not Event.objects.exists()


def test_a_service_refuses_a_cohort_of_another_lab(world):
    with pytest.raises(ValidationError) as exc:
        make_event(world["lab_x"], [world["cohort_y"]])
    assert "cohorts" in exc.value.message_dict


def test_changing_the_time_is_announced_and_the_title_is_not(world, notified):
    event = make_event(world["lab_x"], [world["cohort_x"]])

    services.event_update(event=event, title="Auftakt (neu)")
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Auftakt (neu)", 0)
    assert notified == []

    services.event_update(event=event, starts_at=event.starts_at + dt.timedelta(hours=1))
    event.refresh_from_db()
    assert event.sequence == 1
    assert notified == [("changed", event.pk)]

    services.event_update(event=event, format="hybrid", online_url="https://meet.example.org/a")
    assert Event.objects.get(pk=event.pk).sequence == 2
    assert notified[-1] == ("changed", event.pk)


def test_edit_page_saves_and_tells_about_the_notice(client_as, personas, world, notified):
    event = make_event(world["lab_x"], [world["cohort_x"]], capacity=10)
    url = reverse("event_edit", args=[event.lab.slug, event.pk])
    form = client_as("coordinator").get(url).context["form"]
    assert form.initial["cohorts"] == [world["cohort_x"].pk]

    data = _form_data(
        world["cohort_x"],
        title=event.title,
        starts_at=timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        place="Stadthalle",
    )
    response = client_as("coordinator").post(url, data, follow=True)
    event.refresh_from_db()
    assert event.place == "Stadthalle" and event.sequence == 1
    assert "Everybody invited is told about the new details." in text(response)
    assert notified == [("changed", event.pk)]


def test_cancel_asks_first_then_cancels_once(client_as, personas, world, notified):
    event = make_event(world["lab_x"], [world["cohort_x"]])
    url = reverse("event_cancel", args=[event.lab.slug, event.pk])
    confirm = client_as("coordinator").get(url)
    assert confirm.status_code == 200
    assert "This cannot be undone." in text(confirm)
    assert Event.objects.get(pk=event.pk).cancelled_at is None

    client_as("coordinator").post(url)
    client_as("coordinator").post(url)  # a second click changes and sends nothing

    event.refresh_from_db()
    assert event.cancelled_at is not None and event.sequence == 1
    assert notified == [("cancelled", event.pk)]
    assert "Cancelled" in text(client_as("tandem_a").get(reverse("event_list", args=["innolab-x"])))
    # a cancelled event's later edits are not announced
    day = dt.timedelta(days=1)
    services.event_update(event=event, starts_at=event.starts_at + day, ends_at=event.ends_at + day)
    assert Event.objects.get(pk=event.pk).sequence == 1
    assert notified == [("cancelled", event.pk)]


def test_parts_of_a_series_point_to_the_first_and_are_listed_in_order(client_as, personas, world):
    lab, cohort = world["lab_x"], world["cohort_x"]
    first = make_event(lab, [cohort], days=10, title="Basisschulung Tag 1")
    second = make_event(lab, [cohort], days=11, title="Basisschulung Tag 2", series=first)
    # choosing the second part as "part of" means the series of the first
    follow_up = make_event(lab, [cohort], days=100, title="Follow-up-Tag", series=second)
    assert follow_up.series == first

    page = text(client_as("tandem_a").get(reverse("event_detail", args=[lab.slug, second.pk])))
    body = page[page.index("Parts of this series") :]
    positions = [body.index(t) for t in ("Tag 1", "Tag 2", "Follow-up-Tag")]
    assert positions == sorted(positions)
    # the first part cannot become a part of another series
    with pytest.raises(ValidationError):
        services.event_update(event=first, series=follow_up)


# --- the event page -------------------------------------------------------------------------------


def _feedback_survey(cohort) -> Survey:
    return Survey.objects.create(
        cohort=cohort,
        slug="feedback-auftakt",
        kind=SurveyKind.FEEDBACK,
        title_de="Rückmeldung zum Auftakt",
        title_en="Kick-off feedback",
        opens_at=timezone.now(),
    )


def test_event_page_links_the_feedback_survey_by_role(client_as, personas, world):
    cohort = world["cohort_x"]
    survey = _feedback_survey(cohort)
    event = make_event(world["lab_x"], [cohort], feedback_survey=survey)
    services.event_invite(event=event, participations=[world["participation_a"]])
    services.event_respond(event=event, user=personas["tandem_a"], answer="register")
    services.event_invite(event=event, participations=[world["participation_b"]])
    url = reverse("event_detail", args=[event.lab.slug, event.pk])
    args = [event.lab.slug, cohort.slug, survey.slug]

    registered = text(client_as("tandem_a").get(url))
    assert reverse("survey_answer_in_app", args=args) in registered
    assert reverse("survey_analysis", args=args) not in registered
    invited_only = text(client_as("tandem_b").get(url))
    assert reverse("survey_answer_in_app", args=args) not in invited_only
    coordinator = text(client_as("coordinator").get(url))
    assert reverse("survey_analysis", args=args) in coordinator


def test_without_a_survey_the_page_says_where_the_feedback_will_appear(client_as, personas, world):
    event = make_event(world["lab_x"], [world["cohort_x"]])
    body = text(client_as("tandem_a").get(reverse("event_detail", args=[event.lab.slug, event.pk])))
    assert "the link to its feedback survey will appear here" in body


def test_coordinators_see_registrations_by_status_with_municipality(client_as, personas, world):
    event = make_event(world["lab_x"], [world["cohort_x"]])
    services.event_invite(event=event, participations=[world["participation_a"]])
    services.event_invite(event=event, users=[personas["funder"]])
    services.event_respond(event=event, user=personas["tandem_a"], answer="register")
    url = reverse("event_detail", args=[event.lab.slug, event.pk])

    response = client_as("coordinator").get(url)
    groups = {g["status"]: g["registrations"] for g in response.context["groups"]}
    assert [r.user for r in groups["registered"]] == [personas["tandem_a"]]
    assert [r.user for r in groups["invited"]] == [personas["funder"]]
    assert "Ahornstadt" in text(response) and "guest" in text(response)
    # tandem members see their own state, not the list of others
    tandem = client_as("tandem_a").get(url)
    assert tandem.context["registration"].status == RegistrationStatus.REGISTERED
    assert "Fiona Förder" not in text(tandem)


# --- invitations ----------------------------------------------------------------------------------


def test_inviting_a_participation_invites_each_member_once(client_as, personas, world, notified):
    participation = world["participation_a"]
    second = TandemMemberFactory(participation=participation, user=UserFactory(name="Ali Ahorn"))
    event = make_event(world["lab_x"], [world["cohort_x"]])
    url = reverse("event_invite", args=[event.lab.slug, event.pk])

    client_as("coordinator").post(url, {"participations": [participation.pk]})
    client_as("coordinator").post(url, {"participations": [participation.pk]})

    registrations = EventRegistration.objects.filter(event=event).order_by("user__name")
    assert [(r.user, r.participation, r.status) for r in registrations] == [
        (second.user, participation, RegistrationStatus.INVITED),
        (personas["tandem_a"], participation, RegistrationStatus.INVITED),
    ]
    assert all(r.invited_at for r in registrations)
    assert [name for name, _ids in notified] == ["invited"]
    assert sorted(notified[0][1]) == sorted(r.pk for r in registrations)
    page = client_as("coordinator").get(url)
    assert "2 of 2 members invited" in text(page)
    assert "Anna Ahorn" in text(page)


def test_invitations_keep_answers_and_add_chosen_people(client_as, personas, world, notified):
    event = make_event(world["lab_x"], [world["cohort_x"]])
    services.event_invite(event=event, participations=[world["participation_a"]])
    services.event_respond(event=event, user=personas["tandem_a"], answer="decline")
    notified.clear()

    url = reverse("event_invite", args=[event.lab.slug, event.pk])
    response = client_as("coordinator").post(
        url,
        {
            "participations": [world["participation_a"].pk, world["participation_b"].pk],
            "users": [personas["expert"].pk],
        },
    )
    assert response.status_code == 302
    by_user = {r.user: r for r in EventRegistration.objects.filter(event=event)}
    assert by_user[personas["tandem_a"]].status == RegistrationStatus.DECLINED
    assert by_user[personas["tandem_b"]].participation == world["participation_b"]
    assert by_user[personas["expert"]].participation is None
    assert sorted(notified[0][1]) == sorted(
        [by_user[personas["tandem_b"]].pk, by_user[personas["expert"]].pk]
    )


def test_invite_refuses_strangers_and_other_cohorts(client_as, personas, world, lab_x):
    event = make_event(lab_x, [world["cohort_x"]])
    other_cohort = ParticipationFactory(cohort=CohortFactory(lab=lab_x, slug="kohorte-2"))
    url = reverse("event_invite", args=[event.lab.slug, event.pk])
    for data in (
        {},
        {"users": [personas["outsider"].pk]},
        {"users": [personas["coordinator_y"].pk]},
        {"participations": [other_cohort.pk]},
        {"participations": [world["participation_y"].pk]},
        {"users": ["nonsense"]},
    ):
        response = client_as("coordinator").post(url, data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    assert not EventRegistration.objects.filter(event=event).exists()
    # services refuse the same
    with pytest.raises(ValidationError):
        services.event_invite(event=event, users=[personas["outsider"]])
    with pytest.raises(ValidationError):
        services.event_invite(event=event, participations=[other_cohort])


def test_a_cancelled_event_invites_nobody(world, personas, notified):
    event = make_event(world["lab_x"], [world["cohort_x"]])
    services.event_cancel(event=event)
    with pytest.raises(ValidationError):
        services.event_invite(event=event, participations=[world["participation_a"]])
    assert not EventRegistration.objects.filter(event=event).exists()


# --- the lab's list and the person's own events ---------------------------------------------------


def test_event_list_shows_upcoming_first_and_past_below(client_as, personas, world):
    lab = world["lab_x"]
    past = make_event(lab, [world["cohort_x"]], days=-30, title="Vergangenes Treffen")
    soon = make_event(lab, [world["cohort_x"]], days=3, title="Bald")
    later = make_event(lab, [world["cohort_x"]], days=60, title="Später")
    response = client_as("tandem_b").get(reverse("event_list", args=[lab.slug]))

    assert response.context["upcoming"] == [soon, later]
    assert response.context["past"] == [past]
    body = text(response)
    assert body.index("Bald") < body.index("Später") < body.index("Vergangenes Treffen")
    assert "Registered / seats" not in body  # counts are for coordinators


def test_event_list_filters_and_counts_for_coordinators(client_as, personas, world, lab_x):
    kohorte_2 = CohortFactory(lab=lab_x, slug="kohorte-2", name="Kohorte 2")
    event = make_event(lab_x, [world["cohort_x"]], capacity=1)
    other = make_event(
        lab_x,
        [kohorte_2],
        title="Netzwerktreffen",
        type=EventType.objects.get(code="network-meeting"),
    )
    services.event_invite(
        event=event, participations=[world["participation_a"], world["participation_b"]]
    )
    services.event_respond(event=event, user=personas["tandem_a"], answer="register")
    services.event_respond(event=event, user=personas["tandem_b"], answer="register")
    url = reverse("event_list", args=[lab_x.slug])
    client = client_as("coordinator")

    listed = client.get(url).context["upcoming"]
    assert listed == [event, other]
    assert (listed[0].n_registered, listed[0].n_waitlisted, listed[0].n_invited) == (1, 1, 2)
    assert client.get(url, {"cohort": "kohorte-2"}).context["upcoming"] == [other]
    assert client.get(url, {"type": "network-meeting"}).context["upcoming"] == [other]
    for nonsense in ("nope", "<script>", "x" * 300):
        response = client.get(url, {"cohort": nonsense, "type": nonsense})
        assert response.status_code == 200
        assert response.context["upcoming"] == [event, other]
    # tandem B sees only its cohort's events, with its own answer
    tandem = client_as("tandem_b").get(url).context["upcoming"]
    assert tandem == [event] and tandem[0].my_status == RegistrationStatus.WAITLISTED


def _grow_events(lab, cohorts, participations, n: int = 15):
    for i in range(n):
        event = make_event(lab, cohorts, days=i - 5 + 0.5, title=f"Treffen {i}", capacity=3)
        services.event_invite(event=event, participations=participations)


def test_event_list_queries_constant(client_as, personas, world):
    lab, cohorts = world["lab_x"], [world["cohort_x"]]
    make_event(lab, cohorts)
    participations = [world["participation_a"], world["participation_b"]]
    for persona in ("coordinator", "tandem_a"):
        assert_constant_queries(
            client_as(persona),
            reverse("event_list", args=[lab.slug]),
            lambda: _grow_events(lab, cohorts, participations, 8),
        )


def test_my_events_lists_upcoming_events_across_labs_with_my_answer(
    client_as, personas, world, lab_y
):
    tandem_a = personas["tandem_a"]
    event = make_event(world["lab_x"], [world["cohort_x"]], days=2)
    make_event(world["lab_x"], [world["cohort_x"]], days=-2, title="Gestern")
    make_event(lab_y, [world["cohort_y"]], title="Anderes Lab")
    services.event_invite(event=event, participations=[world["participation_a"]])
    services.event_respond(event=event, user=tandem_a, answer="register")

    response = client_as("tandem_a").get(reverse("my_events"))
    assert response.context["events"] == [event]
    assert response.context["events"][0].my_status_label == "Registered"
    assert "Registered" in text(response) and "Anderes Lab" not in text(response)
    assert list(client_as("outsider").get(reverse("my_events")).context["events"]) == []


def test_my_events_queries_constant(client_as, personas, world):
    lab, cohorts = world["lab_x"], [world["cohort_x"]]
    make_event(lab, cohorts)
    assert_constant_queries(
        client_as("tandem_a"),
        reverse("my_events"),
        lambda: _grow_events(lab, cohorts, [world["participation_a"]], 8),
    )

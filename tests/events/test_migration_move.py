"""The event models moved from labs to events without touching the database (events migration
0001, evaluations 0005, labs 0006): rows written before the move are there after it, with every
relation, through the new models; the content types moved along with what points at them.

django-test-migrations' `migrator` drops and rebuilds this test process's database (it uses
`transactional_db`, and migrates to the latest state again at the end), so the test also runs in
a pytest-xdist worker: each worker has a database of its own.
"""

import datetime as dt

import pytest

from core import dataversion

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

BEFORE = ("events", None)  # every migration before events 0001: labs 0005, evaluations 0004, …
AFTER = ("labs", "0006_event_models_moved")
MOVED = ("calendarfeed", "cohortphase", "event", "eventmaterial", "eventregistration", "eventtype")
BERLIN = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(autouse=True)
def _no_data_versions(monkeypatch):
    """Writes count for the data versions as during `migrate`: not at all (their table is dropped
    with all others; the migrator mutes the migrate signals that pause the counting)."""
    monkeypatch.setattr(dataversion, "_paused", True)


def _old_rows(apps) -> dict:
    """A lab with a cohort, a municipality in it, a two-part training with a registration,
    attendance, a material, a phase, a feedback survey, a report draft and a calendar feed."""
    user = apps.get_model("accounts", "User").objects.create(email="ahorn@example.org", name="A")
    lab = apps.get_model("labs", "Lab").objects.create(slug="innolab", name="InnoLab")
    cohort = apps.get_model("labs", "Cohort").objects.create(lab=lab, slug="k1", name="Kohorte 1")
    municipality = apps.get_model("labs", "Municipality").objects.create(
        lab=lab, name="Ahornstadt", state="HE"
    )
    participation = apps.get_model("labs", "Participation").objects.create(
        cohort=cohort, municipality=municipality
    )
    survey = apps.get_model("evaluations", "Survey").objects.create(
        cohort=cohort, slug="feedback", kind="feedback", title_de="Rückmeldung"
    )
    own_type = apps.get_model("labs", "EventType").objects.create(
        lab=lab, code="zirkel", name_de="Innovationszirkel"
    )
    Event = apps.get_model("labs", "Event")
    start = dt.datetime(2026, 3, 2, 10, tzinfo=BERLIN)
    first = Event.objects.create(
        lab=lab,
        type=apps.get_model("labs", "EventType").objects.get(lab=None, code="training"),
        title="Schulung Teil 1",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        place="Rathaus",
        capacity=12,
        feedback_survey=survey,
        created_by=user,
    )
    first.cohorts.add(cohort)
    second = Event.objects.create(
        lab=lab,
        type=own_type,
        title="Schulung Teil 2",
        starts_at=start + dt.timedelta(days=7),
        ends_at=start + dt.timedelta(days=7, hours=6),
        place="Rathaus",
        series=first,
    )
    second.cohorts.add(cohort)
    registration = apps.get_model("labs", "EventRegistration").objects.create(
        event=first,
        user=user,
        participation=participation,
        status="registered",
        attendance="present",
    )
    material = apps.get_model("labs", "EventMaterial").objects.create(
        event=first,
        file="event-materials/1/0123abcd",
        original_name="Folien.pdf",
        content_type="application/pdf",
        size=1234,
        uploaded_by=user,
    )
    phase = apps.get_model("labs", "CohortPhase").objects.create(
        cohort=cohort, kind="mission", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 7, 31)
    )
    feed = apps.get_model("labs", "CalendarFeed").objects.create(
        user=user, token_salt="salt", token_hash="a" * 64
    )
    draft = apps.get_model("evaluations", "ReportDraft").objects.create(
        lab=lab, cohort=cohort, kind="final", title="Abschlussbericht"
    )
    draft.events.add(first, second)
    # the migrator mutes post_migrate, so the content types and a permission are made here
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = {model: ContentType.objects.create(app_label="labs", model=model) for model in MOVED}
    apps.get_model("auth", "Permission").objects.create(
        content_type=types["event"], codename="change_event", name="Can change event"
    )
    return {
        "user": user.pk,
        "cohort": cohort.pk,
        "participation": participation.pk,
        "survey": survey.pk,
        "first": first.pk,
        "second": second.pk,
        "registration": registration.pk,
        "material": material.pk,
        "phase": phase.pk,
        "feed": feed.pk,
        "draft": draft.pk,
        "types": {model: ct.pk for model, ct in types.items()},
    }


def test_the_event_rows_and_their_relations_survive_the_move_and_its_reversal(migrator):
    old_state = migrator.apply_initial_migration(BEFORE)
    with pytest.raises(LookupError):
        old_state.apps.get_app_config("events").get_model("event")
    ids = _old_rows(old_state.apps)

    new_state = migrator.apply_tested_migration(AFTER)
    apps = new_state.apps
    for model in MOVED:  # gone from labs, there in events
        with pytest.raises(LookupError):
            apps.get_model("labs", model)
    Event = apps.get_model("events", "Event")
    assert Event._meta.db_table == "labs_event"

    first = Event.objects.get(pk=ids["first"])
    second = Event.objects.get(pk=ids["second"])
    assert first.title == "Schulung Teil 1" and first.capacity == 12
    assert first.lab.slug == "innolab"
    assert first.type.code == "training" and first.type.lab_id is None
    assert second.type.code == "zirkel" and second.type.lab_id == first.lab_id
    assert second.series_id == first.pk
    assert list(first.parts.values_list("pk", flat=True)) == [second.pk]
    assert first.feedback_survey_id == ids["survey"]
    assert first.created_by_id == ids["user"]
    assert [c.pk for c in first.cohorts.all()] == [ids["cohort"]]
    cohort = apps.get_model("labs", "Cohort").objects.get(pk=ids["cohort"])
    assert set(cohort.events.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert list(cohort.phases.values_list("pk", "kind")) == [(ids["phase"], "mission")]

    registration = apps.get_model("events", "EventRegistration").objects.get(pk=ids["registration"])
    assert (registration.event_id, registration.user_id) == (first.pk, ids["user"])
    assert registration.participation_id == ids["participation"]
    assert (registration.status, registration.attendance) == ("registered", "present")
    participation = apps.get_model("labs", "Participation").objects.get(pk=ids["participation"])
    assert list(participation.event_registrations.values_list("pk", flat=True)) == [registration.pk]

    material = apps.get_model("events", "EventMaterial").objects.get(pk=ids["material"])
    assert (material.event_id, material.original_name) == (first.pk, "Folien.pdf")
    assert material.file.name == "event-materials/1/0123abcd"
    assert (
        apps.get_model("events", "CalendarFeed").objects.get(pk=ids["feed"]).user_id == ids["user"]
    )
    assert apps.get_model("events", "EventType").objects.filter(lab=None).count() == 7

    draft = apps.get_model("evaluations", "ReportDraft").objects.get(pk=ids["draft"])
    assert set(draft.events.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert set(first.report_drafts.values_list("pk", flat=True)) == {draft.pk}

    ContentType = apps.get_model("contenttypes", "ContentType")
    moved = ContentType.objects.filter(pk__in=ids["types"].values())
    assert set(moved.values_list("app_label", flat=True)) == {"events"}
    permission = apps.get_model("auth", "Permission").objects.get(codename="change_event")
    assert permission.content_type_id == ids["types"]["event"]

    # and back: the models (and their content types) return to labs, the rows untouched
    old_state = migrator.apply_tested_migration(("events", None))
    apps = old_state.apps
    assert apps.get_model("labs", "Event").objects.get(pk=ids["second"]).series_id == ids["first"]
    assert apps.get_model("labs", "EventRegistration").objects.filter(pk=ids["registration"])
    ContentType = apps.get_model("contenttypes", "ContentType")
    moved = ContentType.objects.filter(pk__in=ids["types"].values())
    assert set(moved.values_list("app_label", flat=True)) == {"labs"}

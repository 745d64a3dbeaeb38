"""The report models moved from evaluations to reports without touching their tables: what was
written while they lived in evaluations is all there afterwards, read through the reports app,
with every relation; their content types (and what points to them) move along, and back."""

import datetime as dt

import pytest
from django.utils import timezone

from core import dataversion

pytestmark = pytest.mark.django_db(transaction=True)

# the plan up to evaluations 0004 (the migrator keeps every migration the full plan puts before
# it): evaluations 0005, which takes the models out of evaluations' state, is not in it
OLD = [("evaluations", "0004_survey_result_snapshot")]
NEW = [("reports", "0001_initial")]


@pytest.fixture
def quiet_data_versions(migrator, monkeypatch):
    """The migrator mutes the migrate signals, with them the pause of core.dataversion's write
    watch, and the tables it writes to may not exist yet: pause it as migrate does (undone before
    the migrator migrates back to the latest state)."""
    monkeypatch.setattr(dataversion, "_paused", True)


def _old_world(apps) -> dict:
    """A lab with a cohort, a municipality in it, a survey, an event, a user; a municipality
    report draft that selects them, one saved history state, and a done, published run."""
    User = apps.get_model("accounts", "User")
    Lab = apps.get_model("labs", "Lab")
    Cohort = apps.get_model("labs", "Cohort")
    Municipality = apps.get_model("labs", "Municipality")
    Participation = apps.get_model("labs", "Participation")
    EventType = apps.get_model("labs", "EventType")
    Event = apps.get_model("labs", "Event")
    Survey = apps.get_model("evaluations", "Survey")
    ReportDraft = apps.get_model("evaluations", "ReportDraft")
    HistoricalReportDraft = apps.get_model("evaluations", "HistoricalReportDraft")
    ReportRun = apps.get_model("evaluations", "ReportRun")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    now = timezone.now()
    user = User.objects.create(email="koordination@example.org", password="!")
    lab = Lab.objects.create(slug="innolab", name="InnoLab Vielfalt")
    cohort = Cohort.objects.create(lab=lab, slug="kohorte-1", name="Kohorte 1")
    town = Municipality.objects.create(lab=lab, name="Ahornstadt", state="HE")
    participation = Participation.objects.create(cohort=cohort, municipality=town)
    survey = Survey.objects.create(
        cohort=cohort, slug="abschluss", kind="final", title_de="Abschlussbefragung"
    )
    kind = EventType.objects.create(lab=lab, code="werkstatt", name_de="Werkstatt")
    event = Event.objects.create(
        lab=lab, type=kind, title="Auftakt", starts_at=now, ends_at=now + dt.timedelta(hours=2)
    )
    draft = ReportDraft.objects.create(
        lab=lab,
        cohort=cohort,
        participation=participation,
        kind="municipality",
        title="Bericht Ahornstadt",
        executive_summary="Viel **erreicht**.",
        version=3,
        created_by=user,
    )
    draft.participations.set([participation])
    draft.surveys.set([survey])
    draft.events.set([event])
    HistoricalReportDraft.objects.create(
        id=draft.pk,
        lab=lab,
        cohort=cohort,
        participation=participation,
        kind="municipality",
        title="Bericht Ahornstadt",
        created_by=user,
        created_at=now,
        updated_at=now,
        history_date=now,
        history_type="+",
        history_user=user,
    )
    run = ReportRun.objects.create(
        draft=draft,
        key="k" * 64,
        status="done",
        progress=100,
        params={"kind": "municipality"},
        requested_by=user,
        finished_at=now,
        data_as_of=now,
        pdf="reports/1/1/kkkk.pdf",
        checksum="0" * 64,
        size=13,
        pages=1,
        published_at=now,
        published_by=user,
    )
    # what an installation has: content types with permissions (and so maybe object
    # permissions and admin log entries) pointing to them
    types = {
        model: ContentType.objects.create(app_label="evaluations", model=model)
        for model in ("reportdraft", "historicalreportdraft", "reportrun")
    }
    permission = Permission.objects.create(
        name="Can change report draft",
        codename="change_reportdraft",
        content_type=types["reportdraft"],
    )
    return {
        "user": user.pk,
        "lab": lab.pk,
        "cohort": cohort.pk,
        "participation": participation.pk,
        "survey": survey.pk,
        "event": event.pk,
        "draft": draft.pk,
        "run": run.pk,
        "types": {model: ct.pk for model, ct in types.items()},
        "permission": permission.pk,
    }


def test_drafts_runs_and_history_written_in_evaluations_are_read_through_reports(
    migrator, quiet_data_versions
):
    old = migrator.apply_initial_migration(OLD)
    ids = _old_world(old.apps)

    new = migrator.apply_tested_migration(NEW)

    ReportDraft = new.apps.get_model("reports", "ReportDraft")
    ReportRun = new.apps.get_model("reports", "ReportRun")
    assert not any(
        m._meta.model_name.endswith("reportdraft")
        for m in new.apps.get_app_config("evaluations").get_models()
    )

    draft = ReportDraft.objects.get(pk=ids["draft"])
    assert (draft.kind, draft.title, draft.version) == ("municipality", "Bericht Ahornstadt", 3)
    assert draft.executive_summary == "Viel **erreicht**."
    assert (draft.lab_id, draft.cohort_id, draft.participation_id, draft.created_by_id) == (
        ids["lab"],
        ids["cohort"],
        ids["participation"],
        ids["user"],
    )
    assert list(draft.participations.values_list("pk", flat=True)) == [ids["participation"]]
    assert list(draft.surveys.values_list("pk", flat=True)) == [ids["survey"]]
    assert list(draft.events.values_list("pk", flat=True)) == [ids["event"]]
    # the reverse accessors of the models below still reach the drafts
    Survey = new.apps.get_model("evaluations", "Survey")
    assert list(Survey.objects.get(pk=ids["survey"]).report_drafts.all()) == [draft]
    Lab = new.apps.get_model("labs", "Lab")
    assert list(Lab.objects.get(pk=ids["lab"]).report_drafts.all()) == [draft]

    history = new.apps.get_model("reports", "HistoricalReportDraft").objects.get(id=draft.pk)
    assert (history.history_type, history.history_user_id) == ("+", ids["user"])

    run = ReportRun.objects.get(pk=ids["run"])
    assert run.draft_id == draft.pk
    assert list(draft.runs.all()) == [run]
    assert (run.status, run.key, run.pdf.name, run.params) == (
        "done",
        "k" * 64,
        "reports/1/1/kkkk.pdf",
        {"kind": "municipality"},
    )
    assert (run.requested_by_id, run.published_by_id) == (ids["user"], ids["user"])

    ContentType = new.apps.get_model("contenttypes", "ContentType")
    moved = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="reports")}
    assert moved == ids["types"]
    assert not ContentType.objects.filter(app_label="evaluations", model__contains="report")
    permission = new.apps.get_model("auth", "Permission").objects.get(pk=ids["permission"])
    assert permission.content_type_id == ids["types"]["reportdraft"]

    # and back: the content types return to evaluations, the rows stay
    back = migrator.apply_tested_migration(OLD)
    ContentType = back.apps.get_model("contenttypes", "ContentType")
    returned = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="evaluations")}
    assert returned == ids["types"]
    assert (
        back.apps.get_model("evaluations", "ReportRun").objects.get(pk=ids["run"]).draft_id
        == (ids["draft"])
    )

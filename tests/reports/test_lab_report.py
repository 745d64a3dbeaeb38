"""The lab-wide report: pooled surveys, "The project at a glance" with the people trained,
cross-site formats of the report's period, municipalities that left, and its "Datenstand"."""

import datetime as dt
import io
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from pypdf import PdfReader

from evaluations.models import Question, Response
from events.models import AttendanceStatus, Event, EventRegistration, EventType
from events.training import trained_people
from labs.models import Participation, ParticipationStatus
from missions.models import MissionProfile
from reports import render
from reports.models import ReportDraft, ReportKind
from tests.evaluations.builders import add_responses, make_survey
from tests.factories import CohortFactory, MunicipalityFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=TZ)


def event(lab, title, when, *, code="training", series=None, cohorts=()):
    made = Event.objects.create(
        lab=lab,
        type=EventType.objects.get(lab=None, code=code),
        title=title,
        starts_at=when,
        ends_at=when + dt.timedelta(hours=3),
        series=series,
    )
    made.cohorts.set(cohorts)
    return made


def attend(event, user, participation, attendance=AttendanceStatus.PRESENT):
    return EventRegistration.objects.create(
        event=event,
        user=user,
        participation=participation,
        status="registered",
        attendance=attendance,
    )


@pytest.fixture
def world(lab_x, cohort_x, participation_a, municipality_a, municipality_b):
    lab_x.funding_line = "Asyl-, Migrations- und Integrationsfonds"
    lab_x.save()
    cohort_2 = CohortFactory(
        lab=lab_x,
        slug="kohorte-2",
        name="Kohorte 2",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    a = participation_a
    b = ParticipationFactory(cohort=cohort_2, municipality=municipality_b)
    c = ParticipationFactory(
        cohort=cohort_2, municipality=MunicipalityFactory(lab=lab_x, name="Cedernheim")
    )
    Participation.objects.filter(pk=c.pk).update(status=ParticipationStatus.LEFT)
    first = make_survey(cohort_x, min_group_size=5)
    second = make_survey(cohort_2, min_group_size=5)
    # 3 + 4 answers: each cohort below 5, together 7
    add_responses(first, [{"q_agree": 1, "q_sat": 4}] * 3, municipality=municipality_a)
    add_responses(second, [{"q_agree": 2, "q_sat": 5}] * 4, municipality=municipality_b)

    # a training in three parts (2025), two single-municipality workshops, one cross-site
    # network meeting, and one network meeting after the period (2027)
    part1 = event(lab_x, "Vielfaltsmanager:innen Teil 1", at(2025, 3, 1), cohorts=[cohort_x])
    part2 = event(lab_x, "Vielfaltsmanager:innen Teil 2", at(2025, 4, 1), series=part1)
    part3 = event(lab_x, "Vielfaltsmanager:innen Teil 3", at(2025, 5, 1), series=part1)
    ana, ben, cem, dora = (UserFactory() for _ in range(4))
    for part in (part1, part2, part3):
        attend(part, ana, a)
        attend(part, cem, b)
        attend(part, dora, c)
    attend(part1, ben, a)
    attend(part2, ben, a)
    attend(part3, ben, a, AttendanceStatus.ABSENT)  # missed one part: not trained
    local = event(lab_x, "Workshop Ahornstadt", at(2025, 6, 1), code="kickoff", cohorts=[cohort_x])
    attend(local, ana, a)
    attend(local, ben, a)
    network = event(
        lab_x, "Netzwerktreffen Hessen", at(2026, 2, 1), code="network-meeting",
        cohorts=[cohort_x, cohort_2],
    )  # fmt: skip
    attend(network, ana, a)
    attend(network, cem, b)
    late = event(
        lab_x, "Netzwerktreffen 2027", at(2027, 2, 1), code="network-meeting",
        cohorts=[cohort_x, cohort_2],
    )  # fmt: skip
    attend(late, ana, a)
    attend(late, cem, b)
    draft = ReportDraft.objects.create(lab=lab_x, kind=ReportKind.FINAL, title="Abschlussbericht")
    return {"draft": draft, "a": a, "b": b, "c": c, "part1": part1, "surveys": (first, second)}


def test_a_person_counts_as_trained_only_after_every_part(world):
    trained = trained_people(Event.objects.filter(lab=world["draft"].lab))
    # Ana (Ahornstadt), Cem (Buchenfeld), Dora (Cedernheim); Ben missed part 3
    assert trained.total == 3 and trained.series == 1
    assert trained.by_participation == {world["a"].pk: 1, world["b"].pk: 1, world["c"].pk: 1}
    world["part1"].parts.filter(title__endswith="3").update(cancelled_at=timezone.now())
    # with the third part cancelled, Ben completed the two parts that took place
    assert trained_people(Event.objects.filter(lab=world["draft"].lab)).total == 4


def test_lab_wide_context_pools_marks_left_and_lists_cross_site_events_of_the_period(world):
    with translation.override("de"):
        context = render.report_context(world["draft"])
    (baseline,) = context["baseline_surveys"]
    assert baseline.pooled is not None and baseline.n_responses == 7
    agree = baseline.sections[0][1][0].rows[0].result
    assert (agree.n, agree.suppressed) == (7, False)
    names = [m.name for m in context["municipalities"]]
    assert names == ["Ahornstadt", "Buchenfeld", "Cedernheim (ausgeschieden)"]
    assert context["comparison"] is None  # no final surveys
    titles = [e.event.title for e in context["events"]]
    assert "Netzwerktreffen 2027" not in titles  # after the period (2025–2026)
    assert [e.event.title for e in context["cross_site_events"]] == [
        "Vielfaltsmanager:innen Teil 1",  # Ahornstadt, Buchenfeld and Cedernheim
        "Vielfaltsmanager:innen Teil 2",
        "Vielfaltsmanager:innen Teil 3",
        "Netzwerktreffen Hessen",
    ]
    glance = context["at_a_glance"]
    assert (glance.municipalities, glance.municipalities_left, glance.cohorts) == (3, 1, 2)
    assert glance.trained_total == 3
    assert glance.trained_by_municipality == [
        ("Ahornstadt", 1),
        ("Buchenfeld", 1),
        ("Cedernheim (ausgeschieden)", 1),
    ]
    assert glance.funding_line == "Asyl-, Migrations- und Integrationsfonds"
    assert glance.period == "Januar 2025 bis Dezember 2026"
    # a series counts once among the formats
    assert ("Schulung", 1) in glance.formats and ("Netzwerktreffen", 1) in glance.formats


def test_a_lab_wide_report_compares_the_pooled_baseline_and_final(world, cohort_x):
    cohort_2 = world["surveys"][1].cohort
    for cohort, value in ((cohort_x, 2), (cohort_2, 1)):
        final = make_survey(cohort, slug="abschluss", kind="final", min_group_size=5)
        add_responses(final, [{"q_agree": value}] * 3)
    comparison = render.report_context(world["draft"])["comparison"]
    agree = next(item["row"] for item in comparison.rows if item["row"].code == "q_agree")
    assert (agree.baseline.n, agree.final.n) == (7, 6)
    assert agree.change == pytest.approx(1.5 - 11 / 7)


def test_a_cohort_report_keeps_its_cohort_events_and_unpooled_surveys(world, cohort_x):
    draft = ReportDraft.objects.create(
        lab=world["draft"].lab, cohort=cohort_x, kind=ReportKind.FINAL, title="Kohorte 1"
    )
    context = render.report_context(draft)
    assert [s.pooled for s in context["baseline_surveys"]] == [None]
    titles = {e.event.title for e in context["events"]}
    # cohort 1 runs through 2025: the network meeting of 2026 is outside its period
    assert titles == {"Vielfaltsmanager:innen Teil 1", "Workshop Ahornstadt"}
    # the training's people of cohort 2's municipalities are not this report's
    glance = context["at_a_glance"]
    assert glance.trained_total == 1 and glance.trained_by_municipality == [("Ahornstadt", 1)]


def test_data_as_of_is_the_newest_data_shown_not_the_generation_time(world):
    lab = world["draft"].lab
    old = at(2025, 1, 1)
    Participation.objects.filter(cohort__lab=lab).update(updated_at=old)
    MissionProfile.objects.filter(participation__cohort__lab=lab).update(updated_at=old)
    Event.objects.filter(lab=lab).update(updated_at=old)
    Response.objects.filter(survey__cohort__lab=lab).update(submitted_at=old)
    newest = at(2026, 11, 30, 9)
    Response.objects.filter(survey=world["surveys"][1]).update(submitted_at=newest)
    context = render.report_context(world["draft"])
    assert context["data_as_of"] == newest
    # an event change after it is newer data (the 2027 event is not in the report: ignored)
    Event.objects.filter(title="Netzwerktreffen 2027").update(updated_at=at(2026, 12, 24))
    Event.objects.filter(title="Netzwerktreffen Hessen").update(updated_at=at(2026, 12, 1))
    assert render.report_context(world["draft"])["data_as_of"] == at(2026, 12, 1)


def _pdf_text(path) -> str:
    try:
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    except FileNotFoundError:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        return "\n".join(page.extract_text() for page in reader.pages)


def test_generate_report_for_the_lab_pools_the_cohorts(world, tmp_path, settings):
    settings.LANGUAGE_CODE = "de"
    out = tmp_path / "lab.pdf"
    stdout = io.StringIO()
    call_command("generate_report", lab="innolab-x", kind="final", output=str(out), stdout=stdout)
    assert "Wrote" in stdout.getvalue()
    text = " ".join(_pdf_text(out).split())
    assert "Das Projekt auf einen Blick" in text
    assert "Asyl-, Migrations- und Integrationsfonds" in text
    assert "Kohorte 1, Kohorte 2" in text  # the pooled survey says over which cohorts
    assert "7 Antworten" in text  # pooled N = 3 + 4
    assert "Cedernheim (ausgeschieden)" in text
    assert "Netzwerktreffen 2027" not in text
    # the lab-wide draft was created without a cohort
    assert ReportDraft.objects.filter(lab=world["draft"].lab, cohort=None).count() == 1


def test_generate_report_refuses_an_unknown_lab(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No lab"):
        call_command("generate_report", lab="nirgendwo", kind="final")


def test_the_lab_analysis_page_pools_for_funders_without_free_text(world, client_as):
    first, second = world["surveys"]
    add_responses(first, [{"q_comment": "Geheimer Freitext"}] * 6)
    response = client_as("funder").get("/labs/innolab-x/surveys/analysis/?kind=baseline")
    assert response.status_code == 200
    pooled = response.context["pooled"]
    assert pooled.n_responses == 13 and pooled.cohort_names == "Kohorte 1, Kohorte 2"
    body = response.content.decode()
    assert "Geheimer Freitext" not in body
    overall = [r for r in pooled.results if r.breakdown is None and r.question.code == "q_agree"]
    assert overall[0].n == 7
    Question.objects.filter(survey=second, code="q_sat").update(scale_min=0, scale_max=10)
    body = client_as("funder").get("/labs/innolab-x/surveys/analysis/").content.decode()
    assert "q_sat" in body and "Kohorte 2" in body  # the mismatch is reported

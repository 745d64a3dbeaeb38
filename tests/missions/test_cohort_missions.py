"""The coordinator's table of all mission profiles of a cohort: figures, filter, CSV and XLSX
exports, who may open it, and a constant number of queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from missions import services
from missions.models import MissionProfile, ProfileStatus, SmartGoal
from missions.selectors_cohort import cohort_mission_rows, goal_is_behind
from tandems import services as tandem_services

from ..factories import MunicipalityFactory, ParticipationFactory, UserFactory
from ..helpers import assert_constant_queries, assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
NEXT_YEAR = TODAY + dt.timedelta(days=365)


def table_url(cohort, **params) -> str:
    url = reverse("cohort_missions", args=[cohort.lab.slug, cohort.slug])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _complete_goal(profile, user, **fields) -> SmartGoal:
    values = {
        "statement": "Mehr Vielfalt im Personal",
        "indicator": "Anteil Beschäftigter mit Migrationsgeschichte",
        "unit": "%",
        "baseline": Decimal("10"),
        "target": Decimal("20"),
        "deadline": NEXT_YEAR,
        "owner": "Personalamt",
        "achievability": "Budget für Kampagne",
        "relevance": "Verwaltung spiegelt Stadtgesellschaft",
    }
    values.update(fields)
    return services.goal_create(profile=profile, user=user, **values)


def _profile(participation) -> MissionProfile:
    profile, _created = MissionProfile.objects.get_or_create(participation=participation)
    return profile


@pytest.fixture
def ahornstadt(personas, participation_a, tandem_a):
    """A's profile: three goals (on track, behind after its deadline, incomplete) and three
    measures (one overdue)."""
    profile = _profile(participation_a)
    on_track = _complete_goal(profile, tandem_a)
    services.progress_add(goal=on_track, user=tandem_a, value=Decimal("12"), on=YESTERDAY)
    behind = _complete_goal(
        profile, tandem_a, statement="Barrierefreie Website", deadline=YESTERDAY
    )
    services.progress_add(goal=behind, user=tandem_a, value=Decimal("15"), on=YESTERDAY)
    services.goal_create(profile=profile, user=tandem_a, statement="Noch unklar")
    services.measure_create(profile=profile, user=tandem_a, title="Überfällig", due_date=YESTERDAY)
    done = services.measure_create(
        profile=profile, user=tandem_a, title="Erledigt", due_date=YESTERDAY
    )
    services.measure_set_status(measure=done, user=tandem_a, status="in_progress")
    services.measure_set_status(measure=done, user=tandem_a, status="done")
    services.measure_create(profile=profile, user=tandem_a, title="Später", due_date=NEXT_YEAR)
    profile.refresh_from_db()
    return profile


def _row(rows, name):
    return next(r for r in rows if r.municipality.name == name)


# --- the rule for "behind" ----------------------------------------------------------------------


def _goal(**fields) -> SmartGoal:
    values = {"baseline": Decimal("0"), "target": Decimal("100"), "deadline": dt.date(2025, 12, 31)}
    values.update(fields)
    return SmartGoal(**values)


@pytest.mark.parametrize(
    "latest,today,expected",
    [
        (None, dt.date(2025, 6, 1), None),  # nothing reported yet, deadline ahead
        (Decimal("60"), dt.date(2025, 7, 1), False),  # 60 % done, ~50 % of the time gone
        (Decimal("30"), dt.date(2025, 7, 1), True),  # 30 % done, ~50 % of the time gone
        (Decimal("100"), dt.date(2026, 1, 5), False),  # deadline passed, target reached
        (Decimal("99"), dt.date(2026, 1, 5), True),  # deadline passed, target missed
        (None, dt.date(2026, 1, 5), True),  # deadline passed, never reported
    ],
)
def test_goal_is_behind(latest, today, expected):
    assert goal_is_behind(_goal(), latest, dt.date(2025, 1, 1), today) is expected


def test_goal_without_target_or_deadline_is_not_judged():
    assert goal_is_behind(_goal(target=None), Decimal("5"), dt.date(2025, 1, 1), TODAY) is None
    assert goal_is_behind(_goal(deadline=None), Decimal("5"), dt.date(2025, 1, 1), TODAY) is None


def test_falling_target_counts_progress_downwards():
    goal = _goal(baseline=Decimal("40"), target=Decimal("20"))  # e.g. fewer complaints
    assert goal_is_behind(goal, Decimal("25"), dt.date(2025, 1, 1), dt.date(2025, 7, 1)) is False
    assert goal_is_behind(goal, Decimal("38"), dt.date(2025, 1, 1), dt.date(2025, 7, 1)) is True


def test_behind_by_elapsed_time(personas, cohort_x, participation_a, tandem_a):
    profile = _profile(participation_a)
    goal = _complete_goal(
        profile, tandem_a, baseline=Decimal("0"), target=Decimal("100"),
        deadline=TODAY + dt.timedelta(days=100),
    )  # fmt: skip
    services.progress_add(goal=goal, user=tandem_a, value=Decimal("20"), on=TODAY)
    # started 100 days ago: half the time has gone, a fifth of the way is done
    MissionProfile.objects.filter(pk=profile.pk).update(
        created_at=timezone.now() - dt.timedelta(days=100)
    )
    row = _row(cohort_mission_rows(cohort_x), "Ahornstadt")
    assert (row.n_on_track, row.n_behind) == (0, 1)
    services.progress_add(goal=goal, user=tandem_a, value=Decimal("70"), on=TODAY)
    row = _row(cohort_mission_rows(cohort_x), "Ahornstadt")
    assert (row.n_on_track, row.n_behind) == (1, 0)


# --- the table ----------------------------------------------------------------------------------


def test_table_shows_the_figures(client_as, cohort_x, ahornstadt):
    response = client_as("coordinator").get(table_url(cohort_x))

    assert response.status_code == 200
    rows = response.context["table"]["rows"]
    assert [r.municipality.name for r in rows] == ["Ahornstadt", "Buchenfeld"]
    a = _row(rows, "Ahornstadt")
    assert (a.status, a.n_goals, a.n_goals_complete) == ("draft", 3, 2)
    assert (a.n_on_track, a.n_behind) == (1, 1)
    assert (a.n_measures, a.n_overdue) == (3, 1)
    assert a.last_update == ahornstadt.updated_at
    b = _row(rows, "Buchenfeld")
    assert (b.status, b.n_goals, b.n_measures, b.last_update) == ("none", 0, 0, None)
    body = text(response)
    assert "2 of 3 goals complete" in body
    assert "1 on track" in body and "1 behind" in body
    assert "1 overdue" in body
    assert "Not started" in body
    assert "Anna Ahorn" in body  # who changed it last
    assert reverse("mission_profile", args=["innolab-x", "kohorte-1", a.participation.pk]) in body


def test_table_filter_by_status(client_as, cohort_x, ahornstadt):
    client = client_as("coordinator")

    drafts = client.get(table_url(cohort_x, status="draft"))
    not_started = client.get(table_url(cohort_x, status="none"))
    submitted = client.get(table_url(cohort_x, status="submitted"))

    assert [r.municipality.name for r in drafts.context["table"]["rows"]] == ["Ahornstadt"]
    assert _row(drafts.context["table"]["rows"], "Ahornstadt").n_goals == 3
    assert [r.municipality.name for r in not_started.context["table"]["rows"]] == ["Buchenfeld"]
    assert list(submitted.context["table"]["rows"]) == []
    assert "No mission profile has this status." in text(submitted)
    counts = {value: n for value, _label, n in drafts.context["status_filters"]}
    assert counts["draft"] == 1 and counts["none"] == 1 and counts["approved"] == 0
    assert drafts.context["total"] == 2


@pytest.mark.parametrize("nonsense", ["bogus", "<script>", "DRAFT", ""])
def test_table_unknown_status_shows_all(client_as, cohort_x, ahornstadt, nonsense):
    response = client_as("coordinator").get(table_url(cohort_x), {"status": nonsense})
    assert response.status_code == 200
    assert len(response.context["table"]["rows"]) == 2
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_table_htmx_gets_only_the_table(client_as, cohort_x, ahornstadt):
    response = client_as("coordinator").get(
        table_url(cohort_x, status="draft"), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="mission-table"')
    assert "<html" not in body and "Ahornstadt" in body and "Buchenfeld" not in body
    assert "HX-Request" in response["Vary"]


def test_filter_links_work_without_javascript(client_as, cohort_x, ahornstadt):
    body = client_as("coordinator").get(table_url(cohort_x)).content.decode()
    for value in ["draft", "submitted", "returned", "approved", "active", "none"]:
        assert f'href="?status={value}" hx-get="?status={value}"' in body


# --- exports ------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export(client_as, cohort_x, ahornstadt):
    response = client_as("coordinator").get(table_url(cohort_x, format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"kohorte-1-{TODAY:%Y-%m-%d}.csv" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header == [
        "Municipality", "District", "Profile status", "Goals", "SMART-complete goals",
        "Goals on track", "Goals behind", "Measures", "Overdue measures", "Last update",
    ]  # fmt: skip
    assert rows[0][:9] == ["Ahornstadt", "kreisfrei", "Draft", "3", "2", "1", "1", "3", "1"]
    local = timezone.localtime(ahornstadt.updated_at)
    assert rows[0][9] == f"{local:%Y-%m-%d %H:%M}"
    assert rows[1][:4] == ["Buchenfeld", "Kreis B", "Not started", "0"]
    assert rows[1][9] == ""


def test_csv_export_follows_the_filter(client_as, cohort_x, ahornstadt):
    response = client_as("coordinator").get(table_url(cohort_x, status="none", format="csv"))
    assert [row[0] for row in _csv_rows(response)[1:]] == ["Buchenfeld"]


def test_csv_export_in_german(client_as, cohort_x, ahornstadt):
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.get(table_url(cohort_x, format="csv"))
    header, *rows = _csv_rows(response)
    assert header[:4] == ["Kommune", "Landkreis", "Status des Steckbriefs", "Ziele"]
    assert header[9] == "Letzte Änderung"
    assert [row[2] for row in rows] == ["Entwurf", "Nicht begonnen"]
    assert "missionssteckbriefe-kohorte-1-" in response["Content-Disposition"]


def test_xlsx_export(client_as, cohort_x, ahornstadt):
    response = client_as("coordinator").get(table_url(cohort_x, format="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Municipality"
    assert values[1][:9] == ["Ahornstadt", "kreisfrei", "Draft", 3, 2, 1, 1, 3, 1]
    local = timezone.localtime(ahornstadt.updated_at).replace(tzinfo=None)
    assert abs(values[1][9] - local) < dt.timedelta(milliseconds=1)
    assert values[2][0] == "Buchenfeld" and values[2][9] is None
    assert sheet.title == "Kohorte 1"


def test_exports_never_run_formulas(client_as, cohort_x, personas):
    municipality = MunicipalityFactory(lab=cohort_x.lab, name='=HYPERLINK("http://x";"y")')
    ParticipationFactory(cohort=cohort_x, municipality=municipality)
    client = client_as("coordinator")

    csv_rows = _csv_rows(client.get(table_url(cohort_x, format="csv")))
    assert '\'=HYPERLINK("http://x";"y")' in [row[0] for row in csv_rows]

    sheet = load_workbook(io.BytesIO(client.get(table_url(cohort_x, format="xlsx")).content)).active
    cell = next(c for c in sheet["A"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_unknown_format_shows_the_page(client_as, cohort_x, ahornstadt):
    response = client_as("coordinator").get(table_url(cohort_x, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# --- who may open it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,status",
    [("tandem_a", 403), ("tandem_b", 403), ("funder", 403), ("expert", 403),
     ("coordinator_y", 404), ("outsider", 404)],
)  # fmt: skip
@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_only_coordinators(client_as, cohort_x, ahornstadt, persona, status, export):
    params = {"format": export} if export else {}
    response = client_as(persona).get(table_url(cohort_x, **params))
    assert response.status_code == status
    assert "Ahornstadt" not in text(response) if status == 404 else True
    assert not response.get("Content-Disposition")


def test_anonymous_and_wrong_method(client_as, cohort_x, ahornstadt):
    assert_login_required(client_as("anonymous").get(table_url(cohort_x, format="csv")))
    assert client_as("coordinator").post(table_url(cohort_x)).status_code == 405


def test_other_labs_cohort_is_404(client_as, cohort_y, personas):
    assert client_as("coordinator").get(table_url(cohort_y)).status_code == 404
    assert client_as("coordinator_y").get(table_url(cohort_y)).status_code == 200


# --- queries ------------------------------------------------------------------------------------


def _grow(cohort, n_municipalities=6, n_goals=4, n_measures=4, n_updates=3):
    for i in range(n_municipalities):
        participation = ParticipationFactory(cohort=cohort)
        member = tandem_services.tandem_member_add(
            participation=participation, user=UserFactory(), department="Amt"
        ).user
        profile = _profile(participation)
        if i % 2:
            MissionProfile.objects.filter(pk=profile.pk).update(status=ProfileStatus.ACTIVE)
        for g in range(n_goals):
            goal = _complete_goal(profile, member, deadline=YESTERDAY if g % 2 else NEXT_YEAR)
            for u in range(n_updates):
                services.progress_add(
                    goal=goal, user=member, value=Decimal(10 + u), on=TODAY - dt.timedelta(days=u)
                )
        for m in range(n_measures):
            services.measure_create(
                profile=profile, user=member, title=f"Maßnahme {m}",
                due_date=YESTERDAY if m % 2 else NEXT_YEAR,
            )  # fmt: skip


@pytest.mark.parametrize(
    "params", [{}, {"status": "active"}, {"format": "csv"}, {"format": "xlsx"}]
)
def test_queries_constant(client_as, cohort_x, ahornstadt, params):
    client = client_as("coordinator")
    url = table_url(cohort_x, **params)
    seeded = 0
    if "status" in params:  # one active profile first: an empty page skips its row queries
        _grow(cohort_x, n_municipalities=2, n_goals=1, n_measures=1, n_updates=1)
        seeded = 2
    assert_constant_queries(client, url, lambda: _grow(cohort_x))
    assert len(cohort_mission_rows(cohort_x)) == 8 + seeded


def test_htmx_queries_constant(client_as, cohort_x, ahornstadt):
    client = client_as("coordinator")
    client.defaults["HTTP_HX_REQUEST"] = "true"
    assert_constant_queries(client, table_url(cohort_x, status="draft"), lambda: _grow(cohort_x))

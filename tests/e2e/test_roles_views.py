"""What funders and tandem members see, in the browser: the funder's aggregate progress on the
cohort dashboard; the tandem's own survey results and the shared profiles of its cohort, each
reached from the tandem's own pages, at desktop width and at 320 px without sideways scrolling.
Every page ends with axe-core's check."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from labs import services as lab_services
from labs.models import LabRole, Participation
from missions import services as mission_services
from missions.models import MissionProfile
from tandems import services as tandem_services

from .conftest import axe_check, e2e_make_user, follow, force_login_cookie, shot, sideways
from .test_survey_analysis import e2e_surveys  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def e2e_tandem(e2e_participation):
    user = e2e_make_user(email="tilda.tandem@eichenau.example", name="Tilda Tandem")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=user, department="Personalamt"
    )
    return user


def _progress(participation, user, *, value: Decimal, share: bool = False) -> MissionProfile:
    """A profile started 100 days ago with one goal halfway to its deadline (`value` of 100
    reached) and a done measure."""
    profile = MissionProfile.objects.get_or_create(participation=participation)[0]
    profile = mission_services.profile_update(
        profile=profile,
        user=user,
        expected_version=None,
        vision="Eine Verwaltung, in der sich alle wiederfinden.",
        mission_statement="Wir gewinnen Nachwuchs aus der ganzen Stadtgesellschaft.",
    )
    MissionProfile.objects.filter(pk=profile.pk).update(
        created_at=timezone.now() - dt.timedelta(days=100)
    )
    goal = mission_services.goal_create(
        profile=profile,
        user=user,
        statement="Mehr Auszubildende mit Einwanderungsgeschichte",
        indicator="Anteil",
        unit="%",
        baseline=Decimal(0),
        target=Decimal(100),
        deadline=timezone.localdate() + dt.timedelta(days=100),
    )
    mission_services.progress_add(goal=goal, user=user, value=value, on=timezone.localdate())
    measure = mission_services.measure_create(profile=profile, user=user, title="Messen")
    for status in ("in_progress", "done"):
        measure = mission_services.measure_set_status(measure=measure, user=user, status=status)
    if share:
        profile.refresh_from_db()
        mission_services.profile_share(profile=profile, user=user, shared=True)
    return profile


def test_funder_reads_aggregate_progress(e2e_participation, e2e_tandem, live_server, page, context):
    cohort = e2e_participation.cohort
    funder = e2e_make_user(email="fritz.foerder@ministerium.example", name="Fritz Förder")
    lab_services.lab_membership_grant(lab=cohort.lab, user=funder, role=LabRole.FUNDER)
    _progress(e2e_participation, e2e_tandem, value=Decimal(80))
    force_login_cookie(context, live_server.url, funder)

    page.goto(f"{live_server.url}/labs/innolab-ost/cohorts/kohorte-1/")
    headers = page.locator("main table th[scope=col]").all_inner_texts()
    assert "Ziele im Plan / im Rückstand" in headers
    assert "Maßnahmen umgesetzt / gesamt" in headers
    assert "Vergangene Workshops besucht / eingeladen" in headers
    row = page.get_by_role("row", name="Eichenau")
    assert "1 / 0" in row.inner_text()  # the goal is on track
    assert "1 / 1" in row.inner_text()  # its measure is done
    body = page.locator("main").inner_text()
    assert "Tilda Tandem" not in body and "tilda.tandem" not in body
    axe_check(page, label="funder dashboard")
    shot(page, "funder-dashboard")

    # the survey results under their own name, no "import and export" for a funder
    follow(page, page.get_by_role("link", name="Befragungsergebnisse"))
    assert page.locator("h1").inner_text() == "Befragungsergebnisse"
    axe_check(page, label="funder survey results")


def test_tandem_reads_its_results_and_the_shared_profiles(
    e2e_surveys,  # noqa: F811 (the fixture)
    e2e_tandem,
    e2e_participation,
    live_server,
    page,
    context,
):
    cohort = e2e_participation.cohort
    lindenberg = Participation.objects.get(cohort=cohort, municipality__name="Lindenberg")
    colleague = e2e_make_user(email="lina.linde@lindenberg.example", name="Lina Linde")
    tandem_services.tandem_member_add(participation=lindenberg, user=colleague, department="Amt")
    _progress(lindenberg, colleague, value=Decimal(30), share=True)
    force_login_cookie(context, live_server.url, e2e_tandem)

    for viewport in (None, PHONE):
        if viewport:
            page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/")
        follow(page, page.get_by_role("link", name="Ergebnisse Ihrer Kommune"))
        assert "Ergebnisse von Eichenau" in page.locator("h1").inner_text()
        assert sideways(page) == "", "results page"
        axe_check(page, label=f"municipality results {viewport}")

        follow(page, page.locator("main a[href*='/surveys/eingang/municipalities/']"))
        main = page.locator("main")
        assert main.get_by_role("rowheader", name="Eichenau").count() >= 4
        for other in ("Lindenberg", "Kleinhausen", "Birkenau"):
            assert main.get_by_role("rowheader", name=other).count() == 0, other
        assert page.get_by_text("Mehr Austausch, bitte.").count() == 0  # no free text
        assert sideways(page) == "", "own survey results"
        axe_check(page, label=f"own survey results {viewport}")
        shot(page, f"tandem-own-results-{viewport and viewport['width']}")

        page.goto(f"{live_server.url}/")
        follow(page, page.get_by_role("link", name="Voneinander lernen"))
        assert page.locator("h1").inner_text() == "Voneinander lernen"
        cards = page.locator("main .shared-profiles > li")
        assert cards.count() == 1 and "Lindenberg" in cards.inner_text()
        assert sideways(page) == "", "shared profiles"
        axe_check(page, label=f"shared profiles {viewport}")
        shot(page, f"tandem-shared-profiles-{viewport and viewport['width']}")

        follow(page, cards.get_by_role("link", name="Lindenberg"))
        assert "Lindenberg" in page.locator("h1").inner_text()
        assert sideways(page) == "", "shared profile"

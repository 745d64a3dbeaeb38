"""The page cache (core/fragments.py) and the data versions under it (core/dataversion.py).

Through the URLs: a cached table is served without its queries, a change shows on the next
request, nothing is shared between people or languages, a revoked role counts at once, the clock
moves events from "upcoming" to "past" within one cache period. The production order of the
version change (after the commit, never for a rollback) with real transactions.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import dataversion
from core.models import DataVersion
from labs import services
from labs.models import LabMembership, LabRole, Municipality, ParticipationStatus
from tests.conftest import make_client
from tests.events.matrix_events_world import workshop
from tests.factories import LabFactory, UserFactory
from tests.helpers import text


def dashboard_url(cohort) -> str:
    return reverse("cohort_dashboard", args=[cohort.lab.slug, cohort.slug])


def sql_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


# --- which writes count -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "scope"),
    [
        ('INSERT INTO "labs_municipality" ("name") VALUES (%s)', dataversion.CONTENT),
        ('UPDATE "missions_smartgoal" SET "statement" = %s WHERE id = %s', dataversion.CONTENT),
        ('DELETE FROM "labs_labuserobjectpermission" WHERE id IN (%s)', dataversion.CONTENT),
        ("update labs_event set title = 'x'", dataversion.CONTENT),
        ('INSERT INTO "evaluations_response" ("survey_id") VALUES (%s)', dataversion.RESPONSES),
        ('INSERT INTO "evaluations_answer" ("response_id") VALUES (%s)', dataversion.RESPONSES),
        ('UPDATE "evaluations_surveylink" SET "used" = true', dataversion.RESPONSES),
        ('SELECT * FROM "labs_municipality"', None),
        ('UPDATE "django_session" SET "session_data" = %s', None),
        ('INSERT INTO "accounts_auditevent" ("kind") VALUES (%s)', None),
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', None),
        ('UPDATE "accounts_user" SET "name" = %s WHERE "accounts_user"."id" = %s', "content"),
        ("INSERT INTO whatever-we-cannot-read", dataversion.CONTENT),
        ("WITH x AS (SELECT 1) SELECT * FROM x", None),
        ("WITH x AS (DELETE FROM labs_event RETURNING id) SELECT * FROM x", "content"),
        ("MERGE INTO labs_event USING y ON true WHEN MATCHED THEN DELETE", "content"),
    ],
)
def test_scope_of_a_statement(sql, scope):
    assert dataversion.scope_of(sql) == scope


# --- through the URLs ---------------------------------------------------------------------------


def test_a_cached_table_is_served_without_its_queries(client_as, cohort_x, tandem_a, tandem_b):
    client = client_as("coordinator")
    first = sql_of(client, dashboard_url(cohort_x))
    second = sql_of(client, dashboard_url(cohort_x))
    # the table's query counts tandem members; the second request takes the table from the cache
    assert any("tandems_tandemmember" in sql for sql in first)
    assert not any("tandems_tandemmember" in sql for sql in second)
    assert len(second) < len(first)


def test_nothing_of_one_request_is_served_to_the_next(client_as, world, tandem_a):
    """The CSP nonce and the CSRF token are made for each response, never taken from the cache."""
    client = client_as("coordinator")
    for url in (
        dashboard_url(world["cohort_x"]),
        reverse("cohort_missions", args=[world["lab_x"].slug, world["cohort_x"].slug]),
        reverse("event_list", args=[world["lab_x"].slug]),
    ):
        first, second = text(client.get(url)), text(client.get(url))
        nonce = re.search(r'nonce="([^"]+)"', first).group(1)
        csrf = re.search(r'"X-CSRFToken": "([^"]+)"', first).group(1)
        assert nonce not in second
        assert csrf not in second


def test_a_change_shows_on_the_next_request(client_as, cohort_x, participation_a, tandem_a):
    client = client_as("coordinator")
    assert "status-paused" not in text(client.get(dashboard_url(cohort_x)))
    response = client.post(
        reverse("participation_edit", args=[cohort_x.lab.slug, cohort_x.slug, participation_a.pk]),
        {"status": ParticipationStatus.PAUSED},
    )
    assert response.status_code == 302
    assert "status-paused" in text(client.get(dashboard_url(cohort_x)))


def test_a_write_without_signals_shows_too(client_as, cohort_x, participation_a, tandem_a):
    coordinator = client_as("coordinator")
    assert "Ahornstadt" in text(coordinator.get(dashboard_url(cohort_x)))
    # QuerySet.update sends no signal; the statement itself is seen
    Municipality.objects.filter(pk=participation_a.municipality_id).update(name="Ahornhausen")
    page = text(coordinator.get(dashboard_url(cohort_x)))
    assert "Ahornhausen" in page and "Ahornstadt" not in page


def test_fragments_are_never_shared_between_people(client_as, cohort_x, tandem_a, tandem_b):
    coordinator_page = text(client_as("coordinator").get(dashboard_url(cohort_x)))
    tandem_page = text(client_as("tandem_a").get(dashboard_url(cohort_x)))
    assert "Events attended / invited" in coordinator_page
    assert "Events attended / invited" not in tandem_page
    # tandem A's own row is a link, B's is not
    detail = reverse("participation_detail", args=[cohort_x.lab.slug, cohort_x.slug, 0])[:-2]
    assert tandem_page.count(detail) == 1


def test_fragments_are_per_language(coordinator, cohort_x, tandem_a):
    client = make_client(coordinator)
    assert "Events attended / invited" in text(client.get(dashboard_url(cohort_x)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german = text(client.get(dashboard_url(cohort_x)))
    assert "Events attended / invited" not in german
    assert 'lang="de"' in german


def test_a_revoked_role_counts_from_the_next_request(client_as, cohort_x, funder):
    client = client_as("funder")
    assert client.get(dashboard_url(cohort_x)).status_code == 200
    services.lab_membership_revoke(
        membership=LabMembership.objects.get(lab=cohort_x.lab, user=funder, role=LabRole.FUNDER)
    )
    assert client.get(dashboard_url(cohort_x)).status_code == 404


def test_a_granted_role_counts_from_the_next_request(client_as, cohort_x, outsider):
    client = client_as("outsider")
    assert client.get(dashboard_url(cohort_x)).status_code == 404
    services.lab_membership_grant(lab=cohort_x.lab, user=outsider, role=LabRole.FUNDER)
    assert client.get(dashboard_url(cohort_x)).status_code == 200


def test_the_clock_moves_an_event_to_the_past_within_one_cache_period(
    client_as, world, coordinator
):
    event = workshop(world, coordinator)
    url = reverse("event_list", args=[world["lab_x"].slug])
    client = client_as("coordinator")

    def section_of_event(page: str) -> str:
        position = page.index("Auftaktworkshop")
        return "past" if page.rfind('id="past"', 0, position) > 0 else "upcoming"

    assert section_of_event(text(client.get(url))) == "upcoming"
    later = event.ends_at + dt.timedelta(seconds=settings.FRAGMENT_CACHE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        client.force_login(coordinator)  # the session would have ended by then
        assert section_of_event(text(client.get(url))) == "past"


@pytest.mark.parametrize(
    "query", ["?utm=1", "?status=active&status=active", "?page=" + "9" * 41, "?status=active&x="]
)
def test_made_up_addresses_are_not_cached(client_as, cohort_x, tandem_a, query):
    """Only the parameters the page reads, once each and short, make a cache entry: nobody fills
    the cache with endless variants of one address."""
    client = client_as("coordinator")
    url = dashboard_url(cohort_x) + query
    client.get(url)
    assert any("tandems_tandemmember" in sql for sql in sql_of(client, url))
    # a plain filter is cached
    client.get(dashboard_url(cohort_x) + "?status=active&page=1")
    cached = sql_of(client, dashboard_url(cohort_x) + "?status=active&page=1")
    assert not any("tandems_tandemmember" in sql for sql in cached)


def test_the_page_cache_can_be_switched_off(client_as, cohort_x, tandem_a, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    client = client_as("coordinator")
    client.get(dashboard_url(cohort_x))
    assert any("tandems_tandemmember" in sql for sql in sql_of(client, dashboard_url(cohort_x)))


# --- the production order: after the commit ------------------------------------------------------


def token(scope=dataversion.CONTENT) -> int:
    found = DataVersion.objects.filter(scope=scope).values_list("token", flat=True).first()
    return found or 0


@pytest.fixture
def after_commit(monkeypatch):
    monkeypatch.setattr(dataversion, "schedule_bump", dataversion.bump_after_commit)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("after_commit")
def test_the_version_changes_after_the_commit_not_before():
    lab = LabFactory()
    before, responses_before = token(), token(dataversion.RESPONSES)
    with transaction.atomic():
        Municipality.objects.create(lab=lab, name="Neustadt", ags="06412000")
        assert token() == before  # inside the transaction nobody sees a new version yet
    assert token() != before
    # a municipality is content: the survey answers' version stays
    assert token(dataversion.RESPONSES) == responses_before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("after_commit")
def test_a_rollback_changes_no_version():
    lab = LabFactory()
    before = token()
    with pytest.raises(RuntimeError), transaction.atomic():
        Municipality.objects.create(lab=lab, name="Neustadt", ags="06412000")
        raise RuntimeError
    assert token() == before
    # only a rolled-back savepoint wrote: nothing changed
    with transaction.atomic(), pytest.raises(RuntimeError), transaction.atomic():
        Municipality.objects.create(lab=lab, name="Neustadt", ags="06412000")
        raise RuntimeError
    assert token() == before
    # a write outside the rolled-back savepoint counts
    with transaction.atomic():
        Municipality.objects.create(lab=lab, name="Altdorf", ags="06412001")
        with pytest.raises(RuntimeError), transaction.atomic():
            Municipality.objects.create(lab=lab, name="Neustadt", ags="06412002")
            raise RuntimeError
    assert token() != before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("after_commit")
def test_ordinary_requests_change_no_version(world, coordinator):
    client = make_client(coordinator)
    user = UserFactory()
    client.get(dashboard_url(world["cohort_x"]))
    before = (token(), token(dataversion.RESPONSES))
    client.force_login(user)  # last_login, session, audit: quiet tables
    client.get(reverse("home"))
    assert (token(), token(dataversion.RESPONSES)) == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("after_commit")
def test_a_committed_change_shows_on_the_next_request(world, coordinator, participation_a):
    client = make_client(coordinator)
    url = dashboard_url(world["cohort_x"])
    assert "status-paused" not in text(client.get(url))
    response = client.post(
        reverse(
            "participation_edit",
            args=[world["lab_x"].slug, world["cohort_x"].slug, participation_a.pk],
        ),
        {"status": ParticipationStatus.PAUSED},
    )
    assert response.status_code == 302
    assert "status-paused" in text(client.get(url))

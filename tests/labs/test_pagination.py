"""Pagination of the long lists (issue 8): the cohort dashboard, the cohort's mission profiles and
the lab's events; counts over every row, filters kept in the page links, bad page numbers."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.models import Participation, ParticipationStatus
from missions.models import MissionProfile

from ..events.test_events_planning import make_event
from ..factories import MunicipalityFactory, ParticipationFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)


def _admit(cohort, n: int, start: int = 0, **fields) -> list[Participation]:
    return [
        ParticipationFactory(
            cohort=cohort,
            municipality=MunicipalityFactory(lab=cohort.lab, name=f"Gemeinde {start + i:03d}"),
            **fields,
        )
        for i in range(n)
    ]


def _names(response) -> list[str]:
    return re.findall(r"Gemeinde \d{3}", text(response))


def _page_links(response) -> list[str]:
    nav = re.search(r'<nav class="pagination".*?</nav>', text(response), re.S)
    assert nav, "no pagination nav"
    return re.findall(r'href="([^"]*)"', nav.group(0))


@pytest.fixture
def crowded(cohort_x, personas):
    """57 municipalities: tandem A's and B's (first by name), then 40 active, 15 paused."""
    _admit(cohort_x, 40, status=ParticipationStatus.ACTIVE)
    _admit(cohort_x, 15, start=40, status=ParticipationStatus.PAUSED)
    return cohort_x


def _dashboard(cohort) -> str:
    return reverse("cohort_dashboard", args=[cohort.lab.slug, cohort.slug])


def test_dashboard_shows_50_municipalities_a_page_and_counts_all(client_as, crowded):
    client = client_as("coordinator")
    first = client.get(_dashboard(crowded))
    body = text(first)

    assert _names(first) == [f"Gemeinde {i:03d}" for i in range(48)]
    assert 'All <span class="count">57</span>' in body  # the summary covers every row
    assert "Page 1 of 2" in body
    assert 'aria-label="Pages of the municipalities"' in body
    assert 'href="?page=1" aria-current="page"' in body
    assert 'href="?page=2" rel="next"' in body
    second = client.get(_dashboard(crowded), {"page": "2"})
    assert _names(second) == [f"Gemeinde {i:03d}" for i in range(48, 55)]
    assert 'href="?page=1" rel="prev"' in text(second)


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("0", 2), ("-1", 2), ("99999", 2)])
def test_dashboard_bad_page_gives_first_or_last(client_as, crowded, page, expected):
    response = client_as("coordinator").get(_dashboard(crowded), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_dashboard_htmx_filter_keeps_page_links_and_resets_to_page_1(client_as, crowded):
    client = client_as("coordinator")
    response = client.get(_dashboard(crowded), {"status": "active"}, headers={"HX-Request": "true"})
    body = text(response)
    assert body.lstrip().startswith('<div id="participation-table"')
    assert "Page 1 of 1" not in body  # 40 rows: one page, no nav
    assert len(_names(response)) == 40
    # the filter links of the full page carry no page number: a new filter starts on page 1
    full = text(client.get(_dashboard(crowded), {"page": "2"}))
    assert 'hx-get="?status=paused"' in full
    assert "status=paused&page" not in full
    _admit(crowded, 40, start=60, status=ParticipationStatus.PAUSED)
    paused = client.get(
        _dashboard(crowded), {"status": "paused", "page": "2"}, headers={"HX-Request": "true"}
    )
    assert "Page 2 of 2" in text(paused)
    assert "?status=paused&page=1" in _page_links(paused)


def test_dashboard_shared_view_is_paginated_too(client_as, crowded, tandem_a):
    response = client_as("tandem_a").get(_dashboard(crowded))
    assert response.status_code == 200
    assert len(response.context["table"]["rows"]) == 50


def test_dashboard_queries_same_on_every_page(client_as, crowded):
    client = client_as("coordinator")
    url = _dashboard(crowded) + "?page=2"
    assert_constant_queries(
        client, url, lambda: _admit(crowded, 30, start=100, status=ParticipationStatus.ACTIVE)
    )


# --- mission profiles ---------------------------------------------------------------------------


def _missions(cohort) -> str:
    return reverse("cohort_missions", args=[cohort.lab.slug, cohort.slug])


def test_missions_table_is_paginated_and_exports_everything(client_as, crowded):
    for participation in Participation.objects.filter(cohort=crowded)[:3]:
        # started: written in once (the admission's empty profile counts as not started)
        MissionProfile.objects.filter(participation=participation).update(
            updated_at=timezone.now() + dt.timedelta(seconds=1)
        )
    client = client_as("coordinator")
    first = client.get(_missions(crowded))
    assert _names(first) == [f"Gemeinde {i:03d}" for i in range(48)]
    assert "Page 1 of 2" in text(first)
    assert 'All <span class="count">57</span>' in text(first)
    second = client.get(_missions(crowded), {"page": "2"})
    assert _names(second) == [f"Gemeinde {i:03d}" for i in range(48, 55)]
    assert client.get(_missions(crowded), {"page": "x"}).context["page"].number == 1
    csv = client.get(_missions(crowded), {"format": "csv", "page": "2"})
    assert csv.content.decode("utf-8-sig").count("Gemeinde ") == 55


def test_missions_status_filter_keeps_the_filter_in_page_links(client_as, crowded):
    response = client_as("coordinator").get(_missions(crowded), {"status": "none", "page": "2"})
    assert response.context["page"].number == 2
    assert "?status=none&page=1" in _page_links(response)


# --- events -------------------------------------------------------------------------------------


def _events(lab) -> str:
    return reverse("event_list", args=[lab.slug])


def test_event_list_pages_upcoming_first_then_past(client_as, personas, world):
    lab, cohorts = world["lab_x"], [world["cohort_x"]]
    upcoming = [make_event(lab, cohorts, days=1 + i, title=f"Kommend {i:02d}") for i in range(20)]
    past = [make_event(lab, cohorts, days=-1 - i, title=f"Vorbei {i:02d}") for i in range(10)]
    client = client_as("coordinator")

    first = client.get(_events(lab))
    assert first.context["upcoming"] == upcoming  # soonest first
    assert first.context["past"] == past[:5]  # latest first
    assert "Page 1 of 2" in text(first)
    second = client.get(_events(lab), {"page": "2"})
    assert second.context["upcoming"] == []
    assert second.context["past"] == past[5:]
    body = text(second)
    assert 'id="upcoming"' not in body  # the upcoming events were all on page 1
    assert 'id="past"' in body
    assert client.get(_events(lab), {"page": "7"}).context["page"].number == 2


def test_event_list_keeps_filters_in_page_links(client_as, personas, world):
    lab, cohort = world["lab_x"], world["cohort_x"]
    for i in range(30):
        make_event(lab, [cohort], days=1 + i, title=f"Kommend {i:02d}")
    response = client_as("coordinator").get(
        _events(lab), {"cohort": cohort.slug, "type": "kickoff", "page": "1"}
    )
    assert f"?cohort={cohort.slug}&type=kickoff&page=2" in _page_links(response)
    assert 'aria-current="page"' in text(response)
    # a first page full of upcoming events says where the rest are
    assert "More events follow on the next page." in text(response)
    assert 'id="past"' not in text(response)

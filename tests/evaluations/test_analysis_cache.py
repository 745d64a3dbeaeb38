"""The cached survey analysis (core/fragments.py) follows the answers: a submission through a
link and an imported file (psycopg's COPY, which bypasses Django's cursor) both show on the next
request."""

import re

from django.urls import reverse

from evaluations import services
from tests.conftest import make_client
from tests.helpers import text

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .test_analysis_views import analysis_url, survey  # noqa: F401 - the fixture
from .test_anonymity import _answer_through
from .test_import import FIXTURES, import_url, upload


def results_part(page: str) -> str:
    return page[page.index('id="analysis-results"') :]


def responses_figure(page: str) -> int:
    match = re.search(r"Responses</dt><dd[^>]*>(\d+)</dd>", page)
    assert match, "no response count on the page"
    return int(match.group(1))


def test_an_imported_file_shows_on_the_next_request(
    client_as,
    survey,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client = client_as("coordinator")
    before = text(client.get(analysis_url(survey)))
    # from the cache, unchanged
    assert results_part(text(client.get(analysis_url(survey)))) == results_part(before)
    content = (FIXTURES / "answers_good.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs (eagerly)
        response = client.post(import_url(survey), {"file": upload("antworten.csv", content)})
    assert response.status_code == 302
    after = text(client.get(analysis_url(survey)))
    assert responses_figure(after) == responses_figure(before) + 3
    assert results_part(after) != results_part(before)


def test_an_answer_through_a_link_shows_on_the_next_request(client_as, survey, municipality_a):  # noqa: F811
    client = client_as("coordinator")
    before = text(client.get(analysis_url(survey, by="municipality")))
    link = services.links_create(survey=survey, count=1, municipality=municipality_a)[0]
    answer_url = reverse("survey_answer_link", args=[services.link_token(link)])
    _answer_through(make_client(), answer_url)
    after = text(client.get(analysis_url(survey, by="municipality")))
    assert responses_figure(after) == responses_figure(before) + 1
    assert results_part(after) != results_part(before)

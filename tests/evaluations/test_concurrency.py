"""Fifty people submit with the same link at the same moment: PostgreSQL stores one response.

Each thread is a browser of its own (a test client, so its own database connection), posting the
last section through the URL. The conditional UPDATE in services.response_submit lets exactly one
of them claim the link; the others are told it was already answered.
"""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from evaluations import services
from evaluations.models import Answer, Response, ResponseDraft, SurveyLink

from ..conftest import make_client
from .builders import make_survey

THREADS = 50
LAST_SECTION = {"section": "2", "action": "submit", "a-q_hours": "3", "a-q_formats": ["seminar"]}


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_with_one_link_store_one_response(cohort_x):
    assert connection.vendor == "postgresql"
    survey = make_survey(cohort_x)
    link = services.links_create(survey=survey, count=1)[0]
    services.draft_save(survey=survey, values={"q_agree": "2", "q_sat": "5"}, link=link)
    url = reverse("survey_answer_link", args=[services.link_token(link)])

    start = threading.Barrier(THREADS)
    results: list = []
    errors: list = []

    def submit():
        client = make_client()
        try:
            start.wait(timeout=60)
            response = client.post(url, LAST_SECTION)
            results.append((response.status_code, response.content.decode()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    connections.close_all()

    assert not errors, errors
    assert len(results) == THREADS
    stored = [status for status, _body in results if status == 302]
    refused = [body for status, body in results if status == 200]
    assert len(stored) == 1
    assert len(refused) == THREADS - 1
    assert all("Already answered" in body for body in refused)

    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == 4
    assert SurveyLink.objects.get(pk=link.pk).used
    assert not ResponseDraft.objects.exists()

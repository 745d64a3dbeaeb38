"""200 survey submissions at the same moment through gunicorn (several workers and threads, the
test PostgreSQL): every one is stored exactly once with its own answer, every link is used once,
and 200 more submissions with the used links are all refused without storing anything."""

import datetime as dt
import re
import threading
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import (
    Answer,
    Question,
    QuestionType,
    Response,
    Section,
    Survey,
    SurveyKind,
    SurveyLink,
)

from .procs import django_env, fetch, gunicorn, opener

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

COUNT = 200
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _survey(cohort) -> Survey:
    survey = Survey.objects.create(
        cohort=cohort,
        slug="ansturm",
        kind=SurveyKind.BASELINE,
        title_de="Ansturm",
        title_en="Rush",
        opens_at=timezone.now() - dt.timedelta(days=1),
    )
    section = Section.objects.create(survey=survey, position=1, title_de="Eins", title_en="One")
    Question.objects.create(
        survey=survey, section=section, position=1, code="q_scale", type=QuestionType.SCALE,
        text_de="Wie gut?", text_en="How good?", required=True, scale_min=1, scale_max=5,
    )  # fmt: skip
    return survey


def _run_all(count: int, target) -> list:
    results: list = [None] * count
    threads = [
        threading.Thread(target=target, args=(i, results), daemon=True) for i in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    return results


def test_200_concurrent_submissions_are_stored_once_each(transactional_db, tmp_path, cohort_x):
    survey = _survey(cohort_x)
    links = services.links_create(survey=survey, count=COUNT)
    tokens = [services.link_token(link) for link in links]
    values = [i % 5 + 1 for i in range(COUNT)]
    db = connection.settings_dict
    env = django_env(
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    with gunicorn(env, tmp_path / "web.log", workers=3, threads=8) as (base, _master):
        clients = [opener({settings.LANGUAGE_COOKIE_NAME: "en"}) for _ in range(COUNT)]
        forms: list = [None] * COUNT
        barrier = threading.Barrier(COUNT, timeout=90)

        def answer(i: int, results: list) -> None:
            url = base + reverse("survey_answer_link", args=[tokens[i]])
            try:
                code, body, _headers = fetch(url, client=clients[i], timeout=60)
                token = CSRF.search(body)
                forms[i] = (url, token.group(1) if token else "")
                barrier.wait()  # every POST is released at the same moment
                data = {"csrfmiddlewaretoken": forms[i][1], "section": "1", "action": "submit"}
                data["a-q_scale"] = str(values[i])
                post = fetch(url, data=urlencode(data).encode(), client=clients[i], timeout=60)
                results[i] = (code, post[0], post[2].get("Location", ""))
            except Exception as exc:  # noqa: BLE001 - reported below
                barrier.abort()
                results[i] = repr(exc)

        results = _run_all(COUNT, answer)
        log = (tmp_path / "web.log").read_text(errors="replace")[-3000:]
        problems = [r for r in results if not isinstance(r, tuple) or r[:2] != (200, 302)]
        assert not problems, (problems[:5], log)
        assert all(location.endswith(tokens[i] + "/") for i, (*_, location) in enumerate(results))

        assert Response.objects.filter(survey=survey).count() == COUNT
        assert Answer.objects.filter(response__survey=survey).count() == COUNT
        assert Answer.objects.filter(response__survey=survey).aggregate(s=Sum("number"))[
            "s"
        ] == sum(values)
        assert SurveyLink.objects.filter(survey=survey, used=True).count() == COUNT

        def again(i: int, results: list) -> None:
            url, token = forms[i]
            data = {"csrfmiddlewaretoken": token, "section": "1", "action": "submit"}
            data["a-q_scale"] = "1"
            try:
                code, body, _headers = fetch(
                    url, data=urlencode(data).encode(), client=clients[i], timeout=60
                )
                results[i] = (code, "already" in body.lower())
            except Exception as exc:  # noqa: BLE001
                results[i] = repr(exc)

        refused = _run_all(COUNT, again)
        assert all(r == (200, True) for r in refused), [r for r in refused if r != (200, True)][:5]
        assert Response.objects.filter(survey=survey).count() == COUNT
        assert Answer.objects.filter(response__survey=survey).aggregate(s=Sum("number"))[
            "s"
        ] == sum(values)
    assert " 500 " not in (tmp_path / "web.log").read_text(errors="replace")

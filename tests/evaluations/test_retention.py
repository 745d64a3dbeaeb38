"""Retention: raw answers of surveys closed longer than SURVEY_RAW_RETENTION_MONTHS ago are
deleted by `purge_raw_answers` / the daily beat task, after their aggregates were stored; pages,
exports and reports then show the same figures from the stored aggregates and say so."""

import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from evaluations import exporting, retention, tasks
from evaluations.analysis import compare_baseline_final, survey_results
from evaluations.models import (
    Answer,
    Response,
    ResponseDraft,
    SurveyKind,
    SurveyResultSnapshot,
)
from reports import render

from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey

SECRET_TEXT = "Nur für die Auswertung gedacht"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _closed_survey(cohort, *, months_ago: int, slug="eingangsbefragung", **kw):
    closes = timezone.now() - dt.timedelta(days=31 * months_ago)
    return make_survey(
        cohort, slug=slug, opens_at=closes - dt.timedelta(days=30), closes_at=closes, **kw
    )


def _fill(survey, municipality_a, municipality_b):
    """Nine responses. Ahornstadt: 6 (group "Rat" 4, "Verwaltung" 2); Buchenfeld: 2 (suppressed,
    and so Ahornstadt too by complementary suppression); 1 without municipality."""
    add_responses(
        survey,
        [
            {
                "q_agree": v,
                "q_sat": s,
                "q_role": "politik",
                "q_hours": h,
                "q_formats": ["workshop"],
                "q_comment": f"Anmerkung {h}",
            }
            for v, s, h in ((2, 5, 1), (1, 4, 2.5), (0, 3, 4), (1, 4, 8))
        ],
        municipality=municipality_a,
        group="Rat",
    )
    add_responses(
        survey,
        [{"q_agree": -1, "q_sat": 2, "q_comment": SECRET_TEXT}, {"q_agree": 2, "q_sat": 5}],
        municipality=municipality_a,
        group="Verwaltung",
    )
    add_responses(
        survey,
        [{"q_agree": -2, "q_role": "andere"}, {"q_agree": 1, "q_formats": ["seminar", "beratung"]}],
        municipality=municipality_b,
        group="Rat",
    )
    add_responses(survey, [{"q_agree": 0, "q_comment": "Noch ein Text"}])


def _figures(results) -> list[tuple]:
    return [
        (
            r.question.code,
            r.breakdown,
            r.breakdown_key,
            r.n,
            r.mean,
            r.median,
            r.sd,
            r.suppressed,
            r.suppressed_reason,
            [(b.key, b.label, b.count) for b in r.counts],
        )
        for r in results
    ]


VIEWS = [
    {"by": None},
    {"by": "municipality", "with_overall": True},
    {"by": "municipality"},
    {"by": "group", "with_overall": True},
    {"by": "group"},
]


@pytest.fixture
def expired(cohort_x, municipality_a, municipality_b):
    survey = _closed_survey(cohort_x, months_ago=25)
    _fill(survey, municipality_a, municipality_b)
    return survey


def test_purge_keeps_every_figure_and_deletes_the_raw_answers(expired, tandem_a):
    before = {str(view): _figures(survey_results(expired, **view)) for view in VIEWS}
    ResponseDraft.objects.create(survey=expired, user=tandem_a, data={"q_agree": "1"})

    out = io.StringIO()
    call_command("purge_raw_answers", stdout=out)

    assert "purged: innolab-x/kohorte-1/eingangsbefragung: 9 responses" in out.getvalue()
    assert not Response.objects.filter(survey=expired).exists()
    assert not Answer.objects.filter(question__survey=expired).exists()
    assert not ResponseDraft.objects.filter(survey=expired).exists()
    snapshot = SurveyResultSnapshot.objects.get(survey=expired)
    assert snapshot.data["n_responses"] == 9
    # JSON through and through, and without any free text
    dumped = json.dumps(snapshot.data)
    assert SECRET_TEXT not in dumped and "Anmerkung" not in dumped

    fresh = type(expired).objects.get(pk=expired.pk)
    after = {str(view): _figures(survey_results(fresh, **view)) for view in VIEWS}
    assert after == before
    # suppression stays as it was computed: Buchenfeld too few, Ahornstadt complementary
    cells = {
        r.breakdown: r
        for r in survey_results(fresh, by="municipality")
        if r.question.code == "q_agree"
    }
    assert cells["Buchenfeld"].suppressed_reason == "too_few"
    assert cells["Buchenfeld"].mean is None and cells["Buchenfeld"].counts == []
    # free texts: only their number
    [comment] = [
        r for r in survey_results(fresh, include_text=True) if r.question.code == "q_comment"
    ]
    assert comment.texts == [] and comment.n == 6 and not comment.suppressed


def test_a_second_run_does_nothing(expired):
    call_command("purge_raw_answers", stdout=io.StringIO())
    first = SurveyResultSnapshot.objects.get(survey=expired)
    out = io.StringIO()
    call_command("purge_raw_answers", stdout=out)
    assert "0 survey(s) purged" in out.getvalue()
    again = SurveyResultSnapshot.objects.get(survey=expired)
    assert (again.pk, again.created_at, again.data) == (first.pk, first.created_at, first.data)
    assert retention.survey_raw_answers_purge(survey_id=expired.pk) is None


def test_dry_run_lists_and_changes_nothing(expired):
    out = io.StringIO()
    call_command("purge_raw_answers", "--dry-run", stdout=out)
    assert "due: innolab-x/kohorte-1/eingangsbefragung" in out.getvalue()
    assert "(dry run: nothing changed)" in out.getvalue()
    assert Response.objects.filter(survey=expired).count() == 9
    assert not SurveyResultSnapshot.objects.exists()


def test_only_surveys_closed_longer_than_the_period_are_purged(
    cohort_x, municipality_a, municipality_b, settings
):
    recent = _closed_survey(cohort_x, months_ago=23, slug="recent")
    running = make_survey(cohort_x, slug="running")
    _fill(recent, municipality_a, municipality_b)
    _fill(running, municipality_a, municipality_b)
    assert retention.purge_expired_raw_answers() == []
    settings.SURVEY_RAW_RETENTION_MONTHS = 22
    assert [p.path for p in retention.purge_expired_raw_answers()] == [recent.path]
    assert Response.objects.filter(survey=running).count() == 9


def test_zero_keeps_raw_answers_forever(expired, settings):
    settings.SURVEY_RAW_RETENTION_MONTHS = 0
    out = io.StringIO()
    call_command("purge_raw_answers", stdout=out)
    assert "kept forever" in out.getvalue()
    assert tasks.purge_expired_raw_answers() == 0
    assert Response.objects.filter(survey=expired).count() == 9


def test_the_daily_task_purges_and_is_scheduled(expired):
    assert tasks.purge_expired_raw_answers() == 1
    assert not Response.objects.filter(survey=expired).exists()
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-raw-answers"]
    assert entry["task"] == "evaluations.tasks.purge_expired_raw_answers"
    assert entry["schedule"] == 24 * 60 * 60


def test_default_period_is_24_months():
    assert settings.SURVEY_RAW_RETENTION_MONTHS == 24


def test_analysis_page_says_the_figures_come_from_the_stored_aggregates(expired, client_as):
    retention.purge_expired_raw_answers()
    snapshot = SurveyResultSnapshot.objects.get(survey=expired)
    url = reverse("survey_analysis", args=["innolab-x", "kohorte-1", expired.slug])
    for query in ("", "?by=municipality", "?by=group"):
        page = text(client_as("coordinator").get(url + query))
        when = str(timezone.localdate(snapshot.created_at).year)
        assert "Raw answers deleted on" in page and when in page
        assert "under the retention rule; figures from the stored aggregates." in page
        assert "No responses yet." not in page
        assert "The free-text answers were deleted with the raw answers." in page
        assert SECRET_TEXT not in page
    page = text(client_as("coordinator").get(url))
    assert "0.44" in page  # the mean of q_agree over all nine respondents (2+1+0+1−1+2−2+1+0)/9


def test_exports_and_comparison_read_the_stored_aggregates(
    expired, cohort_x, municipality_a, municipality_b
):
    csv_before = exporting.results_csv(expired, by="municipality")
    final = _closed_survey(cohort_x, months_ago=1, slug="abschluss", kind=SurveyKind.FINAL)
    add_responses(final, [{"q_agree": 2}] * 5, municipality=municipality_a)
    retention.purge_expired_raw_answers()
    fresh = type(expired).objects.get(pk=expired.pk)
    assert exporting.results_csv(fresh, by="municipality") == csv_before
    [row] = [
        r
        for r in compare_baseline_final(cohort_x, baseline=fresh, final=final)
        if r.code == "q_agree"
    ]
    assert row.baseline.mean == pytest.approx(4 / 9) and row.change == pytest.approx(2 - 4 / 9)


def test_report_says_the_figures_come_from_the_stored_aggregates(expired):
    retention.purge_expired_raw_answers()
    fresh = type(expired).objects.get(pk=expired.pk)
    view = render._survey_view(fresh, 0)
    assert view.n_responses == 9 and view.raw_deleted_at is not None
    from django.template.loader import render_to_string

    html = render_to_string("reports/_survey.html", {"sv": view, "level": 2})
    assert "Raw answers deleted on" in html and "9 responses" in html

"""A tandem's own results: its municipality's survey figures (its cells of the analysis by
municipality, suppressed exactly as there, no free text) and the published versions of the
reports about its municipality (reports/views_municipality.py, evaluations/views/analysis.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.analysis import COMPLEMENTARY, survey_results
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus

from ..factories import MunicipalityFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey

pytestmark = pytest.mark.django_db


def _results_url(survey, participation) -> str:
    cohort = survey.cohort
    return reverse(
        "survey_municipality_results",
        args=[cohort.lab.slug, cohort.slug, survey.slug, participation.pk],
    )


def _page_url(participation) -> str:
    cohort = participation.cohort
    return reverse("municipality_results", args=[cohort.lab.slug, cohort.slug, participation.pk])


def _own_results(response, code: str):
    for _section, blocks in response.context["sections"]:
        for block in blocks:
            if block.question.code == code:
                return [row.result for row in block.rows]
    raise AssertionError(code)


@pytest.fixture
def survey(cohort_x, municipality_a, municipality_b, lab_x):
    """Ahornstadt k answers (the smallest cell beside a tiny one: hidden as its complement),
    Buchenfeld k + 1, a third municipality 1 (too few); free text from Ahornstadt."""
    survey = make_survey(cohort_x)
    k = survey.min_group_size
    add_responses(
        survey, [{"q_agree": 2, "q_comment": "Geheim A"}] * k, municipality=municipality_a
    )
    add_responses(survey, [{"q_agree": -2}] * (k + 1), municipality=municipality_b)
    add_responses(survey, [{"q_agree": 0}], municipality=MunicipalityFactory(lab=lab_x))
    return survey


def test_tandem_sees_its_own_results_suppressed_as_the_analysis(
    client_as, survey, participation_a, participation_b
):
    analysis = {
        result.breakdown_key: result
        for result in survey_results(survey, by="municipality", with_overall=True)
        if result.question.code == "q_agree" and result.breakdown is not None
    }
    response_a = client_as("tandem_a").get(_results_url(survey, participation_a))
    assert response_a.status_code == 200
    (own_a,) = _own_results(response_a, "q_agree")
    expected_a = analysis[participation_a.municipality_id]
    assert (own_a.suppressed, own_a.suppressed_reason) == (True, COMPLEMENTARY)
    assert (own_a.suppressed, own_a.suppressed_reason, own_a.mean) == (
        expected_a.suppressed,
        expected_a.suppressed_reason,
        expected_a.mean,
    )
    body_a = text(response_a)
    assert "not shown, so that a smaller group cannot be worked out" in body_a
    assert "Buchenfeld" not in body_a and "Geheim A" not in body_a

    response_b = client_as("tandem_b").get(_results_url(survey, participation_b))
    (own_b,) = _own_results(response_b, "q_agree")
    assert not own_b.suppressed and own_b.n == survey.min_group_size + 1
    assert own_b.mean == analysis[participation_b.municipality_id].mean == -2.0
    assert "Ahornstadt" not in text(response_b)


def test_tandem_cannot_open_another_municipalitys_results(
    client_as, survey, participation_a, participation_b
):
    tandem_a = client_as("tandem_a")
    assert tandem_a.get(_results_url(survey, participation_b)).status_code == 404
    assert tandem_a.get(_page_url(participation_b)).status_code == 404
    # the cohort's analysis stays closed to tandems
    cohort = survey.cohort
    analysis = reverse("survey_analysis", args=[cohort.lab.slug, cohort.slug, survey.slug])
    assert tandem_a.get(analysis).status_code == 403
    # funders and experts read the analysis, not a municipality's page
    for persona in ("funder", "expert", "outsider"):
        assert client_as(persona).get(_results_url(survey, participation_a)).status_code == 404
    assert client_as("coordinator").get(_results_url(survey, participation_a)).status_code == 200


def test_a_survey_not_yet_opened_has_no_results_page(client_as, cohort_x, participation_a):
    planned = make_survey(cohort_x, slug="geplant", opened=False)
    assert client_as("tandem_a").get(_results_url(planned, participation_a)).status_code == 404
    page = text(client_as("tandem_a").get(_page_url(participation_a)))
    assert _results_url(planned, participation_a) not in page


def _run(draft, coordinator, *, published: bool, key: str) -> ReportRun:
    now = timezone.now()
    return ReportRun.objects.create(
        draft=draft,
        key=key.ljust(64, "0"),
        status=RunStatus.DONE,
        progress=100,
        requested_by=coordinator,
        finished_at=now,
        data_as_of=now,
        pdf=f"reports/test/{key}.pdf",
        published_at=now if published else None,
    )


@pytest.fixture
def reports(lab_x, cohort_x, participation_a, participation_b, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "reports" / "test").mkdir(parents=True)

    def draft(kind, title, participation=None):
        return ReportDraft.objects.create(
            lab=lab_x, cohort=cohort_x, participation=participation, kind=kind, title=title
        )

    made = {
        "a_published": _run(
            draft(ReportKind.MUNICIPALITY, "Bericht Ahornstadt", participation_a),
            coordinator, published=True, key="a1",
        ),
        "a_unpublished": _run(
            draft(ReportKind.MISSION, "Steckbrief Ahornstadt", participation_a),
            coordinator, published=False, key="a2",
        ),
        "b_published": _run(
            draft(ReportKind.MUNICIPALITY, "Bericht Buchenfeld", participation_b),
            coordinator, published=True, key="b1",
        ),
        "final_published": _run(
            draft(ReportKind.FINAL, "Abschlussbericht der Kohorte"),
            coordinator, published=True, key="f1",
        ),
    }  # fmt: skip
    for run in made.values():
        (tmp_path / run.pdf.name).write_bytes(b"%PDF-1.4 test")
    return made


def _download(run) -> str:
    return reverse("report_download", args=[run.draft.lab.slug, run.pk])


def test_results_page_lists_own_surveys_and_published_reports(
    client_as, survey, reports, participation_a
):
    response = client_as("tandem_a").get(_page_url(participation_a))
    assert response.status_code == 200
    body = text(response)
    assert _results_url(survey, participation_a) in body
    assert [run.pk for run in response.context["runs"]] == [reports["a_published"].pk]
    assert _download(reports["a_published"]) in body
    for other in ("a_unpublished", "b_published", "final_published"):
        assert _download(reports[other]) not in body, other


def test_tandem_downloads_only_its_published_municipality_reports(client_as, reports):
    tandem_a = client_as("tandem_a")
    response = tandem_a.get(_download(reports["a_published"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    for other in ("a_unpublished", "b_published", "final_published"):
        assert tandem_a.get(_download(reports[other])).status_code == 403, other
    # the version's page stays the coordinators' and funders'
    run_page = reverse("report_run", args=["innolab-x", reports["a_published"].pk])
    assert tandem_a.get(run_page).status_code == 403
    assert client_as("funder").get(_download(reports["b_published"])).status_code == 200


def test_results_pages_linked_for_the_tandem(client_as, participation_a):
    page = _page_url(participation_a)
    assert page in text(client_as("tandem_a").get("/"))
    detail = reverse(
        "participation_detail",
        args=[participation_a.cohort.lab.slug, participation_a.cohort.slug, participation_a.pk],
    )
    assert page in text(client_as("tandem_a").get(detail))


def test_results_pages_queries_constant(
    client_as, cohort_x, survey, participation_a, municipality_a
):
    def grow():
        for n in range(12):
            more = make_survey(cohort_x, slug=f"puls-{n}")
            add_responses(more, [{"q_agree": 1}] * 3, municipality=municipality_a)

    assert_constant_queries(client_as("tandem_a"), _page_url(participation_a), grow)

    def more_answers():
        add_responses(survey, [{"q_agree": 1, "q_sat": 3}] * 30, municipality=municipality_a)

    assert_constant_queries(
        client_as("tandem_a"), _results_url(survey, participation_a), more_answers
    )

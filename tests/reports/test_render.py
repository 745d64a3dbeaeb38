"""Report rendering: the data context, the PDF (text, tags, language, bookmarks) and the fetcher."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from weasyprint.urls import URLFetcherResponse

from evaluations.models import SurveyKind
from labs.models import Lab
from reports import render
from reports.fetcher import REPORT_BASE_URL, RefusedURL, SafeURLFetcher
from reports.models import ReportDraft, ReportKind
from tests.evaluations.builders import add_responses, make_survey

from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

EVIL = (
    '<img src="file:///etc/passwd" alt="x">\n\n'
    '<img src="http://127.0.0.1:1/x.png" alt="y">\n\n'
    '<link rel="attachment" href="file:///etc/passwd">\n\n'
    "Text after the images."
)


@pytest.fixture
def report_world(lab_x, cohort_x, participation_a, participation_b):
    lab_x.funding_acknowledgement = "Gefördert vom Ministerium für Soziales und Integration."
    lab_x.save()
    a, b = participation_a.municipality, participation_b.municipality
    a.population, a.population_date, a.district = 12345, dt.date(2023, 12, 31), "Kreis Ahorn"
    b.population, b.population_date = 2345678, dt.date(2023, 12, 31)
    a.save()
    b.save()
    participation_a.starting_situation = "Ahornstadt startete mit einer Bestandsaufnahme."
    participation_a.save()
    baseline = make_survey(cohort_x)
    # q_sat 4.4 over five respondents; q_hours answered by two only (suppressed: k = 5)
    answers = [{"q_agree": 1, "q_sat": v} for v in (4, 5, 4, 4, 5)]
    answers[0]["q_hours"] = 3
    answers[1]["q_hours"] = 5
    add_responses(baseline, answers, municipality=a)
    final = make_survey(cohort_x, slug="abschlussbefragung", kind=SurveyKind.FINAL)
    add_responses(final, [{"q_agree": 2, "q_sat": 5}] * 5, municipality=b)
    draft = ReportDraft.objects.create(
        lab=lab_x,
        cohort=cohort_x,
        kind=ReportKind.FINAL,
        title="Abschlussbericht Kohorte 1",
        executive_summary="Die **Kohorte** hat viel erreicht.",
        lessons=EVIL,
    )
    return {"draft": draft, "baseline": baseline, "final": final}


@pytest.fixture(scope="module")
def pdf_cache():
    return {}


def _pdf(report_world, pdf_cache):
    if "rendered" not in pdf_cache:
        steps = []
        rendered = render.render_pdf(report_world["draft"], progress=steps.append)
        pdf_cache["rendered"], pdf_cache["steps"] = rendered, steps
    return pdf_cache["rendered"]


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_context_gathers_the_scope(report_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):
        context = render.report_context(report_world["draft"])
    names = [m.name for m in context["municipalities"]]
    assert names == ["Ahornstadt", "Buchenfeld"]
    assert context["municipalities"][0].population == "12.345"
    assert [s.survey.slug for s in context["baseline_surveys"]] == ["eingangsbefragung"]
    assert context["comparison"] is not None
    assert context["chart_count"] >= 8
    assert "<strong>Kohorte</strong>" in context["narrative_by_field"]["executive_summary"]["html"]
    assert "<img" not in context["narrative_by_field"]["lessons"]["html"]


def test_final_report_pdf_text_and_structure(report_world, pdf_cache):
    rendered = _pdf(report_world, pdf_cache)
    assert rendered.pdf.startswith(b"%PDF")
    assert rendered.pages >= 5
    assert pdf_cache["steps"][0] <= 10 and pdf_cache["steps"][-1] == 90
    text = _text(rendered.pdf)
    for expected in (
        "Ahornstadt",
        "Buchenfeld",
        "12.345",
        "2.345.678",
        "Gefördert vom Ministerium",
    ):
        assert expected in text
    assert "4,40" in text  # q_sat mean in German format
    assert "zu wenige Antworten" in text  # q_hours: two answers only
    assert "Ahornstadt startete" in text

    reader = PdfReader(io.BytesIO(rendered.pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]).startswith("de")
    assert "/Outlines" in catalog
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    # the municipalities are bookmarked below their chapter ("Einzelberichte der Kommunen")
    assert "Einzelberichte der Kommunen" in titles and "Ahornstadt" not in titles
    outline = list(reader.outline)
    chapter = outline.index(
        next(i for i in outline if not isinstance(i, list) and i.title == titles[4])
    )
    assert titles[4] == "Einzelberichte der Kommunen"
    nested = [item.title for item in outline[chapter + 1] if not isinstance(item, list)]
    assert "Ahornstadt" in nested
    assert reader.metadata.title == "Abschlussbericht Kohorte 1"


def test_narrative_cannot_make_the_renderer_fetch(report_world, pdf_cache):
    rendered = _pdf(report_world, pdf_cache)
    assert b"root:x:0:0" not in rendered.pdf
    assert "/EmbeddedFiles" not in str(PdfReader(io.BytesIO(rendered.pdf)).trailer["/Root"])
    assert "Text after the images." in _text(rendered.pdf)
    # the sanitiser already removed them, so the fetcher was not even asked
    assert not any("passwd" in url or "127.0.0.1" in url for url in rendered.refused_urls)


def test_raw_html_with_evil_urls_is_refused_by_the_fetcher(report_world, monkeypatch):
    """Second line of defence: even HTML that bypasses the sanitiser fetches nothing."""
    draft = report_world["draft"]
    context = render.report_context(draft)
    context["title"] = "Evil"
    context["narrative_by_field"]["lessons"]["html"] = render.mark_safe(EVIL)
    context["funding_acknowledgement"] = ""
    seen = []
    original = SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        seen.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(SafeURLFetcher, "fetch", spy)
    rendered = render.render_pdf(draft, context=context)
    assert "file:///etc/passwd" in rendered.refused_urls
    assert "http://127.0.0.1:1/x.png" in rendered.refused_urls
    assert all(
        url.startswith(REPORT_BASE_URL + "static/")
        for url in seen
        if url not in rendered.refused_urls
    )
    assert b"root:x:0:0" not in rendered.pdf
    assert "/EmbeddedFiles" not in str(PdfReader(io.BytesIO(rendered.pdf)).trailer["/Root"])


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/static/css/report.css",
        "data:image/png;base64,iVBORw0KGgo=",
        REPORT_BASE_URL + "static/../../etc/passwd",
        REPORT_BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        REPORT_BASE_URL + "static/css/../../../../etc/passwd",
        REPORT_BASE_URL + "etc/passwd",
        REPORT_BASE_URL + "static//etc/passwd",
        REPORT_BASE_URL + "static/css/does-not-exist.css",
        "/static/../../etc/passwd",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(RefusedURL):
        render.safe_url_fetcher(url)


def test_fetcher_serves_static_files():
    response = render.safe_url_fetcher(REPORT_BASE_URL + "static/css/report.css")
    assert isinstance(response, URLFetcherResponse)
    assert b"@font-face" in response.read()
    font = render.safe_url_fetcher(
        REPORT_BASE_URL + "static/vendor/kern/fonts/fira-sans/FiraSans-Regular.woff2"
    )
    assert font.content_type == "font/woff2"


def test_other_kinds_render(report_world, participation_a):
    lab = Lab.objects.get(pk=report_world["draft"].lab_id)
    for kind in (ReportKind.MUNICIPALITY, ReportKind.MISSION, ReportKind.WHITEPAPER):
        draft = ReportDraft.objects.create(
            lab=lab,
            cohort=participation_a.cohort,
            participation=participation_a if kind != ReportKind.WHITEPAPER else None,
            kind=kind,
            title=f"Bericht {kind}",
        )
        html = render.render_html(draft)
        assert '<html lang="de">' in html
        assert "Ahornstadt" in html


def test_generate_report_command(report_world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("generate_report", cohort="innolab-x/kohorte-1", kind="final")
    out = tmp_path / "innolab-x-kohorte-1-final.pdf"
    assert out.read_bytes().startswith(b"%PDF")
    # the existing draft was used, not a second one
    assert ReportDraft.objects.filter(kind="final").count() == 1


def test_data_fingerprint_follows_the_data(report_world):
    draft = report_world["draft"]
    before = render.data_fingerprint(draft)
    assert render.data_fingerprint(draft) == before
    add_responses(report_world["final"], [{"q_sat": 3}])
    assert render.data_fingerprint(draft) != before

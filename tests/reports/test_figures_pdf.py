"""The report's figures in the PDF, over surveys shaped like the demo's Hessen surveys: numbered
captions in the seed's style, items sorted by mean, German decimals, no question codes, no
hyphenated table headers."""

import io
import os
import re

import pytest
from pypdf import PdfReader

from reports import render
from reports.models import ReportDraft, ReportKind
from tests.evaluations.demo_shaped import make_demo_shaped

from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf_cache():
    return {}


@pytest.fixture
def figure_report(lab_x, cohort_x, participation_a, participation_b, pdf_cache):
    baseline, final = make_demo_shaped(
        cohort_x, [participation_a.municipality, participation_b.municipality]
    )
    draft = ReportDraft.objects.create(
        lab=lab_x, cohort=cohort_x, kind=ReportKind.FINAL, title="Abschlussbericht"
    )
    if "pdf" not in pdf_cache:
        rendered = render.render_pdf(draft)
        pdf_cache["pdf"] = rendered.pdf
        if os.environ.get("FIGURES_PDF"):  # to look at the pages: pdftoppm -r 60 -png …
            with open(os.environ["FIGURES_PDF"], "wb") as out:
                out.write(rendered.pdf)
    reader = PdfReader(io.BytesIO(pdf_cache["pdf"]))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return {"draft": draft, "baseline": baseline, "final": final, "text": text}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_captions_are_numbered_in_the_seeds_style(figure_report):
    text = _flat(figure_report["text"])
    assert "Abbildungsverzeichnis" in text
    assert "Abbildung 1 – Zusammensetzung der Befragten: In welcher Rolle" in text
    assert (
        "Abbildung 2 – Vielfalt in Ihrer Organisation (Mittelwerte auf einer Skala von 1 bis 5;"
        " N = 50)" in text
    )
    assert re.search(
        r"Abbildung \d+ – Was die Umsetzung voranbringt \(Mittelwerte auf einer Skala von 0 bis"
        r" 5; N = 60\)",
        text,
    )
    assert re.search(r"Abbildung \d+ – Vielfalt in Ihrer Organisation nach „In welcher Rolle", text)
    assert re.search(
        r"Abbildung \d+ – Was sich durch das Projekt verändert hat \(Verteilung und Mittelwerte;"
        r" N = 30\)",
        text,
    )
    numbers = [int(n) for n in re.findall(r"Abbildung (\d+) –", text)]
    # numbered through the report, each once in the list of figures and once at the figure
    assert sorted(set(numbers)) == list(range(1, max(numbers) + 1))
    assert all(numbers.count(n) == 2 for n in set(numbers))


def test_items_are_printed_sorted_by_mean(figure_report):
    text = _flat(figure_report["text"])
    table = text[text.rindex("Was die Umsetzung voranbringt (Mittelwerte") :]
    # the demo's means: responsibilities 4.6 > participation 4.5 > … > updating 4.1
    words = ["Zuständigkeiten", "alle wichtigen", "regelmäßig", "genug", "Arbeitsgruppe"]
    positions = [table.index(w) for w in words]
    assert positions == sorted(positions)
    assert "Wie wichtig ist für die weitere Umsetzung der Strategie: dass …" in table


def test_german_decimals_and_no_codes_or_bad_hyphens(figure_report):
    text = figure_report["text"]
    assert re.search(r"\b4,[0-9]0\b", text)
    assert not re.search(r"\b\d\.\d\d\b", text)
    for code in ("org_type", "org_div_age", "sf_responsibilities", "role_admin_actors", "Code "):
        assert code not in text
    assert "Einfachauswahl" not in text
    flat = _flat(text)
    for broken in ("Mittel- wert", "Mittel-wert", "Standardabwei-", "Medi- an", "Medi-an"):
        assert broken not in flat
    assert " MW " in flat and " SD" in flat


def test_breakdown_never_shows_a_small_group(figure_report):
    text = _flat(figure_report["text"])
    breakdown = text[text.rindex("Vielfalt in Ihrer Organisation nach „") :]
    breakdown = breakdown[: breakdown.index("Abbildung")] if "Abbildung" in breakdown else breakdown
    assert "Religionsgemeinschaft" not in breakdown  # 4 respondents, k = 5
    assert "Bildungseinrichtung" in breakdown
    assert "Gruppen mit weniger als 5 Befragten sind nicht dargestellt." in breakdown


def test_municipality_report_sets_its_figures_beside_all_respondents(
    figure_report, participation_a
):
    draft = ReportDraft.objects.create(
        lab=figure_report["draft"].lab,
        cohort=figure_report["draft"].cohort,
        participation=participation_a,
        kind=ReportKind.MUNICIPALITY,
        title="Bericht Ahornstadt",
    )
    rendered = render.render_pdf(draft)
    if os.environ.get("FIGURES_MUNI_PDF"):
        with open(os.environ["FIGURES_MUNI_PDF"], "wb") as out:
            out.write(rendered.pdf)
    text = _flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages))
    assert "Abbildung 1 – " in text
    caption = "Was die Umsetzung voranbringt (Mittelwerte auf einer Skala von 0 bis 5; N = 60)"
    assert caption in text
    table = text[text.rindex(caption) :]
    assert "Alle Befragten" in table and "Ahornstadt" in table
    assert "sf_" not in text


def test_figures_are_numbered_in_the_order_the_report_prints_them(figure_report):
    context = render.report_context(figure_report["draft"])
    shown = context["figures"]
    assert [f.number for f in shown] == list(range(1, len(shown) + 1))
    kinds = [f.kind for f in shown]
    # baseline survey, then the comparison that opens the final chapter, then the final survey
    first_compared = kinds.index("comparison")
    assert kinds[0] == "composition" and first_compared > 0
    assert "agreement" in kinds[first_compared:]
    assert "agreement" not in kinds[:first_compared]
    html = render.render_html(figure_report["draft"], context=context)
    assert html.index('id="figures-title"') < html.index(f'id="{shown[0].anchor}"')
    assert f'href="#{shown[-1].anchor}"' in html

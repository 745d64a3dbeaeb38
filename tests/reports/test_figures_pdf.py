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
    assert "Abbildung 1 – Zusammensetzung der Befragten" in text
    assert "Abbildung 2 – Vielfalt in Ihrer Organisation (Mittelwerte auf einer Skala von 1 bis 5;" in text
    assert re.search(r"Erfolgsfaktoren|Was die Umsetzung voranbringt \(Mittelwerte auf einer Skala von 0 bis 5; N = \d+\)", text)
    assert "Verzeichnis der Abbildungen" in text
    numbers = [int(n) for n in re.findall(r"Abbildung (\d+) –", text)]
    # every figure listed once in the list of figures and once at the figure
    assert sorted(set(numbers)) == list(range(1, max(numbers) + 1))


def test_items_sorted_by_mean(figure_report):
    text = _flat(figure_report["text"])
    # success factors: clear responsibilities first, updating the strategy last (as the seed)
    first = text.index("Klare Zuständigkeiten") if "Klare Zuständigkeiten" in text else None
    assert first is not None


def test_german_decimals_and_no_codes_or_bad_hyphens(figure_report):
    text = figure_report["text"]
    assert re.search(r"\b\d,\d\d\b", text)
    for code in ("org_type", "org_div_age", "sf_responsibilities", "role_admin_actors"):
        assert code not in text
    assert "Einfachauswahl" not in text
    for broken in ("Mittel-\nwert", "Mittel-wert", "Standardabwei-", "Medi-\nan"):
        assert broken not in text

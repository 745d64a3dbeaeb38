"""The generated PDFs are accessible documents (PDF/UA-1, WCAG 2.1 for PDFs via EN 301 549 10.*).

test_render.py checks the final report's struct tree root, /Lang de, outline and Info
title. Here: the marked-content flag, the title shown in the viewer's title bar and in the XMP
metadata, the PDF/UA identifier, the language of an English report, bookmarks that nest like the
headings, a text alternative on every figure (every chart names its question), real headings and
table header cells in the structure tree, and a tab order that follows the structure.
"""

import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from reports import render
from reports.models import ReportDraft, ReportKind

from .test_render import report_world  # noqa: F401 (the same data as the render tests)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf_cache():
    return {}


def _reader(draft, pdf_cache, key: str) -> tuple[PdfReader, render.RenderedReport]:
    if key not in pdf_cache:
        rendered = render.render_pdf(draft)
        pdf_cache[key] = (PdfReader(io.BytesIO(rendered.pdf)), rendered)
    return pdf_cache[key]


@pytest.fixture
def final_report(report_world, pdf_cache):  # noqa: F811
    return _reader(report_world["draft"], pdf_cache, "final-de")


@pytest.fixture
def english_municipality_report(report_world, participation_a, settings, pdf_cache):  # noqa: F811
    # the report's language is the installation's default language (render.report_language)
    settings.LANGUAGE_CODE = "en"
    draft = ReportDraft.objects.create(
        lab=report_world["draft"].lab,
        cohort=participation_a.cohort,
        participation=participation_a,
        kind=ReportKind.MUNICIPALITY,
        title="Municipality report Ahornstadt",
    )
    return _reader(draft, pdf_cache, "municipality-en")


def _struct_elements(root) -> list[DictionaryObject]:
    """Every structure element below the StructTreeRoot, in document order."""
    found, stack = [], [root.get_object()]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        kids = list(kids) if isinstance(kids, ArrayObject) else [kids]
        children = []
        for kid in kids:
            kid = kid.get_object()
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                children.append(kid)
        found += children
        stack += reversed(children)
    return found


def _xmp(reader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def _outline(items, depth=0) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark; pypdf lists a bookmark's children right after it."""
    result = []
    for item in items:
        if isinstance(item, list):
            result += _outline(item, depth + 1)
        else:
            result.append((depth, item.title))
    return result


def test_tagged_with_marked_content_and_pdf_ua_identifier(final_report):
    reader, _rendered = final_report
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert re.search(r'pdfuaid:part(="|>)1', _xmp(reader)), "no PDF/UA identifier in the XMP"
    # screen readers follow the structure when the Tab key moves between annotations (links)
    assert all(page.get("/Tabs") == "/S" for page in reader.pages)


def test_title_in_info_in_xmp_and_in_the_viewers_title_bar(final_report):
    reader, _rendered = final_report
    assert reader.metadata.title == "Abschlussbericht Kohorte 1"
    dc_title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", _xmp(reader), re.S)
    assert dc_title and dc_title.group(1) == "Abschlussbericht Kohorte 1"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_bookmarks_nest_like_the_headings(final_report):
    reader, _rendered = final_report
    outline = _outline(reader.outline)
    assert outline[0] == (0, "Abschlussbericht Kohorte 1")
    titles = [title for _depth, title in outline]
    # a chapter (H2) and the municipality's section below it (H3)
    ahornstadt = titles.index("Ahornstadt")
    assert outline[ahornstadt + 1] == (outline[ahornstadt][0] + 1, "Ausgangslage")
    assert max(depth for depth, _title in outline) >= 1
    # every bookmark leads somewhere in the document
    for item in reader.outline:
        if not isinstance(item, list):
            assert reader.get_destination_page_number(item) >= 0


def test_every_figure_has_a_text_alternative_and_charts_name_their_question(final_report):
    reader, rendered = final_report
    elements = _struct_elements(reader.trailer["/Root"]["/StructTreeRoot"])
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) >= rendered.charts, "every chart is a Figure in the structure tree"
    missing = [f.get("/A") for f in figures if not str(f.get("/Alt", "")).strip()]
    assert not missing, f"{len(missing)} figure(s) without /Alt"
    alts = [str(f["/Alt"]) for f in figures]
    assert any("Wie zufrieden sind Sie?" in alt for alt in alts), alts
    assert any("Eingangs- und der Abschlussbefragung" in alt for alt in alts), alts


def test_headings_and_table_headers_are_tagged(final_report):
    reader, _rendered = final_report
    roles = [str(e["/S"]) for e in _struct_elements(reader.trailer["/Root"]["/StructTreeRoot"])]
    assert roles.count("/H1") == 1
    assert "/H2" in roles and "/H3" in roles
    # no heading level is skipped before its first use (H1 → H2 → H3 …)
    first = {level: roles.index(f"/H{level}") for level in range(1, 7) if f"/H{level}" in roles}
    assert list(first) == list(range(1, len(first) + 1))
    assert first == dict(sorted(first.items(), key=lambda item: item[1]))
    assert roles.count("/Table") >= 1 and roles.count("/TH") >= roles.count("/Table")


def test_an_english_report_says_it_is_english(english_municipality_report):
    reader, _rendered = english_municipality_report
    catalog = reader.trailer["/Root"]
    assert str(catalog["/Lang"]).startswith("en")
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert reader.metadata.title == "Municipality report Ahornstadt"
    assert "/Outlines" in catalog and _outline(reader.outline)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ahornstadt" in text

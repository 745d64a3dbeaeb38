"""Quotes (free-text answers printed in a report), images (logos on the cover, pictures in the
chapters) and the optional narrative sections (foreword, imprint, contact): the services' rules,
the pages, and what the PDF shows."""

import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from evaluations.models import Answer, SurveyKind
from reports import media, quotes, render, services
from reports.fetcher import RefusedURL, SafeURLFetcher
from reports.models import ReportDraft, ReportImage, ReportKind
from reports.selectors import report_draft_history
from tests.evaluations.builders import add_responses, make_survey

from .test_pdf_accessibility import _outline, _struct_elements

pytestmark = pytest.mark.django_db

QUOTED = "Der Austausch mit den anderen Kommunen hat uns sehr geholfen."


def _png(name="logo.png", size=(120, 60), fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#163e6b").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def quote_world(lab_x, cohort_x, participation_a, participation_b):
    """A baseline with five free-text answers (k = 5: quotable), a final survey with five
    responses but two free texts (not quotable), and a final-report draft."""
    a = participation_a.municipality
    baseline = make_survey(cohort_x)
    texts = [QUOTED, "Mehr Zeit wäre gut.", "Gute Moderation.", "Klare Ziele.", "Weiter so."]
    add_responses(
        baseline,
        [{"q_agree": 1, "q_sat": 4, "q_comment": t} for t in texts],
        municipality=a,
        group="Gruppe Ahorn-Verwaltung",
    )
    final = make_survey(cohort_x, slug="abschlussbefragung", kind=SurveyKind.FINAL)
    answers = [{"q_agree": 2, "q_sat": 5}] * 3 + [{"q_agree": 2, "q_comment": "Zu wenig."}] * 2
    add_responses(final, answers, municipality=a)
    draft = ReportDraft.objects.create(
        lab=lab_x, cohort=cohort_x, kind=ReportKind.FINAL, title="Abschlussbericht Kohorte 1"
    )
    return {"draft": draft, "baseline": baseline, "final": final}


def _answer(survey, text=None) -> Answer:
    answers = Answer.objects.filter(question__survey=survey, question__code="q_comment")
    return answers.get(text=text) if text else answers.first()


def _quotes_html(html: str) -> str:
    return "".join(re.findall(r'<section class="quotes">.*?</section>', html, re.S))


# --- quotes ----------------------------------------------------------------------------------


def test_a_quote_below_the_minimum_group_size_is_refused_and_nothing_is_saved(
    quote_world, coordinator
):
    draft, final = quote_world["draft"], quote_world["final"]
    with pytest.raises(services.ValidationError) as refused:
        services.report_draft_quotes_set(
            draft=draft,
            user=coordinator,
            expected_version=draft.version,
            chosen=[(_answer(final).pk, quotes.AFTER_SURVEY)],
        )
    assert "weniger als 5 Freitextantworten" in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert draft.quotes == [] and draft.version == 1


def test_a_survey_with_too_few_responses_offers_nothing(quote_world, cohort_x, coordinator):
    small = make_survey(cohort_x, slug="klein", kind=SurveyKind.PULSE)
    add_responses(small, [{"q_agree": 1, "q_comment": f"Antwort {i}"} for i in range(4)])
    draft = quote_world["draft"]
    offered = {c.survey.pk: c for c in quotes.quote_candidates(draft)}
    assert not offered[small.pk].allowed and offered[small.pk].questions[0].answers == []
    assert not offered[quote_world["final"].pk].questions[0].allowed
    assert offered[quote_world["baseline"].pk].questions[0].allowed
    with pytest.raises(services.ValidationError) as refused:
        services.report_draft_quotes_set(
            draft=draft, user=coordinator, expected_version=1, chosen=[(_answer(small).pk, "")]
        )
    assert "weniger als 5 Antworten" in " ".join(refused.value.messages)


def test_quotes_print_the_text_only_and_are_checked_again_when_printed(quote_world, coordinator):
    draft, baseline = quote_world["draft"], quote_world["baseline"]
    services.report_draft_quotes_set(
        draft=draft,
        user=coordinator,
        expected_version=1,
        chosen=[(_answer(baseline, QUOTED).pk, quotes.AFTER_SURVEY)],
    )
    draft.refresh_from_db()
    block = _quotes_html(render.render_html(draft))
    assert QUOTED in block and "Stimmen aus der Befragung" in block
    for identifying in ("Ahornstadt", "Gruppe Ahorn-Verwaltung", "Buchenfeld"):
        assert identifying not in block
    # the choice is a saved change of the draft, listed in its history
    label = str(ReportDraft._meta.get_field("quotes").verbose_name)
    assert label in report_draft_history(draft)[0].fields
    # answers deleted below the minimum group size: the quote is left out of the next print
    Answer.objects.filter(question__survey=baseline, question__code="q_comment").exclude(
        text=QUOTED
    ).first().delete()
    assert QUOTED not in render.render_html(draft)


def test_quotes_in_a_chosen_chapter(quote_world, coordinator):
    draft, baseline = quote_world["draft"], quote_world["baseline"]
    services.report_draft_quotes_set(
        draft=draft,
        user=coordinator,
        expected_version=1,
        chosen=[(_answer(baseline, QUOTED).pk, "lessons")],
    )
    draft.refresh_from_db()
    html = render.render_html(draft)
    lessons = re.search(
        r'<section class="narrative" id="lessons">.*?</section>\s*</section>', html, re.S
    )
    assert lessons and QUOTED in lessons.group(0)


def test_the_quotes_page_saves_the_choice(quote_world, client_as, lab_x):
    draft, baseline = quote_world["draft"], quote_world["baseline"]
    url = reverse("report_quotes", args=[lab_x.slug, draft.pk])
    client = client_as("coordinator")
    page = client.get(url)
    assert page.status_code == 200
    assert QUOTED in page.content.decode() and "Zu wenig." not in page.content.decode()
    assert "Gruppe Ahorn-Verwaltung" not in page.content.decode()
    answer = _answer(baseline, QUOTED)
    data = {"version": 1, "answers": [answer.pk], f"chapter_{baseline.pk}": "survey"}
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.quotes == [{"answer": answer.pk, "chapter": "survey"}] and draft.version == 2
    # a stale version: nothing changes
    client.post(url, {"version": 1, "answers": []})
    draft.refresh_from_db()
    assert draft.quotes and draft.version == 2
    # a refused answer: the page says why, nothing changes
    refused = client.post(url, {"version": 2, "answers": [_answer(quote_world["final"]).pk]})
    assert refused.status_code == 200 and "fewer than 5" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2


# --- images ----------------------------------------------------------------------------------


def _stored_files(settings) -> set[str]:
    """The report images in storage (the media folder is the test session's: other tests', such
    as the demo's logos, are there too)."""
    root = os.path.join(settings.MEDIA_ROOT, "report-images")
    return {f for _d, _s, files in os.walk(root) for f in files}


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.gif", b"GIF89a\x01\x00\x01\x00"), "nur PNG- und JPEG"),
        (SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "nur PNG"),
        (SimpleUploadedFile("logo.png", b"not an image at all, just text"), "passt nicht"),
        (SimpleUploadedFile("logo.png", b""), "leer"),
    ],
)
def test_an_image_that_is_no_png_or_jpeg_is_refused_and_nothing_is_stored(
    quote_world, coordinator, settings, upload, message
):
    draft = quote_world["draft"]
    before = _stored_files(settings)
    with pytest.raises(services.ValidationError) as refused:
        services.report_image_create(
            draft=draft, user=coordinator, file=upload, placement="lab_logo", alt_text="Logo"
        )
    assert message in " ".join(refused.value.messages)
    assert not ReportImage.objects.exists() and _stored_files(settings) == before


def test_a_too_large_image_and_one_without_alt_text_are_refused(
    quote_world, coordinator, settings, monkeypatch
):
    draft = quote_world["draft"]
    before = _stored_files(settings)
    with pytest.raises(services.ValidationError) as no_alt:
        services.report_image_create(
            draft=draft, user=coordinator, file=_png(), placement="lab_logo", alt_text="  "
        )
    assert "was das Bild zeigt" in " ".join(no_alt.value.messages)
    monkeypatch.setattr(media, "REPORT_IMAGE_MAX_BYTES", 100)
    with pytest.raises(services.ValidationError) as too_large:
        services.report_image_create(
            draft=draft, user=coordinator, file=_png(), placement="lab_logo", alt_text="Logo"
        )
    assert "größer als 100" in " ".join(too_large.value.messages)
    assert not ReportImage.objects.exists() and _stored_files(settings) == before


def test_the_images_page_uploads_refuses_and_deletes(quote_world, client_as, lab_x, settings):
    draft = quote_world["draft"]
    url = reverse("report_images", args=[lab_x.slug, draft.pk])
    client = client_as("coordinator")
    assert client.get(url).status_code == 200
    gif = SimpleUploadedFile("logo.gif", b"GIF89a\x01\x00\x01\x00")
    refused = client.post(url, {"file": gif, "placement": "lab_logo", "alt_text": "IMAP"})
    assert refused.status_code == 200 and "Only PNG and JPEG" in refused.content.decode()
    assert not ReportImage.objects.exists()
    done = client.post(url, {"file": _png(), "placement": "funder_logo", "alt_text": "Land"})
    assert done.status_code == 302
    image = ReportImage.objects.get()
    assert (image.alt_text, image.content_type, image.width) == ("Land", "image/png", 120)
    assert client.post(url, {"delete": "x"}).status_code == 302
    assert ReportImage.objects.exists()
    client.post(url, {"delete": str(image.pk)})
    assert not ReportImage.objects.exists()


def test_the_fetcher_serves_the_drafts_images_from_storage_and_nothing_else(
    quote_world, coordinator
):
    image = services.report_image_create(
        draft=quote_world["draft"],
        user=coordinator,
        file=_png(),
        placement="lessons",
        alt_text="Pinnwand",
    )
    views = media.report_images(quote_world["draft"])
    fetcher = SafeURLFetcher(files=views["files"])
    url = views["lessons"][0].pdf_src
    response = fetcher.fetch(url)
    assert response.headers["Content-Type"] == "image/png"
    with pytest.raises(RefusedURL):
        fetcher.fetch(url.replace(str(image.pk), str(image.pk + 1)))
    with pytest.raises(RefusedURL):
        SafeURLFetcher().fetch(url)  # another draft's render: not in its map


# --- the PDF ---------------------------------------------------------------------------------


@pytest.fixture
def edited_report(quote_world, coordinator, participation_a):
    draft, baseline = quote_world["draft"], quote_world["baseline"]
    participation_a.starting_situation = "Ahornstadt startete mit einer Bestandsaufnahme."
    participation_a.save()
    draft.foreword = "Sehr geehrte Interessierte!\n\nDieses Vorwort steht nach dem Inhalt."
    draft.imprint = "Veröffentlicht durch IMAP GmbH. Autorinnen: Birte Beispiel."
    draft.contact = "vielfalt@example.org"
    draft.lessons = "Vernetzung trägt."
    draft.save()
    services.report_draft_quotes_set(
        draft=draft,
        user=coordinator,
        expected_version=draft.version,
        chosen=[(_answer(baseline, QUOTED).pk, quotes.AFTER_SURVEY)],
    )
    for placement, alt in (
        ("lab_logo", "IMAP GmbH"),
        ("funder_logo", "Hessisches Ministerium für Soziales und Integration"),
        ("lessons", "Teilnehmende an einer Pinnwand"),
    ):
        services.report_image_create(
            draft=draft, user=coordinator, file=_png(), placement=placement, alt_text=alt
        )
    draft.refresh_from_db()
    rendered = render.render_pdf(draft)
    return PdfReader(io.BytesIO(rendered.pdf)), rendered


def test_the_pdf_prints_foreword_quotes_imprint_and_images_with_their_alt_texts(edited_report):
    reader, rendered = edited_report
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert not rendered.refused_urls
    # the foreword follows the contents and the list of figures; imprint and contact close the
    # report, on one page
    figure_list = next(i for i, page in enumerate(pages) if "Abbildungsverzeichnis" in page)
    assert "Inhalt" in pages[figure_list - 1] or "Inhalt" in pages[figure_list]
    assert "Dieses Vorwort steht nach dem Inhalt." in pages[figure_list + 1]
    assert "Vorwort" in pages[figure_list + 1]
    last = pages[-1]
    assert "Impressum" in last and "Birte Beispiel" in last and "Kontakt" in last
    assert "Förderhinweis" in last or "Gefördert" in text
    assert QUOTED in re.sub(r"\s+", " ", text) and "Stimmen aus der Befragung" in text
    alts = [
        str(e.get("/Alt", ""))
        for e in _struct_elements(reader.trailer["/Root"]["/StructTreeRoot"])
        if e["/S"] == "/Figure"
    ]
    for alt in (
        "IMAP GmbH",
        "Hessisches Ministerium für Soziales und Integration",
        "Teilnehmende an einer Pinnwand",
    ):
        assert alt in alts
    # the header words are not hyphenated
    assert "Standardabwei-" not in text and "Mittel-\n" not in text


def test_the_contents_list_the_municipality_chapters_under_their_own_chapter(edited_report):
    reader, _rendered = edited_report
    contents = next(p.extract_text() for p in reader.pages if "Inhalt" in p.extract_text())
    flat = re.sub(r"[\s.]+", " ", contents)
    chapter = flat.index("Einzelberichte der Kommunen")
    assert flat.index("Ergebnisse der Eingangsbefragung") < chapter < flat.index("Ahornstadt")
    outline = _outline(reader.outline)
    titles = [title for _depth, title in outline]
    reports = titles.index("Einzelberichte der Kommunen")
    baseline = titles.index("Ergebnisse der Eingangsbefragung")
    ahornstadt = titles.index("Ahornstadt")
    assert outline[reports][0] == outline[baseline][0]
    assert outline[ahornstadt][0] == outline[reports][0] + 1
    assert reports < ahornstadt


# --- the cover ------------------------------------------------------------------------------------


def test_the_cover_says_the_kind_once_and_never_breaks_a_year_range(lab_x, cohort_x):
    cohort_x.name = "Kohorte 1 (2020–2021)"
    cohort_x.save()
    draft = ReportDraft.objects.create(
        lab=lab_x,
        cohort=cohort_x,
        kind=ReportKind.FINAL,
        title=f"Abschlussbericht – {lab_x.name}, Kohorte 1 (2020–2021)",
    )
    html = render.render_html(draft)
    title = re.search(r'<h1 class="cover__title">(.*?)</h1>', html, re.S).group(1)
    assert title == f"{lab_x.name}, Kohorte 1 (2020\u2060–\u20602021)"
    assert 'class="cover__scope"' not in html  # the title names the cohort already
    assert html.count(">Abschlussbericht<") == 1  # the kicker above the title
    draft.title = "Bericht"
    draft.save()
    assert "Kohorte 1 (2020\u2060–\u20602021)</p>" in render.render_html(draft)
    draft.title = "Abschlussbericht des Projekts"
    draft.save()
    assert 'class="cover__kind"' not in render.render_html(draft)

"""Event materials: upload checks (the real type of each file, not its name), who may download,
that a material id of another event answers 404, the download headers, and deleting.

Every file is generated here as a real, minimal file of its type. MEDIA_ROOT is a temporary
folder (tests/conftest.py), and each test checks the storage itself, not only the database.
"""

import datetime as dt
import io
import os
import re
import struct
import urllib.parse
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events import filetypes, uploads
from events.models import Event, EventMaterial, EventRegistration, EventType, RegistrationStatus
from tandems import services as tandem_services
from tests.events.matrix_events_world import workshop
from tests.factories import CohortFactory, ParticipationFactory, UserFactory
from tests.helpers import text
from tests.pdf import minimal_pdf

from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

# --- real minimal files --------------------------------------------------------------------------


def _zip(entries, stored_first=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{part}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_OOXML = "application/vnd.openxmlformats-officedocument"
OOXML_PARTS = {
    "docx": (
        "word/document.xml",
        f"{_OOXML}.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Protokoll</w:t></w:r></w:p></w:body></w:document>",
    ),
    "pptx": (
        "ppt/presentation.xml",
        f"{_OOXML}.presentationml.presentation.main+xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    ),
    "docm": (
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    ),
}


def ooxml(kind: str, extra=()) -> bytes:
    part, content_type, body = OOXML_PARTS[kind]
    return _zip(
        [
            ("[Content_Types].xml", _CONTENT_TYPES.format(part=part, content_type=content_type)),
            ("_rels/.rels", _RELS.format(part=part)),
            (part, body),
            *extra,
        ]
    )


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Anwesenheit"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf(kind: str, extra=()) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    return _zip(
        [
            ("mimetype", mimetype),
            (
                "content.xml",
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                'xmlns:office:1.0" office:version="1.2"/>',
            ),
            ("META-INF/manifest.xml", "<manifest:manifest/>"),
            *extra,
        ],
        stored_first=True,
    )


ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name: str, kind: int, *, child=NOSTREAM, right=NOSTREAM, start=0, size=0):
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    entry = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw) if name else 0, kind, 1)
    entry += struct.pack("<III", NOSTREAM, right, child) + b"\0" * 36
    entry += struct.pack("<IQ", start if kind == 2 else ENDOFCHAIN, size)
    return entry


def ole(*streams: str) -> bytes:
    """An OLE2 compound file (as .doc/.xls/.ppt are) with the given top-level streams of 4 KB
    each (names starting with "/" become empty storages)."""
    size, sectors = 4096, 8
    names = list(streams)
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<9I", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREESECT) * 108
    fat = [FATSECT, ENDOFCHAIN]
    entries = [_directory_entry("Root Entry", 5, child=1)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        if name.startswith("/"):
            entries.append(_directory_entry(name[1:], 1, right=right))
            continue
        start = len(fat)
        fat += [start + k + 1 for k in range(sectors - 1)] + [ENDOFCHAIN]
        entries.append(_directory_entry(name, 2, right=right, start=start, size=size))
    while len(entries) % 4:
        entries.append(_directory_entry("", 0))
    assert len(entries) == 4, "one directory sector is enough for these tests"
    fat += [FREESECT] * (128 - len(fat))
    data_sectors = (len(fat) - fat.count(FREESECT) - 2) * 512
    return header + struct.pack("<128I", *fat) + b"".join(entries) + b"\x00" * data_sectors


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pillow(format_: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 60)).save(buffer, format=format_)
    return buffer.getvalue()


PDF = minimal_pdf("Ablauf des Workshops")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56

ALLOWED = [
    ("Ablauf.pdf", lambda: PDF, "application/pdf"),
    ("Protokoll.docx", lambda: ooxml("docx"), f"{_OOXML}.wordprocessingml.document"),
    ("Anwesenheit.xlsx", xlsx, f"{_OOXML}.spreadsheetml.sheet"),
    ("Folien.pptx", lambda: ooxml("pptx"), f"{_OOXML}.presentationml.presentation"),
    ("Alt.doc", lambda: ole("WordDocument", "1Table"), "application/msword"),
    ("Alt.xls", lambda: ole("Workbook"), "application/vnd.ms-excel"),
    ("Alt.ppt", lambda: ole("PowerPoint Document", "Current User"),
     "application/vnd.ms-powerpoint"),
    ("Text.odt", lambda: odf("text"), "application/vnd.oasis.opendocument.text"),
    ("Tabelle.ods", lambda: odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("Folien.odp", lambda: odf("presentation"), "application/vnd.oasis.opendocument.presentation"),
    ("Foto.png", png, "image/png"),
    ("Foto.jpg", lambda: pillow("JPEG"), "image/jpeg"),
    ("Foto.JPEG", lambda: pillow("JPEG"), "image/jpeg"),
    ("Foto.webp", lambda: pillow("WEBP"), "image/webp"),
    ("Notizen.txt", lambda: b"Ergebnisse: Vielfalt als Querschnittsaufgabe.\n",
     "text/plain; charset=utf-8"),
    ("Liste.csv", lambda: "Name;Kommune\nÖzlem;Rodgau\n".encode(), "text/csv; charset=utf-8"),
]  # fmt: skip

# --- the world -----------------------------------------------------------------------------------


@pytest.fixture
def event(world, coordinator, tandem_a, tandem_b):
    """A workshop of lab X for kohorte-1 (tandems A and B are in it)."""
    event = workshop(world, coordinator)
    return event


@pytest.fixture
def other_event(world, coordinator):
    start = timezone.now() + dt.timedelta(days=14)
    event = Event.objects.create(
        lab=world["lab_x"],
        type=EventType.objects.get(lab=None, code="online-seminar"),
        title="Online-Seminar",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        format="online",
        online_url="https://konferenz.example.org/x",
    )
    event.cohorts.add(world["cohort_x"])
    return event


def _upload_url(event) -> str:
    return reverse("event_material_upload", args=[event.lab.slug, event.pk])


def _download_url(event, material) -> str:
    return reverse("event_material_download", args=[event.lab.slug, event.pk, material.pk])


def _delete_url(event, material) -> str:
    return reverse("event_material_delete", args=[event.lab.slug, event.pk, material.pk])


def _post_file(client, event, name, data, title="", content_type="application/octet-stream"):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(_upload_url(event), {"file": upload, "title": title})


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "event-materials"
    return [Path(d) / f for d, _dirs, files in os.walk(root) for f in files]


def _material(event, user, name="Ablauf.pdf", data=PDF) -> EventMaterial:
    return uploads.event_material_create(
        event=event, upload=SimpleUploadedFile(name, data), user=user
    )


@pytest.fixture
def clean_storage(settings):
    """Each test starts with an empty materials folder (the session's MEDIA_ROOT is shared)."""
    import shutil

    shutil.rmtree(Path(settings.MEDIA_ROOT) / "event-materials", ignore_errors=True)
    return settings


# --- upload: accepted ----------------------------------------------------------------------------


@pytest.mark.parametrize("name,make,content_type", ALLOWED, ids=[a[0] for a in ALLOWED])
def test_each_allowed_type_is_accepted_and_stored_under_a_generated_name(
    client_as, event, coordinator, clean_storage, name, make, content_type
):
    data = make()
    # the browser's claim is ignored: the stored type comes from the allow list
    response = _post_file(client_as("coordinator"), event, name, data, content_type="text/html")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith(f"/events/{event.pk}/#materials")
    material = EventMaterial.objects.get(event=event)
    assert material.original_name == name
    assert material.content_type == content_type
    assert material.size == len(data)
    assert material.uploaded_by == coordinator
    stored = _stored_files(clean_storage)
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    # a generated name: nothing of what the uploader called the file
    assert stored[0].name not in name and "." not in stored[0].name
    assert material.file.name.startswith(f"event-materials/{event.pk}/")


@pytest.mark.parametrize(
    "name,make",
    [
        ("Gross.pdf", lambda: PDF + b"%" + b"x" * (3 * 1024 * 1024) + b"\n"),
        ("Gross.docx", lambda: ooxml("docx", extra=[("word/media/f.bin", _noise(3 << 20))])),
        ("Gross.ppt", lambda: ole("PowerPoint Document") + _noise(3 << 20)),
    ],
)
def test_large_files_are_checked_from_the_temporary_upload_file(
    client_as, event, clean_storage, name, make
):
    # above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django spools the upload to a temporary file
    data = make()
    response = _post_file(client_as("coordinator"), event, name, data)
    assert response.status_code == 302
    assert _stored_files(clean_storage)[0].read_bytes() == data


def _noise(n: int) -> bytes:
    import random

    return random.Random(n).randbytes(n)


def test_the_title_is_kept_and_shown_on_the_event_page(client_as, event, clean_storage):
    response = _post_file(client_as("coordinator"), event, "folien.pdf", PDF, "Folien zum Auftakt")
    assert response.status_code == 302
    material = EventMaterial.objects.get(event=event)
    assert material.title == "Folien zum Auftakt"
    page = client_as("tandem_a").get(reverse("event_detail", args=[event.lab.slug, event.pk]))
    assert page.status_code == 200
    body = text(page)
    assert "Folien zum Auftakt" in body
    assert _download_url(event, material) in body
    assert "PDF" in body


def test_the_event_page_states_the_title_limit_instead_of_cutting_it(client_as, event):
    page = client_as("coordinator").get(reverse("event_detail", args=[event.lab.slug, event.pk]))
    body = text(page)
    assert "maxlength" not in body
    assert re.search(r'id="material-title-hint">[^<]*At most 200 characters\.', body)
    assert re.search(r'id="material-title"[^>]*aria-describedby="material-title-hint"', body)


def test_an_over_long_title_is_refused_and_kept(client_as, event, clean_storage):
    too_long = "Folien " + "x" * 194  # 201 characters
    response = _post_file(client_as("coordinator"), event, "folien.pdf", PDF, too_long)
    assert response.status_code == 200
    body = text(response)
    assert "Ensure this value has at most 200 characters (it has 201)." in body
    assert f'value="{too_long}"' in body
    assert "maxlength" not in body
    assert not EventMaterial.objects.filter(event=event).exists()
    assert _stored_files(clean_storage) == []


# --- upload: refused, and nothing stored ---------------------------------------------------------


def _assert_refused(response, settings, *fragments):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "file" in errors, errors
    message = " ".join(errors["file"])
    for fragment in fragments:
        assert fragment in message, message
    assert EventMaterial.objects.count() == 0
    assert _stored_files(settings) == []


@pytest.mark.parametrize(
    "name,data",
    [
        ("Protokoll.pdf", EXE),
        ("Protokoll.docx", EXE),
        ("Foto.png", ELF),
        ("Alt.doc", ELF),
        ("Notizen.txt", EXE),
        ("Skript.csv", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_a_renamed_program_is_refused(client_as, event, clean_storage, name, data):
    response = _post_file(client_as("coordinator"), event, name, data)
    _assert_refused(response, clean_storage, "is a program, not a document")


def test_a_file_above_the_limit_is_refused(client_as, event, clean_storage):
    clean_storage.EVENT_MATERIAL_MAX_BYTES = len(PDF) - 1
    response = _post_file(client_as("coordinator"), event, "Ablauf.pdf", PDF)
    _assert_refused(response, clean_storage, "larger than")


def test_the_limit_is_a_setting_of_20_mb_by_default(client_as, event, settings):
    assert settings.EVENT_MATERIAL_MAX_BYTES == 20 * 1024 * 1024
    page = client_as("coordinator").get(_upload_url(event))
    assert "at most 20.0\xa0MB" in text(page)


@pytest.mark.parametrize(
    "name,data,fragment",
    [
        ("setup.exe", EXE, "Files of type .exe are not accepted"),
        ("Archiv.zip", _zip([("a.txt", "x")]), "Files of type .zip are not accepted"),
        ("Makro.docm", ooxml("docm"), "Files of type .docm are not accepted"),
        ("ohne-endung", PDF, "has no ending"),
        ("Grafik.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
         "can contain scripts"),
        ("Seite.html", b"<html><script>alert(1)</script></html>", "can contain scripts"),
    ],
)  # fmt: skip
def test_a_disallowed_type_is_refused(client_as, event, clean_storage, name, data, fragment):
    response = _post_file(client_as("coordinator"), event, name, data)
    _assert_refused(response, clean_storage, fragment)


@pytest.mark.parametrize(
    "name,data,fragment",
    [
        ("Foto.pdf", png(), "does not match its ending .pdf"),
        ("Ablauf.png", PDF, "does not match its ending .png"),
        ("Protokoll.xlsx", ooxml("docx"), "it looks like “Word document”"),
        ("Tabelle.odt", odf("spreadsheet"), "it looks like “OpenDocument spreadsheet”"),
        ("Archiv.docx", _zip([("a.txt", "x")]), "does not match its ending .docx"),
        ("Tabelle.doc", ole("Workbook"), "it looks like “Excel workbook (97–2003)”"),
        ("kaputt.pptx", b"PK\x03\x04" + b"\x00" * 200, "does not match its ending .pptx"),
        ("kaputt.ppt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
         "does not match its ending .ppt"),
        ("Seite.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>",
         "does not match its ending .txt"),
        ("Grafik.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
         "does not match its ending .png"),
    ],
)  # fmt: skip
def test_content_that_does_not_match_its_ending_is_refused(
    client_as, event, clean_storage, name, data, fragment
):
    response = _post_file(client_as("coordinator"), event, name, data)
    _assert_refused(response, clean_storage, fragment)


@pytest.mark.parametrize(
    "name,data",
    [
        ("Makro.docx", ooxml("docm")),
        ("Makro2.docx", ooxml("docx", extra=[("word/vbaProject.bin", "x")])),
        ("Makro.doc", ole("WordDocument", "/Macros")),
        ("Makro.odt", odf("text", extra=[("Basic/Standard/Module1.xml", "<x/>")])),
    ],
)
def test_documents_with_macros_are_refused(client_as, event, clean_storage, name, data):
    response = _post_file(client_as("coordinator"), event, name, data)
    _assert_refused(response, clean_storage, "macros")


def test_text_must_be_utf8(client_as, event, clean_storage):
    data = "Name;Kommune\nÖzlem;Rödermark\n".encode("cp1252")
    response = _post_file(client_as("coordinator"), event, "Liste.csv", data)
    _assert_refused(response, clean_storage, "UTF-8")


def test_an_empty_file_or_form_is_refused(client_as, event, clean_storage):
    client = client_as("coordinator")
    _assert_refused(_post_file(client, event, "leer.pdf", b""), clean_storage, "empty")
    _assert_refused(client.post(_upload_url(event), {}), clean_storage)


def test_a_zip_bomb_in_the_content_types_is_not_inflated(client_as, event, clean_storage):
    bomb = _zip([("[Content_Types].xml", b"<" * (2 * 1024 * 1024)), ("word/document.xml", "x")])
    response = _post_file(client_as("coordinator"), event, "Bombe.docx", bomb)
    _assert_refused(response, clean_storage, "does not match its ending .docx")


def test_only_coordinators_upload(client_as, event, clean_storage):
    for persona in ("tandem_a", "funder", "expert"):
        response = _post_file(client_as(persona), event, "Ablauf.pdf", PDF)
        assert response.status_code == 403, persona
    assert _post_file(client_as("coordinator_y"), event, "Ablauf.pdf", PDF).status_code == 404
    assert EventMaterial.objects.count() == 0
    assert _stored_files(clean_storage) == []


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("Protokoll.pdf", "Protokoll.pdf"),
        ("C:\\Users\\a\\Protokoll 2025.pdf", "Protokoll 2025.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("Rechnung\u202efdp.exe", "Rechnungfdp.exe"),  # no right-to-left override
        ("  .versteckt.pdf  ", "versteckt.pdf"),
        ("Zeile\nUmbruch\t.pdf", "Zeile Umbruch .pdf"),
        ("Über uns – Ergebnis.docx", "Über uns – Ergebnis.docx"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_original_names_are_cleaned(raw, clean):
    assert uploads.clean_original_name(raw) == clean


def test_content_disposition_carries_the_utf8_name_and_an_ascii_fallback():
    header = uploads.content_disposition('Über "uns".pdf')
    assert header.startswith('attachment; filename="Uber _uns_.pdf"; ')
    assert header.endswith("filename*=UTF-8''%C3%9Cber%20%22uns%22.pdf")


# --- download ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,status",
    [
        ("coordinator", 200),
        ("tandem_a", 200),
        ("tandem_b", 200),
        ("funder", 200),
        ("expert", 200),
        ("admin", 200),
        ("coordinator_y", 404),
        ("outsider", 404),
    ],
)
def test_download_goes_to_everybody_who_sees_the_event(
    client_as, event, coordinator, persona, status
):
    material = _material(event, coordinator)
    response = client_as(persona).get(_download_url(event, material))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.fixture
def cohort_2_member(world):
    """A tandem member of another cohort of the same lab."""
    cohort = CohortFactory(lab=world["lab_x"], slug="kohorte-2", name="Kohorte 2")
    participation = ParticipationFactory(cohort=cohort, municipality=world["municipality_b"])
    user = UserFactory(email="carla.cohorte@example.org", name="Carla Kohorte")
    tandem_services.tandem_member_add(participation=participation, user=user, department="Kämmerei")
    return user


def test_a_tandem_member_of_another_cohort_gets_404(client_as, event, coordinator, cohort_2_member):
    material = _material(event, coordinator)
    assert client_as(cohort_2_member).get(_download_url(event, material)).status_code == 404
    # ... until they are invited by name
    EventRegistration.objects.create(
        event=event, user=cohort_2_member, status=RegistrationStatus.INVITED
    )
    assert client_as(cohort_2_member).get(_download_url(event, material)).status_code == 200


def test_an_event_for_another_cohort_is_hidden_from_tandem_a(
    client_as, world, coordinator, cohort_2_member
):
    start = timezone.now() + dt.timedelta(days=3)
    event = Event.objects.create(
        lab=world["lab_x"],
        type=EventType.objects.get(lab=None, code="training"),
        title="Schulung Kohorte 2",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Rathaus",
    )
    event.cohorts.add(cohort_2_member.tandem_memberships.get().tandem.participation.cohort)
    material = _material(event, coordinator)
    assert client_as("tandem_a").get(_download_url(event, material)).status_code == 404
    assert client_as(cohort_2_member).get(_download_url(event, material)).status_code == 200


def test_a_material_of_another_event_answers_404(client_as, event, other_event, coordinator):
    theirs = _material(other_event, coordinator)
    for persona in ("coordinator", "tandem_a", "admin"):
        client = client_as(persona)
        assert client.get(_download_url(event, theirs)).status_code == 404, persona
    assert client_as("coordinator").post(_delete_url(event, theirs)).status_code == 404
    assert EventMaterial.objects.filter(pk=theirs.pk).exists()


def test_download_headers(client_as, event, coordinator):
    material = _material(event, coordinator, name="Über uns – Ergebnis.docx", data=ooxml("docx"))
    response = client_as("tandem_a").get(_download_url(event, material))
    assert response.status_code == 200
    assert response["Content-Type"] == f"{_OOXML}.wordprocessingml.document"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    quoted = urllib.parse.quote("Über uns – Ergebnis.docx", safe="")
    assert f"filename*=UTF-8''{quoted}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert int(response["Content-Length"]) == material.size


def test_download_of_a_lost_file_is_404_not_500(client_as, event, coordinator):
    material = _material(event, coordinator)
    material.file.storage.delete(material.file.name)
    assert client_as("coordinator").get(_download_url(event, material)).status_code == 404


# --- delete --------------------------------------------------------------------------------------


def test_delete_removes_the_record_and_the_file(
    client_as, event, coordinator, clean_storage, django_capture_on_commit_callbacks
):
    material = _material(event, coordinator)
    assert len(_stored_files(clean_storage)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(_delete_url(event, material))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/{event.pk}/#materials")
    assert not EventMaterial.objects.filter(pk=material.pk).exists()
    assert _stored_files(clean_storage) == []


def test_only_coordinators_delete(client_as, event, coordinator, clean_storage):
    material = _material(event, coordinator)
    for persona in ("tandem_a", "funder", "expert"):
        assert client_as(persona).post(_delete_url(event, material)).status_code == 403
    assert client_as("coordinator_y").post(_delete_url(event, material)).status_code == 404
    assert client_as("coordinator").get(_delete_url(event, material)).status_code == 405
    assert EventMaterial.objects.filter(pk=material.pk).exists()
    assert len(_stored_files(clean_storage)) == 1


# --- the event page ------------------------------------------------------------------------------


def test_the_event_page_offers_upload_and_delete_to_coordinators_only(
    client_as, event, coordinator
):
    material = _material(event, coordinator)
    detail = reverse("event_detail", args=[event.lab.slug, event.pk])
    body = text(client_as("coordinator").get(detail))
    assert _upload_url(event) in body
    assert _delete_url(event, material) in body
    assert f'accept="{filetypes.ACCEPT_ATTRIBUTE}"' in body
    body = text(client_as("tandem_a").get(detail))
    assert _download_url(event, material) in body
    assert _upload_url(event) not in body
    assert _delete_url(event, material) not in body


def test_the_event_page_needs_no_query_per_material(client_as, event, coordinator):
    from tests.helpers import assert_constant_queries

    _material(event, coordinator)
    assert_constant_queries(
        client_as("coordinator"),
        reverse("event_detail", args=[event.lab.slug, event.pk]),
        lambda: [_material(event, coordinator, name=f"Teil {i}.pdf") for i in range(5)],
    )

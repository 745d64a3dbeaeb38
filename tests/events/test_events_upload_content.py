"""Issue 21.7: uploads are checked by what they are, not only by how they start. A PDF must parse
(pypdf), an image decode (Pillow), an Office file be a sound ZIP or OLE container; a polyglot — a
valid signature followed by a web page — is refused with a message that says so."""

import io
import zipfile

import pytest
from PIL import Image

from events.models import EventMaterial
from tests.pdf import minimal_pdf

from .test_events_materials import (
    _assert_refused,
    _post_file,
    clean_storage,
    event,
    ooxml,
    pillow,
    png,
)

__all__ = ["clean_storage", "event"]  # fixtures, used by name

from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
POLYGLOT = "contains web page code"


def _broken_zip_entry() -> bytes:
    """A .docx whose [Content_Types].xml is sound but whose main part fails its checksum."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(ooxml("docx"))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive,
    ):
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
    data = bytearray(buffer.getvalue())
    at = data.find(b"<w:document")
    data[at + 3] ^= 0x20  # one flipped bit inside the stored entry: its CRC no longer matches
    return bytes(data)


def _truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()[:200]


@pytest.mark.parametrize(
    "name,data,fragment",
    [
        ("Einladung.pdf", b"%PDF-1.4\n" + HTML, POLYGLOT),
        ("Foto.png", b"\x89PNG\r\n\x1a\n" + HTML, POLYGLOT),
        ("Foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML, POLYGLOT),
        ("Foto.webp", b"RIFF\x00\x01\x00\x00WEBPVP8 " + HTML, POLYGLOT),
        # a real PDF or image with a web page in its first bytes, where browsers sniff
        ("Ablauf.pdf", minimal_pdf("x").replace(b"\n", b"\n" + HTML, 1), POLYGLOT),
    ],
    ids=["pdf-html", "png-html", "jpeg-html", "webp-html", "pdf-with-html-head"],
)
def test_a_polyglot_is_refused_with_a_message(
    client_as, event, clean_storage, name, data, fragment
):
    response = _post_file(client_as("coordinator"), event, name, data)
    _assert_refused(response, clean_storage, fragment)


@pytest.mark.parametrize(
    "name,data",
    [
        ("Ablauf.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
        ("Ablauf2.pdf", minimal_pdf("Ablauf")[:150]),
        ("Foto.png", png()[:40]),
        ("Foto2.png", png().replace(b"IDAT", b"IDAX")),
        ("Foto.jpg", _truncated_jpeg()),
        ("Foto.webp", pillow("WEBP")[:30]),
        ("Protokoll.docx", _broken_zip_entry()),
    ],
    ids=["pdf-no-pages", "pdf-cut", "png-cut", "png-bad-chunk", "jpeg-cut", "webp-cut", "docx-crc"],
)
def test_a_file_that_does_not_parse_as_its_type_is_refused(
    client_as, event, clean_storage, name, data
):
    response = _post_file(client_as("coordinator"), event, name, data)
    _assert_refused(response, clean_storage, "does not match its ending")


def test_the_refusal_speaks_german(client_as, event, clean_storage):
    client = client_as("coordinator")
    client.cookies["django_language"] = "de"
    response = _post_file(client, event, "Einladung.pdf", b"%PDF-1.4\n" + HTML)
    _assert_refused(response, clean_storage, "enthält Webseiten-Code")


def test_sound_files_are_still_accepted(client_as, event, clean_storage):
    client = client_as("coordinator")
    for name, data in [
        ("Ablauf.pdf", minimal_pdf("Ablauf des Workshops")),
        ("Foto.png", png()),
        ("Foto.jpg", pillow("JPEG")),
        ("Foto.webp", pillow("WEBP")),
        ("Protokoll.docx", ooxml("docx")),
    ]:
        assert _post_file(client, event, name, data).status_code == 302, name
    assert EventMaterial.objects.filter(event=event).count() == 5


def test_a_zip_that_would_inflate_beyond_the_limit_is_refused(
    client_as, event, clean_storage, settings
):
    buffer = io.BytesIO(ooxml("docx"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/leer.bin", b"\0" * (3 * 1024 * 1024))
    settings.EVENT_MATERIAL_MAX_BYTES = 100_000  # unpacked, at most 10 × this
    response = _post_file(client_as("coordinator"), event, "Protokoll.docx", buffer.getvalue())
    _assert_refused(response, clean_storage, "does not match its ending")

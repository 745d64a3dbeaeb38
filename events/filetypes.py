"""The file types an event's material may have: their endings, the content type stored and
served, and their names in words. The checks that a file really is of its type are in uploads.py.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class AllowedType:
    extensions: tuple[str, ...]
    content_type: str
    label: str  # lazy
    kind: str  # pdf, image, ooxml, odf, ole, text
    magic: tuple[str, ...] = ()  # puremagic extensions that prove an image or PDF
    main_part: str = ""  # OOXML: main content type; ODF: mimetype entry; OLE: a stream name
    other_parts: tuple[str, ...] = ()  # OLE: further names of the main stream


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

ALLOWED_TYPES: tuple[AllowedType, ...] = (
    AllowedType(("pdf",), "application/pdf", gettext_lazy("PDF"), "pdf", magic=(".pdf",)),
    AllowedType(
        ("docx",),
        f"{_OOXML}.wordprocessingml.document",
        gettext_lazy("Word document"),
        "ooxml",
        main_part=f"{_OOXML}.wordprocessingml.document.main+xml",
    ),
    AllowedType(
        ("xlsx",),
        f"{_OOXML}.spreadsheetml.sheet",
        gettext_lazy("Excel workbook"),
        "ooxml",
        main_part=f"{_OOXML}.spreadsheetml.sheet.main+xml",
    ),
    AllowedType(
        ("pptx",),
        f"{_OOXML}.presentationml.presentation",
        gettext_lazy("PowerPoint presentation"),
        "ooxml",
        main_part=f"{_OOXML}.presentationml.presentation.main+xml",
    ),
    AllowedType(
        ("doc",),
        "application/msword",
        gettext_lazy("Word document (97–2003)"),
        "ole",
        main_part="WordDocument",
    ),
    AllowedType(
        ("xls",),
        "application/vnd.ms-excel",
        gettext_lazy("Excel workbook (97–2003)"),
        "ole",
        main_part="Workbook",
        other_parts=("Book",),
    ),
    AllowedType(
        ("ppt",),
        "application/vnd.ms-powerpoint",
        gettext_lazy("PowerPoint presentation (97–2003)"),
        "ole",
        main_part="PowerPoint Document",
    ),
    AllowedType(
        ("odt",),
        f"{_ODF}.text",
        gettext_lazy("OpenDocument text"),
        "odf",
        main_part=f"{_ODF}.text",
    ),
    AllowedType(
        ("ods",),
        f"{_ODF}.spreadsheet",
        gettext_lazy("OpenDocument spreadsheet"),
        "odf",
        main_part=f"{_ODF}.spreadsheet",
    ),
    AllowedType(
        ("odp",),
        f"{_ODF}.presentation",
        gettext_lazy("OpenDocument presentation"),
        "odf",
        main_part=f"{_ODF}.presentation",
    ),
    AllowedType(("png",), "image/png", gettext_lazy("PNG image"), "image", magic=(".png",)),
    AllowedType(
        ("jpg", "jpeg"),
        "image/jpeg",
        gettext_lazy("JPEG image"),
        "image",
        magic=(".jpg", ".jpeg", ".jfif", ".jpe"),
    ),
    AllowedType(("webp",), "image/webp", gettext_lazy("WebP image"), "image", magic=(".webp",)),
    AllowedType(("txt",), "text/plain; charset=utf-8", gettext_lazy("Text"), "text"),
    AllowedType(("csv",), "text/csv; charset=utf-8", gettext_lazy("CSV table"), "text"),
)
BY_EXTENSION = {ext: spec for spec in ALLOWED_TYPES for ext in spec.extensions}
BY_CONTENT_TYPE = {spec.content_type: spec for spec in ALLOWED_TYPES}
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in BY_EXTENSION)


def max_upload_bytes() -> int:
    return settings.EVENT_MATERIAL_MAX_BYTES


def _allowed_summary() -> str:
    return _("PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, WebP, text or CSV")


allowed_summary = lazy(_allowed_summary, str)


def type_label(content_type: str) -> str:
    spec = BY_CONTENT_TYPE.get(content_type)
    return str(spec.label) if spec else _("File")

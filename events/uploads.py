"""Materials of an event: which files are accepted, how they are checked, stored and named.

A file is accepted only if its extension is in filetypes.ALLOWED_TYPES *and* its content really is
of that type. The content is sniffed from its first bytes with puremagic (pure Python, MIT);
containers are opened and looked into: an OOXML file (docx/xlsx/pptx) must be a ZIP whose
[Content_Types].xml names the right main part, an OpenDocument file a ZIP whose first entry
"mimetype" names the right type, an old Office file (doc/xls/ppt) an OLE2 compound file (read
with olefile) with the right main stream. A PDF must parse with pypdf and have pages, an image
must decode completely with Pillow in its ending's format, every ZIP entry must inflate to its
checksum (within MAX_UNZIPPED_FACTOR × the upload limit), and a PDF or image with web page code
in its first kilobyte (a polyglot) is refused with its own message. Programs (PE/ELF/Mach-O
headers, scripts) and documents with macros are refused, and so are SVG and HTML (they can carry
scripts that would run in our origin if a browser ever rendered them).

| extension       | stored content type (OOXML = application/vnd.openxmlformats-   | check |
|                 | officedocument, ODF = application/vnd.oasis.opendocument)       |       |
|-----------------|-----------------------------------------------------------------|-------|
| pdf             | application/pdf                                                 | magic |
| docx            | OOXML.wordprocessingml.document                                 | OOXML |
| xlsx            | OOXML.spreadsheetml.sheet                                       | OOXML |
| pptx            | OOXML.presentationml.presentation                               | OOXML |
| doc             | application/msword                                              | OLE2  |
| xls             | application/vnd.ms-excel                                        | OLE2  |
| ppt             | application/vnd.ms-powerpoint                                   | OLE2  |
| odt / ods / odp | ODF.text / ODF.spreadsheet / ODF.presentation                   | ODF   |
| png             | image/png                                                       | magic |
| jpg / jpeg      | image/jpeg                                                      | magic |
| webp            | image/webp                                                      | magic |
| txt             | text/plain; charset=utf-8                                       | UTF-8 |
| csv             | text/csv; charset=utf-8                                         | UTF-8 |

At most settings.EVENT_MATERIAL_MAX_BYTES per file (20 MB unless configured). The file is stored
through Django's storage API under a generated name (events.models.material_upload_to); what the
uploader called it is kept, cleaned, in `original_name` only, and the content type served later
is the one from this table, never the one the browser claimed.
"""

import re
import unicodedata
import urllib.parse
import zipfile
import zlib

import olefile
import puremagic
import pypdf
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from .filetypes import ALLOWED_TYPES, BY_EXTENSION, AllowedType, allowed_summary, max_upload_bytes
from .models import Event, EventMaterial

SNIFF_BYTES = 8192
MAX_NAME_LENGTH = 200
MAX_ZIP_ENTRIES = 20_000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Programs and scripts, whatever they are called: Windows PE (MZ), ELF, Mach-O, Java class /
# Mach-O fat binaries, and scripts with a #! line.
EXECUTABLE_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# Named in their own refusal message: they can contain scripts.
SCRIPTABLE_EXTENSIONS = {"svg", "svgz", "html", "htm", "xhtml", "shtml", "xml", "js", "mjs"}
OLE_MACRO_STORAGES = {"macros", "_vba_project_cur", "_vba_project", "vba"}
# A PDF or image with web page code where browsers sniff (the first 1024 bytes) is a polyglot.
HTML_MARKERS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)\b",
    re.IGNORECASE,
)
HTML_SNIFF_BYTES = 1024
# An Office container may unpack to at most this many times the upload limit (a ZIP bomb can not).
MAX_UNZIPPED_FACTOR = 10
# Pillow decodes an image completely; more pixels than this are not a slide or a photo.
MAX_IMAGE_PIXELS = 60_000_000
PILLOW_FORMATS = {"png": {"PNG"}, "jpg": {"JPEG", "MPO"}, "jpeg": {"JPEG", "MPO"}, "webp": {"WEBP"}}


# --- names -----------------------------------------------------------------------------------


def clean_original_name(name: str) -> str:
    """The uploader's file name, safe to show and to put into a header: no folders, no control
    or direction-changing characters (U+202E would let "gpj.exe" read as "exe.jpg"), no leading
    dots, at most MAX_NAME_LENGTH characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").rstrip(". ")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the exact name as RFC 5987 `filename*`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", ascii_name).strip(" ._")
    ext = extension_of(name)
    if not ascii_name or ascii_name == ext:
        ascii_name = f"download.{ext}" if ext else "download"
    quoted = urllib.parse.quote(name, safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


# --- checks ----------------------------------------------------------------------------------


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def _mismatch(ext: str, found: str | None = None) -> ValidationError:
    if found:
        message = _(
            "The content of this file does not match its ending .%(ext)s: it looks like "
            "“%(found)s”. Please upload the original document."
        ) % {"ext": ext, "found": found}
    else:
        message = _(
            "The content of this file does not match its ending .%(ext)s. Please upload the "
            "original document."
        ) % {"ext": ext}
    return _refuse(message, "content_mismatch")


def _macros() -> ValidationError:
    return _refuse(
        _(
            "Documents with macros are not accepted. Please save the document without macros "
            "(e.g. as .docx, .xlsx or .pptx) and upload it again."
        ),
        "macros",
    )


def _polyglot(ext: str) -> ValidationError:
    return _refuse(
        _(
            "This file contains web page code (HTML) besides its .%(ext)s content, so it is not "
            "what its ending says. It was not accepted; please upload the original document."
        )
        % {"ext": ext},
        "polyglot",
    )


def _check_pdf(upload, ext: str) -> None:
    """The whole file must parse as a PDF with pages (or be an encrypted one)."""
    upload.seek(0)
    try:
        reader = pypdf.PdfReader(upload.file, strict=False)
        if not reader.is_encrypted and len(reader.pages) < 1:
            raise _mismatch(ext)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on a broken file  # noqa: BLE001
        raise _mismatch(ext) from None
    finally:
        upload.seek(0)


def _check_image(upload, ext: str) -> None:
    """The image must be of its ending's format and decode completely."""
    upload.seek(0)
    try:
        with Image.open(upload.file) as image:
            if image.format not in PILLOW_FORMATS[ext]:
                raise _mismatch(ext, image.format)
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _mismatch(ext)
            image.verify()
        upload.seek(0)
        with Image.open(upload.file) as image:
            image.load()
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds on a broken image  # noqa: BLE001
        raise _mismatch(ext) from None
    finally:
        upload.seek(0)


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _sniff(head: bytes) -> list:
    try:
        return puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return []


def _check_zip(upload, spec: AllowedType, ext: str) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload.file) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > MAX_ZIP_ENTRIES:
                raise _mismatch(ext)
            names = {info.filename for info in infos}
            if spec.kind == "ooxml":
                _check_ooxml(archive, names, spec, ext)
            else:
                _check_odf(archive, infos, names, spec, ext)
            # Every entry must inflate to its checksum; the declared sizes bound the work.
            unzipped = sum(info.file_size for info in infos)
            if unzipped > MAX_UNZIPPED_FACTOR * max_upload_bytes():
                raise _mismatch(ext)
            if archive.testzip() is not None:
                raise _mismatch(ext)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        KeyError,
        ValueError,
        NotImplementedError,  # an unknown compression method
        RuntimeError,  # an encrypted entry
    ):
        raise _mismatch(ext) from None
    finally:
        upload.seek(0)


_OVERRIDE_RE = re.compile(rb"<Override\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(rb'(PartName|ContentType)\s*=\s*["\']([^"\']*)["\']', re.IGNORECASE)


def _check_ooxml(archive: zipfile.ZipFile, names: set[str], spec: AllowedType, ext: str) -> None:
    info = archive.getinfo("[Content_Types].xml")
    # The declared size bounds what ZipExtFile will inflate, so a bomb cannot get past it.
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _mismatch(ext)
    content_types = archive.read(info)
    if b"macroenabled" in content_types.lower() or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        raise _macros()
    parts = {}
    for override in _OVERRIDE_RE.findall(content_types):
        attrs = {key.lower(): value for key, value in _ATTR_RE.findall(override)}
        if b"partname" in attrs and b"contenttype" in attrs:
            parts[attrs[b"partname"].decode("utf-8", "replace")] = attrs[b"contenttype"].decode(
                "utf-8", "replace"
            )
    main = [part for part, ctype in parts.items() if ctype.strip() == spec.main_part]
    if not main or main[0].lstrip("/") not in names:
        found = None
        for other in ALLOWED_TYPES:
            if other.kind == "ooxml" and other.main_part in parts.values():
                found = str(other.label)
        raise _mismatch(ext, found)


def _check_odf(archive, infos, names: set[str], spec: AllowedType, ext: str) -> None:
    first = infos[0]
    if first.filename != "mimetype" or first.file_size > 200:
        raise _mismatch(ext)
    mimetype = archive.read(first).decode("ascii", "replace").strip()
    if mimetype != spec.main_part or "content.xml" not in names:
        found = next(
            (str(o.label) for o in ALLOWED_TYPES if o.kind == "odf" and o.main_part == mimetype),
            None,
        )
        raise _mismatch(ext, found)
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise _macros()


def _check_ole(upload, spec: AllowedType, ext: str) -> None:
    upload.seek(0)
    try:
        with olefile.OleFileIO(upload.file) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception:  # olefile raises many kinds on a malformed file
        raise _mismatch(ext) from None
    finally:
        upload.seek(0)
    top_level = {entry[0] for entry in entries if entry}
    if any(part.lower() in OLE_MACRO_STORAGES for entry in entries for part in entry):
        raise _macros()
    if not ({spec.main_part, *spec.other_parts} & top_level):
        found = next(
            (
                str(o.label)
                for o in ALLOWED_TYPES
                if o.kind == "ole" and {o.main_part, *o.other_parts} & top_level
            ),
            None,
        )
        raise _mismatch(ext, found)


def _check_text(upload, ext: str, sniffed: list) -> None:
    if sniffed:
        raise _mismatch(ext, sniffed[0].name)
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    if b"\x00" in data:
        raise _mismatch(ext)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(
            _(
                "Text and CSV files must be encoded as UTF-8. Save the file as “UTF-8” (or "
                "“CSV UTF-8”) and upload it again."
            ),
            "encoding",
        ) from None


def check_upload(upload) -> AllowedType:
    """The allowed type of an uploaded file, or a ValidationError (on "file") saying why not."""
    name = clean_original_name(upload.name)
    ext = extension_of(name)
    if not ext:
        raise _refuse(
            _("The file name has no ending such as .pdf. Allowed are: %(allowed)s.")
            % {"allowed": allowed_summary()},
            "no_extension",
        )
    spec = BY_EXTENSION.get(ext)
    if spec is None:
        if ext in SCRIPTABLE_EXTENSIONS:
            message = _(
                "Files of type .%(ext)s are not accepted because they can contain scripts. "
                "Please upload a PDF or an image (PNG, JPEG) instead."
            )
        else:
            message = _("Files of type .%(ext)s are not accepted. Allowed are: %(allowed)s.")
        raise _refuse(message % {"ext": ext, "allowed": allowed_summary()}, "extension")

    size = upload.size or 0
    if size == 0:
        raise _refuse(_("The file is empty."), "empty")
    if size > max_upload_bytes():
        raise _refuse(
            _("The file is larger than %(limit)s (it has %(size)s).")
            % {"limit": filesizeformat(max_upload_bytes()), "size": filesizeformat(size)},
            "too_large",
        )

    head = _read_head(upload)
    sniffed = _sniff(head)
    if head.startswith(EXECUTABLE_SIGNATURES) or any(
        "executable" in (match.name or "").lower() for match in sniffed
    ):
        raise _refuse(
            _(
                "This file is a program, not a document, even though its name ends in "
                ".%(ext)s. It was not accepted."
            )
            % {"ext": ext},
            "executable",
        )

    if spec.kind in ("pdf", "image"):
        found = {match.extension.lower() for match in sniffed}
        if not found & set(spec.magic):
            raise _mismatch(ext, sniffed[0].name if sniffed else None)
        if HTML_MARKERS.search(head[:HTML_SNIFF_BYTES]):
            raise _polyglot(ext)
        if spec.kind == "pdf":
            _check_pdf(upload, ext)
        else:
            _check_image(upload, ext)
    elif spec.kind in ("ooxml", "odf"):
        if not head.startswith(ZIP_SIGNATURE):
            raise _mismatch(ext, sniffed[0].name if sniffed else None)
        _check_zip(upload, spec, ext)
    elif spec.kind == "ole":
        if not head.startswith(OLE_SIGNATURE):
            raise _mismatch(ext, sniffed[0].name if sniffed else None)
        _check_ole(upload, spec, ext)
    else:
        _check_text(upload, ext, sniffed)
    return spec


# --- services --------------------------------------------------------------------------------


def event_material_create(*, event: Event, upload, user, title: str = "") -> EventMaterial:
    """Check the file, store it under a generated name and record it. Nothing is stored when the
    check fails (ValidationError on "file")."""
    spec = check_upload(upload)
    material = EventMaterial(
        event=event,
        original_name=clean_original_name(upload.name),
        content_type=spec.content_type,
        size=upload.size,
        title=(title or "").strip(),
        uploaded_by=user,
    )
    upload.seek(0)
    material.file.save(material.original_name, upload, save=False)
    try:
        with transaction.atomic():
            material.full_clean()
            material.save()
    except BaseException:
        material.file.storage.delete(material.file.name)
        raise
    return material


def event_material_delete(*, material: EventMaterial) -> None:
    """Delete the record, and the file once the deletion is committed (a rollback keeps both)."""
    storage, name = material.file.storage, material.file.name
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))

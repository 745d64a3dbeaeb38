"""Images of a report draft: what an upload must be, and how the report templates reach them.

Only PNG and JPEG are accepted, at most REPORT_IMAGE_MAX_BYTES, checked by the event materials'
checks (events.uploads.check_upload: the content must be what the ending says, decode completely,
carry no web page code). In the PDF an image's address is a name under the report's reserved
base URL that the report's fetcher (reports.fetcher.SafeURLFetcher) maps to the stored file —
it never fetches from the web; the browser preview (a sandboxed frame) gets it as a data: URL.
"""

import base64
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from events.uploads import check_upload, clean_original_name, extension_of

from .fetcher import REPORT_BASE_URL
from .models import ImagePlacement, ReportDraft, ReportImage

REPORT_IMAGE_MAX_BYTES = 5 * 1024 * 1024
REPORT_IMAGE_EXTENSIONS = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
FUNDER_LOGOS_MAX = 6


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def check_report_image(upload) -> str:
    """The content type of an acceptable image, or a ValidationError on "file" saying why not."""
    ext = extension_of(clean_original_name(upload.name))
    if ext not in REPORT_IMAGE_EXTENSIONS:
        raise _refuse(
            _("Only PNG and JPEG images can go into a report (a file ending in .png or .jpg)."),
            "extension",
        )
    size = upload.size or 0
    if size > REPORT_IMAGE_MAX_BYTES:
        raise _refuse(
            _("The image is larger than %(limit)s (it has %(size)s). Please make it smaller.")
            % {"limit": filesizeformat(REPORT_IMAGE_MAX_BYTES), "size": filesizeformat(size)},
            "too_large",
        )
    check_upload(upload)  # empty, a program, not what its ending says, broken, a polyglot
    return REPORT_IMAGE_EXTENSIONS[ext]


@dataclass
class ImageView:
    image: ReportImage

    @property
    def pdf_src(self) -> str:
        return f"{REPORT_BASE_URL}report-images/{self.image.pk}"

    @cached_property
    def data_uri(self) -> str:
        """For the browser preview: read only when the preview shows the image."""
        try:
            with self.image.file.open("rb") as handle:
                payload = base64.b64encode(handle.read()).decode("ascii")
        except (FileNotFoundError, OSError):
            return ""
        return f"data:{self.image.content_type};base64,{payload}"

    @property
    def alt(self) -> str:
        return self.image.alt_text

    @property
    def caption(self) -> str:
        return self.image.caption


def report_images(draft: ReportDraft) -> dict:
    """The draft's images for the templates: {"lab_logo": ImageView | None, "funder_logos":
    [ImageView], "<narrative field>": [ImageView]} and "files", the map the PDF's fetcher serves
    ({url: (storage name, content type)})."""
    result: dict = {"lab_logo": None, "funder_logos": [], "files": {}}
    for image in ReportImage.objects.filter(draft=draft).order_by("uploaded_at", "pk"):
        view = ImageView(image)
        result["files"][view.pdf_src] = (image.file.name, image.content_type)
        if image.placement == ImagePlacement.LAB_LOGO:
            result["lab_logo"] = view  # the newest one
        elif image.placement == ImagePlacement.FUNDER_LOGO:
            result["funder_logos"].append(view)
        else:
            result.setdefault(image.placement, []).append(view)
    return result

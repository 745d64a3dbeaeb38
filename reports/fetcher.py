"""The only URL fetcher WeasyPrint gets when it renders a report.

WeasyPrint's default fetcher reads file:// paths, calls http(s) addresses, follows redirects and
embeds any readable file named by `<link rel=attachment>`. Report HTML contains text typed by
users (sanitised by core/markdown.py, but this is the second line of defence), so the renderer may
read nothing but the project's own static files: URLs under STATIC_URL, resolved through the
staticfiles finders (development, tests) or the static storage (production, after
collectstatic). Everything else — file://, http(s) to any host, data: URLs, paths outside
static, path traversal — is refused with an error, which WeasyPrint treats as a failed fetch:
the image or attachment is left out and the render goes on.

The one exception is a draft's own images (reports.media): the renderer passes the fetcher a map
of exactly those URLs to their names in Django's storage, and the fetcher reads them from there.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base URL the report HTML is rendered against: a reserved name (RFC 2606) that never
# resolves, so "/static/…" becomes an absolute URL this fetcher recognises and nothing else does.
REPORT_BASE_URL = "https://report.invalid/"


class RefusedURL(ValueError):
    """The report renderer may not fetch this URL."""


def _static_name(url: str) -> str:
    """The static file name a URL points to, or RefusedURL."""
    static_url = settings.STATIC_URL or "/static/"
    parts = urlsplit(url)
    if static_url.startswith(("http://", "https://")):
        prefix = static_url
    else:
        base = urlsplit(REPORT_BASE_URL)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise RefusedURL(f"only the project's static files may be fetched, not {url!r}")
        prefix = f"{base.scheme}://{base.netloc}/{static_url.lstrip('/')}"
    plain = url.split("#", 1)[0].split("?", 1)[0]
    if not plain.startswith(prefix):
        raise RefusedURL(f"only the project's static files may be fetched, not {url!r}")
    name = unquote(plain[len(prefix) :])
    pieces = name.split("/")
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or any(piece in ("", ".", "..") for piece in pieces)
        or posixpath.normpath(name) != name
    ):
        raise RefusedURL(f"not a static file name: {url!r}")
    return name


def static_file_path(url: str) -> Path:
    """The file on disk that a static URL names; RefusedURL if it names none."""
    name = _static_name(url)
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        stored = Path(staticfiles_storage.path(name))
    except (NotImplementedError, ValueError) as error:
        raise RefusedURL(f"no such static file: {url!r}") from error
    root = Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None
    if root and stored.is_file() and stored.resolve().is_relative_to(root):
        return stored
    raise RefusedURL(f"no such static file: {url!r}")


class SafeURLFetcher(URLFetcher):
    """Serves the project's static files and the stored files named in `files` ({url: (storage
    name, content type)}, the report's own images); refuses every other URL (see the module's
    doc)."""

    def __init__(self, files: dict[str, tuple[str, str]] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=[], allow_redirects=False)
        self.files = dict(files or {})
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        if url in self.files:
            name, content_type = self.files[url]
            try:
                with default_storage.open(name, "rb") as handle:
                    body = handle.read()
            except (FileNotFoundError, OSError) as error:
                self.refused.append(url)
                raise RefusedURL(f"stored file missing: {url!r}") from error
            self.served.append(url)
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type}, status=200)
        try:
            path = static_file_path(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            content_type = "font/woff2"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )

    def open(self, url, data=None, timeout=None):  # urllib's entry point: never used to open
        raise RefusedURL("the report fetcher opens no URLs itself")


def safe_url_fetcher(url: str) -> URLFetcherResponse:
    """Fetch one URL the way the report renderer does (RefusedURL if it may not).

    render_pdf gives WeasyPrint a fresh SafeURLFetcher per render, which also records what it
    served and refused."""
    return SafeURLFetcher().fetch(url)

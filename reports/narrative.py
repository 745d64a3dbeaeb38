"""Narrative text of a report: Markdown written by coordinators, rendered to safe HTML.

The same HTML goes into the browser preview and into the PDF (WeasyPrint), so the sanitiser
must keep anything that could fetch a resource out: no images, no styles, no scripts, and
links only to http/https/mailto.
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Tags whose content is dropped too (not just the tag), because their text is code, not prose.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}

# The report puts each narrative section under its own <h2>; Markdown headings sit below it.
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _shift_heading(match: re.Match) -> str:
    level = 3 if match.group(2) == "1" else 4
    return f"<{match.group(1)}h{level}>"


def to_html(text: str) -> str:
    """Render Markdown to sanitised HTML (``#`` → h3, ``##`` and deeper → h4)."""
    if not text or not text.strip():
        return ""
    rendered = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    rendered = _HEADING.sub(_shift_heading, rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()

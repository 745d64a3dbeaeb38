"""Narrative text of a report: Markdown written by coordinators, rendered to safe HTML.

The renderer and its sanitiser are shared with the site pages (accounts/views_pages.py):
config/markdown.py.
"""

from config.markdown import to_html

__all__ = ["to_html"]

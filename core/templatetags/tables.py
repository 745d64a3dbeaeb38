"""{% table_region label %}…{% endtable_region %}: the scroll container around a wide table.

A table wider than the screen scrolls sideways inside its own box instead of widening the page
(WCAG 1.4.10, reflow). A keyboard user must reach that box and scroll it too (WCAG 2.1.1; axe's
`scrollable-region-focusable`), and a screen reader announces what it holds: the box takes the
focus (tabindex="0", its outline is in static/css/innolab.css) and is a region named by `label`,
usually the table's caption:

    {% translate "Measures of the mission" as caption %}
    {% table_region caption %}
      <table class="kern-table"><caption class="kern-sr-only">{{ caption }}</caption>…</table>
    {% endtable_region %}

Before the region stands a hint that the table scrolls sideways ("swipe or use the arrow keys"),
hidden until static/js/tables.js finds the table wider than its box (on load, on resize, once
the web font is there, after an htmx swap): a table that fits, or becomes stacked rows on a
phone, shows none, and without JavaScript none is shown (the region still scrolls).
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_block_tag(end_name="endtable_region")
def table_region(content, *label):
    """Several parts of a label are joined like the caption `{{ goal }}: {{ state }}`."""
    return format_html(
        '<p class="table-region__hint" hidden><span aria-hidden="true">⇆ </span>{}</p>'
        '<div class="kern-table-responsive table-region" role="region" aria-label="{}"'
        ' tabindex="0">{}</div>',
        _(
            "The table is wider than the screen: swipe sideways, or select it and use the"
            " arrow keys."
        ),
        # escaped once: a label made by {% blocktranslate … asvar %} is escaped already
        mark_safe(": ".join(conditional_escape(part) for part in label)),  # noqa: S308
        content,
    )

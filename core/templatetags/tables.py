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
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_block_tag(end_name="endtable_region")
def table_region(content, *label):
    """Several parts of a label are joined like the caption `{{ goal }}: {{ state }}`."""
    return format_html(
        '<div class="kern-table-responsive table-region" role="region" aria-label="{}"'
        ' tabindex="0">{}</div>',
        # escaped once: a label made by {% blocktranslate … asvar %} is escaped already
        mark_safe(": ".join(conditional_escape(part) for part in label)),  # noqa: S308
        content,
    )

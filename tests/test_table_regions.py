"""Wide tables scroll in a region a keyboard reaches. {% table_region %}
(core/templatetags/tables.py) is the only way a template makes one, so no scroll container is left
without focus and name."""

from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_every_table_scroll_container_is_made_by_the_tag():
    bare = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "kern-table-responsive" in path.read_text(encoding="utf-8")
    ]
    assert not bare, f"use {{% table_region %}} instead of a bare scroll container: {bare}"


def test_the_region_is_focusable_and_named_and_escapes_its_label_once():
    with translation.override("en"):
        html = Template(
            "{% load i18n tables %}"
            "{% blocktranslate with code=code asvar caption %}"
            "Figures of {{ code }}{% endblocktranslate %}"
            "{% table_region caption %}<table></table>{% endtable_region %}"
            "{% table_region goal state %}<table></table>{% endtable_region %}"
        ).render(Context({"code": "q<1>", "goal": 'Ziel "A" & B', "state": "geändert"}))
    assert (
        '<div class="kern-table-responsive table-region" role="region"'
        ' aria-label="Figures of q&lt;1&gt;" tabindex="0"><table></table></div>'
    ) in html
    assert 'aria-label="Ziel &quot;A&quot; &amp; B: geändert"' in html


def test_a_hidden_hint_in_the_readers_language_stands_before_each_region():
    """static/js/tables.js shows it when the table is wider than its box (tests/e2e/test_reflow)."""
    template = Template("{% load tables %}{% table_region 'x' %}<table/>{% endtable_region %}")
    with translation.override("de"):
        html = template.render(Context())
    assert html.startswith(
        '<p class="table-region__hint" hidden><span aria-hidden="true">⇆ </span>Die Tabelle ist'
        " breiter als der Bildschirm: seitlich wischen oder die Tabelle anwählen und mit den"
        " Pfeiltasten scrollen.</p><div "
    )

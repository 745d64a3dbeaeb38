from core.markdown import to_html


def test_empty_text_gives_empty_html():
    assert to_html("") == ""
    assert to_html("   \n") == ""


def test_headings_lists_emphasis_and_tables_are_kept():
    html = to_html(
        "# Ausgangslage\n\n## Details\n\nSome **bold** and *italic* text.\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h3>Ausgangslage</h3>" in html
    assert "<h4>Details</h4>" in html
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<ol>" in html and "<li>first</li>" in html
    assert "<blockquote>" in html
    assert "<table>" in html and "<th>A</th>" in html and "<td>2</td>" in html


def test_script_tags_are_removed_with_their_content():
    html = to_html("Hello <script>alert('x')</script> world\n\n<script src=x.js></script>")
    assert "<script" not in html
    assert "alert" not in html
    assert "Hello" in html


def test_images_are_removed_whatever_the_url():
    for src in ("file:///etc/passwd", "http://example.org/x.png", "data:image/png;base64,AAAA"):
        assert "<img" not in to_html(f'<img src="{src}">')
        assert "<img" not in to_html(f"![alt]({src})")
        assert src not in to_html(f"![alt]({src})")


def test_javascript_and_file_links_lose_their_href():
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "/relative"):
        html = to_html(f"[click]({url})")
        assert "href" not in html, url
        assert "click" in html
        assert "href" not in to_html(f'<a href="{url}">x</a>')


def test_http_and_mailto_links_are_kept():
    html = to_html("[site](https://example.org/a) and [mail](mailto:a@example.org)")
    assert 'href="https://example.org/a"' in html
    assert 'href="mailto:a@example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_style_attributes_and_style_tags_are_removed():
    html = to_html(
        '<p style="background:url(file:///etc/passwd)">x</p>\n\n<style>p{color:red}</style>'
    )
    assert "style" not in html
    assert "color:red" not in html
    assert "x" in html


def test_event_handlers_and_iframes_are_removed():
    html = to_html('<p onclick="alert(1)">x</p><iframe src="https://example.org"></iframe>')
    assert "onclick" not in html
    assert "iframe" not in html

"""evaluations.charts: the SVG charts the pages and the PDF reports share."""

import re
from xml.etree import ElementTree

import pytest
from django.utils import translation

from evaluations import charts
from evaluations.analysis import Bin, QuestionResult
from evaluations.models import Question, QuestionType

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def agree_question(**kw) -> Question:
    return Question(
        pk=1,
        code="q_agree",
        type=QuestionType.SCALE,
        text_en="Diversity matters here.",
        scale_min=kw.get("low", -2),
        scale_max=kw.get("high", 2),
        min_label_en="strongly disagree",
        max_label_en="strongly agree",
    )


def result(question, counts, *, breakdown=None, k=5, n=None) -> QuestionResult:
    n = sum(counts) if n is None else n
    suppressed = n < k
    keys = question.scale_values or [f"c{i}" for i in range(len(counts))]
    return QuestionResult(
        question=question,
        breakdown=breakdown,
        n=n,
        suppressed=suppressed,
        counts=[]
        if suppressed
        else [Bin(key, str(key), c) for key, c in zip(keys, counts, strict=False)],
        min_group_size=k,
    )


def parse(svg: str):
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output; proves it is well-formed


def bars(root):
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_diverging_bar_centres_the_neutral_value_on_zero():
    question = agree_question()
    svg = charts.question_chart_svg(question, [result(question, [1, 1, 2, 4, 2])], chart_id="c")
    root = parse(svg)
    rects = bars(root)
    assert len(rects) == 5
    neutral = rects[2]
    centre = float(neutral.get("x")) + float(neutral.get("width")) / 2
    zero_line = [line for line in root.iter(f"{SVG}line") if line.get("stroke-width") == "1.5"][0]
    assert centre == pytest.approx(float(zero_line.get("x1")), abs=0.2)
    # segments in value order, each the share of its value: 10 %, 10 %, 20 %, 40 %, 20 %
    widths = [float(r.get("width")) for r in rects]
    assert widths[3] == pytest.approx(2 * widths[2], abs=0.2)
    assert widths[0] == pytest.approx(widths[2] / 2, abs=0.2)
    xs = [float(r.get("x")) for r in rects]
    assert xs == sorted(xs)
    # direct labels on the wide segments, the legend names the ends
    assert "40%" in texts(root) and "2 (strongly agree)" in texts(root)


def test_weaker_values_are_patterned_and_every_fill_has_contrast():
    question = agree_question()
    root = parse(charts.question_chart_svg(question, [result(question, [2] * 5)], chart_id="c"))
    fills = [r.get("fill") for r in bars(root)]
    assert fills[0].startswith("#") and fills[4].startswith("#")  # outermost: solid
    assert fills[1].startswith("url(#c-p") and fills[3].startswith("url(#c-p")  # hatched
    for colour in (*charts.NEGATIVE, *charts.POSITIVE, charts.NEUTRAL, charts.BRAND, charts.ACCENT):
        assert contrast(colour, "#ffffff") >= 4.5, colour


def contrast(a: str, b: str) -> float:
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("n,shown", [(4, False), (5, True)])
def test_suppressed_result_is_a_placeholder_without_bars(n, shown):
    question = agree_question()
    svg = charts.question_chart_svg(question, [result(question, [n, 0, 0, 0, 0])], chart_id="c")
    root = parse(svg)
    assert bool(bars(root)) is shown
    assert ("too few responses (fewer than 5)" in texts(root)) is not shown
    assert ("too few responses" in root.find(f"{SVG}desc").text) is not shown


def test_suppressed_cell_among_shown_cells():
    question = agree_question()
    results = [
        result(question, [1, 1, 1, 1, 1], breakdown="Ahornstadt"),
        result(question, [], breakdown="Buchenfeld", n=2),
    ]
    root = parse(charts.question_chart_svg(question, results, chart_id="c"))
    assert len(bars(root)) == 5
    assert "too few responses (fewer than 5)" in texts(root)
    desc = root.find(f"{SVG}desc").text
    assert "Ahornstadt, n = 5: " in desc and "Buchenfeld: too few responses (fewer than 5)." in desc
    assert "n = 2" not in svg_text(root)


def svg_text(root) -> str:
    return ElementTree.tostring(root, encoding="unicode")


def test_title_desc_and_labels_are_escaped_xml():
    question = agree_question()
    results = [result(question, [1, 1, 1, 1, 1], breakdown="<script>alert(1)</script> & Co")]
    svg = charts.question_chart_svg(question, results, chart_id="c", title="A <b> & C")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "A <b> & C"


def test_long_scales_and_choices_get_distribution_bars():
    long_scale = agree_question(low=0, high=10)
    assert charts.question_chart_kind(long_scale) == "distribution"
    root = parse(
        charts.question_chart_svg(long_scale, [result(long_scale, [1] * 11)], chart_id="d")
    )
    assert len(bars(root)) == 11
    multi = Question(pk=2, code="q_multi", type=QuestionType.MULTI, text_en="Which?")
    shares = QuestionResult(multi, None, 4, counts=[Bin("a", "A", 3), Bin("b", "B", 2)])
    root = parse(charts.question_chart_svg(multi, [shares], chart_id="m"))
    assert "75% (3)" in texts(root) and "50% (2)" in texts(root)
    assert any("add up to more" in t for t in texts(root))
    text_question = Question(pk=3, code="q_text", type=QuestionType.TEXT, text_en="Say")
    assert charts.question_chart_svg(text_question, [], chart_id="t") == ""


def test_means_from_zero_on_a_symmetric_scale_and_suppressed_series():
    bar = charts.MeanBar
    rows = [
        charts.MeanRow("q_agree", [bar(-0.5, 10, False, 5), bar(1.25, 9, False, 5)]),
        charts.MeanRow("q_sat", [bar(None, 2, True, 5), bar(1.9, 7, False, 5)]),
    ]
    svg = charts.means_svg(
        rows, low=-2, high=2, series=["Baseline", "Final"], title="Means", chart_id="m"
    )
    root = parse(svg)
    drawn = bars(root)
    assert len(drawn) == 3  # the suppressed baseline of q_sat has none
    negative, positive = drawn[0], drawn[1]
    # both start at the zero line: the negative one ends there, the positive one begins there
    zero = float(negative.get("x")) + float(negative.get("width"))
    assert float(positive.get("x")) == pytest.approx(zero, abs=0.2)
    assert float(positive.get("width")) == pytest.approx(
        2.5 * float(negative.get("width")), abs=0.3
    )
    assert "\u22120.50" in texts(root) and "1.25" in texts(root)
    assert "too few responses (fewer than 5)" in texts(root)
    assert [t for t in texts(root) if t in ("Baseline", "Final")] == ["Baseline", "Final"]


def test_numbers_in_the_users_language():
    with translation.override("de"):
        assert charts.format_number(-0.5) == "\u22120,50"
        assert charts.format_number(2.345) == "2,35"  # half up, as the tables round
        assert charts.format_percent(12.5) == "13\u00a0%"
        question = agree_question()
        svg = charts.question_chart_svg(question, [result(question, [1, 1, 1, 1, 4])], chart_id="g")
        assert "50\u00a0%" in texts(parse(svg))
    assert charts.format_number(1234.5) == "1234.50"
    assert charts.format_percent(0.4) == "0%"


def test_coordinates_are_never_localised():
    with translation.override("de"):
        question = agree_question()
        svg = charts.question_chart_svg(question, [result(question, [1, 2, 3, 4, 5])], chart_id="g")
    for value in re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg):
        if value != "100%":
            float(value)

"""The draft's list of figures ("Abbildungen" page, reports.figure_plans): leaving a figure out,
a caption of one's own, a breakdown by an answer and the order, saved through the page and
printed in the PDF; stale versions and bad input refused; stored plans that no longer fit the
questions never break the report."""

import datetime as dt
import html
import io
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from reports import figure_plans, render
from reports.models import ReportDraft, ReportKind
from tests.evaluations.builders import add_responses, make_survey
from tests.evaluations.demo_shaped import make_demo_shaped
from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

SF_CODES = [
    "sf_responsibilities",
    "sf_participation",
    "sf_transparency",
    "sf_resources",
    "sf_working_group",
    "sf_update",
]


@pytest.fixture
def plan_world(lab_x, cohort_x, participation_a, participation_b):
    baseline, final = make_demo_shaped(
        cohort_x, [participation_a.municipality, participation_b.municipality]
    )
    draft = ReportDraft.objects.create(
        lab=lab_x, cohort=cohort_x, kind=ReportKind.FINAL, title="Abschlussbericht"
    )
    url = reverse("report_figures", args=[lab_x.slug, draft.pk])
    return {"draft": draft, "baseline": baseline, "final": final, "url": url}


def _listed(page) -> dict:
    """The `plans` hidden field of the page, as the browser would send it back."""
    found = re.search(r'name="plans" value="([^"]*)"', page.content.decode())
    assert found, "the page has no list of figures"
    return json.loads(html.unescape(found.group(1)))


def _as_is(listed: dict, version: int) -> dict:
    """The form as the page shows it, nothing changed: every listed figure printed as it is."""
    data = {"version": version, "plans": json.dumps(listed)}
    for key, rows in listed.items():
        for i, row in enumerate(rows):
            data[f"include-{key}-{i}"] = "1"
            data[f"caption-{key}-{i}"] = row["caption"]
            if len(row["codes"]) > 1 and row["kind"] in ("items", "agreement"):
                data[f"breakdown-{key}-{i}"] = row["breakdown"]
    return data


def _row(listed: dict, key: str, **wanted) -> int:
    return next(
        i
        for i, row in enumerate(listed[key])
        if all(row.get(name) == value for name, value in wanted.items())
    )


def _pdf_text(draft) -> str:
    draft.refresh_from_db()
    reader = PdfReader(io.BytesIO(render.render_pdf(draft).pdf))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_the_page_saves_the_figures_and_the_pdf_prints_them(plan_world, client_as):
    draft, url = plan_world["draft"], plan_world["url"]
    client = client_as("coordinator")
    page = client.get(url)
    assert page.status_code == 200
    assert "Composition of the respondents" in page.content.decode()
    listed = _listed(page)
    key = figure_plans.survey_key(plan_world["baseline"])
    assert set(listed) == {key, figure_plans.survey_key(plan_world["final"])}
    data = _as_is(listed, version=1)
    # leave out the composition of the sample
    del data[f"include-{key}-{_row(listed, key, kind='composition')}"]
    # a caption of one's own for the seven diversity items
    seven = _row(listed, key, codes=listed[key][1]["codes"], breakdown="")
    assert len(listed[key][seven]["codes"]) == 7
    data[f"caption-{key}-{seven}"] = "Wie vielfältig die Organisationen sind"
    # the success factors split by the type of organisation
    data[f"breakdown-{key}-{_row(listed, key, codes=SF_CODES)}"] = "org_type"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2
    stored = draft.figure_plans[key]
    assert all(spec["kind"] != "composition" for spec in stored)
    assert {"kind": "items", "codes": SF_CODES, "breakdown": "org_type", "caption": ""} in stored
    # the final survey's figures were not changed: nothing stored for them, the defaults print
    assert set(draft.figure_plans) == {key}
    assert draft.history.first().figure_plans == draft.figure_plans
    history = client.get(reverse("report_history", args=[draft.lab.slug, draft.pk]))
    # the change is named in the draft's history
    assert re.search(r'<td class="kern-table__cell">[^<]*\bfigures\b', history.content.decode())

    text = _pdf_text(draft)
    assert "Zusammensetzung der Befragten" not in text
    assert re.search(
        r"Abbildung \d+ – Wie vielfältig die Organisationen sind \(Mittelwerte auf einer Skala"
        r" von 1 bis 5; N = 50\)",
        text,
    )
    assert re.search(r"Abbildung \d+ – Was die Umsetzung voranbringt nach „In welcher Rolle", text)
    # the final survey keeps its default figure
    assert re.search(r"Abbildung \d+ – Was sich durch das Projekt verändert hat", text)


def test_a_figure_moves_up_and_the_page_resets_to_the_defaults(plan_world, client_as):
    draft, url = plan_world["draft"], plan_world["url"]
    client = client_as("coordinator")
    listed = _listed(client.get(url))
    key = figure_plans.survey_key(plan_world["baseline"])
    last = len(listed[key]) - 1
    data = _as_is(listed, version=1)
    data[f"caption-{key}-{last}"] = "Erfolgsfaktoren"
    data["move"] = f"{key}:{last}:up"
    moved = client.post(url, data)
    assert moved.status_code == 302 and moved.url == url  # back to the page, to go on
    draft.refresh_from_db()
    stored = draft.figure_plans[key]
    assert stored[last - 1]["codes"] == SF_CODES
    assert stored[last - 1]["caption"] == "Erfolgsfaktoren"  # its own fields moved with it
    assert stored[last] == listed[key][last - 1]
    html_text = render.render_html(draft)
    assert html_text.index("Erfolgsfaktoren") < html_text.rindex("Zufriedenheit in Ihrer Kommune")
    # the first one up stays where it is (and is saved)
    first_up = {**_as_is(_listed(client.get(url)), 2), "move": f"{key}:0:up"}
    assert client.post(url, first_up).status_code == 302
    draft.refresh_from_db()
    assert draft.figure_plans[key][0] == stored[0] and draft.version == 3
    reset = client.post(url, {**_as_is(_listed(client.get(url)), 3), "reset": key})
    assert reset.status_code == 302
    draft.refresh_from_db()
    assert draft.figure_plans == {} and draft.version == 4


def test_every_figure_left_out_prints_none(plan_world, client_as):
    draft, url = plan_world["draft"], plan_world["url"]
    client = client_as("coordinator")
    listed = _listed(client.get(url))
    key = figure_plans.survey_key(plan_world["final"])
    data = {k: v for k, v in _as_is(listed, 1).items() if not k.startswith(f"include-{key}-")}
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.figure_plans == {key: []}
    html_text = render.render_html(draft)
    assert "Was sich durch das Projekt verändert hat" not in html_text
    assert "Vielfalt in Ihrer Organisation" in html_text
    # the page lists the final survey's figures again, not printed, to take back in
    page = client.get(url).content.decode()
    assert f'id="include-{key}-0"' in page and f'id="include-{key}-0" checked' not in page


def test_a_stale_version_is_refused_with_the_conflict_message(plan_world, client_as):
    draft, url = plan_world["draft"], plan_world["url"]
    client = client_as("coordinator")
    listed = _listed(client.get(url))
    key = figure_plans.survey_key(plan_world["baseline"])
    data = _as_is(listed, version=1)
    data[f"caption-{key}-0"] = "Erste Fassung"
    assert client.post(url, data).status_code == 302
    data[f"caption-{key}-0"] = "Zweite Fassung"
    stale = client.post(url, data, follow=True)
    assert stale.status_code == 200
    assert "in the meantime" in stale.content.decode() or "inzwischen" in stale.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2 and draft.figure_plans[key][0]["caption"] == "Erste Fassung"


def _tampered(listed: dict, key: str, how: str) -> dict:
    data = _as_is(listed, version=1)
    if how == "unknown code":
        listed = json.loads(json.dumps(listed))
        listed[key][0]["codes"] = ["not_a_question"]
        data["plans"] = json.dumps(listed)
    elif how == "unknown breakdown":
        index = _row(listed, key, codes=SF_CODES)
        data[f"breakdown-{key}-{index}"] = "sf_update"  # a scale, not a single choice
    elif how == "bad json":
        data["plans"] = '{"survey-1": [{"kind": '
    elif how == "not a list":
        data["plans"] = json.dumps({key: {"kind": "items"}})
    elif how == "huge index":
        data["move"] = f"{key}:99999999999999999999:up"
    elif how == "index past the end":
        data["move"] = f"{key}:{len(listed[key])}:down"
    elif how == "unknown survey":
        data["plans"] = json.dumps({"survey-999999": listed[key]})
    elif how == "unknown kind":
        listed = json.loads(json.dumps(listed))
        listed[key][0]["kind"] = "pie"
        data["plans"] = json.dumps(listed)
    elif how == "long caption":
        data[f"caption-{key}-0"] = "x" * 301
    return data


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("unknown code", "not_a_question"),
        ("unknown breakdown", "sf_update"),
        ("bad json", "could not be read"),
        ("not a list", "could not be read"),
        ("huge index", "could not be read"),
        ("index past the end", "could not be read"),
        ("unknown survey", "no such survey"),
        ("unknown kind", "does not have"),
        ("long caption", "300"),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(plan_world, client_as, how, message):
    draft, url = plan_world["draft"], plan_world["url"]
    client = client_as("coordinator")
    listed = _listed(client.get(url))
    key = figure_plans.survey_key(plan_world["baseline"])
    answer = client.post(url, _tampered(listed, key, how))
    assert answer.status_code == 200
    assert message in html.unescape(answer.content.decode())
    assert "error-summary" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.version == 1 and draft.figure_plans == {}
    # the page lists the saved figures again, ready to be sent as they are
    assert _listed(answer) == listed
    assert client.post(url, _as_is(_listed(answer), version=1)).status_code == 302


def test_a_stored_plan_that_no_longer_fits_is_skipped_where_it_does_not_fit(plan_world):
    draft, baseline = plan_world["draft"], plan_world["baseline"]
    draft.figure_plans = {
        figure_plans.survey_key(baseline): [
            {"kind": "items", "codes": ["gone_1", "gone_2"]},
            "not a figure",
            {"codes": ["org_type"]},
            {"kind": "items", "codes": SF_CODES, "breakdown": "sf_update"},
            {"kind": "composition", "codes": ["org_type"], "caption": "Wer geantwortet hat"},
        ],
        "survey-999999": [{"kind": "items", "codes": ["x"]}],
        "kind-pulse": "garbage",
    }
    draft.save()
    html_text = render.render_html(draft)
    assert "Wer geantwortet hat" in html_text
    assert "Was die Umsetzung voranbringt" not in html_text  # its breakdown is no single choice
    assert "Vielfalt in Ihrer Organisation" not in html_text  # not in the stored plan


def test_a_lab_wide_draft_edits_the_pooled_surveys_by_kind(lab_x, cohort_x, client_as):
    cohort_2 = CohortFactory(
        lab=lab_x, slug="kohorte-2", name="Kohorte 2", start_date=dt.date(2026, 1, 1)
    )
    for cohort in (cohort_x, cohort_2):
        survey = make_survey(cohort, min_group_size=5)
        add_responses(survey, [{"q_agree": 1, "q_sat": 4}, {"q_agree": 2, "q_sat": 3}] * 3)
    draft = ReportDraft.objects.create(lab=lab_x, kind=ReportKind.FINAL, title="Laborbericht")
    url = reverse("report_figures", args=[lab_x.slug, draft.pk])
    client = client_as("coordinator")
    listed = _listed(client.get(url))
    key = figure_plans.kind_key(survey.kind)
    assert list(listed) == [key]
    data = _as_is(listed, version=1)
    data[f"caption-{key}-0"] = "Über beide Kohorten"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert "Über beide Kohorten" in render.render_html(draft)


def test_the_page_and_its_errors_speak_german(plan_world, client_as):
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(plan_world["url"]).content.decode()
    assert "Abbildungen speichern" in page and "Diese Abbildung drucken" in page
    assert "Mittelwerte aufteilen nach" in page and "Vielfalt in Ihrer Organisation" in page
    refused = client.post(plan_world["url"], {"version": 1, "plans": "{"})
    assert "konnte nicht gelesen werden" in refused.content.decode()

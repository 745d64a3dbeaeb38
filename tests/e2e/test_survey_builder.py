"""A coordinator builds a survey with a scale question in the browser; axe on every builder page."""

import pytest

from evaluations.models import Survey

from .conftest import axe_check, field, follow, force_login_cookie, shot, submit

pytestmark = pytest.mark.e2e


def test_coordinator_builds_a_survey_with_a_scale_question(
    e2e_coordinator, e2e_participation, live_server, page, context
):
    base = live_server.url
    force_login_cookie(context, base, e2e_coordinator)
    list_url = f"{base}/labs/innolab-ost/cohorts/kohorte-1/surveys/"

    page.goto(list_url)
    axe_check(page, label="survey list, empty")
    follow(page, page.locator("main a[href$='/surveys/new/']"))

    axe_check(page, label="new survey")
    shot(page, "survey-builder-new-survey")
    field(page, "title_de").fill("Rückmeldung zur Auftaktwerkstatt")
    field(page, "title_en").fill("Feedback on the opening workshop")
    field(page, "slug").fill("auftakt")
    field(page, "kind").select_option("feedback")
    assert field(page, "min_group_size").input_value() == "5"
    submit(page)
    survey = Survey.objects.get(cohort=e2e_participation.cohort, slug="auftakt")
    # questions first: the new survey goes on to its first section, then its first question
    assert page.url == f"{list_url}auftakt/sections/new/"
    axe_check(page, label="new section")
    field(page, "title_de").fill("Zufriedenheit")
    submit(page)
    section = survey.sections.get()

    assert page.url == f"{list_url}auftakt/sections/{section.pk}/questions/new/"
    axe_check(page, label="new question")
    shot(page, "survey-builder-question-form")
    # the type is asked once: by the type links (a hidden field carries it)
    assert page.locator("main [name='type']").input_value() == "scale"
    assert page.locator("main [name='type']").get_attribute("type") == "hidden"
    field(page, "code").fill("zufriedenheit")
    field(page, "text_de").fill("Wie zufrieden waren Sie mit der Werkstatt?")
    field(page, "required").check()
    field(page, "scale_min").fill("1")
    field(page, "min_label_de").fill("gar nicht zufrieden")
    field(page, "scale_max").fill("5")
    field(page, "max_label_de").fill("sehr zufrieden")
    follow(page, page.locator("#question-save"))

    question = survey.questions.get()
    assert (question.code, question.type, question.scale_min, question.scale_max) == (
        "zufriedenheit",
        "scale",
        1,
        5,
    )
    assert question.required and question.max_label_de == "sehr zufrieden"
    assert page.url.endswith(f"/surveys/auftakt/#question-{question.pk}")
    shot(page, "survey-builder-detail")
    axe_check(page, label="survey page with a question")

    # a mistake comes back with its message, and the page stays accessible
    follow(page, page.locator(f"main a[href$='/questions/{question.pk}/']"))
    field(page, "scale_max").fill("1")
    follow(page, page.locator("#question-save"))
    assert page.locator(".kern-error").count() == 1
    axe_check(page, label="question page with an error")
    shot(page, "survey-builder-question-error")
    question.refresh_from_db()
    assert question.scale_max == 5

    page.goto(list_url)
    assert page.locator("main table tbody tr").count() == 1
    axe_check(page, label="survey list")

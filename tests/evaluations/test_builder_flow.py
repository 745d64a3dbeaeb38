"""A new survey's way through the builder without dead ends, through the URLs: the short name
proposed from the title, questions before settings, the type asked once and every label in
German, no delete button where deleting is refused, the open link's QR code and copy button,
and the analysis by municipality with its chooser and contents."""

import pytest
from django.conf import settings
from django.urls import reverse

from evaluations import definitions, services
from evaluations.models import Survey

from ..factories import MunicipalityFactory
from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey
from .test_analysis import R1, R2, R3, R4, R5, R6
from .test_analysis_views import analysis_url, question_html, row_cells

pytestmark = pytest.mark.django_db


def cohort_url(name: str, cohort, *args) -> str:
    return reverse(name, args=[cohort.lab.slug, cohort.slug, *args])


def survey_url(name: str, survey: Survey, *args) -> str:
    return reverse(name, args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug, *args])


@pytest.fixture
def coord(client_as):
    return client_as("coordinator")


@pytest.fixture
def answered(cohort_x, municipality_a):
    survey = make_survey(cohort_x, slug="beantwortet")
    add_responses(survey, [{"q_agree": 1}, {"q_agree": -2}], municipality=municipality_a)
    return survey


def _create(coord, cohort, **fields):
    data = {"kind": "pulse", "title_de": "Rückmeldung zur Werkstatt", "min_group_size": "5"}
    return coord.post(cohort_url("survey_create", cohort), data | fields)


# --- the short name ------------------------------------------------------------------------------


def test_an_empty_short_name_is_proposed_from_the_german_title(coord, cohort_x):
    response = _create(coord, cohort_x, slug="")
    survey = Survey.objects.get(cohort=cohort_x, title_de="Rückmeldung zur Werkstatt")
    assert survey.slug == "rueckmeldung-zur-werkstatt"
    assert response["Location"] == survey_url("survey_section_create", survey)
    # a second survey of the same title gets the next free short name
    _create(coord, cohort_x, slug="")
    slugs = set(Survey.objects.filter(cohort=cohort_x).values_list("slug", flat=True))
    assert {"rueckmeldung-zur-werkstatt", "rueckmeldung-zur-werkstatt-2"} <= slugs


def test_a_proposal_never_takes_a_reserved_short_name(coord, cohort_x):
    _create(coord, cohort_x, slug="", title_de="New")
    assert Survey.objects.filter(cohort=cohort_x, slug="new-2").exists()


def test_a_given_short_name_is_kept_and_the_form_loads_the_script(coord, cohort_x):
    page = text(coord.get(cohort_url("survey_create", cohort_x)))
    assert 'data-slug-from="title_de"' in page and "js/slug.js" in page
    _create(coord, cohort_x, slug="eigener-name")
    assert Survey.objects.get(cohort=cohort_x, slug="eigener-name")


def test_without_title_and_short_name_the_form_says_what_is_missing(coord, cohort_x):
    before = Survey.objects.count()
    response = _create(coord, cohort_x, slug="", title_de="")
    assert response.status_code == 200
    assert {"slug", "title_de"} <= set(response.context["form"].errors)
    assert Survey.objects.count() == before


# --- questions first -----------------------------------------------------------------------------


def test_the_first_section_leads_on_to_its_first_question(coord, cohort_x):
    _create(coord, cohort_x, slug="neu")
    survey = Survey.objects.get(cohort=cohort_x, slug="neu")
    page = text(coord.get(survey_url("survey_section_create", survey)))
    assert "Name the first section" in page
    response = coord.post(survey_url("survey_section_create", survey), {"title_de": "Teil 1"})
    section = survey.sections.get()
    assert response["Location"] == survey_url("survey_question_create", survey, section.pk)


def test_the_survey_page_shows_the_questions_before_the_settings(coord, cohort_x):
    page = text(coord.get(survey_url("survey_detail", make_survey(cohort_x))))
    assert page.index('id="questions"') < page.index('id="survey-facts"')


def test_a_template_survey_lands_on_its_questions(coord, cohort_x):
    template = definitions.template_save(survey=make_survey(cohort_x), name="Vorlage")
    response = _create(coord, cohort_x, slug="aus-vorlage", template=str(template.pk))
    survey = Survey.objects.get(cohort=cohort_x, slug="aus-vorlage")
    assert response["Location"] == survey_url("survey_detail", survey) + "#questions"


# --- the question form ---------------------------------------------------------------------------


def test_a_new_question_asks_for_the_type_once(coord, cohort_x):
    survey = make_survey(cohort_x, opened=False)
    section = survey.sections.first()
    page = text(
        coord.get(survey_url("survey_question_create", survey, section.pk) + "?type=single")
    )
    assert page.count('name="type"') == 1
    assert '<input type="hidden" name="type" value="single"' in page
    assert 'href="?type=scale"' in page  # the type links
    plain = text(coord.get(survey_url("survey_question_create", survey, section.pk)))
    assert '<input type="hidden" name="type" value="scale"' in plain
    # an existing question's type is changed with its select (no type links)
    question = survey.questions.get(code="q_agree")
    edit = text(coord.get(survey_url("survey_question_edit", survey, question.pk)))
    assert '<select name="type"' in edit and 'href="?type=scale"' not in edit


def test_the_question_form_is_german(coord, cohort_x):
    survey = make_survey(cohort_x, opened=False)
    coord.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    section = survey.sections.first()
    for type_ in ("scale", "single"):
        page = text(
            coord.get(survey_url("survey_question_create", survey, section.pk) + f"?type={type_}")
        )
        assert ">Abschnitt<" in page and "Fragetyp" in page
        assert ">Section<" not in page and "Select an option" not in page
    edit = text(coord.get(survey_url("survey_edit", survey)))
    assert "Select an option" not in edit


# --- no dead-end delete --------------------------------------------------------------------------


def test_no_delete_is_offered_once_a_survey_has_responses(coord, answered):
    page = text(coord.get(survey_url("survey_detail", answered)))
    question = answered.questions.get(code="q_agree")
    assert survey_url("survey_question_delete", answered, question.pk) not in page
    for section in answered.sections.all():
        assert survey_url("survey_section_delete", answered, section.pk) not in page
    assert survey_url("survey_question_edit", answered, question.pk) in page
    # and the refusal stands where the address is typed in
    response = coord.post(survey_url("survey_question_delete", answered, question.pk))
    assert response.status_code == 302
    assert answered.questions.filter(pk=question.pk).exists()


def test_an_empty_section_of_an_answered_survey_can_still_be_deleted(coord, answered):
    empty = definitions.section_create(survey=answered, title_de="Leer")
    page = text(coord.get(survey_url("survey_detail", answered)))
    assert survey_url("survey_section_delete", answered, empty.pk) in page


def test_delete_is_offered_without_responses(coord, cohort_x):
    survey = make_survey(cohort_x, opened=False)
    page = text(coord.get(survey_url("survey_detail", survey)))
    question = survey.questions.get(code="q_agree")
    assert survey_url("survey_question_delete", survey, question.pk) in page


# --- the open link -------------------------------------------------------------------------------


def test_the_open_link_has_a_qr_code_and_a_copy_button(coord, cohort_x):
    survey = make_survey(cohort_x)
    page = text(coord.get(survey_url("survey_links", survey)))
    assert 'class="qr-code"' not in page and "open-link-copy" not in page
    coord.post(survey_url("survey_open_link", survey), {"action": "enable"})
    survey.refresh_from_db()
    page = text(coord.get(survey_url("survey_links", survey)))
    url = "http://testserver" + reverse("survey_answer_open", args=[services.open_token(survey)])
    assert f'<code id="open-link-url">{url}</code>' in page
    assert 'data-copy="open-link-url"' in page and "js/copy.js" in page
    assert page.count('class="qr-code"') == 1
    assert "QR code of the open link" in page


# --- the analysis by municipality ----------------------------------------------------------------


@pytest.fixture
def results(cohort_x, municipality_a, municipality_b):
    survey = make_survey(cohort_x, min_group_size=3)
    add_responses(survey, [R1, R2, R3], municipality=municipality_a, group="Verwaltung")
    add_responses(survey, [R4], municipality=municipality_a, group="Politik")
    add_responses(survey, [R5, R6], municipality=municipality_b, group="Politik")
    return survey


def test_the_chooser_shows_one_municipality(client_as, results, municipality_a, municipality_b):
    client = client_as("funder")
    everyone = text(client.get(analysis_url(results, by="municipality")))
    assert 'name="municipality"' in everyone
    assert "Buchenfeld" in question_html(everyone, results, "q_agree")
    page = text(
        client.get(analysis_url(results, by="municipality", municipality=municipality_a.pk))
    )
    block = question_html(page, results, "q_agree")
    assert "Ahornstadt" in block and "Buchenfeld" not in block
    assert "All respondents" in block
    assert f'<option value="{municipality_a.pk}" selected>' in page
    # suppressed over all municipalities first: choosing Ahornstadt does not reveal its mean,
    # which with the total would give Buchenfeld's two respondents away
    assert row_cells(block, "Ahornstadt") == [
        "not shown, so that a smaller group cannot be worked out"
    ]
    assert "\u22120.50" not in block


def test_the_chooser_is_only_there_by_municipality(client_as, results, municipality_a):
    client = client_as("coordinator")
    page = text(client.get(analysis_url(results, municipality=municipality_a.pk)))
    assert 'name="municipality"' not in page
    assert "Buchenfeld" not in question_html(page, results, "q_agree")  # no breakdown at all
    unknown = client.get(analysis_url(results, by="municipality", municipality="x"))
    assert unknown.status_code == 200 and "Buchenfeld" in text(unknown)


def test_the_contents_link_to_every_section_and_back(client_as, results):
    page = text(client_as("coordinator").get(analysis_url(results, by="municipality")))
    assert 'id="analysis-contents"' in page
    for section in results.sections.all():
        assert f'href="#analysis-section-{section.pk}"' in page
        assert f'id="analysis-section-{section.pk}"' in page
    for question in results.questions.all():
        assert f'href="#question-{question.pk}"' in page
    assert page.count('href="#analysis-contents"') == results.sections.count()


def test_one_municipality_needs_constant_queries(client_as, results, municipality_a, lab_x):
    def grow():
        for i in range(6):
            municipality = MunicipalityFactory(lab=lab_x, name=f"Neustadt {i}")
            add_responses(results, [R1, R2, R3, R4, R5, R6], municipality=municipality)

    url = analysis_url(results, by="municipality", municipality=municipality_a.pk)
    before, after = assert_constant_queries(client_as("coordinator"), url, grow)
    assert before == after

"""The survey builder through its URLs: the database after each request, refusals with a message
and nothing changed, structural changes refused once a survey has responses, constant queries.
Who may reach which URL at all: tests/evaluations/matrix_builder.py."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluations import definitions
from evaluations.models import (
    Choice,
    ImportJob,
    Question,
    QuestionType,
    Section,
    Survey,
    SurveyTemplate,
)

from ..helpers import assert_constant_queries, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import add_responses, make_survey

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
HUGE_ID = 10**19  # beyond a PostgreSQL bigint


def cohort_url(name: str, cohort, *args) -> str:
    return reverse(name, args=[cohort.lab.slug, cohort.slug, *args])


def survey_url(name: str, survey: Survey, *args) -> str:
    return reverse(name, args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug, *args])


def snapshot(survey: Survey) -> dict:
    """Everything the builder can change, to check that a refused request changed nothing."""
    survey = Survey.objects.get(pk=survey.pk)
    data = definitions.survey_definition(survey)
    data["positions"] = [
        (s.pk, s.position, [(q.pk, q.position) for q in s.questions.all()])
        for s in definitions.survey_sections(survey)
    ]
    data["dates"] = (survey.opens_at, survey.closes_at)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def survey(cohort_x):
    """The test survey, not opened yet and without responses (everything may change)."""
    return make_survey(cohort_x, opened=False)


@pytest.fixture
def answered(cohort_x, municipality_a):
    """The test survey, open, with two responses: its structure is fixed."""
    survey = make_survey(cohort_x, slug="beantwortet")
    add_responses(
        survey,
        [{"q_agree": 1, "q_role": "politik"}, {"q_agree": -2, "q_formats": ["workshop"]}],
        municipality=municipality_a,
    )
    return survey


@pytest.fixture
def coord(client_as):
    return client_as("coordinator")


# --- survey_list ---------------------------------------------------------------------------------


def test_list_shows_state_and_responses(coord, cohort_x, cohort_y, answered):
    now = timezone.now()
    make_survey(cohort_x, slug="entwurf", title_de="Entwurf", opened=False)
    make_survey(cohort_x, slug="geplant", title_de="Geplant", opens_at=now + dt.timedelta(days=3))
    make_survey(
        cohort_x,
        slug="vorbei",
        title_de="Vorbei",
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=2),
    )
    make_survey(cohort_y, slug="fremd", title_de="Fremde Umfrage")
    response = coord.get(cohort_url("survey_list", cohort_x))
    assert response.status_code == 200
    rows = {s.slug: s for s in response.context["surveys"]}
    assert set(rows) == {"beantwortet", "entwurf", "geplant", "vorbei"}
    assert {slug: s.state for slug, s in rows.items()} == {
        "beantwortet": "open",
        "entwurf": "draft",
        "geplant": "scheduled",
        "vorbei": "closed",
    }
    assert rows["beantwortet"].n_responses == 2 and rows["entwurf"].n_responses == 0
    assert rows["beantwortet"].n_questions == 6
    page = text(response)
    assert "Fremde Umfrage" not in page
    assert cohort_url("survey_create", cohort_x) in page
    for label in ("draft", "scheduled", "open", "closed"):
        assert f'<span class="kern-label">{label}</span>' in page


def test_funders_see_the_list_without_edit_actions(client_as, cohort_x, answered):
    response = client_as("funder").get(cohort_url("survey_list", cohort_x))
    assert response.status_code == 200
    page = text(response)
    assert survey_url("survey_detail", answered) in page
    assert cohort_url("survey_create", cohort_x) not in page
    assert cohort_url("survey_definition_import", cohort_x) not in page


def test_list_queries_do_not_grow_with_surveys(coord, cohort_x, municipality_a):
    make_survey(cohort_x, slug="erste")

    def grow():
        for n in range(4):
            survey = make_survey(cohort_x, slug=f"weitere-{n}")
            add_responses(survey, [{"q_agree": 1}] * 3, municipality=municipality_a)

    assert_constant_queries(coord, cohort_url("survey_list", cohort_x), grow)


# --- survey_create -------------------------------------------------------------------------------


def _create_data(**extra) -> dict:
    return {
        "slug": "puls-1",
        "kind": "pulse",
        "title_de": "Pulsbefragung",
        "title_en": "Pulse survey",
        "min_group_size": "5",
        **extra,
    }


def test_create_an_empty_survey(coord, cohort_x, coordinator):
    response = coord.post(cohort_url("survey_create", cohort_x), _create_data())
    survey = Survey.objects.get(cohort=cohort_x, slug="puls-1")
    assert response.status_code == 302
    # questions first: an empty survey goes on to its first section, then its first question
    assert response["Location"] == survey_url("survey_section_create", survey)
    assert (survey.kind, survey.title_de, survey.title_en, survey.min_group_size) == (
        "pulse",
        "Pulsbefragung",
        "Pulse survey",
        5,
    )
    assert survey.created_by == coordinator
    assert survey.state == "draft"
    assert not survey.sections.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"slug": "eingangsbefragung"}, "slug"),  # taken in this cohort
        ({"slug": "new"}, "slug"),  # the address of this very form
        ({"slug": "mit leerzeichen"}, "slug"),
        ({"min_group_size": "2"}, "min_group_size"),
        ({"min_group_size": ""}, "min_group_size"),
        ({"kind": "census"}, "kind"),
        ({"title_de": ""}, "title_de"),
    ],
)
def test_create_refuses_bad_input(coord, cohort_x, survey, change, field):
    before = Survey.objects.count()
    response = coord.post(cohort_url("survey_create", cohort_x), _create_data(**change))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Survey.objects.count() == before


def test_min_group_size_defaults_to_five(coord, cohort_x):
    response = coord.get(cohort_url("survey_create", cohort_x))
    assert response.context["form"]["min_group_size"].value() == 5


def test_create_from_a_template(coord, cohort_x, survey):
    template = definitions.template_save(survey=survey, name="Eingang")
    response = coord.post(
        cohort_url("survey_create", cohort_x), _create_data(template=str(template.pk))
    )
    assert response.status_code == 302
    new = Survey.objects.get(cohort=cohort_x, slug="puls-1")
    data = definitions.survey_definition(new)
    assert data["sections"] == definitions.survey_definition(survey)["sections"]
    assert (new.kind, new.title_de) == ("pulse", "Pulsbefragung")


def test_create_offers_lab_and_global_templates_only(coord, cohort_x, lab_y):
    own = SurveyTemplate.objects.create(
        lab=cohort_x.lab, name="Eigene", kind="pulse", definition={}
    )
    everyone = SurveyTemplate.objects.create(lab=None, name="Für alle", kind="pulse", definition={})
    foreign = SurveyTemplate.objects.create(lab=lab_y, name="Fremd", kind="pulse", definition={})
    url = cohort_url("survey_create", cohort_x)
    response = coord.get(url)
    offered = set(response.context["form"].fields["template"].queryset)
    assert offered == {own, everyone}
    page = text(response)
    assert "Eigene" in page and "Für alle" in page and "Fremd" not in page
    # an empty survey is the first choice and chosen unless the coordinator picks a template
    radios = [(w.data["value"], w.data["selected"]) for w in response.context["form"]["template"]]
    assert radios[0] == ("", True)
    assert sorted(str(value) for value, _selected in radios[1:]) == sorted(
        [str(own.pk), str(everyone.pk)]
    )
    assert "An empty survey" in page
    # the lab's own template can be deleted from here, the global one cannot
    assert cohort_url("survey_template_delete", cohort_x, own.pk) in page
    assert cohort_url("survey_template_delete", cohort_x, everyone.pk) not in page
    response = coord.post(url, _create_data(template=str(foreign.pk)))
    assert "template" in response.context["form"].errors
    assert not Survey.objects.filter(slug="puls-1").exists()


def test_create_from_a_broken_template_lists_its_problems(coord, cohort_x):
    broken = SurveyTemplate.objects.create(
        lab=cohort_x.lab,
        name="Kaputt",
        kind="pulse",
        definition={"format": "innolab-survey/1", "kind": "pulse", "sections": []},
    )
    response = coord.post(
        cohort_url("survey_create", cohort_x), _create_data(template=str(broken.pk))
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["template"]
    assert "title: This key is missing." in errors
    assert not Survey.objects.filter(slug="puls-1").exists()


# --- survey_definition_import and survey_definition ----------------------------------------------


def _upload(data, name="umfrage.json") -> SimpleUploadedFile:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_import_a_definition_file(
    coord, cohort_x, cohort_y, survey, django_capture_on_commit_callbacks
):
    exported = definitions.survey_definition(survey)
    response = coord.post(
        cohort_url("survey_definition_import", cohort_y), {"file": _upload(exported)}
    )
    # coordinator of lab X only: cohort Y's page is not theirs
    assert response.status_code == 404
    assert not ImportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(
            cohort_url("survey_definition_import", cohort_x),
            {"file": _upload(exported), "slug": "kopie"},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse(
        "import_job", args=[cohort_x.lab.slug, cohort_x.slug, job.pk]
    )
    new = Survey.objects.get(cohort=cohort_x, slug="kopie")
    assert (job.kind, job.status, job.survey) == ("definition", "succeeded", new)
    assert definitions.survey_definition(new) == exported | {"slug": "kopie"}
    page = text(coord.get(response["Location"]))
    assert f"The survey “{new.title}” was imported." in page
    assert survey_url("survey_detail", new) in coord.get(response["Location"]).content.decode()


def test_import_lists_every_problem_and_creates_nothing(
    coord, cohort_x, survey, django_capture_on_commit_callbacks
):
    data = definitions.survey_definition(survey)
    data["min_group_size"] = 1
    data["sections"][1]["questions"][0]["choices"][1]["code"] = "workshop"
    before = snapshot(survey), Survey.objects.count(), Question.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(
            cohort_url("survey_definition_import", cohort_x),
            {"file": _upload(data), "slug": "neu"},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.error_count) == ("failed", 2)
    assert job.errors == [
        {
            "place": "min_group_size",
            "message": "The minimum group size must be at least 3 (and at most 1000).",
        },
        {
            "place": "sections[1].questions[0].choices[1].code",
            "message": "The choice code “workshop” is used twice "
            "(also at sections[1].questions[0].choices[0].code).",
        },
    ]
    page = text(coord.get(response["Location"]))
    assert "The definition has 2 problems. Nothing was created." in page
    assert "sections[1].questions[0].choices[1].code" in page
    assert (snapshot(survey), Survey.objects.count(), Question.objects.count()) == before


def test_import_with_a_taken_short_name_asks_for_another(
    coord, cohort_x, survey, django_capture_on_commit_callbacks
):
    data = definitions.survey_definition(survey)
    with django_capture_on_commit_callbacks(execute=True):
        coord.post(cohort_url("survey_definition_import", cohort_x), {"file": _upload(data)})
    assert ImportJob.objects.get().errors == [
        {
            "place": "slug",
            "message": "This cohort already has a survey with the short name “eingangsbefragung”.",
        }
    ]
    # a short name given in the form is checked at once
    response = coord.post(
        cohort_url("survey_definition_import", cohort_x),
        {"file": _upload(data), "slug": "eingangsbefragung"},
    )
    assert "slug" in response.context["form"].errors
    assert Survey.objects.count() == 1
    assert ImportJob.objects.count() == 1


@pytest.mark.parametrize(
    "content",
    [b"{nicht json", b"\xff\xfe\x00\x00", b"x" * 1_000_001, b"[" * 100_000 + b"]" * 100_000],
    ids=["broken", "not-utf8", "too-large", "too-deep"],
)
def test_import_refuses_files_that_are_no_json(coord, cohort_x, content):
    response = coord.post(
        cohort_url("survey_definition_import", cohort_x), {"file": _upload(content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Survey.objects.exists()


def test_download_the_definition(coord, survey):
    response = coord.get(survey_url("survey_definition", survey))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="eingangsbefragung.json"'
    data = json.loads(response.content.decode("utf-8"))
    assert data == definitions.survey_definition(survey)
    assert "Vielfalt ist in unserer Verwaltung ein Thema." in response.content.decode()


# --- survey_detail -------------------------------------------------------------------------------


def test_detail_shows_sections_and_questions_in_order(coord, survey):
    Section.objects.filter(survey=survey, position=1).update(position=3)
    response = coord.get(survey_url("survey_detail", survey))
    assert response.status_code == 200
    page = text(response)
    order = ["Formats", "q_formats", "q_hours", "Starting point", "q_agree", "q_sat", "q_role"]
    positions = [page.index(part) for part in order]
    assert positions == sorted(positions)
    assert "strongly disagree" in page and "Online seminar" in page
    assert survey_url("survey_edit", survey) in page
    assert survey_url("survey_definition", survey) in page
    assert survey_url("survey_save_template", survey) in page
    question = survey.questions.get(code="q_sat")
    assert survey_url("survey_question_edit", survey, question.pk) in page


def test_funders_see_the_questions_but_no_edit_actions(client_as, answered):
    response = client_as("funder").get(survey_url("survey_detail", answered))
    assert response.status_code == 200
    page = text(response)
    assert "How satisfied are you?" in page
    assert response.context["n_responses"] == 2
    assert survey_url("survey_edit", answered) not in page
    assert survey_url("survey_definition", answered) not in page
    assert "/sections/" not in page and "/questions/" not in page
    assert response.context["template_form"] is None


def test_detail_queries_do_not_grow_with_questions(coord, survey, municipality_a):
    def grow():
        for n in range(3):
            section = definitions.section_create(survey=survey, title_de=f"Teil {n}")
            for m in range(3):
                definitions.question_create(
                    section=section,
                    code=f"c{n}_{m}",
                    type=QuestionType.SINGLE,
                    text_de="Wahl?",
                    choices=[("a", "A", ""), ("b", "B", "")],
                )
        add_responses(survey, [{"q_agree": 2}] * 4, municipality=municipality_a)

    assert_constant_queries(coord, survey_url("survey_detail", survey), grow)


def test_unknown_survey_is_404(coord, cohort_x):
    response = coord.get(cohort_url("survey_detail", cohort_x, "gibt-es-nicht"))
    assert response.status_code == 404


# --- survey_edit ---------------------------------------------------------------------------------


def _edit_data(survey, **extra) -> dict:
    return {
        "title_de": survey.title_de,
        "title_en": survey.title_en,
        "kind": survey.kind,
        "intro_de": "",
        "intro_en": "",
        "min_group_size": str(survey.min_group_size),
        "opens_at": "",
        "closes_at": "",
        **extra,
    }


def test_edit_settings_with_dates_in_berlin_time(coord, survey):
    response = coord.post(
        survey_url("survey_edit", survey),
        _edit_data(
            survey,
            title_de="Neuer Titel",
            intro_de="Bitte nehmen Sie sich zehn Minuten Zeit.",
            kind="final",
            min_group_size="3",
            opens_at="2025-03-01T10:00",
            closes_at="2025-07-01T18:30",
        ),
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title_de, survey.kind, survey.min_group_size) == ("Neuer Titel", "final", 3)
    assert survey.intro_de == "Bitte nehmen Sie sich zehn Minuten Zeit."
    assert survey.opens_at == dt.datetime(2025, 3, 1, 10, 0, tzinfo=BERLIN)  # 09:00 UTC
    assert survey.closes_at == dt.datetime(2025, 7, 1, 18, 30, tzinfo=BERLIN)  # summer time
    assert survey.slug == "eingangsbefragung"
    page = text(coord.get(survey_url("survey_edit", survey)))
    assert 'value="2025-03-01T10:00"' in page


@pytest.mark.parametrize(
    "change, field",
    [
        ({"opens_at": "2025-03-01T10:00", "closes_at": "2025-03-01T10:00"}, "closes_at"),
        ({"opens_at": "2025-03-01T10:00", "closes_at": "2025-02-01T10:00"}, "closes_at"),
        ({"closes_at": "2025-02-01T10:00"}, "opens_at"),
        ({"opens_at": "morgen"}, "opens_at"),
        ({"min_group_size": "2"}, "min_group_size"),
        ({"min_group_size": "-1"}, "min_group_size"),
        ({"title_de": ""}, "title_de"),
    ],
)
def test_edit_refuses_bad_input(coord, survey, change, field):
    before = snapshot(survey)
    response = coord.post(survey_url("survey_edit", survey), _edit_data(survey, **change))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert snapshot(survey) == before


def test_edit_keeps_the_page_title_when_input_is_refused(coord, survey):
    response = coord.post(survey_url("survey_edit", survey), _edit_data(survey, title_de=""))
    assert "Baseline survey" in text(response)  # breadcrumb: what is saved


# --- templates -----------------------------------------------------------------------------------


def test_save_as_template(coord, survey, coordinator):
    response = coord.post(survey_url("survey_save_template", survey), {"name": "Eingang 2025"})
    assert response.status_code == 302
    template = SurveyTemplate.objects.get()
    assert (template.lab, template.name, template.kind, template.created_by) == (
        survey.cohort.lab,
        "Eingang 2025",
        "baseline",
        coordinator,
    )
    assert template.definition == definitions.survey_definition(survey)
    offered = coord.get(cohort_url("survey_create", survey.cohort)).context["form"]
    assert list(offered.fields["template"].queryset) == [template]


def test_save_as_template_refuses_a_name_twice(coord, survey):
    SurveyTemplate.objects.create(
        lab=survey.cohort.lab, name="Eingang", kind="final", definition={}
    )
    response = coord.post(survey_url("survey_save_template", survey), {"name": "eingang"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert SurveyTemplate.objects.count() == 1


def test_delete_a_template(coord, cohort_x, lab_y):
    own = SurveyTemplate.objects.create(lab=cohort_x.lab, name="X", kind="pulse", definition={})
    everyone = SurveyTemplate.objects.create(lab=None, name="G", kind="pulse", definition={})
    foreign = SurveyTemplate.objects.create(lab=lab_y, name="Y", kind="pulse", definition={})
    assert coord.get(cohort_url("survey_template_delete", cohort_x, own.pk)).status_code == 200
    response = coord.post(cohort_url("survey_template_delete", cohort_x, own.pk))
    assert response["Location"] == cohort_url("survey_create", cohort_x)
    assert (
        coord.post(cohort_url("survey_template_delete", cohort_x, everyone.pk)).status_code == 403
    )
    assert coord.post(cohort_url("survey_template_delete", cohort_x, foreign.pk)).status_code == 404
    assert coord.post(cohort_url("survey_template_delete", cohort_x, HUGE_ID)).status_code == 404
    assert set(SurveyTemplate.objects.all()) == {everyone, foreign}


# --- sections ------------------------------------------------------------------------------------


def test_add_and_edit_a_section(coord, survey):
    response = coord.post(
        survey_url("survey_section_create", survey), {"title_de": "Zum Schluss", "title_en": ""}
    )
    section = survey.sections.get(title_de="Zum Schluss")
    assert section.position == 3
    # a new section goes on to its first question
    assert response["Location"] == survey_url("survey_question_create", survey, section.pk)
    response = coord.post(
        survey_url("survey_section_edit", survey, section.pk),
        {"title_de": "Abschluss", "title_en": "Closing"},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.title_de, section.title_en) == ("Abschluss", "Closing")


def test_section_without_title_is_refused(coord, survey):
    section = survey.sections.first()
    before = snapshot(survey)
    response = coord.post(survey_url("survey_section_edit", survey, section.pk), {"title_de": ""})
    assert "title_de" in response.context["form"].errors
    response = coord.post(survey_url("survey_section_create", survey), {"title_en": "Only EN"})
    assert "title_de" in response.context["form"].errors
    assert snapshot(survey) == before


def test_delete_a_section_with_its_questions(coord, survey):
    section = survey.sections.get(position=2)
    assert "3 questions" in text(coord.get(survey_url("survey_section_delete", survey, section.pk)))
    response = coord.post(survey_url("survey_section_delete", survey, section.pk))
    assert response.status_code == 302
    assert not Section.objects.filter(pk=section.pk).exists()
    assert set(survey.questions.values_list("code", flat=True)) == {"q_agree", "q_sat", "q_role"}


def test_deleting_an_answered_section_is_refused(coord, answered):
    section = answered.sections.get(position=1)
    page = text(coord.get(survey_url("survey_section_delete", answered, section.pk)))
    assert "cannot be deleted" in page and "<button" not in page.split("<main")[1]
    before = snapshot(answered)
    response = coord.post(survey_url("survey_section_delete", answered, section.pk))
    assert response.status_code == 302
    assert messages_of(response) == [
        "A section with questions cannot be deleted any more. The survey already has "
        "responses; only wording and order can change."
    ]
    assert snapshot(answered) == before


def test_an_empty_section_can_go_even_with_responses(coord, answered):
    section = definitions.section_create(survey=answered, title_de="Leer")
    coord.post(survey_url("survey_section_delete", answered, section.pk))
    assert not Section.objects.filter(pk=section.pk).exists()


def _order(survey) -> list[str]:
    return [s.title_de for s in survey.sections.order_by("position", "pk")]


def test_move_sections(coord, answered):
    first, second = answered.sections.order_by("position")
    response = coord.post(
        survey_url("survey_section_move", answered, second.pk), {"direction": "up"}
    )
    assert response["Location"].endswith(f"#section-{second.pk}")
    assert _order(answered) == ["Angebote", "Ausgangslage"]
    coord.post(survey_url("survey_section_move", answered, second.pk), {"direction": "down"})
    assert _order(answered) == ["Ausgangslage", "Angebote"]
    # already at the top: nothing changes, and the person is told
    response = coord.post(
        survey_url("survey_section_move", answered, first.pk), {"direction": "up"}
    )
    assert messages_of(response) == ["It is already at that end."]
    assert _order(answered) == ["Ausgangslage", "Angebote"]


def test_move_without_a_direction_changes_nothing(coord, survey):
    section = survey.sections.get(position=2)
    question = survey.questions.get(code="q_hours")
    before = snapshot(survey)
    for url in (
        survey_url("survey_section_move", survey, section.pk),
        survey_url("survey_question_move", survey, question.pk),
    ):
        response = coord.post(url, {"direction": "sideways"})
        assert response.status_code == 302
        assert messages_of(response)[-1] == "Please choose whether to move it up or down."
    assert snapshot(survey) == before


def test_sections_and_questions_of_other_surveys_are_404(coord, survey, cohort_x):
    other = make_survey(cohort_x, slug="andere")
    section = other.sections.first()
    question = other.questions.first()
    for url in (
        survey_url("survey_section_edit", survey, section.pk),
        survey_url("survey_section_delete", survey, section.pk),
        survey_url("survey_question_create", survey, section.pk),
        survey_url("survey_question_edit", survey, question.pk),
        survey_url("survey_question_delete", survey, question.pk),
        survey_url("survey_section_edit", survey, HUGE_ID),
        survey_url("survey_question_edit", survey, HUGE_ID),
    ):
        assert coord.get(url).status_code == 404, url
    for url in (
        survey_url("survey_section_move", survey, section.pk),
        survey_url("survey_question_move", survey, question.pk),
    ):
        assert coord.post(url, {"direction": "up"}).status_code == 404


# --- questions -----------------------------------------------------------------------------------


def _question_data(section, **extra) -> dict:
    return {
        "section": str(section.pk),
        "code": "q_new",
        "type": "scale",
        "text_de": "Wie wichtig ist Ihnen das?",
        "text_en": "How important is this to you?",
        "required": "on",
        "scale_min": "0",
        "scale_max": "10",
        "min_label_de": "unwichtig",
        "min_label_en": "unimportant",
        "max_label_de": "sehr wichtig",
        "max_label_en": "very important",
        **extra,
    }


def test_add_a_scale_question(coord, survey):
    section = survey.sections.get(position=1)
    url = survey_url("survey_question_create", survey, section.pk)
    page = text(coord.get(url + "?type=scale"))
    assert 'name="scale_min"' in page and 'name="choices"' not in page
    response = coord.post(url, _question_data(section))
    question = survey.questions.get(code="q_new")
    assert response["Location"].endswith(f"#question-{question.pk}")
    assert (question.section, question.position, question.required) == (section, 4, True)
    assert (question.scale_min, question.scale_max) == (0, 10)
    assert (question.min_label_de, question.max_label_en) == ("unwichtig", "very important")


def test_add_a_choice_question(coord, survey):
    section = survey.sections.get(position=2)
    url = survey_url("survey_question_create", survey, section.pk)
    page = text(coord.get(url + "?type=multi"))
    assert 'name="choices"' in page and 'name="scale_min"' not in page
    response = coord.post(
        url,
        {
            "section": str(section.pk),
            "code": "q_channels",
            "type": "multi",
            "text_de": "Wie haben Sie davon erfahren?",
            "choices": "mail | E-Mail | e-mail\n\n  web|Website  \npresse | Presse | Press",
            # left over from another type: not stored
            "scale_min": "1",
            "scale_max": "5",
        },
    )
    assert response.status_code == 302
    question = survey.questions.get(code="q_channels")
    assert question.scale_min is None and question.required is False
    assert [(c.code, c.label_de, c.label_en, c.position) for c in question.choices.all()] == [
        ("mail", "E-Mail", "e-mail", 1),
        ("web", "Website", "", 2),
        ("presse", "Presse", "Press", 3),
    ]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"code": "q_sat"}, "code", "This survey already has a question with this code."),
        ({"code": "1st"}, "code", "Use 1 to 40 letters"),
        ({"scale_max": "0"}, "scale_max", "The highest value must be above the lowest."),
        ({"scale_min": "-1000", "scale_max": "1000"}, "scale_max", "A scale has at most 101"),
        ({"scale_max": "5000"}, "scale_max", "Ensure this value is less than or equal to 1000."),
        ({"scale_max": ""}, "scale_max", "This field is required."),
        ({"text_de": ""}, "text_de", "This field is required."),
        ({"type": "single", "choices": ""}, "choices", "This field is required."),
        ({"type": "single", "choices": "a | A\na | B"}, "choices", "Line 2: the code “a” is used"),
        ({"type": "single", "choices": "a"}, "choices", "Line 1: write code | German label"),
        ({"type": "single", "choices": "a | "}, "choices", "Line 1: the German label is missing"),
        ({"type": "single", "choices": "ä | Ä"}, "choices", "Line 1: “ä” is not a valid code"),
        ({"type": "slider"}, "type", "Select a valid choice."),
    ],
)
def test_add_question_refuses_bad_input(coord, survey, change, field, message):
    section = survey.sections.get(position=1)
    before = snapshot(survey), Choice.objects.count()
    response = coord.post(
        survey_url("survey_question_create", survey, section.pk), _question_data(section, **change)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(e.startswith(message) for e in errors.get(field, [])), errors
    assert (snapshot(survey), Choice.objects.count()) == before


def test_changing_the_type_asks_for_what_the_new_type_needs(coord, survey):
    question = survey.questions.get(code="q_hours")  # a number question
    url = survey_url("survey_question_edit", survey, question.pk)
    data = _question_data(question.section, code="q_hours", type="single")
    del data["scale_min"]
    response = coord.post(url, data)
    assert response.status_code == 200
    assert "choices" in response.context["form"].errors
    assert 'name="choices"' in text(response)
    data["choices"] = "wenig | bis 5 Stunden\nviel | mehr als 5 Stunden"
    assert coord.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.type == "single"
    assert list(question.choices.values_list("code", flat=True)) == ["wenig", "viel"]


def test_a_scale_that_becomes_text_loses_range_and_labels(coord, survey):
    question = survey.questions.get(code="q_sat")
    data = _question_data(question.section, code="q_sat", type="text")
    response = coord.post(survey_url("survey_question_edit", survey, question.pk), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.type, question.scale_min, question.scale_max) == ("text", None, None)
    assert question.min_label_de == "" == question.max_label_en


def test_choice_question_edit_shows_its_choices_as_lines(coord, survey):
    question = survey.questions.get(code="q_role")
    form = coord.get(survey_url("survey_question_edit", survey, question.pk)).context["form"]
    assert form["choices"].value() == (
        "verwaltung | Verwaltung | Administration\npolitik | Politik | Politics\n"
        "andere | Andere | Other"
    )


def _edit_question_data(question, **extra) -> dict:
    data = {
        "section": str(question.section_id),
        "code": question.code,
        "type": question.type,
        "text_de": question.text_de,
        "text_en": question.text_en,
        "scale_min": question.scale_min if question.scale_min is not None else "",
        "scale_max": question.scale_max if question.scale_max is not None else "",
        "min_label_de": question.min_label_de,
        "min_label_en": question.min_label_en,
        "max_label_de": question.max_label_de,
        "max_label_en": question.max_label_en,
        "choices": "\n".join(
            f"{c.code} | {c.label_de} | {c.label_en}" for c in question.choices.all()
        ),
    }
    if question.required:
        data["required"] = "on"
    return data | extra


def test_wording_order_and_required_may_change_after_responses(coord, answered):
    question = answered.questions.get(code="q_role")
    other_section = answered.sections.get(position=2)
    response = coord.post(
        survey_url("survey_question_edit", answered, question.pk),
        _edit_question_data(
            question,
            text_de="Wo arbeiten Sie hauptsächlich?",
            required="on",
            section=str(other_section.pk),
            choices="politik | Politik und Rat | Politics\nandere | Anderes | Other\n"
            "verwaltung | Verwaltung | Administration",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    question.refresh_from_db()
    assert question.text_de == "Wo arbeiten Sie hauptsächlich?" and question.required
    # moved to the end of the other section
    assert (question.section, question.position) == (other_section, 4)
    choices = list(question.choices.all())
    assert [c.code for c in choices] == ["politik", "andere", "verwaltung"]
    assert choices[0].label_de == "Politik und Rat"
    # the stored answer still points to its choice
    assert choices[0].answers.count() == 1


@pytest.mark.parametrize(
    "code, change",
    [
        ("q_agree", {"type": "number"}),
        ("q_agree", {"scale_min": "1", "scale_max": "5"}),
        ("q_agree", {"code": "q_agree_2"}),
        ("q_role", {"choices": "verwaltung | V\npolitik | P"}),  # one choice less
        ("q_role", {"choices": "verwaltung | V\npolitik | P\nandere | A\nneu | N"}),
        ("q_role", {"choices": "verwaltung | V\npolitik | P\nsonst | A"}),  # renamed
    ],
)
def test_structural_changes_are_refused_after_responses(coord, answered, code, change):
    question = answered.questions.get(code=code)
    before = snapshot(answered), Choice.objects.count()
    response = coord.post(
        survey_url("survey_question_edit", answered, question.pk),
        _edit_question_data(question, **change),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The code, the type, the scale range and the choices' codes cannot be changed any "
        "more. The survey already has responses; only wording and order can change."
    ]
    assert (snapshot(answered), Choice.objects.count()) == before


def test_the_question_page_says_what_is_fixed_after_responses(coord, answered, survey):
    question = answered.questions.get(code="q_agree")
    page = text(coord.get(survey_url("survey_question_edit", answered, question.pk)))
    assert "but not the code, the type, the scale range" in page
    question = survey.questions.get(code="q_agree")
    page = text(coord.get(survey_url("survey_question_edit", survey, question.pk)))
    assert "but not the code, the type, the scale range" not in page


def test_the_same_structural_changes_are_fine_before_responses(coord, survey):
    question = survey.questions.get(code="q_role")
    response = coord.post(
        survey_url("survey_question_edit", survey, question.pk),
        _edit_question_data(question, code="q_bereich", choices="verwaltung | V\nsonst | S"),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.code == "q_bereich"
    assert list(question.choices.values_list("code", "position")) == [
        ("verwaltung", 1),
        ("sonst", 2),
    ]


def test_delete_a_question(coord, survey):
    question = survey.questions.get(code="q_hours")
    assert coord.get(survey_url("survey_question_delete", survey, question.pk)).status_code == 200
    response = coord.post(survey_url("survey_question_delete", survey, question.pk))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_deleting_an_answered_question_is_refused(coord, answered):
    question = answered.questions.get(code="q_comment")
    before = snapshot(answered)
    response = coord.post(survey_url("survey_question_delete", answered, question.pk))
    assert response.status_code == 302
    assert messages_of(response) == [
        "Questions cannot be deleted any more. The survey already has responses; only wording "
        "and order can change."
    ]
    assert snapshot(answered) == before


def _codes(section) -> list[str]:
    return list(section.questions.order_by("position", "pk").values_list("code", flat=True))


def test_move_questions_within_their_section(coord, answered):
    section = answered.sections.get(position=1)
    q_role = answered.questions.get(code="q_role")
    response = coord.post(
        survey_url("survey_question_move", answered, q_role.pk), {"direction": "up"}
    )
    assert response["Location"].endswith(f"#question-{q_role.pk}")
    assert _codes(section) == ["q_agree", "q_role", "q_sat"]
    coord.post(survey_url("survey_question_move", answered, q_role.pk), {"direction": "up"})
    assert _codes(section) == ["q_role", "q_agree", "q_sat"]
    response = coord.post(
        survey_url("survey_question_move", answered, q_role.pk), {"direction": "up"}
    )
    assert messages_of(response) == ["It is already at that end."]
    assert _codes(section) == ["q_role", "q_agree", "q_sat"]
    # the other section is untouched
    assert _codes(answered.sections.get(position=2)) == ["q_formats", "q_hours", "q_comment"]

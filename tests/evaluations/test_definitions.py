"""The survey definition format innolab-survey/1: export, validation, import, templates, and the
import_survey command."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, base, call_command
from django.utils import translation

from evaluations import definitions
from evaluations.definitions import DefinitionInvalid, survey_definition, survey_from_definition
from evaluations.models import Choice, Question, Section, Survey, SurveyTemplate

from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts() -> tuple[int, int, int, int]:
    return (
        Survey.objects.count(),
        Section.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
    )


def _valid() -> dict:
    """A small valid definition with one question of every type."""
    return {
        "format": "innolab-survey/1",
        "slug": "feedback-workshop",
        "kind": "feedback",
        "title": {"de": "Rückmeldung zum Workshop", "en": "Workshop feedback"},
        "min_group_size": 4,
        "sections": [
            {
                "title": {"de": "Zufriedenheit", "en": "Satisfaction"},
                "questions": [
                    {
                        "code": "sat",
                        "type": "scale",
                        "text": {"de": "Wie zufrieden sind Sie?", "en": "How satisfied?"},
                        "required": True,
                        "min": 1,
                        "max": 5,
                        "min_label": {"de": "gar nicht", "en": "not at all"},
                        "max_label": {"de": "sehr", "en": "very"},
                    },
                    {
                        "code": "role",
                        "type": "single",
                        "text": {"de": "Ihre Rolle"},
                        "choices": [
                            {"code": "a", "label": {"de": "Verwaltung", "en": "Administration"}},
                            {"code": "b", "label": {"de": "Politik"}},
                        ],
                    },
                ],
            },
            {
                "title": {"de": "Sonstiges"},
                "questions": [
                    {"code": "hours", "type": "number", "text": {"de": "Stunden?"}},
                    {"code": "note", "type": "text", "text": {"de": "Anmerkungen"}},
                    {
                        "code": "formats",
                        "type": "multi",
                        "text": {"de": "Formate"},
                        "choices": [{"code": "ws", "label": {"de": "Workshop"}}],
                    },
                ],
            },
        ],
    }


def _messages(data, **kwargs) -> list[str]:
    return [str(p) for p in definitions.definition_problems(data, **kwargs)]


# --- export and round trip -----------------------------------------------------------------------


def test_export_lists_sections_questions_and_choices_in_order(cohort_x):
    survey = make_survey(cohort_x)
    # positions decide the order, not the primary keys
    survey.sections.filter(position=1).update(position=5)
    data = survey_definition(survey)
    assert data["format"] == "innolab-survey/1"
    assert data["slug"] == "eingangsbefragung"
    assert data["kind"] == "baseline"
    assert data["title"] == {"de": "Eingangsbefragung", "en": "Baseline survey"}
    assert data["min_group_size"] == 5
    assert [s["title"]["de"] for s in data["sections"]] == ["Angebote", "Ausgangslage"]
    second = data["sections"][1]["questions"]
    assert [q["code"] for q in second] == ["q_agree", "q_sat", "q_role"]
    assert second[0] == {
        "code": "q_agree",
        "type": "scale",
        "text": {
            "de": "Vielfalt ist in unserer Verwaltung ein Thema.",
            "en": "Diversity is an issue in our administration.",
        },
        "required": True,
        "min": -2,
        "max": 2,
        "min_label": {"de": "stimme gar nicht zu", "en": "strongly disagree"},
        "max_label": {"de": "stimme voll zu", "en": "strongly agree"},
    }
    assert second[2]["choices"][0] == {
        "code": "verwaltung",
        "label": {"de": "Verwaltung", "en": "Administration"},
    }
    # text and number questions carry neither a range nor choices
    first = {q["code"]: q for q in data["sections"][0]["questions"]}
    assert set(first["q_hours"]) == {"code", "type", "text", "required"}


def test_round_trip_export_import_export_is_identical(cohort_x, cohort_y, coordinator):
    survey = make_survey(cohort_x, intro_de="Willkommen", intro_en="Welcome", min_group_size=7)
    exported = survey_definition(survey)
    # through JSON text, as the download and the command carry it
    text = json.dumps(exported, ensure_ascii=False)
    copy_ = survey_from_definition(cohort_y, json.loads(text), coordinator)
    assert copy_.cohort == cohort_y and copy_.created_by == coordinator
    assert survey_definition(copy_) == exported
    # into the same cohort under another short name: identical but for the name
    again = survey_from_definition(cohort_x, exported, coordinator, slug="zweite-runde")
    assert survey_definition(again) == exported | {"slug": "zweite-runde"}


def test_import_of_a_written_file_then_export_is_the_file(cohort_x):
    data = _valid()
    survey = survey_from_definition(cohort_x, data)
    exported = survey_definition(survey)
    # optional keys come back with their defaults, everything else as written
    assert exported["sections"][0]["questions"][0] == data["sections"][0]["questions"][0]
    role = exported["sections"][0]["questions"][1]
    assert role["required"] is False
    assert role["text"] == {"de": "Ihre Rolle", "en": ""}
    assert role["choices"][1] == {"code": "b", "label": {"de": "Politik", "en": ""}}
    assert exported["intro"] == {"de": "", "en": ""}
    assert survey.min_group_size == 4
    question = survey.questions.get(code="formats")
    assert question.section.position == 2 and question.position == 3
    assert survey_definition(survey_from_definition(cohort_x, exported, slug="b")) == (
        exported | {"slug": "b"}
    )


def test_overrides_replace_the_files_title_kind_and_group_size(cohort_x):
    survey = survey_from_definition(
        cohort_x,
        _valid(),
        slug="eigene",
        overrides={"title_de": "Eigener Titel", "kind": "pulse", "min_group_size": 9},
    )
    assert (survey.slug, survey.title_de, survey.kind, survey.min_group_size) == (
        "eigene",
        "Eigener Titel",
        "pulse",
        9,
    )
    assert survey.title_en == "Workshop feedback"


# --- validation ----------------------------------------------------------------------------------


def test_a_valid_definition_has_no_problems():
    assert _messages(_valid()) == []


def test_every_problem_is_listed_with_its_place(cohort_x):
    data = _valid()
    data["kind"] = "census"
    data["min_group_size"] = 2
    data["colour"] = "blue"
    sat, role = data["sections"][0]["questions"]
    sat["max"] = 1  # below min
    sat["required"] = "yes"
    del role["choices"]
    hours, note, formats = data["sections"][1]["questions"]
    hours["code"] = "sat"  # used in section 0 already
    note["code"] = "1note"
    note["min"] = 0  # a scale key on a text question
    del note["text"]
    formats["choices"].append({"code": "ws", "label": {"de": "Nochmal"}})
    formats["choices"].append({"code": "x", "label": "Nur Text"})
    data["sections"][1]["title"] = {"de": "Sonstiges", "fr": "Autres"}
    before = _counts()
    with pytest.raises(DefinitionInvalid) as caught:
        survey_from_definition(cohort_x, data)
    assert _counts() == before
    problems = {p.path: p.message for p in caught.value.problems}
    assert problems == {
        "colour": "Unknown key.",
        "kind": "Unknown kind “census”; use one of: baseline, final, feedback, pulse.",
        "min_group_size": "The minimum group size must be at least 3 (and at most 1000).",
        "sections[0].questions[0].required": "Expected true or false.",
        "sections[0].questions[0].max": "The highest value must be above the lowest.",
        "sections[0].questions[1].choices": "This key is missing.",
        "sections[1].title.fr": "Unknown key.",
        "sections[1].questions[0].code": (
            "The question code “sat” is used twice (also at sections[0].questions[0].code)."
        ),
        "sections[1].questions[1].code": (
            "“1note” is not a valid code: use 1 to 40 letters, digits, dots, hyphens or "
            "underscores, starting with a letter."
        ),
        "sections[1].questions[1].min": "Only questions of type “scale” have this key.",
        "sections[1].questions[1].text": "This key is missing.",
        "sections[1].questions[2].choices[1].code": (
            "The choice code “ws” is used twice (also at sections[1].questions[2].choices[0].code)."
        ),
        "sections[1].questions[2].choices[2].label": 'Expected {"de": "…", "en": "…"}.',
    }
    # the exception's messages name the place too (what the pages and the command show)
    assert "sections[0].questions[1].choices: This key is missing." in caught.value.messages


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.pop("kind"), "kind: This key is missing."),
        (lambda d: d.update(format="innolab-survey/2"), "format: Expected “innolab-survey/1”."),
        (lambda d: d.update(min_group_size="5"), "min_group_size: Expected a whole number."),
        (lambda d: d.update(min_group_size=True), "min_group_size: Expected a whole number."),
        (lambda d: d.update(sections={}), "sections: Expected a list ([…])."),
        (lambda d: d.update(title="Titel"), 'title: Expected {"de": "…", "en": "…"}.'),
        (lambda d: d["title"].update(de=" "), "title.de: This text must not be empty."),
        (lambda d: d["title"].update(en=3), "title.en: Expected text."),
        (lambda d: d["title"].update(de="x" * 201), "title.de: At most 200 characters."),
        (lambda d: d.update(slug="mit leerzeichen"), "slug: Use 1 to 60 letters"),
        (lambda d: d.update(slug="new"), "slug: “new” is reserved"),
        (lambda d: d["sections"].append([]), "sections[2]: Expected an object ({…})."),
        (
            lambda d: d["sections"][0]["questions"][0].update(min=0, max=200),
            "sections[0].questions[0].max: A scale has at most 101 points.",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(min=-5000),
            "sections[0].questions[0].min: Scale values lie between −1000 and 1000.",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(min=1.5),
            "sections[0].questions[0].min: Expected a whole number.",
        ),
        (
            lambda d: d["sections"][0]["questions"][1].update(choices=[]),
            "sections[0].questions[1].choices: A single or multiple choice question needs at "
            "least one choice.",
        ),
        (
            lambda d: d["sections"][1]["questions"][0].update(type="slider"),
            "sections[1].questions[0].type: Unknown question type “slider”; use one of: scale, "
            "single, multi, number, text.",
        ),
        (
            lambda d: d["sections"][1]["questions"][0].update(choices=[]),
            "sections[1].questions[0].choices: Only questions of type “single” or “multi” have "
            "choices.",
        ),
    ],
)
def test_single_problems(change, expected):
    data = _valid()
    change(data)
    messages = _messages(data)
    assert len(messages) == 1, messages
    assert messages[0].startswith(expected), messages


def test_not_an_object_at_all():
    assert _messages([1, 2]) == ["Expected an object ({…})."]


def test_codes_and_short_names_end_where_they_end():
    data = _valid()
    data["slug"] = "mit-zeilenende\n"
    data["sections"][0]["questions"][0]["code"] = "sat\n"
    assert [p.path for p in definitions.definition_problems(data)] == [
        "slug",
        "sections[0].questions[0].code",
    ]


def test_a_taken_short_name_is_a_problem_and_nothing_is_created(cohort_x):
    make_survey(cohort_x, slug="feedback-workshop")
    before = _counts()
    with pytest.raises(DefinitionInvalid) as caught:
        survey_from_definition(cohort_x, _valid())
    assert [p.path for p in caught.value.problems] == ["slug"]
    assert _counts() == before


def test_a_failure_while_creating_leaves_nothing_behind(cohort_x, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Choice.objects, "bulk_create", broken)
    before = _counts()
    with pytest.raises(RuntimeError):
        survey_from_definition(cohort_x, _valid())
    assert _counts() == before


# --- templates -----------------------------------------------------------------------------------


def test_save_as_template_and_create_from_it(cohort_x, coordinator):
    survey = make_survey(cohort_x)
    template = definitions.template_save(survey=survey, name="Eingang", user=coordinator)
    assert template.lab == cohort_x.lab and template.kind == "baseline"
    assert template.definition == survey_definition(survey)
    new = definitions.survey_from_template(
        cohort=cohort_x,
        template=template,
        user=coordinator,
        slug="eingang-2",
        title_de="Eingang 2026",
        kind="final",
    )
    data = survey_definition(new)
    assert data["title"] == {"de": "Eingang 2026", "en": "Baseline survey"}
    assert data["kind"] == "final"
    assert data["sections"] == template.definition["sections"]


def test_a_lab_sees_its_own_and_the_global_templates(lab_x, lab_y):
    own = SurveyTemplate.objects.create(lab=lab_x, name="X", kind="pulse", definition={})
    everyone = SurveyTemplate.objects.create(lab=None, name="Alle", kind="pulse", definition={})
    SurveyTemplate.objects.create(lab=lab_y, name="Y", kind="pulse", definition={})
    assert set(definitions.templates_for_lab(lab_x)) == {own, everyone}


def test_template_question_count_tolerates_odd_definitions():
    template = SurveyTemplate(definition=_valid())
    assert definitions.template_question_count(template) == 5
    assert definitions.template_question_count(SurveyTemplate(definition={"sections": 3})) == 0
    assert definitions.template_question_count(SurveyTemplate(definition=[])) == 0


# --- the import_survey command -------------------------------------------------------------------


def _write(tmp_path, data, name="survey.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_command_creates_the_survey(cohort_x, tmp_path):
    out = StringIO()
    call_command(
        "import_survey", _write(tmp_path, _valid()), cohort="innolab-x/kohorte-1", stdout=out
    )
    survey = Survey.objects.get(cohort=cohort_x, slug="feedback-workshop")
    assert survey_definition(survey)["sections"][1]["questions"][2]["choices"] == [
        {"code": "ws", "label": {"de": "Workshop", "en": ""}}
    ]
    assert "innolab-x/kohorte-1/feedback-workshop" in out.getvalue()
    assert "5 questions" in out.getvalue()


def test_command_takes_another_short_name_and_a_bom(cohort_x, tmp_path):
    path = tmp_path / "bom.json"
    path.write_text("\ufeff" + json.dumps(_valid()), encoding="utf-8")
    call_command(
        "import_survey", str(path), cohort="innolab-x/kohorte-1", slug="andere", stdout=StringIO()
    )
    assert Survey.objects.filter(cohort=cohort_x, slug="andere").exists()


def test_command_lists_every_problem_and_creates_nothing(cohort_x, tmp_path):
    data = _valid()
    data["min_group_size"] = 1
    data["sections"][0]["questions"][1]["code"] = "sat"
    before = _counts()
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command(
            "import_survey", _write(tmp_path, data), cohort="innolab-x/kohorte-1", stderr=err
        )
    assert _counts() == before
    lines = err.getvalue().splitlines()
    assert "min_group_size: The minimum group size must be at least 3 (and at most 1000)." in lines
    assert any(
        line.startswith("sections[0].questions[1].code: The question code") for line in lines
    )


@pytest.mark.parametrize(
    "cohort, content, message",
    [
        ("innolab-x", None, "LAB/COHORT"),
        ("innolab-x/keine", None, "no cohort “keine”"),
        ("innolab-x/kohorte-1", "{not json", "is not valid JSON"),
        ("innolab-x/kohorte-1", b"\xff\xfe\x00", "is not UTF-8"),
        ("innolab-x/kohorte-1", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_command_refuses_bad_arguments(cohort_x, tmp_path, cohort, content, message):
    path = tmp_path / "file.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content or json.dumps(_valid()), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_survey", str(path), cohort=cohort, stdout=StringIO())
    assert not Survey.objects.exists()


def test_command_refuses_a_missing_file(cohort_x, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_survey", str(tmp_path / "nope.json"), cohort="innolab-x/kohorte-1")


def test_command_exits_non_zero_from_the_shell(cohort_x, tmp_path, capsys, monkeypatch):
    data = copy.deepcopy(_valid())
    data["kind"] = "census"
    # run_from_argv is what manage.py calls: a CommandError ends the process with status 1
    # the test's database connection has to survive the command's clean-up
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    utility = ManagementUtility(
        ["manage.py", "import_survey", _write(tmp_path, data), "--cohort", "innolab-x/kohorte-1"]
    )
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1
    assert "kind: Unknown kind “census”" in capsys.readouterr().err
    assert not Survey.objects.exists()

"""A survey's definition: its sections, questions and choices, and every write that changes them.

- The file format "innolab-survey/1" (JSON): `survey_definition` exports a survey, and
  `validate_definition` / `survey_from_definition` check a file and create a survey from it.
  Export → import → export gives the same dict. Every problem of a file is reported at once, each
  with its place, e.g. "sections[1].questions[2].code" (indices count from 0).
- Templates (`SurveyTemplate`) store such a definition: `template_save`, `survey_from_template`.
- The builder's edits of sections and questions. Once a survey has responses, changes of its
  structure (question types, scale ranges, codes, choices, deleting questions) are refused with
  `StructureLocked`, because they would make the stored answers mean something else; wording,
  order and the required flag stay editable.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, Q
from django.utils.translation import gettext as _

from labs.models import Cohort, Lab

from . import notices
from .models import (
    MIN_GROUP_SIZE_FLOOR,
    Choice,
    Question,
    QuestionType,
    Section,
    Survey,
    SurveyKind,
    SurveyTemplate,
)

FORMAT = "innolab-survey/1"
# cohort-level addresses under …/surveys/ that a survey's short name must not shadow
RESERVED_SLUGS = frozenset(
    {"new", "import", "imports", "templates", "compare", "export", "results"}
)
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,39}$")
SCALE_BOUND = 1000  # scale values lie within ±SCALE_BOUND
SCALE_MAX_POINTS = 101  # e.g. 0–100; each point is an answer option
MIN_GROUP_SIZE_CEILING = 1000
LIMITS = {"title": 200, "intro": 10000, "text": 5000, "label": 200, "end_label": 100}


# --- the format: export -----------------------------------------------------------------------


def _pair(obj, field: str) -> dict:
    return {"de": getattr(obj, f"{field}_de"), "en": getattr(obj, f"{field}_en")}


def survey_sections(survey: Survey) -> list[Section]:
    """The survey's sections in order, each with its questions (and their choices) in order."""
    questions = Question.objects.order_by("position", "pk").prefetch_related("choices")
    return list(
        survey.sections.order_by("position", "pk").prefetch_related(
            Prefetch("questions", queryset=questions)
        )
    )


def question_definition(question: Question) -> dict:
    data = {
        "code": question.code,
        "type": question.type,
        "text": _pair(question, "text"),
        "required": question.required,
    }
    if question.type == QuestionType.SCALE:
        data |= {
            "min": question.scale_min,
            "max": question.scale_max,
            "min_label": _pair(question, "min_label"),
            "max_label": _pair(question, "max_label"),
        }
    if question.has_choices:
        data["choices"] = [
            {"code": choice.code, "label": _pair(choice, "label")}
            for choice in question.choices.all()
        ]
    return data


def survey_definition(survey: Survey) -> dict:
    """The survey as an innolab-survey/1 dict (what the JSON download and templates hold)."""
    return {
        "format": FORMAT,
        "slug": survey.slug,
        "kind": survey.kind,
        "title": _pair(survey, "title"),
        "intro": _pair(survey, "intro"),
        "min_group_size": survey.min_group_size,
        "sections": [
            {
                "title": _pair(section, "title"),
                "questions": [question_definition(q) for q in section.questions.all()],
            }
            for section in survey_sections(survey)
        ],
    }


# --- the format: validation --------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: str  # e.g. "sections[1].questions[2].code"; "" for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DefinitionInvalid(ValidationError):
    """A definition with problems; `problems` lists every one of them with its place."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__([str(p) for p in self.problems])


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Checker:
    """Walks a definition and collects every problem, in the active language."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def keys(self, data, path: str, required: set[str], optional: set[str] = frozenset()) -> bool:
        """An object with these keys: each missing and each unknown key is a problem."""
        if not isinstance(data, dict):
            self.add(path, _("Expected an object ({…})."))
            return False
        for key in sorted(required - data.keys()):
            self.add(_join(path, key), _("This key is missing."))
        for key in sorted(data.keys() - required - optional, key=str):
            self.add(_join(path, str(key)), _("Unknown key."))
        return True

    def text(self, data: dict, key: str, path: str, *, limit: int, required=True) -> None:
        path = _join(path, key)
        value = data.get(key)
        if key not in data:
            return
        if not isinstance(value, str):
            self.add(path, _("Expected text."))
        elif required and not value.strip():
            self.add(path, _("This text must not be empty."))
        elif len(value) > limit:
            self.add(path, _("At most %(limit)s characters.") % {"limit": limit})

    def translated(self, data: dict, key: str, path: str, *, limit: int, required=True) -> None:
        """{"de": …, "en": …}: German required (unless the whole text is optional)."""
        if key not in data:
            return
        path = _join(path, key)
        value = data[key]
        if not isinstance(value, dict):
            self.add(path, _('Expected {"de": "…", "en": "…"}.'))
            return
        self.keys(value, path, {"de"}, {"en"})
        self.text(value, "de", path, limit=limit, required=required)
        self.text(value, "en", path, limit=limit, required=False)

    def integer(self, data: dict, key: str, path: str) -> int | None:
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(_join(path, key), _("Expected a whole number."))
            return None
        return value

    def code(self, data: dict, path: str) -> str | None:
        if "code" not in data:
            return None
        value = data["code"]
        if not isinstance(value, str):
            self.add(_join(path, "code"), _("Expected text."))
            return None
        if not CODE_PATTERN.fullmatch(value):
            self.add(
                _join(path, "code"),
                _(
                    "“%(code)s” is not a valid code: use 1 to 40 letters, digits, dots, "
                    "hyphens or underscores, starting with a letter."
                )
                % {"code": value},
            )
            return None
        return value

    def items(self, data: dict, key: str, path: str) -> list:
        if key not in data:
            return []
        value = data[key]
        if not isinstance(value, list):
            self.add(_join(path, key), _("Expected a list ([…])."))
            return []
        return value


QUESTION_KEYS = {"code", "type", "text"}
SCALE_KEYS = {"min", "max", "min_label", "max_label"}


def _check_question(check: _Checker, question, path: str, codes: dict[str, str]) -> None:
    if not isinstance(question, dict):
        check.add(path, _("Expected an object ({…})."))
        return
    type_ = question.get("type")
    known_type = type_ in QuestionType.values
    required, optional = set(QUESTION_KEYS), {"required"}
    if type_ == QuestionType.SCALE:
        required |= {"min", "max"}
        optional |= {"min_label", "max_label"}
    elif type_ in (QuestionType.SINGLE, QuestionType.MULTI):
        required |= {"choices"}
    elif not known_type:  # say what is wrong with the type, not that its keys do not fit it
        optional |= SCALE_KEYS | {"choices"}
    for key in sorted(required - question.keys()):
        check.add(_join(path, key), _("This key is missing."))
    for key in sorted(question.keys() - required - optional, key=str):
        if key in SCALE_KEYS:
            message = _("Only questions of type “scale” have this key.")
        elif key == "choices":
            message = _("Only questions of type “single” or “multi” have choices.")
        else:
            message = _("Unknown key.")
        check.add(_join(path, str(key)), message)

    code = check.code(question, path)
    if code is not None:
        if code in codes:
            check.add(
                _join(path, "code"),
                _("The question code “%(code)s” is used twice (also at %(other)s).")
                % {"code": code, "other": codes[code]},
            )
        else:
            codes[code] = _join(path, "code")
    if "type" in question and not known_type:
        check.add(
            _join(path, "type"),
            _("Unknown question type “%(type)s”; use one of: %(types)s.")
            % {"type": type_, "types": ", ".join(QuestionType.values)},
        )
    check.translated(question, "text", path, limit=LIMITS["text"])
    if "required" in question and not isinstance(question["required"], bool):
        check.add(_join(path, "required"), _("Expected true or false."))

    if type_ == QuestionType.SCALE:
        low, high = check.integer(question, "min", path), check.integer(question, "max", path)
        in_bounds = True
        for key, value in (("min", low), ("max", high)):
            if value is not None and abs(value) > SCALE_BOUND:
                in_bounds = False
                check.add(
                    _join(path, key),
                    _("Scale values lie between −%(bound)s and %(bound)s.")
                    % {"bound": SCALE_BOUND},
                )
        if low is not None and high is not None and in_bounds:
            if high <= low:
                check.add(_join(path, "max"), _("The highest value must be above the lowest."))
            elif high - low + 1 > SCALE_MAX_POINTS:
                check.add(
                    _join(path, "max"),
                    _("A scale has at most %(n)s points.") % {"n": SCALE_MAX_POINTS},
                )
        for key in ("min_label", "max_label"):
            check.translated(question, key, path, limit=LIMITS["end_label"], required=False)
    elif type_ in (QuestionType.SINGLE, QuestionType.MULTI) and "choices" in question:
        choices = check.items(question, "choices", path)
        if isinstance(question["choices"], list) and not choices:
            check.add(
                _join(path, "choices"),
                _("A single or multiple choice question needs at least one choice."),
            )
        seen: dict[str, str] = {}
        for index, choice in enumerate(choices):
            choice_path = _join(_join(path, "choices"), index)
            if not check.keys(choice, choice_path, {"code", "label"}):
                continue
            choice_code = check.code(choice, choice_path)
            if choice_code is not None:
                if choice_code in seen:
                    check.add(
                        _join(choice_path, "code"),
                        _("The choice code “%(code)s” is used twice (also at %(other)s).")
                        % {"code": choice_code, "other": seen[choice_code]},
                    )
                else:
                    seen[choice_code] = _join(choice_path, "code")
            check.translated(choice, "label", choice_path, limit=LIMITS["label"])


def definition_problems(data, *, slug_required: bool = True) -> list[Problem]:
    """Every problem of an innolab-survey/1 definition (an empty list: it is valid)."""
    check = _Checker()
    required = {"format", "kind", "title", "sections"} | ({"slug"} if slug_required else set())
    optional = {"intro", "min_group_size"} | (set() if slug_required else {"slug"})
    if not check.keys(data, "", required, optional):
        return check.problems
    if "format" in data and data["format"] != FORMAT:
        check.add("format", _("Expected “%(format)s”.") % {"format": FORMAT})
    if "slug" in data:
        slug = data["slug"]
        if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
            check.add(
                "slug",
                _("Use 1 to 60 letters, digits, hyphens or underscores for the short name."),
            )
        elif slug.lower() in RESERVED_SLUGS:
            check.add(
                "slug", _("“%(slug)s” is reserved; choose another short name.") % {"slug": slug}
            )
    if "kind" in data and data["kind"] not in SurveyKind.values:
        check.add(
            "kind",
            _("Unknown kind “%(kind)s”; use one of: %(kinds)s.")
            % {"kind": data["kind"], "kinds": ", ".join(SurveyKind.values)},
        )
    check.translated(data, "title", "", limit=LIMITS["title"])
    check.translated(data, "intro", "", limit=LIMITS["intro"], required=False)
    size = check.integer(data, "min_group_size", "")
    if size is not None and not MIN_GROUP_SIZE_FLOOR <= size <= MIN_GROUP_SIZE_CEILING:
        check.add(
            "min_group_size",
            _("The minimum group size must be at least %(floor)s (and at most %(ceiling)s).")
            % {"floor": MIN_GROUP_SIZE_FLOOR, "ceiling": MIN_GROUP_SIZE_CEILING},
        )
    codes: dict[str, str] = {}
    for s_index, section in enumerate(check.items(data, "sections", "")):
        path = _join("sections", s_index)
        if not check.keys(section, path, {"title", "questions"}):
            continue
        check.translated(section, "title", path, limit=LIMITS["title"])
        for q_index, question in enumerate(check.items(section, "questions", path)):
            _check_question(check, question, _join(_join(path, "questions"), q_index), codes)
    return check.problems


def validate_definition(data, **kwargs) -> None:
    """Raise DefinitionInvalid with every problem of the definition, if it has any."""
    problems = definition_problems(data, **kwargs)
    if problems:
        raise DefinitionInvalid(problems)


# --- the format: import ------------------------------------------------------------------------


def _texts(value: dict | None, field: str) -> dict:
    value = value or {}
    return {f"{field}_de": value.get("de", ""), f"{field}_en": value.get("en", "")}


def _slug_taken(cohort: Cohort, slug: str) -> DefinitionInvalid:
    return DefinitionInvalid(
        [
            Problem(
                "slug",
                _("This cohort already has a survey with the short name “%(slug)s”.")
                % {"slug": slug},
            )
        ]
    )


def survey_from_definition(
    cohort: Cohort, data, user=None, slug: str | None = None, *, overrides: dict | None = None
) -> Survey:
    """Create a survey with its sections, questions and choices from a definition, all or nothing.

    `slug` replaces the definition's short name; `overrides` (title_de, title_en, kind,
    min_group_size) replace what the definition says. Raises DefinitionInvalid listing every
    problem; then nothing is created.
    """
    validate_definition(data, slug_required=slug is None)
    slug = slug or data["slug"]
    if slug.lower() in RESERVED_SLUGS or not SLUG_PATTERN.fullmatch(slug):
        raise DefinitionInvalid([Problem("slug", _("Choose another short name."))])
    if Survey.objects.filter(cohort=cohort, slug=slug).exists():
        raise _slug_taken(cohort, slug)
    fields = {
        "kind": data["kind"],
        **_texts(data["title"], "title"),
        **_texts(data.get("intro"), "intro"),
    }
    if "min_group_size" in data:
        fields["min_group_size"] = data["min_group_size"]
    fields |= overrides or {}
    try:
        with transaction.atomic():
            survey = Survey.objects.create(cohort=cohort, slug=slug, created_by=user, **fields)
            _create_structure(survey, data["sections"])
    except IntegrityError:
        # another survey with this short name was created at the same moment
        if Survey.objects.filter(cohort=cohort, slug=slug).exists():
            raise _slug_taken(cohort, slug) from None
        raise
    return survey


def _create_structure(survey: Survey, sections_data: list[dict]) -> None:
    sections = Section.objects.bulk_create(
        Section(survey=survey, position=pos, **_texts(s["title"], "title"))
        for pos, s in enumerate(sections_data, start=1)
    )
    questions, choices_data = [], []
    for section, section_data in zip(sections, sections_data, strict=True):
        for pos, q in enumerate(section_data["questions"], start=1):
            question = Question(
                survey=survey,
                section=section,
                position=pos,
                code=q["code"],
                type=q["type"],
                required=q.get("required", False),
                **_texts(q["text"], "text"),
            )
            if q["type"] == QuestionType.SCALE:
                question.scale_min, question.scale_max = q["min"], q["max"]
                for key in ("min_label", "max_label"):
                    for field, value in _texts(q.get(key), key).items():
                        setattr(question, field, value)
            questions.append(question)
            choices_data.append(q.get("choices", []))
    Question.objects.bulk_create(questions)
    Choice.objects.bulk_create(
        Choice(question=question, position=pos, code=c["code"], **_texts(c["label"], "label"))
        for question, choices in zip(questions, choices_data, strict=True)
        for pos, c in enumerate(choices, start=1)
    )


# --- templates ---------------------------------------------------------------------------------


def templates_for_lab(lab: Lab):
    """The lab's own templates and the global ones (without a lab), by name."""
    return SurveyTemplate.objects.filter(Q(lab=lab) | Q(lab__isnull=True)).order_by(
        "lab_id", "name", "pk"
    )


def template_save(*, survey: Survey, name: str, user=None) -> SurveyTemplate:
    """Keep the survey's definition as a template of its lab."""
    definition = survey_definition(survey)
    return SurveyTemplate.objects.create(
        lab=survey.cohort.lab,
        name=name,
        kind=survey.kind,
        definition=definition,
        created_by=user,
    )


def template_question_count(template: SurveyTemplate) -> int:
    sections = (template.definition or {}).get("sections")
    if not isinstance(sections, list):
        return 0
    return sum(len(s.get("questions") or []) for s in sections if isinstance(s, dict))


def survey_from_template(
    *, cohort: Cohort, template: SurveyTemplate, user=None, slug: str, **overrides
) -> Survey:
    """A new survey with the template's sections and questions; `overrides` as in
    survey_from_definition (title, kind, minimum group size from the form)."""
    return survey_from_definition(cohort, template.definition, user, slug, overrides=overrides)


# --- the builder's edits -----------------------------------------------------------------------


class StructureLocked(ValidationError):
    """The survey has responses: this change would alter what stored answers mean."""


def has_responses(survey: Survey) -> bool:
    return survey.responses.exists()


def _refuse_if_answered(survey: Survey, message: str) -> None:
    if has_responses(survey):
        raise StructureLocked(
            _("%(what)s The survey already has responses; only wording and order can change.")
            % {"what": message}
        )


def _lock(survey: Survey) -> None:
    # serialises the builder's position changes and structural checks per survey
    Survey.objects.select_for_update().filter(pk=survey.pk).first()


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def section_create(*, survey: Survey, title_de: str, title_en: str = "") -> Section:
    _lock(survey)
    return Section.objects.create(
        survey=survey,
        position=_next_position(survey.sections.all()),
        title_de=title_de,
        title_en=title_en,
    )


def section_update(*, section: Section, title_de: str, title_en: str = "") -> Section:
    section.title_de, section.title_en = title_de, title_en
    section.save(update_fields=["title_de", "title_en"])
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    """Delete a section with its questions; refused once answered, unless it is empty."""
    _lock(section.survey)
    if section.questions.exists():
        _refuse_if_answered(
            section.survey, _("A section with questions cannot be deleted any more.")
        )
    section.delete()


def _move(objects: list, obj, direction: str) -> bool:
    """Swap `obj` with its neighbour; renumber all 1…n. False if it is at that end already."""
    index = next(i for i, o in enumerate(objects) if o.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(objects):
        return False
    objects[index], objects[other] = objects[other], objects[index]
    for position, item in enumerate(objects, start=1):
        item.position = position
    type(obj).objects.bulk_update(objects, ["position"])
    return True


@transaction.atomic
def section_move(*, section: Section, direction: str) -> bool:
    _lock(section.survey)
    return _move(list(section.survey.sections.order_by("position", "pk")), section, direction)


@transaction.atomic
def question_move(*, question: Question, direction: str) -> bool:
    _lock(question.survey)
    siblings = list(question.section.questions.order_by("position", "pk"))
    return _move(siblings, question, direction)


QUESTION_FIELDS = (
    "code",
    "type",
    "text_de",
    "text_en",
    "required",
    "scale_min",
    "scale_max",
    "min_label_de",
    "min_label_en",
    "max_label_de",
    "max_label_en",
)
STRUCTURAL_FIELDS = ("code", "type", "scale_min", "scale_max")


def _normalise(fields: dict) -> dict:
    """Blank what the question's type does not use, so nothing stale stays behind."""
    fields = dict(fields)
    if fields["type"] != QuestionType.SCALE:
        fields |= {"scale_min": None, "scale_max": None}
        for key in ("min_label_de", "min_label_en", "max_label_de", "max_label_en"):
            fields[key] = ""
    return fields


def _save_choices(question: Question, choices: list[tuple[str, str, str]]) -> None:
    """Make the question's choices exactly `choices` [(code, label_de, label_en)], in order;
    a choice keeps its row (and its answers) as long as its code stays."""
    if question.type not in (QuestionType.SINGLE, QuestionType.MULTI):
        choices = []
    existing = {c.code: c for c in question.choices.all()}
    keep, create = [], []
    for position, (code, label_de, label_en) in enumerate(choices, start=1):
        choice = existing.pop(code, None) or Choice(question=question, code=code)
        choice.position, choice.label_de, choice.label_en = position, label_de, label_en
        (keep if choice.pk else create).append(choice)
    if existing:
        Choice.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    Choice.objects.bulk_update(keep, ["position", "label_de", "label_en"])
    Choice.objects.bulk_create(create)


def _check_code_free(survey: Survey, code: str, exclude_pk=None) -> None:
    taken = survey.questions.filter(code=code).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationError(
            {
                "code": _("This survey already has a question with the code “%(code)s”.")
                % {"code": code}
            }
        )


@transaction.atomic
def question_create(
    *, section: Section, choices: list[tuple[str, str, str]] | None = None, **fields
) -> Question:
    """A new question at the end of its section; `fields` as QUESTION_FIELDS."""
    survey = section.survey
    _lock(survey)
    fields = _normalise(fields)
    _check_code_free(survey, fields["code"])
    question = Question(
        survey=survey,
        section=section,
        position=_next_position(section.questions.all()),
        **fields,
    )
    question.full_clean(exclude=["survey", "section"])
    question.save()
    _save_choices(question, choices or [])
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    section: Section | None = None,
    choices: list[tuple[str, str, str]] | None = None,
    **fields,
) -> Question:
    """Change a question; with responses, refuse any change of code, type, range or choices."""
    survey = question.survey
    _lock(survey)
    fields = _normalise(fields)
    current = Question.objects.get(pk=question.pk)
    old_codes = list(current.choices.values_list("code", flat=True))
    new_codes = []
    if fields["type"] in (QuestionType.SINGLE, QuestionType.MULTI):
        new_codes = [code for code, _de, _en in choices or []]
    changed = [f for f in STRUCTURAL_FIELDS if getattr(current, f) != fields[f]]
    if changed or sorted(old_codes) != sorted(new_codes):
        _refuse_if_answered(
            survey,
            _(
                "The code, the type, the scale range and the choices' codes cannot be changed "
                "any more."
            ),
        )
    _check_code_free(survey, fields["code"], exclude_pk=question.pk)
    for name, value in fields.items():
        setattr(question, name, value)
    if section is not None and section.pk != current.section_id:
        question.section = section
        question.position = _next_position(section.questions.all())
    question.full_clean(exclude=["survey", "section"])
    question.save()
    _save_choices(question, choices or [])
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _lock(question.survey)
    _refuse_if_answered(question.survey, _("Questions cannot be deleted any more."))
    question.delete()


@transaction.atomic
def survey_update(*, survey: Survey, **fields) -> Survey:
    """Titles, introduction, kind, minimum group size and dates (never the short name). A survey
    open now tells those who should answer it (once each: notices.py)."""
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean(exclude=["cohort", "created_by"])
    survey.save()
    notices.survey_to_answer_notify(survey=survey)
    return survey


def survey_create(
    *, cohort: Cohort, slug: str, user=None, template: SurveyTemplate | None = None, **fields
) -> Survey:
    """An empty survey (no sections yet), or with the sections and questions of `template`
    (then DefinitionInvalid for a template that no longer passes the checks)."""
    if template is not None:
        survey = survey_from_template(
            cohort=cohort, template=template, user=user, slug=slug, **fields
        )
        notices.survey_to_answer_notify(survey=survey)
        return survey
    survey = Survey(cohort=cohort, slug=slug, created_by=user, **fields)
    survey.full_clean(exclude=["created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:
        raise ValidationError(
            {"slug": _("This cohort already has a survey with this short name.")}
        ) from None
    notices.survey_to_answer_notify(survey=survey)
    return survey

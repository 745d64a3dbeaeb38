"""Forms of the survey builder. Writes go through evaluations.definitions."""

import json

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField, ModelForm

from .definitions import (
    CODE_PATTERN,
    LIMITS,
    MIN_GROUP_SIZE_CEILING,
    QUESTION_FIELDS,
    RESERVED_SLUGS,
    SCALE_BOUND,
    SCALE_MAX_POINTS,
    template_question_count,
)
from .models import Question, QuestionType, Section, Survey, SurveyTemplate

MAX_DEFINITION_BYTES = 1_000_000
CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTI)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; the value is read as German time (Europe/Berlin)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _check_slug(form, cohort, slug: str | None) -> None:
    if not slug:
        return
    if slug.lower() in RESERVED_SLUGS:
        form.add_error("slug", _("This short name is reserved; please choose another one."))
    elif Survey.objects.filter(cohort=cohort, slug=slug).exists():
        form.add_error("slug", _("This cohort already has a survey with this short name."))


def propose_slug(cohort, title: str) -> str:
    """A short name from the title that no survey of the cohort has and that is not reserved:
    "Rückmeldung zur Auftaktwerkstatt" → "rueckmeldung-zur-auftaktwerkstatt", then "-2", "-3", …
    (one query)."""
    title = title.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    base = slugify(title.translate(str.maketrans({"Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})))[:50]
    base = base.strip("-") or "befragung"
    taken = {
        slug.lower()
        for slug in Survey.objects.filter(cohort=cohort, slug__startswith=base).values_list(
            "slug", flat=True
        )
    } | RESERVED_SLUGS
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class SurveyCreateForm(forms.ModelForm):
    """A new survey: empty, or with the sections and questions of a template. Without a short
    name, one is proposed from the German title (static/js/slug.js shows it while typing)."""

    template = ModelChoiceField(
        label=_("Start from"),
        queryset=SurveyTemplate.objects.none(),
        required=False,
        empty_label=_("An empty survey"),
        widget=forms.RadioSelect,
        blank=True,  # offer the empty label as the first radio button
    )

    class Meta:
        model = Survey
        fields = ["slug", "kind", "title_de", "title_en", "min_group_size"]

    def __init__(self, *args, cohort, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.instance.cohort = cohort
        self.fields["template"].queryset = templates
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in addresses and files, e.g. baseline-2024. Leave empty to have it proposed "
            "from the German title."
        )
        self.fields["slug"].widget.attrs.update({"data-slug-from": "title_de"})
        self.fields["template"].label_from_instance = lambda t: (
            _("%(name)s (%(kind)s, %(n)s questions)")
            % {"name": t.name, "kind": t.get_kind_display(), "n": template_question_count(t)}
        )
        self.fields["kind"].choices = [
            ("", _("– please choose –")),
            *self.fields["kind"].choices[1:],
        ]
        self.fields["min_group_size"].widget.attrs.update({"min": 3, "max": MIN_GROUP_SIZE_CEILING})
        self.fields["min_group_size"].validators.append(MaxValueValidator(MIN_GROUP_SIZE_CEILING))

    def clean(self):
        data = super().clean()
        if not data.get("slug") and "slug" not in self.errors and data.get("title_de"):
            data["slug"] = propose_slug(self.cohort, data["title_de"])
        elif not data.get("slug") and "slug" not in self.errors:
            self.add_error("slug", _("Enter a short name or a German title to propose one from."))
        _check_slug(self, self.cohort, data.get("slug"))
        return data


class SurveyEditForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "title_de",
            "title_en",
            "kind",
            "intro_de",
            "intro_en",
            "min_group_size",
            "opens_at",
            "closes_at",
        ]
        widgets = {
            "intro_de": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }
        help_texts = {
            "opens_at": _(
                "German time (Europe/Berlin). Without an opening date the survey stays a draft."
            ),
            "closes_at": _("German time (Europe/Berlin). Leave empty to keep it open."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a saved survey always has a kind: no empty choice to pick
        self.fields["kind"].choices = self.fields["kind"].choices[1:]
        self.fields["min_group_size"].widget.attrs.update({"min": 3, "max": MIN_GROUP_SIZE_CEILING})
        self.fields["min_group_size"].validators.append(MaxValueValidator(MIN_GROUP_SIZE_CEILING))
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if closes and not opens:
            self.add_error("opens_at", _("Set an opening date as well, or none of both."))
        elif opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return data


class DefinitionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Survey definition (JSON file)"),
        help_text=_("A file in the format innolab-survey/1, e.g. downloaded from another survey."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to use the short name given in the file."),
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort

    def clean_file(self):
        upload = self.cleaned_data["file"]
        """The upload, once it reads as JSON (the import job checks what the JSON says)."""
        if upload.size > MAX_DEFINITION_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            upload.seek(0)
            json.loads(upload.read().decode("utf-8-sig"))
            upload.seek(0)
            return upload
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(
                _("The file is not valid JSON: %(reason)s") % {"reason": exc}
            ) from None
        except RecursionError:
            raise forms.ValidationError(_("The file is nested too deeply.")) from None

    def clean(self):
        data = super().clean()
        _check_slug(self, self.cohort, data.get("slug"))
        return data


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title_de", "title_en"]


class TemplateSaveForm(forms.Form):
    name = forms.CharField(label=_("Name of the template"), max_length=200)

    def __init__(self, *args, lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.lab = lab

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if SurveyTemplate.objects.filter(lab=self.lab, name__iexact=name).exists():
            raise forms.ValidationError(_("The lab already has a template with this name."))
        return name


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class QuestionForm(ModelForm):
    """One question. Which fields it has depends on the type (the posted one, else the saved or
    asked-for one): scale range and end labels for scales, the choices for single and multiple
    choice. Changing the type shows the new type's fields with the errors of what is missing."""

    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One choice per line: code | German label | English label, e.g. "
            "“verwaltung | Verwaltung | Administration”. The code stays the same across surveys; "
            "the English label is optional."
        ),
    )

    class Meta:
        model = Question
        fields = ["section", *QUESTION_FIELDS]
        widgets = {
            "text_de": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _(
                "Stable across surveys: baseline and final questions with the same code are "
                "compared, and answer files name their columns by it. E.g. q_agree_1."
            ),
        }

    SCALE_FIELDS = (
        "scale_min",
        "scale_max",
        "min_label_de",
        "min_label_en",
        "max_label_de",
        "max_label_en",
    )

    def __init__(self, *args, survey, type_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.instance.survey = survey
        self.fields["section"].queryset = survey.sections.order_by("position", "pk")
        self.fields["section"].empty_label = None
        self.fields["section"].label = _("Section")
        if not self.instance.pk:
            # a new question's type is chosen with the links above the form (they load the
            # type's fields without JavaScript): asked once, carried in a hidden field
            self.fields["type"].widget = forms.HiddenInput()
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["type"].choices = QuestionType.choices
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = "\n".join(
                " | ".join(filter(None, (c.code, c.label_de, c.label_en)))
                for c in self.instance.choices.all()
            )
        self.question_type = self._effective_type(type_)
        if self.question_type != QuestionType.SCALE:
            for name in self.SCALE_FIELDS:
                del self.fields[name]
        else:
            for name in ("scale_min", "scale_max"):
                field = self.fields[name]
                field.required = True
                field.validators += [
                    MinValueValidator(-SCALE_BOUND),
                    MaxValueValidator(SCALE_BOUND),
                ]
                field.widget.attrs.update({"min": -SCALE_BOUND, "max": SCALE_BOUND})
        if self.question_type in CHOICE_TYPES:
            self.fields["choices"].required = True
        else:
            del self.fields["choices"]

    def _effective_type(self, asked) -> str:
        if self.is_bound:
            posted = self.data.get(self.add_prefix("type"))
            if posted in QuestionType.values:
                return posted
        if self.instance.pk:
            return self.instance.type
        chosen = asked if asked in QuestionType.values else QuestionType.SCALE
        self.initial["type"] = chosen  # the hidden field carries it
        return chosen

    def clean_code(self):
        code = self.cleaned_data["code"]
        others = self.survey.questions.filter(code=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This survey already has a question with this code."))
        return code

    def clean_choices(self):
        text = self.cleaned_data.get("choices", "")
        choices, errors, seen = [], [], set()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) not in (2, 3):
                errors.append(
                    _("Line %(n)s: write code | German label | English label.") % {"n": number}
                )
                continue
            code, label_de = parts[0], parts[1]
            label_en = parts[2] if len(parts) == 3 else ""
            if not CODE_PATTERN.fullmatch(code):
                errors.append(
                    _(
                        "Line %(n)s: “%(code)s” is not a valid code (1 to 40 letters, digits, "
                        "dots, hyphens or underscores, starting with a letter)."
                    )
                    % {"n": number, "code": code}
                )
            elif code in seen:
                errors.append(
                    _("Line %(n)s: the code “%(code)s” is used twice.")
                    % {"n": number, "code": code}
                )
            seen.add(code)
            if not label_de:
                errors.append(_("Line %(n)s: the German label is missing.") % {"n": number})
            elif max(len(label_de), len(label_en)) > LIMITS["label"]:
                errors.append(
                    _("Line %(n)s: a label has at most %(limit)s characters.")
                    % {"n": number, "limit": LIMITS["label"]}
                )
            choices.append((code, label_de, label_en))
        if errors:
            raise forms.ValidationError(errors)
        if not choices and self.question_type in CHOICE_TYPES:
            raise forms.ValidationError(_("Enter at least one choice."))
        return choices

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if self.question_type == QuestionType.SCALE and low is not None and high is not None:
            if high <= low:
                self.add_error("scale_max", _("The highest value must be above the lowest."))
            elif high - low + 1 > SCALE_MAX_POINTS:
                self.add_error(
                    "scale_max", _("A scale has at most %(n)s points.") % {"n": SCALE_MAX_POINTS}
                )
        return data

    def question_fields(self) -> dict:
        """What definitions.question_create / question_update take, blanks for unused fields."""
        data = self.cleaned_data
        fields = {name: data.get(name) for name in ("code", "type", "text_de", "text_en")}
        fields["required"] = data.get("required", False)
        for name in self.SCALE_FIELDS:
            default = None if name.startswith("scale_") else ""
            fields[name] = data.get(name, default)
        return fields

    def choice_rows(self) -> list[tuple[str, str, str]]:
        return self.cleaned_data.get("choices") or []

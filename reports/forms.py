"""Forms of the report pages: a new draft, a draft's texts and selections, withdrawing a version."""

import json

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ModelChoiceField, ModelMultipleChoiceField
from evaluations.figures import FigureSpec
from evaluations.models import Survey
from events.models import Event
from labs.models import Cohort, Participation

from . import figure_plans, quotes
from .models import NARRATIVE_FIELDS, ImagePlacement, ReportDraft, ReportKind
from .selectors import report_period
from .services import WITHDRAWAL_REASON_MAX

MUNICIPALITY_KINDS = {ReportKind.MUNICIPALITY, ReportKind.MISSION}

NARRATIVE_HELP = gettext_lazy(
    "Markdown: a blank line starts a new paragraph; # Heading, ## Subheading; **bold**, "
    "*italic*; lines starting with - or 1. make lists; > quotes; [text](https://…) links; "
    "simple tables with | columns |. Images, HTML styles and scripts are removed."
)


class ParticipationChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Participation) -> str:
        return f"{obj.municipality.name} ({obj.cohort.name})"


class ParticipationMultipleField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participation) -> str:
        return obj.municipality.name


class SurveyMultipleField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Survey) -> str:
        return f"{obj.title} ({obj.cohort.name})"


class EventMultipleField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        when = date_format(timezone.localtime(obj.starts_at), "SHORT_DATE_FORMAT")
        return f"{obj.title} ({when})"


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ReportKind.choices)
    cohort = ModelChoiceField(
        label=gettext_lazy("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole lab"),
        help_text=gettext_lazy("The report covers this cohort, or every cohort of the lab."),
    )
    participation = ParticipationChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Participation.objects.none(),
        required=False,
        empty_label=gettext_lazy("– please choose –"),
        help_text=gettext_lazy("For a municipality's report and a mission profile's one-pager."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Empty: a title from the kind and the scope."),
    )

    def __init__(self, *args, lab, cohort_slug: str | None = None, **kwargs):
        """`cohort_slug` (the page's ?cohort=, from the cohort's page) preselects that cohort."""
        super().__init__(*args, **kwargs)
        self.lab = lab
        cohorts = Cohort.objects.filter(lab=lab).order_by("name")
        self.fields["cohort"].queryset = cohorts
        if cohort_slug and not self.is_bound:
            preselected = next((c for c in cohorts if c.slug == cohort_slug), None)
            if preselected is not None:
                self.initial["cohort"] = preselected.pk
        self.fields["participation"].queryset = (
            Participation.objects.filter(cohort__lab=lab)
            .select_related("municipality", "cohort")
            .order_by("municipality__name", "cohort__name")
        )

    def clean(self):
        data = super().clean()
        kind, cohort, participation = (
            data.get("kind"),
            data.get("cohort"),
            data.get("participation"),
        )
        if kind in MUNICIPALITY_KINDS:
            if participation is None:
                self.add_error("participation", _("Please choose the municipality."))
            elif cohort is not None and participation.cohort_id != cohort.pk:
                self.add_error("participation", _("This municipality is not in the cohort."))
            elif cohort is None:
                data["cohort"] = participation.cohort
        else:
            data["participation"] = None
        if kind and not data.get("title") and not self.errors:
            data["title"] = default_title(self.lab, kind, data.get("cohort"), data["participation"])
        return data


def default_title(lab, kind: str, cohort, participation) -> str:
    label = ReportKind(kind).label
    if participation is not None:
        scope = participation.municipality.name
    elif cohort is not None:
        scope = cohort.name
    else:
        scope = lab.name
    return f"{label} – {scope}"[:200]


class ReportDraftForm(forms.ModelForm):
    """Title, subtitle, the narrative sections and what goes in; `version` for edit conflicts."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    participations = ParticipationMultipleField(
        label=gettext_lazy("Municipalities"),
        queryset=Participation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None chosen: all municipalities of the scope."),
    )
    surveys = SurveyMultipleField(
        label=gettext_lazy("Surveys"),
        queryset=Survey.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    events = EventMultipleField(
        label=gettext_lazy("Events"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReportDraft
        fields = ["title", "subtitle", *NARRATIVE_FIELDS, "participations", "surveys", "events"]
        # one formatting help above the six fields (draft.html), referenced by each of them
        widgets = {
            name: forms.Textarea(attrs={"rows": 6, "aria-describedby": "narrative-help"})
            for name in NARRATIVE_FIELDS
        }

    def __init__(self, *args, **kwargs):
        """What is offered is what the report covers: the municipalities and surveys of its scope
        (its cohort, or the whole lab), and the events of its scope and period (the cohort's
        dates, or from the lab's first cohort's start to its last one's end). Events already
        chosen stay offered, so a saved choice is never refused after a cohort's dates changed."""
        super().__init__(*args, **kwargs)
        draft = self.instance
        self.initial.setdefault("version", draft.version)
        cohorts = Q(cohort=draft.cohort_id) if draft.cohort_id else Q(cohort__lab=draft.lab_id)
        start, end = report_period(lab_id=draft.lab_id, cohort=draft.cohort)
        self.fields["participations"].queryset = (
            Participation.objects.filter(cohorts)
            .select_related("municipality")
            .order_by("municipality__name")
        )
        # a survey belongs to one cohort: the scope decides (a follow-up survey may open after
        # the cohort's end and still be the cohort's)
        self.fields["surveys"].queryset = (
            Survey.objects.filter(cohorts)
            .select_related("cohort")
            .order_by("cohort__name", "title_de")
        )
        events_in_period = Q(lab=draft.lab_id)
        if draft.cohort_id:
            events_in_period &= Q(cohorts=draft.cohort_id)
        if start is not None:
            events_in_period &= Q(starts_at__date__gte=start)
        if end is not None:
            events_in_period &= Q(starts_at__date__lte=end)
        chosen_events = Q(pk__in=draft.events.values("pk")) if draft.pk else Q(pk__in=[])
        self.fields["events"].queryset = Event.objects.filter(
            pk__in=Event.objects.filter(events_in_period | chosen_events).values("pk")
        ).order_by("starts_at")

    @property
    def text_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "subtitle", *NARRATIVE_FIELDS)}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=WITHDRAWAL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Kept with the version and in the audit log, for the coordinators. The funders are "
            "told that the version was withdrawn, not why."
        ),
    )


class QuoteSelectionForm(forms.Form):
    """Which free-text answers are printed as quotes, and where each survey's quotes go.

    Fields: `version` (edit conflicts), `answers` (the chosen ids, from the checkboxes of
    reports/pages/quotes.html) and one `chapter_<survey id>` per survey that may be quoted."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, draft: ReportDraft, candidates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", draft.version)
        chapters = {q.get("answer"): q.get("chapter") for q in draft.quotes or []}
        self.chosen_ids = set(chapters)
        self.chapter_fields = []
        for entry in candidates:
            if not entry.allowed:
                continue
            ids = {a.pk for q in entry.questions for a in q.answers}
            current = next((chapters[i] for i in ids if i in chapters), quotes.AFTER_SURVEY)
            name = f"chapter_{entry.survey.pk}"
            self.fields[name] = forms.ChoiceField(
                label=gettext_lazy("Where the quotes of this survey are printed"),
                choices=list(quotes.QUOTE_CHAPTERS.items()),
                initial=current,
                required=False,
            )
            entry.chapter_field = self[name]
            self.chapter_fields.append(name)

    def clean(self):
        data = super().clean()
        try:
            data["answers"] = [int(v) for v in self.data.getlist("answers")]
        except ValueError:
            raise forms.ValidationError(_("Please choose answers from the list.")) from None
        return data

    def chosen(self, candidates: list) -> list[tuple[int, str]]:
        """[(answer id, chapter)] in the order of the page; ids from elsewhere go last (the
        service refuses them with a message)."""
        picked, order = set(self.cleaned_data["answers"]), []
        for entry in candidates:
            chapter = self.cleaned_data.get(f"chapter_{entry.survey.pk}") or quotes.AFTER_SURVEY
            for question in entry.questions:
                order += [(a.pk, chapter) for a in question.answers if a.pk in picked]
        listed = {answer_id for answer_id, _chapter in order}
        order += [(i, quotes.AFTER_SURVEY) for i in self.cleaned_data["answers"] if i not in listed]
        return order


class FigurePlanForm(forms.Form):
    """The figures each survey of the report prints (reports/pages/figures.html).

    Fields: `version` (edit conflicts) and `plans`, the figures as the page listed them
    ({plan key: [FigureSpec.to_json()]}, JSON); per listed figure `include-<key>-<i>` (a
    checkbox), `caption-<key>-<i>` and, for a multi-item figure, `breakdown-<key>-<i>`; the
    buttons `move` ("<key>:<i>:up" or "down", saving with the figure moved) and `reset` (a key:
    back to the default figures). `cleaned_data["plans"]`: {key: [FigureSpec] or None}; the
    service checks the questions."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    plans = forms.CharField(widget=forms.HiddenInput, max_length=1_000_000)

    def __init__(self, *args, draft: ReportDraft, entries: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", draft.version)
        listed = {e.key: [row.spec.to_json() for row in e.rows] for e in entries}
        # the page always sends back the figures it lists (after an error too: the rows' fields
        # are numbered after them)
        self.listed_json = json.dumps(listed, ensure_ascii=False)
        self.moved = False

    def _unreadable(self):
        return forms.ValidationError(
            _("The list of figures could not be read. Please reload the page and try again.")
        )

    def _listed(self) -> dict[str, list[FigureSpec]]:
        try:
            data = json.loads(self.cleaned_data["plans"])
            if not isinstance(data, dict):
                raise TypeError
            listed = {}
            for key, items in data.items():
                if not isinstance(items, list) or len(items) > figure_plans.MAX_FIGURES:
                    raise TypeError
                listed[str(key)] = [FigureSpec.from_json(item) for item in items]
        except (ValueError, TypeError, KeyError, AttributeError):
            raise self._unreadable() from None
        return listed

    def _move(self, listed: dict) -> dict[str, dict[int, int]]:
        """Moves the figure named by the `move` button in `listed`; returns {key: {new position:
        position on the page}} for the moved pair (their fields keep the page's positions)."""
        wanted = str(self.data.get("move") or "")
        if not wanted:
            return {}
        rest, _sep, direction = wanted.rpartition(":")
        key, _sep, index = rest.rpartition(":")
        rows = listed.get(key)
        if rows is None or not index.isdigit() or direction not in ("up", "down"):
            raise self._unreadable()
        if len(index) > 4 or int(index) >= len(rows):
            raise self._unreadable()
        self.moved = True
        here = int(index)
        there = here - 1 if direction == "up" else here + 1
        if not 0 <= there < len(rows):
            return {}  # the first one up, the last one down: stays
        rows[here], rows[there] = rows[there], rows[here]
        return {key: {here: there, there: here}}

    def _spec(self, key: str, position: int, spec: FigureSpec) -> FigureSpec | None:
        """The listed figure as edited, or None when it is left out."""
        if f"include-{key}-{position}" not in self.data:
            return None
        caption = str(self.data.get(f"caption-{key}-{position}", spec.caption)).strip()
        if len(caption) > figure_plans.CAPTION_MAX:
            raise forms.ValidationError(
                _("A caption can have at most %(max)d characters.")
                % {"max": figure_plans.CAPTION_MAX}
            )
        breakdown = str(self.data.get(f"breakdown-{key}-{position}", spec.breakdown))
        return FigureSpec(spec.kind, spec.codes, breakdown.strip(), caption)

    def clean(self):
        data = super().clean()
        if "plans" not in data or "version" not in data:
            return data
        listed = self._listed()
        reset = self.data.get("reset")
        if reset and reset not in listed:
            raise self._unreadable()
        order = self._move(listed)
        plans = {}
        for key, rows in listed.items():
            swap = order.get(key, {})
            edited = [self._spec(key, swap.get(i, i), spec) for i, spec in enumerate(rows)]
            plans[key] = None if key == reset else [s for s in edited if s is not None]
        data["plans"] = plans
        self.moved = self.moved or bool(reset)
        return data


class ReportImageForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Image"),
        help_text=gettext_lazy("PNG or JPEG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    placement = forms.ChoiceField(label=gettext_lazy("Place"), choices=ImagePlacement.choices)
    alt_text = forms.CharField(
        label=gettext_lazy("Text alternative"),
        max_length=300,
        help_text=gettext_lazy(
            "What the image shows, for people who cannot see it (a logo: the organisation's name)."
        ),
    )
    caption = forms.CharField(
        label=gettext_lazy("Caption"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Printed below an image in a chapter; logos have none."),
    )

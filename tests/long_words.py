"""Long unbroken words in every kind of text people type, for the 320 px reflow checks.

A German compound, a pasted URL or a file name without spaces is wider than a phone; the layout
must wrap it or scroll it inside a region of its own, never widen the page (WCAG 1.4.10). The
browser sweeps call `lengthen_user_texts()` on their world after building it: each listed text
field of every row gets a word of up to LONG_WORD's length appended, cut to the field's maximum
length (nothing here checks what is typed, only how it is shown).
"""

from django.apps import apps
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Left

LONG_WORD = "Vielfaltsorientierungsentwicklungsplanungsgrundsatzvereinbarungsentwurf"  # 72

# (app label, model, fields): what people type that pages show; slugs, codes, e-mail addresses
# and names of people are left as they are.
USER_TEXTS = (
    ("labs", "Lab", ("name", "organiser", "description")),
    ("labs", "Cohort", ("name", "description")),
    ("labs", "Municipality", ("name", "district")),
    ("labs", "Participation", ("starting_situation", "process_goals", "central_results")),
    ("tandems", "Tandem", ("sponsor_name", "sponsor_function")),
    ("tandems", "TandemMember", ("department", "function")),
    (
        "missions",
        "MissionProfile",
        ("challenge", "vision", "target_groups", "stakeholders", "mission_statement", "risks"),
    ),
    ("missions", "SmartGoal", ("statement", "indicator", "owner", "relevance")),
    ("missions", "Measure", ("title", "description", "responsible")),
    ("missions", "ProgressUpdate", ("note",)),
    ("missions", "ReviewEvent", ("comment",)),
    ("events", "Event", ("title", "place", "facilitators", "agenda", "outcomes")),
    ("events", "EventMaterial", ("title", "original_name")),
    ("evaluations", "Survey", ("title_de", "title_en", "intro_de", "intro_en")),
    ("evaluations", "Section", ("title_de", "title_en")),
    ("evaluations", "Question", ("text_de", "text_en")),
    ("evaluations", "Choice", ("label_de", "label_en")),
)


def lengthen_user_texts() -> int:
    """Append a long word to the listed texts of every row (one UPDATE per model); returns the
    number of rows changed."""
    changed = 0
    for app_label, model_name, names in USER_TEXTS:
        model = apps.get_model(app_label, model_name)
        values = {}
        for name in names:
            model_field = model._meta.get_field(name)
            value = Concat(F(name), Value(" " + LONG_WORD), output_field=type(model_field)())
            if isinstance(model_field, CharField) and model_field.max_length:
                value = Left(value, model_field.max_length)
            values[name] = value
        changed += model.objects.update(**values)
    return changed

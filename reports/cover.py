"""The cover of a report: the kind once (above the title, not again in it), the title and
subtitle set without awkward breaks, and the cohorts only when the title does not name them."""

import re
from dataclasses import dataclass

from .models import ReportDraft

NO_BREAK_RANGE = re.compile(r"(\d)\s*([–-])\s*(\d)")


def unbreakable_ranges(text: str) -> str:
    """The text with ranges like "2020–2021" that never break at their dash (word joiners,
    U+2060, hold the figures to it), and a no-break space before a dash between words, so no
    line starts with "–"."""
    text = NO_BREAK_RANGE.sub("\\1\u2060–\u2060\\3", text)
    return text.replace(" – ", "\u00a0– ")


@dataclass
class CoverView:
    kicker: str  # the kind, above the title ("Abschlussbericht"); empty when the title says it
    title: str  # the draft's title without a leading "<kind> – ": the kicker says it
    subtitle: str
    scope: str  # the cohorts, unless the title names them already


def cover_view(draft: ReportDraft, cohorts: list) -> CoverView:
    kicker = str(draft.get_kind_display())
    title = draft.title.strip()
    for separator in (" – ", " - ", ": "):
        if title.casefold().startswith((kicker + separator).casefold()):
            title = title[len(kicker) + len(separator) :].strip()
            break
    else:
        if title.casefold().startswith(kicker.casefold()):  # "Abschlussbericht des Projekts …"
            kicker = ""
    names = [c.name for c in cohorts]
    shown = f"{draft.title} {draft.subtitle}".casefold()
    scope = "" if all(n.casefold() in shown for n in names) else " · ".join(names)
    return CoverView(
        kicker=kicker,
        title=unbreakable_ranges(title),
        subtitle=unbreakable_ranges(draft.subtitle),
        scope=unbreakable_ranges(scope),
    )

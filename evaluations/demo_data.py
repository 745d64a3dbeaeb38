"""Demo surveys that `manage.py seed_demo` gives the two Hessen cohorts, with generated answers.

Where the figures come from: the final report 2022 of "Vielfaltsorientierung in hessischen
Kommunen" (IMAP). Its chapter 4.1 describes the baseline survey (Anfangsbefragung, 720
respondents), chapter 4.4 the final survey (Abschlussbefragung, agreement from −2 to +2) and
chapter 5.2 the feedback forms of the training of Vielfaltsmanager:innen (satisfaction 1 to 5).
Every question text below is our own paraphrase, in German and English; nothing is quoted, and
nothing is read from the report at runtime.

What the report prints and what is invented:
- Printed (and reproduced to the printed precision, see `Figure.printed`): the 720 respondents
  of the baseline survey and the N of its question blocks (459 answered for an organisation, at
  least 501 rated the satisfaction items, 480 the success factors); satisfaction with the
  cooperation of the actors "6 of 10"; success factors all between 4 and 5 on 0 to 5, clear
  responsibilities first, participation of all actors second, updating the strategy and a
  coordinating working group last; the training's means 4.4 (two-day basic training), 4.7 (day
  of deepening), 4.6 (training as a whole), 4.4 (useful for the work) and 4.5 (exchange with
  other multipliers); content, methods and practical relevance between 4.0 and 4.6.
- Described only in words (the figures of the report are images without numbers): the order of
  the organisation types of the respondents, which diversity dimensions organisations see most
  and least in themselves, that exchange lags behind importance, that the results of the final
  survey rank role clarification first and intercultural opening last (undecided on average),
  with a wide spread. We chose means and shares that keep that order.
- Invented: the split of the respondents over the two cohorts and their municipalities, the
  respondent groups, the N of the final survey and of the feedback forms, two success factors
  (transparency, resources), the satisfaction items repeated in the final survey (so that the
  baseline-vs-final comparison has questions with the same code to compare), all dates and the
  free-text comments.

How the answers are made: for each question a multiset of scale values whose sum is
round(mean × n) is built deterministically (a bell shape around the mean, then single answers
moved up or down until the sum is hit), and dealt to the respondents in an order drawn from a
Random seeded with the cohort and survey slug, slightly tilted per municipality and respondent
group so that breakdowns differ. The same data therefore come out on every machine, and every
mean matches its figure exactly when n·mean is a whole number, else within 0.5/n.

Shape: SURVEYS maps a survey slug to its definition in the format innolab-survey/1 (as the
definition import and export use it; the surveys are created through
evaluations.definitions.survey_from_definition, as an uploaded file would be). FIGURES maps
survey slug → question code → Figure. RESPONDENTS gives the respondents per survey slug and
cohort slug, WINDOWS the dates each survey was open, GROUPS how the respondents split into
groups. Idempotent: a survey that exists in the cohort (looked up by slug) is left alone; only
if it has no responses at all are they generated.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from labs import demo_data as lab_data
from labs.models import Cohort, Participation, ParticipationStatus

from .definitions import survey_from_definition
from .models import (
    Answer,
    Question,
    QuestionType,
    Response,
    ResponseChannel,
    Survey,
)

BERLIN = ZoneInfo("Europe/Berlin")
MIN_GROUP_SIZE = 5

VERWALTUNG, POLITIK, ZIVIL = "Verwaltung", "Politik", "Zivilgesellschaft"

BASELINE, FINAL, FEEDBACK = "anfangsbefragung", "abschlussbefragung", "feedback-vielfaltsmanagement"


@dataclass(frozen=True)
class Figure:
    """What the answers to one question must show.

    mean: the mean of the generated values (scale questions only);
    n: respondents who answer, summed over both cohorts (None: all respondents);
    spread: the width of the bell the values start from;
    printed: the report's figure in its own words and precision ("6 von 10"), empty when the
    value is ours;
    skip: organisation types whose respondents do not answer;
    tilt: who answers higher (respondent group or organisation code → shift in standard
    deviations).
    """

    mean: float | None = None
    n: int | None = None
    spread: float = 1.0
    printed: str = ""
    skip: tuple[str, ...] = ()
    tilt: dict[str, float] = field(default_factory=dict)


def _scale(lo, hi, lo_de, lo_en, hi_de, hi_en) -> dict:
    return {
        "type": "scale",
        "min": lo,
        "max": hi,
        "min_label": {"de": lo_de, "en": lo_en},
        "max_label": {"de": hi_de, "en": hi_en},
    }


def _q(code: str, de: str, en: str, kind: dict | None = None, required=False) -> dict:
    return {
        "code": code,
        "text": {"de": de, "en": en},
        "required": required,
        **(kind or {"type": "text"}),
    }


# -- the baseline survey (report, chapter 4.1) ---------------------------------------------------

_DIVERSE = _scale(
    1, 5, "gar nicht vielfältig", "not diverse at all", "sehr vielfältig", "very diverse"
)
_TEN_IMPORTANT = _scale(
    0, 10, "spielt keine Rolle", "no role at all", "sehr große Rolle", "a very large role"
)
_TEN_EXCHANGE = _scale(0, 10, "gar nicht", "not at all", "sehr intensiv", "very intensively")
_TEN_SATISFIED = _scale(
    0, 10, "überhaupt nicht zufrieden", "not satisfied at all",
    "voll und ganz zufrieden", "completely satisfied",
)  # fmt: skip
_FIVE_IMPORTANT = _scale(0, 5, "nicht wichtig", "not important", "sehr wichtig", "very important")

# (code, German, English, share of all respondents in per cent, respondent group); the report's
# figure gives the order only: administration first, then associations and individuals, sports
# clubs and religious communities last.
ORGANISATION_TYPES = [
    ("verwaltung", "Kommunalverwaltung", "Municipal administration", 31, VERWALTUNG),
    ("verein", "Verein oder Initiative (ehrenamtlich)", "Voluntary association or initiative",
     19, ZIVIL),
    ("einzelperson", "Als Einzelperson (ehrenamtlich engagiert oder als Bürger:in)",
     "As an individual (volunteer or resident)", 15, ZIVIL),
    ("bildung", "Bildungseinrichtung (Kita, Schule, Bildungsträger)",
     "Educational institution (day care, school, education provider)", 9, ZIVIL),
    ("wohlfahrt", "Wohlfahrtsverband oder sozialer Träger",
     "Welfare or social services organisation", 8, ZIVIL),
    ("politik", "Kommunalpolitik", "Local politics", 6, POLITIK),
    ("migration", "Migrant:innenorganisation oder Beirat",
     "Migrant organisation or advisory council", 6, ZIVIL),
    ("sport", "Sportverein", "Sports club", 3, ZIVIL),
    ("religion", "Religionsgemeinschaft", "Religious community", 3, ZIVIL),
]  # fmt: skip
GROUP_OF_ORGANISATION = {code: group for code, *_, group in ORGANISATION_TYPES}

_DIMENSIONS = [
    # code suffix, German, English, invented mean (order as the report describes it)
    ("age", "das Alter", "age", 3.8),
    ("social", "die soziale Herkunft", "social background", 3.6),
    ("education", "den Bildungshintergrund", "educational background", 3.5),
    ("origin", "Herkunft und Migrationsgeschichte", "origin and migration history", 3.2),
    ("religion", "Religion und Weltanschauung", "religion and belief", 3.0),
    ("gender", "das Geschlecht", "gender", 2.8),
    ("ability", "körperliche Fähigkeiten", "physical abilities", 2.3),
]

_SATISFACTION_ITEMS = [
    _q(
        "sat_cooperation",
        "Wie zufrieden sind Sie mit der Zusammenarbeit der Akteure, die sich in Ihrer Kommune "
        "für Vielfalt und Integration einsetzen?",
        "How satisfied are you with the way the actors working on diversity and integration in "
        "your municipality cooperate?",
        _TEN_SATISFIED,
    ),
    _q(
        "sat_strategy_participation",
        "Wie zufrieden sind Sie damit, wie Sie sich an der Erarbeitung der Vielfalts- und "
        "Integrationsstrategie beteiligen konnten?",
        "How satisfied are you with how you could take part in drafting the diversity and "
        "integration strategy?",
        _TEN_SATISFIED,
    ),
    _q(
        "sat_strategy_implementation",
        "Wie zufrieden sind Sie mit der bisherigen Umsetzung der Strategie?",
        "How satisfied are you with how the strategy has been put into practice so far?",
        _TEN_SATISFIED,
    ),
]

_ORG_ONLY = " (Nur wenn Sie für eine Organisation antworten.)"
_ORG_ONLY_EN = " (Only if you answer for an organisation.)"

BASELINE_DEFINITION = {
    "format": "innolab-survey/1",
    "slug": BASELINE,
    "kind": "baseline",
    "title": {
        "de": "Anfangsbefragung: Vielfalts- und Integrationsarbeit in der Kommune",
        "en": "Baseline survey: diversity and integration work in the municipality",
    },
    "intro": {
        "de": "Zum Start der Prozessbegleitung möchten wir wissen, wo Ihre Kommune bei Vielfalt "
        "und Integration steht. Die Befragung ist anonym und dauert etwa zehn Minuten.",
        "en": "As the process support begins, we would like to know where your municipality "
        "stands on diversity and integration. The survey is anonymous and takes about ten "
        "minutes.",
    },
    "min_group_size": MIN_GROUP_SIZE,
    "sections": [
        {
            "title": {"de": "Über Sie", "en": "About you"},
            "questions": [
                _q(
                    "org_type",
                    "In welcher Rolle oder für welche Organisation beantworten Sie die Befragung?",
                    "In which role or for which organisation are you answering this survey?",
                    {
                        "type": "single",
                        "choices": [
                            {"code": code, "label": {"de": de, "en": en}}
                            for code, de, en, _share, _group in ORGANISATION_TYPES
                        ],
                    },
                    required=True,
                ),
            ],
        },
        {
            "title": {
                "de": "Vielfalt in Ihrer Organisation",
                "en": "Diversity in your organisation",
            },
            "questions": [
                *(
                    _q(
                        f"org_div_{suffix}",
                        f"Wie vielfältig ist Ihre Organisation mit Blick auf {de}?{_ORG_ONLY}",
                        f"How diverse is your organisation with regard to {en}?{_ORG_ONLY_EN}",
                        _DIVERSE,
                    )
                    for suffix, de, en, _mean in _DIMENSIONS
                ),
                _q(
                    "org_importance",
                    "Welche Rolle spielen Vielfalt und Integration in Ihrer Organisation?"
                    f"{_ORG_ONLY}",
                    f"How large a role do diversity and integration play in your organisation?"
                    f"{_ORG_ONLY_EN}",
                    _TEN_IMPORTANT,
                ),
                _q(
                    "org_exchange",
                    "Wie intensiv tauschen Sie sich innerhalb Ihrer Organisation über Vielfalt und "
                    f"Integration aus?{_ORG_ONLY}",
                    "How intensively do people in your organisation talk about diversity and "
                    f"integration?{_ORG_ONLY_EN}",
                    _TEN_EXCHANGE,
                ),
            ],
        },
        {
            "title": {
                "de": "Zufriedenheit in Ihrer Kommune",
                "en": "Satisfaction in your municipality",
            },
            "questions": _SATISFACTION_ITEMS,
        },
        {
            "title": {"de": "Was die Umsetzung voranbringt", "en": "What drives implementation"},
            "questions": [
                _q(
                    f"sf_{code}",
                    f"Wie wichtig ist für die weitere Umsetzung der Strategie: {de}?",
                    f"For implementing the strategy further, how important is it {en}?",
                    _FIVE_IMPORTANT,
                )
                for code, de, en in [
                    (
                        "responsibilities",
                        "dass Zuständigkeiten klar geregelt sind",
                        "that responsibilities are clearly assigned",
                    ),
                    (
                        "participation",
                        "dass alle wichtigen Akteure an der Umsetzung mitwirken",
                        "that all relevant actors take part",
                    ),
                    (
                        "transparency",
                        "dass regelmäßig über den Stand der Umsetzung informiert wird",
                        "that people hear regularly how implementation is going",
                    ),
                    (
                        "resources",
                        "dass genug Personal und Mittel bereitstehen",
                        "that enough staff and funds are available",
                    ),
                    (
                        "working_group",
                        "dass eine Arbeitsgruppe die Maßnahmen koordiniert",
                        "that a working group coordinates the measures",
                    ),
                    (
                        "update",
                        "dass die Strategie regelmäßig fortgeschrieben wird",
                        "that the strategy is updated regularly",
                    ),
                ]
            ],  # fmt: skip
        },
        {
            "title": {"de": "Anmerkungen", "en": "Comments"},
            "questions": [
                _q(
                    "comment",
                    "Was möchten Sie uns zur Vielfalts- und Integrationsarbeit in Ihrer Kommune "
                    "noch mitteilen?",
                    "Is there anything else you would like to tell us about diversity and "
                    "integration work in your municipality?",
                ),
            ],
        },
    ],
}

_SKIP_INDIVIDUALS = ("einzelperson",)
_ORG_TILT = {"bildung": 0.6, "sport": 0.6, "verwaltung": -0.4, "religion": -0.4}

_FIRST, _SECOND, _LAST = (
    "zwischen 4 und 5; am wichtigsten",
    "zwischen 4 und 5; an zweiter Stelle",
    "zwischen 4 und 5; am wenigsten wichtig",
)
BASELINE_FIGURES = {
    "org_type": Figure(n=720, printed="N = 720"),
    **{
        f"org_div_{suffix}": Figure(mean=mean, n=459, spread=1.0, skip=_SKIP_INDIVIDUALS)
        for suffix, _de, _en, mean in _DIMENSIONS
    },
    "org_importance": Figure(mean=7.1, n=459, spread=2.2, skip=_SKIP_INDIVIDUALS, tilt=_ORG_TILT),
    "org_exchange": Figure(mean=5.3, n=459, spread=2.4, skip=_SKIP_INDIVIDUALS, tilt=_ORG_TILT),
    "sat_cooperation": Figure(mean=6.0, n=520, spread=2.2, printed="6 von 10"),
    "sat_strategy_participation": Figure(mean=5.5, n=501, spread=2.4),
    "sat_strategy_implementation": Figure(mean=5.3, n=510, spread=2.4),
    "sf_responsibilities": Figure(mean=4.6, n=480, spread=0.8, printed=_FIRST),
    "sf_participation": Figure(mean=4.5, n=480, spread=0.8, printed=_SECOND),
    "sf_transparency": Figure(mean=4.4, n=480, spread=0.9),
    "sf_resources": Figure(mean=4.3, n=480, spread=0.9),
    "sf_working_group": Figure(mean=4.2, n=480, spread=1.0, printed=_LAST),
    "sf_update": Figure(mean=4.1, n=480, spread=1.0, printed=_LAST),
}  # fmt: skip

# -- the final survey (report, chapter 4.4) ------------------------------------------------------

_AGREE = _scale(-2, 2, "stimme nicht zu", "disagree", "stimme voll und ganz zu", "fully agree")

FINAL_DEFINITION = {
    "format": "innolab-survey/1",
    "slug": FINAL,
    "kind": "final",
    "title": {
        "de": "Abschlussbefragung: Was die Prozessbegleitung bewirkt hat",
        "en": "Final survey: what the process support achieved",
    },
    "intro": {
        "de": "Zum Ende der Begleitung bitten wir Sie um Ihre Einschätzung der Ergebnisse. Die "
        "Befragung ist anonym.",
        "en": "Now that the process support ends, please tell us how you rate its results. The "
        "survey is anonymous.",
    },
    "min_group_size": MIN_GROUP_SIZE,
    "sections": [
        {
            "title": {
                "de": "Was sich durch das Projekt verändert hat",
                "en": "What the project changed",
            },
            "questions": [
                _q(code, f"Durch das Projekt {de}", f"Thanks to the project, {en}", _AGREE)
                for code, de, en in [
                    (
                        "role_admin_actors",
                        "ist klarer, welche Rolle die Verwaltung gegenüber anderen Akteuren hat.",
                        "the administration's role towards other actors is clearer.",
                    ),
                    (
                        "role_within_admin",
                        "ist klarer, wer innerhalb der Verwaltung wofür zuständig ist.",
                        "it is clearer who is responsible for what within the administration.",
                    ),
                    (
                        "strategy_progress",
                        "ist unsere Vielfalts- und Integrationsstrategie vorangekommen.",
                        "our diversity and integration strategy has moved forward.",
                    ),
                    (
                        "digital_solutions",
                        "haben wir digitale Wege für unsere Integrationsarbeit gefunden.",
                        "we have found digital ways of doing our diversity and integration work.",
                    ),
                    (
                        "exchange_municipalities",
                        "tauschen wir uns mehr mit anderen Kommunen aus.",
                        "we exchange more with other municipalities.",
                    ),
                    (
                        "ideas_from_exchange",
                        "sind im Austausch mit anderen Kommunen Ideen und Maßnahmen entstanden.",
                        "ideas and measures came out of the exchange with other municipalities.",
                    ),
                    (
                        "intercultural_opening",
                        "hat sich unsere Verwaltung interkulturell geöffnet.",
                        "our administration has opened up interculturally.",
                    ),
                ]
            ],  # fmt: skip
        },
        {
            "title": {"de": "Zufriedenheit heute", "en": "Satisfaction today"},
            # the same codes as in the baseline survey, so the two can be compared
            "questions": _SATISFACTION_ITEMS,
        },
        {
            "title": {"de": "Anmerkungen", "en": "Comments"},
            "questions": [
                _q(
                    "comment",
                    "Was möchten Sie uns zum Abschluss der Begleitung noch sagen?",
                    "Is there anything else you would like to tell us as the support ends?",
                ),
            ],
        },
    ],
}

# The direct contact persons (administration) saw more of the results than those reached more
# broadly; the report explains the wide spread that way.
_FINAL_TILT = {VERWALTUNG: 0.5, ZIVIL: -0.3}

FINAL_FIGURES = {
    "role_admin_actors": Figure(mean=1.1, spread=1.2, tilt=_FINAL_TILT),
    "role_within_admin": Figure(mean=1.0, spread=1.2, tilt=_FINAL_TILT),
    "strategy_progress": Figure(mean=0.9, spread=1.3, tilt=_FINAL_TILT),
    "digital_solutions": Figure(mean=0.8, spread=1.3, tilt=_FINAL_TILT),
    "exchange_municipalities": Figure(mean=0.6, spread=1.4, tilt=_FINAL_TILT),
    "ideas_from_exchange": Figure(mean=0.5, spread=1.4, tilt=_FINAL_TILT),
    "intercultural_opening": Figure(mean=0.1, spread=1.4, tilt=_FINAL_TILT),
    "sat_cooperation": Figure(mean=6.8, n=120, spread=2.0),
    "sat_strategy_participation": Figure(mean=6.1, n=115, spread=2.2),
    "sat_strategy_implementation": Figure(mean=6.0, n=118, spread=2.2),
}

# -- the feedback on the training of Vielfaltsmanager:innen (report, chapter 5.2) -----------------

_SATISFIED = _scale(
    1, 5, "sehr unzufrieden", "very dissatisfied", "sehr zufrieden", "very satisfied"
)
_AGREE_FIVE = _scale(
    1, 5, "stimme gar nicht zu", "strongly disagree", "stimme voll zu", "strongly agree"
)

FEEDBACK_DEFINITION = {
    "format": "innolab-survey/1",
    "slug": FEEDBACK,
    "kind": "feedback",
    "title": {
        "de": "Rückmeldung zur Ausbildung von Vielfaltsmanager:innen",
        "en": "Feedback on the diversity manager training",
    },
    "intro": {
        "de": "Ihre Rückmeldung hilft uns, die Ausbildung weiterzuentwickeln.",
        "en": "Your feedback helps us improve the training.",
    },
    "min_group_size": MIN_GROUP_SIZE,
    "sections": [
        {
            "title": {"de": "Zufriedenheit", "en": "Satisfaction"},
            "questions": [
                _q(
                    code,
                    f"Wie zufrieden waren Sie {de}?",
                    f"How satisfied were you with {en}?",
                    _SATISFIED,
                    required=True,
                )
                for code, de, en in [
                    ("sat_content", "mit den Inhalten", "the content"),
                    (
                        "sat_methods",
                        "mit den Methoden und Arbeitsformen",
                        "the methods and ways of working",
                    ),
                    ("sat_practice", "mit dem Praxisbezug", "how practical it was"),
                    (
                        "sat_basic",
                        "mit der zweitägigen Basisschulung",
                        "the two-day basic training",
                    ),
                    (
                        "sat_deepening",
                        "mit dem eintägigen Vertiefungstag",
                        "the one-day follow-up session",
                    ),
                    ("sat_overall", "mit der Ausbildung insgesamt", "the training as a whole"),
                ]
            ],  # fmt: skip
        },
        {
            "title": {"de": "Nutzen", "en": "Benefit"},
            "questions": [
                _q(
                    "useful_for_work",
                    "Was ich gelernt habe, kann ich in meiner Arbeit gut gebrauchen.",
                    "I can put what I learned to good use in my work.",
                    _AGREE_FIVE,
                    required=True,
                ),
                _q(
                    "exchange_multipliers",
                    "Die Ausbildung hat mich mit anderen Multiplikator:innen zusammengebracht.",
                    "The training got me talking with other multipliers.",
                    _AGREE_FIVE,
                    required=True,
                ),
            ],
        },
        {
            "title": {"de": "Anmerkungen", "en": "Comments"},
            "questions": [
                _q(
                    "comment",
                    "Was möchten Sie dem Team der Ausbildung noch mitgeben?",
                    "Is there anything else you would like to tell the training team?",
                ),
            ],
        },
    ],
}

FEEDBACK_FIGURES = {
    "sat_content": Figure(mean=4.3, spread=0.7, printed="zwischen 4,0 und 4,6"),
    "sat_methods": Figure(mean=4.1, spread=0.8, printed="zwischen 4,0 und 4,6"),
    "sat_practice": Figure(mean=4.2, spread=0.8, printed="zwischen 4,0 und 4,6"),
    "sat_basic": Figure(mean=4.4, spread=0.7, printed="4,4 (von 5)"),
    "sat_deepening": Figure(mean=4.7, spread=0.6, printed="4,7 (von 5)"),
    "sat_overall": Figure(mean=4.6, spread=0.6, printed="4,6 (von 5)"),
    "useful_for_work": Figure(mean=4.4, spread=0.7, printed="4,4 (von 5)"),
    "exchange_multipliers": Figure(mean=4.5, spread=0.7, printed="4,5 (von 5)"),
}

SURVEYS = {BASELINE: BASELINE_DEFINITION, FINAL: FINAL_DEFINITION, FEEDBACK: FEEDBACK_DEFINITION}
FIGURES = {BASELINE: BASELINE_FIGURES, FINAL: FINAL_FIGURES, FEEDBACK: FEEDBACK_FIGURES}

# Respondents per survey and cohort. The report prints 720 for the baseline in all; the split is
# ours, as are the numbers for the final survey and the feedback forms (53 people were trained).
# Multiples of ten make every mean with one decimal come out exactly.
RESPONDENTS = {
    BASELINE: {"kohorte-1": 370, "kohorte-2": 350},
    FINAL: {"kohorte-1": 60, "kohorte-2": 70},
    FEEDBACK: {"kohorte-1": 20, "kohorte-2": 30},
}

# Respondent groups of the surveys that do not derive them from the organisation type (shares).
GROUPS = {
    FINAL: {VERWALTUNG: 70, ZIVIL: 22, POLITIK: 8},
    FEEDBACK: {VERWALTUNG: 45, ZIVIL: 55},
}

# Dates the surveys were open, inside each cohort's period (kohorte-1: 2020-01-01 to 2021-12-31,
# kohorte-2: 2021-01-01 to 2022-06-30); the report gives none.
WINDOWS = {
    ("kohorte-1", BASELINE): (dt.date(2020, 2, 3), dt.date(2020, 3, 13)),
    ("kohorte-1", FINAL): (dt.date(2021, 1, 18), dt.date(2021, 2, 26)),
    ("kohorte-1", FEEDBACK): (dt.date(2021, 6, 7), dt.date(2021, 7, 9)),
    ("kohorte-2", BASELINE): (dt.date(2021, 2, 8), dt.date(2021, 3, 19)),
    ("kohorte-2", FINAL): (dt.date(2022, 2, 7), dt.date(2022, 3, 18)),
    ("kohorte-2", FEEDBACK): (dt.date(2022, 4, 4), dt.date(2022, 5, 13)),
}

# How unevenly each survey reached the municipalities (the baseline was spread very differently)
# and how much the answers differ between municipalities (in standard deviations).
MUNICIPALITY_SPREAD = {BASELINE: (0.4, 2.5, 0.3), FINAL: (0.6, 1.6, 0.6), FEEDBACK: (0.5, 1.5, 0.3)}

# Invented, harmless comments.
COMMENTS = {
    BASELINE: [
        "Ich wusste lange nicht, wo ich mich bei der Strategie einbringen kann.",
        "Es wäre gut, regelmäßig zu hören, was aus den Maßnahmen geworden ist.",
        "Die Vereine würden gern enger mit der Verwaltung zusammenarbeiten.",
        "Ein fester Ansprechpartner im Rathaus würde vieles leichter machen.",
        "Mehr Angebote in einfacher Sprache wären hilfreich.",
        "Die Treffen des Netzwerks sollten häufiger stattfinden.",
        "Wir brauchen mehr Ehrenamtliche, vor allem jüngere.",
        "Die Strategie ist gut, jetzt muss sie gelebt werden.",
        "Bitte die Beiräte früher einbinden.",
        "Ein gemeinsamer Veranstaltungskalender wäre ein guter Anfang.",
        "In unserer Kita ist Vielfalt Alltag, im Ort oft noch nicht.",
        "Informationen kommen bei uns im Verein selten an.",
    ],
    FINAL: [
        "Die Rollen zwischen Rathaus und Arbeitskreis sind jetzt viel klarer.",
        "Die Online-Treffen haben uns durch die Pandemie getragen.",
        "Der Austausch mit den anderen Kommunen war sehr wertvoll.",
        "Für die interkulturelle Öffnung braucht es noch einen langen Atem.",
        "Wir hätten uns mehr Zeit für die Umsetzung gewünscht.",
        "Die Begleitung war strukturiert und hat uns gut vorangebracht.",
        "Nach der Begleitung müssen wir die Arbeitsgruppe selbst am Leben halten.",
    ],
    FEEDBACK: [
        "Sehr praxisnah, ich nehme viele Anregungen mit.",
        "Der Vertiefungstag hat die Praxisphase gut abgerundet.",
        "Vor Ort war es lebendiger als im Videocall.",
        "Mehr Zeit für den Austausch untereinander wäre schön gewesen.",
        "Die Übungen zu unbewussten Vorurteilen waren besonders hilfreich.",
        "Gut organisiert und freundlich begleitet.",
    ],
}
COMMENT_SHARE = {BASELINE: 0.03, FINAL: 0.1, FEEDBACK: 0.25}


# -- generating the values ----------------------------------------------------------------------


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` (largest remainder; ties go to
    the earlier part)."""
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def scale_values(lo: int, hi: int, n: int, mean: float, spread: float) -> list[int]:
    """n values from lo..hi, sorted, whose sum is round(mean × n): a bell shape around the mean,
    then single answers moved up or down one step (from the fullest value) until the sum fits."""
    values = list(range(lo, hi + 1))
    counts = apportion(n, [math.exp(-(((v - mean) / spread) ** 2) / 2) for v in values])
    target = round(mean * n)
    if not lo * n <= target <= hi * n:
        raise ValueError(f"a mean of {mean} is impossible on {lo}..{hi}")
    total = sum(v * c for v, c in zip(values, counts, strict=True))
    while total != target:
        step = 1 if total < target else -1
        movable = [i for i, c in enumerate(counts) if c and 0 <= i + step < len(values)]
        i = max(movable, key=lambda i: (counts[i], -i * step))
        counts[i] -= 1
        counts[i + step] += 1
        total += step
    return [v for v, c in zip(values, counts, strict=True) for _ in range(c)]


@dataclass
class Respondent:
    municipality_id: int
    group: str
    organisation: str = ""  # choice code of org_type (baseline only)
    submitted_at: dt.datetime | None = None


def _window(cohort_slug: str, slug: str) -> tuple[dt.datetime, dt.datetime]:
    first, last = WINDOWS[cohort_slug, slug]
    return (
        dt.datetime.combine(first, dt.time(8), tzinfo=BERLIN),
        dt.datetime.combine(last, dt.time(18), tzinfo=BERLIN),
    )


def _dealt(rng: random.Random, parts: dict, total: int) -> list:
    """`total` items, the keys of `parts` in proportion to its values, in random order."""
    counts = apportion(total, list(parts.values()))
    items = [key for key, count in zip(parts, counts, strict=True) for _ in range(count)]
    rng.shuffle(items)
    return items


def _respondents(
    rng: random.Random, slug: str, n: int, municipality_ids: list[int], window
) -> list[Respondent]:
    low, high, _tilt = MUNICIPALITY_SPREAD[slug]
    reach = {pk: rng.uniform(low, high) for pk in municipality_ids}
    places = _dealt(rng, reach, n)
    if slug == BASELINE:
        shares = {code: share for code, _de, _en, share, _group in ORGANISATION_TYPES}
        organisations = _dealt(rng, shares, n)
        groups = [GROUP_OF_ORGANISATION[code] for code in organisations]
    else:
        organisations = [""] * n
        groups = _dealt(rng, GROUPS[slug], n)
    opens, closes = window
    hours = int((closes - opens).total_seconds() // 3600)
    respondents = []
    for place, group, organisation in zip(places, groups, organisations, strict=True):
        submitted = opens + dt.timedelta(hours=rng.randrange(hours))
        respondents.append(Respondent(place, group, organisation, submitted))
    return respondents


def _split(slug: str, cohort_slug: str, total: int) -> int:
    """This cohort's part of a figure's n, in proportion to the cohorts' respondents."""
    cohorts = list(RESPONDENTS[slug])
    parts = apportion(total, [RESPONDENTS[slug][c] for c in cohorts])
    return parts[cohorts.index(cohort_slug)]


def _answer_rows(
    rng, slug, cohort_slug, respondents, questions
) -> list[tuple[int, Question, dict]]:
    """(respondent index, question, Answer fields) for every answer of the survey."""
    figures = FIGURES[slug]
    _low, _high, municipality_tilt = MUNICIPALITY_SPREAD[slug]
    municipalities = sorted({r.municipality_id for r in respondents})
    rows = []
    for question in questions:
        if question.type == QuestionType.TEXT:
            pool = COMMENTS[slug]
            k = min(len(pool), max(1, round(COMMENT_SHARE[slug] * len(respondents))))
            chosen = rng.sample(range(len(respondents)), k)
            rows += [
                (i, question, {"text": text})
                for i, text in zip(chosen, rng.sample(pool, k), strict=True)
            ]
            continue
        if question.type == QuestionType.SINGLE:  # org_type, from the respondents' profile
            choices = {choice.code: choice for choice in question.choices.all()}
            rows += [
                (i, question, {"choice": choices[r.organisation]})
                for i, r in enumerate(respondents)
            ]
            continue
        figure = figures[question.code]
        eligible = [i for i, r in enumerate(respondents) if r.organisation not in figure.skip]
        n = len(respondents) if figure.n is None else _split(slug, cohort_slug, figure.n)
        answering = sorted(rng.sample(eligible, n))
        values = scale_values(question.scale_min, question.scale_max, n, figure.mean, figure.spread)
        local = {pk: rng.gauss(0, municipality_tilt) for pk in municipalities}

        def key(i, local=local, figure=figure):
            r = respondents[i]
            tilt = figure.tilt.get(r.group, 0) + figure.tilt.get(r.organisation, 0)
            return tilt + local[r.municipality_id] + rng.gauss(0, 1)

        order = sorted(answering, key=key)
        rows += [(i, question, {"number": float(v)}) for i, v in zip(order, values, strict=True)]
    return rows


# -- writing --------------------------------------------------------------------------------------


def _create_survey(cohort: Cohort, definition: dict, window, created_by) -> Survey:
    """The survey with its sections, questions and choices, made by the definition import (as a
    coordinator would upload the file), then dated like a survey run back then."""
    survey = survey_from_definition(cohort, definition, user=created_by)
    opens, closes = window
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=opens,
        closes_at=closes,
        in_app=False,
        created_at=opens - dt.timedelta(days=14),
    )
    survey.refresh_from_db()
    return survey


def _create_responses(survey: Survey, municipality_ids: list[int]) -> int:
    cohort_slug, slug = survey.cohort.slug, survey.slug
    rng = random.Random(f"innolab-demo/{cohort_slug}/{slug}")
    window = (survey.opens_at, survey.closes_at)
    respondents = _respondents(rng, slug, RESPONDENTS[slug][cohort_slug], municipality_ids, window)
    questions = list(survey.questions.prefetch_related("choices"))
    rows = _answer_rows(rng, slug, cohort_slug, respondents, questions)
    responses = Response.objects.bulk_create(
        Response(
            survey=survey,
            municipality_id=r.municipality_id,
            group=r.group,
            channel=ResponseChannel.IMPORT,
            external_id=f"demo-{i + 1:04d}",
            submitted_at=r.submitted_at,
        )
        for i, r in enumerate(respondents)
    )
    Answer.objects.bulk_create(
        (
            Answer(
                response=responses[i],
                question=question,
                municipality_id=responses[i].municipality_id,
                group=responses[i].group,
                **fields,
            )
            for i, question, fields in rows
        ),
        batch_size=2000,
    )
    return len(responses)


def seed_cohort_surveys(cohort: Cohort, *, created_by=None) -> dict[str, int]:
    """The baseline, final and feedback survey of one Hessen cohort, each with its answers;
    returns what was created ({"surveys": n, "survey responses": n}, only non-zero counts)."""
    created = {"surveys": 0, "survey responses": 0}
    participations = Participation.objects.filter(cohort=cohort).order_by("municipality__name")
    everyone = [p.municipality_id for p in participations]
    stayed = [p.municipality_id for p in participations if p.status != ParticipationStatus.LEFT]
    for slug, definition in SURVEYS.items():
        if cohort.slug not in RESPONDENTS[slug]:
            continue
        with transaction.atomic():
            survey = Survey.objects.filter(cohort=cohort, slug=slug).first()
            if survey is None:
                survey = _create_survey(cohort, definition, _window(cohort.slug, slug), created_by)
                created["surveys"] += 1
            elif survey.responses.exists() or _codes(survey) != _codes_of(definition):
                # someone answered or changed it in the demo: leave it as it is
                continue
            # the final survey goes to the municipalities that stayed to the end
            places = stayed if slug == FINAL else everyone
            if places:
                created["survey responses"] += _create_responses(survey, places)
    return {kind: n for kind, n in created.items() if n}


def _codes(survey: Survey) -> set[str]:
    return set(survey.questions.values_list("code", flat=True))


def _codes_of(definition: dict) -> set[str]:
    return {q["code"] for section in definition["sections"] for q in section["questions"]}


def seed_hessen_surveys(*, created_by=None) -> dict[str, int]:
    """Demo surveys for every Hessen cohort named in RESPONDENTS that exists."""
    cohort_slugs = {slug for per_cohort in RESPONDENTS.values() for slug in per_cohort}
    created: dict[str, int] = {}
    cohorts = Cohort.objects.filter(lab__slug=lab_data.HESSEN, slug__in=cohort_slugs)
    for cohort in cohorts.select_related("lab").order_by("slug"):
        for kind, n in seed_cohort_surveys(cohort, created_by=created_by).items():
            created[kind] = created.get(kind, 0) + n
    return created

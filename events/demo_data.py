"""The demo labs' process: cohort phases, workshops, network meetings, trainings, registrations,
attendance, outcomes and a few materials, seeded by `manage.py seed_demo` (after the surveys,
so that the training's follow-up days can point to the Hessen feedback survey).

The formats come from the public documents of the programmes (../shared/seeds/): the InnoLab
whitepaper (kick-off workshop, method-based planning workshops, an online seminar series, expert
debates and peer case consultation), the ECCAR project page (first meeting of the expert board on
10 November 2025, network meeting of staff with a migration history in Heidelberg on 18/19
November 2025, the next one online on 21 May 2026) and the Hessen final report 2022 (an
"Innovationszirkel" every half year with the topics listed in its chapter 5.1; five runs of the
"Vielfaltsmanager:innen" training, each a two-day basic training, about three months of practice
and one follow-up day, with 53 trained people overall; a one-day moderation training for key
people from nine municipalities; the workshops named in the municipalities' chapters).

Invented, because the documents give none: every date and time except ECCAR's, places, links,
facilitators' wording, the split of the 53 trained people over the five runs (it follows the
numbers per municipality in the report's chapters 4.3.x, which add up to 51; the other two came
from further WIR municipalities and are guests), the participants' names (fictional, addresses
under example.org, no usable password) and who attended which workshop. Outcomes are our own
short summaries, never quotations.

Idempotent: phases are looked up by cohort and kind, events by lab and title, registrations by
event and person, materials by event and file name, participants by e-mail address; only what is
missing is created. The two upcoming events are placed relative to the day of seeding; if one
has passed by a later run, it is moved forward again.

Registrations and attendance are written as rows, not through the invitation service: seeding
sends no e-mail.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from labs import demo_data as lab_data
from labs.models import Cohort, Lab, Participation
from tandems.models import TandemMember

from . import services, uploads
from .models import (
    AttendanceStatus,
    Event,
    EventFormat,
    EventMaterial,
    EventRegistration,
    EventType,
    PhaseKind,
    RegistrationStatus,
)

BERLIN = ZoneInfo("Europe/Berlin")
INNOLAB, ECCAR, HESSEN = lab_data.INNOLAB, lab_data.ECCAR, lab_data.HESSEN
K1, K2 = "kohorte-1", "kohorte-2"
ON_SITE, ONLINE, HYBRID = EventFormat.ON_SITE, EventFormat.ONLINE, EventFormat.HYBRID
FEEDBACK_SURVEY = "feedback-vielfaltsmanagement"
TRAINED_TOTAL = 53
INNOVATIONSZIRKEL = "innovationszirkel"  # the Hessen lab's own event type
IMAP = "IMAP GmbH (Prozessbegleitung)"
KOORDINATION = "Koordinierungsstelle InnoLab Vielfalt"
TRAINERS = "Trainer:innen-Team von IMAP"

D = dt.date


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


# --- phases --------------------------------------------------------------------------------------

# Five phases per cohort, back to back from the cohort's first to its last day.
PHASES = {
    (INNOLAB, "2025"): [
        (PhaseKind.SETUP, D(2025, 1, 1), D(2025, 2, 28)),
        (PhaseKind.ORIENTATION, D(2025, 3, 1), D(2025, 4, 30)),
        (PhaseKind.MISSION, D(2025, 5, 1), D(2025, 7, 31)),
        (PhaseKind.IMPLEMENTATION, D(2025, 8, 1), D(2025, 10, 31)),
        (PhaseKind.TRANSFER, D(2025, 11, 1), D(2025, 12, 31)),
    ],
    (ECCAR, K1): [
        (PhaseKind.SETUP, D(2025, 11, 1), D(2026, 3, 31)),
        (PhaseKind.ORIENTATION, D(2026, 4, 1), D(2026, 9, 30)),
        (PhaseKind.MISSION, D(2026, 10, 1), D(2027, 6, 30)),
        (PhaseKind.IMPLEMENTATION, D(2027, 7, 1), D(2028, 6, 30)),
        (PhaseKind.TRANSFER, D(2028, 7, 1), D(2028, 12, 31)),
    ],
    # Hessen: kick-off talk and baseline survey first, then the goals of the support, a long
    # implementation and the hand-over at the end of each municipality's year.
    (HESSEN, K1): [
        (PhaseKind.SETUP, D(2020, 1, 1), D(2020, 2, 29)),
        (PhaseKind.ORIENTATION, D(2020, 3, 1), D(2020, 5, 31)),
        (PhaseKind.MISSION, D(2020, 6, 1), D(2020, 9, 30)),
        (PhaseKind.IMPLEMENTATION, D(2020, 10, 1), D(2021, 6, 30)),
        (PhaseKind.TRANSFER, D(2021, 7, 1), D(2021, 12, 31)),
    ],
    (HESSEN, K2): [
        (PhaseKind.SETUP, D(2021, 1, 1), D(2021, 2, 28)),
        (PhaseKind.ORIENTATION, D(2021, 3, 1), D(2021, 4, 30)),
        (PhaseKind.MISSION, D(2021, 5, 1), D(2021, 7, 31)),
        (PhaseKind.IMPLEMENTATION, D(2021, 8, 1), D(2022, 3, 31)),
        (PhaseKind.TRANSFER, D(2022, 4, 1), D(2022, 6, 30)),
    ],
}

# --- single events -------------------------------------------------------------------------------
# invite: "cohorts" (every tandem member of the event's cohorts), a tuple of municipality names
# (their tandem members), "one-per-municipality" (one member each; `present` municipalities
# came) or None (nobody by name, e.g. a lab without tandems in the demo).

EVENTS = [
    # InnoLab Vielfalt, cohort 2025 (the whitepaper's first year)
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "kickoff",
        "title": "Kick-off-Workshop der Kohorte 2025",
        "start": _at(D(2025, 3, 13), "10:00"),
        "end": _at(D(2025, 3, 13), "16:00"),
        "format": ON_SITE,
        "place": "Bielefeld",
        "facilitators": KOORDINATION,
        "agenda": (
            "Ankommen und Kennenlernen der Tandems\n"
            "Ziele, Rollen und Arbeitsweise im InnoLab\n"
            "Vom Anliegen zur Mission: der Weg durch das Jahr\n"
            "Vereinbarungen für die Zusammenarbeit"
        ),
        "invite": "cohorts",
        "outcomes": (
            "Die Tandems haben sich und die Arbeitsweise des Labs kennengelernt und Regeln für "
            "einen vertraulichen Austausch vereinbart. Jedes Tandem hat ein erstes Anliegen "
            "benannt, aus dem bis zum Sommer eine Mission werden soll."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "planning-workshop",
        "title": "Planning-Workshop 1: Von der Vision zu SMART-Zielen",
        "start": _at(D(2025, 5, 22), "09:30"),
        "end": _at(D(2025, 5, 22), "15:30"),
        "format": ON_SITE,
        "place": "Bielefeld",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Aus den Visionen wurden pro Tandem zwei bis drei SMART-Ziele mit Indikator und "
            "Frist. Offen blieb oft, wer in der Verwaltung die Ziele verbindlich mitträgt."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "planning-workshop",
        "title": "Planning-Workshop 2: Missionssteckbrief schärfen",
        "start": _at(D(2025, 7, 3), "09:30"),
        "end": _at(D(2025, 7, 3), "13:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/innolab/planning-2",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Die Tandems haben ihre Missionssteckbriefe gegenseitig kommentiert und die "
            "Zielgruppen und Risiken ergänzt. Der Steckbrief bleibt ein lebendes Dokument."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "online-seminar",
        "title": "Online-Seminar: Gruppenbezogene Menschenfeindlichkeit in der Verwaltung erkennen",
        "start": _at(D(2025, 6, 5), "14:00"),
        "end": _at(D(2025, 6, 5), "15:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/innolab/seminar-gmf",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Impuls zu Formen von Abwertung im Verwaltungsalltag, danach Austausch in "
            "Kleingruppen über Situationen aus den eigenen Ämtern."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "peer-consultation",
        "title": "Kollegiale Fallberatung: Rückhalt der Verwaltungsspitze gewinnen",
        "start": _at(D(2025, 8, 28), "10:00"),
        "end": _at(D(2025, 8, 28), "12:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/innolab/fallberatung-1",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Ein Tandem schilderte, wie das Commitment der Hausspitze unverbindlich blieb. Die "
            "Runde sammelte Wege, es an überprüfbare Ziele und einen festen Bericht im "
            "Verwaltungsvorstand zu knüpfen."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "online-seminar",
        "title": "Online-Seminar: Kennzahlen für Vielfalt – was wir messen können",
        "start": _at(D(2025, 9, 11), "14:00"),
        "end": _at(D(2025, 9, 11), "15:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/innolab/seminar-kennzahlen",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Beispiele für einfache Indikatoren und der Umgang mit sensiblen Daten; viele "
            "Tandems wollen zuerst mit vorhandenen Verwaltungsdaten beginnen."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "expert-debate",
        "title": "Expert*innendebatte: Verbindlichkeit durch Leitbilder und Dienstvereinbarungen",
        "start": _at(D(2025, 10, 9), "15:00"),
        "end": _at(D(2025, 10, 9), "17:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/innolab/debatte",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Die Runde war sich einig, dass Leitbilder erst mit überprüfbaren Zielen und "
            "Zuständigkeiten wirken. Vorschlag: Vielfaltsziele in bestehende Zielsysteme "
            "aufnehmen statt eigene Papiere zu schreiben."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "online-seminar",
        "title": "Online-Seminar: Vielfaltsorientierte Personalgewinnung",
        "start": _at(D(2025, 11, 6), "14:00"),
        "end": _at(D(2025, 11, 6), "15:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/innolab/seminar-personal",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Stellenausschreibungen, Auswahlgespräche und Karrierewege im Blick auf "
            "Chancengleichheit; zwei Tandems übernehmen eine Checkliste in ihre Missionen."
        ),
    },
    {
        "lab": INNOLAB,
        "cohorts": ("2025",),
        "type": "peer-consultation",
        "title": "Kollegiale Fallberatung: Ressourcen für die Mission sichern",
        "start": _at(D(2025, 12, 4), "10:00"),
        "end": _at(D(2025, 12, 4), "12:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/innolab/fallberatung-2",
        "facilitators": KOORDINATION,
        "invite": "cohorts",
        "outcomes": (
            "Beraten wurde, wie Maßnahmen ohne eigenes Budget an Regelaufgaben andocken können. "
            "Ergebnis: Maßnahmen kleiner schneiden und an laufende Vorhaben koppeln."
        ),
    },
    # ECCAR "Kommunen für alle?" (dates as on the project page)
    {
        "lab": ECCAR,
        "cohorts": (K1,),
        "type": "expert-debate",
        "title": "Erstes Treffen des Expert*innengremiums",
        "start": _at(D(2025, 11, 10), "10:00"),
        "end": _at(D(2025, 11, 10), "15:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/eccar/gremium",
        "facilitators": "ECCAR e. V.",
        "invite": None,
        "outcomes": (
            "Das Gremium hat sich konstituiert und vereinbart, wie es die Handlungsempfehlungen "
            "zu Rassismus im Verwaltungshandeln über die Laufzeit berät."
        ),
    },
    {
        "lab": ECCAR,
        "cohorts": (K1,),
        "guests": True,
        "type": "network-meeting",
        "title": "Netzwerktreffen von Mitarbeitenden mit Migrationsgeschichte",
        "start": _at(D(2025, 11, 18), "10:00"),
        "end": _at(D(2025, 11, 19), "15:00"),
        "format": ON_SITE,
        "place": "Heidelberg",
        "facilitators": "ECCAR e. V.",
        "invite": None,
        "outcomes": (
            "Zwei Tage Austausch in einem geschützten Rahmen über rassismuskritische "
            "Verwaltungspraxis, Führung und institutionelle Hürden, mit Workshops und "
            "moderierten Gesprächsrunden."
        ),
    },
    {
        "lab": ECCAR,
        "cohorts": (K1,),
        "guests": True,
        "type": "network-meeting",
        "title": "Digitales Netzwerktreffen von Mitarbeitenden mit Migrationsgeschichte",
        "start": _at(D(2026, 5, 21), "14:00"),
        "end": _at(D(2026, 5, 21), "16:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/eccar/netzwerk",
        "facilitators": "ECCAR e. V.",
        "invite": None,
        "outcomes": "",
    },
    # Vielfaltsorientierung in hessischen Kommunen: the process support of each cohort
    {
        "lab": HESSEN,
        "cohorts": (K1,),
        "type": "kickoff",
        "title": "Auftaktveranstaltung der Kohorte 1",
        "start": _at(D(2020, 2, 6), "10:00"),
        "end": _at(D(2020, 2, 6), "15:00"),
        "format": ON_SITE,
        "place": "Wiesbaden",
        "facilitators": IMAP,
        "invite": "cohorts",
        "outcomes": (
            "Die sieben Kommunen haben ihre Strategien vorgestellt und mit der "
            "Prozessbegleitung die Anfangsbefragung vorbereitet. Die Ziele der Begleitung "
            "werden in den Auftaktgesprächen vor Ort festgelegt."
        ),
    },
    {
        "lab": HESSEN,
        "cohorts": (K1,),
        "type": "planning-workshop",
        "title": "Rodgau: Rollen und Erwartungen im Arbeitskreis Vielfalt",
        "start": _at(D(2020, 6, 18), "18:00"),
        "end": _at(D(2020, 6, 18), "20:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/rodgau",
        "facilitators": IMAP,
        "invite": ("Rodgau",),
        "outcomes": (
            "Der Arbeitskreis hat geklärt, dass er mehr selbst gestalten will, und sich auf "
            "thematische Kleingruppen und einen längeren Sitzungsrhythmus verständigt."
        ),
    },
    {
        "lab": HESSEN,
        "cohorts": (K1,),
        "type": "planning-workshop",
        "title": "Seligenstadt: Workshop zur Feinplanung von Maßnahmen",
        "start": _at(D(2020, 11, 12), "17:00"),
        "end": _at(D(2020, 11, 12), "20:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/seligenstadt",
        "facilitators": IMAP,
        "invite": ("Seligenstadt",),
        "outcomes": (
            "Die Arbeitsgruppe Vielfalt hat mehrere Maßnahmen bis zur Umsetzung geplant, "
            "darunter Rampen für eine barrierefreiere Innenstadt."
        ),
    },
    {
        "lab": HESSEN,
        "cohorts": (K2,),
        "type": "kickoff",
        "title": "Auftaktveranstaltung der Kohorte 2",
        "start": _at(D(2021, 2, 4), "10:00"),
        "end": _at(D(2021, 2, 4), "13:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/auftakt-2",
        "facilitators": IMAP,
        "invite": "cohorts",
        "outcomes": (
            "Start der zweiten Kohorte im digitalen Format; Kommunen der ersten Kohorte "
            "berichteten, was sich bewährt hat. Anfangsbefragungen laufen ab Februar."
        ),
        "material": ("Auftakt Kohorte 2 – Ablauf.pdf", "Auftakt Kohorte 2: Ablauf und Fahrplan"),
    },
    {
        "lab": HESSEN,
        "cohorts": (K1, K2),
        "type": "training",
        "title": "Moderationsschulung für Schlüsselpersonen der Vielfaltsarbeit",
        "start": _at(D(2021, 4, 22), "09:00"),
        "end": _at(D(2021, 4, 22), "16:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/moderation",
        "facilitators": TRAINERS,
        "invite": "one-per-municipality",
        "present": 9,
        "outcomes": (
            "Methoden für Sitzungen in Präsenz und digital, Umgang mit der Doppelrolle als "
            "Moderation und Vertretung der Kommune und mit Hierarchien im Raum; danach "
            "individuelle Coachings nach Bedarf."
        ),
    },
    {
        "lab": HESSEN,
        "cohorts": (K2,),
        "type": "planning-workshop",
        "title": "Büttelborn: Arbeitskreis zur Umsetzung, Workshop 1",
        "start": _at(D(2021, 5, 6), "17:00"),
        "end": _at(D(2021, 5, 6), "19:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/buettelborn",
        "facilitators": IMAP,
        "invite": ("Büttelborn",),
        "outcomes": (
            "Der verwaltungsinterne Arbeitskreis hat seine Rolle und Ziele geklärt und eine "
            "erste Vision für ein inklusives Büttelborn skizziert."
        ),
    },
    {
        "lab": HESSEN,
        "cohorts": (K1, K2),
        "type": "peer-consultation",
        "title": "Kollegiale Fallberatung: Einarbeitung neuer Integrationsbeauftragter",
        "start": _at(D(2021, 5, 20), "10:00"),
        "end": _at(D(2021, 5, 20), "12:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/fallberatung",
        "facilitators": IMAP,
        "invite": ("Neu-Isenburg", "Niedernhausen", "Rödermark", "Rodgau"),
        "outcomes": (
            "Erfahrene Beauftragte teilten, was ihnen beim Einstieg geholfen hat; daraus "
            "entstanden ein Einarbeitungsleitfaden und Mentoring-Paare zwischen Kommunen."
        ),
    },
    {
        "lab": HESSEN,
        "cohorts": (K2,),
        "type": "online-seminar",
        "title": "Bischofsheim: Online-Austausch zur Vielfalts- und Integrationsstrategie",
        "start": _at(D(2021, 6, 10), "18:00"),
        "end": _at(D(2021, 6, 10), "20:00"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/bischofsheim",
        "facilitators": IMAP,
        "invite": ("Bischofsheim",),
        "outcomes": (
            "Die Verwaltung stellte die Strategie vor und sammelte Anregungen aus der "
            "Bürger:innenschaft. Die Idee einer ständigen Kommission für Integration und "
            "Vielfalt fand breite Zustimmung."
        ),
    },
    {
        "lab": HESSEN,
        "cohorts": (K2,),
        "type": "planning-workshop",
        "title": "Büttelborn: Arbeitskreis zur Umsetzung, Workshop 2",
        "start": _at(D(2021, 9, 16), "17:00"),
        "end": _at(D(2021, 9, 16), "19:30"),
        "format": ONLINE,
        "online_url": "https://konferenz.example.org/hessen/buettelborn",
        "facilitators": IMAP,
        "invite": ("Büttelborn",),
        "outcomes": (
            "Der Arbeitskreis hat ein Leitbild mit Kurzfassung beschlossen und die nächsten "
            "Schritte verabredet, etwa die Strategie bekannter zu machen."
        ),
    },
]

# --- the Innovationszirkel: every half year, for both cohorts and guests from other WIR
# municipalities; topics from the final report's chapter 5.1 -----------------------------------

INNOVATIONSZIRKEL_MEETINGS = [
    (
        D(2020, 3, 5),
        (K1,),
        ON_SITE,
        "Herausforderungen bei der Umsetzung der Strategien",
        "Die Verantwortlichen stellten fest, dass sie vor sehr ähnlichen Hürden stehen: "
        "knappe Zeit, wechselnde Zuständigkeiten, wenig Sichtbarkeit der Strategie.",
    ),
    (
        D(2020, 9, 10),
        (K1,),
        ONLINE,
        "Vielfalts- und Integrationsarbeit in der Pandemie",
        "Austausch über digitale Sitzungen von Gremien und darüber, wie Kontakte zu "
        "Ehrenamtlichen ohne Treffen vor Ort gehalten werden können.",
    ),
    (
        D(2021, 3, 11),
        (K1, K2),
        ONLINE,
        "Beispiele guter Praxis aus den Projektkommunen",
        "Kommunen der ersten Kohorte stellten erprobte Werkzeuge vor; die zweite Kohorte "
        "nahm Ideen für Befragungen und Arbeitsgruppen mit.",
    ),
    (
        D(2021, 9, 9),
        (K1, K2),
        ONLINE,
        "Netzwerke aufbauen und pflegen",
        "Aus dem Zirkel heraus hat sich eine Austauschrunde der Strategieverantwortlichen "
        "gebildet, die sich auch ohne das Projekt treffen will.",
    ),
    (
        D(2022, 3, 10),
        (K2,),
        ONLINE,
        "Ehrenamtliche gewinnen und halten",
        "Gesammelt wurden Wege, Engagierte anzuerkennen und zu beteiligen; mehrfach fiel "
        "der Satz, es tue gut zu sehen, dass man mit einem Problem nicht allein ist.",
    ),
]
UPCOMING_INNOVATIONSZIRKEL = "Innovationszirkel: Bürger:innenbeteiligung gestalten"
UPCOMING_INNOLAB_SEMINAR = "Online-Seminar: Erfahrungen aus dem InnoLab Vielfalt (offen für alle)"


def innovationszirkel_title(topic: str) -> str:
    return f"Innovationszirkel: {topic}"


# --- the Vielfaltsmanager:innen training: five runs of three parts --------------------------------
# trained: people per municipality who completed the run (present on all three days); guests
# come from WIR municipalities outside the project; dropouts attended the basic training but
# were excused on the follow-up day.

TRAINING_RUNS = [
    {
        "number": 1,
        "cohorts": (K1,),
        "days": (D(2020, 9, 24), D(2020, 9, 25)),
        "follow_up": D(2021, 1, 14),
        "formats": (ON_SITE, ON_SITE, ONLINE),  # the follow-up day moved online at short notice
        "place": "Darmstadt",
        "feedback": K1,
        "trained": {"Seligenstadt": 4, "Groß-Umstadt": 3, "Hainburg": 2, "Neu-Isenburg": 2},
        "dropouts": {"Gernsheim": 1},
        "material": ("Basisschulung – Ablauf und Methoden.pdf", "Basisschulung: Ablauf"),
    },
    {
        "number": 2,
        "cohorts": (K1, K2),
        "days": (D(2021, 2, 25), D(2021, 2, 26)),
        "follow_up": D(2021, 6, 3),
        "formats": (ONLINE, ONLINE, ONLINE),
        "feedback": K1,
        "trained": {
            "Rodgau": 4,
            "Seligenstadt": 3,
            "Hainburg": 3,
            "Michelstadt": 1,
            "Bischofsheim": 1,
        },
    },
    {
        "number": 3,
        "cohorts": (K1, K2),
        "days": (D(2021, 9, 23), D(2021, 9, 24)),
        "follow_up": D(2021, 12, 9),
        "formats": (ON_SITE, ON_SITE, ONLINE),
        "place": "Darmstadt",
        "feedback": K2,
        "trained": {
            "Neu-Isenburg": 3,
            "Groß-Umstadt": 2,
            "Hofheim am Taunus": 3,
            "Heusenstamm": 2,
            None: 1,
        },
    },
    {
        "number": 4,
        "cohorts": (K2,),
        "days": (D(2022, 1, 13), D(2022, 1, 14)),
        "follow_up": D(2022, 3, 31),
        "formats": (ONLINE, ONLINE, ON_SITE),
        "place": "Frankfurt am Main",
        "feedback": K2,
        "trained": {"Rödermark": 5, "Ginsheim-Gustavsburg": 2, "Büttelborn": 3},
        "dropouts": {None: 1},
    },
    {
        "number": 5,
        "cohorts": (K2,),
        "days": (D(2022, 2, 3), D(2022, 2, 4)),
        "follow_up": D(2022, 5, 5),
        "formats": (ON_SITE, ON_SITE, ON_SITE),
        "place": "Frankfurt am Main",
        "feedback": K2,
        "trained": {
            "Hofheim am Taunus": 2,
            "Heusenstamm": 2,
            "Ginsheim-Gustavsburg": 2,
            "Niedernhausen": 2,
            None: 1,
        },
    },
]
TRAINING_PARTS = ("Basisschulung, Tag 1", "Basisschulung, Tag 2", "Vertiefungstag")
TRAINING_TIMES = (("09:30", "17:00"), ("09:00", "16:00"), ("09:30", "16:30"))
TRAINING_AGENDA = (
    "Diversity Management und Unconscious Bias\n"
    "Projekt- und Veränderungsmanagement\n"
    "Rollenreflexion und eigener Einflussbereich\n"
    "Vernetzung in der Kommune und darüber hinaus\n"
    "Zum Abschluss: ein eigenes Vorhaben für die Praxisphase"
)
TRAINING_OUTCOMES = (
    "Die Teilnehmenden haben Grundlagen zu Vielfalts- und Veränderungsmanagement erarbeitet und "
    "je ein Vorhaben für die rund dreimonatige Praxisphase festgelegt.",
    "",
    "Wiedersehen in derselben Gruppe: Erfahrungen aus den Vorhaben, Stolpersteine und "
    "Lösungen, Vertiefung ausgewählter Themen. Der Feedbackbogen ging im Anschluss an alle.",
)

FIRST_NAMES = (
    "Lena", "Murat", "Sophie", "Yasemin", "Thomas", "Aleksandra", "Malte", "Fatma", "Peter",
    "Chiara", "Ahmad", "Ingrid", "Kemal", "Marie", "Dariusz", "Selin", "Uwe", "Amira", "Felix",
    "Nadia", "Karl", "Leyla", "Stefan", "Mina", "Jürgen", "Olga", "Bernd", "Hanna", "Samuel",
    "Elif",
)  # fmt: skip
LAST_NAMES = (
    "Albrecht", "Bauer", "Çelik", "Dietrich", "Engel", "Fischer", "Günther", "Hadžić",
    "Ivanova", "Jung", "Keller", "Lorenz", "Mansour", "Neumann", "Öztürk", "Popescu", "Quast",
    "Roth", "Schäfer", "Tran", "Urban", "Vogt", "Wagner", "Yıldırım", "Ziegler", "Berger",
    "Nowak", "Haddad", "Krüger", "Sommer",
)  # fmt: skip


def training_title(number: int, part: int) -> str:
    return f"Ausbildung Vielfaltsmanager:innen, Durchgang {number}: {TRAINING_PARTS[part]}"


def participant_email(number: int, index: int) -> str:
    return f"vm{number}-{index:02d}@teilnehmende.example.org"


def _participant_name(serial: int) -> str:
    first = FIRST_NAMES[serial % len(FIRST_NAMES)]
    last = LAST_NAMES[(serial * 7 + serial // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}"


# --- a small real PDF, for demo materials and tests ----------------------------------------------


def _pdf_text(line: str) -> bytes:
    raw = line.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def minimal_pdf(*lines: str) -> bytes:
    """A valid one-page A4 PDF showing the given lines in Helvetica."""
    text = b"BT /F1 14 Tf 72 770 Td 18 TL " + b"".join(
        b"(" + _pdf_text(line) + b") Tj T* " for line in lines
    )
    content = text + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(*lines), content_type="application/pdf")


# --- seeding -------------------------------------------------------------------------------------


class _Seeder:
    def __init__(self, created_by, now: dt.datetime):
        self.created_by = created_by
        self.now = now
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.types = {t.code: t for t in EventType.objects.filter(lab=None)}
        self.cohorts = {
            (c.lab.slug, c.slug): c
            for c in Cohort.objects.filter(lab__slug__in=[INNOLAB, ECCAR, HESSEN]).select_related(
                "lab"
            )
        }
        self.labs = {lab.slug: lab for lab in Lab.objects.filter(slug__in=[INNOLAB, ECCAR, HESSEN])}
        self.logins = {
            spec["key"]: spec["email"].lower() for spec in lab_data.USERS if "tandem" in spec
        }

    def count(self, bucket: dict, kind: str, n: int = 1) -> None:
        if n:
            bucket[kind] = bucket.get(kind, 0) + n

    # -- phases -------------------------------------------------------------------------------

    def phases(self) -> None:
        for key, rows in PHASES.items():
            cohort = self.cohorts.get(key)
            if cohort is None:
                continue
            existing = {p.kind: (p.starts_on, p.ends_on) for p in cohort.phases.all()}
            wanted = {kind: (start, end) for kind, start, end in rows}
            if existing == wanted:
                continue
            services.cohort_phases_set(cohort=cohort, phases=wanted)
            self.count(self.created, "phases", len(wanted.keys() - existing.keys()))
            changed = [k for k in wanted.keys() & existing.keys() if wanted[k] != existing[k]]
            self.count(self.updated, "phases", len(changed))

    # -- events -------------------------------------------------------------------------------

    def event(self, lab_slug: str, spec: dict, event_type=None) -> Event | None:
        lab = self.labs.get(lab_slug)
        if lab is None:
            return None
        event = Event.objects.filter(lab=lab, title=spec["title"]).first()
        if event is not None:
            return event
        cohorts = [self.cohorts[lab_slug, slug] for slug in spec["cohorts"]]
        event = services.event_create(
            lab=lab,
            created_by=self.created_by,
            cohorts=cohorts,
            type=event_type or self.types[spec["type"]],
            title=spec["title"],
            starts_at=spec["start"],
            ends_at=spec["end"],
            format=spec["format"],
            place=spec.get("place", ""),
            online_url=spec.get("online_url", ""),
            facilitators=spec.get("facilitators", ""),
            agenda=spec.get("agenda", ""),
            capacity=spec.get("capacity"),
            open_to_guests=spec.get("guests", False),
            series=spec.get("series"),
            feedback_survey=spec.get("feedback_survey"),
            outcomes=spec.get("outcomes", "") if spec["end"] < self.now else "",
        )
        self.count(self.created, "events")
        return event

    def _tandem_members(self, event: Event, municipalities=None) -> list[tuple[int, int]]:
        """(user id, participation id) of the tandem members invited, in a stable order."""
        members = TandemMember.objects.filter(
            tandem__participation__cohort__in=event.cohorts.all()
        ).order_by("tandem__participation__municipality__name", "pk")
        if municipalities is not None:
            members = members.filter(tandem__participation__municipality__name__in=municipalities)
        seen, rows = set(), []
        for user_id, participation_id in members.values_list("user_id", "tandem__participation_id"):
            if user_id not in seen:
                seen.add(user_id)
                rows.append((user_id, participation_id))
        return rows

    def _registration(self, event: Event, user_id, participation_id, status, attendance=""):
        invited_at = min(event.starts_at - dt.timedelta(days=28), self.now)
        responded_at = None
        if status != RegistrationStatus.INVITED:
            responded_at = min(invited_at + dt.timedelta(days=3), self.now)
        return EventRegistration(
            event=event,
            user_id=user_id,
            participation_id=participation_id,
            status=status,
            invited_at=invited_at,
            responded_at=responded_at,
            attendance=attendance,
        )

    def _save_registrations(self, event: Event, rows: list[EventRegistration]) -> None:
        existing = set(
            EventRegistration.objects.filter(event=event).values_list("user_id", flat=True)
        )
        new = [row for row in rows if row.user_id not in existing]
        EventRegistration.objects.bulk_create(new)
        self.count(self.created, "registrations", len(new))

    def invite_tandems(self, event: Event, spec: dict) -> None:
        invite = spec.get("invite")
        if not invite:
            return
        past = event.ends_at < self.now
        rng = random.Random(f"innolab-demo/event/{event.title}")
        login_ids = self._login_ids()
        rows = []
        if invite == "one-per-municipality":
            by_participation = {}
            for user_id, participation_id in self._tandem_members(event):
                by_participation.setdefault(participation_id, user_id)
            for i, (participation_id, user_id) in enumerate(by_participation.items()):
                came = i < spec["present"]
                status = RegistrationStatus.REGISTERED if came else RegistrationStatus.DECLINED
                attendance = AttendanceStatus.PRESENT if came and past else ""
                rows.append(
                    self._registration(event, user_id, participation_id, status, attendance)
                )
            self._save_registrations(event, rows)
            return
        municipalities = None if invite == "cohorts" else list(invite)
        for user_id, participation_id in self._tandem_members(event, municipalities):
            draw = rng.random()
            if not past:
                if user_id == login_ids.get("tandem"):
                    status = RegistrationStatus.INVITED  # the demo login answers himself
                elif user_id == login_ids.get("tandem2") or draw < 0.5:
                    status = RegistrationStatus.REGISTERED
                elif draw < 0.6:
                    status = RegistrationStatus.DECLINED
                else:
                    status = RegistrationStatus.INVITED
                rows.append(self._registration(event, user_id, participation_id, status))
                continue
            if draw < 0.08:
                rows.append(
                    self._registration(
                        event, user_id, participation_id, RegistrationStatus.DECLINED
                    )
                )
                continue
            mark = rng.random()
            attendance = (
                AttendanceStatus.PRESENT
                if mark < 0.82
                else AttendanceStatus.EXCUSED
                if mark < 0.94
                else AttendanceStatus.ABSENT
            )
            rows.append(
                self._registration(
                    event, user_id, participation_id, RegistrationStatus.REGISTERED, attendance
                )
            )
        self._save_registrations(event, rows)

    def _login_ids(self) -> dict[str, int]:
        if not hasattr(self, "_login_id_cache"):
            users = get_user_model().objects.filter(email__in=self.logins.values())
            by_email = {u.email.lower(): u.pk for u in users}
            self._login_id_cache = {
                key: by_email[email] for key, email in self.logins.items() if email in by_email
            }
        return self._login_id_cache

    def material(self, event: Event, name: str, heading: str) -> None:
        if EventMaterial.objects.filter(event=event, original_name=name).exists():
            return
        upload = pdf_upload(
            name,
            heading,
            event.title,
            f"{timezone.localtime(event.starts_at, BERLIN):%d.%m.%Y}",
            "Demo-Material, erzeugt von seed_demo.",
        )
        material = uploads.event_material_create(
            event=event, upload=upload, user=self.created_by, title=heading
        )
        # handed out around the event, not on the day of seeding
        uploaded_at = min(event.starts_at - dt.timedelta(days=2), self.now)
        EventMaterial.objects.filter(pk=material.pk).update(uploaded_at=uploaded_at)
        self.count(self.created, "materials")

    def single_events(self) -> None:
        for spec in EVENTS:
            event = self.event(spec["lab"], spec)
            if event is None:
                continue
            self.invite_tandems(event, spec)
            if spec.get("material"):
                self.material(event, *spec["material"])

    # -- Hessen: Innovationszirkel ------------------------------------------------------------

    def innovationszirkel(self) -> None:
        lab = self.labs.get(HESSEN)
        if lab is None:
            return
        event_type, created = EventType.objects.get_or_create(
            lab=lab,
            code=INNOVATIONSZIRKEL,
            defaults={"name_de": "Innovationszirkel", "name_en": "Innovation circle"},
        )
        self.count(self.created, "event types", int(created))
        for day, cohorts, format_, topic, outcomes in INNOVATIONSZIRKEL_MEETINGS:
            online = format_ == ONLINE
            spec = {
                "title": innovationszirkel_title(topic),
                "cohorts": cohorts,
                "guests": True,
                "start": _at(day, "13:30"),
                "end": _at(day, "17:00"),
                "format": format_,
                "place": "" if online else "Frankfurt am Main",
                "online_url": "https://konferenz.example.org/hessen/innovationszirkel"
                if online
                else "",
                "facilitators": IMAP,
                "agenda": (
                    f"Impuls zum Schwerpunkt „{topic}“\n"
                    "Werkzeuge und Beispiele aus den Projektkommunen\n"
                    "Erfahrungsaustausch in Kleingruppen"
                ),
                "invite": "cohorts",
                "outcomes": outcomes,
            }
            event = self.event(HESSEN, spec, event_type)
            self.invite_tandems(event, spec)

        # The exchange round of the people responsible for the strategies goes on after the
        # project; one meeting lies ahead so that the demo shows an upcoming event.
        start = self._upcoming(weekday=3, weeks=5, hhmm="14:00")
        spec = {
            "title": UPCOMING_INNOVATIONSZIRKEL,
            "cohorts": (K1, K2),
            "guests": True,
            "start": start,
            "end": start + dt.timedelta(hours=3),
            "format": ONLINE,
            "online_url": "https://konferenz.example.org/hessen/innovationszirkel",
            "facilitators": "Austauschrunde der Strategieverantwortlichen",
            "agenda": (
                "Wie beteiligen wir Bürger:innen an der Umsetzung der Strategien?\n"
                "Kurze Berichte aus drei Kommunen\n"
                "Austausch und Verabredungen für das nächste halbe Jahr"
            ),
            "invite": "cohorts",
        }
        event = self.event(HESSEN, spec, event_type)
        self._keep_ahead(event, spec)
        self.invite_tandems(event, spec)

    def _upcoming(self, *, weekday: int, weeks: int, hhmm: str) -> dt.datetime:
        """A day `weeks` weeks from now on the given weekday (Monday = 0), Berlin time."""
        day = timezone.localtime(self.now, BERLIN).date() + dt.timedelta(weeks=weeks)
        day += dt.timedelta(days=(weekday - day.weekday()) % 7)
        return _at(day, hhmm)

    def _keep_ahead(self, event: Event, spec: dict) -> None:
        if event.starts_at > self.now:
            return
        # It has passed since an earlier run: move it (and nothing else) forward again.
        duration = event.ends_at - event.starts_at
        Event.objects.filter(pk=event.pk).update(
            starts_at=spec["start"], ends_at=spec["start"] + duration
        )
        event.starts_at, event.ends_at = spec["start"], spec["start"] + duration
        self.count(self.updated, "events")

    def innolab_upcoming(self) -> None:
        start = self._upcoming(weekday=1, weeks=4, hhmm="10:00")
        spec = {
            "title": UPCOMING_INNOLAB_SEMINAR,
            "cohorts": ("2025",),
            "guests": True,
            "type": "online-seminar",
            "start": start,
            "end": start + dt.timedelta(minutes=90),
            "format": ONLINE,
            "online_url": "https://konferenz.example.org/innolab/transfer",
            "facilitators": KOORDINATION,
            "agenda": (
                "Was im ersten Jahr gut funktioniert hat – und warum\n"
                "Gelingensbedingungen: Verbindlichkeit, Ressourcen, Rückhalt der Spitze\n"
                "Fragen und Austausch mit interessierten Kommunen"
            ),
            "invite": None,
        }
        event = self.event(INNOLAB, spec)
        if event is not None:
            self._keep_ahead(event, spec)

    # -- Hessen: the Vielfaltsmanager:innen training ------------------------------------------

    def training(self) -> None:
        lab = self.labs.get(HESSEN)
        if lab is None:
            return
        participations = {
            p.municipality.name: p
            for p in Participation.objects.filter(cohort__lab=lab).select_related("municipality")
        }
        people = self._participants()
        for run in TRAINING_RUNS:
            survey = self._feedback_survey(run["feedback"])
            first = None
            parts = []
            days = (*run["days"], run["follow_up"])
            for part, (day, format_, (begin, end)) in enumerate(
                zip(days, run["formats"], TRAINING_TIMES, strict=True)
            ):
                online = format_ == ONLINE
                follow_up = part == len(days) - 1
                spec = {
                    "title": training_title(run["number"], part),
                    "cohorts": run["cohorts"],
                    "guests": True,
                    "type": "training",
                    "start": _at(day, begin),
                    "end": _at(day, end),
                    "format": format_,
                    "place": "" if online else run.get("place", ""),
                    "online_url": "https://konferenz.example.org/hessen/vielfaltsmanagement"
                    if online
                    else "",
                    "facilitators": TRAINERS,
                    "agenda": TRAINING_AGENDA if part == 0 else "",
                    "capacity": 15,
                    "series": first,
                    "feedback_survey": survey if follow_up else None,
                    "outcomes": TRAINING_OUTCOMES[part],
                }
                event = self.event(HESSEN, spec)
                if follow_up and survey is not None and event.feedback_survey_id is None:
                    Event.objects.filter(pk=event.pk).update(feedback_survey=survey)
                    self.count(self.updated, "events")
                first = first or event
                parts.append(event)
            self._training_registrations(run, parts, participations, people[run["number"]])
            if run.get("material"):
                self.material(parts[0], *run["material"])

    def _feedback_survey(self, cohort_slug: str):
        from evaluations.models import Survey

        cohort = self.cohorts.get((HESSEN, cohort_slug))
        if cohort is None:
            return None
        return Survey.objects.filter(cohort=cohort, slug=FEEDBACK_SURVEY).first()

    def _participants(self) -> dict[int, list[tuple[int, str | None, bool]]]:
        """Per run: (user id, municipality or None, completed) of its participants, creating the
        accounts that are missing (no usable password: nobody logs in as them)."""
        User = get_user_model()
        wanted = []  # (run number, email, name, municipality, completed)
        serial = 0
        for run in TRAINING_RUNS:
            index = 0
            for bucket, completed in ((run["trained"], True), (run.get("dropouts", {}), False)):
                for municipality, n in bucket.items():
                    for _ in range(n):
                        index += 1
                        email = participant_email(run["number"], index)
                        wanted.append(
                            (
                                run["number"],
                                email,
                                _participant_name(serial),
                                municipality,
                                completed,
                            )
                        )
                        serial += 1
        emails = [row[1] for row in wanted]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        unusable = make_password(None)
        new = [
            User(email=email, name=name, password=unusable)
            for _run, email, name, _m, _c in wanted
            if email not in existing
        ]
        User.objects.bulk_create(new)
        self.count(self.created, "people", len(new))
        ids = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
        people: dict[int, list] = {run["number"]: [] for run in TRAINING_RUNS}
        for number, email, _name, municipality, completed in wanted:
            people[number].append((ids[email], municipality, completed))
        return people

    def _training_registrations(self, run, parts, participations, people) -> None:
        for part, event in enumerate(parts):
            follow_up = part == len(parts) - 1
            past = event.ends_at < self.now
            rows = []
            for user_id, municipality, completed in people:
                participation = participations.get(municipality) if municipality else None
                attendance = ""
                if past:
                    attendance = (
                        AttendanceStatus.PRESENT
                        if completed or not follow_up
                        else AttendanceStatus.EXCUSED
                    )
                rows.append(
                    self._registration(
                        event,
                        user_id,
                        participation.pk if participation else None,
                        RegistrationStatus.REGISTERED,
                        attendance,
                    )
                )
            self._save_registrations(event, rows)

    def run(self) -> tuple[dict, dict]:
        self.phases()
        self.single_events()
        self.innovationszirkel()
        self.training()
        self.innolab_upcoming()
        return self.created, self.updated


@transaction.atomic
def seed_events(*, created_by=None, now: dt.datetime | None = None) -> tuple[dict, dict]:
    """Phases, events, registrations, attendance and materials of the demo labs; returns what
    was created and what was updated, by kind. Labs or cohorts that do not exist are skipped."""
    return _Seeder(created_by, now or timezone.now()).run()

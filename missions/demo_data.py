"""Tandems and mission profiles that `manage.py seed_demo` gives the Hessen municipalities.

Where the facts come from: chapter 4.3 of the final report 2022 of "Vielfaltsorientierung in
hessischen Kommunen" (IMAP) – for each municipality its starting point, the goals of the process
support and the central results. We recast them as a mission profile in the InnoLab's terms
(vision → SMART goals → mission, measures, progress). Every text is our own paraphrase in German,
nothing is quoted, and nothing is read from the report at runtime.

What is invented, on purpose and only for the demo:
- All people. Tandem members are fictional (e-mail addresses under @demo.innolab.de, no usable
  password, so they cannot log in); Bischofsheim's tandem is the two demo logins of
  labs/demo_data.py. Leadership sponsors are given only by function, never by name, because the
  real office holders are real people.
- Departments, where the report names none for a municipality (it does name e.g. the
  Migrationsbüro in Groß-Umstadt, the Integrationsbüro in Heusenstamm, the Bürgerbüro in Hofheim,
  the Büro für Teilhabe und Vielfalt and the Kita-Fachberatung in Rodgau, the Amt für Soziale
  Infrastruktur in Seligenstadt).
- Most numbers. The report gives few figures per municipality; we use them where it does (trained
  Vielfaltsmanager:innen, 16 trained staff in Hofheim, two talks with the parliamentary groups in
  Ginsheim-Gustavsburg, five small groups in Rodgau, two working groups in Michelstadt …).
  Baselines, targets and other progress values are plausible illustrations, not findings.
- Dates. The report mostly gives years or seasons; we pick days inside each cohort's period
  (kohorte-1: 2020-01-01 to 2021-12-31, kohorte-2: 2021-01-01 to 2022-06-30). Progress is never
  dated after the end of the cohort. Some measures are due after it when the report says they were
  postponed beyond the project.
- Review status. The report knows no review; we give most of the first cohort (which ended) an
  approved or active profile and the second cohort a mix, with the municipalities that left the
  project still in draft.

Gender-inclusive forms use ":" as the Hessen report does.

Shape: PROFILES maps the municipality name (as in labs/demo_data.py) to the profile fields,
"status" (a ProfileStatus) with an optional "review_comment" (needed when returned),
"shared_with_cohort", the "tandem" (sponsor and members; a member is either {"login": key of
labs.demo_data.USERS} or a fictional person with name, email, department, function), 2–4 "goals"
(each with 1–4 "progress" updates as (value, date, note)) and 2–4 "measures" ("goals" are indexes
into the profile's goal list; "drop_reason" only for dropped ones). The first tandem member writes
the profile; the demo coordinator reviews it.
"""

import datetime as dt

from .models import DiversityDimension as Dim
from .models import MeasureStatus as M
from .models import ProfileStatus as P

D = dt.date

PROFILES = {
    # ------------------------------------------------------------------------- kohorte-2 -----
    "Bischofsheim": {
        "status": P.RETURNED,
        "review_comment": (
            "Danke, das ist schon sehr klar. Bitte bei Ziel 3 noch beschreiben, woran ihr die "
            "Wirkung der Lots:innen erkennt, und für Vereinsmesse und Willkommensfest einen "
            "Ausweichplan nennen, falls Präsenz weiter nicht möglich ist."
        ),
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2021, 2, 15),
            "members": [
                {"login": "tandem", "function": "Prozessverantwortung Personal und Verwaltung"},
                {"login": "tandem2", "function": "Koordination der Vielfaltsstrategie"},
            ],
        },
        "challenge": (
            "Unsere Vielfalts- und Integrationsstrategie ist fertig, aber kaum jemand kennt sie: "
            "weder die Bürger:innen noch Vereine oder Fraktionen, und politisch beschlossen ist "
            "sie auch nicht. Ein Gremium, das sich um ihre Umsetzung kümmert, fehlt, und im "
            "zuständigen Bereich haben mehrere Personen gewechselt."
        ),
        "vision": (
            "In Bischofsheim ist die Strategie ein gemeinsames Vorhaben: Menschen, Vereine und "
            "Politik kennen sie, bringen sich ein, und eine ständige Kommission sorgt dafür, "
            "dass aus Papier gelebte Praxis wird."
        ),
        "target_groups": (
            "Neu zugezogene und zugewanderte Bürger:innen; Vereine, Kirchengemeinden und "
            "Flüchtlingshilfe; Gemeindevertretung; Beschäftigte der Gemeindeverwaltung."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.RELIGION, Dim.AGE, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Flüchtlingshilfe, Kirchen, zahlreiche Vereine, die Fraktionen, die Caritas als "
            "Begleitung der Strategieentwicklung, IMAP als Prozessbegleitung."
        ),
        "mission_statement": (
            "Wir holen die Strategie aus der Schublade: Wir stellen sie öffentlich vor, kommen "
            "mit Politik und Zivilgesellschaft ins Gespräch und bereiten eine Kommission "
            "Integration und Vielfalt vor, die die Umsetzung auf Dauer begleitet."
        ),
        "resources": (
            "Anteilige Arbeitszeit im Fachbereich Ordnung und Soziales und im Personalamt; "
            "Stellen für Engagement- und Integrationslots:innen; Prozessbegleitung durch IMAP "
            "für ein Jahr; Videokonferenztechnik der Verwaltung."
        ),
        "risks": (
            "Weitere Personalwechsel; Veranstaltungen vor Ort bleiben pandemiebedingt "
            "ausgeschlossen; ohne politischen Rückhalt kommt die Kommission nicht zustande."
        ),
        "goals": [
            {
                "statement": (
                    "Bis Mai 2022 kennen deutlich mehr Bürger:innen und Vereinsaktive die "
                    "Vielfalts- und Integrationsstrategie der Gemeinde."
                ),
                "indicator": "Anteil der Befragten, die die Strategie kennen",
                "unit": "%",
                "baseline": 12,
                "target": 40,
                "deadline": D(2022, 5, 31),
                "owner": "Aylin Demir, Fachbereich Ordnung und Soziales",
                "achievability": (
                    "Online-Informationsabend mit IMAP, Beiträge im Gemeindeblatt und auf der "
                    "Website; Befragung zu Beginn und am Ende als Messpunkte."
                ),
                "relevance": "Wer die Strategie nicht kennt, kann sie nicht mittragen.",
                "progress": [
                    (12, D(2021, 3, 19), "Anfangsbefragung: Die Strategie ist kaum bekannt."),
                    (24, D(2021, 11, 26), "Nach dem Online-Informationsabend und Pressearbeit."),
                    (31, D(2022, 5, 20), "Abschlussbefragung; Ziel noch nicht ganz erreicht."),
                ],
            },
            {
                "statement": (
                    "Eine ständige Kommission Integration und Vielfalt ist beschlossen und "
                    "startet 2022 mit einer vorbereiteten konstituierenden Sitzung."
                ),
                "indicator": (
                    "Erledigte Schritte: Rückhalt, Beschlussvorlage, Sitzungskonzept, "
                    "konstituierende Sitzung"
                ),
                "unit": "Schritte",
                "baseline": 0,
                "target": 4,
                "deadline": D(2022, 9, 30),
                "owner": "Jonas Becker, Personalamt",
                "achievability": (
                    "Gute Kontakte der Verwaltung in die Politik; IMAP entwirft Konzepte für die "
                    "erste Sitzung und für Workshops zur Maßnahmenplanung."
                ),
                "relevance": "Die Kommission verankert die Strategie unabhängig von Einzelnen.",
                "progress": [
                    (1, D(2021, 11, 26), "Beim Informationsabend breite Zustimmung zur Idee."),
                    (2, D(2022, 2, 28), "Beschlussvorlage in die Gremien eingebracht."),
                    (3, D(2022, 6, 15), "Konzepte für Auftakt und Planungsworkshops liegen vor."),
                ],
            },
            {
                "statement": (
                    "Bis Ende 2021 setzen wir Maßnahmen um, die nicht von Dritten abhängen, "
                    "und gewinnen dafür Engagement- und Integrationslots:innen."
                ),
                "indicator": "Eingesetzte Engagement- und Integrationslots:innen",
                "unit": "Personen",
                "baseline": 0,
                "target": 2,
                "deadline": D(2021, 12, 31),
                "owner": "Jonas Becker, Personalamt",
                "achievability": "Haushaltsmittel für zwei Stellen sind vorhanden.",
                "relevance": (
                    "Lots:innen öffnen Zugewanderten und Engagierten den Weg in Vereine und "
                    "Verwaltung."
                ),
                "progress": [
                    (1, D(2021, 7, 1), "Erste Lots:in hat begonnen."),
                    (2, D(2021, 10, 1), "Beide Stellen besetzt."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Online-Informations- und Austauschabend zur Strategie",
                "description": (
                    "Digitale Veranstaltung für Bürger:innen, Vereine und Politik: Strategie "
                    "vorstellen, Ideen sammeln, Resonanz zur geplanten Kommission einholen."
                ),
                "responsible": "Aylin Demir",
                "due_date": D(2021, 11, 30),
                "goals": [0, 1],
                "status": M.DONE,
            },
            {
                "title": "Engagement- und Integrationslots:innen einstellen",
                "description": "Zwei Stellen ausschreiben, besetzen und einarbeiten.",
                "responsible": "Jonas Becker",
                "due_date": D(2021, 10, 1),
                "goals": [2],
                "status": M.SUSTAINED,
            },
            {
                "title": "Charta der Vielfalt unterzeichnen",
                "description": (
                    "Nach Vorgesprächen mit den Fraktionen die Unterzeichnung vorbereiten und "
                    "öffentlich machen."
                ),
                "responsible": "Bürgermeister:in mit Fachbereich Ordnung und Soziales",
                "due_date": D(2022, 6, 30),
                "goals": [0],
                "status": M.IN_PROGRESS,
            },
            {
                "title": "Vereinsmesse und Willkommensfest für Neubürger:innen",
                "description": "Sobald Präsenz wieder möglich ist, als Begegnungsformat planen.",
                "responsible": "Aylin Demir",
                "due_date": D(2022, 9, 30),
                "goals": [0],
                "status": M.PLANNED,
            },
        ],
    },
    "Büttelborn": {
        "status": P.APPROVED,
        "shared_with_cohort": True,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2021, 3, 1),
            "members": [
                {
                    "name": "Sabine Krämer",
                    "email": "sabine.kraemer@demo.innolab.de",
                    "department": "Familienzentrum",
                    "function": "Leitung des Familienzentrums",
                },
                {
                    "name": "Tobias Winter",
                    "email": "tobias.winter@demo.innolab.de",
                    "department": "Hauptamt",
                    "function": "Koordination der Vielfaltsstrategie",
                },
            ],
        },
        "challenge": (
            "Durch Zuzug wird die Gemeinde immer vielfältiger. Die Strategie samt "
            "Maßnahmenkatalog ist beschlossen und verwaltungsintern priorisiert, doch es fehlt "
            "eine feste Struktur, die die Umsetzung quer durch die Fachbereiche trägt."
        ),
        "vision": (
            "Ein inklusives Büttelborn, in dem alle Fachbereiche Vielfalt mitdenken und "
            "Bürger:innen und Politik die Umsetzung der Strategie mitgestalten."
        ),
        "target_groups": (
            "Beschäftigte aller Fachbereiche; zugezogene Familien mit Kindern; Politik und "
            "Bürger:innen als künftige Mitglieder eines gemeinsamen Arbeitskreises."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.AGE, Dim.ABILITY, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Familienzentrum, alle Fachbereiche der Verwaltung, Gemeindevertretung, Caritas, IMAP."
        ),
        "mission_statement": (
            "Wir bauen zuerst einen Arbeitskreis in der Verwaltung auf, der sich ein Leitbild "
            "gibt und die Strategie selbst voranbringt, und öffnen ihn danach für Politik und "
            "Bürger:innen."
        ),
        "resources": (
            "Arbeitszeit der Mitglieder des internen Arbeitskreises; zwei moderierte "
            "Online-Workshops durch IMAP; Räume und Netzwerk des Familienzentrums."
        ),
        "risks": (
            "Verschiebungen durch die Pandemie; das Tagesgeschäft verdrängt die Treffen des "
            "Arbeitskreises."
        ),
        "goals": [
            {
                "statement": (
                    "Bis März 2022 arbeitet ein verwaltungsinterner Arbeitskreis mit eigenem "
                    "Leitbild und festen Terminen."
                ),
                "indicator": (
                    "Fertige Bausteine: Selbstverständnis, Leitbild, Kurzfassung, Terminplan"
                ),
                "unit": "Bausteine",
                "baseline": 0,
                "target": 4,
                "deadline": D(2022, 3, 31),
                "owner": "Tobias Winter, Hauptamt",
                "achievability": "Zwei von IMAP moderierte Workshops; Rückhalt der Leitung.",
                "relevance": "Ohne tragende Struktur bleibt die Strategie liegen.",
                "progress": [
                    (1, D(2021, 6, 24), "Workshop 1: Vision, Rolle und Ziele erarbeitet."),
                    (2, D(2021, 9, 30), "Grobentwurf des Leitbilds liegt vor."),
                    (4, D(2022, 3, 17), "Workshop 2: Leitbild samt Kurzfassung beschlossen."),
                ],
            },
            {
                "statement": (
                    "Ein Arbeitskreis aus Verwaltung, Politik und Bürger:innen begleitet die "
                    "Umsetzung und trifft sich mindestens zweimal."
                ),
                "indicator": "Sitzungen des gemischten Arbeitskreises",
                "unit": "Sitzungen",
                "baseline": 0,
                "target": 2,
                "deadline": D(2022, 6, 30),
                "owner": "Sabine Krämer, Familienzentrum",
                "achievability": "Einladung über Familienzentrum, Vereine und Gemeindeblatt.",
                "relevance": "Die Strategie soll nicht nur in der Verwaltung gelebt werden.",
                "progress": [
                    (0, D(2022, 6, 15), "Im Projekt nicht mehr gestartet, Workshops verzögert."),
                ],
            },
            {
                "statement": (
                    "Bis Projektende wirken mindestens drei ausgebildete "
                    "Vielfaltsmanager:innen als Multiplikator:innen in der Gemeinde."
                ),
                "indicator": "Ausgebildete Vielfaltsmanager:innen",
                "unit": "Personen",
                "baseline": 0,
                "target": 3,
                "deadline": D(2022, 6, 30),
                "owner": "Sabine Krämer, Familienzentrum",
                "achievability": "Ausbildungsplätze im Projekt; Freistellung durch die Träger.",
                "relevance": "Multiplikator:innen tragen das Thema in ihre Arbeitsfelder.",
                "progress": [(3, D(2022, 4, 30), "Drei Engagierte haben die Ausbildung beendet.")],
            },
        ],
        "measures": [
            {
                "title": "Zwei Online-Workshops des internen Arbeitskreises",
                "description": (
                    "Workshop 1 zu Selbstverständnis und Zielen, Workshop 2 zum Leitbild und "
                    "zur Organisation der weiteren Treffen."
                ),
                "responsible": "Tobias Winter",
                "due_date": D(2022, 3, 31),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Strategie und Arbeitskreis in der Gemeinde bekannt machen",
                "description": "Leitbild-Kurzfassung veröffentlichen, Arbeitskreis vorstellen.",
                "responsible": "Tobias Winter",
                "due_date": D(2022, 9, 30),
                "goals": [0, 1],
                "status": M.IN_PROGRESS,
            },
            {
                "title": "Gemischten Arbeitskreis mit Politik und Bürger:innen gründen",
                "description": "Breite Einladung, Auftaktsitzung, Arbeitsweise vereinbaren.",
                "responsible": "Sabine Krämer",
                "due_date": D(2022, 6, 30),
                "goals": [1],
                "status": M.DROPPED,
                "drop_reason": (
                    "Im Projektzeitraum nicht mehr machbar, weil sich die Workshops des internen "
                    "Arbeitskreises pandemiebedingt verschoben haben; der interne Arbeitskreis "
                    "nimmt das Vorhaben nach Projektende neu auf."
                ),
            },
            {
                "title": "Teilnahme an der Ausbildung zu Vielfaltsmanager:innen",
                "description": "Drei Engagierte für die Ausbildung gewinnen und anmelden.",
                "responsible": "Sabine Krämer",
                "due_date": D(2022, 4, 30),
                "goals": [2],
                "status": M.DONE,
            },
        ],
    },
    "Ginsheim-Gustavsburg": {
        "status": P.SUBMITTED,
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2021, 2, 1),
            "members": [
                {
                    "name": "Nadine Schulz",
                    "email": "nadine.schulz@demo.innolab.de",
                    "department": "Hauptamt",
                    "function": "Zuständig für soziale Themen und Ehrenamt",
                },
                {
                    "name": "Hakan Aydın",
                    "email": "hakan.aydin@demo.innolab.de",
                    "department": "Wirtschaftsförderung",
                    "function": "Kontakt zu Unternehmen",
                },
            ],
        },
        "challenge": (
            "Die Strategie erreichte bei ihrer Entstehung zu wenige Beteiligte und ist kaum "
            "bekannt. Haupt- und Ehrenamt arbeiten nebeneinander, ein gemeinsames Gremium fehlt, "
            "Ginsheim und Gustavsburg sind in vielem getrennt, und alle sozialen Themen liegen "
            "bei einer einzigen Person im Hauptamt."
        ),
        "vision": (
            "Vielfalt und Integration sind in beiden Ortsteilen gemeinsame Sache von "
            "Verwaltung, Politik, Vereinen und Wirtschaft."
        ),
        "target_groups": (
            "Neu gewählte Fraktionen und künftige Verwaltungsspitze; Vereine, Ausländerbeirat, "
            "Beiräte für Kitas und Senior:innen; örtliche Unternehmen; Zugewanderte in "
            "Gustavsburg und Ginsheim."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.RELIGION, Dim.AGE, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Rund 70 bis 80 Vereine, Caritas, Ahmadiyya-Gemeinde, Ausländerbeirat, Kita- und "
            "Seniorenbeirat, Fraktionen, Wirtschaftsförderung und Unternehmen, IMAP."
        ),
        "mission_statement": (
            "Wir schaffen Grundstrukturen: mehr Personal für Vielfalt, Integration und Ehrenamt, "
            "eine Politik, die früh eingebunden ist, und einen Weg zu einem festen Gremium, das "
            "mit einem Basar der Vielfalt startet."
        ),
        "resources": (
            "Coaching der zuständigen Person durch IMAP; digitale Treffen; Konzept und Material "
            "für den Basar; eine neu beschlossene Stelle ab 2022."
        ),
        "risks": (
            "Unklare Mehrheiten nach der Kommunalwahl; Räume für Veranstaltungen werden für die "
            "Unterbringung Geflüchteter gebraucht; Überlastung der einen zuständigen Person."
        ),
        "goals": [
            {
                "statement": (
                    "Bis Mitte 2022 ist eine zusätzliche Stelle für Vielfalt, Integration und "
                    "Ehrenamt beschlossen."
                ),
                "indicator": "Beschlossene zusätzliche Stellen",
                "unit": "Stellen",
                "baseline": 0,
                "target": 1,
                "deadline": D(2022, 6, 30),
                "owner": "Nadine Schulz, Hauptamt",
                "achievability": "Aufgabenprofil mit IMAP erarbeitet; Gespräche mit Fraktionen.",
                "relevance": "Eine Person allein kann die Strategie nicht tragen.",
                "progress": [
                    (0, D(2021, 12, 15), "In den Haushaltsgesprächen 2021 keine Mehrheit."),
                    (1, D(2022, 3, 31), "Stelle beschlossen, angestoßen durch den Ukraine-Krieg."),
                ],
            },
            {
                "statement": (
                    "Noch 2021 tauschen sich die neuen Fraktionen und die Kandidat:innen für "
                    "das Bürgermeisteramt mit uns über Vielfalt und Integration aus."
                ),
                "indicator": "Austauschtreffen mit politischen Entscheider:innen",
                "unit": "Treffen",
                "baseline": 0,
                "target": 3,
                "deadline": D(2021, 12, 31),
                "owner": "Nadine Schulz, Hauptamt",
                "achievability": "Ergebnisse der Anfangsbefragung als Gesprächsgrundlage.",
                "relevance": "Ohne politische Rückendeckung entstehen weder Stelle noch Gremium.",
                "progress": [
                    (1, D(2021, 6, 22), "Erstes digitales Treffen mit den Fraktionen."),
                    (2, D(2021, 7, 13), "Zweites digitales Treffen."),
                    (3, D(2021, 11, 30), "Infotreffen mit allen drei Kandidat:innen."),
                ],
            },
            {
                "statement": (
                    "Bis Ende 2022 ist ein festes Gremium aus Verwaltung, Politik, "
                    "Zivilgesellschaft und Wirtschaft vorbereitet."
                ),
                "indicator": "Erledigte Schritte: Basar-Konzept, Fahrplan, Basar, Gründung",
                "unit": "Schritte",
                "baseline": 0,
                "target": 4,
                "deadline": D(2022, 12, 31),
                "owner": "Hakan Aydın, Wirtschaftsförderung",
                "achievability": "Konzept und Material für den Basar entstehen im Projekt.",
                "relevance": "Ein Gremium verbindet Haupt- und Ehrenamt beider Ortsteile.",
                "progress": [
                    (1, D(2021, 11, 30), "Basar-Konzept beim Austauschtreffen vorgestellt."),
                    (2, D(2022, 5, 31), "Fahrplan zur Systematisierung erstellt."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Aufgabenprofil für eine Stelle Vielfalt, Integration und Ehrenamt",
                "description": "Mögliche Aufgaben sammeln und als Entscheidungsgrundlage bündeln.",
                "responsible": "Nadine Schulz",
                "due_date": D(2021, 9, 30),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Digitale Austauschtreffen mit den Fraktionen",
                "description": "Befragungsergebnisse vorstellen und Unterstützung ausloten.",
                "responsible": "Nadine Schulz",
                "due_date": D(2021, 7, 31),
                "goals": [1],
                "status": M.DONE,
            },
            {
                "title": "Basar der Vielfalt",
                "description": (
                    "Großes Begegnungsfest aller Akteure und Zielgruppen als Auftakt für eine "
                    "feste Arbeitsgruppe; in Präsenz, wegen Pandemie und Raumbedarf verschoben."
                ),
                "responsible": "Nadine Schulz",
                "due_date": D(2022, 9, 30),
                "goals": [2],
                "status": M.PLANNED,
            },
            {
                "title": "Unternehmen als eigene Akteursgruppe einbinden",
                "description": "Interessierte Betriebe ansprechen und zum Basar einladen.",
                "responsible": "Hakan Aydın",
                "due_date": D(2022, 6, 30),
                "goals": [2],
                "status": M.IN_PROGRESS,
            },
        ],
    },
    "Heusenstamm": {
        "status": P.APPROVED,
        "shared_with_cohort": True,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2021, 3, 15),
            "members": [
                {
                    "name": "Fatma Yılmaz",
                    "email": "fatma.yilmaz@demo.innolab.de",
                    "department": "Integrationsbüro (Fachdienst Soziales)",
                    "function": "Integrationsbeauftragte",
                },
                {
                    "name": "Daniel Hoffmann",
                    "email": "daniel.hoffmann@demo.innolab.de",
                    "department": "Presse- und Öffentlichkeitsarbeit",
                    "function": "Kommunikation des Konzepts",
                },
            ],
        },
        "challenge": (
            "Das Konzept „Miteinander in Heusenstamm“ ist seit Februar 2021 beschlossen; jetzt "
            "braucht es ein Gremium, das seine Umsetzung begleitet. Gleichzeitig soll die "
            "laufende Arbeit mit Ehrenamt und Initiativen trotz Pandemie nicht abreißen."
        ),
        "vision": (
            "Ein Forum Vielfalt bringt neue Perspektiven aus der Stadtgesellschaft in die "
            "kommunale Vielfaltsarbeit und macht das Konzept zur gemeinsamen Sache."
        ),
        "target_groups": (
            "Zivilgesellschaftliche Organisationen, Fraueninitiative, Flüchtlingshilfe, "
            "Sportvereine; Stadtverordnete; die Öffentlichkeit."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.GENDER, Dim.RELIGION, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Integrationsbüro, Fraueninitiative Heusenstamm, Flüchtlingshilfe, Sportcoaches, "
            "Partnerschaft für Demokratie, Stadtverordnetenversammlung, IMAP."
        ),
        "mission_statement": (
            "Wir gründen mit einem durchdachten Konzept das Forum Vielfalt, machen das "
            "Vielfaltskonzept bekannt und halten Haupt- und Ehrenamt im Gespräch."
        ),
        "resources": (
            "Integrationsbüro mit der Integrationsbeauftragten; Presse- und "
            "Öffentlichkeitsarbeit; Beratung durch IMAP; Mittel der Partnerschaft für "
            "Demokratie für Veranstaltungen."
        ),
        "risks": "Der politische Beschluss zum Forum verzögert sich; Kontaktbeschränkungen.",
        "goals": [
            {
                "statement": (
                    "Bis Herbst 2022 ist das Forum Vielfalt beschlossen und hat seine "
                    "Auftaktsitzung gehabt."
                ),
                "indicator": (
                    "Erledigte Schritte: Konzept, Mitglieder und Rahmen, Beschluss, Auftakt"
                ),
                "unit": "Schritte",
                "baseline": 0,
                "target": 4,
                "deadline": D(2022, 10, 31),
                "owner": "Fatma Yılmaz, Integrationsbüro",
                "achievability": "Konzeptarbeit gemeinsam mit IMAP; Rückhalt der Stadtspitze.",
                "relevance": "Das Forum verankert das Konzept in der Stadtgesellschaft.",
                "progress": [
                    (1, D(2021, 9, 30), "Ziele und Aufgaben des Forums beschrieben."),
                    (2, D(2022, 2, 28), "Mitglieder, Ort, Takt und Arbeitsweise festgelegt."),
                    (2, D(2022, 6, 15), "Beschluss steht noch aus; Auftakt für Herbst geplant."),
                ],
            },
            {
                "statement": (
                    "Bis Mitte 2022 finden trotz Pandemie mindestens drei öffentliche Formate "
                    "zur Vielfaltsarbeit statt."
                ),
                "indicator": "Durchgeführte Formate (Diversity-Tag, Austauschrunde, Vorstellung)",
                "unit": "Formate",
                "baseline": 0,
                "target": 3,
                "deadline": D(2022, 6, 30),
                "owner": "Daniel Hoffmann, Presse- und Öffentlichkeitsarbeit",
                "achievability": "Digitale und kleine Formate; Kanäle der Stadt.",
                "relevance": "Sichtbarkeit hält Engagement und Konzept lebendig.",
                "progress": [
                    (1, D(2021, 5, 31), "Aktion zum Deutschen Diversity-Tag."),
                    (2, D(2021, 11, 30), "Austauschrunde von Haupt- und Ehrenamt."),
                ],
            },
            {
                "statement": (
                    "Bis Projektende sind vier Vertreter:innen der Zivilgesellschaft als "
                    "Vielfaltsmanager:innen ausgebildet."
                ),
                "indicator": "Ausgebildete Vielfaltsmanager:innen",
                "unit": "Personen",
                "baseline": 0,
                "target": 4,
                "deadline": D(2022, 6, 30),
                "owner": "Fatma Yılmaz, Integrationsbüro",
                "achievability": "Plätze in der Ausbildung des Projekts.",
                "relevance": "Sie tragen das Thema in ihre Organisationen.",
                "progress": [(4, D(2022, 3, 31), "Alle vier haben die Ausbildung abgeschlossen.")],
            },
        ],
        "measures": [
            {
                "title": "Konzept für das Forum Vielfalt",
                "description": "Ziele, Mitglieder, Ort, Takt und Arbeitsweise festlegen.",
                "responsible": "Fatma Yılmaz",
                "due_date": D(2022, 2, 28),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Auftaktsitzung des Forums Vielfalt",
                "description": "Nach dem Beschluss einladen und die erste Sitzung moderieren.",
                "responsible": "Fatma Yılmaz",
                "due_date": D(2022, 10, 31),
                "goals": [0],
                "status": M.PLANNED,
            },
            {
                "title": "Aktion zum Deutschen Diversity-Tag",
                "description": "Jährliche Aktion der Stadt zum Diversity-Tag der Charta.",
                "responsible": "Daniel Hoffmann",
                "due_date": D(2021, 5, 31),
                "goals": [1],
                "status": M.SUSTAINED,
            },
            {
                "title": "Austauschrunde von Haupt- und Ehrenamt",
                "description": "Treffen der Akteure der Integrationsarbeit, Konzept vorstellen.",
                "responsible": "Fatma Yılmaz",
                "due_date": D(2021, 11, 30),
                "goals": [1],
                "status": M.DONE,
            },
        ],
    },
    "Hofheim am Taunus": {
        "status": P.SUBMITTED,
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Erste:r Stadträt:in",
            "commitment_date": D(2021, 4, 15),
            "members": [
                {
                    "name": "Katrin Vogel",
                    "email": "katrin.vogel@demo.innolab.de",
                    "department": "Fachbereich Soziales",
                    "function": "Koordination Netzwerk Inklusion",
                },
                {
                    "name": "Michael Nowak",
                    "email": "michael.nowak@demo.innolab.de",
                    "department": "Personalamt",
                    "function": "Personalentwicklung",
                },
            ],
        },
        "challenge": (
            "Die breit beteiligte Strategie ist seit September 2020 beschlossen, doch die daraus "
            "entstandenen Arbeitsgruppen kommen in der Pandemie kaum zusammen. Die Verwaltung "
            "muss knappe Ressourcen gezielt einsetzen – nach außen im Netzwerk, nach innen bei "
            "Beschäftigten mit viel Kontakt zu Bürger:innen und in der Personalgewinnung."
        ),
        "vision": (
            "Hofheim ist eine Verwaltung, die Menschen jeder Herkunft kompetent begegnet, "
            "vielfältig einstellt und mit ihrem Netzwerk auf Augenhöhe zusammenarbeitet."
        ),
        "target_groups": (
            "Beschäftigte des Bürgerbüros und anderer Stellen mit viel Publikumsverkehr; "
            "Beschäftigte in der Personalauswahl; Mitglieder des Netzwerks Inklusion."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.ABILITY, Dim.RELIGION, Dim.AGE],
        "stakeholders": (
            "Netzwerk Inklusion, Bürgerbüro, Personalamt, Personalrat, Vereine und soziale "
            "Dienste, IMAP."
        ),
        "mission_statement": (
            "Wir geben dem Netzwerk Inklusion eine tragfähige Form, schulen Beschäftigte mit "
            "viel Bürger:innenkontakt interkulturell und machen die Personalauswahl "
            "vielfaltsbewusst."
        ),
        "resources": (
            "Zwei Netzwerk-Workshops und zwei Schulungen durch IMAP; Fortbildungsbudget des "
            "Personalamts; Freistellung der Teilnehmenden."
        ),
        "risks": (
            "Personalausfälle und Fluktuation erschweren Termine; Partikularinteressen im Netzwerk."
        ),
        "goals": [
            {
                "statement": (
                    "Das Netzwerk Inklusion hat bis Mitte 2022 eine verlässliche Form des "
                    "Austauschs mit mindestens zwei Treffen im Jahr."
                ),
                "indicator": "Netzwerktreffen im laufenden Jahr",
                "unit": "Treffen",
                "baseline": 0,
                "target": 2,
                "deadline": D(2022, 6, 30),
                "owner": "Katrin Vogel, Fachbereich Soziales",
                "achievability": "Zwei moderierte Workshops zum Selbstverständnis.",
                "relevance": "Inklusion braucht die Perspektiven der Netzwerkmitglieder.",
                "progress": [
                    (0, D(2021, 7, 15), "Workshop 1 zum Selbstverständnis des Netzwerks."),
                    (1, D(2021, 11, 25), "Workshop 2: statt Neuaufstellung zwei Treffen im Jahr."),
                    (2, D(2022, 5, 19), "Zweites Austauschtreffen gehalten."),
                ],
            },
            {
                "statement": (
                    "Bis Ende 2021 haben mindestens 15 Beschäftigte mit viel "
                    "Bürger:innenkontakt eine interkulturelle Schulung besucht."
                ),
                "indicator": "Geschulte Beschäftigte",
                "unit": "Personen",
                "baseline": 0,
                "target": 15,
                "deadline": D(2021, 12, 31),
                "owner": "Michael Nowak, Personalamt",
                "achievability": "Schulung durch IMAP, Termin mit dem Bürgerbüro abgestimmt.",
                "relevance": "Im Publikumsverkehr zeigt sich, ob alle fair bedient werden.",
                "progress": [(16, D(2021, 11, 10), "Schulung mit 16 Teilnehmenden.")],
            },
            {
                "statement": (
                    "Bis Mitte 2022 sind alle, die in der Stadtverwaltung Personal auswählen, "
                    "zu Diversität in der Personalgewinnung geschult."
                ),
                "indicator": "Geschulte Beschäftigte der Personalauswahl",
                "unit": "Personen",
                "baseline": 0,
                "target": 8,
                "deadline": D(2022, 6, 30),
                "owner": "Michael Nowak, Personalamt",
                "achievability": "Schulungsmodul von IMAP; Unterstützung der Amtsleitung.",
                "relevance": "Eine vielfältige Belegschaft öffnet die Verwaltung von innen.",
                "progress": [
                    (0, D(2022, 5, 31), "Schulung entfallen; Thema kurz in anderer Schulung."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Zwei Workshops zum Selbstverständnis des Netzwerks Inklusion",
                "description": "Rolle und Ziele klären, Form der Zusammenarbeit festlegen.",
                "responsible": "Katrin Vogel",
                "due_date": D(2021, 11, 30),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Interkulturelle Schulung für Bürgerbüro und Publikumsstellen",
                "description": (
                    "Kommunikation und Konflikte im Publikumsverkehr, Fallarbeit in "
                    "Kleingruppen, Austausch über schwierige Situationen im Alltag."
                ),
                "responsible": "Michael Nowak",
                "due_date": D(2021, 11, 30),
                "goals": [1],
                "status": M.DONE,
            },
            {
                "title": "Schulung Diversität in der Personalauswahl",
                "description": "Halbtägige Schulung für Beschäftigte in Auswahlverfahren.",
                "responsible": "Michael Nowak",
                "due_date": D(2022, 3, 31),
                "goals": [2],
                "status": M.DROPPED,
                "drop_reason": (
                    "Wegen Personalausfällen und Fluktuation ließ sich kein Termin abstimmen; "
                    "die Kernpunkte wurden kurz in der interkulturellen Schulung behandelt."
                ),
            },
            {
                "title": "Halbjährliche Austauschtreffen des Netzwerks Inklusion",
                "description": "Zweimal im Jahr, mit wechselnden Schwerpunkten.",
                "responsible": "Katrin Vogel",
                "due_date": D(2022, 12, 31),
                "goals": [0],
                "status": M.IN_PROGRESS,
            },
        ],
    },
    "Niedernhausen": {
        "status": P.DRAFT,
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2021, 3, 1),
            "members": [
                {
                    "name": "Mira Köhler",
                    "email": "mira.koehler@demo.innolab.de",
                    "department": "Integrationsbüro",
                    "function": "Integrationsbeauftragte",
                },
                {
                    "name": "Jan Pohl",
                    "email": "jan.pohl@demo.innolab.de",
                    "department": "Fachbereich Kinderbetreuung",
                    "function": "Verbindung zu Kitas und Schulen",
                },
            ],
        },
        "challenge": (
            "Die Strategie mit den Handlungsfeldern Sprache und Bildung, Arbeit und Beruf sowie "
            "Kultur, Soziales, Ehrenamt und Wohnen richtet sich bisher vor allem an Geflüchtete. "
            "Das Ehrenamt ist in der Pandemie geschrumpft, und die Stelle der "
            "Integrationsbeauftragten war zeitweise unbesetzt."
        ),
        "vision": (
            "Die Integrationsarbeit in Niedernhausen erreicht alle Zugewanderten und "
            "Neubürger:innen und wird von einem lebendigen Netzwerk getragen."
        ),
        "target_groups": (
            "Zugewanderte und Neubürger:innen über die Gruppe der Geflüchteten hinaus; "
            "Ehrenamtliche; Kitas und Schulen."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.AGE, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Lenkungsgruppe mit Verwaltung, Ortsvorstehern, Fraktionen, Kitas und Schulen, "
            "Kreisverwaltung und Gemeinschaftsunterkünften; Ehrenamtliche; IMAP."
        ),
        "mission_statement": (
            "Wir bringen die Lenkungsgruppe wieder zusammen, aktualisieren Bedarfe und "
            "Maßnahmen der Strategie für weitere Zielgruppen und verstetigen, was trägt."
        ),
        "resources": "Integrationsbeauftragte in Teilzeit; zwei Workshops mit IMAP.",
        "risks": (
            "Stellenwechsel im Integrationsbüro; weiter schrumpfendes Ehrenamt; Workshops "
            "lassen sich nicht terminieren."
        ),
        "goals": [
            {
                "statement": (
                    "Bis Ende 2021 tagt die Lenkungsgruppe wieder regelmäßig, mindestens dreimal."
                ),
                "indicator": "Sitzungen der Lenkungsgruppe",
                "unit": "Sitzungen",
                "baseline": 0,
                "target": 3,
                "deadline": D(2021, 12, 31),
                "owner": "Mira Köhler, Integrationsbüro",
                "achievability": "Einladung über den bestehenden Verteiler; IMAP moderiert.",
                "relevance": "Ohne Netzwerk bleibt die Strategie Sache einer Person.",
                "progress": [(0, D(2021, 10, 15), "Erster Workshop verschoben.")],
            },
            {
                "statement": (
                    "Bis März 2022 sind die Bedarfe in allen drei Handlungsfeldern für weitere "
                    "Zielgruppen aktualisiert."
                ),
                "indicator": "Handlungsfelder mit aktualisierten Bedarfen und Maßnahmen",
                "unit": "Handlungsfelder",
                "baseline": 0,
                "target": 3,
                "deadline": D(2022, 3, 31),
                "owner": "Mira Köhler, Integrationsbüro",
                "achievability": "Workshop mit der Lenkungsgruppe.",
                "relevance": "Die Strategie soll mehr Menschen erreichen als bisher.",
                "progress": [(0, D(2022, 1, 31), "Workshop erneut verschoben.")],
            },
            {
                # Left incomplete on purpose: a draft, and the page shows what S-M-A-R-T lacks.
                "statement": "Bewährte Strukturen und Maßnahmen werden verstetigt.",
                "indicator": "Verstetigte Maßnahmen",
                "unit": "Maßnahmen",
                "baseline": 0,
                "target": None,
                "deadline": None,
                "owner": "Mira Köhler, Integrationsbüro",
                "achievability": "",
                "relevance": "Was wirkt, soll nicht mit dem Projekt enden.",
                "progress": [
                    (0, D(2022, 1, 31), "Zielwert wird nach dem ersten Workshop gesetzt.")
                ],
            },
        ],
        "measures": [
            {
                "title": "Workshop 1: Bedarfe erfassen und Maßnahmen anstoßen",
                "description": "Mit der Lenkungsgruppe, moderiert von IMAP.",
                "responsible": "Mira Köhler",
                "due_date": D(2021, 10, 31),
                "goals": [0, 1],
                "status": M.DROPPED,
                "drop_reason": "Mehrfach verschoben und schließlich von der Gemeinde abgesagt.",
            },
            {
                "title": "Workshop 2: Maßnahmen überprüfen und verstetigen",
                "description": "Rückblick auf die Maßnahmen des ersten Workshops.",
                "responsible": "Mira Köhler",
                "due_date": D(2022, 4, 30),
                "goals": [2],
                "status": M.DROPPED,
                "drop_reason": "Abgesagt, weil der erste Workshop nicht stattfand.",
            },
            {
                "title": "Tandempartnerschaft mit einer anderen Projektkommune",
                "description": "Erfahrene Kolleg:in unterstützt die Einarbeitung.",
                "responsible": "Mira Köhler",
                "due_date": D(2021, 6, 30),
                "goals": [0],
                "status": M.DONE,
            },
        ],
    },
    "Rödermark": {
        "status": P.DRAFT,
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Erste:r Stadträt:in",
            "commitment_date": D(2021, 4, 1),
            "members": [
                {
                    "name": "Elif Arslan",
                    "email": "elif.arslan@demo.innolab.de",
                    "department": "Integrationsbüro",
                    "function": "Integrationsbeauftragte (Teilzeit)",
                },
                {
                    "name": "Thomas Berger",
                    "email": "thomas.berger@demo.innolab.de",
                    "department": "Fachbereich Soziales",
                    "function": "Fachbereichsleitung",
                },
            ],
        },
        "challenge": (
            "Die Zuständigkeiten für Vielfalt und Integration wurden auf mehrere Stellen neu "
            "verteilt, das Profil der neu besetzten Teilzeitstelle ist noch offen. Die "
            "Arbeitsgruppe Integration ruht, weil sie keinen Fokus fand."
        ),
        "vision": (
            "Ein fokussiertes Integrationsnetzwerk arbeitet gut vorbereitet an Themen, und in "
            "der Verwaltung weiß jede Stelle, wofür sie zuständig ist."
        ),
        "target_groups": (
            "Organisationen im Integrationsnetzwerk; Führungskräfte und Fachstellen der "
            "Verwaltung; die Integrationsbeauftragte selbst."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.RELIGION, Dim.SOCIAL_ORIGIN],
        "stakeholders": "Magistrat, Organisationen der früheren Arbeitsgruppe, IMAP.",
        "mission_statement": (
            "Wir starten das Netzwerk mit Jahresplan und klarem Sitzungsablauf neu und klären "
            "in einem Workshop, wer in der Verwaltung welche Rolle hat."
        ),
        "resources": (
            "Teilzeitstelle Integration; Einarbeitungsleitfaden und Mentoring aus einer "
            "anderen Projektkommune; Rollenworkshop mit IMAP."
        ),
        "risks": "Zu wenige Anmeldungen für Netzwerksitzungen; Wechsel auf der Stelle.",
        "goals": [
            {
                "statement": (
                    "Bis Mitte 2022 tagt das neu zusammengesetzte Netzwerk viermal zu je einem "
                    "Schwerpunktthema."
                ),
                "indicator": "Durchgeführte Netzwerksitzungen",
                "unit": "Sitzungen",
                "baseline": 0,
                "target": 4,
                "deadline": D(2022, 6, 30),
                "owner": "Elif Arslan, Integrationsbüro",
                "achievability": "Jahresplan, Sitzungsablauf und Magistratsbeschluss liegen vor.",
                "relevance": "Ein arbeitsfähiges Netzwerk trägt die Integrationsarbeit mit.",
                "progress": [
                    (0, D(2021, 11, 18), "Erste Sitzung mangels Anmeldungen abgesagt."),
                    (0, D(2022, 3, 24), "Zweite Sitzung ebenfalls abgesagt."),
                ],
            },
            {
                "statement": (
                    "Bis März 2022 sind die Zuständigkeiten im Bereich Integration geklärt und "
                    "die Integrationsbeauftragte ist eingearbeitet."
                ),
                "indicator": "Erledigte Bausteine: Leitfaden, Mentoring, Rollenworkshop",
                "unit": "Bausteine",
                "baseline": 0,
                "target": 3,
                "deadline": D(2022, 3, 31),
                "owner": "Thomas Berger, Fachbereich Soziales",
                "achievability": "Beide Führungsebenen haben den Auftrag mit formuliert.",
                "relevance": "Klare Rollen verhindern Doppelarbeit und Lücken.",
                "progress": [
                    (2, D(2021, 9, 30), "Leitfaden übergeben, Mentoring läuft."),
                    (3, D(2022, 2, 10), "Rollenworkshop mit beiden Führungsebenen."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Jahresplan und Sitzungsablauf für das Netzwerk",
                "description": "Themen fürs Jahr, Ablauf mit Vor- und Nachbereitung.",
                "responsible": "Elif Arslan",
                "due_date": D(2021, 9, 30),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Themenbezogene Netzwerksitzungen",
                "description": "Vier Sitzungen nach Jahresplan, moderiert vom Integrationsbüro.",
                "responsible": "Elif Arslan",
                "due_date": D(2022, 6, 30),
                "goals": [0],
                "status": M.IN_PROGRESS,
            },
            {
                "title": "Workshop zu Rollen und Aufgaben mit den Führungsebenen",
                "description": "Zuständigkeiten zwischen den Stellen klären und festhalten.",
                "responsible": "Thomas Berger",
                "due_date": D(2022, 2, 28),
                "goals": [1],
                "status": M.DONE,
            },
        ],
    },
    # ------------------------------------------------------------------------- kohorte-1 -----
    "Gernsheim": {
        "status": P.DRAFT,
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2020, 2, 10),
            "members": [
                {
                    "name": "Petra Lindner",
                    "email": "petra.lindner@demo.innolab.de",
                    "department": "Familienzentrum",
                    "function": "Aufbau des Familienzentrums",
                },
                {
                    "name": "Marco Rossi",
                    "email": "marco.rossi@demo.innolab.de",
                    "department": "Hauptamt",
                    "function": "Steuerungsgruppe der Strategie",
                },
            ],
        },
        "challenge": (
            "Die mit der Caritas erarbeitete Strategie ist noch nicht öffentlich. Das wichtigste "
            "Vorhaben, ein Familienzentrum für alle, bindet die wenigen Zuständigen fast "
            "vollständig."
        ),
        "vision": (
            "Gernsheim hat einen offenen Ort, an dem sich Jung und Alt, Alteingesessene und "
            "Zugewanderte begegnen, und eine Strategie, die alle kennen."
        ),
        "target_groups": "Familien, Senior:innen, Zugewanderte, die Stadtöffentlichkeit.",
        "dimensions": [Dim.AGE, Dim.ETHNIC_ORIGIN, Dim.SOCIAL_ORIGIN],
        "stakeholders": "Steuerungsgruppe, Caritas, Träger des Familienzentrums, IMAP.",
        "mission_statement": (
            "Wir eröffnen das Familienzentrum als ersten sichtbaren Schritt der Strategie und "
            "machen die Strategie danach öffentlich."
        ),
        "resources": "Personal und Räume für das Familienzentrum; Steuerungsgruppe.",
        "risks": "Überlastung der Zuständigen; Pandemie.",
        "goals": [
            {
                "statement": "Das Familienzentrum ist bis Ende 2020 eröffnet.",
                "indicator": "Erledigte Meilensteine: Konzept, Räume, Personal, Eröffnung",
                "unit": "Meilensteine",
                "baseline": 1,
                "target": 4,
                "deadline": D(2020, 12, 31),
                "owner": "Petra Lindner, Familienzentrum",
                "achievability": "Konzept steht, Räume sind gefunden.",
                "relevance": "Das Zentrum ist das Herzstück der Strategie.",
                "progress": [
                    (2, D(2020, 6, 30), "Räume hergerichtet."),
                    (4, D(2020, 11, 30), "Familienzentrum eröffnet."),
                ],
            },
            {
                "statement": "Die Strategie wird bis Ende 2020 in drei Formaten vorgestellt.",
                "indicator": "Öffentliche Vorstellungen der Strategie",
                "unit": "Formate",
                "baseline": 0,
                "target": 3,
                "deadline": D(2020, 12, 31),
                "owner": "Marco Rossi, Hauptamt",
                "achievability": "Website, Stadtblatt, Vorstellung im Familienzentrum.",
                "relevance": "Nur eine bekannte Strategie findet Mitstreiter:innen.",
                "progress": [(0, D(2020, 9, 30), "Zurückgestellt wegen Auslastung.")],
            },
        ],
        "measures": [
            {
                "title": "Familienzentrum für alle Generationen und Herkünfte eröffnen",
                "description": "Eröffnung und erstes Programm für alle Altersgruppen.",
                "responsible": "Petra Lindner",
                "due_date": D(2020, 12, 31),
                "goals": [0],
                "status": M.SUSTAINED,
            },
            {
                "title": "Strategie online und im Stadtblatt vorstellen",
                "description": "Kurzfassung, Website und Vorstellung im Familienzentrum.",
                "responsible": "Marco Rossi",
                "due_date": D(2020, 12, 31),
                "goals": [1],
                "status": M.DROPPED,
                "drop_reason": (
                    "Die Begleitung im Projekt wurde nicht fortgeführt: Familienzentrum und "
                    "Pandemie banden alle Kapazitäten."
                ),
            },
        ],
    },
    "Groß-Umstadt": {
        "status": P.ACTIVE,
        "shared_with_cohort": True,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2020, 2, 1),
            "members": [
                {
                    "name": "Leyla Haidari",
                    "email": "leyla.haidari@demo.innolab.de",
                    "department": "Migrationsbüro",
                    "function": "Koordination der Integrationsarbeit",
                },
                {
                    "name": "Stefan Brandt",
                    "email": "stefan.brandt@demo.innolab.de",
                    "department": "Fachbereich Soziales",
                    "function": "Fachbereichsleitung",
                },
            ],
        },
        "challenge": (
            "Das 2019 beteiligungsorientiert erstellte Konzept soll umgesetzt werden, aber mit "
            "der Pandemie sind Runder Tisch und Zusammenarbeit der Akteure weitgehend "
            "eingeschlafen. Das Migrationsbüro hat nur zwei Teilzeitkräfte."
        ),
        "vision": (
            "Haupt- und Ehrenamt, Migrant:innenorganisationen und Stadt gestalten Integration "
            "in Groß-Umstadt gemeinsam – vor Ort wie digital."
        ),
        "target_groups": (
            "Mitglieder des Runden Tisches; Migrant:innenorganisation MinZe; Zugewanderte aus "
            "Afghanistan, Syrien, dem Irak, der Türkei und weiteren Ländern."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.RELIGION, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Runder Tisch „Integration als kommunale Aufgabe“, MinZe, Ehrenamtliche, "
            "Migrationsbüro, IMAP."
        ),
        "mission_statement": (
            "Wir holen den Runden Tisch ins Digitale, stärken MinZe als Partner und bringen "
            "die ersten Maßnahmen des Konzepts in die Umsetzung."
        ),
        "resources": (
            "Migrationsbüro (zwei Teilzeitkräfte); Videokonferenzlizenz und Technikeinweisung; "
            "Prozessbegleitung durch IMAP."
        ),
        "risks": "Technikhürden bei Ehrenamtlichen; Datenschutzfragen bei Videokonferenzen.",
        "goals": [
            {
                "statement": "Bis Ende 2020 tagt der Runde Tisch mindestens viermal digital.",
                "indicator": "Digitale Sitzungen des Runden Tisches",
                "unit": "Sitzungen",
                "baseline": 0,
                "target": 4,
                "deadline": D(2020, 12, 31),
                "owner": "Leyla Haidari, Migrationsbüro",
                "achievability": "Technik wird gestellt, Teilnehmende werden eingewiesen.",
                "relevance": "Der Runde Tisch verankert die Integrationsarbeit in der Stadt.",
                "progress": [
                    (1, D(2020, 6, 18), "Erste digitale Sitzung nach Technikeinweisung."),
                    (3, D(2020, 10, 22), "Netzwerk arbeitet wieder zusammen."),
                    (4, D(2020, 12, 10), "Vierte Sitzung."),
                ],
            },
            {
                "statement": (
                    "Bis März 2021 ist MinZe fester Teil des Runden Tisches und hat an zwei "
                    "Sitzungen mitgewirkt."
                ),
                "indicator": "Sitzungen mit Beteiligung von MinZe",
                "unit": "Sitzungen",
                "baseline": 0,
                "target": 2,
                "deadline": D(2021, 3, 31),
                "owner": "Leyla Haidari, Migrationsbüro",
                "achievability": "Persönliche Einladung; MinZe ist seit dem Maskenprojekt aktiv.",
                "relevance": "Zugewanderte sprechen für sich selbst mit.",
                "progress": [
                    (1, D(2020, 12, 10), "MinZe stellt sich am Runden Tisch vor."),
                    (2, D(2021, 2, 25), "MinZe bringt eigene Vorschläge ein."),
                ],
            },
            {
                "statement": "Bis März 2021 sind drei Maßnahmen des Konzepts gestartet.",
                "indicator": "Gestartete Maßnahmen des Konzepts",
                "unit": "Maßnahmen",
                "baseline": 0,
                "target": 3,
                "deadline": D(2021, 3, 31),
                "owner": "Stefan Brandt, Fachbereich Soziales",
                "achievability": "Priorisierung anhand der Befragung zum Beteiligungsprozess.",
                "relevance": "Das Konzept muss im Alltag sichtbar werden.",
                "progress": [
                    (1, D(2020, 11, 30), "Priorisierung abgeschlossen, erste Maßnahme läuft."),
                    (3, D(2021, 3, 15), "Drei Maßnahmen in Umsetzung."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Runden Tisch digital aufstellen",
                "description": "Videokonferenztechnik bereitstellen, Teilnehmende einweisen.",
                "responsible": "Leyla Haidari",
                "due_date": D(2020, 6, 30),
                "goals": [0],
                "status": M.SUSTAINED,
            },
            {
                "title": "Befragung zum Beteiligungsprozess und Priorisierung",
                "description": "Befragung auswerten, Maßnahmen des Konzepts priorisieren.",
                "responsible": "Stefan Brandt",
                "due_date": D(2020, 11, 30),
                "goals": [2],
                "status": M.DONE,
            },
            {
                "title": "MinZe in den Runden Tisch einführen",
                "description": "Vorstellung, Patenschaft eines erfahrenen Mitglieds.",
                "responsible": "Leyla Haidari",
                "due_date": D(2020, 12, 31),
                "goals": [1],
                "status": M.DONE,
            },
            {
                "title": "Fünf Personen zu Vielfaltsmanager:innen ausbilden",
                "description": "Ausbildung im Projekt, Wissen in die Netzwerkarbeit tragen.",
                "responsible": "Leyla Haidari",
                "due_date": D(2021, 6, 30),
                "goals": [0, 1],
                "status": M.DONE,
            },
        ],
    },
    "Hainburg": {
        "status": P.ACTIVE,
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2020, 2, 20),
            "members": [
                {
                    "name": "Julia Wagner",
                    "email": "julia.wagner@demo.innolab.de",
                    "department": "Hauptamt",
                    "function": "Ansprechperson Vielfalt und Integration",
                },
                {
                    "name": "Luca Ferrari",
                    "email": "luca.ferrari@demo.innolab.de",
                    "department": "Kultur- und Vereinsförderung",
                    "function": "Kontakt zu Vereinen",
                },
            ],
        },
        "challenge": (
            "Hainburg hat keine feste Struktur für Vielfalt und Integration, und das Hauptamt "
            "ist knapp besetzt. Die Strategie „Zusammenhalt in Hainburg“ liegt in sechs "
            "Sprachen vor, ist aber wenig bekannt; Hainstadt und Klein-Krotzenburg leben eher "
            "nebeneinander als miteinander."
        ),
        "vision": (
            "Ein Hainburg, in dem beide Ortsteile, Alteingesessene und Zugezogene im Ehrenamt "
            "und in den Vereinen zusammenfinden."
        ),
        "target_groups": (
            "Zugezogene, Vereine und Ehrenamtliche in beiden Ortsteilen, Fachleute aus der "
            "Strategieentwicklung."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.AGE, Dim.RELIGION, Dim.SOCIAL_ORIGIN],
        "stakeholders": "Steuerungsgruppe, Vereine, Kirchen, andere Projektkommunen, IMAP.",
        "mission_statement": (
            "Wir planen die Umsetzung mit den Fachleuten der Strategie, laden Zugezogene ins "
            "Ehrenamt ein und lernen von anderen Kommunen."
        ),
        "resources": (
            "Arbeitszeit im Hauptamt; ehrenamtliche Arbeitsgruppe; digitale Treffen; "
            "Innovationszirkel des Projekts."
        ),
        "risks": (
            "Wechsel der Ansprechpersonen; lückenhafte Technik; Überlastung der Ehrenamtlichen."
        ),
        "goals": [
            {
                "statement": (
                    "Bis Ende 2020 sind mindestens fünf Maßnahmen priorisiert und in "
                    "Maßnahmensteckbriefen beschrieben."
                ),
                "indicator": "Maßnahmen mit fertigem Steckbrief",
                "unit": "Maßnahmen",
                "baseline": 0,
                "target": 5,
                "deadline": D(2020, 12, 31),
                "owner": "Julia Wagner, Hauptamt",
                "achievability": "Fachleute aus der Strategieentwicklung machen mit.",
                "relevance": "Priorisierte Maßnahmen machen die Strategie umsetzbar.",
                "progress": [
                    (0, D(2020, 5, 29), "Onlinebefragung trotz Lockdown abgeschlossen."),
                    (4, D(2020, 11, 19), "Workshop: vier Steckbriefe fertig."),
                    (5, D(2020, 12, 17), "Fünfter Steckbrief nachgereicht."),
                ],
            },
            {
                "statement": (
                    "Bis Frühjahr 2021 engagieren sich zehn Zugezogene neu in Vereinen oder "
                    "der Arbeitsgruppe."
                ),
                "indicator": "Neu engagierte Zugezogene",
                "unit": "Personen",
                "baseline": 0,
                "target": 10,
                "deadline": D(2021, 4, 30),
                "owner": "Luca Ferrari, Kultur- und Vereinsförderung",
                "achievability": "Vereine laden gezielt ein; die mehrsprachige Strategie hilft.",
                "relevance": "Ehrenamt verbindet Menschen über Ortsteile und Herkunft hinweg.",
                "progress": [
                    (2, D(2020, 10, 31), "Kaum Vereinsleben wegen Pandemie."),
                    (6, D(2021, 4, 15), "Neue Mitglieder in der Arbeitsgruppe und in Vereinen."),
                ],
            },
            {
                "statement": (
                    "Bis Frühjahr 2021 nehmen wir an mindestens drei kommunenübergreifenden "
                    "Austauschformaten teil."
                ),
                "indicator": "Teilnahmen an Innovationszirkeln und Austauschrunden",
                "unit": "Teilnahmen",
                "baseline": 0,
                "target": 3,
                "deadline": D(2021, 4, 30),
                "owner": "Julia Wagner, Hauptamt",
                "achievability": "Digitale Formate des Projekts.",
                "relevance": "Andere Kommunen haben ähnliche Aufgaben schon gelöst.",
                "progress": [
                    (2, D(2020, 11, 30), "Zwei Innovationszirkel besucht."),
                    (3, D(2021, 3, 31), "Austauschrunde der Strategieverantwortlichen."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Workshop zur Priorisierung mit Maßnahmensteckbriefen",
                "description": "Fachleute aus der Strategieentwicklung wählen Maßnahmen aus.",
                "responsible": "Julia Wagner",
                "due_date": D(2020, 11, 30),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Arbeitsgruppe „Zusammenhalt in Hainburg“",
                "description": (
                    "Feste Gruppe für die Umsetzung; Treffen in größeren Abständen, dazwischen "
                    "Teilgruppen zu einzelnen Maßnahmen."
                ),
                "responsible": "Julia Wagner",
                "due_date": D(2021, 3, 31),
                "goals": [0, 1],
                "status": M.SUSTAINED,
            },
            {
                "title": "Vereine laden Zugezogene zum Mitmachen ein",
                "description": "Gemeinsame Einladung der Vereine beider Ortsteile.",
                "responsible": "Luca Ferrari",
                "due_date": D(2021, 6, 30),
                "goals": [1],
                "status": M.IN_PROGRESS,
            },
            {
                "title": "Unterzeichnung der Charta der Vielfalt prüfen",
                "description": "Vorschlag aus der Arbeitsgruppe in die Gremien bringen.",
                "responsible": "Bürgermeister:in mit Hauptamt",
                "due_date": D(2021, 12, 31),
                "goals": [2],
                "status": M.PLANNED,
            },
        ],
    },
    "Michelstadt": {
        "status": P.ACTIVE,
        "shared_with_cohort": True,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2020, 2, 15),
            "members": [
                {
                    "name": "Anna Lehmann",
                    "email": "anna.lehmann@demo.innolab.de",
                    "department": "Stabsstelle Integration",
                    "function": "Jugend- und Integrationsbeauftragte",
                },
                {
                    "name": "Robert Sauer",
                    "email": "robert.sauer@demo.innolab.de",
                    "department": "Haupt- und Personalamt",
                    "function": "Arbeitsgruppe Verwaltung",
                },
            ],
        },
        "challenge": (
            "Das Konzept „WIR sind Michelstadt“ ist seit Dezember 2019 beschlossen, aber noch "
            "wenig bekannt, und für seine Umsetzung fehlen feste Strukturen. Die Stabsstelle "
            "Integration trägt das Querschnittsthema bislang weitgehend allein."
        ),
        "vision": (
            "Michelstadt hält zusammen: Verwaltung, Schulen, Ausländerbeirat und "
            "Zivilgesellschaft setzen das Konzept gemeinsam um."
        ),
        "target_groups": (
            "Akteure aus Verwaltung und Zivilgesellschaft; Jugendliche; Schulen; "
            "Ausländerbeirat; interessierte Bürger:innen."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.AGE, Dim.RELIGION, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Steuerungsgruppe, Ausländerbeirat, Schulen, Jugendarbeit, Vereine, IMAP."
        ),
        "mission_statement": (
            "Wir machen das Konzept bekannt, setzen die Steuerungsgruppe neu ein und gründen "
            "Arbeitsgruppen für einzelne Handlungsfelder."
        ),
        "resources": "Stabsstelle Integration; Newsletter; Onlinekonferenz mit IMAP.",
        "risks": "Ehrenamtliche Mitglieder springen ab; Arbeitsgruppen verlieren Schwung.",
        "goals": [
            {
                "statement": (
                    "Bis Anfang 2021 erreicht ein Newsletter zur Vielfaltsarbeit mindestens "
                    "150 Abonnent:innen."
                ),
                "indicator": "Abonnent:innen des Newsletters",
                "unit": "Personen",
                "baseline": 0,
                "target": 150,
                "deadline": D(2021, 3, 31),
                "owner": "Anna Lehmann, Stabsstelle Integration",
                "achievability": "Verteiler der Onlinekonferenz und der Steuerungsgruppe.",
                "relevance": "Wer informiert ist, kann sich beteiligen.",
                "progress": [
                    (45, D(2020, 9, 30), "Start nach der Onlinekonferenz."),
                    (110, D(2021, 1, 31), "Viele Anmeldungen über Vereine."),
                ],
            },
            {
                "statement": (
                    "Bis März 2021 arbeiten eine neu besetzte Steuerungsgruppe und zwei "
                    "Arbeitsgruppen regelmäßig an der Umsetzung."
                ),
                "indicator": "Regelmäßig tagende Gremien",
                "unit": "Gremien",
                "baseline": 0,
                "target": 3,
                "deadline": D(2021, 3, 31),
                "owner": "Anna Lehmann, Stabsstelle Integration",
                "achievability": "Rollenklärung mit IMAP; feste Termine.",
                "relevance": "Strukturen machen die Umsetzung unabhängig von Einzelnen.",
                "progress": [
                    (1, D(2020, 10, 29), "Steuerungsgruppe neu besetzt und Rollen geklärt."),
                    (3, D(2021, 2, 25), "Arbeitsgruppen Schule und Verwaltung gegründet."),
                ],
            },
            {
                "statement": (
                    "Bis März 2021 sitzen mindestens acht Vertreter:innen der "
                    "Zivilgesellschaft in der Steuerungsgruppe."
                ),
                "indicator": "Zivilgesellschaftliche Mitglieder der Steuerungsgruppe",
                "unit": "Personen",
                "baseline": 3,
                "target": 8,
                "deadline": D(2021, 3, 31),
                "owner": "Robert Sauer, Haupt- und Personalamt",
                "achievability": "Ausländerbeirat und weitere Akteure gezielt angesprochen.",
                "relevance": "Vielfaltsarbeit lebt vom Engagement der Stadtgesellschaft.",
                "progress": [(7, D(2020, 10, 29), "Neue Zusammensetzung mit Ausländerbeirat.")],
            },
        ],
        "measures": [
            {
                "title": "Onlinekonferenz zur Vorstellung des Konzepts",
                "description": "Konzept vorstellen, Ideen für erste Maßnahmen sammeln.",
                "responsible": "Anna Lehmann",
                "due_date": D(2020, 9, 30),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Newsletter zur Vielfaltsarbeit",
                "description": "Regelmäßige Informationen aus Stadt und Initiativen.",
                "responsible": "Anna Lehmann",
                "due_date": D(2020, 10, 31),
                "goals": [0],
                "status": M.SUSTAINED,
            },
            {
                "title": "Steuerungsgruppe neu einsetzen",
                "description": "Mit Ausländerbeirat und weiteren Akteuren, inkl. Rollenklärung.",
                "responsible": "Anna Lehmann",
                "due_date": D(2020, 10, 31),
                "goals": [1, 2],
                "status": M.DONE,
            },
            {
                "title": "Begegnungsort und Jugendforum prüfen",
                "description": "Ideen aus der Konferenz: Stadtteilbüro und Jugendraum.",
                "responsible": "Robert Sauer",
                "due_date": D(2021, 9, 30),
                "goals": [2],
                "status": M.IN_PROGRESS,
            },
        ],
    },
    "Neu-Isenburg": {
        "status": P.APPROVED,
        "shared_with_cohort": False,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2020, 1, 31),
            "members": [
                {
                    "name": "Claire Dubois",
                    "email": "claire.dubois@demo.innolab.de",
                    "department": "Integrationsbüro",
                    "function": "Integrationsbeauftragte",
                },
                {
                    "name": "Philipp Weber",
                    "email": "philipp.weber@demo.innolab.de",
                    "department": "Fachbereich Stadtentwicklung",
                    "function": "Handlungsfeld Stadtentwicklung",
                },
            ],
        },
        "challenge": (
            "Das neue Integrationskonzept liegt nur als Entwurf vor, und die Stelle der "
            "Integrationsbeauftragten wurde kurz nach dem Start wieder frei. Vieles hängt an "
            "wenigen Schlüsselpersonen; die geplanten vier Arbeitsgruppen kommen in der "
            "Pandemie nicht zustande."
        ),
        "vision": (
            "Neu-Isenburg knüpft an seine Geschichte als Stadt der Zugewanderten an: Ein "
            "beschlossenes Konzept und ein Aktionsplan machen Integration zur Sache aller "
            "Handlungsfelder."
        ),
        "target_groups": (
            "Verwaltung, Akteure der Zivilgesellschaft, Steuerungsgruppe, Zugewanderte in den "
            "vier Handlungsfeldern: Sprache und Bildung, Arbeit und Wirtschaft, "
            "Stadtentwicklung, bürgerschaftliches Engagement."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.RELIGION, Dim.SOCIAL_ORIGIN],
        "stakeholders": (
            "Bürgermeister:in und Verwaltungsspitze, Steuerungsgruppe, Integrationsbeauftragte "
            "anderer Kommunen, IMAP."
        ),
        "mission_statement": (
            "Wir arbeiten die neue Integrationsbeauftragte gut ein, bringen das Konzept zum "
            "Beschluss und legen einen Aktionsplan für das erste Jahr vor."
        ),
        "resources": (
            "Stelle der Integrationsbeauftragten; Handreichungen und Reflexionsgespräche von "
            "IMAP; Kontakte zu anderen Kommunen."
        ),
        "risks": "Personelle Wechsel und Ausfälle; Unsicherheit mit digitalen Formaten.",
        "goals": [
            {
                "statement": (
                    "Bis September 2021 ist das Integrationskonzept überarbeitet, beschlossen "
                    "und veröffentlicht."
                ),
                "indicator": "Erledigte Schritte: Überarbeitung, Beschluss, Veröffentlichung",
                "unit": "Schritte",
                "baseline": 0,
                "target": 3,
                "deadline": D(2021, 9, 30),
                "owner": "Claire Dubois, Integrationsbüro",
                "achievability": "Reflexionsgespräche mit IMAP; Rückhalt der Stadtspitze.",
                "relevance": "Erst ein beschlossenes Konzept bindet alle Fachbereiche.",
                "progress": [
                    (1, D(2020, 12, 15), "Konzept überarbeitet und ergänzt."),
                    (3, D(2021, 6, 30), "Beschlossen und veröffentlicht."),
                ],
            },
            {
                "statement": (
                    "Die neue Integrationsbeauftragte ist binnen sechs Monaten mit allen "
                    "Einarbeitungsbausteinen vertraut."
                ),
                "indicator": "Erledigte Bausteine: Handreichungen, Kontakte, Reflexion",
                "unit": "Bausteine",
                "baseline": 0,
                "target": 3,
                "deadline": D(2021, 3, 31),
                "owner": "Philipp Weber, Fachbereich Stadtentwicklung",
                "achievability": "Handreichungen von IMAP; Austausch im Innovationszirkel.",
                "relevance": "Eine gut eingearbeitete Person sichert Kontinuität.",
                "progress": [
                    (2, D(2020, 11, 30), "Handreichungen und Kontakte vermittelt."),
                    (3, D(2021, 2, 26), "Regelmäßige Reflexionsgespräche laufen."),
                ],
            },
            {
                "statement": (
                    "Bis Ende 2021 liegt ein Aktionsplan mit mindestens fünf Projekten für "
                    "das Folgejahr vor."
                ),
                "indicator": "Projekte im Aktionsplan",
                "unit": "Projekte",
                "baseline": 0,
                "target": 5,
                "deadline": D(2021, 12, 31),
                "owner": "Claire Dubois, Integrationsbüro",
                "achievability": "Maßnahmen aus dem Konzept; Vorstellung in einer Onlinesitzung.",
                "relevance": "Der Aktionsplan macht das Konzept konkret.",
                "progress": [(6, D(2021, 10, 28), "Aktionsplan online vorgestellt.")],
            },
        ],
        "measures": [
            {
                "title": "Digitale Sitzungen der Steuerungsgruppe",
                "description": "Von IMAP moderiert, dazu ein Austausch mit Zivilgesellschaft.",
                "responsible": "Philipp Weber",
                "due_date": D(2020, 9, 30),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Vier Arbeitsgruppen für die Handlungsfelder gründen",
                "description": "Je eine für Sprache und Bildung, Arbeit, Stadt und Engagement.",
                "responsible": "Claire Dubois",
                "due_date": D(2020, 12, 31),
                "goals": [0],
                "status": M.DROPPED,
                "drop_reason": (
                    "Digital nicht tragfähig; die Steuerungsgruppe übernimmt, bis Treffen vor "
                    "Ort wieder möglich sind."
                ),
            },
            {
                "title": "Einarbeitung der neuen Integrationsbeauftragten",
                "description": "Handreichungen, Kontakte zu anderen Kommunen, Reflexion.",
                "responsible": "Philipp Weber",
                "due_date": D(2021, 3, 31),
                "goals": [1],
                "status": M.DONE,
            },
            {
                "title": "Aktionsplan für das erste Jahr nach dem Beschluss",
                "description": "Projekte auswählen und in einer Onlinesitzung vorstellen.",
                "responsible": "Claire Dubois",
                "due_date": D(2021, 10, 31),
                "goals": [2],
                "status": M.DONE,
            },
        ],
    },
    "Rodgau": {
        "status": P.ACTIVE,
        "shared_with_cohort": True,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2020, 4, 15),
            "members": [
                {
                    "name": "Hannah Scholz",
                    "email": "hannah.scholz@demo.innolab.de",
                    "department": "Büro für Teilhabe und Vielfalt",
                    "function": "Leitung des Büros",
                },
                {
                    "name": "Samuel Mensah",
                    "email": "samuel.mensah@demo.innolab.de",
                    "department": "Fachdienst Kindertagesstätten",
                    "function": "Kita-Fachberatung",
                },
            ],
        },
        "challenge": (
            "Rodgau hat ein Büro für Teilhabe und Vielfalt, einen Arbeitskreis Vielfalt und eine "
            "breit unterzeichnete Vielfaltserklärung. Der Arbeitskreis versteht sich aber eher "
            "als Ideengeber denn als Gestalter, und die ausführliche Strategie mit "
            "Handlungsfeldern fehlt noch."
        ),
        "vision": (
            "Ein Arbeitskreis Vielfalt, der selbst Maßnahmen umsetzt, und eine beschlossene "
            "Strategie, die Vielfalt intersektional denkt – für alle Generationen."
        ),
        "target_groups": (
            "Senior:innen, Jugendliche, Familien, Geflüchtete und Zugewanderte, Neuzugezogene; "
            "Mitglieder des Arbeitskreises."
        ),
        "dimensions": [
            Dim.AGE,
            Dim.ETHNIC_ORIGIN,
            Dim.GENDER,
            Dim.ABILITY,
            Dim.SOCIAL_ORIGIN,
        ],
        "stakeholders": (
            "Arbeitskreis Vielfalt, rund 100 Unterzeichner-Organisationen der "
            "Vielfaltserklärung, Kita-Fachberatung, Vielfaltsmanager:innen, Politik, IMAP."
        ),
        "mission_statement": (
            "Wir machen den Arbeitskreis arbeitsfähig – mit Kleingruppen, neuen Mitgliedern und "
            "eigenen Maßnahmen – und schreiben die Strategie zur Vielfaltserklärung aus."
        ),
        "resources": (
            "Büro für Teilhabe und Vielfalt; moderierte Sitzungen durch IMAP; Engagement der "
            "Arbeitskreismitglieder."
        ),
        "risks": "Leitungswechsel im Büro; Pandemie; Überforderung Ehrenamtlicher.",
        "goals": [
            {
                "statement": (
                    "Bis März 2021 arbeiten fünf thematische Kleingruppen des Arbeitskreises "
                    "an eigenen Maßnahmen."
                ),
                "indicator": "Aktive Kleingruppen",
                "unit": "Kleingruppen",
                "baseline": 0,
                "target": 5,
                "deadline": D(2021, 3, 31),
                "owner": "Hannah Scholz, Büro für Teilhabe und Vielfalt",
                "achievability": "Moderierter Austausch zu Rollen und Erwartungen.",
                "relevance": "Aus Ideengebern werden Gestalter:innen.",
                "progress": [
                    (0, D(2020, 6, 30), "Sitzungen laufen digital weiter."),
                    (3, D(2020, 11, 26), "Senior:innen, Jugend, Flucht und Migration."),
                    (5, D(2021, 2, 25), "Familie und Öffentlichkeitsarbeit kommen hinzu."),
                ],
            },
            {
                "statement": "Bis Mitte 2021 gewinnt der Arbeitskreis fünf neue Mitglieder.",
                "indicator": "Neue Mitglieder",
                "unit": "Personen",
                "baseline": 0,
                "target": 5,
                "deadline": D(2021, 6, 30),
                "owner": "Samuel Mensah, Fachdienst Kindertagesstätten",
                "achievability": "Vielfaltsmanager:innen und Kita-Fachberatung ansprechen.",
                "relevance": "Neue Perspektiven machen den Arbeitskreis vielfältiger.",
                "progress": [
                    (1, D(2020, 9, 30), "Kita-Fachberatung dabei."),
                    (5, D(2021, 4, 29), "Vier Vielfaltsmanager:innen kommen dazu."),
                ],
            },
            {
                "statement": (
                    "Bis Juni 2021 liegt die ausgeschriebene Vielfaltsstrategie der Politik zur "
                    "Abstimmung vor."
                ),
                "indicator": "Erledigte Schritte: Entwurf, Beratung, Vorlage, Beschluss",
                "unit": "Schritte",
                "baseline": 0,
                "target": 4,
                "deadline": D(2021, 6, 30),
                "owner": "Hannah Scholz, Büro für Teilhabe und Vielfalt",
                "achievability": "Beratung durch IMAP zu Beteiligung und Politik.",
                "relevance": "Die Strategie gibt der Erklärung Handlungsfelder und Maßnahmen.",
                "progress": [
                    (1, D(2020, 12, 15), "Erster Entwurf geschrieben."),
                    (3, D(2021, 5, 20), "Der Politik zur Abstimmung vorgelegt."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Arbeitskreis-Sitzungen digital und flexibel",
                "description": "Moderiert, je nach Lage vor Ort oder online, alle 6–8 Wochen.",
                "responsible": "Hannah Scholz",
                "due_date": D(2020, 6, 30),
                "goals": [0],
                "status": M.SUSTAINED,
            },
            {
                "title": "Stadtspaziergänge für verschiedene Zielgruppen",
                "description": "Für Senior:innen, Neuzugezogene und Familien.",
                "responsible": "Hannah Scholz",
                "due_date": D(2021, 9, 30),
                "goals": [0],
                "status": M.IN_PROGRESS,
            },
            {
                "title": "Bedarfsabfrage und Angebotsübersicht für Senior:innen",
                "description": "Kleingruppe Senior:innen fragt Bedarfe ab und veröffentlicht.",
                "responsible": "Samuel Mensah",
                "due_date": D(2021, 12, 31),
                "goals": [0, 1],
                "status": M.PLANNED,
            },
            {
                "title": "Vielfaltsstrategie ausschreiben",
                "description": "Aus Erklärung, Beteiligung und Arbeitskreis-Ergebnissen.",
                "responsible": "Hannah Scholz",
                "due_date": D(2021, 5, 31),
                "goals": [2],
                "status": M.DONE,
            },
        ],
    },
    "Seligenstadt": {
        "status": P.ACTIVE,
        "shared_with_cohort": True,
        "tandem": {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": D(2020, 2, 1),
            "members": [
                {
                    "name": "Martina Roth",
                    "email": "martina.roth@demo.innolab.de",
                    "department": "Amt für Soziale Infrastruktur",
                    "function": "Amtsleitung",
                },
                {
                    "name": "Kevin Lang",
                    "email": "kevin.lang@demo.innolab.de",
                    "department": "Personalamt",
                    "function": "Fortbildung und interne Öffnung",
                },
            ],
        },
        "challenge": (
            "Das Konzept „Zusammen.Leben.Seligenstadt“ ist fertig, aber pandemiebedingt noch "
            "nicht formal beschlossen. Eine feste Arbeitsgruppe für die Umsetzung ist "
            "vorgesehen, und die Verwaltung selbst soll sich stärker für Vielfalt öffnen."
        ),
        "vision": (
            "In Seligenstadt trägt eine breite Arbeitsgruppe die Umsetzung mit, und eine "
            "vielfaltsbewusste Verwaltung ist für alle Bürger:innen gut erreichbar."
        ),
        "target_groups": (
            "Engagierte aus Kirchen, Sportvereinen und dem Arbeitskreis Flüchtlinge; "
            "Beschäftigte der Verwaltung; Menschen mit Behinderung in der Innenstadt."
        ),
        "dimensions": [Dim.ETHNIC_ORIGIN, Dim.ABILITY, Dim.AGE, Dim.RELIGION],
        "stakeholders": (
            "Steuerungsgruppe der Konzeptentwicklung, Arbeitskreis Flüchtlinge, Kirchen, "
            "Sportvereine, Hauptamt, IMAP."
        ),
        "mission_statement": (
            "Wir gründen die Arbeitsgruppe Vielfalt, planen mit ihr konkrete Maßnahmen und "
            "setzen sie um, und wir öffnen die Verwaltung mit einem Vielfaltstraining."
        ),
        "resources": (
            "Amt für Soziale Infrastruktur; Fortbildungsmittel des Personalamts; Workshop zur "
            "Feinplanung mit IMAP; sieben neue Vielfaltsmanager:innen."
        ),
        "risks": "Pandemie; Ehrenamtliche überlastet; zu wenig Sichtbarkeit der Aktivitäten.",
        "goals": [
            {
                "statement": (
                    "Bis Anfang 2021 arbeitet eine Arbeitsgruppe Vielfalt mit mindestens 15 "
                    "Mitgliedern und beschriebener Rolle."
                ),
                "indicator": "Mitglieder der Arbeitsgruppe Vielfalt",
                "unit": "Personen",
                "baseline": 0,
                "target": 15,
                "deadline": D(2021, 3, 31),
                "owner": "Martina Roth, Amt für Soziale Infrastruktur",
                "achievability": "Schlüsselpersonen der Konzeptentwicklung sind dabei.",
                "relevance": "Die Gruppe sichert die Umsetzung auf breiten Schultern.",
                "progress": [
                    (8, D(2020, 9, 24), "Arbeitsgruppe konstituiert."),
                    (15, D(2021, 2, 18), "Sieben Vielfaltsmanager:innen kommen hinzu."),
                ],
            },
            {
                "statement": (
                    "Bis März 2021 haben 15 Verwaltungsbeschäftigte ein Vielfaltstraining besucht."
                ),
                "indicator": "Geschulte Beschäftigte",
                "unit": "Personen",
                "baseline": 0,
                "target": 15,
                "deadline": D(2021, 3, 31),
                "owner": "Kevin Lang, Personalamt",
                "achievability": "Training durch IMAP, Freistellung durch die Amtsleitungen.",
                "relevance": "Interne Öffnung beginnt bei den Beschäftigten.",
                "progress": [(13, D(2021, 1, 28), "Training durchgeführt.")],
            },
            {
                "statement": (
                    "Die Abschlussbefragung erreicht mehr Menschen als die Anfangsbefragung."
                ),
                "indicator": "Teilnehmende an der Onlinebefragung",
                "unit": "Personen",
                "baseline": 58,
                "target": 75,
                "deadline": D(2021, 4, 30),
                "owner": "Martina Roth, Amt für Soziale Infrastruktur",
                "achievability": "Verteiler der Arbeitsgruppe und der Vereine.",
                "relevance": "Ein wachsender Kreis zeigt, dass die Vernetzung trägt.",
                "progress": [
                    (58, D(2020, 4, 30), "Anfangsbefragung zu Beginn der Pandemie."),
                    (83, D(2021, 3, 31), "Abschlussbefragung: mehr und vielfältigere Stimmen."),
                ],
            },
        ],
        "measures": [
            {
                "title": "Workshop zur Feinplanung von Maßnahmen",
                "description": "Mit der Arbeitsgruppe Maßnahmen auswählen und verteilen.",
                "responsible": "Martina Roth",
                "due_date": D(2020, 10, 31),
                "goals": [0],
                "status": M.DONE,
            },
            {
                "title": "Rampenbau für eine barrierefreie Innenstadt",
                "description": "Rampen an Eingängen der Innenstadt, damit alle hineinkommen.",
                "responsible": "Martina Roth",
                "due_date": D(2021, 6, 30),
                "goals": [0],
                "status": M.SUSTAINED,
            },
            {
                "title": "Selbstbeschreibung und Takt der Arbeitsgruppe",
                "description": "Rolle und Mitverantwortung festhalten, Treffen anpassen.",
                "responsible": "Martina Roth",
                "due_date": D(2021, 3, 31),
                "goals": [0, 2],
                "status": M.DONE,
            },
            {
                "title": "Vielfaltstraining für Verwaltungsbeschäftigte",
                "description": "Sensibilisierung und Austausch zur internen Öffnung.",
                "responsible": "Kevin Lang",
                "due_date": D(2021, 1, 31),
                "goals": [1],
                "status": M.DONE,
            },
        ],
    },
}

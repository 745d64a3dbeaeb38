"""The demo world that `manage.py seed_demo` builds: three labs, their cohorts, municipalities and
one login per role.

The facts come from the public documents of the three programmes (the InnoLab Vielfalt whitepaper
and news item, the ECCAR project page "Kommunen für alle?" and the final report 2022 of the Hessen
project "Vielfaltsorientierung in hessischen Kommunen"). Every text below is our own short
paraphrase, not a quotation. Nothing here is read from those documents at runtime.

Conventions:
- Gender-inclusive forms follow each source: "*" for the InnoLab and ECCAR texts, ":" for the
  Hessen report.
- Hessen: district ("Lage") and population ("Einwohnerzahl") are as printed in the report's
  individual chapters (4.3.x), with one deliberate exception noted at Niedernhausen. The report
  gives the reference of each figure only as month/year ("12/2020"); a DateField needs a day, so
  we store the last day of that month (12/2020 -> 2020-12-31, 06/2021 -> 2021-06-30,
  01/2020 -> 2020-01-31).
- AGS (official 8-digit key) is filled in only where we could confirm it; everything else is left
  blank on purpose, because a wrong key is worse than none.
"""

import datetime as dt

from .models import LabRole, ParticipationStatus, State

DEMO_PASSWORD = "innolab-demo-2025"

INNOLAB = "innolab-vielfalt"
ECCAR = "kommunen-fuer-alle"
HESSEN = "vielfalt-hessen"

_HESSEN_PROGRAMME = "Vielfaltsorientierung in hessischen Kommunen"


LABS = [
    {
        "slug": INNOLAB,
        "name": "InnoLab Vielfalt",
        "organiser": "Kompetenzzentrum Technik-Diversity-Chancengleichheit e. V., Bielefeld",
        "description": (
            "Das „Innovationslab Mission Vielfalt“ ist im Januar 2025 als Innovationsprojekt "
            "gestartet. Es bietet Kommunen einen geschützten Lern- und Experimentierraum, in dem "
            "ressortübergreifende Tandems eigene Missionen für eine diskriminierungssensible, "
            "vielfaltsoffene Verwaltung entwickeln – von der Vision über SMART-Ziele bis zur "
            "Mission – und in den Verwaltungsalltag tragen.\n\n"
            "Die Koordinierungsstelle gestaltet den Prozess, vernetzt die Kommunen untereinander "
            "und begleitet die Arbeit mit einer formativen Selbstevaluation. Schwerpunkte sind "
            "die Sensibilisierung für individuelle und strukturelle Diskriminierung, neue Ansätze "
            "gegen Gruppenbezogene Menschenfeindlichkeit und der interkommunale Austausch."
        ),
        "funding_acknowledgement": (
            "Das InnoLab Vielfalt erhält Fördermittel des Bundesministeriums für Bildung, Familie, "
            "Senioren, Frauen und Jugend (BMBFSFJ) aus dem Bundesprogramm „Demokratie leben!“."
        ),
        "cohorts": [
            {
                "slug": "2025",
                "name": "Kohorte 2025",
                # The lab started in January 2025; the whitepaper reports on this first year.
                "start_date": dt.date(2025, 1, 1),
                "end_date": dt.date(2025, 12, 31),
                "description": (
                    "Erstes Projektjahr: Aufbau der Tandems, Kick-off, Planning-Workshops zu den "
                    "Missionen, Online-Seminare und kollegiale Fallberatung."
                ),
            },
        ],
        # The whitepaper and the news item name no participating municipality. So that the cohort
        # dashboard has something to show, the demo uses three clearly fictitious places.
        "municipalities": [
            {
                "name": name,
                "state": state,
                "district": district,
                "ags": "",
                "population": None,
                "population_date": None,
                "cohort": "2025",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Fiktive Demo-Kommune: Die Veröffentlichungen des InnoLab Vielfalt nennen "
                    "keine teilnehmenden Kommunen. Vielfalt gilt in der Verwaltung als wichtig, "
                    "wird aber oft als Zusatzaufgabe neben dem Tagesgeschäft erlebt."
                ),
                "process_goals": (
                    "Das Tandem entwickelt eine eigene Mission für eine diskriminierungssensible "
                    "Verwaltungspraxis und übersetzt sie in SMART-Ziele. Dafür soll die "
                    "Verwaltungsspitze ein klares Commitment geben."
                ),
                "central_results": "",
            }
            for name, state, district in [
                ("Musterstadt", State.NW, "kreisfrei"),
                ("Beispielhausen", State.NI, "Landkreis Beispiel"),
                ("Modellingen", State.BW, "Landkreis Modell"),
            ]
        ],
    },
    {
        "slug": ECCAR,
        "name": "Kommunen für alle? – Rassismuskritik in kommunalen Verwaltungen",
        "organiser": "Europäische Städtekoalition gegen Rassismus e. V. (ECCAR e. V.), Heidelberg",
        "description": (
            "Das Modellprojekt der ECCAR (Laufzeit 2025–2028) hilft 16 Pilotkommunen, in ihren "
            "Verwaltungen rassismuskritische Kompetenzen aufzubauen, damit Leistungen und Abläufe "
            "für alle Menschen fair und zugänglich sind.\n\n"
            "Dazu gehören praxisnahe Schulungsmodule für Beschäftigte, ein interdisziplinäres "
            "Expert*innengremium, das die Handlungsempfehlungen zu Rassismus im kommunalen "
            "Verwaltungshandeln berät, und ein Netzwerk für Verwaltungsbeschäftigte mit "
            "Migrationsgeschichte mit Safer Spaces und Empowerment-Angeboten."
        ),
        # The project page's section on funding is still placeholder text: left blank.
        "funding_acknowledgement": "",
        "cohorts": [
            {
                "slug": "kohorte-1",
                "name": "1. Kohorte",
                "start_date": dt.date(2025, 11, 1),
                "end_date": dt.date(2028, 12, 31),
                "description": (
                    "16 Pilotkommunen; die Projektseite nennt sie nicht namentlich, daher sind "
                    "in der Demo keine Kommunen zugeordnet."
                ),
            },
        ],
        "municipalities": [],
    },
    {
        "slug": HESSEN,
        "name": _HESSEN_PROGRAMME,
        "organiser": "IMAP GmbH, Düsseldorf",
        "description": (
            "Das Projekt (Juli 2019 bis Juni 2022) hat 14 hessische Kommunen, deren Vielfalts- "
            "und Integrationsstrategie im Landesprogramm „WIR – Vielfalt und Teilhabe“ bereits "
            "vorlag, jeweils etwa ein Jahr lang bei der Umsetzung begleitet – zeitversetzt in "
            "zwei Kohorten zu je sieben Kommunen.\n\n"
            "Hinzu kamen Angebote für alle Projektkommunen: halbjährliche Innovationszirkel, die "
            "Ausbildung von Vielfaltsmanager:innen, eine Moderationsschulung und ein "
            "Werkzeugkoffer mit Beispielen guter Praxis. Der Abschlussbericht erschien im Juni "
            "2022."
        ),
        "funding_acknowledgement": (
            "Kofinanziert aus dem Asyl-, Migrations- und Integrationsfonds (AMIF) der "
            "Europäischen Union sowie vom Hessischen Ministerium für Soziales und Integration "
            "mit Mitteln des Landesprogramms „WIR – Vielfalt und Teilhabe“."
        ),
        # The report gives the cohorts only as years (2020 to 2021, 2021 to 2022) and says that
        # the second cohort started in early 2021; the project ended in June 2022.
        "cohorts": [
            {
                "slug": "kohorte-1",
                "name": "Kohorte 1 (2020–2021)",
                "start_date": dt.date(2020, 1, 1),
                "end_date": dt.date(2021, 12, 31),
                "description": "Sieben Kommunen, einjährige Prozessbegleitung ab Anfang 2020.",
            },
            {
                "slug": "kohorte-2",
                "name": "Kohorte 2 (2021–2022)",
                "start_date": dt.date(2021, 1, 1),
                "end_date": dt.date(2022, 6, 30),
                "description": (
                    "Sieben Kommunen, einjährige Prozessbegleitung ab Anfang 2021; "
                    "Erfahrungen aus der ersten Kohorte flossen ein."
                ),
            },
        ],
        # Which cohort: the report's list of the 14 municipalities is a figure that names no
        # cohort in its text. We assign each by the start it reports ("Anfang 2020", "Anfang
        # 2021", the Hessen local elections of March 2021 still ahead, workshops in 2021/2022 ...)
        # and by the report's count of seven per cohort. Büttelborn and Gernsheim carry no clear
        # date; they are split one to each cohort (see their entries).
        "municipalities": [
            {
                "name": "Bischofsheim",
                "cohort": "kohorte-2",  # "Projektbeginn (Anfang 2021)"
                "state": State.HE,
                "district": "Kreis Groß-Gerau",
                "population": 13075,
                "population_date": dt.date(2020, 12, 31),
                "ags": "",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Zuständig war der Bereich Ordnung und Soziales, der beim Start Anfang 2021 "
                    "von personellen Wechseln geprägt war. Die mit der Caritas erarbeitete "
                    "Strategie war gerade fertig, aber politisch nicht beschlossen und weder in "
                    "der Öffentlichkeit noch bei Vereinen und Politik bekannt; ein zuständiges "
                    "Gremium fehlte. Als Stärke galten gute Kontakte der Verwaltung zur Politik, "
                    "zur Flüchtlingshilfe, zu Kirchen und vielen Vereinen."
                ),
                "process_goals": (
                    "Die neue Strategie sollte bekannt werden und ein Gespräch mit Politik und "
                    "Zivilgesellschaft in Gang bringen. Außerdem sollte die Gründung einer "
                    "ständigen „Kommission Integration und Vielfalt“ vorbereitet werden, die die "
                    "Strategie dauerhaft verankert."
                ),
                "central_results": (
                    "Eine Anfangsbefragung bestätigte, wie wenig die Strategie bekannt war, und "
                    "schärfte die Ziele. Die Verwaltung stellte Engagement- und "
                    "Integrationslots:innen ein, bereitete die Unterzeichnung der Charta der "
                    "Vielfalt vor und stellte die Strategie online vor, wo auch die geplante "
                    "Kommission Rückhalt fand. Für deren Start 2022 entstanden Konzepte für die "
                    "erste Sitzung und für Workshops zur Maßnahmenplanung; eine Person wurde zur "
                    "Vielfaltsmanager:in ausgebildet."
                ),
            },
            {
                "name": "Büttelborn",
                # No start date in the report. Its two workshops were planned as online events
                # from the outset, which fits a start in 2021 better than in early 2020.
                "cohort": "kohorte-2",
                "state": State.HE,
                "district": "Kreis Groß-Gerau",
                "population": 14859,
                "population_date": dt.date(2020, 12, 31),
                "ags": "",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Durch Zuzug wird die Gemeinde stetig vielfältiger. Im WIR-Programm entstand "
                    "mit der Caritas und unter Beteiligung aller Fachbereiche eine "
                    "Vielfaltsstrategie, die politisch beschlossen und um einen Maßnahmenkatalog "
                    "ergänzt wurde. Die Verwaltung hatte die Maßnahmen schon priorisiert – "
                    "zunächst mit Blick nach innen – und das neue Familienzentrum in die "
                    "Umsetzung eingebunden."
                ),
                "process_goals": (
                    "Zuerst sollte ein verwaltungsinterner Arbeitskreis für die Umsetzung "
                    "entstehen. Danach sollte ein zweiter Arbeitskreis aus Verwaltung, Politik "
                    "und Bürger:innen die Umsetzung begleiten."
                ),
                "central_results": (
                    "In zwei Online-Workshops klärte der interne Arbeitskreis seine Rolle, seine "
                    "Ziele und eine Vision für ein inklusives Büttelborn und verabschiedete "
                    "daraus ein Leitbild mit Kurzfassung. Seine nächsten Treffen und Schritte, "
                    "etwa die Kommunikation der Strategie und die Öffnung für weitere Beteiligte, "
                    "wurden fest verabredet. Der gemischte Arbeitskreis kam wegen "
                    "pandemiebedingter Verschiebungen nicht mehr zustande; drei Engagierte "
                    "wurden zu Vielfaltsmanager:innen ausgebildet."
                ),
            },
            {
                "name": "Gernsheim",
                # No start date in the report; the pandemic appears as a challenge that arose
                # during the support, which fits a start in early 2020.
                "cohort": "kohorte-1",
                "state": State.HE,
                "district": "Kreis Groß-Gerau",
                "population": 10640,
                "population_date": dt.date(2020, 12, 31),
                "ags": "06433004",
                # The support could not be continued (see central results).
                "status": ParticipationStatus.LEFT,
                "starting_situation": (
                    "Die Stadtverwaltung hatte ihre Strategie mit Unterstützung der Caritas "
                    "erarbeitet, sie aber noch nicht öffentlich gemacht. Wichtigstes Vorhaben "
                    "war ein Familienzentrum, das allen Generationen und Herkünften offensteht. "
                    "Eine Steuerungsgruppe gab es, die Zuständigen waren jedoch stark ausgelastet."
                ),
                "process_goals": (
                    "Die Prozessbegleitung sollte die weitere Umsetzung der Strategie begleiten. "
                    "Zugleich sollte sie die Vielfalts- und Integrationsarbeit vor Ort stärken."
                ),
                "central_results": (
                    "Mit der Eröffnung des Familienzentrums erreichte die Stadt einen wichtigen "
                    "Meilenstein ihrer Strategie. Dieses Vorhaben und die Pandemie banden jedoch "
                    "so viele Kräfte, dass für das Projekt kaum Kapazität blieb; die Begleitung "
                    "wurde deshalb nicht fortgeführt."
                ),
            },
            {
                "name": "Ginsheim-Gustavsburg",
                # Local elections (March 2021) still ahead at the start; meetings in 2021/2022.
                "cohort": "kohorte-2",
                "state": State.HE,
                "district": "Kreis Groß-Gerau",
                "population": 16843,
                "population_date": dt.date(2020, 12, 31),
                "ags": "",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Die von der Caritas erarbeitete Strategie hatte im Beteiligungsprozess zu "
                    "wenige Akteure erreicht und blieb daher kaum bekannt und ohne Wirkung. Vor "
                    "der Kommunalwahl fehlten stabile politische Verhältnisse; Haupt- und "
                    "Ehrenamt arbeiteten eher nebeneinander, ein gemeinsames Gremium gab es "
                    "nicht. Die Teilung in die Ortsteile Ginsheim und Gustavsburg prägte "
                    "Verwaltung und Vereinsleben, und alle sozialen Themen lagen bei einer "
                    "einzigen Person im Hauptamt."
                ),
                "process_goals": (
                    "Es ging darum, Grundstrukturen zu schaffen: die zuständige Person im "
                    "Hauptamt durch Coaching zu unterstützen und politische Entscheider:innen "
                    "früh einzubinden. Langfristig sollte ein festes Gremium aus Verwaltung, "
                    "Politik und Zivilgesellschaft entstehen."
                ),
                "central_results": (
                    "Die Anfangsbefragung zeigte auch Interesse der örtlichen Wirtschaft, die "
                    "seitdem als eigene Akteursgruppe mitgedacht wird. Nach zwei Online-"
                    "Gesprächen mit den neu gewählten Fraktionen 2021 beschloss die Gemeinde im "
                    "März 2022, unter dem Eindruck des Kriegs in der Ukraine, doch noch eine "
                    "zusätzliche Stelle für Vielfalt, Integration und Ehrenamt. Ein „Basar der "
                    "Vielfalt“ wurde konzipiert, musste aber auf die Zeit nach dem Projekt "
                    "verschoben werden; vier Personen wurden zu Vielfaltsmanager:innen "
                    "ausgebildet."
                ),
            },
            {
                "name": "Groß-Umstadt",
                "cohort": "kohorte-1",  # "Projektbeginn, Anfang 2020"
                "state": State.HE,
                "district": "Landkreis Darmstadt-Dieburg",
                "population": 21234,
                "population_date": dt.date(2020, 12, 31),
                "ags": "",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Die Integrationsarbeit koordinierte das mit zwei Teilzeitkräften besetzte "
                    "Migrationsbüro, gestützt auf den Runden Tisch „Integration als kommunale "
                    "Aufgabe“ und die Migrant:innenorganisation MinZe. 2019 war in einem "
                    "Beteiligungsprozess ein Vielfalts- und Integrationskonzept entstanden. Zum "
                    "Start Anfang 2020 hatte die Pandemie die Zusammenarbeit der Akteure "
                    "weitgehend zum Stillstand gebracht."
                ),
                "process_goals": (
                    "Der Runde Tisch sollte in digitaler Form wieder arbeiten und MinZe für die "
                    "kommunale Integrationsarbeit gestärkt werden. Außerdem sollten erste "
                    "Einzelmaßnahmen des Konzepts anlaufen."
                ),
                "central_results": (
                    "Der Runde Tisch tagt nun digital: Technik wurde bereitgestellt und die "
                    "Teilnehmenden wurden befähigt, sodass das Netzwerk wieder zusammenarbeitet. "
                    "Eine Befragung zum Beteiligungsprozess floss in die Priorisierung der "
                    "Maßnahmen ein, erste Maßnahmen starteten und MinZe kam an den Runden Tisch. "
                    "Fünf Personen absolvierten die Ausbildung zu Vielfaltsmanager:innen."
                ),
            },
            {
                "name": "Hainburg",
                "cohort": "kohorte-1",  # "Zu Beginn des Projektes, Anfang 2020"
                "state": State.HE,
                "district": "Landkreis Offenbach",
                "population": 14366,
                "population_date": dt.date(2020, 12, 31),
                "ags": "06438004",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Die Gemeinde besteht aus den Ortsteilen Hainstadt und Klein-Krotzenburg; "
                    "diese Zweiteilung prägte Verwaltung und Vereine. Feste Strukturen für "
                    "Vielfalt und Integration fehlten, zuständig war das personell knappe "
                    "Hauptamt. Die in sechs Sprachen veröffentlichte Strategie „Zusammenhalt in "
                    "Hainburg“ lag Anfang 2020 vor, war aber wenig bekannt; aus ihrer Erarbeitung "
                    "war eine engagierte Steuerungsgruppe hervorgegangen."
                ),
                "process_goals": (
                    "Die Umsetzung der Strategie sollte geplant und ihre Maßnahmen priorisiert "
                    "werden. Zugezogene sollten fürs Ehrenamt gewonnen und der Austausch mit "
                    "anderen Kommunen gesucht werden."
                ),
                "central_results": (
                    "Trotz Pandemie und knapper Zeit im Hauptamt lief die Onlinebefragung, und "
                    "Fachleute aus der Strategieentwicklung priorisierten in einem Workshop "
                    "Maßnahmen und schrieben Maßnahmensteckbriefe. Über digitale Treffen bildete "
                    "sich die Arbeitsgruppe „Zusammenhalt in Hainburg“, die die Umsetzung "
                    "dauerhaft begleitet. Hainburg nutzte den Austausch mit den anderen "
                    "Projektkommunen, fünf Personen wurden Vielfaltsmanager:innen, und die "
                    "Unterzeichnung der Charta der Vielfalt kam ins Gespräch."
                ),
            },
            {
                "name": "Heusenstamm",
                # Concept adopted February 2021 and a 2021 sports-coach tandem are part of the
                # starting situation, so the support began in 2021.
                "cohort": "kohorte-2",
                "state": State.HE,
                "district": "Landkreis Offenbach",
                "population": 18956,
                "population_date": dt.date(2020, 12, 31),
                "ags": "06438005",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Seit 2016 hat die Stadt eine Integrationsbeauftragte; die frühere "
                    "Stabsstelle gehört seit April 2020 als Integrationsbüro zum Fachdienst "
                    "Soziales. Das 2018/19 unter dem Motto „Miteinander in Heusenstamm“ "
                    "erarbeitete Konzept beschloss die Stadtverordnetenversammlung im Februar "
                    "2021. Die Stadt konnte auf Sportcoaches, die Fraueninitiative Heusenstamm "
                    "und eine eng angebundene Flüchtlingshilfe bauen."
                ),
                "process_goals": (
                    "Ein Begleitgremium für die Umsetzung der Strategie sollte gegründet werden. "
                    "Zugleich sollte die Vielfalts- und Integrationsarbeit trotz der Pandemie "
                    "weiterlaufen."
                ),
                "central_results": (
                    "Gemeinsam mit IMAP entstand das Konzept für ein „Forum Vielfalt“ mit "
                    "festgelegten Mitgliedern und Arbeitsweise; der politische Beschluss stand "
                    "bei Projektende noch aus, die erste Sitzung war für Herbst 2022 geplant. "
                    "Vier Vertreter:innen der Zivilgesellschaft wurden zu Vielfaltsmanager:innen "
                    "ausgebildet. Weitere Themen waren die Bekanntmachung des Konzepts, eine "
                    "Austauschrunde von Haupt- und Ehrenamt und der Deutsche Diversity-Tag."
                ),
            },
            {
                # The report's heading says "Hofheim"; its text names the Kreisstadt
                # "Hofheim am Taunus", which is the official name.
                "name": "Hofheim am Taunus",
                # Strategy adopted September 2020, working groups then slowed by the pandemic;
                # population figure of 06/2021.
                "cohort": "kohorte-2",
                "state": State.HE,
                "district": "Main-Taunus-Kreis",
                "population": 40672,
                "population_date": dt.date(2021, 6, 30),
                "ags": "06436007",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Die Strategie der Kreisstadt entstand mit Politik, Verwaltung, Vereinen, "
                    "sozialen Diensten und 1.000 zufällig ausgewählten Bürger:innen und wurde im "
                    "September 2020 beschlossen. Aus dem Prozess gingen mehrere Arbeitsgruppen "
                    "hervor, deren Treffen die Pandemie erschwerte. Die Verwaltung musste ihre "
                    "knappen Ressourcen gezielt einsetzen."
                ),
                "process_goals": (
                    "Das Netzwerk Inklusion sollte neu aufgestellt und erweitert werden. "
                    "Beschäftigte mit viel Bürger:innenkontakt sollten interkulturell geschult "
                    "und die Personalgewinnung für Vielfalt sensibilisiert werden."
                ),
                "central_results": (
                    "Zwei Workshops zum Selbstverständnis des Netzwerks Inklusion zeigten, dass "
                    "eine Neuaufstellung derzeit nicht trägt; das Netzwerk trifft sich nun "
                    "zweimal im Jahr zum Austausch. 16 Beschäftigte mit viel Bürger:innenkontakt "
                    "stärkten in einer Schulung ihre interkulturelle Kommunikation, fünf "
                    "Engagierte wurden Vielfaltsmanager:innen. Die Schulung zur Personalauswahl "
                    "entfiel wegen Personalausfällen; das Thema wurde in kleinerem Rahmen in der "
                    "interkulturellen Schulung behandelt."
                ),
            },
            {
                "name": "Michelstadt",
                # Concept adopted December 2019, population figure of 01/2020.
                "cohort": "kohorte-1",
                "state": State.HE,
                "district": "Odenwaldkreis",
                "population": 16625,
                "population_date": dt.date(2020, 1, 31),
                "ags": "",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Die Stadt befasst sich seit Jahren mit Vielfalt und Integration: 2013 kam "
                    "eine Jugend- und Integrationsbeauftragte, später folgten "
                    "Integrationsleitlinien und mehrere Projekte. Im Dezember 2019 wurde das im "
                    "WIR-Programm beteiligungsorientiert erarbeitete Konzept „WIR sind "
                    "Michelstadt – Gemeinsam für Zusammenhalt“ beschlossen. Das Thema lag als "
                    "Querschnittsaufgabe in der Stabsstelle Integration."
                ),
                "process_goals": (
                    "Das Konzept sollte bekannter werden und Strukturen für seine Umsetzung "
                    "erhalten. Außerdem sollten zivilgesellschaftliche Akteure in der "
                    "Vielfaltsarbeit gestärkt werden."
                ),
                "central_results": (
                    "Eine von IMAP begleitete Onlinekonferenz stellte das Konzept vor und "
                    "sammelte Ideen für erste Maßnahmen, etwa einen Begegnungsort und ein "
                    "Jugendforum; außerdem startete ein Newsletter. Die Steuerungsgruppe wurde "
                    "mit Ausländerbeirat und weiteren Akteuren neu besetzt und begleitet nun die "
                    "Umsetzung, ergänzt um die Arbeitsgruppen Schule und Verwaltung. Eine Person "
                    "wurde zur Vielfaltsmanager:in ausgebildet."
                ),
            },
            {
                "name": "Neu-Isenburg",
                # The support began before the pandemic ("nach Beginn der Pandemie ...").
                "cohort": "kohorte-1",
                "state": State.HE,
                "district": "Landkreis Offenbach",
                "population": 38204,
                "population_date": dt.date(2020, 12, 31),
                "ags": "06438009",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Seit ihrer Gründung durch geflüchtete Hugenotten gehört Zuwanderung zur "
                    "Stadtgeschichte; Bürgermeister und Verwaltungsspitze gestalteten das neue "
                    "Integrationskonzept aktiv mit. Dadurch hing vieles an wenigen "
                    "Schlüsselpersonen: Das Konzept lag nur als Entwurf vor, und die Stelle der "
                    "Integrationsbeauftragten wurde kurz nach Projektstart wieder frei. Geplant "
                    "waren vier Arbeitsgruppen für vier Handlungsfelder."
                ),
                "process_goals": (
                    "Zunächst sollten Arbeitsgruppen entstehen und gestärkt werden, die das "
                    "Konzept umsetzen. Nach der Neubesetzung der Stelle und wegen der Pandemie "
                    "rückten die Einarbeitung der neuen Integrationsbeauftragten und der "
                    "Beschluss des Konzepts in den Vordergrund."
                ),
                "central_results": (
                    "IMAP unterstützte digitale Sitzungen der Steuerungsgruppe und einen "
                    "Austausch mit Verwaltung und Zivilgesellschaft; auf weitere Arbeitsgruppen "
                    "im digitalen Raum wurde verzichtet. Die neue Integrationsbeauftragte wurde "
                    "mit Handreichungen, Kontakten und Reflexionsgesprächen eingearbeitet, "
                    "überarbeitete das 2021 beschlossene und veröffentlichte Konzept und legte "
                    "einen Aktionsplan für das Folgejahr vor. Fünf Neu-Isenburger:innen wurden "
                    "zu Vielfaltsmanager:innen ausgebildet."
                ),
            },
            {
                "name": "Niedernhausen",
                # Workshops planned for 2021 and 2022; population figure of 12/2021.
                "cohort": "kohorte-2",
                "state": State.HE,
                # The report prints "Landkreis Offenbach" here, which is a misprint:
                # Niedernhausen lies in the Rheingau-Taunus-Kreis. We store the correct district.
                "district": "Rheingau-Taunus-Kreis",
                "population": 15509,
                "population_date": dt.date(2021, 12, 31),
                "ags": "",
                # The commissioner left and the municipality ended its part in the project.
                "status": ParticipationStatus.LEFT,
                "starting_situation": (
                    "Eine Integrationsbeauftragte gibt es seit 2014. Ab Ende 2018 entstand mit "
                    "einer breit besetzten Lenkungsgruppe, einer Integrationskonferenz und "
                    "Themenworkshops eine Strategie mit drei Handlungsfeldern, die sich vor allem "
                    "an Geflüchtete richtete und nun weitere Zielgruppen erreichen sollte. Zu "
                    "Beginn war das Ehrenamt pandemiebedingt geschrumpft und die Stelle der "
                    "Integrationsbeauftragten zeitweise unbesetzt."
                ),
                "process_goals": (
                    "Netzwerk- und Gremienarbeit sollten wieder aufgenommen und Bedarfe und "
                    "Maßnahmen der Strategie aktualisiert werden. Am Ende sollten Strukturen und "
                    "Maßnahmen verstetigt sein."
                ),
                "central_results": (
                    "Zwei Workshops für 2021 und 2022 wurden geplant, mehrfach verschoben und "
                    "schließlich von der Gemeinde abgesagt. Zur Einarbeitung der neuen "
                    "Integrationsbeauftragten wurde eine Tandempartnerschaft mit einer anderen "
                    "Kommune vermittelt, und zwei Engagierte wurden zu Vielfaltsmanager:innen "
                    "ausgebildet. Mit dem Weggang der Integrationsbeauftragten endete die "
                    "Zusammenarbeit im Projekt."
                ),
            },
            {
                "name": "Rödermark",
                # Mentoring by a commissioner of another project municipality; figure of 12/2021.
                "cohort": "kohorte-2",
                "state": State.HE,
                "district": "Landkreis Offenbach",
                "population": 29678,
                "population_date": dt.date(2021, 12, 31),
                "ags": "06438012",
                # The commissioner left and the collaboration ended.
                "status": ParticipationStatus.LEFT,
                "starting_situation": (
                    "Vor dem Projekt waren die Zuständigkeiten für Vielfalt und Integration "
                    "strukturell und personell neu verteilt worden. Die Arbeitsgruppe "
                    "Integration aus Verwaltung und Zivilgesellschaft ruhte, weil sie keinen "
                    "Fokus gefunden hatte, und sollte in neuer Besetzung neu starten. Die "
                    "Teilzeitstelle der Integrationsbeauftragten war neu besetzt, ihr Profil "
                    "gegenüber anderen Stellen aber noch offen."
                ),
                "process_goals": (
                    "Das Integrationsnetzwerk sollte neu ausgerichtet werden und themenbezogen, "
                    "gut vorbereitet und moderiert arbeiten. Zudem sollten die Zuständigkeiten "
                    "für Integration in der Verwaltung geklärt werden."
                ),
                "central_results": (
                    "Für das Netzwerk entstanden ein thematischer Jahresplan und ein "
                    "Sitzungsablauf, und der Magistrat bestimmte die teilnehmenden "
                    "Organisationen; zwei angesetzte Sitzungen fielen mangels Anmeldungen aus. "
                    "Die Integrationsbeauftragte erhielt einen Einarbeitungsleitfaden und ein "
                    "Mentoring aus einer anderen Projektkommune, und ein Workshop klärte Rollen "
                    "mit den beiden Führungsebenen darüber. Fünf Personen wurden "
                    "Vielfaltsmanager:innen; mit dem Weggang der Integrationsbeauftragten endete "
                    "die Zusammenarbeit."
                ),
            },
            {
                "name": "Rodgau",
                # "begann kurz nach Beginn der Covid-19-Pandemie", i.e. in 2020.
                "cohort": "kohorte-1",
                "state": State.HE,
                "district": "Landkreis Offenbach",
                "population": 46800,
                "population_date": dt.date(2020, 12, 31),
                "ags": "06438011",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Rodgau hatte bereits ein 2019 eingerichtetes Büro für Teilhabe und Vielfalt "
                    "und den Arbeitskreis Vielfalt als Begleitgremium; Integration wird hier als "
                    "Teil des breiteren Themas Vielfalt verstanden. 2019 entstand partizipativ "
                    "die einseitige Rodgauer Vielfaltserklärung, die rund 100 Organisationen und "
                    "viele Bürger:innen unterzeichneten. Die ausführliche Strategie mit "
                    "Handlungsfeldern und Maßnahmen fehlte noch."
                ),
                "process_goals": (
                    "Der Arbeitskreis Vielfalt sollte zu einem aktiven Gremium werden, das "
                    "selbst Maßnahmen umsetzt und dafür arbeitsfähiger wird. Außerdem sollte die "
                    "Ausformulierung der Vielfaltsstrategie begleitet werden."
                ),
                "central_results": (
                    "IMAP brachte die Sitzungen des Arbeitskreises zu Beginn der Pandemie ins "
                    "Digitale und half bei der Einarbeitung einer neuen Leitung des Büros. Der "
                    "Arbeitskreis gewann neue Mitglieder, bildete thematische Kleingruppen (etwa "
                    "zu Senior:innen, Jugend, Flucht und Migration, Familie und "
                    "Öffentlichkeitsarbeit) und plante Maßnahmen wie Stadtspaziergänge für "
                    "verschiedene Zielgruppen. Die Verwaltung schrieb die Strategie selbst aus; "
                    "bei Projektende lag sie der Politik zur Abstimmung vor."
                ),
            },
            {
                "name": "Seligenstadt",
                "cohort": "kohorte-1",  # "zu Projektbeginn Anfang 2020"
                "state": State.HE,
                "district": "Landkreis Offenbach",
                "population": 21226,
                "population_date": dt.date(2020, 12, 31),
                "ags": "06438013",
                "status": ParticipationStatus.ACTIVE,
                "starting_situation": (
                    "Anfang 2020 war die Vielfalts- und Integrationsarbeit im Hauptamt bei der "
                    "Leitung des Amts für Soziale Infrastruktur gut verankert; seit 2015/16 "
                    "trugen etwa der Arbeitskreis Flüchtlinge, Sprachangebote, Kirchen und "
                    "Sportvereine dazu bei. Das Konzept „Zusammen.Leben.Seligenstadt“ war unter "
                    "Führung einer kleinen Steuerungsgruppe breit beteiligt entstanden, wegen der "
                    "Pandemie aber noch nicht formal beschlossen. Eine feste Arbeitsgruppe für "
                    "die Umsetzung war bereits vorgesehen."
                ),
                "process_goals": (
                    "Die Gründung einer festen Arbeitsgruppe, die die Umsetzung dauerhaft trägt, "
                    "sollte begleitet werden. Daneben sollten Beschäftigte der Verwaltung für "
                    "Vielfalt sensibilisiert und in der internen Öffnung bestärkt werden."
                ),
                "central_results": (
                    "Mit Unterstützung von IMAP bildete sich die Arbeitsgruppe Vielfalt; aus "
                    "einem Workshop zur Feinplanung gingen Maßnahmen hervor, die noch im Projekt "
                    "umgesetzt wurden, etwa Rampen für mehr Barrierefreiheit in der Innenstadt. "
                    "Sieben neu ausgebildete Vielfaltsmanager:innen verstärkten die Gruppe, die "
                    "ihre Rolle in einer Selbstbeschreibung festhielt. Ein Vielfaltstraining für "
                    "Verwaltungsbeschäftigte fand statt, und die Abschlussbefragung erreichte "
                    "mehr und vielfältigere Personen als zu Beginn."
                ),
            },
        ],
    },
]

# One login per role, all with DEMO_PASSWORD. "labs" are lab roles (granted through guardian by
# labs.services); "tandem" makes the user a tandem member of a municipality in a cohort.
_TANDEM_MUNICIPALITY = "Bischofsheim"

USERS = [
    {
        "key": "coordinator",
        "role_label": "Koordination",
        "email": "koordination@demo.innolab.de",
        "name": "Miriam Okafor",
        "labs": [
            (INNOLAB, LabRole.COORDINATOR),
            (ECCAR, LabRole.COORDINATOR),
            (HESSEN, LabRole.COORDINATOR),
        ],
    },
    {
        "key": "tandem",
        "role_label": "Tandem",
        "email": "tandem@demo.innolab.de",
        "name": "Jonas Becker",
        "tandem": (HESSEN, "kohorte-2", _TANDEM_MUNICIPALITY, "Personalamt"),
    },
    {
        "key": "tandem2",
        "role_label": "Tandem",
        "email": "tandem2@demo.innolab.de",
        "name": "Aylin Demir",
        "tandem": (HESSEN, "kohorte-2", _TANDEM_MUNICIPALITY, "Fachbereich Ordnung und Soziales"),
    },
    {
        "key": "funder",
        "role_label": "Förderung",
        "email": "foerderung@demo.innolab.de",
        "name": "Kim Schneider",
        "labs": [(HESSEN, LabRole.FUNDER), (INNOLAB, LabRole.FUNDER)],
    },
    {
        "key": "expert",
        "role_label": "Expertise",
        "email": "expertise@demo.innolab.de",
        "name": "Dr. Emre Yıldız",
        "labs": [(HESSEN, LabRole.EXPERT)],
    },
    {
        "key": "admin",
        "role_label": "Administration",
        "email": "admin@demo.innolab.de",
        "name": "Sam Richter",
        "superuser": True,
    },
]

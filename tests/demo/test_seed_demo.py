"""manage.py seed_demo: the demo world, its idempotency, and that its logins really work."""

import datetime as dt
import html
import re
import subprocess
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.urls import reverse

from demo.loader import load
from labs import services
from labs.models import (
    Cohort,
    Lab,
    LabGroupObjectPermission,
    LabMembership,
    Municipality,
    Participation,
    ParticipationGroupObjectPermission,
    ParticipationStatus,
)
from labs.permissions import participations_for_user
from missions.models import SmartGoal
from reports.models import ReportRun
from tandems.models import Tandem, TandemMember

from .conftest import NO_PDFS, seeded_world

# one process seeds once (tests/demo/conftest.py)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-seed")]

HESSEN_KOHORTE_1 = {
    "Gernsheim",
    "Groß-Umstadt",
    "Hainburg",
    "Michelstadt",
    "Neu-Isenburg",
    "Rodgau",
    "Seligenstadt",
}
HESSEN_KOHORTE_2 = {
    "Bischofsheim",
    "Büttelborn",
    "Ginsheim-Gustavsburg",
    "Heusenstamm",
    "Hofheim am Taunus",
    "Niedernhausen",
    "Rödermark",
}
# "Lage" and "Einwohnerzahl (MM/YYYY)" of the report's chapters 4.3.1-4.3.14, except that the
# report misprints Niedernhausen's district as "Landkreis Offenbach".
HESSEN_AS_PRINTED = {
    "Bischofsheim": ("Kreis Groß-Gerau", 13075, "12/2020"),
    "Büttelborn": ("Kreis Groß-Gerau", 14859, "12/2020"),
    "Gernsheim": ("Kreis Groß-Gerau", 10640, "12/2020"),
    "Ginsheim-Gustavsburg": ("Kreis Groß-Gerau", 16843, "12/2020"),
    "Groß-Umstadt": ("Landkreis Darmstadt-Dieburg", 21234, "12/2020"),
    "Hainburg": ("Landkreis Offenbach", 14366, "12/2020"),
    "Heusenstamm": ("Landkreis Offenbach", 18956, "12/2020"),
    "Hofheim am Taunus": ("Main-Taunus-Kreis", 40672, "06/2021"),
    "Michelstadt": ("Odenwaldkreis", 16625, "01/2020"),
    "Neu-Isenburg": ("Landkreis Offenbach", 38204, "12/2020"),
    "Niedernhausen": ("Rheingau-Taunus-Kreis", 15509, "12/2021"),
    "Rödermark": ("Landkreis Offenbach", 29678, "12/2021"),
    "Rodgau": ("Landkreis Offenbach", 46800, "12/2020"),
    "Seligenstadt": ("Landkreis Offenbach", 21226, "12/2020"),
}
LAB_NAMES = [
    "InnoLab Vielfalt",
    "Kommunen für alle? – Rassismuskritik in kommunalen Verwaltungen",
    "Vielfaltsorientierung in hessischen Kommunen",
]
PASSWORD = "innolab-demo-2025"


@pytest.fixture
def seed(settings):
    settings.DEMO_MODE = True

    def _seed(*args) -> str:
        out = StringIO()
        call_command("seed_demo", *args, stdout=out)
        return out.getvalue()

    return _seed


@pytest.fixture(scope="class")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the tests of TestSeededWorld (tests/demo/conftest.py), with the sample
    reports' PDFs; gives the output of that first run."""
    with seeded_world(django_db_blocker, tmp_path_factory, report_pdfs=True) as output:
        yield output


@pytest.fixture
def seeded(_seeded_once, db) -> str:
    """The seeded demo world and the first run's output; each test's changes are rolled back."""
    return _seeded_once


def _participants(lab_slug: str, cohort_slug: str) -> set[str]:
    return set(
        Participation.objects.filter(
            cohort__lab__slug=lab_slug, cohort__slug=cohort_slug
        ).values_list("municipality__name", flat=True)
    )


def _snapshot(user_model) -> dict:
    """Everything the command writes, with hashes and timestamps that a rewrite would change."""
    return {
        "labs": list(
            Lab.objects.order_by("pk").values_list(
                "pk", "slug", "name", "organiser", "description", "funding_acknowledgement"
            )
        ),
        "cohorts": list(
            Cohort.objects.order_by("pk").values_list(
                "pk", "lab_id", "slug", "name", "start_date", "end_date", "description"
            )
        ),
        "municipalities": list(
            Municipality.objects.order_by("pk").values_list(
                "pk", "lab_id", "name", "ags", "state", "district", "population", "population_date"
            )
        ),
        "participations": list(
            Participation.objects.order_by("pk").values_list(
                "pk",
                "cohort_id",
                "municipality_id",
                "status",
                "starting_situation",
                "process_goals",
                "central_results",
                "updated_at",
            )
        ),
        "users": list(
            user_model.objects.order_by("pk").values_list(
                "pk", "email", "name", "password", "is_staff", "is_superuser"
            )
        ),
        "email_addresses": list(
            EmailAddress.objects.order_by("pk").values_list("pk", "email", "verified", "primary")
        ),
        "memberships": list(
            LabMembership.objects.order_by("pk").values_list("pk", "lab_id", "user_id", "role")
        ),
        "tandems": list(Tandem.objects.order_by("pk").values_list("pk", "participation_id")),
        "tandem_members": list(
            TandemMember.objects.order_by("pk").values_list(
                "pk", "tandem_id", "user_id", "department"
            )
        ),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "group_members": user_model.groups.through.objects.count(),
        "user_permissions": user_model.user_permissions.through.objects.count(),
        "lab_grants": LabGroupObjectPermission.objects.count(),
        "participation_grants": ParticipationGroupObjectPermission.objects.count(),
    }


class TestSeededWorld:
    """One seeded demo world; the tests that run the command again do so on top of it."""

    def test_the_lab_wide_final_report_carries_what_the_hessen_report_shows(self, seeded, tmp_path):
        """Issue 17: `generate_report --lab` on the demo's Hessen lab, read back as text."""
        pdf = tmp_path / "hessen.pdf"
        call_command(
            "generate_report", "--lab", "vielfalt-hessen", "--kind", "final",
            "--output", str(pdf), stdout=StringIO(),
        )  # fmt: skip
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = re.sub(r"\s+", " ", text)
        # the chapters of the hand-made report, in its order
        chapters = [
            "Abbildungsverzeichnis", "Vorwort", "Das Projekt auf einen Blick",
            "Teilnehmende Kommunen", "Ergebnisse der Eingangsbefragung",
            "Einzelberichte der Kommunen", "Ergebnisse der Abschlussbefragung", "Impressum",
        ]  # fmt: skip
        body = flat[flat.index("Vorwort Liebe") :]
        positions = [body.find(chapter) for chapter in chapters[2:]]
        assert -1 not in positions and positions == sorted(positions), positions
        # the sample of both cohorts' baselines, pooled; people trained from the attendance
        assert re.search(r"Abbildung 1 – Zusammensetzung der Befragten: [^)]*N = 720\)", flat)
        assert "53 Personen haben alle Teile einer mehrteiligen Schulung abgeschlossen" in flat
        # multi-item figures with numbered captions, their tables sorted by mean
        assert len(re.findall(r"Abbildung \d+ – [^(]+\(Mittelwerte auf einer Skala", flat)) >= 6
        caption = "– Was die Umsetzung voranbringt (Mittelwerte"
        figure = text.split(caption)[2].split("Anmerkungen")[0]  # [1]: the list of figures
        means = [float(m.replace(",", ".")) for m in re.findall(r" 480 +(\d,\d\d) ", figure)]
        assert len(means) == 6 and means == sorted(means, reverse=True), means
        assert "(Mittelwerte auf einer Skala von 0 bis 5; N = 480)" in flat
        # a breakdown by the type of organisation; the final survey's −2 … +2 figure
        assert "nach „In welcher Rolle oder für welche Organisation" in flat
        assert "Was sich durch das Projekt verändert hat (Verteilung und Mittelwerte" in flat
        # the quotes chosen in the draft, the logos' text alternatives are in the tag tree
        assert "Stimmen aus der Befragung" in flat
        assert "„Die Übungen zu unbewussten Vorurteilen waren besonders hilfreich.“" in flat
        # no question codes, German decimals, header words whole
        assert "org_type" not in text and "sf_responsibilities" not in text
        assert "4,60" in flat and "4.60" not in flat
        for broken in ("Mittel-wert", "Medi-an", "Standardabwei-", "Forts-chritt"):
            assert broken not in flat

    def test_creates_the_labs_cohorts_and_municipalities(self, seeded):
        assert sorted(Lab.objects.values_list("name", flat=True)) == LAB_NAMES
        addresses = {c.address for c in Cohort.objects.select_related("lab")}
        assert addresses == {
            "innolab-vielfalt/2025",
            "kommunen-fuer-alle/kohorte-1",
            "vielfalt-hessen/kohorte-1",
            "vielfalt-hessen/kohorte-2",
        }
        assert _participants("vielfalt-hessen", "kohorte-1") == HESSEN_KOHORTE_1
        assert _participants("vielfalt-hessen", "kohorte-2") == HESSEN_KOHORTE_2
        # The ECCAR page names none of its 16 pilot municipalities.
        assert _participants("kommunen-fuer-alle", "kohorte-1") == set()
        innolab = Participation.objects.filter(cohort__lab__slug="innolab-vielfalt")
        assert innolab.count() == 3
        assert set(innolab.values_list("status", flat=True)) == {ParticipationStatus.ACTIVE}

        hessen_cohort_2 = Cohort.objects.get(lab__slug="vielfalt-hessen", slug="kohorte-2")
        assert (hessen_cohort_2.start_date, hessen_cohort_2.end_date) == (
            dt.date(2021, 1, 1),
            dt.date(2022, 6, 30),
        )
        eccar = Cohort.objects.get(lab__slug="kommunen-fuer-alle")
        assert (eccar.start_date, eccar.end_date) == (dt.date(2025, 11, 1), dt.date(2028, 12, 31))

        hessen = Lab.objects.get(slug="vielfalt-hessen")
        assert hessen.organiser == "IMAP GmbH, Düsseldorf"
        assert "Asyl-, Migrations- und Integrationsfonds" in hessen.funding_acknowledgement
        innolab_lab = Lab.objects.get(slug="innolab-vielfalt")
        assert "Demokratie leben!" in innolab_lab.funding_acknowledgement
        assert innolab_lab.organiser.startswith(
            "Kompetenzzentrum Technik-Diversity-Chancengleichheit"
        )

    def test_hessen_master_data_as_printed_in_the_report(self, seeded):
        rodgau = Municipality.objects.get(lab__slug="vielfalt-hessen", name="Rodgau")
        assert (rodgau.population, rodgau.population_date) == (46800, dt.date(2020, 12, 31))
        assert (rodgau.district, rodgau.state, rodgau.ags) == (
            "Landkreis Offenbach",
            "HE",
            "06438011",
        )

        hofheim = Municipality.objects.get(lab__slug="vielfalt-hessen", name="Hofheim am Taunus")
        assert (hofheim.population, hofheim.population_date) == (40672, dt.date(2021, 6, 30))
        assert hofheim.district == "Main-Taunus-Kreis"

        michelstadt = Municipality.objects.get(lab__slug="vielfalt-hessen", name="Michelstadt")
        assert (michelstadt.population, michelstadt.district) == (16625, "Odenwaldkreis")
        assert michelstadt.ags == ""  # not confirmed, so left blank

        hessen = Municipality.objects.filter(lab__slug="vielfalt-hessen")
        assert hessen.count() == 14
        for municipality in hessen:
            municipality.full_clean()  # AGS format and state prefix, population date present
            assert municipality.state == "HE"
            assert municipality.population and municipality.population_date, municipality.name
            assert municipality.ags == "" or municipality.ags.startswith("06"), municipality.name
        rows = {
            m.name: (m.district, m.population, m.population_date.strftime("%m/%Y")) for m in hessen
        }
        assert rows == HESSEN_AS_PRINTED

    def test_hessen_chapters_are_short_paraphrases(self, seeded):
        participations = Participation.objects.filter(cohort__lab__slug="vielfalt-hessen")
        assert participations.count() == 14
        for p in participations.select_related("municipality"):
            for field in ("starting_situation", "process_goals", "central_results"):
                value = getattr(p, field)
                sentences = len(re.findall(r"[.!?](?:\s|$)", value))
                assert 2 <= sentences <= 4, (p.municipality.name, field, sentences)
        left = participations.filter(status=ParticipationStatus.LEFT)
        assert set(left.values_list("municipality__name", flat=True)) == {
            "Gernsheim",
            "Niedernhausen",
            "Rödermark",
        }

    def test_running_twice_changes_nothing(self, seeded, seed, django_user_model):
        first = _snapshot(django_user_model)
        assert "Created:" in seeded

        second_output = seed()
        assert _snapshot(django_user_model) == first
        assert "Created: nothing. Updated: nothing." in second_output

        assert len(first["labs"]) == 3
        assert len(first["cohorts"]) == 4
        assert len(first["municipalities"]) == 17
        assert len(first["participations"]) == 17
        assert len(first["tandems"]) == 17
        # six demo logins plus two fictional tandem members for each Hessen municipality except
        # Bischofsheim, whose tandem is the two demo tandem logins (demo/data/missions.yaml), and
        # the 55 participants of the Vielfaltsmanager:innen training (demo/data/events.yaml)
        assert len(first["users"]) == 6 + 26 + 55
        assert len(first["tandem_members"]) == 2 + 26

    def test_a_second_run_restores_changed_texts(self, seeded, seed):
        lab = Lab.objects.get(slug="vielfalt-hessen")
        original = lab.description
        lab.description = "geändert"
        lab.save()
        rodgau = Municipality.objects.get(lab=lab, name="Rodgau")
        rodgau.population = 1
        rodgau.save()

        output = seed()

        lab.refresh_from_db()
        rodgau.refresh_from_db()
        assert lab.description == original
        assert rodgau.population == 46800
        assert "Updated: 1 labs, 1 municipalities." in output

    def test_a_second_run_moves_a_participation_back_to_its_cohort(
        self, seeded, seed, django_user_model
    ):
        """If the demo data moves a municipality to the other cohort, its tandem moves along."""
        bischofsheim = Participation.objects.get(municipality__name="Bischofsheim")
        other_cohort = Cohort.objects.get(lab__slug="vielfalt-hessen", slug="kohorte-1")
        services.participation_update(participation=bischofsheim, cohort=other_cohort)

        seed("--quiet")

        moved = Participation.objects.get(municipality__name="Bischofsheim")
        assert moved.pk == bischofsheim.pk
        assert moved.cohort.address == "vielfalt-hessen/kohorte-2"
        assert _participants("vielfalt-hessen", "kohorte-1") == HESSEN_KOHORTE_1
        assert moved.tandem.members.count() == 2
        tandem = django_user_model.objects.get(email="tandem@demo.innolab.de")
        assert list(participations_for_user(tandem)) == [moved]

    def test_every_demo_login_has_a_verified_primary_address(self, seeded, django_user_model):
        emails = [spec["email"] for spec in load("labs")["logins"]]
        assert len(emails) == 6
        for email in emails:
            user = django_user_model.objects.get(email=email)
            assert user.check_password(PASSWORD)
            validate_password(PASSWORD, user)
            assert user.name
            address = EmailAddress.objects.get(user=user)
            assert (address.email, address.verified, address.primary) == (email, True, True)
        admin = django_user_model.objects.get(email="admin@demo.innolab.de")
        assert admin.is_superuser and admin.is_staff
        assert not django_user_model.objects.filter(is_superuser=True).exclude(pk=admin.pk).exists()

    def test_demo_coordinator_logs_in_through_the_login_page(self, seeded, client):
        response = client.post(
            "/accounts/login/", {"login": "koordination@demo.innolab.de", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == "/"

        page = html.unescape(client.get("/").content.decode())
        for name in LAB_NAMES:
            assert name in page
        assert "Kohorte 2 (2021–2022)" in page

    def test_a_wrong_password_does_not_log_in(self, seeded, client):
        response = client.post(
            "/accounts/login/",
            {"login": "koordination@demo.innolab.de", "password": "falsch-falsch-1"},
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_tandem_members_get_exactly_their_municipality(self, seeded, django_user_model, client):
        first = django_user_model.objects.get(email="tandem@demo.innolab.de")
        second = django_user_model.objects.get(email="tandem2@demo.innolab.de")
        bischofsheim = Participation.objects.get(
            cohort__lab__slug="vielfalt-hessen",
            cohort__slug="kohorte-2",
            municipality__name="Bischofsheim",
        )
        assert list(participations_for_user(first)) == [bischofsheim]
        assert list(participations_for_user(second)) == [bischofsheim]

        members = bischofsheim.tandem.members.order_by("department")
        assert [(m.user.email, m.department) for m in members] == [
            ("tandem2@demo.innolab.de", "Fachbereich Ordnung und Soziales"),
            ("tandem@demo.innolab.de", "Personalamt"),
        ]
        assert first.lab_memberships.count() == 0

        coordinator = django_user_model.objects.get(email="koordination@demo.innolab.de")
        assert not participations_for_user(coordinator).exists()

        client.post("/accounts/login/", {"login": first.email, "password": PASSWORD})
        page = html.unescape(client.get("/").content.decode())
        assert "Bischofsheim" in page
        assert "Vielfaltsorientierung in hessischen Kommunen" in page
        assert "InnoLab Vielfalt" not in page
        assert "Kommunen für alle?" not in page

    def test_lab_roles_of_the_demo_people(self, seeded, django_user_model):
        labs = {lab.slug: lab for lab in Lab.objects.all()}
        coordinator = django_user_model.objects.get(email="koordination@demo.innolab.de")
        funder = django_user_model.objects.get(email="foerderung@demo.innolab.de")
        expert = django_user_model.objects.get(email="expertise@demo.innolab.de")

        for lab in labs.values():
            assert coordinator.has_perm("labs.coordinate_lab", lab), lab.slug
        assert coordinator.has_perm("labs.add_lab")

        assert {
            slug for slug, lab in labs.items() if funder.has_perm("labs.view_lab_reports", lab)
        } == {
            "vielfalt-hessen",
            "innolab-vielfalt",
        }
        assert not any(funder.has_perm("labs.coordinate_lab", lab) for lab in labs.values())
        assert {slug for slug, lab in labs.items() if expert.has_perm("labs.comment_lab", lab)} == {
            "vielfalt-hessen"
        }
        assert not expert.has_perm("labs.view_lab_reports", labs["vielfalt-hessen"])

    def test_the_hessen_catalogue_and_the_goals_that_pick_it(self, seeded, client):
        lab = Lab.objects.get(slug="vielfalt-hessen")
        assert set(lab.indicators.values_list("name", flat=True)) == {
            spec["name"] for spec in load("indicators")["indicators"]
        }
        picked = SmartGoal.objects.filter(catalogue_indicator__lab=lab).values_list(
            "profile__participation__municipality__name", "catalogue_indicator__name"
        )
        assert sorted(picked) == [
            ("Büttelborn", "Ausgebildete Vielfaltsmanager:innen"),
            ("Heusenstamm", "Ausgebildete Vielfaltsmanager:innen"),
            ("Hofheim am Taunus", "Geschulte Beschäftigte"),
            ("Seligenstadt", "Geschulte Beschäftigte"),
        ]
        # the demo coordinator finds both shared goals of cohort 2 compared
        client.force_login(lab.memberships.get(user__email="koordination@demo.innolab.de").user)
        page = client.get(reverse("cohort_indicators", args=[lab.slug, "kohorte-2"]))
        names = [c.indicator.name for c in page.context["comparisons"] if c.rows]
        assert names == ["Ausgebildete Vielfaltsmanager:innen", "Geschulte Beschäftigte"]

    def test_a_funder_finds_a_published_sample_report_on_first_login(self, seeded, client):
        """Through the login page, as the README's demo account: the notification of each
        publication, the lab's report list and the PDF itself (demo/data/reports.yaml)."""
        specs = {spec["lab"]: spec for spec in load("reports")["reports"]}
        response = client.post(
            "/accounts/login/", {"login": "foerderung@demo.innolab.de", "password": PASSWORD}
        )
        assert response.status_code == 302
        notifications = html.unescape(client.get(reverse("notification_list")).content.decode())
        for slug in ("vielfalt-hessen", "innolab-vielfalt"):  # the labs the demo funder funds
            run = ReportRun.objects.get(draft__lab__slug=slug, published_at__isnull=False)
            assert run.draft.title == specs[slug]["title"]
            assert run.published_by.email == "koordination@demo.innolab.de"
            assert run.withdrawn_at is None
            page = html.unescape(client.get(reverse("report_list", args=[slug])).content.decode())
            assert specs[slug]["title"] in page
            assert reverse("report_run", args=[slug, run.pk]) in page
            assert reverse("report_run", args=[slug, run.pk]) in notifications
            pdf = client.get(reverse("report_download", args=[slug, run.pk]))
            assert pdf.status_code == 200
            assert pdf["Content-Type"] == "application/pdf"
            assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
        # the third lab has its sample too, for its coordinators; the funder has no role there
        eccar = ReportRun.objects.get(draft__lab__slug="kommunen-fuer-alle")
        assert eccar.published_at is not None
        assert client.get(reverse("report_list", args=["kommunen-fuer-alle"])).status_code == 404

    def test_the_sample_reports_are_short_and_rendered_once(self, seeded, seed):
        runs = ReportRun.objects.filter(status="done", published_at__isnull=False)
        assert runs.count() == len(load("reports")["reports"]) == 3
        assert all(run.pages <= 15 for run in runs), [run.pages for run in runs]
        hessen = runs.get(draft__lab__slug="vielfalt-hessen").draft
        assert [s.slug for s in hessen.surveys.all()] == ["feedback-vielfaltsmanagement"]
        # the events of the cohort's time only: no upcoming event in a report of 2021-2022
        assert hessen.events.exists()
        assert not hessen.events.filter(starts_at__year__gt=2022).exists()

        assert "Created: nothing." in seed()
        assert ReportRun.objects.count() == 3
        # a withdrawn sample stays withdrawn: the coordinator's decision, not the seed's
        run = runs.get(draft__lab__slug="innolab-vielfalt")
        ReportRun.objects.filter(pk=run.pk).update(withdrawn_at=run.published_at)
        assert "Created: nothing." in seed()
        assert ReportRun.objects.count() == 3

    def test_without_pdfs_the_drafts_only_and_a_later_run_publishes(self, seeded, seed):
        ReportRun.objects.filter(draft__lab__slug="kommunen-fuer-alle").delete()
        assert "Created: nothing." in seed(NO_PDFS)
        assert ReportRun.objects.count() == 2
        output = seed()
        assert "1 published report versions, 1 report versions." in output
        assert ReportRun.objects.filter(published_at__isnull=False).count() == 3

    def test_prints_the_logins_unless_quiet(self, seeded, seed):
        output = seeded
        assert re.search(r"Role\s+E-mail\s+Password", output)
        for spec in load("labs")["logins"]:
            line = next(line for line in output.splitlines() if spec["email"] in line)
            assert line.rstrip().endswith(PASSWORD)
        assert "Tandem (Bischofsheim, Personalamt)" in output

        assert seed("--quiet") == ""


def test_refuses_without_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo", "--quiet")
    assert not Lab.objects.exists()

    call_command("seed_demo", "--quiet", "--force", NO_PDFS)
    assert Lab.objects.count() == 3

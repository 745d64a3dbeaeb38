"""manage.py seed_demo: build the demo labs, cohorts, municipalities and one login per role.

Idempotent: objects are looked up by slug, name or e-mail address and only what is missing is
created; texts that differ from labs/demo_data.py are updated, everything else is left alone, so
a second run changes nothing. Every write that grants a role goes through labs.services, so the
django-guardian grants are the same as for objects made in the UI.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from labs import demo_data, services
from labs.models import Cohort, Lab, Municipality, Participation

LAB_FIELDS = ("name", "organiser", "description", "funding_acknowledgement")
COHORT_FIELDS = ("name", "start_date", "end_date", "description")
MUNICIPALITY_FIELDS = ("state", "district", "ags", "population", "population_date")
PARTICIPATION_FIELDS = ("status", "starting_situation", "process_goals", "central_results")


def _changes(obj, spec: dict, fields) -> dict:
    """The fields of `spec` whose value differs from the object's."""
    return {f: spec[f] for f in fields if getattr(obj, f) != spec[f]}


class Seeder:
    def __init__(self, password: str):
        self.password = password
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}

    def _count(self, bucket: dict, kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    # -- people ----------------------------------------------------------------------------

    def user(self, spec: dict):
        User = get_user_model()
        email = spec["email"].lower()
        user = User.objects.filter(email__iexact=email).first()
        superuser = spec.get("superuser", False)
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(email=email, password=self.password, name=spec["name"])
            self._count(self.created, "users")
        else:
            dirty = []
            if user.name != spec["name"]:
                user.name = spec["name"]
                dirty.append("name")
            if not user.is_active:
                user.is_active = True
                dirty.append("is_active")
            if superuser and not (user.is_staff and user.is_superuser):
                user.is_staff = user.is_superuser = True
                dirty += ["is_staff", "is_superuser"]
            if not user.check_password(self.password):
                user.set_password(self.password)
                dirty.append("password")
            if dirty:
                user.save(update_fields=dirty)
                self._count(self.updated, "users")
        self._verified_primary_address(user)
        return user

    def _verified_primary_address(self, user) -> None:
        """allauth lets a user log in (verification is mandatory) only with a verified address."""
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address is not None and address.verified and address.primary:
            return
        EmailAddress.objects.filter(user=user, primary=True).exclude(
            pk=getattr(address, "pk", None)
        ).update(primary=False)
        if address is None:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        else:
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])

    # -- labs ------------------------------------------------------------------------------

    def lab(self, spec: dict, created_by) -> Lab:
        lab = Lab.objects.filter(slug=spec["slug"]).first()
        fields = {f: spec[f] for f in LAB_FIELDS}
        if lab is None:
            lab = services.lab_create(created_by=created_by, slug=spec["slug"], **fields)
            self._count(self.created, "labs")
        elif changes := _changes(lab, spec, LAB_FIELDS):
            services.lab_update(lab=lab, **changes)
            self._count(self.updated, "labs")
        return lab

    def cohort(self, lab: Lab, spec: dict) -> Cohort:
        cohort = Cohort.objects.filter(lab=lab, slug=spec["slug"]).first()
        if cohort is None:
            fields = {f: spec[f] for f in COHORT_FIELDS}
            cohort = services.cohort_create(lab=lab, slug=spec["slug"], **fields)
            self._count(self.created, "cohorts")
        elif changes := _changes(cohort, spec, COHORT_FIELDS):
            services.cohort_update(cohort=cohort, **changes)
            self._count(self.updated, "cohorts")
        return cohort

    def municipality(self, lab: Lab, spec: dict) -> Municipality:
        municipality = Municipality.objects.filter(lab=lab, name=spec["name"]).first()
        if municipality is None:
            fields = {f: spec[f] for f in MUNICIPALITY_FIELDS}
            municipality = services.municipality_create(lab=lab, name=spec["name"], **fields)
            self._count(self.created, "municipalities")
        elif changes := _changes(municipality, spec, MUNICIPALITY_FIELDS):
            services.municipality_update(municipality=municipality, **changes)
            self._count(self.updated, "municipalities")
        return municipality

    def participation(self, cohort: Cohort, municipality: Municipality, spec: dict):
        participation = Participation.objects.filter(
            cohort=cohort, municipality=municipality
        ).first()
        if participation is None:
            # If an earlier version of the demo data put the municipality into another cohort of
            # this lab, move that participation (with its tandem) instead of adding a second one.
            elsewhere = Participation.objects.filter(
                cohort__lab=cohort.lab, municipality=municipality
            )
            if elsewhere.count() == 1:
                participation = services.participation_update(
                    participation=elsewhere.get(), cohort=cohort
                )
                self._count(self.updated, "participations")
        if participation is None:
            fields = {f: spec[f] for f in PARTICIPATION_FIELDS}
            participation = services.participation_admit(
                cohort=cohort, municipality=municipality, **fields
            )
            self._count(self.created, "participations")
        elif changes := _changes(participation, spec, PARTICIPATION_FIELDS):
            services.participation_update(participation=participation, **changes)
            self._count(self.updated, "participations")
        return participation

    def tandem_member(self, participation: Participation, user, department: str) -> None:
        member = services.tandem_member_add(
            participation=participation, user=user, department=department
        )
        if member.department != department:
            # Not a grant, just the department of an existing member.
            member.department = department
            member.save(update_fields=["department"])
            self._count(self.updated, "tandem members")

    # -- all -------------------------------------------------------------------------------

    def run(self) -> list[tuple[str, str]]:
        """Seed everything; returns (role, e-mail) of the demo logins."""
        users = {spec["key"]: self.user(spec) for spec in demo_data.USERS}
        coordinator = users["coordinator"]
        labs, cohorts = {}, {}
        for lab_spec in demo_data.LABS:
            lab = labs[lab_spec["slug"]] = self.lab(lab_spec, created_by=coordinator)
            for cohort_spec in lab_spec["cohorts"]:
                cohorts[lab.slug, cohort_spec["slug"]] = self.cohort(lab, cohort_spec)
            for spec in lab_spec["municipalities"]:
                municipality = self.municipality(lab, spec)
                self.participation(cohorts[lab.slug, spec["cohort"]], municipality, spec)

        logins = []
        for spec in demo_data.USERS:
            user = users[spec["key"]]
            for lab_slug, role in spec.get("labs", []):
                # get_or_create inside; granting twice changes nothing.
                services.lab_membership_grant(lab=labs[lab_slug], user=user, role=role)
            label = spec["role_label"]
            if tandem := spec.get("tandem"):
                lab_slug, cohort_slug, municipality_name, department = tandem
                participation = Participation.objects.get(
                    cohort=cohorts[lab_slug, cohort_slug],
                    municipality__name=municipality_name,
                )
                self.tandem_member(participation, user, department)
                label = f"{label} ({municipality_name}, {department})"
            logins.append((label, user.email))
        return logins


class Command(BaseCommand):
    help = (
        "Create the demo labs (InnoLab Vielfalt, ECCAR „Kommunen für alle?“, Vielfaltsorientierung "
        "in hessischen Kommunen) with cohorts, municipalities and one login per role. "
        "Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing except errors.")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Seed even though DEMO_MODE is off. The demo logins have a published password "
                "and one of them is a superuser: never use this on a real instance."
            ),
        )

    def handle(self, *args, quiet: bool = False, force: bool = False, **options):
        if not (settings.DEMO_MODE or force):
            raise CommandError(
                "DEMO_MODE is off: this looks like a real instance. The demo creates a superuser "
                "with a published password. Set DEMO_MODE=true or pass --force if you mean it."
            )
        seeder = Seeder(password=demo_data.DEMO_PASSWORD)
        try:
            with transaction.atomic():
                logins = seeder.run()
        except ValidationError as exc:
            raise CommandError(f"The demo data is not valid: {exc}") from exc
        if quiet:
            return
        self.stdout.write(self._summary(seeder))
        self.stdout.write("")
        self.stdout.write(self._table(logins, demo_data.DEMO_PASSWORD))

    @staticmethod
    def _summary(seeder: Seeder) -> str:
        def fmt(counts: dict) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"

        labs = demo_data.LABS
        n_cohorts = sum(len(lab["cohorts"]) for lab in labs)
        n_participations = sum(len(lab["municipalities"]) for lab in labs)
        return (
            f"Demo data ready: {len(labs)} labs, {n_cohorts} cohorts, "
            f"{n_participations} participations.\n"
            f"Created: {fmt(seeder.created)}. Updated: {fmt(seeder.updated)}."
        )

    @staticmethod
    def _table(logins: list[tuple[str, str]], password: str) -> str:
        rows = [("Role", "E-mail", "Password"), *((r, e, password) for r, e in logins)]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

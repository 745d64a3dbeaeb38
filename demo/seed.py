"""The demo seeder: builds the demo world of demo/data/*.yaml through the apps' services.

Idempotent: objects are looked up by slug, name or e-mail address and only what is missing is
created; texts that differ from demo/data/labs.yaml are updated, everything else is left alone,
so a second run changes nothing. Every write that grants a role goes through labs.services, so the
django-guardian grants are the same as for objects made in the UI.

The Hessen municipalities also get their tandem and mission profile from demo/data/missions.yaml,
written through missions.services like a tandem would write them in the UI (so history and
version counters are real). Profiles are looked up by participation, goals by position, measures
by title and progress updates by date; a service is called only when something is missing or a
value differs, so a second run adds no history rows either. A profile seeded for the first time
then gets dates of its cohort's time instead of the seeding's (demo/history.py).

Writes without a service, through the model managers: the demo logins and people
(User.objects.create_user / create_superuser, save) with their verified allauth EmailAddress, the
empty mission profile (as the profile page creates it on first visit) and corrections of a
progress update (no service edits one), the admission time of a participation admitted in this run
(backdated to its cohort's start); demo/surveys.py, demo/events.py and demo/reports.py name
theirs.
"""

import datetime as dt
from collections import deque
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from labs import services
from labs.models import Cohort, Lab, LabRole, Municipality, Participation
from missions import services as mission_services
from missions.models import (
    MEASURE_TRANSITIONS,
    Measure,
    MeasureStatus,
    MissionProfile,
    ProfileStatus,
    ReviewAction,
)
from tandems import services as tandem_services
from tandems.models import TandemMember

from . import events as demo_events
from . import history as demo_history
from . import reports as demo_reports
from . import surveys as demo_surveys
from .loader import load

LAB_FIELDS = ("name", "organiser", "description", "funding_acknowledgement", "funding_line")
COHORT_FIELDS = ("name", "start_date", "end_date", "description")
MUNICIPALITY_FIELDS = ("state", "district", "ags", "population", "population_date")
PARTICIPATION_FIELDS = ("status", "starting_situation", "process_goals", "central_results")
TANDEM_FIELDS = ("sponsor_name", "sponsor_function", "commitment_date")
PROFILE_FIELDS = (
    "challenge", "vision", "target_groups", "dimensions", "stakeholders",
    "mission_statement", "resources", "risks",
)  # fmt: skip
GOAL_FIELDS = (
    "statement", "catalogue_indicator", "indicator", "unit", "baseline", "target", "deadline",
    "owner", "achievability", "relevance",
)  # fmt: skip
INDICATOR_FIELDS = ("name", "definition", "unit", "direction", "data_source")
MEASURE_FIELDS = ("description", "responsible", "due_date")
# Who takes which review step: the tandem submits, the lab's coordinator decides.
COORDINATOR_ACTIONS = {ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.ACTIVATE}


def _lab_spec(slug: str) -> dict:
    return next(lab for lab in load("labs")["labs"] if lab["slug"] == slug)


def _changes(obj, spec: dict, fields) -> dict:
    """The fields of `spec` whose value differs from the object's."""
    return {f: spec[f] for f in fields if getattr(obj, f) != spec[f]}


def _backdate_admission(participation: Participation) -> None:
    """A participation admitted in this run of a cohort that has begun was admitted, and last
    changed, on the cohort's first day (so a report's "data as of" reads as of the cohort's
    time, not the moment of seeding)."""
    start = participation.cohort.start_date
    if start is None or start > timezone.localdate():
        return
    admitted = dt.datetime.combine(start, dt.time(9, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    Participation.objects.filter(pk=participation.pk).update(
        created_at=admitted, updated_at=admitted
    )


def _steps(start, goal, edges: dict) -> list | None:
    """The shortest list of step labels from `start` to `goal`; edges maps a state to
    (label, next state) pairs. [] if already there, None if unreachable."""
    queue, seen = deque([(start, [])]), {start}
    while queue:
        state, path = queue.popleft()
        if state == goal:
            return path
        for label, nxt in edges.get(state, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, [*path, label]))
    return None


MEASURE_EDGES = {
    state: [(nxt, nxt) for nxt in sorted(targets)] for state, targets in MEASURE_TRANSITIONS.items()
}
REVIEW_EDGES: dict = {}
for _action, (_sources, _target) in mission_services.REVIEW_TRANSITIONS.items():
    for _source in _sources:
        REVIEW_EDGES.setdefault(_source, []).append((_action, _target))


class Seeder:
    def __init__(self, password: str, report_pdfs: bool = True):
        self.password = password
        self.report_pdfs = report_pdfs
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.new_members: set[int] = set()  # tandem members created in this run
        self.picks: dict = {}  # (municipality, goal index) -> its catalogue indicator

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
            _backdate_admission(participation)
            self._count(self.created, "participations")
        elif changes := _changes(participation, spec, PARTICIPATION_FIELDS):
            services.participation_update(participation=participation, **changes)
            self._count(self.updated, "participations")
        return participation

    def tandem_member(
        self,
        participation: Participation,
        user,
        department: str | None,
        function: str | None = None,
    ) -> None:
        """Add the user to the tandem; department/function None: leave as is."""
        is_new = not TandemMember.objects.filter(
            tandem__participation=participation, user=user
        ).exists()
        member = tandem_services.tandem_member_add(
            participation=participation, user=user, department=department or ""
        )
        if is_new:
            self._count(self.created, "tandem members")
            self.new_members.add(member.pk)
        wanted = {
            "department": member.department if department is None else department,
            "function": member.function if function is None else function,
        }
        if _changes(member, wanted, wanted):
            tandem_services.tandem_member_update(member=member, **wanted)
            if member.pk not in self.new_members:
                self._count(self.updated, "tandem members")

    # -- tandems and mission profiles (Hessen) ---------------------------------------------

    def person(self, spec: dict):
        """A fictional tandem member: no usable password, so nobody can log in as them."""
        User = get_user_model()
        email = spec["email"].lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, name=spec["name"])
            user.set_unusable_password()
            user.save()
            self._count(self.created, "people")
            return user
        dirty = []
        if user.name != spec["name"]:
            user.name = spec["name"]
            dirty.append("name")
        if user.has_usable_password():
            user.set_unusable_password()
            dirty.append("password")
        if dirty:
            user.save(update_fields=dirty)
            self._count(self.updated, "people")
        return user

    def tandem(self, participation: Participation, spec: dict, logins: dict) -> list:
        """Sponsor and members of the participation's tandem; returns the member users."""
        tandem = tandem_services.tandem_for_participation(participation)
        if _changes(tandem, spec, TANDEM_FIELDS):
            first_time = not any(getattr(tandem, field) for field in TANDEM_FIELDS)
            tandem_services.tandem_update(tandem=tandem, **{f: spec[f] for f in TANDEM_FIELDS})
            self._count(self.created if first_time else self.updated, "tandem sponsors")
        users = []
        for member in spec["members"]:
            if "login" in member:
                # A demo login; its department comes from demo/data/labs.yaml.
                user, department = logins[member["login"]], None
            else:
                user, department = self.person(member), member["department"]
            self.tandem_member(participation, user, department, member.get("function"))
            users.append(user)
        return users

    def mission_profile(self, participation: Participation, spec: dict, author, coordinator):
        profile = MissionProfile.objects.filter(participation=participation).first()
        # the empty profile created at admission counts as created here
        created = profile is None or not profile.is_started
        if profile is None:
            # As the admission does; the fields follow through the service.
            profile = MissionProfile(participation=participation, updated_by=author)
            profile._history_user = author
            profile.save()
        if created:
            self._count(self.created, "mission profiles")
        if changes := _changes(profile, spec, PROFILE_FIELDS):
            profile = mission_services.profile_update(
                profile=profile, user=author, expected_version=None, **changes
            )
            if not created:
                self._count(self.updated, "mission profiles")

        goals = self.goals(profile, spec["goals"], author)
        for goal, goal_spec in zip(goals, spec["goals"], strict=True):
            self.progress(goal, goal_spec["progress"], author)
        for measure_spec in spec["measures"]:
            self.measure(profile, measure_spec, goals, author)

        if profile.shared_with_cohort != spec["shared_with_cohort"]:
            profile = mission_services.profile_share(
                profile=profile, user=author, shared=spec["shared_with_cohort"]
            )
            if not created:
                self._count(self.updated, "mission profiles")
        self.review(profile, spec, author, coordinator)
        if created:
            # its history, review steps and "last changed" in the cohort's time, not today
            demo_history.backdate_profile(profile)
        return profile

    def goals(self, profile: MissionProfile, specs: list[dict], author) -> list:
        existing = {goal.position: goal for goal in profile.goals.all()}
        municipality = profile.participation.municipality.name
        goals = []
        for position, spec in enumerate(specs, start=1):
            goal = existing.get(position)
            spec = {**spec, "catalogue_indicator": self.picks.get((municipality, position - 1))}
            if goal is None:
                fields = {f: spec[f] for f in GOAL_FIELDS}
                goal = mission_services.goal_create(
                    profile=profile, user=author, position=position, **fields
                )
                self._count(self.created, "goals")
            elif changes := _changes(goal, spec, GOAL_FIELDS):
                goal = mission_services.goal_update(
                    goal=goal, user=author, expected_version=None, **changes
                )
                self._count(self.updated, "goals")
            goals.append(goal)
        return goals

    def progress(self, goal, specs: list[dict], author) -> None:
        existing = {update.date: update for update in goal.progress_updates.all()}
        for spec in specs:
            value, on, note = spec["value"], spec["date"], spec["note"]
            update = existing.get(on)
            if update is None:
                mission_services.progress_add(goal=goal, user=author, value=value, on=on, note=note)
                self._count(self.created, "progress updates")
            elif update.value != value or update.note != note:
                # No service edits an update (and they keep no history): correct it in place.
                update.value, update.note = value, note
                update.save(update_fields=["value", "note"])
                self._count(self.updated, "progress updates")

    def measure(self, profile: MissionProfile, spec: dict, goals: list, author) -> None:
        linked = [goals[i] for i in spec["goals"]]
        measure = Measure.objects.filter(profile=profile, title=spec["title"]).first()
        created = measure is None
        if created:
            fields = {f: spec[f] for f in MEASURE_FIELDS}
            measure = mission_services.measure_create(
                profile=profile, user=author, goals=linked, title=spec["title"], **fields
            )
            self._count(self.created, "measures")
        else:
            changes = _changes(measure, spec, MEASURE_FIELDS)
            goals_differ = {g.pk for g in measure.goals.all()} != {g.pk for g in linked}
            if changes or goals_differ:
                measure = mission_services.measure_update(
                    measure=measure,
                    user=author,
                    expected_version=None,
                    goals=linked if goals_differ else None,
                    **changes,
                )
                self._count(self.updated, "measures")

        status, reason = MeasureStatus(spec["status"]), spec.get("drop_reason", "")
        if measure.status == status:
            # Only the reason of a dropped measure can still differ.
            reason_differs = status == MeasureStatus.DROPPED and measure.drop_reason != reason
            steps = [status] if reason_differs else []
        else:
            # A new measure starts as planned and walks the lifecycle, like in the UI. If the
            # lifecycle allows no way back (e.g. someone sustained it in the UI), leave it.
            steps = _steps(measure.status, status, MEASURE_EDGES) or []
        for step in steps:
            measure = mission_services.measure_set_status(
                measure=measure,
                user=author,
                status=step,
                reason=reason if step == MeasureStatus.DROPPED else "",
            )
        if steps and not created:
            self._count(self.updated, "measures")

    def review(self, profile: MissionProfile, spec: dict, author, coordinator) -> None:
        target = ProfileStatus(spec["status"])
        # If the workflow allows no way there (e.g. the profile was approved in the UI and the
        # demo data says draft), leave the profile as it is.
        steps = _steps(ProfileStatus(profile.status), target, REVIEW_EDGES) or []
        for action in steps:
            reviewer = coordinator if action in COORDINATOR_ACTIONS else author
            comment = spec.get("review_comment", "") if action == ReviewAction.RETURN else ""
            profile = mission_services.profile_review(
                profile=profile, user=reviewer, action=action, comment=comment
            )
            self._count(self.created, "review steps")

    def missions(self, participations: dict, logins: dict, coordinator) -> None:
        data = load("missions")
        lab_slug, profiles = data["lab"], data["profiles"]
        municipalities = {spec["name"] for spec in _lab_spec(lab_slug)["municipalities"]}
        if set(profiles) != municipalities:
            raise CommandError(
                "demo/data/missions.yaml and demo/data/labs.yaml disagree on the municipalities "
                f"of {lab_slug}: {sorted(set(profiles) ^ municipalities)}"
            )
        self.picks = self.indicators(participations[lab_slug, next(iter(profiles))].cohort.lab)
        for name, spec in profiles.items():
            participation = participations[lab_slug, name]
            members = self.tandem(participation, spec["tandem"], logins)
            self.mission_profile(participation, spec, author=members[0], coordinator=coordinator)

    def indicators(self, lab) -> dict:
        """The lab's indicator catalogue (demo/data/indicators.yaml); returns which indicator
        each listed goal picks: (municipality, goal index) -> Indicator."""
        data = load("indicators")
        if data["lab"] != lab.slug:
            raise CommandError("demo/data/indicators.yaml is for the lab of missions.yaml")
        existing = {indicator.name: indicator for indicator in lab.indicators.all()}
        picks = {}
        for spec in data["indicators"]:
            indicator = existing.get(spec["name"])
            if indicator is None:
                indicator = mission_services.indicator_create(
                    lab=lab, **{f: spec[f] for f in INDICATOR_FIELDS}
                )
                self._count(self.created, "indicators")
            for goal in spec["goals"]:
                picks[goal["municipality"], goal["goal"]] = indicator
        return picks

    # -- surveys (Hessen) -------------------------------------------------------------------

    def surveys(self, coordinator) -> None:
        """Baseline, final and training feedback survey of each Hessen cohort, with answers
        whose means are the figures of the Hessen final report (demo/data/surveys.yaml).
        A survey that exists is left alone, so a second run creates nothing."""
        for kind, n in demo_surveys.seed_surveys(created_by=coordinator).items():
            self.created[kind] = self.created.get(kind, 0) + n

    # -- the cohorts' process: phases, events, registrations (every lab) ------------------

    def events(self, coordinator) -> None:
        """Phases, workshops, Innovationszirkel, the five Vielfaltsmanager:innen runs with their
        participants and attendance (demo/data/events.yaml). Runs after surveys(): the
        training's follow-up days point to the Hessen feedback survey."""
        created, updated = demo_events.seed_events(created_by=coordinator)
        for kind, n in created.items():
            self.created[kind] = self.created.get(kind, 0) + n
        for kind, n in updated.items():
            self.updated[kind] = self.updated.get(kind, 0) + n

    # -- a published sample report per lab -------------------------------------------------

    def reports(self, coordinator) -> None:
        """A short report per lab, rendered and published, and Hessen's lab-wide final-report
        draft with foreword, imprint, contact, logos and quotes (demo/data/reports.yaml); without
        report_pdfs only the drafts. Runs last: the reports read the data seeded before."""
        created = demo_reports.seed_reports(created_by=coordinator, render=self.report_pdfs)
        for kind, n in created.items():
            self.created[kind] = self.created.get(kind, 0) + n

    # -- all -------------------------------------------------------------------------------

    def run(self) -> list[tuple[str, str]]:
        """Seed everything; returns (role, e-mail) of the demo logins."""
        data = load("labs")
        users = {spec["key"]: self.user(spec) for spec in data["logins"]}
        coordinator = users["coordinator"]
        labs, cohorts, participations = {}, {}, {}
        for lab_spec in data["labs"]:
            lab = labs[lab_spec["slug"]] = self.lab(lab_spec, created_by=coordinator)
            for cohort_spec in lab_spec["cohorts"]:
                cohorts[lab.slug, cohort_spec["slug"]] = self.cohort(lab, cohort_spec)
            for spec in lab_spec["municipalities"]:
                municipality = self.municipality(lab, spec)
                participations[lab.slug, spec["name"]] = self.participation(
                    cohorts[lab.slug, spec["cohort"]], municipality, spec
                )

        logins = []
        for spec in data["logins"]:
            user = users[spec["key"]]
            for grant in spec.get("labs", []):
                # get_or_create inside; granting twice changes nothing.
                services.lab_membership_grant(
                    lab=labs[grant["lab"]], user=user, role=LabRole(grant["role"])
                )
            label = spec["role_label"]
            if tandem := spec.get("tandem"):
                participation = Participation.objects.get(
                    cohort=cohorts[tandem["lab"], tandem["cohort"]],
                    municipality__name=tandem["municipality"],
                )
                self.tandem_member(participation, user, tandem["department"])
                label = f"{label} ({tandem['municipality']}, {tandem['department']})"
            logins.append((label, user.email))
        self.missions(participations, users, coordinator)
        self.surveys(coordinator)
        self.events(coordinator)
        self.reports(coordinator)
        return logins


def seed(
    *, password: str | None = None, report_pdfs: bool = True
) -> tuple[Seeder, list[tuple[str, str]]]:
    """Seed everything in one transaction; returns the seeder (its created and updated counts)
    and the (role, e-mail) of the demo logins. ValidationError if the data is not valid.
    report_pdfs=False: the sample reports' drafts only, no PDF rendered (seconds saved)."""
    seeder = Seeder(password=password or load("labs")["password"], report_pdfs=report_pdfs)
    with transaction.atomic():
        logins = seeder.run()
    return seeder, logins


def summary(seeder: Seeder) -> str:
    def fmt(counts: dict) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"

    labs = load("labs")["labs"]
    n_cohorts = sum(len(lab["cohorts"]) for lab in labs)
    n_participations = sum(len(lab["municipalities"]) for lab in labs)
    n_profiles = len(load("missions")["profiles"])
    return (
        f"Demo data ready: {len(labs)} labs, {n_cohorts} cohorts, "
        f"{n_participations} participations, {n_profiles} mission profiles.\n"
        f"Created: {fmt(seeder.created)}. Updated: {fmt(seeder.updated)}."
    )


def login_table(logins: list[tuple[str, str]], password: str) -> str:
    rows = [("Role", "E-mail", "Password"), *((r, e, password) for r, e in logins)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

"""The demo labs' process (demo/data/events.yaml): cohort phases, workshops, network meetings,
trainings, registrations, attendance, outcomes and a few materials, seeded after the surveys, so
that the training's follow-up days can point to the Hessen feedback survey.

Idempotent: phases are looked up by cohort and kind, events by lab and title, registrations by
event and person, materials by event and file name, participants by e-mail address; only what is
missing is created. The upcoming events are placed relative to the day of seeding; if one has
passed by a later run, it is moved forward again. Who registered and who came is drawn from a
Random seeded with the event's title, so every run on every machine gives the same answers.

Through the services of events: phases (cohort_phases_set), events (event_create) and
materials (uploads.event_material_create). Without a service, through the model managers:
registrations and attendance (EventRegistration.objects.bulk_create — seeding sends no e-mail,
the invitation service would), the Hessen lab's own event type (get_or_create), the training's
participants (User.objects.bulk_create, no usable password; their participant role in the lab
goes through labs.services.lab_membership_grant), and back-dating: a material's upload time, an
upcoming event moved ahead, a follow-up day's feedback survey, a new event's creation three weeks
before it (QuerySet.update).
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from evaluations.models import Survey
from events import services, uploads
from events.models import (
    AttendanceStatus,
    Event,
    EventMaterial,
    EventRegistration,
    EventType,
    RegistrationStatus,
)
from labs import services as lab_services
from labs.models import Cohort, Lab, LabMembership, LabRole, Participation
from tandems.models import TandemMember

from .loader import BERLIN, berlin_datetime, berlin_time, load, material

ONLINE = "online"


def _participant_name(serial: int, first_names: list[str], last_names: list[str]) -> str:
    first = first_names[serial % len(first_names)]
    last = last_names[(serial * 7 + serial // len(first_names)) % len(last_names)]
    return f"{first} {last}"


# --- seeding -------------------------------------------------------------------------------------


class _Seeder:
    def __init__(self, created_by, now: dt.datetime):
        self.data = load("events")
        self.created_by = created_by
        self.now = now
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.types = {t.code: t for t in EventType.objects.filter(lab=None)}
        slugs = [lab["slug"] for lab in load("labs")["labs"]]
        self.cohorts = {
            (c.lab.slug, c.slug): c
            for c in Cohort.objects.filter(lab__slug__in=slugs).select_related("lab")
        }
        self.labs = {lab.slug: lab for lab in Lab.objects.filter(slug__in=slugs)}
        self.logins = {
            spec["key"]: spec["email"].lower()
            for spec in load("labs")["logins"]
            if "tandem" in spec
        }

    def count(self, bucket: dict, kind: str, n: int = 1) -> None:
        if n:
            bucket[kind] = bucket.get(kind, 0) + n

    # -- phases -------------------------------------------------------------------------------

    def phases(self) -> None:
        for spec in self.data["phases"]:
            cohort = self.cohorts.get((spec["lab"], spec["cohort"]))
            if cohort is None:
                continue
            existing = {p.kind: (p.starts_on, p.ends_on) for p in cohort.phases.all()}
            wanted = {row["kind"]: (row["start"], row["end"]) for row in spec["phases"]}
            if existing == wanted:
                continue
            services.cohort_phases_set(cohort=cohort, phases=wanted)
            self.count(self.created, "phases", len(wanted.keys() - existing.keys()))
            changed = [k for k in wanted.keys() & existing.keys() if wanted[k] != existing[k]]
            self.count(self.updated, "phases", len(changed))

    # -- events -------------------------------------------------------------------------------

    def event(self, lab_slug: str, spec: dict, event_type=None) -> Event | None:
        """The event of `spec` (its "start" and "end" datetimes); None if the lab is missing."""
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
        # planned three weeks ahead (an event of the past was not created at the seeding)
        planned = min(spec["start"] - dt.timedelta(weeks=3), self.now)
        Event.objects.filter(pk=event.pk).update(created_at=planned, updated_at=planned)
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

    def material(self, event: Event, spec: dict) -> None:
        """A file of demo/data/materials/ ("file"), uploaded as "name" with the "title"."""
        if EventMaterial.objects.filter(event=event, original_name=spec["name"]).exists():
            return
        upload = SimpleUploadedFile(
            spec["name"], material(spec["file"]), content_type="application/pdf"
        )
        created = uploads.event_material_create(
            event=event, upload=upload, user=self.created_by, title=spec["title"]
        )
        # handed out around the event, not on the day of seeding
        uploaded_at = min(event.starts_at - dt.timedelta(days=2), self.now)
        EventMaterial.objects.filter(pk=created.pk).update(uploaded_at=uploaded_at)
        self.count(self.created, "materials")

    def single_events(self) -> None:
        for spec in self.data["events"]:
            spec = {
                **spec,
                "start": berlin_datetime(spec["start"]),
                "end": berlin_datetime(spec["end"]),
            }
            event = self.event(spec["lab"], spec)
            if event is None:
                continue
            self.invite_tandems(event, spec)
            if spec.get("material"):
                self.material(event, spec["material"])

    # -- Hessen: Innovationszirkel ------------------------------------------------------------

    def innovationszirkel(self) -> None:
        zirkel = self.data["innovationszirkel"]
        lab = self.labs.get(zirkel["lab"])
        if lab is None:
            return
        event_type, created = EventType.objects.get_or_create(
            lab=lab,
            code=zirkel["type"]["code"],
            defaults={"name_de": zirkel["type"]["name_de"], "name_en": zirkel["type"]["name_en"]},
        )
        self.count(self.created, "event types", int(created))
        for meeting in zirkel["meetings"]:
            online = meeting["format"] == ONLINE
            spec = {
                "title": zirkel["title"].format(topic=meeting["topic"]),
                "cohorts": meeting["cohorts"],
                "guests": True,
                "start": berlin_time(meeting["day"], zirkel["start"]),
                "end": berlin_time(meeting["day"], zirkel["end"]),
                "format": meeting["format"],
                "place": "" if online else zirkel["place"],
                "online_url": zirkel["online_url"] if online else "",
                "facilitators": zirkel["facilitators"],
                "agenda": zirkel["agenda"].format(topic=meeting["topic"]),
                "invite": "cohorts",
                "outcomes": meeting["outcomes"],
            }
            event = self.event(lab.slug, spec, event_type)
            self.invite_tandems(event, spec)

        # The exchange round of the people responsible for the strategies goes on after the
        # project; one meeting lies ahead so that the demo shows an upcoming event.
        spec = {**self._upcoming(zirkel["upcoming"]), "guests": True, "invite": "cohorts"}
        event = self.event(lab.slug, spec, event_type)
        self._keep_ahead(event, spec)
        self.invite_tandems(event, spec)

    def _upcoming(self, spec: dict) -> dict:
        """`spec` with its "start" and "end": on the given weekday (Monday = 0) `weeks_ahead`
        weeks from now, Berlin time, lasting `minutes`."""
        day = timezone.localtime(self.now, BERLIN).date() + dt.timedelta(weeks=spec["weeks_ahead"])
        day += dt.timedelta(days=(spec["weekday"] - day.weekday()) % 7)
        start = berlin_time(day, spec["start"])
        return {**spec, "start": start, "end": start + dt.timedelta(minutes=spec["minutes"])}

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

    def upcoming(self) -> None:
        """The other upcoming events (open to guests, nobody invited by name)."""
        for item in self.data["upcoming"]:
            spec = {**self._upcoming(item), "guests": True, "invite": None}
            event = self.event(item["lab"], spec)
            if event is not None:
                self._keep_ahead(event, spec)

    # -- Hessen: the Vielfaltsmanager:innen training ------------------------------------------

    def training(self) -> None:
        training = self.data["training"]
        lab = self.labs.get(training["lab"])
        if lab is None:
            return
        participations = {
            p.municipality.name: p
            for p in Participation.objects.filter(cohort__lab=lab).select_related("municipality")
        }
        people = self._participants()
        self._participant_roles(lab, people, participations)
        for run in training["runs"]:
            survey = self._feedback_survey(lab.slug, run["feedback"])
            first = None
            events = []
            days = (*run["days"], run["follow_up"])
            for index, (day, format_, part) in enumerate(
                zip(days, run["formats"], training["parts"], strict=True)
            ):
                online = format_ == ONLINE
                follow_up = index == len(days) - 1
                spec = {
                    "title": training["title"].format(number=run["number"], part=part["title"]),
                    "cohorts": run["cohorts"],
                    "guests": True,
                    "type": training["type"],
                    "start": berlin_time(day, part["start"]),
                    "end": berlin_time(day, part["end"]),
                    "format": format_,
                    "place": "" if online else run.get("place", ""),
                    "online_url": training["online_url"] if online else "",
                    "facilitators": training["facilitators"],
                    "agenda": training["agenda"] if index == 0 else "",
                    "capacity": training["capacity"],
                    "series": first,
                    "feedback_survey": survey if follow_up else None,
                    "outcomes": part["outcomes"],
                }
                event = self.event(lab.slug, spec)
                if follow_up and survey is not None and event.feedback_survey_id is None:
                    Event.objects.filter(pk=event.pk).update(feedback_survey=survey)
                    self.count(self.updated, "events")
                first = first or event
                events.append(event)
            self._training_registrations(events, participations, people[run["number"]])
            if run.get("material"):
                self.material(events[0], run["material"])

    def _feedback_survey(self, lab_slug: str, cohort_slug: str) -> Survey | None:
        cohort = self.cohorts.get((lab_slug, cohort_slug))
        if cohort is None:
            return None
        slug = self.data["training"]["feedback_survey"]
        return Survey.objects.filter(cohort=cohort, slug=slug).first()

    def _participants(self) -> dict[int, list[tuple[int, str | None, bool]]]:
        """Per run: (user id, municipality or None, completed) of its participants, creating the
        accounts that are missing (no usable password: nobody logs in as them). Guests (from
        municipalities outside the project) come after the municipalities' people."""
        training = self.data["training"]
        User = get_user_model()
        wanted = []  # (run number, email, name, municipality, completed)
        serial = 0
        for run in training["runs"]:
            index = 0
            buckets = (
                (run.get("trained", {}), run.get("trained_guests", 0), True),
                (run.get("dropouts", {}), run.get("dropout_guests", 0), False),
            )
            for by_municipality, guests, completed in buckets:
                for municipality, n in [*by_municipality.items(), (None, guests)]:
                    for _ in range(n):
                        index += 1
                        email = training["participant_email"].format(
                            number=run["number"], index=index
                        )
                        name = _participant_name(
                            serial, training["first_names"], training["last_names"]
                        )
                        wanted.append((run["number"], email, name, municipality, completed))
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
        people: dict[int, list] = {run["number"]: [] for run in training["runs"]}
        for number, email, _name, municipality, completed in wanted:
            people[number].append((ids[email], municipality, completed))
        return people

    def _participant_roles(self, lab: Lab, people: dict, participations: dict) -> None:
        """Everyone of the training takes part in the lab as a participant (LabRole.PARTICIPANT),
        tied to their municipality; guests from outside the project to none. Granted through
        labs.services like an accepted invitation, for those who lack the role only."""
        rows = [row for run_people in people.values() for row in run_people]
        has_role = set(
            LabMembership.objects.filter(
                lab=lab, role=LabRole.PARTICIPANT, user_id__in=[row[0] for row in rows]
            ).values_list("user_id", flat=True)
        )
        missing = {user_id: municipality for user_id, municipality, _c in rows}
        users = get_user_model().objects.in_bulk([u for u in missing if u not in has_role])
        for user_id, user in sorted(users.items()):
            name = missing[user_id]
            lab_services.lab_membership_grant(
                lab=lab,
                user=user,
                role=LabRole.PARTICIPANT,
                municipality=participations[name].municipality if name else None,
            )
        self.count(self.created, "participant roles", len(users))

    def _training_registrations(self, events, participations, people) -> None:
        for index, event in enumerate(events):
            follow_up = index == len(events) - 1
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
        self.upcoming()
        return self.created, self.updated


@transaction.atomic
def seed_events(*, created_by=None) -> tuple[dict, dict]:
    """Phases, events, registrations, attendance and materials of the demo labs; returns what
    was created and what was updated, by kind. Labs or cohorts that do not exist are skipped."""
    return _Seeder(created_by, timezone.now()).run()

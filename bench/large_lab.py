"""Benchmark: a large lab served by gunicorn under load (issue 8).

    DATABASE_URL=postgres://USER@HOST:PORT/DB nice -n 10 .venv/bin/python bench/large_lab.py

Needs a role with CREATEDB and `wrk` (Debian: apt-get install wrk). For each of two sizes it
creates a throwaway database next to the one DATABASE_URL names, migrates it and builds a lab:

    full size: 200 municipalities in one cohort, 400 tandem members, 2,000 SMART goals (10 per
    mission profile) with 20,000 progress updates, 1,000 measures, 300 events with 3,000
    registrations, one survey with 25,000 responses × 8 questions = 200,000 answers;
    1/20th: 10 municipalities, 20 members, 100 goals, 1,000 updates, 15 events, 10,000 answers.

(services for the lab, cohort and admissions, bulk_create for the rest, COPY for the answers),
collects the static files, and serves the app with gunicorn as production does (config.wsgi,
2 × CPUs + 1 sync workers) with bench/settings.py: production settings (DEBUG off, the same
middleware) over plain HTTP on 127.0.0.1, Redis as the cache (REDIS_URL, or a throwaway
redis-server started here), plus the floor `/bench/floor` (a trivial logged-in page on the same
stack) and an X-Query-Count response header. Logged in as the lab's coordinator (session cookie),
it requests the key pages — cohort dashboard, missions table, a mission profile, survey analysis,
event list — one at a time, right after a change (new data versions: rendered from the data) and
from the page cache, and reads the queries per request of both at both sizes; at full size it
loads the floor and then each page with wrk, 16 connections, --seconds each after a warm-up, and
compares each page with the floor run just before it.

Prints, per page: median and p95 latency, requests per second, the floor's median before it, the
ratio, one-at-a-time times, queries per request at both sizes, with the machine (CPUs, RAM,
PostgreSQL, load average); writes JSON to bench/results/large_lab.json and prints a Markdown
table. Targets: every key page's median ≤ 3 × the floor's; the same number of queries at both
sizes, cached and after a change.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import ROOT, machine, postgres_url, throwaway_database  # noqa: E402

FULL = {
    "municipalities": 200,
    "members_per_tandem": 2,
    "goals_per_profile": 10,
    "updates_per_goal": 10,
    "measures_per_profile": 5,
    "events": 300,
    "invited_municipalities_per_event": 5,
    "answers": 200_000,
}
QUESTIONS = 8  # five 1–5 scales, one single choice, one number, one free text
SMALL_DIVISOR = 20
PAGES = [
    "floor",
    "cohort_dashboard",
    "cohort_missions",
    "mission_profile",
    "survey_analysis",
    "event_list",
]
TARGET_RATIO = 3.0
RESULTS = ROOT / "bench" / "results" / "large_lab.json"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON:{"requests":%d,"duration_us":%d,"bytes":%d,"status_errors":%d,"connect_errors":%d,'
    .. '"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%.1f,"p95_us":%.1f,'
    .. '"p99_us":%.1f,"mean_us":%.1f,"max_us":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=25, help="load per page (default 25)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured load before each page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--scale", type=int, default=1, help="divide the full size by this (a quick check)"
    )
    parser.add_argument("--seed", type=int, default=20260801)
    parser.add_argument("--keep", action="store_true", help="do not drop the databases")
    parser.add_argument("--output", default=str(RESULTS), help="the JSON file to write")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)  # child: build, 1/N size
    return parser.parse_args()


def sizes(divisor: int) -> dict:
    """FULL at 1/divisor: fewer municipalities, events and answers; each tandem, profile and
    event the same."""
    scaled = {"municipalities", "events", "answers"}
    return {key: value // divisor if key in scaled else value for key, value in FULL.items()}


# --- building the lab (in a child process, with bench.settings) -----------------------------------


def build(divisor: int, seed: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    n = sizes(divisor)
    rng = random.Random(seed)
    world = build_lab(n, rng)
    world["survey"] = build_survey(world, n, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum does soon after a bulk load
    build_s = time.perf_counter() - started
    return {
        "sizes": n,
        "counts": counts(),
        "pages": page_paths(world),
        "cookie": session_cookie(world["coordinator"]),
        "migrate_s": round(migrate_s, 1),
        "build_s": round(build_s, 1),
        "postgresql": machine(connection)["postgresql"],
    }


def build_lab(n: dict, rng: random.Random) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from simple_history.utils import bulk_create_with_history

    from events.models import (
        AttendanceStatus,
        Event,
        EventFormat,
        EventRegistration,
        EventType,
        RegistrationStatus,
    )
    from labs import services
    from labs.models import Municipality, ParticipationStatus, State
    from missions.models import (
        DiversityDimension,
        Measure,
        MeasureStatus,
        MissionProfile,
        ProfileStatus,
        ProgressUpdate,
        SmartGoal,
    )
    from tandems.models import Tandem, TandemMember

    User = get_user_model()
    coordinator = User.objects.create_user(
        email="koordination@bench.invalid", password=None, name="Koordination Benchmark"
    )
    # production requires two-factor authentication of coordinators: this one has set it up
    TOTP.activate(coordinator, generate_totp_secret())
    lab = services.lab_create(
        created_by=coordinator, slug="bench", name="Benchmark-Labor", organiser="Bundesprogramm"
    )
    cohort = services.cohort_create(
        lab=lab,
        slug="kohorte",
        name="Kohorte 2026",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    states = [State.HE, State.BY, State.NW, State.SN, State.BB]
    prefix = {State.HE: "06", State.BY: "09", State.NW: "05", State.SN: "14", State.BB: "12"}
    towns = Municipality.objects.bulk_create(
        Municipality(
            lab=lab,
            name=f"Gemeinde {i:04d}",
            state=(state := states[i % len(states)]),
            ags=f"{prefix[state]}{i:06d}",
            district=f"Landkreis {i % 23}",
            population=rng.randrange(2_000, 250_000),
            population_date=dt.date(2025, 12, 31),
        )
        for i in range(n["municipalities"])
    )
    statuses = [ParticipationStatus.ACTIVE] * 7 + [
        ParticipationStatus.ADMITTED,
        ParticipationStatus.PAUSED,
    ]
    participations = [
        services.participation_admit(
            cohort=cohort,
            municipality=town,
            status=statuses[i % len(statuses)],
            starting_situation="Ausgangslage: " + "Verwaltung im Wandel. " * 5,
        )
        for i, town in enumerate(towns)
    ]

    # tandem members: users, memberships and their participation's group, in bulk
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"tandem-{i:04d}-{j}@bench.invalid", name=f"Person {i:04d}-{j}", password=unusable
        )
        for i in range(len(participations))
        for j in range(n["members_per_tandem"])
    )
    tandems = dict(
        Tandem.objects.filter(participation__in=participations).values_list("participation", "pk")
    )
    groups = dict(Group.objects.filter(name__endswith="-tandem").values_list("name", "pk"))
    members, memberships = [], []
    departments = ["Personalamt", "Sozialamt", "Bürgeramt", "Stabsstelle Integration"]
    per = n["members_per_tandem"]
    member_of = {}
    for k, user in enumerate(users):
        participation = participations[k // per]
        member_of.setdefault(participation.pk, []).append(user)
        members.append(
            TandemMember(
                tandem_id=tandems[participation.pk],
                user=user,
                department=departments[(k + k // per) % len(departments)],
                function="Koordination" if k % per == 0 else "",
            )
        )
        memberships.append(
            User.groups.through(
                user_id=user.pk, group_id=groups[f"participation-{participation.pk}-tandem"]
            )
        )
    TandemMember.objects.bulk_create(members)
    User.groups.through.objects.bulk_create(memberships)

    # mission profiles with goals, measures and progress updates (with their history rows)
    now = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    dims = [d.value for d in DiversityDimension]
    profile_statuses = list(ProfileStatus)
    # the admission created empty ones; the bench writes filled ones in bulk instead
    MissionProfile.objects.filter(participation__in=participations).delete()
    profiles = bulk_create_with_history(
        [
            MissionProfile(
                participation=p,
                challenge="Herausforderung: " + "Fachkräfte gewinnen und halten. " * 4,
                vision="Vision: eine Verwaltung, die die Vielfalt ihrer Stadt abbildet.",
                target_groups="Auszubildende, Quereinsteigende, Menschen mit Behinderung",
                dimensions=rng.sample(dims, 3),
                stakeholders="Personalrat, Gleichstellung, Integrationsbeirat",
                mission_statement="Bis 2027 spiegelt unser Nachwuchs die Stadtgesellschaft.",
                status=profile_statuses[i % len(profile_statuses)],
                shared_with_cohort=i % 3 == 0,
                updated_at=now,
                updated_by=member_of[p.pk][0],
            )
            for i, p in enumerate(participations)
        ],
        MissionProfile,
        batch_size=1000,
    )
    goals = bulk_create_with_history(
        [
            SmartGoal(
                profile=profile,
                position=g,
                statement=f"Ziel {g + 1}: mehr Vielfalt in der Ausbildung",
                indicator="Anteil der Auszubildenden mit Migrationsgeschichte",
                unit="%",
                baseline=rng.randrange(0, 20),
                target=rng.randrange(25, 60),
                deadline=dt.date(2027, 1 + g % 12, 1),
                owner="Personalamt",
                achievability="Budget für Kampagne bewilligt.",
                relevance="Kern der Vision.",
                updated_at=now,
            )
            for profile in profiles
            for g in range(n["goals_per_profile"])
        ],
        SmartGoal,
        batch_size=2000,
    )
    measure_statuses = [
        MeasureStatus.PLANNED,
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.DONE,
        MeasureStatus.SUSTAINED,
    ]
    measures = bulk_create_with_history(
        [
            Measure(
                profile=profile,
                title=f"Maßnahme {m + 1}: Kampagne an Schulen",
                description="Besuche, Praktika, Social Media.",
                responsible="Personalamt",
                due_date=dt.date(2026, 3 + m, 15),
                status=measure_statuses[(i + m) % len(measure_statuses)],
                updated_at=now,
            )
            for i, profile in enumerate(profiles)
            for m in range(n["measures_per_profile"])
        ],
        Measure,
        batch_size=2000,
    )
    goals_of = {}
    for goal in goals:
        goals_of.setdefault(goal.profile_id, []).append(goal)
    Measure.goals.through.objects.bulk_create(
        Measure.goals.through(measure_id=measure.pk, smartgoal_id=goal.pk)
        for measure in measures
        for goal in rng.sample(goals_of[measure.profile_id], 2)
    )
    author_of = {profile.pk: member_of[profile.participation_id][0] for profile in profiles}
    ProgressUpdate.objects.bulk_create(
        (
            ProgressUpdate(
                goal=goal,
                value=goal.baseline + u * (goal.target - goal.baseline) / 12,
                date=dt.date(2025, 1, 1) + dt.timedelta(days=30 * u + goal.position),
                note="Zwischenstand" if u % 3 == 0 else "",
                author=author_of[goal.profile_id],
            )
            for goal in goals
            for u in range(n["updates_per_goal"])
        ),
        batch_size=5000,
    )

    # events over the year around "now", with invitations of a few municipalities' tandems
    types = list(EventType.objects.filter(lab=None))
    today = dt.datetime.now(dt.UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    events = Event.objects.bulk_create(
        Event(
            lab=lab,
            type=types[e % len(types)],
            title=f"Werkstatt {e + 1}",
            starts_at=(start := today + dt.timedelta(days=e * 365 // n["events"] - 180)),
            ends_at=start + dt.timedelta(hours=3),
            format=[EventFormat.ON_SITE, EventFormat.ONLINE, EventFormat.HYBRID][e % 3],
            place="Rathaus, Saal 1" if e % 3 != 1 else "",
            online_url="https://meet.example.org/werkstatt" if e % 3 else "",
            capacity=30 if e % 4 == 0 else None,
            agenda="Begrüßung, Input, Arbeitsgruppen, Abschluss",
            created_by=coordinator,
        )
        for e in range(n["events"])
    )
    Event.cohorts.through.objects.bulk_create(
        Event.cohorts.through(event_id=event.pk, cohort_id=cohort.pk) for event in events
    )
    registrations = []
    reg_statuses = [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.INVITED,
        RegistrationStatus.DECLINED,
    ]
    for event in events:
        past = event.ends_at < today
        invited = min(n["invited_municipalities_per_event"], len(participations))
        for participation in rng.sample(participations, invited):
            for user in member_of[participation.pk]:
                status = rng.choice(reg_statuses)
                registrations.append(
                    EventRegistration(
                        event=event,
                        user=user,
                        participation=participation,
                        status=status,
                        invited_at=event.starts_at - dt.timedelta(days=30),
                        responded_at=(
                            event.starts_at - dt.timedelta(days=20)
                            if status != RegistrationStatus.INVITED
                            else None
                        ),
                        attendance=(
                            AttendanceStatus.PRESENT
                            if past and status == RegistrationStatus.REGISTERED
                            else ""
                        ),
                    )
                )
    EventRegistration.objects.bulk_create(registrations, batch_size=5000)
    return {
        "coordinator": coordinator,
        "lab": lab,
        "cohort": cohort,
        "participations": participations,
    }


def build_survey(world: dict, n: dict, rng: random.Random):
    """A closed baseline survey; its responses and answers by COPY, as survey_analysis.py."""
    from django.db import connection

    from evaluations.models import Choice, Question, QuestionType, Section, Survey, SurveyKind

    survey = Survey.objects.create(
        cohort=world["cohort"],
        slug="eingangsbefragung",
        kind=SurveyKind.BASELINE,
        title_de="Eingangsbefragung",
        title_en="Baseline survey",
        opens_at=dt.datetime(2026, 1, 15, tzinfo=dt.UTC),
        closes_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        created_by=world["coordinator"],
    )
    section = Section.objects.create(survey=survey, position=1, title_de="Fragen")
    scale = [
        Question.objects.create(
            survey=survey,
            section=section,
            position=i,
            code=code,
            type=QuestionType.SCALE,
            text_de=f"Wie sehr stimmen Sie zu? ({code})",
            scale_min=1,
            scale_max=5,
            min_label_de="gar nicht",
            max_label_de="voll",
        )
        for i, code in enumerate(
            ["q_climate", "q_support", "q_skills", "q_network", "q_change"], start=1
        )
    ]
    role = Question.objects.create(
        survey=survey, section=section, position=6, code="q_role", type=QuestionType.SINGLE,
        text_de="Ihre Rolle",
    )  # fmt: skip
    choices = Choice.objects.bulk_create(
        Choice(question=role, position=i, code=code, label_de=label)
        for i, (code, label) in enumerate(
            [("verwaltung", "Verwaltung"), ("politik", "Politik"), ("zivil", "Zivilgesellschaft"),
             ("andere", "Andere")], start=1)
    )  # fmt: skip
    years = Question.objects.create(
        survey=survey, section=section, position=7, code="q_years", type=QuestionType.NUMBER,
        text_de="Jahre in der Verwaltung",
    )  # fmt: skip
    comment = Question.objects.create(
        survey=survey, section=section, position=8, code="q_comment", type=QuestionType.TEXT,
        text_de="Kommentar",
    )  # fmt: skip
    towns = [p.municipality_id for p in world["participations"]]
    texts = ["Mehr Austausch.", "Sehr hilfreich.", "Zu wenig Zeit.", "Gute Moderation.", ""]
    responses = n["answers"] // QUESTIONS
    opened = dt.datetime(2026, 1, 15, 8, tzinfo=dt.UTC)
    with connection.cursor() as cursor, cursor.connection.cursor() as raw:
        rows = []
        with raw.copy(
            'COPY evaluations_response (id, survey_id, municipality_id, "group", channel, '
            "external_id, submitted_at) FROM STDIN"
        ) as copy:
            for rid in range(1, responses + 1):
                town = towns[rng.randrange(len(towns))]
                group = "Verwaltung" if rng.random() < 0.7 else "Politik"
                rows.append((rid, town, group))
                hour = opened + dt.timedelta(hours=rng.randrange(40 * 24))
                copy.write_row((rid, survey.pk, town, group, "link", "", hour))
        with raw.copy(
            'COPY evaluations_answer (response_id, municipality_id, "group", question_id, '
            "choice_id, number, text) FROM STDIN"
        ) as copy:
            for rid, town, group in rows:
                head = (rid, town, group)
                for question in scale:
                    copy.write_row(
                        (*head, question.pk, None, rng.choices(range(1, 6), [1, 2, 4, 5, 3])[0], "")
                    )  # noqa: E501
                copy.write_row((*head, role.pk, rng.choice(choices).pk, None, ""))
                copy.write_row((*head, years.pk, None, rng.randrange(0, 40), ""))
                copy.write_row((*head, comment.pk, None, None, rng.choice(texts)))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('evaluations_response', 'id'), %s)", [responses]
        )
    return survey


def counts() -> dict:
    from django.db import connection

    tables = {
        "municipalities": "labs_municipality",
        "tandem_members": "tandems_tandemmember",
        "smart_goals": "missions_smartgoal",
        "progress_updates": "missions_progressupdate",
        "measures": "missions_measure",
        "events": "labs_event",
        "event_registrations": "labs_eventregistration",
        "survey_responses": "evaluations_response",
        "survey_answers": "evaluations_answer",
    }
    out = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
            out[name] = cursor.fetchone()[0]
    return out


def page_paths(world: dict) -> dict:
    from django.urls import reverse

    lab, cohort = world["lab"].slug, world["cohort"].slug
    first = world["participations"][0]
    return {
        "floor": reverse("bench_floor"),
        "cohort_dashboard": reverse("cohort_dashboard", args=[lab, cohort]),
        "cohort_missions": reverse("cohort_missions", args=[lab, cohort]),
        "mission_profile": reverse("mission_profile", args=[lab, cohort, first.pk]),
        "survey_analysis": reverse("survey_analysis", args=[lab, cohort, world["survey"].slug]),
        "event_list": reverse("event_list", args=[lab]),
    }


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# --- serving and loading --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, cookie: str) -> tuple[int, dict, bytes]:
    """One GET on a new connection, redirects not followed. (http.client, not urllib: urllib
    added some 40 ms to every request here, more than a cached page takes.)"""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", parts.path or "/", headers={"Cookie": cookie})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@contextmanager
def redis_server(workdir: Path):
    """REDIS_URL if set; otherwise a throwaway redis-server on a free port (production has Redis:
    the cache and the page cache live there)."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    if not shutil.which("redis-server"):
        raise SystemExit("Set REDIS_URL or install redis-server (Debian: apt-get install redis).")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",  # noqa: S607
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def gunicorn(env: dict, workers: int, log: Path):
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--timeout=60",
        "--worker-tmp-dir=/dev/shm",
    ]
    with log.open("ab") as output:  # the server's own log lines and the app's (stdout, stderr)
        server = subprocess.Popen(  # noqa: S603 - our own command
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(base: str, cookie: str, floor: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = get(base + floor, cookie)
        except OSError:
            time.sleep(0.5)
            continue
        if status != 200:
            raise RuntimeError(f"the floor answered {status}; gunicorn log:\n{log.read_text()}")
        return
    raise RuntimeError(f"gunicorn did not answer within 90 s; its log:\n{log.read_text()}")


def new_data_versions(database_url: str) -> None:
    """What every committed write does (core/dataversion.py): new tokens, so that the next
    request of each page renders from the data instead of the page cache."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("UPDATE core_dataversion SET token = token + 1")


def probe(base: str, cookie: str, path: str, database_url: str, times: int = 5) -> dict:
    """One request right after the data changed (the page rendered from the data, its cache
    cold), then a few more (from the cache); queries and time of each. (The session's last
    activity is written at most once a minute and a new session is recorded once: a few requests
    run more queries than the page itself needs, whatever its size — the fewest count.)"""

    def one() -> tuple[float, int, bytes]:
        started = time.perf_counter()
        status, headers, body = get(base + path, cookie)
        seconds = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"{path} answered {status} {headers.get('Location', '')}")
        return seconds, int(headers["X-Query-Count"]), body

    one()  # the worker has loaded everything this page needs
    cold = []
    for _ in range(3):
        new_data_versions(database_url)
        cold.append(one())
    warm = [one() for _ in range(times)]
    return {
        "queries": min(q for _s, q, _b in warm),
        "queries_runs": [q for _s, q, _b in warm],
        "bytes": len(warm[-1][2]),
        # one request at a time, from the cache (the first warms the worker up)
        "sequential_ms": round(statistics.median(s for s, _q, _b in warm[1:]) * 1000, 1),
        # one request at a time right after a change: rendered from the data
        "cold_ms": round(statistics.median(s for s, _q, _b in cold) * 1000, 1),
        "cold_queries": min(q for _s, q, _b in cold),
    }


def load(base: str, cookie: str, path: str, args, script: Path, seconds: int = 0) -> dict:
    """wrk at `path` for --seconds after --warmup seconds (or only `seconds`, unmeasured)."""

    def wrk(seconds: int) -> dict:
        command = [
            "wrk",
            f"--threads={min(2, args.connections)}",
            f"--connections={args.connections}",
            f"--duration={seconds}s",
            "--timeout=30s",
            f"--script={script}",
            f"--header=Cookie: {cookie}",
            base + path,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
        line = next(x for x in done.stdout.splitlines() if x.startswith("JSON:"))
        return json.loads(line.removeprefix("JSON:"))

    if seconds:
        return wrk(seconds)
    if args.warmup:
        wrk(args.warmup)
    figures = wrk(args.seconds)
    # recorded, not fatal: a page too slow for the load is a result too
    errors = sum(figures[k] for k in figures if k.endswith(("errors", "timeouts")))
    return {
        "median_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "requests_per_s": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "requests": figures["requests"],
        "failed_requests": errors,
        "wrk": figures,
    }


# --- main -----------------------------------------------------------------------------------------


def run_size(label: str, divisor: int, env: dict, args, workdir: Path, script: Path) -> dict:
    with throwaway_database(f"innolab_bench_lab_{label}", keep=args.keep) as name:
        env = env | {"DATABASE_URL": os.environ["DATABASE_URL"]}
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - this very script, with our own arguments
            [sys.executable, __file__, "--build", str(divisor), "--seed", str(args.seed)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"building the {label} lab failed:\n{done.stdout}\n{done.stderr}")
        built = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{label}: built in {time.perf_counter() - started:.0f} s: {built['counts']}",
            file=sys.stderr,
        )
        log = workdir / f"gunicorn-{label}.log"
        with gunicorn(env, args.workers, log) as base:
            cookie, paths = built.pop("cookie"), built["pages"]
            wait_until_up(base, cookie, paths["floor"], log)
            # every worker loads the app: a short burst at the floor (not measured)
            load(base, cookie, paths["floor"], args, script, seconds=max(args.warmup, 2))
            pages, floors = {}, []
            for page in PAGES:
                if label == "full" and page != "floor":
                    # the floor right before each page: both under the same conditions (the
                    # machine's other load drifts over minutes)
                    print(
                        f"{label}: loading floor, then {page}, {args.seconds} s each",
                        file=sys.stderr,
                    )
                    floors.append(load(base, cookie, paths["floor"], args, script))
                    pages[page] = load(base, cookie, paths[page], args, script)
                    pages[page]["floor_median_ms"] = floors[-1]["median_ms"]
                    pages[page]["load_average"] = [round(x, 2) for x in os.getloadavg()]
                try:  # after the load: one request at a time, on warm workers
                    one_by_one = probe(base, cookie, paths[page], env["DATABASE_URL"])
                    pages[page] = one_by_one | pages.get(page, {})
                except RuntimeError as error:
                    log_tail = log.read_text()[-5000:]
                    raise RuntimeError(f"{error}; the server's log:\n{log_tail}") from None
            if floors:  # the floor's figures: the median run of those before the pages
                middle = sorted(floors, key=lambda run: run["median_ms"])[len(floors) // 2]
                pages["floor"] |= middle | {"runs_median_ms": [run["median_ms"] for run in floors]}
        built["pages"] = {page: {"path": paths[page], **pages[page]} for page in PAGES}
        built["database"] = name
        return built


def report(result: dict) -> None:
    meta, full = result["meta"], result["full"]
    print(json.dumps(result, indent=2))
    print()
    load = ", ".join(f"{x:.2f}" for x in meta["load_average_start"])
    load_end = ", ".join(f"{x:.2f}" for x in meta["load_average_end"])
    print(
        f"{meta['date']}: {meta['cpus']} CPUs, {meta['ram_gb']} GB RAM, PostgreSQL "
        f"{meta['postgresql']}, Python {meta['python']}; gunicorn {meta['workers']} sync workers; "
        f"wrk {meta['connections']} connections, {meta['seconds']} s per page; load average "
        f"{load} at the start, {load_end} at the end (machine shared with other work)"
    )
    print()
    print(
        "| page | median | p95 | requests/s | floor before it | median / floor "
        "| one at a time (cached / after a change) | queries (full / 1/20; after a change) "
        "| target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for page in PAGES:
        row = full["pages"][page]
        same = "same" if row["queries_same"] else "DIFFERENT"
        failed = f" ({row['failed_requests']} failed)" if row["failed_requests"] else ""
        verdict = (
            "(the floor)"
            if page == "floor"
            else ("pass" if row["ratio_ok"] else "FAIL") + f" ≤ {TARGET_RATIO:.0f}×"
        )
        floor = row.get("floor_median_ms", row["median_ms"])
        print(
            f"| {page.replace('_', ' ')} | {row['median_ms']:.0f} ms | {row['p95_ms']:.0f} ms | "
            f"{row['requests_per_s']:.1f}{failed} | {floor:.0f} ms | "
            f"{row['ratio_to_floor']:.1f}× | "
            f"{row['sequential_ms']:.0f} ms / {row['cold_ms']:.0f} ms | "
            f"{row['queries']} / {row['queries_small']}; {row['cold_queries']} / "
            f"{row['cold_queries_small']} ({same}) | {verdict} |"
        )
    print()
    targets = result["targets"]
    print(
        f"Targets: every key page ≤ {TARGET_RATIO:.0f}× the floor's median: "
        f"{'pass' if targets['pages_within_ratio'] else 'FAIL'}; queries per request the same at "
        f"full and 1/20th size: {'pass' if targets['queries_same'] else 'FAIL'}"
    )


def main() -> int:
    args = parse_args()
    if args.build:
        print(json.dumps(build(args.build, args.seed)))
        return 0
    if not shutil.which("wrk"):
        print("wrk is missing (Debian: apt-get install wrk).", file=sys.stderr)
        return 2
    postgres_url()
    load_start = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="innolab-bench-lab-") as tmp:
        workdir = Path(tmp)
        script = workdir / "report.lua"
        script.write_text(WRK_SCRIPT)
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DEBUG": "false",
            "INNOLAB_VAR_DIR": str(workdir / "var"),
            "MEDIA_ROOT": str(workdir / "var" / "media"),
            "PYTHONUNBUFFERED": "1",
        }
        # production's static files: the manifest storage needs collectstatic (bench.settings
        # puts STATIC_ROOT under INNOLAB_VAR_DIR)
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env | {"DATABASE_URL": os.environ["DATABASE_URL"]},
            check=True,
        )
        print(f"collectstatic: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        with redis_server(workdir) as redis_url:
            env = env | {"REDIS_URL": redis_url}
            small = run_size("small", SMALL_DIVISOR * args.scale, env, args, workdir, script)
            full = run_size("full", args.scale, env, args, workdir, script)
    for page in PAGES:
        row = full["pages"][page]
        floor = row.get("floor_median_ms", full["pages"]["floor"]["median_ms"])
        row["ratio_to_floor"] = round(row["median_ms"] / floor, 2)
        row["ratio_ok"] = (
            row["ratio_to_floor"] <= TARGET_RATIO
            and row["requests"] > 0
            and not row["failed_requests"]
        )
        row["queries_small"] = small["pages"][page]["queries"]
        row["cold_queries_small"] = small["pages"][page]["cold_queries"]
        row["queries_same"] = (
            row["queries"] == row["queries_small"]
            and row["cold_queries"] == row["cold_queries_small"]
        )
    result = {
        "meta": {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            **machine(),
            "postgresql": full["postgresql"],
            "load_average_start": load_start,
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
            "workers": args.workers,
            "connections": args.connections,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "scale": f"1/{args.scale}" if args.scale > 1 else "full",
            "total_s": round(time.perf_counter() - started),
        },
        "targets": {
            "ratio_max": TARGET_RATIO,
            "pages_within_ratio": all(full["pages"][p]["ratio_ok"] for p in PAGES if p != "floor"),
            "queries_same": all(full["pages"][p]["queries_same"] for p in PAGES),
        },
        "full": full,
        "small": small,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())

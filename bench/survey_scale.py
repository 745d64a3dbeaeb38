"""Benchmark: survey data at scale (issue 9). Statistics, raw export and import of 200,000 responses
on PostgreSQL, against the raw SQL floors and LimeSurvey 6.4.2's figures.

    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/survey_scale.py

Creates a throwaway database next to the one DATABASE_URL names (the role needs CREATEDB) and
migrates it. A lab with 40 municipalities admitted to a cohort and a coordinator are made through
labs.services; four surveys with the same seven questions (five 1–5 scale questions, one single
choice, one free text) through the models. Answers files of 200,000 and of 20,000 responses are
generated with a fixed seed, in exactly the format the raw export writes, and imported with
`manage.py import_responses`, each in a child process (time, peak memory): this creates the data.

Then, on the large survey:
- statistics: `analysis.survey_results` overall and by municipality (the figures the analysis page
  shows) against the fastest raw SQL statement computing the same figures (the floor, from
  bench/survey_analysis.py), and the analysis page itself as the coordinator gets it;
- raw export as CSV and as XLSX through the download view (`survey_export_raw`): time to the
  first data chunk and to the last byte; the CSV must equal the imported file byte for byte. Peak
  memory of each export is measured in a child process at 20,000 and at 200,000 responses.

Prints JSON, then a Markdown table; drops the database at the end (--keep keeps it).
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import check_first_scale_question, memory_kb, postgres_url, throwaway_database  # noqa: E402

LIMESURVEY = {"statistics_s": 0.34, "csv_export_s": 13.8}  # LimeSurvey 6.4.2, issue 9
TARGETS = {"csv_export_s": 1.4, "xlsx_export_s": 15.0, "import_s": 60.0, "page_s": 1.0}
SCALE_CODES = ["q_climate", "q_support", "q_skills", "q_network", "q_change"]
ROLES = [
    ("verwaltung", "Verwaltung"),
    ("politik", "Politik"),
    ("zivil", "Zivilgesellschaft"),
    ("andere", "Andere"),
]
# free texts, some of them with what CSV must quote and what a spreadsheet would run as a formula
TEXTS = [
    "Mehr Austausch zwischen den Ämtern.",
    "Sehr hilfreich.",
    "Zu wenig Zeit, zu viel Stoff.",
    'Die "Werkstatt" war gut.',
    "Bitte mehr Online-Angebote.\nUnd Praxisbeispiele.",
    "-- keine Angabe --",
    "=Gute Moderation",
]
BIG, SMALL = "gross", "klein"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=20_000, help="the second size (memory)")
    parser.add_argument("--municipalities", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each statistic")
    parser.add_argument("--export-runs", type=int, default=3, help="timed runs of each export")
    parser.add_argument("--seed", type=int, default=20250401)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--survey", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the answers files ----------------------------------------------------------------------------


def write_answers_file(path: Path, responses: int, municipalities: list[str], seed: int) -> None:
    """An answers file in the raw export's exact format (UTF-8 with BOM, comma, minimal quoting,
    formula signs escaped), so that the export of the imported survey must equal it."""
    from config.spreadsheet import escape_cell

    rng = random.Random(seed)
    berlin = ZoneInfo("Europe/Berlin")
    start = dt.datetime(2025, 2, 1, 8, 0, tzinfo=berlin).timestamp()
    lean = [rng.uniform(-0.8, 0.8) for _ in municipalities]
    weights = [1, 2, 4, 5, 3]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["response_id", "submitted_at", "municipality", "group", *SCALE_CODES]
            + ["q_role", "q_comment"]
        )
        for number in range(1, responses + 1):
            m = rng.randrange(len(municipalities))
            submitted = ""
            if rng.random() < 0.6:  # (the rest came on paper)
                moment = dt.datetime.fromtimestamp(start + rng.randrange(120 * 86400), berlin)
                submitted = moment.isoformat()
            group = (
                "Verwaltung" if rng.random() < 0.7 else ("Politik" if rng.random() < 0.9 else "")
            )
            row = [f"r{number}", submitted, municipalities[m], group]
            for _code in SCALE_CODES:
                if rng.random() < 0.04:
                    row.append("")
                    continue
                value = rng.choices(range(1, 6), weights)[0]
                if lean[m] > 0.4 and value < 5 and rng.random() < 0.2:
                    value += 1
                row.append(str(value))
            row.append(rng.choice(ROLES)[0] if rng.random() < 0.95 else "")
            row.append(escape_cell(rng.choice(TEXTS)) if rng.random() < 0.3 else "")
            writer.writerow(row)


# --- the world ------------------------------------------------------------------------------------


def build_world(args) -> dict:
    from django.contrib.auth import get_user_model

    from evaluations.models import Choice, Question, QuestionType, Section, Survey, SurveyKind
    from labs import services
    from labs.models import State

    coordinator = get_user_model().objects.create_user(
        email="koordination@example.org",
        password="bench-only",  # noqa: S106 - a throwaway database
        name="Koordination",
    )
    lab = services.lab_create(created_by=coordinator, slug="bench", name="Benchmark-Labor")
    cohort = services.cohort_create(lab=lab, slug="kohorte", name="Kohorte")
    names = []
    for i in range(args.municipalities):
        municipality = services.municipality_create(
            lab=lab, name=f"Gemeinde {i:02d}", state=State.HE, ags=f"06{i:06d}"
        )
        services.participation_admit(cohort=cohort, municipality=municipality)
        names.append(municipality.name)
    surveys = {}
    for slug in (BIG, SMALL):
        survey = Survey.objects.create(
            cohort=cohort,
            slug=slug,
            kind=SurveyKind.BASELINE,
            title_de="Benchmark",
            opens_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
        )
        section = Section.objects.create(survey=survey, position=1, title_de="Fragen")
        for i, code in enumerate(SCALE_CODES, start=1):
            Question.objects.create(
                survey=survey,
                section=section,
                position=i,
                code=code,
                type=QuestionType.SCALE,
                text_de=code,
                scale_min=1,
                scale_max=5,
                min_label_de="gar nicht",
                max_label_de="voll",
            )
        role = Question.objects.create(
            survey=survey,
            section=section,
            position=6,
            code="q_role",
            type=QuestionType.SINGLE,
            text_de="Rolle",
        )
        Choice.objects.bulk_create(
            Choice(question=role, position=i, code=code, label_de=label)
            for i, (code, label) in enumerate(ROLES, start=1)
        )
        Question.objects.create(
            survey=survey,
            section=section,
            position=7,
            code="q_comment",
            type=QuestionType.TEXT,
            text_de="Kommentar",
        )
        surveys[slug] = survey
    return {"coordinator": coordinator, "surveys": surveys, "municipalities": names}


# --- child processes: one measurement each, so that their peak memory is their own ------------


def run_child(kind: str, survey_path: str, file: str = "") -> dict:
    command = [sys.executable, __file__, "--child", kind, "--survey", survey_path]
    if file:
        command += ["--file", file]
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this very script, with our own arguments
        command, capture_output=True, text=True, env=os.environ, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{kind} failed:\n{done.stdout}\n{done.stderr}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_s"] = time.perf_counter() - started
    return out


def child(args) -> int:
    """Run one measured operation in this (fresh) process and print its figures as JSON."""
    import django

    django.setup()
    # everything imported before measuring
    from django.core.management import call_command  # noqa: F401
    from django.test import RequestFactory  # noqa: F401

    import evaluations.management.commands.import_responses  # noqa: F401
    import evaluations.views.transfer  # noqa: F401

    before = memory_kb("VmRSS")
    if args.child == "import":
        from django.core.management import call_command

        out = io.StringIO()
        started = time.perf_counter()
        call_command("import_responses", "--survey", args.survey, args.file, stdout=out)
        result = {"seconds": time.perf_counter() - started, "output": out.getvalue().strip()}
    else:
        fmt = args.child.removeprefix("export-")
        tracemalloc.start()
        result = consume_export(args.survey, fmt)
        result["tracemalloc_peak_kb"] = tracemalloc.get_traced_memory()[1] // 1024
        tracemalloc.stop()
        result.pop("content", None)
    peak = memory_kb("VmHWM")
    result |= {"rss_before_kb": before, "peak_rss_kb": peak, "peak_growth_kb": peak - before}
    print(json.dumps(result))
    return 0


# --- exports through the download view ------------------------------------------------------------


def consume_export(survey_path: str, fmt: str, keep: bool = False) -> dict:
    """GET the raw export as the coordinator and read the whole stream, as a WSGI server would."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from evaluations.views.transfer import survey_export_raw

    lab, cohort, slug = survey_path.split("/")
    request = RequestFactory(HTTP_HOST="localhost").get("/", {"format": fmt})
    request.user = get_user_model().objects.get(email="koordination@example.org")
    started = time.perf_counter()
    response = survey_export_raw(request, lab, cohort, slug)
    chunks = iter(response.streaming_content)
    header = next(chunks)
    size, count, first = len(header), 1, None
    digest = [header] if keep else None
    for chunk in chunks:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        count += 1
        if keep:
            digest.append(chunk)
    response.close()
    total = time.perf_counter() - started
    out = {
        "seconds": total,
        "first_data_chunk_s": first,
        "bytes": size,
        "chunks": count,
        "streaming": response.streaming,
    }
    if keep:
        out["content"] = b"".join(digest)
    return out


# --- statistics -----------------------------------------------------------------------------------


def timed_together(fns: dict, runs: int) -> dict:
    """Each function's median, minimum and runs. The runs take turns (one of each, `runs`
    times), so that a change of the machine's load hits every measurement alike and the ratios
    between them stay fair."""
    for fn in fns.values():
        fn()  # warm-up: caches, plans
    times = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return {
        name: {"median_s": statistics.median(t), "min_s": min(t), "runs_s": t}
        for name, t in times.items()
    }


def measure_statistics(survey, coordinator, args) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from survey_analysis import FLOOR_BY_MUNICIPALITY, FLOOR_OVERALL

    from evaluations.analysis import survey_results

    questions = list(survey.questions.values_list("pk", flat=True))

    def raw(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, {"questions": questions})
                return cursor.fetchall()

        return run

    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(coordinator)
    page = reverse(
        "survey_analysis", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug]
    )

    def get(by):
        def run():
            response = client.get(page + (f"?by={by}" if by else ""))
            assert response.status_code == 200, response.status_code
            return response

        return run

    fns = {
        ("survey_results", "overall"): lambda: survey_results(survey),
        ("survey_results", "by_municipality"): lambda: survey_results(survey, by="municipality"),
        ("page", "overall"): get(None),
        ("page", "by_municipality"): get("municipality"),
    }
    for scope, floors in (("overall", FLOOR_OVERALL), ("by_municipality", FLOOR_BY_MUNICIPALITY)):
        for name, sql in floors.items():
            fns[("floor", scope, name)] = raw(sql)
    out = {"survey_results": {}, "page": {}, "floor": {"overall": {}, "by_municipality": {}}}
    for key, figures in timed_together(fns, args.runs).items():
        if key[0] == "floor":
            out["floor"][key[1]][key[2]] = figures
        else:
            out[key[0]][key[1]] = figures
    check_first_scale_question(survey)
    return out


def measure_exports(survey, files: dict, args) -> dict:
    """The CSV and XLSX downloads, taking turns with the floor: COPY of the answer rows."""
    results = {"csv": [], "xlsx": []}

    def export(fmt):
        def run():
            result = consume_export(survey.path, fmt, keep=not results[fmt])
            content = result.pop("content", None)
            if content is not None:
                check_export(fmt, content, files[BIG], args.responses)
            results[fmt].append(result)

        return run

    times = timed_together(
        {"csv": export("csv"), "copy_floor": database_floor_csv(survey), "xlsx": export("xlsx")},
        args.export_runs,
    )
    out = {"copy_floor": times["copy_floor"]}
    for fmt in ("csv", "xlsx"):
        runs = results[fmt][1:]  # without the warm-up
        out[fmt] = times[fmt] | {
            "first_data_chunk_s": statistics.median(r["first_data_chunk_s"] for r in runs),
            "bytes": runs[0]["bytes"],
            "chunks": runs[0]["chunks"],
            "streaming": runs[0]["streaming"],
        }
    return out


def check_export(fmt: str, content: bytes, source: Path, responses: int) -> None:
    if fmt == "csv":
        # export → import → export is lossless: the export is the imported file, byte for byte
        assert content == source.read_bytes(), "the CSV export differs from the imported file"
        return
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    with source.open(encoding="utf-8-sig", newline="") as handle:
        expected = list(zip(range(3), csv.reader(handle), strict=False))
    for (_i, want), got in zip(expected, sheet.iter_rows(max_row=3, values_only=True), strict=True):
        got = [*got, *[None] * (len(want) - len(got))]  # empty cells at the end are left out
        assert [("" if v is None else str(v)) for v in got] == [
            w.removeprefix("'") if w.startswith("'") else w for w in want
        ], (want, got)


def database_floor_csv(survey) -> dict:
    """COPY of the survey's answer rows as CSV, unpivoted (the issue's "COPY writes all rows as
    CSV"): what the database alone needs to write the answers out."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor, connection.wrap_database_errors:
            query = (
                "COPY (SELECT a.response_id, a.question_id, a.choice_id, a.number, a.text "
                "FROM evaluations_answer a JOIN evaluations_question q ON q.id = a.question_id "
                "WHERE q.survey_id = %s) TO STDOUT WITH (FORMAT csv)"
            )
            with cursor.cursor.copy(query, [survey.pk]) as copy:
                for _data in copy:
                    pass

    return run


def database_floor_import(survey) -> dict:
    """What the database alone needs to store the survey's responses and answers once more: the
    same rows copied inside the database (INSERT … SELECT, new ids and response ids), the
    deferred foreign-key checks run, then rolled back. No file, no parsing, no transfer."""
    from django.db import connection, transaction

    def run():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM evaluations_response")
            offset = cursor.fetchone()[0]
            cursor.execute(
                'INSERT INTO evaluations_response (id, survey_id, municipality_id, "group", '
                "channel, external_id, submitted_at) SELECT id + %(offset)s, survey_id, "
                "municipality_id, \"group\", channel, external_id || '+', submitted_at "
                "FROM evaluations_response WHERE survey_id = %(survey)s",
                {"offset": offset, "survey": survey.pk},
            )
            cursor.execute(
                'INSERT INTO evaluations_answer (response_id, municipality_id, "group", '
                "question_id, choice_id, number, text) SELECT a.response_id + %(offset)s, "
                'a.municipality_id, a."group", a.question_id, a.choice_id, a.number, a.text '
                "FROM evaluations_answer a JOIN evaluations_response r "
                "ON r.id = a.response_id WHERE r.survey_id = %(survey)s",
                {"offset": offset, "survey": survey.pk},
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            transaction.set_rollback(True)

    started = time.perf_counter()
    run()
    return {"seconds": time.perf_counter() - started}


# --- report ---------------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}"


def report(results: dict, meta: dict) -> None:
    print(json.dumps({"meta": meta, **results}, indent=2, default=str))
    print()
    stats, floors = results["statistics"]["survey_results"], results["statistics"]["floor"]
    page = results["statistics"]["page"]
    exports, memory, imports = results["exports"], results["memory"], results["import"]

    def floor(scope):
        name = min(floors[scope], key=lambda k: floors[scope][k]["median_s"])
        return floors[scope][name]["median_s"], name

    def ms(seconds):
        return f"{seconds * 1000:,.0f} ms"

    def s(seconds):
        return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"

    def mb(kb):
        return f"{kb / 1024:.0f} MB"

    n, small = meta["responses"], meta["small"]
    print(
        f"{n:,} responses × 7 questions ({meta['answers']:,} answers), "
        f"{meta['municipalities']} municipalities; PostgreSQL {meta['postgresql'].split()[0]}, "
        f"Python {meta['python']}, {meta['cpus']} CPUs (load {meta['load_average'][0]:.1f}); "
        f"medians of {meta['runs']} runs (statistics) and {meta['export_runs']} runs (exports)"
    )
    print()
    print(
        "| measurement | ours | floor | ratio to floor | LimeSurvey 6.4.2 | ratio to LimeSurvey |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for scope, label in (
        ("overall", "statistics, all respondents"),
        ("by_municipality", "statistics, by municipality"),
    ):
        ours = stats[scope]["median_s"]
        best, name = floor(scope)
        print(
            f"| {label} | {ms(ours)} | {ms(best)} ({name}) | {ratio(ours, best)} | "
            f"{ms(LIMESURVEY['statistics_s'])} | {ratio(ours, LIMESURVEY['statistics_s'])} |"
        )
    for scope, label in (
        ("overall", "analysis page"),
        ("by_municipality", "analysis page by municipality"),
    ):
        print(f"| {label} (coordinator) | {ms(page[scope]['median_s'])} | | | | |")
    csv_s = exports["csv"]["median_s"]
    copy_floor = exports["copy_floor"]["median_s"]
    print(
        f"| raw export CSV (first data chunk {ms(exports['csv']['first_data_chunk_s'])}) | "
        f"{s(csv_s)} | {s(copy_floor)} (COPY of the answer rows) | {ratio(csv_s, copy_floor)} | "
        f"{s(LIMESURVEY['csv_export_s'])} | {ratio(csv_s, LIMESURVEY['csv_export_s'])} |"
    )
    xlsx_s = exports["xlsx"]["median_s"]
    print(
        f"| raw export XLSX (first data chunk {ms(exports['xlsx']['first_data_chunk_s'])}) | "
        f"{s(xlsx_s)} | | | | |"
    )
    import_s, import_floor = imports[BIG]["seconds"], results["import_floor"]["seconds"]
    print(
        f"| import_responses, {n:,} rows (creates the data) | {s(import_s)} | {s(import_floor)} "
        f"(the same rows copied within the database) | {ratio(import_s, import_floor)} | | |"
    )
    print()
    print(f"| peak memory growth | {small:,} responses | {n:,} responses |")
    print("|---|---:|---:|")
    for fmt in ("csv", "xlsx"):
        row = memory[fmt]
        print(
            f"| raw export {fmt.upper()} (RSS; Python heap) | {mb(row[SMALL]['peak_growth_kb'])}; "
            f"{mb(row[SMALL]['tracemalloc_peak_kb'])} | {mb(row[BIG]['peak_growth_kb'])}; "
            f"{mb(row[BIG]['tracemalloc_peak_kb'])} |"
        )
    print(
        f"| import_responses (RSS) | {mb(imports[SMALL]['peak_growth_kb'])} | "
        f"{mb(imports[BIG]['peak_growth_kb'])} |"
    )
    print()
    print(
        "Targets: statistics < LimeSurvey and ≤ 2 × floor; CSV ≤ 1.4 s; XLSX ≤ 15 s; "
        "import ≤ 60 s; page < 1 s; memory independent of the number of responses."
    )


# --- main -----------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    if args.child:
        return child(args)
    postgres_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    workdir = tempfile.TemporaryDirectory(prefix="innolab-bench-")
    with workdir, throwaway_database("innolab_bench", keep=args.keep) as name:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        # pages render without collectstatic's manifest
        warnings.filterwarnings("ignore", message="No directory at")
        settings.STORAGES = settings.STORAGES | {
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        }

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_seconds = time.perf_counter() - started
        world = build_world(args)
        surveys = world["surveys"]
        files = {BIG: Path(workdir.name) / "gross.csv", SMALL: Path(workdir.name) / "klein.csv"}
        started = time.perf_counter()
        write_answers_file(files[BIG], args.responses, world["municipalities"], args.seed)
        write_answers_file(files[SMALL], args.small, world["municipalities"], args.seed + 1)
        generate_seconds = time.perf_counter() - started

        # the data: both files through import_responses, each in its own process
        imports = {
            size: run_child("import", surveys[size].path, str(files[size])) for size in (SMALL, BIG)
        }
        with connection.cursor() as cursor:
            # as autovacuum does soon after a bulk load: statistics and the visibility map
            cursor.execute("VACUUM ANALYZE evaluations_response")
            cursor.execute("VACUUM ANALYZE evaluations_answer")
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM evaluations_answer a JOIN evaluations_response r "
                "ON r.id = a.response_id WHERE r.survey_id = %s",
                [surveys[BIG].pk],
            )
            answers = cursor.fetchone()[0]

        results = {
            "import": imports,
            "statistics": measure_statistics(surveys[BIG], world["coordinator"], args),
            "exports": measure_exports(surveys[BIG], files, args),
            "import_floor": database_floor_import(surveys[BIG]),
            "memory": {
                fmt: {size: run_child(f"export-{fmt}", surveys[size].path) for size in (SMALL, BIG)}
                for fmt in ("csv", "xlsx")
            },
        }
        meta = {
            "date": dt.date.today().isoformat(),
            "responses": args.responses,
            "small": args.small,
            "answers": answers,
            "municipalities": args.municipalities,
            "runs": args.runs,
            "export_runs": args.export_runs,
            "seed": args.seed,
            "postgresql": version,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "migrate_s": round(migrate_seconds, 1),
            "generate_files_s": round(generate_seconds, 1),
            "database": name,
        }
        report(results, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())

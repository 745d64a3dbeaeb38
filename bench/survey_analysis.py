"""Benchmark: the analysis of a survey with 200,000 responses on PostgreSQL.

    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/survey_analysis.py

Creates a throwaway database next to the one DATABASE_URL names (the role needs CREATEDB),
migrates it, loads a survey with five 1–5 scale questions, one single-choice and one free-text
question and 200,000 responses from 40 municipalities (fixed seed; COPY), then times
`evaluations.analysis.survey_results` over all respondents and by municipality (median of 5 runs
after a warm-up) against the floor: the fastest single raw SQL statement that computes the same
figures. Prints JSON, then a Markdown table; drops the database at the end (--keep keeps it).
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import check_first_scale_question, postgres_url, throwaway_database  # noqa: E402

SCALE_CODES = ["q_climate", "q_support", "q_skills", "q_network", "q_change"]
ROLES = [
    ("verwaltung", "Verwaltung"),
    ("politik", "Politik"),
    ("zivil", "Zivilgesellschaft"),
    ("andere", "Andere"),
]
TEXTS = [
    "Mehr Austausch zwischen den Ämtern.",
    "Sehr hilfreich.",
    "Zu wenig Zeit.",
    "Bitte mehr Online-Angebote.",
    "Gute Moderation.",
    "Mehr Praxisbeispiele.",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--municipalities", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20250401)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    return parser.parse_args()


# --- data -------------------------------------------------------------------------------------


def build(args):
    """The survey and its responses; returns the survey."""
    from django.db import connection, transaction

    from evaluations.models import Choice, Question, QuestionType, Section, Survey, SurveyKind
    from labs.models import Cohort, Lab, Municipality, State

    rng = random.Random(args.seed)
    with transaction.atomic():
        lab = Lab.objects.create(slug="bench", name="Benchmark-Labor")
        cohort = Cohort.objects.create(lab=lab, slug="kohorte", name="Kohorte")
        municipalities = Municipality.objects.bulk_create(
            Municipality(lab=lab, name=f"Gemeinde {i:02d}", state=State.HE)
            for i in range(args.municipalities)
        )
        survey = Survey.objects.create(
            cohort=cohort, slug="bench", kind=SurveyKind.BASELINE, title_de="Benchmark"
        )
        section = Section.objects.create(survey=survey, position=1, title_de="Fragen")
        scale = [
            Question.objects.create(
                survey=survey,
                section=section,
                position=i,
                code=code,
                type=QuestionType.SCALE,
                text_de=code,
                scale_min=1,
                scale_max=5,
            )
            for i, code in enumerate(SCALE_CODES, start=1)
        ]
        role = Question.objects.create(
            survey=survey,
            section=section,
            position=6,
            code="q_role",
            type=QuestionType.SINGLE,
            text_de="Rolle",
        )
        choices = Choice.objects.bulk_create(
            Choice(question=role, position=i, code=code, label_de=label)
            for i, (code, label) in enumerate(ROLES, start=1)
        )
        comment = Question.objects.create(
            survey=survey,
            section=section,
            position=7,
            code="q_comment",
            type=QuestionType.TEXT,
            text_de="Kommentar",
        )

    # every municipality leans a little differently, so the breakdown has something to show
    lean = [rng.uniform(-0.8, 0.8) for _ in municipalities]
    weights = [[1, 2, 4, 5, 3]] * len(municipalities)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg 3
        with raw.cursor() as copy_cursor:
            response_rows = []
            with copy_cursor.copy(
                'COPY evaluations_response (id, survey_id, municipality_id, "group", channel, '
                "external_id, submitted_at) FROM STDIN"
            ) as copy:
                for rid in range(1, args.responses + 1):
                    m = rng.randrange(len(municipalities))
                    group = "Verwaltung" if rng.random() < 0.7 else "Politik"
                    response_rows.append((m, group))
                    copy.write_row(
                        (rid, survey.pk, municipalities[m].pk, group, "import", f"r{rid}", None)
                    )
            # each answer carries copies of its response's municipality and group (Answer)
            with copy_cursor.copy(
                'COPY evaluations_answer (response_id, municipality_id, "group", question_id, '
                "choice_id, number, text) FROM STDIN"
            ) as copy:
                values = [1, 2, 3, 4, 5]
                for rid, (m, group) in enumerate(response_rows, start=1):
                    head = (rid, municipalities[m].pk, group)
                    for question in scale:
                        value = rng.choices(values, weights[m])[0]
                        if lean[m] > 0.4 and value < 5 and rng.random() < 0.2:
                            value += 1
                        copy.write_row((*head, question.pk, None, value, ""))
                    copy.write_row((*head, role.pk, rng.choice(choices).pk, None, ""))
                    copy.write_row((*head, comment.pk, None, None, rng.choice(TEXTS)))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('evaluations_response', 'id'), %s)",
            [args.responses],
        )
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        # as autovacuum does soon after a bulk load: statistics and the visibility map (which
        # another session's open snapshot can hold back for a moment, hence the retries)
        for _attempt in range(10):
            cursor.execute("VACUUM ANALYZE evaluations_response")
            cursor.execute("VACUUM ANALYZE evaluations_answer")
            cursor.execute(
                "SELECT relallvisible, relpages FROM pg_class WHERE relname = 'evaluations_answer'"
            )
            visible, pages = cursor.fetchone()
            if visible >= pages:
                break
            time.sleep(1)
    return survey, load_seconds, f"{visible}/{pages}"


# --- timing -----------------------------------------------------------------------------------


def timed(fn, runs: int) -> dict:
    fn()  # warm-up: caches, plans
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs_s": times}


FLOOR_OVERALL = {
    # one scan: the grouped counts every figure is computed from
    "grouped counts": """
        SELECT question_id, number, choice_id, count(*)
        FROM evaluations_answer WHERE question_id = ANY(%(questions)s)
        GROUP BY 1, 2, 3""",
    # one scan: the figures directly (percentile_cont sorts each question's values)
    "direct aggregates": """
        SELECT question_id, choice_id, count(*), avg(number), stddev_samp(number),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY number)
        FROM evaluations_answer WHERE question_id = ANY(%(questions)s)
        GROUP BY 1, 2""",
}
FLOOR_BY_MUNICIPALITY = {
    # the answers' copies of their response's municipality (Answer.municipality): one table
    "grouped counts": """
        SELECT question_id, municipality_id, number, choice_id, count(*)
        FROM evaluations_answer WHERE question_id = ANY(%(questions)s)
        GROUP BY 1, 2, 3, 4""",
    "direct aggregates": """
        SELECT question_id, municipality_id, choice_id, count(*), avg(number),
               stddev_samp(number), percentile_cont(0.5) WITHIN GROUP (ORDER BY number)
        FROM evaluations_answer WHERE question_id = ANY(%(questions)s)
        GROUP BY 1, 2, 3""",
    # the same with the municipality read from the responses (the join the copies avoid)
    "grouped counts, join": """
        SELECT a.question_id, r.municipality_id, a.number, a.choice_id, count(*)
        FROM evaluations_answer a JOIN evaluations_response r ON r.id = a.response_id
        WHERE a.question_id = ANY(%(questions)s)
        GROUP BY 1, 2, 3, 4""",
    "direct aggregates, join": """
        SELECT a.question_id, r.municipality_id, a.choice_id, count(*), avg(a.number),
               stddev_samp(a.number), percentile_cont(0.5) WITHIN GROUP (ORDER BY a.number)
        FROM evaluations_answer a JOIN evaluations_response r ON r.id = a.response_id
        WHERE a.question_id = ANY(%(questions)s)
        GROUP BY 1, 2, 3""",
}


def measure(survey, args) -> dict:
    from django.db import connection

    from evaluations.analysis import survey_results

    questions = list(survey.questions.values_list("pk", flat=True))

    def raw(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, {"questions": questions})
                return cursor.fetchall()

        return run

    out = {
        "survey_results": {
            "overall": timed(lambda: survey_results(survey), args.runs),
            "by_municipality": timed(lambda: survey_results(survey, by="municipality"), args.runs),
            "by_municipality_with_overall": timed(
                lambda: survey_results(survey, by="municipality", with_overall=True), args.runs
            ),
        },
        "floor": {
            "overall": {name: timed(raw(sql), args.runs) for name, sql in FLOOR_OVERALL.items()},
            "by_municipality": {
                name: timed(raw(sql), args.runs) for name, sql in FLOOR_BY_MUNICIPALITY.items()
            },
        },
    }
    check_first_scale_question(survey)
    return out


def report(results: dict, meta: dict) -> None:
    rows = []
    for scope in ("overall", "by_municipality"):
        ours = results["survey_results"][scope]["median_s"]
        floors = results["floor"][scope]
        best_name = min(floors, key=lambda name: floors[name]["median_s"])
        best = floors[best_name]["median_s"]
        results.setdefault("ratio", {})[scope] = {"floor": best_name, "ratio": ours / best}
        rows.append((scope.replace("_", " "), ours, best, best_name, ours / best))
    print(json.dumps({"meta": meta, **results}, indent=2))
    print()
    print(
        f"{meta['responses']:,} responses × 7 questions ({meta['answers']:,} answers), "
        f"{meta['municipalities']} municipalities, PostgreSQL {meta['postgresql']}, "
        f"median of {meta['runs']} runs"
    )
    print()
    print("| analysis | survey_results | raw SQL floor | floor statement | ratio |")
    print("|---|---:|---:|---|---:|")
    for scope, ours, best, name, ratio in rows:
        print(f"| {scope} | {ours * 1000:.0f} ms | {best * 1000:.0f} ms | {name} | {ratio:.2f} |")
    extra = results["survey_results"]["by_municipality_with_overall"]["median_s"]
    print(f"| by municipality + overall (the page) | {extra * 1000:.0f} ms | | | |")


def main() -> int:
    args = parse_args()
    postgres_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    with throwaway_database("innolab_bench", keep=args.keep) as name:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_seconds = time.perf_counter() - started
        survey, load_seconds, all_visible = build(args)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM evaluations_answer")
            answers = cursor.fetchone()[0]
        results = measure(survey, args)
        meta = {
            "responses": args.responses,
            "answers": answers,
            "municipalities": args.municipalities,
            "runs": args.runs,
            "seed": args.seed,
            "postgresql": version,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "migrate_s": round(migrate_seconds, 1),
            "load_s": round(load_seconds, 1),
            "all_visible_pages": all_visible,
            "database": name,
        }
        report(results, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())

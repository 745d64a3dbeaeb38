"""Benchmark: the Hessen final report (14 municipalities) as a PDF, on PostgreSQL.

    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/report_pdf.py [--output F]

Creates a throwaway database next to the one DATABASE_URL names (the role needs CREATEDB),
migrates it, seeds the demo (manage.py seed_demo), makes a final-report draft of one Hessen
cohort with every survey of the cohort and short narrative sections, then renders it once with
evaluations.reports.render.render_pdf. Prints JSON and a Markdown line: wall time, the share of
it inside WeasyPrint (layout + PDF writing), peak memory (ru_maxrss of the process), pages,
charts and size. Drops the database at the end (--keep keeps it).
"""

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from survey_analysis import admin_connection, with_database  # noqa: E402

NARRATIVE = {
    "executive_summary": "Vierzehn Kommunen haben ihre Verwaltung **vielfaltsorientiert** "
    "weiterentwickelt.\n\n- Tandems aus Verwaltung und Zivilgesellschaft\n- Missionen mit "
    "SMART-Zielen\n- Austausch in standortübergreifenden Formaten",
    "method": "Eingangs- und Abschlussbefragung, Prozessbegleitung vor Ort, Werkstätten.",
    "lessons": "Rückhalt der Verwaltungsspitze und feste Ansprechpersonen waren entscheidend.",
    "recommendations": "1. Früh die Leitung einbinden\n2. Ziele messbar machen",
    "conclusion": "Das Programm hat Wirkung gezeigt; die Verstetigung bleibt die Aufgabe.",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cohort",
        default="",
        help="one Hessen cohort's slug (default: the whole lab, 14 municipalities)",
    )
    parser.add_argument("--output", help="also write the PDF here")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL database (postgres://…).", file=sys.stderr)
        return 2
    name = f"innolab_bench_report_{os.getpid()}"
    with admin_connection(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_database(url, name)
    # dev settings: static files from the finders, as without collectstatic
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from evaluations.models import ReportDraft, ReportKind, Survey
        from evaluations.reports import render
        from labs.demo_data import HESSEN
        from labs.models import Cohort, Lab

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", force=True, quiet=True, verbosity=0)  # a throwaway database
        seed_seconds = time.perf_counter() - started

        lab = Lab.objects.get(slug=HESSEN)
        cohort = Cohort.objects.get(lab=lab, slug=args.cohort) if args.cohort else None
        draft = ReportDraft.objects.create(
            lab=lab,
            cohort=cohort,
            kind=ReportKind.FINAL,
            title=f"Abschlussbericht {cohort.name if cohort else lab.name}",
            subtitle=lab.organiser,
            **NARRATIVE,
        )
        cohorts = [cohort] if cohort else list(lab.cohorts.all())
        draft.surveys.set(Survey.objects.filter(cohort__in=cohorts))

        steps = []
        started = time.perf_counter()
        rendered = render.render_pdf(
            draft, progress=lambda p: steps.append((p, time.perf_counter() - started))
        )
        wall = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.output:
            Path(args.output).write_bytes(rendered.pdf)
        result = {
            "municipalities": len(render.report_context(draft)["municipalities"]),
            "surveys": draft.surveys.count(),
            "pages": rendered.pages,
            "charts": rendered.charts,
            "pdf_bytes": len(rendered.pdf),
            "wall_s": round(wall, 2),
            "weasyprint_s": round(rendered.seconds_in_weasyprint, 2),
            "weasyprint_share": round(rendered.seconds_in_weasyprint / wall, 3),
            "peak_rss_mb": round(peak_mb, 1),
            "progress": [(p, round(t, 2)) for p, t in steps],
            "seed_s": round(seed_seconds, 1),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        }
        print(json.dumps(result, indent=2))
        print(
            f"| Hessen final report | {result['municipalities']} municipalities | "
            f"{result['pages']} pages | {result['charts']} charts | {wall:.1f} s | "
            f"{100 * result['weasyprint_share']:.0f} % in WeasyPrint | "
            f"peak {peak_mb:.0f} MB |"
        )
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not have started; the drop below still runs
            pass
        if not args.keep:
            with admin_connection(url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the Hessen final report (14 municipalities) as a PDF, on PostgreSQL (issue 8).

    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/report_pdf.py [--output F]

Creates a throwaway database next to the one DATABASE_URL names (the role needs CREATEDB),
migrates it, seeds the demo (manage.py seed_demo), makes a final-report draft of the Hessen lab
(or one cohort: --cohort) with every survey and short narrative sections, and then, --runs times,
taking turns, each in a fresh process of its own:

- the report job: the real Celery task function `reports.tasks.render_report` executed
  in-process (`apply`, as a worker's pool process runs it) on a queued ReportRun: it claims the
  run, reads the data, renders the HTML and charts, lays out and writes the tagged PDF with
  WeasyPrint and stores it;
- the floor: WeasyPrint alone on the report's finished HTML (rendered beforehand, untimed), with
  the same fetcher and PDF options (`HTML(...).render(pdf_tags=True).write_pdf(pdf/ua-1)`).

Both processes import everything before the clock starts. The ratio is judged on the processes'
CPU time (time.process_time), which a busy, shared machine does not inflate as it does wall time
(printed beside it); the job's database work, in PostgreSQL's processes, is not in it (about
1–2 s of the job's wall time, the rest being WeasyPrint). Peak memory is the process's VmHWM
(its own peak resident set, /proc/self/status; ru_maxrss from resource.getrusage, printed beside
it, may start from the parent's size after fork and exec). Prints JSON and a Markdown table with
the targets: job ≤ 1.3 × floor (medians of CPU time), peak memory of the job's process < 600 MB.
Drops the database at the end (--keep keeps it).
"""

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import machine, memory_kb, postgres_url, throwaway_database  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "report_pdf.json"
TARGET_RATIO = 1.3
TARGET_PEAK_MB = 600

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
    parser.add_argument("--runs", type=int, default=3, help="job and floor runs, taking turns")
    parser.add_argument("--output", help="also write the PDF here")
    parser.add_argument(
        "--json", default=str(RESULTS), help=f"write the figures here (default {RESULTS})"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--child", choices=["task", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--id", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


# --- child processes: one measurement each, so that the peak memory is that of the job alone -----


def child(args) -> int:
    import django

    django.setup()
    # everything imported before measuring, as in a worker that has run a job before
    import weasyprint  # noqa: F401

    from reports import render, tasks
    from reports.models import ReportDraft, ReportRun, RunStatus

    render.quiet_weasyprint_logs()
    before = memory_kb("VmRSS")
    if args.child == "task":
        seen = []
        real_render_pdf = render.render_pdf

        def spy(*a, **kw):  # only notes what the job's own call returned
            rendered = real_render_pdf(*a, **kw)
            seen.append(rendered)
            return rendered

        render.render_pdf = spy
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = tasks.render_report.apply(args=[args.id]).get()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        run = ReportRun.objects.get(pk=args.id)
        assert outcome == "done" and run.status == RunStatus.DONE, (outcome, run.error)
        result = {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "seconds_in_weasyprint": seen[0].seconds_in_weasyprint,
            "pages": run.pages,
            "pdf_bytes": run.size,
            "pdf": run.pdf.path,
        }
    else:
        from weasyprint import HTML

        from reports.fetcher import REPORT_BASE_URL, SafeURLFetcher

        draft = ReportDraft.objects.get(pk=args.id)
        html = render.render_html(draft, context=render.report_context(draft), for_pdf=True)
        started, cpu_started = time.perf_counter(), time.process_time()
        document = HTML(string=html, base_url=REPORT_BASE_URL, url_fetcher=SafeURLFetcher())
        document = document.render(pdf_tags=True)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        result = {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "pages": len(document.pages),
            "pdf_bytes": len(pdf),
            "html_bytes": len(html.encode()),
        }
    peak = memory_kb("VmHWM")
    result |= {
        "rss_before_kb": before,
        "peak_rss_kb": peak,
        "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print(json.dumps(result))
    return 0


def run_child(kind: str, object_id: int) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--id", str(object_id)]
    done = subprocess.run(  # noqa: S603 - this very script, with our own arguments
        command, capture_output=True, text=True, env=os.environ, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{kind} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the world ------------------------------------------------------------------------------------


def make_draft(cohort_slug: str):
    from evaluations.models import Survey
    from labs.models import Cohort, Lab
    from reports.models import ReportDraft, ReportKind

    HESSEN = "vielfalt-hessen"  # the demo lab with the surveys (demo/data/labs.yaml)

    lab = Lab.objects.get(slug=HESSEN)
    cohort = Cohort.objects.get(lab=lab, slug=cohort_slug) if cohort_slug else None
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
    return draft


def queued_run(draft, number: int):
    """A queued run of the draft, as reports.services.report_run_request makes it, but not
    enqueued: this script executes it itself. Each run has its own key, so each renders anew."""
    from reports.models import ReportRun

    key = hashlib.sha256(f"bench:{draft.pk}:{number}".encode()).hexdigest()
    return ReportRun.objects.create(draft=draft, key=key, params={"bench": number})


# --- report ---------------------------------------------------------------------------------------


def summarise(task_runs: list[dict], floor_runs: list[dict]) -> dict:
    def median(runs, key):
        return statistics.median(r[key] for r in runs)

    cpu_ratio = median(task_runs, "cpu_seconds") / median(floor_runs, "cpu_seconds")
    peak_mb = max(r["peak_rss_kb"] for r in task_runs) / 1024
    return {
        "job_median_s": round(median(task_runs, "seconds"), 2),
        "job_cpu_median_s": round(median(task_runs, "cpu_seconds"), 2),
        "job_weasyprint_median_s": round(median(task_runs, "seconds_in_weasyprint"), 2),
        "floor_median_s": round(median(floor_runs, "seconds"), 2),
        "floor_cpu_median_s": round(median(floor_runs, "cpu_seconds"), 2),
        "wall_ratio": round(median(task_runs, "seconds") / median(floor_runs, "seconds"), 3),
        "ratio": round(cpu_ratio, 3),
        "job_peak_rss_mb": round(peak_mb, 1),
        "floor_peak_rss_mb": round(max(r["peak_rss_kb"] for r in floor_runs) / 1024, 1),
        "ratio_ok": cpu_ratio <= TARGET_RATIO,
        "memory_ok": peak_mb < TARGET_PEAK_MB,
    }


def main() -> int:
    args = parse_args()
    if args.child:
        return child(args)
    postgres_url()
    # dev settings: static files from the finders, as without collectstatic; the job's PDFs go
    # to a temporary MEDIA_ROOT
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    workdir = tempfile.TemporaryDirectory(prefix="innolab-bench-report-")
    os.environ["INNOLAB_VAR_DIR"] = workdir.name
    os.environ["MEDIA_ROOT"] = str(Path(workdir.name) / "media")
    with workdir, throwaway_database("innolab_bench_report", keep=args.keep) as name:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from reports import render

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", force=True, quiet=True, verbosity=0)  # a throwaway database
        seed_seconds = time.perf_counter() - started
        draft = make_draft(args.cohort)
        context = render.report_context(draft)

        task_runs, floor_runs = [], []
        for number in range(args.runs):  # taking turns: a change of load hits both alike
            task_runs.append(run_child("task", queued_run(draft, number).pk))
            floor_runs.append(run_child("floor", draft.pk))
        assert {r["pages"] for r in task_runs} == {r["pages"] for r in floor_runs}, "pages differ"
        if args.output:
            Path(args.output).write_bytes(Path(task_runs[0]["pdf"]).read_bytes())
        for run in task_runs:
            del run["pdf"]  # in the temporary MEDIA_ROOT, gone at the end
        summary = summarise(task_runs, floor_runs)
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "report": "Hessen final report" + (f" ({args.cohort})" if args.cohort else ""),
            "municipalities": len(context["municipalities"]),
            "surveys": draft.surveys.count(),
            "charts": context.get("chart_count", 0),
            "pages": task_runs[0]["pages"],
            "pdf_bytes": task_runs[0]["pdf_bytes"],
            "runs": args.runs,
            **summary,
            "targets": {"ratio_max": TARGET_RATIO, "peak_rss_mb_max": TARGET_PEAK_MB},
            "task_runs": task_runs,
            "floor_runs": floor_runs,
            "seed_s": round(seed_seconds, 1),
            **machine(connection),
            "database": name,
        }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print()
    print(
        f"{result['report']}: {result['municipalities']} municipalities, {result['surveys']} "
        f"surveys, {result['charts']} charts, {result['pages']} pages; medians of {args.runs} "
        f"runs; {result['cpus']} CPUs, load {result['load_average'][0]:.1f}"
    )
    print()
    print("| measurement | CPU time | wall time | target | |")
    print("|---|---:|---:|---:|---|")
    print(
        "| report job (render_report task: data, HTML, charts, WeasyPrint, storage) | "
        f"{summary['job_cpu_median_s']:.1f} s | {summary['job_median_s']:.1f} s | | |"
    )
    print(
        f"| WeasyPrint alone on the finished HTML (floor) | {summary['floor_cpu_median_s']:.1f} s "
        f"| {summary['floor_median_s']:.1f} s | | |"
    )
    print(
        f"| ratio job / floor | {summary['ratio']:.2f} | {summary['wall_ratio']:.2f} | "
        f"≤ {TARGET_RATIO} (CPU) | {'pass' if summary['ratio_ok'] else 'FAIL'} |"
    )
    print(
        f"| peak memory of the job's process (VmHWM) | {summary['job_peak_rss_mb']:.0f} MB | | "
        f"< {TARGET_PEAK_MB} MB | {'pass' if summary['memory_ok'] else 'FAIL'} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

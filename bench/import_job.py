"""Benchmark: a 50 MB answers file through the browser's upload and the import job (issue 21).

    DATABASE_URL=postgres://USER@HOST:PORT/DB REDIS_URL=redis://HOST:PORT/0 \\
        .venv/bin/python bench/import_job.py

As production runs it: production settings, gunicorn (gthread workers, 30 s timeout) and a Celery
worker (solo pool) on Redis, PostgreSQL. Creates a throwaway database next to the one DATABASE_URL
names, the world of bench/survey_scale.py (a cohort of 40 municipalities, a survey of five scale
questions, a single choice and a free text) and an answers file in the raw export's format just
under the upload limit (50 MiB). Then:

- the upload: POST of the file to the import page over HTTP, as the coordinator (session cookie,
  CSRF token), on warm gunicorn workers; the time until the redirect to the job's page arrives
  (five uploads: the measured one into the survey, four more into a second survey whose jobs
  are discarded);
- the job: a Celery worker is started and imports the file; the job's page is polled as the
  browser does (htmx partial, every 2 s) and its progress recorded; job time = from the job's
  start until its page shows the outcome (the commit included), the worker's peak memory (VmHWM
  of its process) at the end.

Prints JSON, then a Markdown table; drops the database at the end (--keep keeps it).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import machine, postgres_url, throwaway_database  # noqa: E402
from survey_scale import BIG, SMALL, build_world, write_answers_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 50 * 1024 * 1024  # evaluations.forms_transfer.MAX_UPLOAD_BYTES


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20250401)
    parser.add_argument("--size", type=int, default=LIMIT - 64 * 1024, help="file size, bytes")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--uploads-only", action="store_true", help="no worker, no job")
    return parser.parse_args()


def answers_file(path: Path, size: int, municipalities: list[str], seed: int) -> int:
    """An answers file of at most `size` bytes; returns its number of responses."""
    sample = path.with_suffix(".sample")
    write_answers_file(sample, 20_000, municipalities, seed)
    per_row = sample.stat().st_size / 20_000
    sample.unlink()
    responses = int(size / per_row)
    while True:
        write_answers_file(path, responses, municipalities, seed)
        if path.stat().st_size <= size:
            return responses
        responses = int(responses * 0.998)


def multipart(field: str, filename: str, content: bytes, fields: dict) -> tuple[bytes, str]:
    boundary = "----bench" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
    )
    parts.append(content)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, cookies: dict, body=b"", headers=None):
    """(status, headers, body, seconds) of one request over a new connection, as through the
    TLS-terminating proxy (X-Forwarded-Proto: https)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    all_headers = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        **(headers or {}),
    }
    started = time.perf_counter()
    connection.request(method, path, body=body or None, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return response.status, dict(response.getheaders()), data, seconds


def main() -> int:
    args = parse_args()
    postgres_url()
    if not os.environ.get("REDIS_URL", "").startswith("redis://"):
        print("Set REDIS_URL to a Redis server (redis://…/0).", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="innolab-import-bench-"))
    redis = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    queue = f"bench-import-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": f"{redis}/0",
        "CELERY_BROKER_URL": f"{redis}/1",
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "EMAIL_URL": "consolemail://",
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "WARNING",
    }
    with throwaway_database("innolab_import_bench", keep=args.keep):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        os.environ.update({k: v for k, v in env.items() if k != "DATABASE_URL"})
        import django

        django.setup()
        from allauth.mfa.models import Authenticator
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.utils import timezone

        from evaluations.models import ImportJob, Response

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        world = build_world(argparse.Namespace(municipalities=args.municipalities))
        coordinator = world["coordinator"]
        # production asks privileged accounts for a second factor: this one has one
        Authenticator.objects.create(
            user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "bench"}
        )
        client = Client()
        client.force_login(coordinator)
        csrf = secrets.token_hex(16)  # a 32-character secret: cookie and form field alike
        cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: csrf,
        }
        path = work / "antworten.csv"
        responses = answers_file(path, args.size, world["municipalities"], args.seed)
        content = path.read_bytes()
        surveys = world["surveys"]

        def import_path(survey) -> str:
            return f"/labs/bench/cohorts/kohorte/surveys/{survey.slug}/import/"

        port = free_port()
        gunicorn_log = open(work / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        web = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--worker-class",
             "gthread", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker = None
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if request(port, "GET", "/healthz", {})[0]:
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            # warm workers, as in production: the first request of a new process imports and
            # compiles what the later ones reuse (several seconds on a busy machine)
            for _ in range(12):
                status = request(port, "GET", import_path(surveys[BIG]), cookies)[0]
                assert status == 200, status
            uploads = []
            for survey in (surveys[BIG], *[surveys[SMALL]] * 4):
                body, content_type = multipart(
                    "file", "antworten.csv", content, {"csrfmiddlewaretoken": csrf}
                )
                status, headers, data, seconds = request(
                    port,
                    "POST",
                    import_path(survey),
                    cookies,
                    body,
                    {
                        "Content-Type": content_type,
                        "Referer": f"https://127.0.0.1:{port}{import_path(survey)}",
                    },
                )
                assert status == 302, (status, data[:2000])
                uploads.append(
                    {"survey": survey.slug, "seconds": seconds, "to": headers["Location"]}
                )
            job_path = uploads[0]["to"]
            job = ImportJob.objects.get(pk=int(re.search(r"/imports/(\d+)/", job_path)[1]))
            ImportJob.objects.exclude(pk=job.pk).delete()  # their messages find no job
            if args.uploads_only:
                print(json.dumps([round(u["seconds"], 3) for u in uploads]))
                return 0

            worker_log = open(work / "worker.log", "w")  # noqa: SIM115 - closed below
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
                 "-Q", queue],
                cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            polls = []
            while True:
                status, _headers, data, seconds = request(
                    port, "GET", job_path, cookies, headers={"HX-Request": "true"}
                )
                text = data.decode()
                value = re.search(r'<progress id="job-progress" max="100" value="(\d+)"', text)
                polls.append(
                    {"t": round(time.monotonic(), 1), "status": status, "seconds": seconds,
                     "progress": int(value[1]) if value else None}
                )  # fmt: skip
                if "hx-get" not in text:
                    done_at = timezone.now()  # the page shows the outcome: committed
                    break
                if worker.poll() is not None:
                    raise RuntimeError((work / "worker.log").read_text())
                time.sleep(2)
            with open(f"/proc/{worker.pid}/status") as proc_status:
                peak_kb = next(
                    int(line.split()[1]) for line in proc_status if line.startswith("VmHWM:")
                )
            job.refresh_from_db()
            assert job.status == "succeeded", (job.status, job.failure, job.errors[:3])
            stored = Response.objects.filter(survey=surveys[BIG]).count()
        finally:
            for process in (worker, web):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
            gunicorn_log.close()
        from django.db import connection

        result = {
            "machine": machine(connection),
            "file_bytes": len(content),
            "file_mb": round(len(content) / 1024 / 1024, 1),
            "responses": responses,
            "stored_responses": stored,
            "upload_seconds": [round(u["seconds"], 3) for u in uploads],
            "upload_median_s": round(statistics.median(u["seconds"] for u in uploads), 3),
            # until the page showed the outcome (within one 2 s poll): the rows are written by
            # `rows_written_seconds`, then PostgreSQL checks the deferred foreign keys at COMMIT
            "job_seconds": round((done_at - job.started_at).total_seconds(), 1),
            "rows_written_seconds": round((job.finished_at - job.started_at).total_seconds(), 1),
            "queue_wait_seconds": round((job.started_at - job.created_at).total_seconds(), 1),
            "time_limit_seconds": settings.IMPORT_JOB_TIME_LIMIT,
            "worker_peak_mb": round(peak_kb / 1024),
            "polls": len(polls),
            "poll_max_s": round(max(p["seconds"] for p in polls), 3),
            "progress_seen": [p["progress"] for p in polls],
        }
    print(json.dumps(result, indent=2))
    print()
    print("| file | responses | upload request (5×) | job | worker peak memory | page poll (max) |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {result['file_mb']} MiB | {responses:,} | "
        f"{', '.join(f'{s:.2f} s' for s in result['upload_seconds'])} | "
        f"{result['job_seconds']} s (limit {result['time_limit_seconds']} s) | "
        f"{result['worker_peak_mb']} MB | {result['poll_max_s']:.2f} s |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

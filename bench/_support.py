"""What the benchmark scripts share: a throwaway PostgreSQL database and the machine's figures.

    from _support import throwaway_database      # with bench/ on sys.path, as the scripts do

    with throwaway_database("innolab_bench", keep=args.keep) as name:
        ...  # DATABASE_URL now names the new, empty database; django.setup() and migrate here

The database is created next to the one DATABASE_URL names (the role needs CREATEDB) and dropped
afterwards (WITH (FORCE): a server process left behind does not keep it alive).
"""

import os
import platform
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def postgres_url() -> str:
    """DATABASE_URL, which must name a PostgreSQL database; exits with a message otherwise."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL database (postgres://…).", file=sys.stderr)
        raise SystemExit(2)
    return url


def admin_connection(url: str):
    """An autocommit connection to the server of `url` (to create and drop databases)."""
    import psycopg

    parts = urlsplit(url)
    options = {
        "host": parts.hostname,
        "port": parts.port or 5432,
        "user": parts.username,
        "password": parts.password,
        "autocommit": True,
    }
    try:
        return psycopg.connect(dbname=parts.path.lstrip("/") or "postgres", **options)
    except psycopg.OperationalError:  # the named database need not exist: the server's will do
        return psycopg.connect(dbname="postgres", **options)


def with_database(url: str, name: str) -> str:
    """`url` with its database name replaced."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def create_database(url: str, name: str) -> str:
    with admin_connection(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    with admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def close_django_connections() -> None:
    """Close Django's connections if Django was set up (so the database can be dropped)."""
    if "django.db" not in sys.modules:
        return
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 - Django may not be configured; the drop still runs (FORCE)
        pass


@contextmanager
def throwaway_database(prefix: str, *, keep: bool = False):
    """Create the database PREFIX_<pid>, point DATABASE_URL at it, yield its name; drop it at the
    end unless `keep`, and restore DATABASE_URL."""
    url = postgres_url()
    name = f"{prefix}_{os.getpid()}"
    os.environ["DATABASE_URL"] = create_database(url, name)
    try:
        yield name
    finally:
        close_django_connections()
        os.environ["DATABASE_URL"] = url
        if keep:
            print(f"kept the database {name}", file=sys.stderr)
        else:
            drop_database(url, name)


def memory_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, in kB. (ru_maxrss would not do after a fork:
    it starts from the parent's size.)"""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def ram_gb() -> float:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def machine(connection=None) -> dict:
    """CPUs, RAM, load average, Python and (given a DB-API connection) PostgreSQL's version."""
    out = {
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "ram_gb": ram_gb(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }
    if connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            out["postgresql"] = cursor.fetchone()[0].split()[0]
    return out


def check_first_scale_question(survey) -> None:
    """The figures must be right, not only fast: the first question's N, mean, SD and median as
    evaluations.analysis computes them against the same figures straight from SQL."""
    from django.db import connection

    from evaluations.analysis import survey_results

    first = survey_results(survey)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(number), avg(number), stddev_samp(number), "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY number) "
            "FROM evaluations_answer WHERE question_id = %s",
            [first.question.pk],
        )
        n, mean, sd, median = cursor.fetchone()
    assert (first.n, first.median) == (n, median), (first, n, median)
    assert abs(first.mean - mean) < 1e-9 and abs(first.sd - sd) < 1e-9, (first, mean, sd)

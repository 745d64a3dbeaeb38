"""Benchmark: the cohort dashboard with many municipalities.

Creates a throwaway lab with N municipalities (each with a two-person tandem) in the configured
database, renders the dashboard as its coordinator a few times and prints queries and timings.
Everything it creates is removed at the end.

    .venv/bin/python bench/cohort_dashboard.py            # N = 50, 200
    .venv/bin/python bench/cohort_dashboard.py 200 500
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from labs import services  # noqa: E402
from labs.models import Lab  # noqa: E402
from tandems import services as tandem_services  # noqa: E402

ROUNDS = 5


class Rollback(Exception):
    pass


def run(n: int) -> tuple[int, list[float], int]:
    coordinator = User.objects.create_user(email=f"bench-{n}@example.invalid", password=None)
    lab = services.lab_create(created_by=coordinator, slug=f"bench-{n}", name=f"Benchmark {n}")
    cohort = services.cohort_create(lab=lab, slug="k", name="Kohorte")
    for i in range(n):
        town = services.municipality_create(lab=lab, name=f"Gemeinde {i:04d}", state="HE")
        participation = services.participation_admit(cohort=cohort, municipality=town)
        for j, department in enumerate(("Personalamt", "Sozialamt")):
            member = User.objects.create_user(email=f"b{n}-{i}-{j}@example.invalid")
            tandem_services.tandem_member_add(
                participation=participation, user=member, department=department
            )
    client = Client()
    client.force_login(coordinator)
    url = f"/labs/{lab.slug}/cohorts/{cohort.slug}/"
    client.get(url)  # warm caches, compile templates
    timings = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return len(queries), timings, len(response.content)


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [50, 200]
    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor}; {ROUNDS} requests per size")
    print(f"{'municipalities':>14} {'queries':>8} {'median ms':>10} {'max ms':>8} {'HTML KiB':>9}")
    for n in sizes:
        try:
            with transaction.atomic():
                n_queries, timings, size = run(n)
                raise Rollback
        except Rollback:
            pass
        print(
            f"{n:>14} {n_queries:>8} {statistics.median(timings):>10.1f} "
            f"{max(timings):>8.1f} {size / 1024:>9.1f}"
        )
    assert not Lab.objects.filter(slug__startswith="bench-").exists()


if __name__ == "__main__":
    main()

"""Throwaway servers for the fault tests: their own Redis, PostgreSQL and gunicorn on free loopback
ports, so a test may stop and restart them (never the shared services). Every process is started
by these context managers and stopped by them, even when the test fails; every wait is bounded.
Mirrors scripts/services.sh (initdb/pg_ctl as the postgres user when we are root, redis-server)."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate: Callable[[], object], timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
            raise AssertionError(f"{what}: not within {timeout} s\n{tail}")
        time.sleep(0.1)


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# --- Redis ------------------------------------------------------------------------------------


class OwnRedis:
    """redis-server without persistence on a free port; stop() and start() again on the same port
    (what a Redis restart looks like to the clients)."""

    def __init__(self, folder: Path):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        log = open(self.folder / "redis.log", "a")  # noqa: SIM115 - the process keeps it
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        wait_for(lambda: port_open(self.port), 10, "Redis starting", self.folder / "redis.log")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, timeout=10)
            self.process = None
        wait_for(lambda: not port_open(self.port), 5, "Redis stopping")


@contextlib.contextmanager
def own_redis() -> Iterator[OwnRedis]:
    folder = Path(tempfile.mkdtemp(prefix="innolab-redis-"))
    redis = OwnRedis(folder)
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


class OwnPostgres:
    """A PostgreSQL cluster in a temporary folder (fsync off) on a free port, trust auth."""

    def __init__(self, folder: Path):
        self.bin = _pg_bin()
        if self.bin is None:
            pytest.skip("PostgreSQL's initdb is not installed")
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = list(args)
        if self.as_root:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)

    def url(self, name: str, user: str = "postgres") -> str:
        return f"postgres://{user}@127.0.0.1:{self.port}/{name}"

    def init(self) -> None:
        if self.as_root:
            shutil.chown(self.folder, "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def ctl(self, action: str, *extra: str, timeout: float = 30) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=100"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-w", "-t", str(int(timeout)), "-o", options, action, *extra,
            timeout=timeout + 10,
        )  # fmt: skip

    def psql(self, sql: str, db: str = "postgres") -> str:
        return subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", "postgres", "-d", db, "-tAc", sql],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.ctl("stop", "-m", "immediate")


@contextlib.contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    folder = Path(tempfile.mkdtemp(prefix="innolab-pg-"))
    folder.chmod(0o755)
    pg = OwnPostgres(folder)
    try:
        pg.init()
        pg.ctl("start")
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


def copy_schema(source: dict, pg: OwnPostgres, name: str) -> None:
    """Create database `name` in `pg` with the schema and rows of the (migrated) database that
    `source` (a Django settings_dict) describes: the test database pytest-django migrated, so the
    cluster needs no second `migrate` (seconds instead of half a minute)."""
    pg.psql(f"CREATE DATABASE {name}")
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    dump = subprocess.run(
        [str(pg.bin / "pg_dump"), "-h", source["HOST"], "-p", str(source["PORT"]),
         "-U", source["USER"], "--no-owner", "--no-privileges", source["NAME"]],
        capture_output=True, env=env, timeout=60, check=True,
    ).stdout  # fmt: skip
    subprocess.run(
        [str(pg.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
         "-p", str(pg.port), "-U", "postgres", "-d", name],
        input=dump, capture_output=True, timeout=60, check=True,
    )  # fmt: skip


# --- Django processes -------------------------------------------------------------------------


def django_env(database_url: str, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run_django(code: str, env: dict, timeout: float = 120) -> str:
    """Run Python `code` after django.setup() in a fresh process with `env`; its stdout."""
    script = "import django\ndjango.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if result.returncode:
        raise AssertionError(f"django script failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def gunicorn(
    env: dict, log_path: Path, *, workers: int = 2, threads: int = 4, timeout: int = 30
) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn serving config.wsgi on a free port, as in production (gthread workers)."""
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--worker-class", "gthread", "--timeout", str(timeout), "--graceful-timeout", "5",
         "--backlog", "512", "--access-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: process.poll() is not None or status(base + "/healthz", timeout=5) > 0,
            60,
            "gunicorn starting",
            log_path,
        )
        assert process.poll() is None, log_path.read_text()
        yield base, process
    finally:
        stop_process(process)
        log.close()


def worker_pids(master: subprocess.Popen) -> set[int]:
    """The gunicorn master's worker processes (from /proc)."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    with contextlib.suppress(OSError):
        return {int(pid) for pid in children.read_text().split()}
    return set()


# --- HTTP -------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(cookies: dict | None = None, *, follow: bool = False, base: str = ""):
    """A urllib opener with a cookie jar (and these cookies for 127.0.0.1)."""
    jar = http.cookiejar.CookieJar()
    for name, value in (cookies or {}).items():
        jar.set_cookie(
            http.cookiejar.Cookie(
                0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                None, False, None, None, {},
            )
        )  # fmt: skip
    handlers = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(NoRedirect())
    built = urllib.request.build_opener(*handlers)
    built.jar = jar
    return built


def fetch(url: str, *, data: bytes | None = None, client=None, timeout: float = 10, headers=None):
    """(status, body, headers) of a request; HTTP errors are answers too, not exceptions."""
    client = client or opener()
    assert url.startswith("http://127.0.0.1:"), url  # only our own servers
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with client.open(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers


def status(url: str, timeout: float = 5) -> int:
    """The status code, or 0 when nothing answers."""
    try:
        return fetch(url, timeout=timeout)[0]
    except (OSError, urllib.error.URLError):
        return 0

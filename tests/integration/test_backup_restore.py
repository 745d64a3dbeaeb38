"""scripts/backup and scripts/restore: a seeded instance with a file in its storage is backed up,
restored into an empty database and an empty MEDIA_ROOT, and the two compared table by table
(row counts and an md5 over the ordered rows), file by file, and by serving a page from the
restored instance.

Works on databases of its own beside the test database (the role needs CREATEDB); the instance
runs as subprocesses with the development settings, as `manage.py` would on a server.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration

MATERIAL = b"%PDF-1.4\n% InnoLab backup test: minutes of the kick-off\n" + bytes(range(256)) * 8


def server_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("backup and restore need PostgreSQL")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/postgres"


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture
def databases():
    """Three fresh databases (source, target, a spare target); dropped afterwards."""
    url = server_url()
    names = [f"innolab_backup_{role}_{os.getpid()}" for role in ("src", "dst", "spare")]
    with connect(url) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    yield [with_database(url, name) for name in names]
    with connect(url) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def instance_env(database_url: str, var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "STORAGE_S3_BUCKET", "MEDIA_ROOT"}
        and not key.startswith(("PYTEST", "DJANGO_"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "INNOLAB_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "DEBUG": "false",
    }


def run(command: list[str], env: dict, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(env: dict, *args: str, timeout: int = 60) -> str:
    done = run([sys.executable, "manage.py", *args], env, timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def tables(url: str) -> dict[str, tuple[int, str]]:
    """Every table: its row count and the md5 of its rows' text in order."""
    out = {}
    with connect(url) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        names = conn.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        ).fetchall()
        for (name,) in names:
            # names from pg_tables, quoted by format()
            query = (
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
            )
            out[name] = conn.execute(f"{query} FROM {name} t").fetchone()  # noqa: S608
    return out


def files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


ADD_MATERIAL = textwrap.dedent(
    """
    from django.core.files.base import ContentFile
    from events.models import Event, EventMaterial
    event = Event.objects.order_by("pk").first()
    content = bytes.fromhex("{hex}")
    material = EventMaterial.objects.create(
        event=event, file=ContentFile(content, name="minutes.pdf"), original_name="Protokoll.pdf",
        content_type="application/pdf", size=len(content), title="Protokoll",
    )
    print(material.pk, material.file.name)
    """
)

SERVE = textwrap.dedent(
    """
    from django.test import Client
    from django.urls import reverse
    from labs.models import LabMembership
    from events.models import EventMaterial
    material = EventMaterial.objects.select_related("event__lab").get(pk={pk})
    coordinator = LabMembership.objects.filter(lab=material.event.lab, role="coordinator").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(coordinator.user)
    page = client.get(reverse("event_list", args=[material.event.lab.slug]))
    download = client.get(reverse(
        "event_material_download", args=[material.event.lab.slug, material.event_id, material.pk]
    ))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    print(page.status_code, download.status_code, body.hex())
    """
)


def test_backup_restore_round_trip(databases, tmp_path):
    source, target, spare = databases
    src_env = instance_env(source, tmp_path / "src")
    dst_env = instance_env(target, tmp_path / "dst")

    # a seeded instance with a file in its storage
    manage(src_env, "migrate", "--noinput", "-v0", timeout=120)
    manage(src_env, "seed_demo", "--force", "--quiet", "--no-report-pdfs", timeout=120)
    material_pk, material_name = manage(
        src_env, "shell", "-v0", "-c", ADD_MATERIAL.replace("{hex}", MATERIAL.hex())
    ).split()
    src_media = tmp_path / "src" / "media"
    assert (src_media / material_name).read_bytes() == MATERIAL

    done = run(["bash", "scripts/backup", str(tmp_path / "backups")], src_env)
    assert done.returncode == 0, done.stderr
    backup = Path(done.stdout.strip().splitlines()[-1])
    assert {p.name for p in backup.iterdir()} == {
        "database.dump", "media.tar", "media.sha256", "tables.tsv", "SHA256SUMS", "MANIFEST",
    }  # fmt: skip
    manifest = (backup / "MANIFEST").read_text()
    assert f"media: {len(files(src_media))} files" in manifest

    # into an empty database and an empty MEDIA_ROOT
    done = run(["bash", "scripts/restore", str(backup)], dst_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "restore: verified" in done.stderr

    before, after = tables(source), tables(target)
    assert before.keys() == after.keys()
    assert sum(rows for rows, _md5 in before.values()) > 500  # the demo, not an empty shell
    assert {name: value for name, value in after.items() if value != before[name]} == {}
    assert files(tmp_path / "dst" / "media") == files(src_media)

    # the restored instance serves its pages and the restored file
    manage(dst_env, "check")
    status_page, status_download, body = manage(
        dst_env, "shell", "-v0", "-c", SERVE.replace("{pk}", material_pk)
    ).split()
    assert (status_page, status_download) == ("200", "200")
    assert bytes.fromhex(body) == MATERIAL

    # a database with tables is refused, and nothing changes
    served = tables(target)  # (the login above wrote a session, last_login, an audit line)
    done = run(["bash", "scripts/restore", str(backup)], dst_env)
    assert done.returncode == 3, done.stderr
    assert "Nothing was changed" in done.stderr
    assert tables(target) == served

    # a damaged backup is refused before anything is restored
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    with (damaged / "media.tar").open("r+b") as tar:
        tar.seek(600)
        tar.write(b"X")
    done = run(["bash", "scripts/restore", str(damaged)], instance_env(spare, tmp_path / "spare"))
    assert done.returncode == 1, done.stderr
    assert "do not match SHA256SUMS" in done.stderr
    assert tables(spare) == {}

"""Artifacts go through Django's storage API only, so an S3-compatible bucket can hold them.

- The settings: with STORAGE_S3_BUCKET (or AWS_STORAGE_BUCKET_NAME) set, STORAGES["default"] is
  django-storages' S3 backend with private, signed, never-overwritten files (a subprocess imports
  the production settings with that environment, as tests/test_settings.py does).
- The code: with the default storage swapped for an in-memory one, an event material upload and a
  rendered report PDF are stored and downloaded through the views, and nothing is written to
  MEDIA_ROOT; no application module names MEDIA_ROOT or opens files below it.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.apps import project_apps
from events.models import EventMaterial
from reports import jobs, services
from reports.models import ReportDraft, ReportRun, RunStatus
from tests.events.matrix_events_world import workshop
from tests.pdf import minimal_pdf

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
default_storage._setup()
s = default_storage._wrapped
out = {"config": settings.STORAGES["default"], "class": type(s).__module__ + "." + type(s).__name__}
if hasattr(s, "bucket_name"):
    out.update(
        bucket=s.bucket_name, endpoint=s.endpoint_url, region=s.region_name,
        access_key=s.access_key, secret_key=s.secret_key, acl=s.default_acl,
        querystring_auth=s.querystring_auth, overwrite=s.file_overwrite,
        custom_domain=s.custom_domain, location=s.location,
    )
    if s.access_key:  # signing only: no request is sent
        out["url"] = s.url("reports/1/2/abc.pdf")
print(json.dumps(out))
"""

S3_ENV_NAMES = {
    "STORAGE_S3_BUCKET",
    "AWS_STORAGE_BUCKET_NAME",
    "STORAGE_S3_ENDPOINT_URL",
    "STORAGE_S3_REGION",
    "STORAGE_S3_ACCESS_KEY_ID",
    "STORAGE_S3_SECRET_ACCESS_KEY",
    "STORAGE_S3_PREFIX",
    "STORAGE_S3_ADDRESSING_STYLE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
}


def _probe(**env: str) -> dict:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in S3_ENV_NAMES and k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SENTRY_DSN"}
    }
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            # imported only: no connection is made
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
            # botocore must never look for credentials on a cloud metadata address
            "AWS_EC2_METADATA_DISABLED": "true",
            **env,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_bucket_files_stay_in_media_root():
    found = _probe()
    assert found["class"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_a_bucket_switches_the_default_storage_to_s3_with_private_signed_files():
    found = _probe(
        STORAGE_S3_BUCKET="innolab-files",
        STORAGE_S3_ENDPOINT_URL="https://s3.example.invalid",
        STORAGE_S3_REGION="eu-central-1",
        STORAGE_S3_ACCESS_KEY_ID="AKIAEXAMPLEKEY",
        STORAGE_S3_SECRET_ACCESS_KEY="example-secret-not-real",
        STORAGE_S3_PREFIX="innolab",
    )
    assert found["config"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["class"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "innolab-files"
    assert found["endpoint"] == "https://s3.example.invalid"
    assert found["region"] == "eu-central-1"
    assert (found["access_key"], found["secret_key"]) == (
        "AKIAEXAMPLEKEY",
        "example-secret-not-real",
    )
    assert found["acl"] == "private"
    assert found["querystring_auth"] is True
    assert found["overwrite"] is False
    assert not found["custom_domain"]
    assert found["location"] == "innolab"
    # a time-limited signed URL on the configured endpoint, never a public one
    url = found["url"]
    assert url.startswith("https://")
    assert "s3.example.invalid" in url
    assert "innolab/reports/1/2/abc.pdf" in url
    assert "X-Amz-Signature=" in url or "Signature=" in url


def test_aws_storage_bucket_name_is_accepted_too():
    found = _probe(AWS_STORAGE_BUCKET_NAME="other-bucket")
    assert found["class"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "other-bucket"
    assert found["endpoint"] is None
    assert found["acl"] == "private"


# --- every artifact through the storage API ------------------------------------------------------


@pytest.fixture
def memory_storage(settings, tmp_path):
    """The default storage in memory, and an empty MEDIA_ROOT that must stay empty."""
    media = tmp_path / "media"
    media.mkdir()
    storages = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with override_settings(STORAGES=storages, MEDIA_ROOT=str(media)):
        default_storage._setup()
        assert isinstance(default_storage._wrapped, InMemoryStorage)
        yield default_storage._wrapped, media


def _files_below(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_an_event_material_upload_is_stored_and_served_through_the_storage_api(
    memory_storage, world, coordinator, client_as, django_capture_on_commit_callbacks
):
    storage, media = memory_storage
    event = workshop(world, coordinator)
    data = minimal_pdf("Ablauf")
    client = client_as("coordinator")
    response = client.post(
        reverse("event_material_upload", args=[event.lab.slug, event.pk]),
        {"file": SimpleUploadedFile("Ablauf.pdf", data, content_type="application/pdf")},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    material = EventMaterial.objects.get(event=event)
    assert storage.exists(material.file.name)
    with storage.open(material.file.name, "rb") as handle:
        assert handle.read() == data

    download = client.get(
        reverse("event_material_download", args=[event.lab.slug, event.pk, material.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data

    # the file goes once the deletion is committed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("event_material_delete", args=[event.lab.slug, event.pk, material.pk])
        )
    assert response.status_code == 302
    assert not storage.exists(material.file.name)
    assert _files_below(media) == []


def test_a_report_pdf_is_rendered_into_the_storage_and_downloaded_from_it(
    memory_storage, cohort_x, coordinator, client_as, django_capture_on_commit_callbacks
):
    storage, media = memory_storage
    draft = ReportDraft.objects.create(
        lab=cohort_x.lab,
        cohort=cohort_x,
        kind="final",
        title="Abschlussbericht Kohorte 1",
        executive_summary="Die Kommunen haben **viel** erreicht.",
        created_by=coordinator,
    )
    with django_capture_on_commit_callbacks():  # the worker's part is called below
        run, created = services.report_run_request(draft=draft, user=coordinator)
    assert created
    assert jobs.execute_run(run.pk) == jobs.Outcome.DONE
    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.DONE
    assert storage.exists(run.pdf.name)
    with storage.open(run.pdf.name, "rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"%PDF-")
    assert len(stored) == run.size

    response = client_as("coordinator").get(
        reverse("report_download", args=[draft.lab.slug, run.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert _files_below(media) == []


def test_no_application_module_writes_below_media_root_itself():
    """Files under MEDIA_ROOT are only reached through the storage (FileField / default_storage):
    no module reads settings.MEDIA_ROOT, builds paths from it or asks a storage for a local path."""
    offenders = []
    pattern = re.compile(r"MEDIA_ROOT|\.path\(\s*\w*\.?name\)|storage\.path\(|\.file\.path\b")
    for package in project_apps():
        for source in (ROOT / package).rglob("*.py"):
            if "migrations" in source.parts:
                continue
            for number, line in enumerate(source.read_text().splitlines(), 1):
                if pattern.search(line) and "staticfiles_storage" not in line:
                    offenders.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []

"""An answers file uploaded in the browser is imported by a real worker process through Redis:
the upload returns at once with the job queued, the job's page shows the outcome."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import ImportJob, ImportStatus, Response

from ..evaluations.builders import make_survey

pytestmark = pytest.mark.integration


def _wait_until_finished(job: ImportJob, timeout: float = 60.0) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.in_progress:
            return job
        time.sleep(0.3)
    raise AssertionError(f"the import job is still {job.status} after {timeout} s")


def test_an_uploaded_answers_file_is_imported_by_the_worker(
    celery_worker_process, world, client_as
):
    survey = make_survey(world["cohort_x"])
    lines = ["response_id,municipality,q_agree"] + [
        f"r{n},Ahornstadt,{n % 5 - 2}" for n in range(300)
    ]
    upload = SimpleUploadedFile("antworten.csv", "\n".join(lines).encode(), "text/csv")
    client = client_as("coordinator")
    url = reverse(
        "survey_import_responses", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug]
    )

    response = client.post(url, {"file": upload})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{job.pk}/")
    job = _wait_until_finished(job)
    assert (job.status, job.created_count) == (ImportStatus.SUCCEEDED, 300)
    assert Response.objects.filter(survey=survey).count() == 300
    page = client.get(response["Location"]).content.decode()
    assert "300 responses were imported." in page
    assert not job.file  # the stored upload is gone once imported

"""Report pages through their URLs: drafts, edit conflicts, history, preview, generating,
publishing and downloading. Who may open what is in matrix_reports (permission matrix); here the
behaviour behind it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, EventType
from reports.models import ReportDraft, ReportKind, ReportRun, RunStatus

from ..evaluations.builders import make_survey
from ..factories import CohortFactory
from ..shared_world import *  # noqa: F403 (the world, built once for the module)
from .builders import make_report_run

pytestmark = pytest.mark.django_db

LAB = "innolab-x"


def _draft(world, coordinator, **fields) -> ReportDraft:
    values = {
        "lab": world["lab_x"],
        "cohort": world["cohort_x"],
        "kind": ReportKind.FINAL,
        "title": "Abschlussbericht",
        "created_by": coordinator,
        **fields,
    }
    return ReportDraft.objects.create(**values)


def _draft_data(draft, **overrides) -> dict:
    data = {
        "version": draft.version,
        "title": draft.title,
        "subtitle": draft.subtitle,
        "executive_summary": draft.executive_summary,
        "method": draft.method,
        "lessons": draft.lessons,
        "challenges": draft.challenges,
        "recommendations": draft.recommendations,
        "conclusion": draft.conclusion,
    }
    data.update(overrides)
    return data


# --- creating ---------------------------------------------------------------------------------


def test_create_a_cohort_report_with_a_default_title(personas, world, client_as):
    response = client_as("coordinator").post(
        reverse("report_create", args=[LAB]),
        {"kind": "final", "cohort": world["cohort_x"].pk, "title": ""},
    )
    draft = ReportDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_draft", args=[LAB, draft.pk])
    assert draft.title == "Final report – Kohorte 1"
    assert draft.cohort == world["cohort_x"]
    assert draft.participation is None
    assert draft.created_by == personas["coordinator"]
    assert draft.history.count() == 1


def test_create_a_whole_lab_whitepaper(personas, world, client_as):
    client_as("coordinator").post(
        reverse("report_create", args=[LAB]), {"kind": "whitepaper", "title": "Weißbuch"}
    )
    draft = ReportDraft.objects.get()
    assert (draft.kind, draft.cohort, draft.title) == ("whitepaper", None, "Weißbuch")


def test_a_municipality_report_needs_a_municipality_of_the_lab(personas, world, client_as):
    client = client_as("coordinator")
    url = reverse("report_create", args=[LAB])
    response = client.post(url, {"kind": "municipality"})
    assert response.status_code == 200
    assert "participation" in response.context["form"].errors
    response = client.post(
        url, {"kind": "municipality", "participation": world["participation_y"].pk}
    )
    assert "participation" in response.context["form"].errors
    assert not ReportDraft.objects.exists()

    response = client.post(url, {"kind": "mission", "participation": world["participation_a"].pk})
    draft = ReportDraft.objects.get()
    assert draft.participation == world["participation_a"]
    assert draft.cohort == world["cohort_x"]  # the municipality's cohort
    assert draft.title == "Mission profile one-pager – Ahornstadt"


def test_coming_from_a_cohort_preselects_it(personas, world, client_as):
    client = client_as("coordinator")
    dashboard = client.get(reverse("cohort_dashboard", args=[LAB, "kohorte-1"]))
    link = reverse("report_create", args=[LAB]) + "?cohort=kohorte-1"
    assert f'href="{link}"' in dashboard.content.decode()

    form = client.get(link).context["form"]
    assert form["cohort"].value() == world["cohort_x"].pk
    assert f'<option value="{world["cohort_x"].pk}" selected>' in str(form["cohort"])
    # another lab's cohort, or none of that name: nothing is preselected
    for other in ("kohorte-y", "gibt-es-nicht"):
        url = reverse("report_create", args=[LAB]) + f"?cohort={other}"
        assert client.get(url).context["form"]["cohort"].value() is None


def test_the_empty_choices_are_translated(personas, world, client_as):
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(reverse("report_create", args=[LAB])).content.decode()
    assert "---------" not in page
    assert '<option value="" selected>– bitte auswählen –</option>' in page
    assert '<option value="" selected>Das gesamte Lab</option>' in page


# --- editing ----------------------------------------------------------------------------------


def test_edit_texts_and_selections(personas, world, client_as):
    draft = _draft(world, personas["coordinator"])
    survey = make_survey(world["cohort_x"])
    client = client_as("coordinator")
    url = reverse("report_draft", args=[LAB, draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Markdown" in page.content.decode()  # the help on the formatting allowed
    assert "Ahornstadt" in page.content.decode() and "Ypsilonhausen" not in page.content.decode()

    response = client.post(
        url,
        _draft_data(
            draft,
            executive_summary="## Kurz\n\n- eins",
            participations=[world["participation_a"].pk],
            surveys=[survey.pk],
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.executive_summary == "## Kurz\n\n- eins"
    assert list(draft.participations.all()) == [world["participation_a"]]
    assert list(draft.surveys.all()) == [survey]
    assert draft.history.first().history_user == personas["coordinator"]


def test_selections_outside_the_scope_are_refused(personas, world, client_as):
    draft = _draft(world, personas["coordinator"])
    response = client_as("coordinator").post(
        reverse("report_draft", args=[LAB, draft.pk]),
        _draft_data(draft, participations=[world["participation_y"].pk]),
    )
    assert response.status_code == 200
    assert "participations" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.version == 1


BERLIN = ZoneInfo("Europe/Berlin")


def _event(world, title, starts_at, *cohorts) -> Event:
    kickoff = EventType.objects.get(lab=None, code="kickoff")
    event = Event.objects.create(
        lab=world["lab_x"],
        type=kickoff,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=50),
    )
    event.cohorts.add(*cohorts)
    return event


def _offered_events(client, draft) -> list[str]:
    form = client.get(reverse("report_draft", args=[LAB, draft.pk])).context["form"]
    return [event.title for event in form.fields["events"].queryset]


def test_events_of_the_scope_and_period_are_offered(personas, world, client_as):
    """Kohorte 1 runs through 2025 (Berlin days); the lab's second cohort through 2026."""
    cohort_x = world["cohort_x"]
    later = CohortFactory(
        lab=world["lab_x"], start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    _event(world, "Vor dem Start", dt.datetime(2024, 12, 31, 23, 10, tzinfo=BERLIN), cohort_x)
    _event(world, "Auftakt", dt.datetime(2025, 1, 1, 0, 10, tzinfo=BERLIN), cohort_x)
    _event(world, "Silvester", dt.datetime(2025, 12, 31, 23, 0, tzinfo=BERLIN), cohort_x)
    _event(world, "Nach dem Ende", dt.datetime(2026, 1, 1, 0, 30, tzinfo=BERLIN), cohort_x)
    _event(world, "Andere Kohorte", dt.datetime(2025, 6, 1, 10, tzinfo=BERLIN), later)
    _event(world, "Ohne Kohorte", dt.datetime(2025, 6, 2, 10, tzinfo=BERLIN))
    _event(world, "Im Jahr 2027", dt.datetime(2027, 3, 1, 10, tzinfo=BERLIN), cohort_x, later)
    client = client_as("coordinator")

    cohort_report = _draft(world, personas["coordinator"])
    assert _offered_events(client, cohort_report) == ["Auftakt", "Silvester"]

    # the whole lab: from its first cohort's start to its last one's end, every cohort
    lab_report = _draft(world, personas["coordinator"], cohort=None, kind=ReportKind.WHITEPAPER)
    assert _offered_events(client, lab_report) == [
        "Auftakt", "Andere Kohorte", "Ohne Kohorte", "Silvester", "Nach dem Ende",
    ]  # fmt: skip

    # a cohort without an end: nothing is too late
    cohort_x.end_date = None
    cohort_x.save()
    assert _offered_events(client, cohort_report)[-2:] == ["Nach dem Ende", "Im Jahr 2027"]


def test_a_chosen_event_stays_offered_after_the_period_changed(personas, world, client_as):
    draft = _draft(world, personas["coordinator"])
    event = _event(world, "Auftakt", dt.datetime(2025, 3, 13, 10, tzinfo=BERLIN), world["cohort_x"])
    draft.events.set([event])
    world["cohort_x"].start_date = dt.date(2025, 6, 1)
    world["cohort_x"].save()
    client = client_as("coordinator")
    assert _offered_events(client, draft) == ["Auftakt"]
    response = client.post(
        reverse("report_draft", args=[LAB, draft.pk]), _draft_data(draft, events=[event.pk])
    )
    assert response.status_code == 302
    assert list(draft.events.all()) == [event]


def test_a_stale_form_is_refused_and_keeps_the_typed_text(personas, world, client_as):
    draft = _draft(world, personas["coordinator"])
    url = reverse("report_draft", args=[LAB, draft.pk])
    first = client_as("coordinator").post(url, _draft_data(draft, method="Interviews"))
    assert first.status_code == 302

    # the admin opened the page at version 1 too and saves later
    response = client_as("admin").post(url, _draft_data(draft, method="Workshops und Umfragen"))
    assert response.status_code == 409
    content = response.content.decode()
    assert "someone else changed this" in content
    assert "Workshops und Umfragen" in content  # the typed text is still in the form
    assert response.context["form"].data["version"] == "2"  # a second save overwrites
    draft.refresh_from_db()
    assert (draft.method, draft.version) == ("Interviews", 2)

    again = client_as("admin").post(url, _draft_data(draft, method="Workshops und Umfragen"))
    assert again.status_code == 302
    draft.refresh_from_db()
    assert (draft.method, draft.version) == ("Workshops und Umfragen", 3)


def test_history_shows_who_changed_which_fields(personas, world, client_as):
    client = client_as("coordinator")
    client.post(
        reverse("report_create", args=[LAB]), {"kind": "final", "cohort": world["cohort_x"].pk}
    )
    draft = ReportDraft.objects.get()
    client.post(
        reverse("report_draft", args=[LAB, draft.pk]),
        _draft_data(draft, conclusion="Fazit", subtitle="2025"),
    )
    response = client.get(reverse("report_history", args=[LAB, draft.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert len(entries) == 2
    assert entries[0].user == personas["coordinator"]
    assert sorted(entries[0].fields) == ["conclusion", "subtitle"]
    assert entries[1].change_type == "+"
    content = response.content.decode()
    assert "Clara Koordination" in content and "conclusion" in content


# --- the list ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    """Queries of the page rendered from the data (the page cache off, as after every change)."""
    with override_settings(FRAGMENT_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_for_coordinators_has_drafts_and_versions_in_constant_queries(
    personas, world, client_as
):
    coordinator = personas["coordinator"]
    make_report_run(world, coordinator, key="one")
    client = client_as("coordinator")
    url = reverse("report_list", args=[LAB])
    client.get(url)  # warm-up: the first request of a session also records its activity
    few = _queries(client, url)
    for n in range(3):
        draft = _draft(world, coordinator, title=f"Bericht {n}")
        ReportRun.objects.create(draft=draft, key=f"k{n}".ljust(64, "0"), requested_by=coordinator)
    make_report_run(world, coordinator, key="two", published=True)
    assert _queries(client, url) == few
    content = client.get(url).content.decode()
    assert "Abschlussbericht" in content and "Bericht 2" in content


def test_funders_see_only_published_versions(personas, world, client_as):
    coordinator = personas["coordinator"]
    _draft_, unpublished = make_report_run(world, coordinator, key="draft-only")
    _draft(world, coordinator, title="Entwurf ohne Version")
    client = client_as("funder")
    url = reverse("report_list", args=[LAB])
    response = client.get(url)
    assert response.context["published"] == []
    assert "Entwurf ohne Version" not in response.content.decode()
    assert "No report of this lab has been published yet." in response.content.decode()

    _d, published = make_report_run(world, coordinator, key="public", published=True)
    few = _queries(client, url)
    make_report_run(world, coordinator, key="public-2", published=True)
    assert _queries(client, url) == few
    response = client.get(url)
    assert [run.pk for run in response.context["published"]][-1] == published.pk
    assert unpublished.pk not in [run.pk for run in response.context["published"]]
    assert reverse("report_download", args=[LAB, published.pk]) in response.content.decode()


def test_other_labs_drafts_and_runs_are_not_found(personas, world, client_as):
    draft, run = make_report_run(world, personas["coordinator"])
    client = client_as("coordinator_y")
    assert client.get(reverse("report_draft", args=["innolab-y", draft.pk])).status_code == 404
    assert client.get(reverse("report_run", args=["innolab-y", run.pk])).status_code == 404
    assert client.get(reverse("report_download", args=["innolab-y", run.pk])).status_code == 404


# --- downloading and publishing ---------------------------------------------------------------


def test_download_is_an_attachment_with_a_safe_name(personas, world, client_as):
    draft, run = make_report_run(world, personas["coordinator"])
    draft.title = 'Bericht "Ä/Ö" <2025>\r\nX'
    draft.save()
    response = client_as("coordinator").get(reverse("report_download", args=[LAB, run.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    name = disposition.split("filename=")[1].strip('"')
    assert name.startswith("bericht-ao-2025-x-") and name.endswith(f"-{run.pk}.pdf")
    assert all(c.isalnum() or c in "-." for c in name)


def test_funders_download_published_versions(personas, world, client_as):
    _draft_, run = make_report_run(world, personas["coordinator"], published=True)
    client = client_as("funder")
    assert client.get(reverse("report_run", args=[LAB, run.pk])).status_code == 200
    response = client.get(reverse("report_download", args=[LAB, run.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_a_version_without_pdf_is_not_downloadable(personas, world, client_as):
    draft = _draft(world, personas["coordinator"])
    run = ReportRun.objects.create(draft=draft, key="q" * 64, status=RunStatus.RUNNING)
    response = client_as("coordinator").get(reverse("report_download", args=[LAB, run.pk]))
    assert response.status_code == 404


def test_publish_only_done_versions(personas, world, client_as):
    coordinator = personas["coordinator"]
    draft, done = make_report_run(world, coordinator)
    queued = ReportRun.objects.create(draft=draft, key="q" * 64, requested_by=coordinator)
    client = client_as("coordinator")

    response = client.post(reverse("report_run_publish", args=[LAB, queued.pk]), follow=True)
    assert "Only a finished version can be published." in response.content.decode()
    queued.refresh_from_db()
    assert queued.published_at is None

    response = client.post(reverse("report_run_publish", args=[LAB, done.pk]))
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.published_at is not None and done.published_by == coordinator
    funder_list = client_as("funder").get(reverse("report_list", args=[LAB]))
    assert [run.pk for run in funder_list.context["published"]] == [done.pk]


# --- the run page -----------------------------------------------------------------------------


def test_run_page_polls_only_while_queued_or_running(personas, world, client_as):
    coordinator = personas["coordinator"]
    draft, done = make_report_run(world, coordinator)
    running = ReportRun.objects.create(
        draft=draft, key="r" * 64, status=RunStatus.RUNNING, progress=40, requested_by=coordinator
    )
    client = client_as("coordinator")
    page = client.get(reverse("report_run", args=[LAB, running.pk]))
    content = page.content.decode()
    assert 'hx-trigger="every 2s"' in content
    assert '<progress id="run-progress" max="100" value="40">' in content
    assert '<label for="run-progress">' in content

    partial = client.get(
        reverse("report_run", args=[LAB, running.pk]), headers={"HX-Request": "true"}
    )
    assert partial.content.decode().lstrip().startswith('<section id="run-status"')
    assert "<h1" not in partial.content.decode()

    content = client.get(reverse("report_run", args=[LAB, done.pk])).content.decode()
    assert "every 2s" not in content
    assert done.checksum in content and "Clara Koordination" in content
    assert reverse("report_download", args=[LAB, done.pk]) in content


def test_failed_run_shows_the_reason(personas, world, client_as):
    draft = _draft(world, personas["coordinator"])
    run = ReportRun.objects.create(
        draft=draft, key="f" * 64, status=RunStatus.FAILED, error="Die Umfrage X fehlt."
    )
    content = client_as("coordinator").get(reverse("report_run", args=[LAB, run.pk])).content
    assert "Die Umfrage X fehlt." in content.decode()
    assert "every 2s" not in content.decode()


# --- preview and generate ---------------------------------------------------------------------


def test_preview_renders_the_report_without_what_the_narrative_must_not_bring(
    personas, world, client_as
):
    draft = _draft(
        world,
        personas["coordinator"],
        executive_summary='Ein **wichtiger** Satz.\n\n<img src="file:///etc/passwd"><script>x()</script>',
    )
    response = client_as("coordinator").get(reverse("report_preview", args=[LAB, draft.pk]))
    assert response.status_code == 200
    html = response.context["report_html"]
    assert "<strong>wichtiger</strong>" in html
    assert "file:///etc/passwd" not in html and "<script>x()" not in html
    content = response.content.decode()
    assert "<iframe" in content and " sandbox " in content
    assert "&lt;strong&gt;wichtiger&lt;/strong&gt;" in content  # escaped into srcdoc


def test_generate_returns_at_once_and_twice_gives_one_run(
    personas, world, client_as, django_capture_on_commit_callbacks
):
    draft = _draft(world, personas["coordinator"])
    client = client_as("coordinator")
    url = reverse("report_generate", args=[LAB, draft.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued_jobs:
        response = client.post(url, follow=True)
    run = ReportRun.objects.get()
    assert response.redirect_chain == [(reverse("report_run", args=[LAB, run.pk]), 302)]
    assert run.status == RunStatus.QUEUED  # the job waits for the commit and a worker
    assert len(queued_jobs) == 1
    assert "The PDF is queued." in response.content.decode()

    with django_capture_on_commit_callbacks(execute=False) as second_jobs:
        response = client.post(url, follow=True)
    assert ReportRun.objects.count() == 1
    assert second_jobs == []
    assert "This PDF is already being generated." in response.content.decode()


def test_generate_runs_the_job_and_then_finds_the_done_version(
    personas, world, client_as, django_capture_on_commit_callbacks
):
    draft = _draft(world, personas["coordinator"], executive_summary="Kurzfassung")
    client = client_as("coordinator")
    url = reverse("report_generate", args=[LAB, draft.pk])
    # CELERY_TASK_ALWAYS_EAGER: running the on-commit callback renders the PDF in-process
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    run = ReportRun.objects.get()
    assert run.status == RunStatus.DONE, run.error
    assert run.pages and run.size and len(run.checksum) == 64

    response = client.post(url, follow=True)
    assert ReportRun.objects.count() == 1
    assert "This PDF was already generated from the same draft and data." in (
        response.content.decode()
    )
    download = client.get(reverse("report_download", args=[LAB, run.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")

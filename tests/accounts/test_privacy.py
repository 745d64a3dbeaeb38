"""A person's own data: the JSON download (me/data.json), the privacy page (me/privacy/) and
deleting one's own account (me/delete/)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.privacy import known_user_fields, user_foreign_keys
from evaluations import services as survey_services
from evaluations.models import SurveyCompletion
from events.models import Event, EventRegistration, EventType, RegistrationStatus
from labs import services as lab_services
from labs.models import Invitation, LabMembership, LabRole
from missions import services as mission_services
from missions.models import MissionProfile, ProgressUpdate
from reports.models import ReportRun
from tandems.models import TandemMember

from ..evaluations.builders import make_survey
from ..helpers import assert_login_required, text
from ..reports.builders import make_report_run
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

PASSWORD = "ein-sicheres-Passwort-2025"
User = get_user_model()


@pytest.fixture
def anna(personas, participation_a, coordinator, cohort_x, lab_x):
    """Tandem member Anna with something of everything: a mission profile she wrote, a progress
    update, an event registration, a survey answered in the platform, an accepted invitation."""
    anna = personas["tandem_a"]
    anna.set_password(PASSWORD)
    anna.save()
    profile, _ = MissionProfile.objects.get_or_create(participation=participation_a)
    profile = mission_services.profile_update(
        profile=profile, user=anna, expected_version=None, vision="Eine Verwaltung für alle"
    )
    goal = mission_services.goal_create(
        profile=profile, user=anna, statement="Mehr Vielfalt im Personal", indicator="Quote"
    )
    mission_services.progress_add(
        goal=goal,
        user=anna,
        value=Decimal("12.5"),
        on=timezone.localdate(),
        note="Erste Zahlen aus dem Personalamt",
    )
    start = timezone.now() + dt.timedelta(days=7)
    event = Event.objects.create(
        lab=lab_x,
        type=EventType.objects.get(lab=None, code="kickoff"),
        title="Auftaktworkshop",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        created_by=coordinator,
    )
    EventRegistration.objects.create(
        event=event, user=anna, participation=participation_a, status=RegistrationStatus.REGISTERED
    )
    survey = make_survey(cohort_x)
    survey_services.response_submit(
        survey=survey,
        values={"q_agree": 1, "q_comment": "Geheime Meinung"},
        user=anna,
        municipality=participation_a.municipality,
    )
    invitation = Invitation.objects.create(
        lab=lab_x,
        participation=participation_a,
        email=anna.email,
        name=anna.name,
        role="tandem_member",
        token_hash="f" * 64,
        token_salt="s" * 32,
        invited_by=coordinator,
        expires_at=timezone.now() + dt.timedelta(days=14),
        accepted_at=timezone.now(),
        accepted_by=anna,
    )
    anna.fixture = {"profile": profile, "goal": goal, "survey": survey, "invitation": invitation}
    return anna


# --- download ----------------------------------------------------------------------------------


def test_download_is_a_json_attachment_that_is_not_cached(anna, client_as):
    response = client_as(anna).get(reverse("my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="innolab-my-data-')
    assert "no-store" in response["Cache-Control"]


def test_download_holds_everything_about_the_person(anna, client_as):
    response = client_as(anna).get(reverse("my_data_export"))
    data = json.loads(response.content)
    assert data["account"]["email"] == "anna.ahorn@example.org"
    assert data["account"]["name"] == "Anna Ahorn"
    assert data["account"]["date_joined"]
    assert [m["tandem__participation__municipality__name"] for m in data["tandem_memberships"]] == [
        "Ahornstadt"
    ]
    [invitation] = data["invitations_received"]
    assert invitation["role"] == "tandem_member" and invitation["accepted_at"]
    contributions = data["mission_contributions"]
    assert [p["note"] for p in contributions["progress_updates"]] == [
        "Erste Zahlen aus dem Personalamt"
    ]
    assert [g["statement"] for g in contributions["goals_last_changed"]] == [
        "Mehr Vielfalt im Personal"
    ]
    kinds = {(e["object"], e["change"]) for e in contributions["history_entries"]}
    assert {("mission_profile", "changed"), ("goal", "created")} <= kinds
    assert [r["event__title"] for r in data["event_registrations"]] == ["Auftaktworkshop"]
    surveys = data["surveys"]
    assert [c["survey__title_en"] for c in surveys["completed_in_the_platform"]] == [
        "Baseline survey"
    ]
    assert "anonymous" in surveys["note"]
    # the export of the data is itself in the audit log, and the log is in the next export
    assert AuditEvent.objects.filter(kind="data_exported", actor=anna).count() == 1
    again = json.loads(client_as(anna).get(reverse("my_data_export")).content)
    assert "data_exported" in {e["kind"] for e in again["audit_events"]}


def test_download_holds_no_secret_and_no_answer(anna, client_as):
    body = client_as(anna).get(reverse("my_data_export")).content.decode()
    assert anna.password not in body  # the password hash
    assert "f" * 64 not in body and "s" * 32 not in body  # the invitation token's hash and salt
    assert "token" not in body and "password" not in body
    # the survey answer is anonymous: not linked to the person, so not in their data
    assert "Geheime Meinung" not in body


def test_report_runs_the_person_requested_are_in_their_download(personas, world, client_as):
    make_report_run(world, personas["coordinator"])
    data = json.loads(client_as("coordinator").get(reverse("my_data_export")).content)
    assert [r["draft__title"] for r in data["reports"]["report_runs_requested"]] == [
        "Abschlussbericht"
    ]
    assert [d["title"] for d in data["reports"]["report_drafts_created"]] == ["Abschlussbericht"]
    assert [m["role"] for m in data["lab_memberships"]] == ["coordinator"]


def test_every_foreign_key_to_the_user_model_has_a_section_in_the_download():
    """A new model pointing to a person must get a section in its app's privacy module,
    registered with accounts.privacy.register_section (and a decision about what happens to it
    when the account is deleted)."""
    known = known_user_fields()
    unknown = {
        (model._meta.label, field.name)
        for model, field in user_foreign_keys()
        if (model._meta.label, field.name) not in known
    }
    assert not unknown, f"no privacy section covers: {sorted(unknown)}"
    # and no section claims a field that does not exist (a renamed field would hide a gap)
    existing = {(model._meta.label, field.name) for model, field in user_foreign_keys()}
    assert set(known) <= existing, sorted(set(known) - existing)


# rows that are only about the person go with the account; everything else keeps its content
CASCADE_ALLOWED = {
    ("account.EmailAddress", "user"),
    ("mfa.Authenticator", "user"),
    ("admin.LogEntry", "user"),
    ("guardian.UserObjectPermission", "user"),
    ("labs.LabUserObjectPermission", "user"),
    ("labs.ParticipationUserObjectPermission", "user"),
    ("labs.LabMembership", "user"),
    ("events.EventRegistration", "user"),
    ("events.CalendarFeed", "user"),
    ("tandems.TandemMember", "user"),
    ("evaluations.SurveyCompletion", "user"),
    ("evaluations.ResponseDraft", "user"),
    ("usersessions.UserSession", "user"),
    ("notifications.Notification", "recipient"),
    ("notifications.NotificationPreference", "user"),
}


def test_authored_content_survives_the_deletion_of_its_author():
    wrong = []
    for model, field in user_foreign_keys():
        label = (model._meta.label, field.name)
        on_delete = field.remote_field.on_delete
        if label in CASCADE_ALLOWED:
            continue
        # simple-history's copies hold plain ids (DO_NOTHING, no constraint); the deletion
        # service clears them
        if on_delete is models.SET_NULL or (
            on_delete is models.DO_NOTHING and not field.db_constraint and field.null
        ):
            continue
        wrong.append((*label, on_delete.__name__))
    assert not wrong, f"authored content would be deleted with its author: {wrong}"


# --- the privacy page --------------------------------------------------------------------------


def test_privacy_page_explains_and_offers_download_and_deletion(anna, client_as):
    response = client_as(anna).get(reverse("my_privacy"))
    assert response.status_code == 200
    page = text(response)
    assert "What is stored about you" in page
    assert reverse("my_data_export") in page
    assert f'action="{reverse("my_account_delete")}"' in page
    assert 'autocomplete="current-password"' in page
    assert "no-store" in response["Cache-Control"]


def test_the_account_menu_links_the_privacy_page(anna, client_as):
    page = text(client_as(anna).get(reverse("home")))
    assert f'href="{reverse("my_privacy")}"' in page


# --- deleting one's account --------------------------------------------------------------------


def test_deleting_needs_post(anna, client_as):
    assert client_as(anna).get(reverse("my_account_delete")).status_code == 405
    assert User.objects.filter(pk=anna.pk).exists()


@pytest.mark.parametrize("password", ["", "falsches-Passwort-123"])
def test_a_wrong_password_deletes_nothing(anna, client_as, password):
    response = client_as(anna).post(reverse("my_account_delete"), {"password": password})
    assert response.status_code == 200
    page = text(response)
    assert "This field is required." in page or "The password is not correct." in page
    assert User.objects.filter(pk=anna.pk).exists()
    assert TandemMember.objects.filter(user=anna).exists()


def test_deleting_the_account_keeps_what_the_person_wrote(anna, client_as, coordinator):
    anna_id = anna.pk
    other_session = client_as(anna)
    profile, goal = anna.fixture["profile"], anna.fixture["goal"]
    client = client_as(anna)
    response = client.post(reverse("my_account_delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Your account has been deleted." in text(response)
    assert not User.objects.filter(pk=anna_id).exists()
    # logged out here and in every other session
    assert_login_required(client.get(reverse("my_privacy")))
    assert_login_required(other_session.get(reverse("my_privacy")))
    # what was only about her is gone
    assert not TandemMember.objects.filter(user_id=anna_id).exists()
    assert not LabMembership.objects.filter(user_id=anna_id).exists()
    assert not EventRegistration.objects.filter(user_id=anna_id).exists()
    assert not SurveyCompletion.objects.filter(user_id=anna_id).exists()
    assert not Invitation.objects.filter(pk=anna.fixture["invitation"].pk).exists()
    # ... the anonymous answer stays (it was never hers in the database)
    assert anna.fixture["survey"].responses.count() == 1
    # what she wrote for the tandem stays, without an author
    profile.refresh_from_db()
    assert profile.vision == "Eine Verwaltung für alle" and profile.updated_by is None
    update = ProgressUpdate.objects.get(goal=goal)
    assert update.note == "Erste Zahlen aus dem Personalamt" and update.author is None
    history = MissionProfile.history.model.objects.filter(id=profile.pk)
    assert history.exists()
    assert not history.filter(history_user_id=anna_id).exists()
    assert not history.filter(updated_by_id=anna_id).exists()

    coordinator_client = client_as(coordinator)
    lab, cohort = "innolab-x", "kohorte-1"
    participation = profile.participation_id
    history_page = text(
        coordinator_client.get(reverse("mission_history", args=[lab, cohort, participation]))
    )
    assert "former member" in history_page and "Anna Ahorn" not in history_page
    progress_page = text(
        coordinator_client.get(
            reverse("mission_goal_progress", args=[lab, cohort, participation, goal.pk])
        )
    )
    assert "Erste Zahlen aus dem Personalamt" in progress_page
    assert "former member" in progress_page


def test_the_deletion_is_in_the_audit_log_without_the_address(anna, client_as):
    anna_id = anna.pk
    client_as(anna).post(reverse("my_account_delete"), {"password": PASSWORD})
    event = AuditEvent.objects.get(kind="account_deleted")
    assert event.target == f"account #{anna_id} deleted"
    assert event.actor is None
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert "anna.ahorn@example.org" not in json.dumps(row, default=str)


def test_the_only_coordinator_of_a_lab_cannot_delete_the_account(personas, client_as):
    coordinator = personas["coordinator"]
    coordinator.set_password(PASSWORD)
    coordinator.save()
    response = client_as(coordinator).post(reverse("my_account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "You are the only coordinator of “InnoLab X”" in text(response)
    assert User.objects.filter(pk=coordinator.pk).exists()
    assert LabMembership.objects.filter(user=coordinator, role=LabRole.COORDINATOR).exists()
    # the privacy page says so before anyone tries
    assert "You are the only coordinator" in text(client_as(coordinator).get(reverse("my_privacy")))


def test_a_coordinator_with_a_colleague_can_delete_and_their_reports_stay(
    personas, world, client_as
):
    coordinator = personas["coordinator"]
    coordinator.set_password(PASSWORD)
    coordinator.save()
    colleague = User.objects.create_user(email="kolleg@example.org", password=PASSWORD)
    lab_services.lab_membership_grant(lab=world["lab_x"], user=colleague, role=LabRole.COORDINATOR)
    draft, run = make_report_run(world, coordinator)

    response = client_as(coordinator).post(reverse("my_account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    run = ReportRun.objects.get(pk=run.pk)
    assert run.requested_by is None and run.draft.created_by is None
    page = text(client_as(colleague).get(reverse("report_draft", args=["innolab-x", draft.pk])))
    assert "former member" in page


def test_the_only_administrator_cannot_delete_the_account(personas, client_as):
    admin = personas["admin"]
    admin.set_password(PASSWORD)
    admin.save()
    response = client_as(admin).post(reverse("my_account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "only administrator" in text(response)
    assert User.objects.filter(pk=admin.pk).exists()

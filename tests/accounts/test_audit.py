"""The audit log: every kind of event recorded once through the URLs a person uses, no secret in
any stored row, and the administrators' page (filters, UTC, pagination, CSV, permissions)."""

import csv
import datetime as dt
import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, AuditKind
from labs.models import Invitation, InvitationRole

from ..conftest import make_client
from ..evaluations.builders import add_responses, make_survey
from ..evaluations.test_import import FIXTURES
from ..factories import UserFactory
from ..helpers import assert_constant_queries, text
from ..reports.builders import make_report_run
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

PASSWORD = "ein-sehr-langes-passwort-fuer-das-audit"
WRONG_PASSWORD = "falsches-passwort-mit-geheimnis-7"
NEW_PASSWORD = "ein-ganz-neues-langes-passwort-99"


def _person(email="person@example.org"):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, name="Pat Person")
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _only(kind: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(kind=kind))
    assert len(events) == 1, f"{kind}: {events}"
    return events[0]


def _invitation_token(message) -> str:
    match = re.search(r"http://testserver/invitations/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def _totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


# --- authentication ---------------------------------------------------------------------------


def test_login_failed_login_and_logout_are_recorded(client):
    user = _person()
    assert _login(client, "Person@Example.org", WRONG_PASSWORD).status_code == 200
    failed = _only(AuditKind.LOGIN_FAILED)
    assert failed.target == "person@example.org"  # the attempted address, lower-cased
    assert failed.actor is None and failed.actor_label == ""
    assert failed.ip_address == "127.0.0.1"

    assert _login(client, "person@example.org").status_code == 302
    login = _only(AuditKind.LOGIN)
    assert login.actor == user and login.actor_label == "person@example.org"
    assert login.ip_address == "127.0.0.1"
    assert login.created_at.utcoffset() == dt.timedelta(0)  # stored and read as UTC

    client.post("/accounts/logout/")
    assert _only(AuditKind.LOGOUT).actor == user


def test_failed_login_for_an_unknown_address_names_the_address_only(client):
    _login(client, "niemand@example.org", WRONG_PASSWORD)
    event = _only(AuditKind.LOGIN_FAILED)
    assert event.target == "niemand@example.org"
    assert WRONG_PASSWORD not in str(event.details)


# --- invitations and roles --------------------------------------------------------------------


def test_invitation_create_accept_revoke_and_role_grant(
    personas, world, client_as, django_capture_on_commit_callbacks
):
    lab = world["lab_x"]
    coordinator = personas["coordinator"]
    AuditEvent.objects.all().delete()  # the fixtures granted roles through the services
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(
            reverse("invitation_create", args=[lab.slug]),
            {"email": "Neu@Example.org", "name": "Nora Neu", "role": InvitationRole.FUNDER},
        )
    assert response.status_code == 302
    created = _only(AuditKind.INVITATION_CREATED)
    assert (created.actor, created.lab, created.target) == (coordinator, lab, "neu@example.org")
    assert created.details == {"role": "funder"}
    invitation = Invitation.objects.get(email="neu@example.org")
    assert (created.object_type, created.object_id) == ("labs.invitation", str(invitation.pk))

    token = _invitation_token(mail.outbox[0])
    newcomer = make_client()
    response = newcomer.post(
        reverse("invitation_accept", args=[token]),
        {"name": "Nora Neu", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    accepted = _only(AuditKind.INVITATION_ACCEPTED)
    assert accepted.actor.email == "neu@example.org" and accepted.lab == lab
    granted = _only(AuditKind.ROLE_GRANTED)
    assert (granted.target, granted.lab, granted.details) == (
        "neu@example.org",
        lab,
        {"role": "funder"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        client_as("coordinator").post(
            reverse("invitation_create", args=[lab.slug]),
            {"email": "spaeter@example.org", "role": InvitationRole.EXPERT},
        )
    second = Invitation.objects.get(email="spaeter@example.org")
    response = client_as("coordinator").post(
        reverse("invitation_revoke", args=[lab.slug, second.pk])
    )
    assert response.status_code == 302
    revoked = _only(AuditKind.INVITATION_REVOKED)
    assert (revoked.actor, revoked.target, revoked.lab) == (coordinator, "spaeter@example.org", lab)


def test_role_revoke_is_recorded(personas, world):
    from labs import services
    from labs.models import LabMembership

    membership = LabMembership.objects.get(user=personas["funder"], lab=world["lab_x"])
    services.lab_membership_revoke(membership=membership)
    event = _only(AuditKind.ROLE_REVOKED)
    assert (event.target, event.lab, event.details) == (
        "fiona.foerder@example.org",
        world["lab_x"],
        {"role": "funder"},
    )


# --- raw answers and reports ------------------------------------------------------------------


def _survey_url(name, survey, query=""):
    args = [survey.cohort.lab.slug, survey.cohort.slug, survey.slug]
    return reverse(name, args=args) + query


def test_raw_answer_export_and_import_are_recorded(
    personas, world, client_as, django_capture_on_commit_callbacks
):
    survey = make_survey(world["cohort_x"])
    add_responses(survey, [{"q_agree": 1}, {"q_agree": 2}], municipality=world["municipality_a"])
    client = client_as("coordinator")
    for fmt in ("csv", "xlsx"):
        response = client.get(_survey_url("survey_export_raw", survey, f"?format={fmt}"))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    events = AuditEvent.objects.filter(kind=AuditKind.RAW_ANSWERS_EXPORTED).order_by("id")
    assert [e.details["format"] for e in events] == ["csv", "xlsx"]
    assert all(e.actor == personas["coordinator"] and e.lab == world["lab_x"] for e in events)
    # aggregated results are no raw answers
    client.get(_survey_url("survey_export_results", survey))
    assert AuditEvent.objects.filter(kind=AuditKind.RAW_ANSWERS_EXPORTED).count() == 2

    target = make_survey(world["cohort_x"], slug="ziel")
    content = (FIXTURES / "answers_good.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs (eagerly)
        response = client.post(
            _survey_url("survey_import_responses", target),
            {"file": SimpleUploadedFile("a.csv", content, content_type="text/csv")},
        )
    assert response.status_code == 302
    imported = _only(AuditKind.RAW_ANSWERS_IMPORTED)
    assert imported.details == {"responses": 3}
    assert imported.object_id == str(target.pk)


def test_a_funder_cannot_export_and_nothing_is_recorded(personas, world, client_as):
    survey = make_survey(world["cohort_x"])
    response = client_as("funder").get(_survey_url("survey_export_raw", survey))
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(kind=AuditKind.RAW_ANSWERS_EXPORTED).exists()


def test_report_publication_is_recorded_once(personas, world, client_as):
    draft, run = make_report_run(world, personas["coordinator"])
    url = reverse("report_run_publish", args=[world["lab_x"].slug, run.pk])
    client_as("coordinator").post(url)
    client_as("coordinator").post(url)  # publishing twice changes nothing
    event = _only(AuditKind.REPORT_PUBLISHED)
    assert (event.actor, event.lab, event.target) == (
        personas["coordinator"],
        world["lab_x"],
        "Abschlussbericht",
    )
    assert event.object_type == "reports.reportrun"


# --- account flags ----------------------------------------------------------------------------


def _admin_change(client, user, **changes):
    data = {
        "email": user.email,
        "name": user.name,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **changes,
    }
    data = {k: v for k, v in data.items() if v != ""}
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_deactivation_and_admin_rights_are_recorded_with_the_admin_as_actor(personas, client_as):
    outsider, admin = personas["outsider"], personas["admin"]
    client = client_as("admin")
    response = _admin_change(client, outsider, is_active="")
    assert response.status_code == 302, response.content.decode()[:2000]
    outsider.refresh_from_db()
    assert not outsider.is_active
    event = _only(AuditKind.ACCOUNT_DEACTIVATED)
    assert (event.actor, event.target) == (admin, "otto.aussen@example.org")
    assert event.ip_address == "127.0.0.1"

    _admin_change(client, outsider, is_active="on", is_staff="on")
    assert _only(AuditKind.ACCOUNT_ACTIVATED).actor == admin
    assert _only(AuditKind.STAFF_CHANGED).details == {"is_staff": True}


def test_saving_a_user_without_flag_changes_records_nothing(personas):
    outsider = personas["outsider"]
    outsider.name = "Otto Anders"
    outsider.save()
    assert not AuditEvent.objects.filter(object_id=str(outsider.pk)).exists()


# --- no secrets -------------------------------------------------------------------------------


def _all_stored_text() -> str:
    rows = AuditEvent.objects.values_list(
        "kind", "actor_label", "target", "object_type", "object_id", "ip_address", "details"
    )
    return "\n".join(repr(row) for row in rows)


def test_no_secret_is_ever_stored(personas, world, client_as, django_capture_on_commit_callbacks):
    """Trigger every kind the application records, then scan all stored rows for the secrets."""
    secrets: list[str] = [PASSWORD, WRONG_PASSWORD, NEW_PASSWORD]
    lab = world["lab_x"]
    person = _person()
    client = make_client()
    _login(client, "person@example.org", WRONG_PASSWORD)
    _login(client, "person@example.org")
    secrets.append(client.session.session_key)

    # TOTP on and off: the secret and the recovery codes must not appear
    response = client.get("/accounts/2fa/totp/activate/")
    client.post(response["Location"], {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    totp_secret = client.session[SECRET_SESSION_KEY]
    secrets.append(totp_secret)
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        response = client.post("/accounts/2fa/totp/activate/", {"code": _totp_now(totp_secret)})
    assert response.status_code == 302
    recovery = Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES)
    secrets += recovery.wrap().get_unused_codes()
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")

    with django_capture_on_commit_callbacks(execute=True):
        client_as("coordinator").post(
            reverse("invitation_create", args=[lab.slug]),
            {"email": "neu@example.org", "role": InvitationRole.EXPERT},
        )
    token = _invitation_token(mail.outbox[-1])
    secrets.append(token)
    secrets.append(Invitation.objects.get(email="neu@example.org").token_hash)
    newcomer = make_client()
    newcomer.post(
        reverse("invitation_accept", args=[token]),
        {"name": "N", "password1": PASSWORD, "password2": PASSWORD},
    )
    secrets.append(newcomer.session.session_key)
    with django_capture_on_commit_callbacks(execute=True):
        client_as("coordinator").post(
            reverse("invitation_create", args=[lab.slug]),
            {"email": "zweite@example.org", "role": InvitationRole.EXPERT},
        )
    secrets.append(_invitation_token(mail.outbox[-1]))
    second = Invitation.objects.get(email="zweite@example.org")
    client_as("coordinator").post(reverse("invitation_revoke", args=[lab.slug, second.pk]))

    survey = make_survey(world["cohort_x"])
    b"".join(
        client_as("coordinator").get(_survey_url("survey_export_raw", survey)).streaming_content
    )
    _draft, run = make_report_run(world, personas["coordinator"])
    client_as("coordinator").post(reverse("report_run_publish", args=[lab.slug, run.pk]))
    _admin_change(client_as("admin"), personas["outsider"], is_active="")

    # a careless caller: secret-looking detail keys are dropped
    audit.record(AuditKind.LOGIN, actor=person, password=PASSWORD, token=token, note="ok")

    recorded = set(AuditEvent.objects.values_list("kind", flat=True))
    expected = {
        AuditKind.LOGIN,
        AuditKind.LOGIN_FAILED,
        AuditKind.LOGOUT,
        AuditKind.MFA_CHANGED,
        AuditKind.PASSWORD_CHANGED,
        AuditKind.INVITATION_CREATED,
        AuditKind.INVITATION_ACCEPTED,
        AuditKind.INVITATION_REVOKED,
        AuditKind.ROLE_GRANTED,
        AuditKind.RAW_ANSWERS_EXPORTED,
        AuditKind.REPORT_PUBLISHED,
        AuditKind.ACCOUNT_DEACTIVATED,
    }
    assert expected <= recorded, expected - recorded
    stored = _all_stored_text()
    for secret in secrets:
        assert secret and secret not in stored, f"a secret was stored: {secret[:4]}…"
    assert "invitations/" not in stored  # no link either
    assert AuditEvent.objects.filter(details={"note": "ok"}).exists()


def test_unknown_kinds_are_refused():
    with pytest.raises(ValueError):
        audit.record("made_up")


# --- the administrators' page -----------------------------------------------------------------


def _event(kind=AuditKind.LOGIN, *, at=None, lab=None, target="x@example.org", **details):
    event = audit.record(kind, lab=lab, target=target, **details)
    if at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event


def test_page_shows_utc_times_newest_first(personas, client_as):
    client = client_as("admin")
    AuditEvent.objects.all().delete()
    # 23:30 UTC is already the next day in Berlin: the page must say UTC and show 23:30
    _event(at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), target="alt@example.org")
    _event(at=dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC), target="neu@example.org")
    response = client.get(reverse("audit_log"))
    body = text(response)
    assert "2026-03-01 23:30:00 UTC" in body
    assert body.index("neu@example.org") < body.index("alt@example.org")


def test_filters_by_kind_lab_and_utc_date_range(personas, world, client_as):
    client = client_as("admin")  # logging in is an event too: before the slate is cleaned
    AuditEvent.objects.all().delete()
    lab_x, lab_y = world["lab_x"], world["lab_y"]
    _event(AuditKind.LOGIN, at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), target="a@x.org")
    _event(
        AuditKind.ROLE_GRANTED,
        lab=lab_x,
        at=dt.datetime(2026, 3, 2, 0, 10, tzinfo=dt.UTC),
        target="b@x.org",
    )
    _event(
        AuditKind.ROLE_GRANTED,
        lab=lab_y,
        at=dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC),
        target="c@y.org",
    )

    def targets(**query):
        response = client.get(reverse("audit_log"), query)
        assert response.status_code == 200
        return [e.target for e in response.context["events"]]

    assert targets() == ["c@y.org", "b@x.org", "a@x.org"]
    assert targets(kind="role_granted") == ["c@y.org", "b@x.org"]
    assert targets(lab=lab_x.pk) == ["b@x.org"]
    assert targets(date_from="2026-03-02") == ["c@y.org", "b@x.org"]
    assert targets(date_to="2026-03-01") == ["a@x.org"]
    assert targets(date_from="2026-03-02", date_to="2026-03-02", kind="role_granted") == ["b@x.org"]
    # a bad filter: a message, no events, no 500
    response = client.get(
        reverse("audit_log"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "The end date must not lie before the start date." in text(response)
    assert list(response.context["events"]) == []
    response = client.get(reverse("audit_log"), {"kind": "nonsense", "lab": "abc"})
    assert response.status_code == 200 and response.context["form"].errors


def test_pagination_fifty_per_page_with_filters_kept(personas, world, client_as):
    AuditEvent.objects.all().delete()
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for n in range(60):
        _event(AuditKind.LOGIN_FAILED, at=base + dt.timedelta(minutes=n), target=f"p{n}@x.org")
    _event(AuditKind.LOGIN, target="other@x.org")
    client = client_as("admin")
    first = client.get(reverse("audit_log"), {"kind": "login_failed"})
    assert len(first.context["events"]) == 50
    assert first.context["events"][0].target == "p59@x.org"
    assert "kind=login_failed&amp;page=2" in first.content.decode()
    second = client.get(reverse("audit_log"), {"kind": "login_failed", "page": 2})
    assert [e.target for e in second.context["events"]][-1] == "p0@x.org"
    assert len(second.context["events"]) == 10
    # a page number out of range shows the last page, not an error
    assert client.get(reverse("audit_log"), {"page": "999"}).status_code == 200


def test_page_needs_constant_queries(personas, world, client_as):
    client = client_as("admin")

    def grow():
        for n in range(30):
            lab = world["lab_x"] if n % 2 else world["lab_y"]
            _event(AuditKind.ROLE_GRANTED, lab=lab, target=f"g{n}@x.org", role="expert")

    assert_constant_queries(client, reverse("audit_log"), grow)


def test_csv_export_has_the_filtered_rows_in_utc_and_neutralises_formulas(
    personas, world, client_as
):
    client = client_as("admin")
    AuditEvent.objects.all().delete()
    _event(
        AuditKind.LOGIN_FAILED,
        at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
        target='=HYPERLINK("http://evil")',
    )
    _event(AuditKind.ROLE_GRANTED, lab=world["lab_x"], target="b@x.org", role="funder")
    response = client.get(reverse("audit_log_export"), {"kind": "login_failed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "time_utc"
    assert len(rows) == 2
    assert rows[1][0] == "2026-03-01T23:30:00+00:00"
    assert rows[1][1] == "login_failed"
    assert rows[1][3].startswith("'=")  # never runs as a formula in a spreadsheet
    # exporting is no event of its own
    assert AuditEvent.objects.count() == 2


def test_staff_may_read_the_log(world, client):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    assert make_client(staff).get(reverse("audit_log")).status_code == 200
    assert make_client(staff).get(reverse("audit_log_export")).status_code == 200


def test_django_admin_shows_the_log_read_only(personas, client_as):
    event = _event(AuditKind.LOGIN, target="x@example.org")
    client = client_as("admin")
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    response = client.post(
        reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_times_are_timezone_aware_utc(personas):
    event = _event()
    assert timezone.is_aware(event.created_at)
    stored = AuditEvent.objects.get(pk=event.pk).created_at
    assert stored.utcoffset() == dt.timedelta(0)

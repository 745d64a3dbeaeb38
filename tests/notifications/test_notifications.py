"""Notifications: the service (dedupe, unknown kinds), the e-mails (once, in the recipient's
language, right away or as the daily digest), the pages (own notifications only, mark read by POST,
settings) and the header's unread count."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.privacy import account_delete, personal_data_export
from notifications import kinds, tasks
from notifications import mail as notification_mail
from notifications.models import Delivery, Notification, NotificationPreference
from notifications.services import notify

from ..conftest import make_client
from ..factories import UserFactory
from ..helpers import assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

# a kind of the missions app, with German and English texts in the catalogues
KIND = "profile-submitted"
PARAMS = {"municipality": "Ahornstadt", "cohort": "Kohorte 1"}
EN_TEXT = "The mission profile of Ahornstadt was submitted for review."
DE_TEXT = "Der Missionssteckbrief von Ahornstadt wurde zur Prüfung eingereicht."


def send(recipients, key="k:1", link="/labs/x/", **params):
    return notify(kind=KIND, recipients=recipients, key=key, params=params or PARAMS, link=link)


def prefer(user, delivery):
    NotificationPreference.objects.update_or_create(user=user, defaults={"delivery": delivery})


@pytest.fixture
def person(db):
    return UserFactory(email="nora.nachricht@example.org", name="Nora Nachricht", language="en")


@pytest.fixture
def other(db):
    return UserFactory(email="otto.other@example.org", name="Otto Other", language="de")


# --- the service ---------------------------------------------------------------------------------


def test_notify_creates_one_per_person_and_key(person, other):
    assert send([person, other.pk]) == 2
    assert send([person, other]) == 0  # the same happening again: nobody gets it twice
    assert send([person], key="k:2") == 1
    assert Notification.objects.filter(recipient=person).count() == 2
    assert Notification.objects.filter(recipient=other).count() == 1


def test_notify_refuses_unknown_kinds_and_foreign_links(person):
    with pytest.raises(kinds.UnknownKind):
        notify(kind="no-such-kind", recipients=[person], key="x", params={}, link="/")
    for link in ("https://evil.example/", "//evil.example/", "/\\evil.example/", ""):
        with pytest.raises(ValueError):
            send([person], link=link)
    assert not Notification.objects.exists()


def test_a_new_kind_is_one_registration(person, monkeypatch):
    monkeypatch.setitem(
        kinds._KINDS,
        "space-post",
        kinds.Kind(key="space-post", label="A post", text=lambda p: f"{p['who']} wrote"),
    )
    notify(kind="space-post", recipients=[person], key="post:1", params={"who": "Ida"}, link="/s/")
    assert kinds.text_of("space-post", {"who": "Ida"}) == "Ida wrote"
    # a kind whose app is gone still reads as something
    assert kinds.text_of("gone", {}) == "Etwas ist passiert, das Sie betrifft."


# --- e-mails -------------------------------------------------------------------------------------


def test_the_mail_goes_out_once_in_each_recipients_language(
    person, other, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send([person, other], link="/labs/x/cohorts/k/")
    assert len(callbacks) == 1  # one task for all recipients
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {person.email, other.email}
    english, german = by_address[person.email], by_address[other.email]
    assert english.subject == EN_TEXT
    assert german.subject == DE_TEXT
    assert "Hello Nora Nachricht," in english.body
    assert "http://localhost:8000/labs/x/cohorts/k/" in english.body
    html = english.alternatives[0]
    assert html[1] == "text/html" and 'lang="en"' in html[0] and EN_TEXT in html[0]
    assert "Guten Tag Otto Other," in german.body
    assert all(n.emailed_at for n in Notification.objects.all())

    # the task again (a retry, a second worker), and the same notify again: nothing more
    assert tasks.send_notification_mails("k:1") == 0
    with django_capture_on_commit_callbacks(execute=True):
        send([person, other])
    assert len(mail.outbox) == 2


def test_no_language_chosen_means_the_platform_default(person, django_capture_on_commit_callbacks):
    person.language = ""
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        send([person])
    assert mail.outbox[0].subject == DE_TEXT


def test_a_failed_send_is_released_for_the_retry(person, monkeypatch):
    send([person])

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(notification_mail.EmailMultiAlternatives, "send", broken)
    with pytest.raises(OSError):
        notification_mail.immediate_mails_send(key="k:1")
    assert Notification.objects.get().emailed_at is None
    monkeypatch.undo()
    assert notification_mail.immediate_mails_send(key="k:1") == 1


def test_daily_digest_groups_the_days_notifications(
    person, other, django_capture_on_commit_callbacks
):
    prefer(person, Delivery.DAILY)
    prefer(other, Delivery.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        send([person, other], key="k:1", municipality="Ahornstadt")
        send([person, other], key="k:2", municipality="Buchenfeld")
        send([person], key="k:3", municipality="Cedernheim")
    assert mail.outbox == []  # neither wants them right away
    read = Notification.objects.get(recipient=person, key="k:3")
    read.read_at = timezone.now()  # read on the platform already: not in the summary
    read.save()
    old = Notification.objects.create(
        recipient=person, kind=KIND, key="k:old", params={"municipality": "Altdorf"}, link="/",
        created_at=timezone.now() - dt.timedelta(days=5),
    )  # fmt: skip

    assert tasks.send_notification_digests() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [person.email]
    assert digest.subject == "Your 2 notifications of the day"
    assert "The mission profile of Ahornstadt was submitted for review." in digest.body
    assert "The mission profile of Buchenfeld was submitted for review." in digest.body
    assert "Cedernheim" not in digest.body and "Altdorf" not in digest.body
    assert "Ahornstadt" in digest.alternatives[0][0]

    # run twice (beat and a retry): sent once; "none" never gets an e-mail
    assert tasks.send_notification_digests() == 0
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(recipient=other, emailed_at__isnull=False).exists()
    old.refresh_from_db()
    assert old.emailed_at is None


def test_inactive_accounts_get_no_mail(person, django_capture_on_commit_callbacks):
    person.is_active = False
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        send([person])
    assert mail.outbox == []


# --- pages ---------------------------------------------------------------------------------------


def test_the_list_shows_only_ones_own_notifications(client_as, tandem_a, tandem_b):
    send([tandem_a], key="a", municipality="Ahornstadt", link="/mine/")
    send([tandem_b], key="b", municipality="Buchenfeld")
    response = client_as("tandem_a").get(reverse("notification_list"))
    page = text(response)
    assert response.status_code == 200
    assert "The mission profile of Ahornstadt was submitted for review." in page
    assert 'href="/mine/"' in page
    assert "Buchenfeld" not in page
    assert "1 unread notification" in page
    assert_login_required(make_client().get(reverse("notification_list")))


def test_mark_read_by_post_only_and_only_ones_own(client_as, tandem_a, tandem_b):
    send([tandem_a, tandem_b], key="k")
    mine = Notification.objects.get(recipient=tandem_a)
    theirs = Notification.objects.get(recipient=tandem_b)
    client = client_as("tandem_a")

    assert client.get(reverse("notification_read", args=[mine.pk])).status_code == 405
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is None and theirs.read_at is None

    response = client.post(reverse("notification_read", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notification_list")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read(client_as, tandem_a, tandem_b):
    send([tandem_a, tandem_b], key="k1")
    send([tandem_a], key="k2")
    client = client_as("tandem_a")
    assert client.get(reverse("notification_read_all")).status_code == 405
    assert client.post(reverse("notification_read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=tandem_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=tandem_b, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_needs_the_same_queries_whatever_the_count(
    count, client_as, tandem_a, django_assert_num_queries
):
    for i in range(count):
        send([tandem_a], key=f"k{i}")
    client = client_as("tandem_a")
    url = reverse("notification_list")
    client.get(url)  # warm-up: per-process caches
    # session, user, the header's unread count, the page's count, the page's rows
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert text(response).count('class="notification ') == min(count, 25)


def test_the_header_announces_the_unread_count(client_as, tandem_a):
    client = client_as("tandem_a")
    assert "unread notification" not in text(client.get(reverse("home")))
    for i in range(3):
        send([tandem_a], key=f"k{i}")
    page = text(client.get(reverse("home")))
    assert '<span class="count-badge" aria-hidden="true">3</span>' in page
    assert "(3 unread notifications)" in page


def test_settings_save_and_refuse_bad_input(client_as, tandem_a):
    client = client_as("tandem_a")
    url = reverse("notification_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial == {"delivery": "immediate", "language": ""}
    # what one is notified about: the registered kinds (missions', reports')
    assert "A mission profile was returned with comments" in text(page)
    assert "A report version was published" in text(page)

    response = client.post(url, {"delivery": "daily", "language": "en"})
    assert response.status_code == 302
    tandem_a.refresh_from_db()
    assert tandem_a.language == "en"
    assert NotificationPreference.objects.get(user=tandem_a).delivery == "daily"
    assert "Your notification settings were saved." in text(client.get(url))

    response = client.post(url, {"delivery": "hourly", "language": "fr"})
    assert response.status_code == 200
    page = text(response)
    assert "Select a valid choice. hourly is not one of the available choices." in page
    assert "Select a valid choice. fr is not one of the available choices." in page
    tandem_a.refresh_from_db()
    assert tandem_a.language == "en"
    assert NotificationPreference.objects.get(user=tandem_a).delivery == "daily"


# --- personal data -------------------------------------------------------------------------------


def test_export_holds_notifications_and_preferences_and_deletion_removes_them(person):
    prefer(person, Delivery.DAILY)
    send([person], key="k", link="/x/")
    data = personal_data_export(person)
    assert data["notifications"][0]["link"] == "/x/"
    assert data["notifications"][0]["text"] == DE_TEXT
    assert data["notification_preference"]["delivery"] == "daily"
    assert data["notification_preference"]["email_language"] == "en"
    assert data["other_records"] == {}

    account_delete(person)
    assert not Notification.objects.exists()
    assert not NotificationPreference.objects.exists()


def test_the_count_on_a_cached_page_is_current(client_as, coordinator, world, settings):
    # the cohort dashboard keeps its table in the page cache; the header is outside it
    settings.FRAGMENT_CACHE_SECONDS = 300
    client = client_as("coordinator")
    url = reverse("cohort_dashboard", args=[world["lab_x"].slug, world["cohort_x"].slug])
    client.get(url)
    assert "unread notification" not in text(client.get(url))
    send([coordinator], key="k1")
    assert "(1 unread notification)" in text(client.get(url))
    client.post(reverse("notification_read_all"))
    assert "unread notification" not in text(client.get(url))

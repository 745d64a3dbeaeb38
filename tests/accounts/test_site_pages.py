"""The privacy notice and the accessibility statement: public, in the reader's language, with a
default text until an administrator edits them; only administrators edit."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind, SitePage
from accounts.views_pages import default_content

from ..conftest import make_client
from ..factories import UserFactory
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

PAGES = [("privacy", "privacy_notice"), ("accessibility", "accessibility_statement")]


def _german_client(user=None):
    client = make_client(user)
    client.cookies["django_language"] = "de"
    return client


@pytest.mark.parametrize("key,name", PAGES)
def test_anyone_reads_the_default_text_in_their_language(key, name):
    english = make_client().get(reverse(name))
    assert english.status_code == 200
    title, body = default_content(key, "en")
    assert f'<h1 class="kern-heading-x-large">{title}</h1>' in english.content.decode()
    # Markdown's top headings sit right below the page's h1
    assert "<h2>" in english.content.decode() and "<h4>" not in english.content.decode()
    german = _german_client().get(reverse(name))
    assert german.status_code == 200
    assert german.context["content_language"] == "de"
    assert not german.context["is_fallback_language"]


def test_privacy_default_names_what_a_notice_needs():
    body = text(make_client().get(reverse("privacy_notice")))
    for part in (
        "Controller",
        "Art. 6(1)(e) GDPR",
        "Art. 6(1)(c) GDPR",
        "Recipients",
        "Retention",
        "raw answers",
        "Art. 15 GDPR",
        "supervisory authority",
    ):
        assert part in body, part


@override_settings(ACCESSIBILITY_CONTACT_EMAIL="barrieren@stadt.example")
def test_accessibility_default_has_feedback_contact_and_enforcement():
    response = make_client().get(reverse("accessibility_statement"))
    body = response.content.decode()
    assert 'href="mailto:barrieren@stadt.example"' in body
    for part in (
        "BITV 2.0",
        "Status of conformance",
        "Non-accessible content",
        "Schlichtungsstelle",
    ):
        assert part in text(response), part


def test_footer_links_both_pages_in_a_labelled_nav(client):
    body = make_client().get(reverse("home")).content.decode()
    assert 'aria-label="Legal information"' in body
    assert f'href="{reverse("privacy_notice")}"' in body
    assert f'href="{reverse("accessibility_statement")}"' in body
    current = make_client().get(reverse("privacy_notice")).content.decode()
    assert f'href="{reverse("privacy_notice")}" aria-current="page"' in current


def test_admin_edits_a_page_and_everyone_reads_it_sanitised(personas, client_as):
    admin_client = client_as("admin")
    form_page = admin_client.get(reverse("site_page_edit", args=["privacy"]))
    assert form_page.status_code == 200
    # the form starts from the default text
    assert form_page.context["form"]["body_en"].value() == default_content("privacy", "en")[1]

    response = admin_client.post(
        reverse("site_page_edit", args=["privacy"]),
        {
            "title_de": "Datenschutzerklärung der Stadt",
            "body_de": "# Verantwortlich\n\nStadt Ahornstadt<script>alert(1)</script>"
            "\n\n[Link](javascript:alert(1)) <img src=x>",
            "title_en": "Privacy notice of the city",
            "body_en": "# Controller\n\nCity of Ahornstadt",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_notice")
    page = SitePage.objects.get(key="privacy")
    assert page.updated_by == personas["admin"]
    event = AuditEvent.objects.get(kind=AuditKind.SITE_PAGE_CHANGED)
    assert event.actor == personas["admin"] and event.object_id == str(page.pk)

    german = _german_client().get(reverse("privacy_notice"))
    assert "Datenschutzerklärung der Stadt" in german.content.decode()
    shown = german.context["body_html"]
    assert "<h2>Verantwortlich</h2>" in shown and "Stadt Ahornstadt" in shown
    assert "<script" not in shown and "javascript:" not in shown and "<img" not in shown
    assert "<script>alert" not in german.content.decode()
    english = make_client().get(reverse("privacy_notice")).content.decode()
    assert "Privacy notice of the city" in english and "City of Ahornstadt" in english
    assert "Last changed:" in english


def test_without_an_english_text_english_readers_get_german_marked_as_such(personas, client_as):
    SitePage.objects.create(key="accessibility", title_de="Barrierefreiheit", body_de="Text")
    response = make_client().get(reverse("accessibility_statement"))
    body = response.content.decode()
    assert "Barrierefreiheit" in body
    assert '<article class="site-page" lang="de">' in body  # screen readers switch language
    assert "This page is only available in German." in body


def test_an_empty_form_is_refused_and_changes_nothing(personas, client_as):
    response = client_as("admin").post(reverse("site_page_edit", args=["privacy"]), {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title_de", "body_de"}
    assert not SitePage.objects.exists()


def test_staff_may_edit_too(world):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    response = make_client(staff).get(reverse("site_page_edit", args=["accessibility"]))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "funder", "tandem_a", "outsider"])
def test_others_cannot_edit(personas, client_as, persona):
    client = client_as(persona)
    assert client.get(reverse("site_page_edit", args=["privacy"])).status_code == 404
    response = client.post(
        reverse("site_page_edit", args=["privacy"]), {"title_de": "X", "body_de": "Y"}
    )
    assert response.status_code == 404
    assert not SitePage.objects.exists()
    # and no edit link on the public page
    assert "Edit this page" not in client.get(reverse("privacy_notice")).content.decode()


def test_unknown_page_key_is_not_found(personas, client_as):
    assert client_as("admin").get(reverse("site_page_edit", args=["impressum"])).status_code == 404

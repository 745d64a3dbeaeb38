"""One rule for "platform administrator" (accounts.permissions.is_site_admin), asked by the audit
log, the site pages and - through the context processor - the page frame's links."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.permissions import can_open_django_admin, is_site_admin

from ..conftest import make_client
from ..factories import UserFactory
from ..helpers import text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "is_active,is_staff,is_superuser,site_admin,django_admin",
    [
        (True, True, True, True, True),
        (True, True, False, True, True),
        # a superuser without is_staff administers the platform, but Django's admin refuses them
        (True, False, True, True, False),
        (True, False, False, False, False),
        # a deactivated account is nobody's administrator
        (False, True, True, False, False),
        (False, True, False, False, False),
    ],
)
def test_the_rule(is_active, is_staff, is_superuser, site_admin, django_admin):
    user = UserFactory.build(is_active=is_active, is_staff=is_staff, is_superuser=is_superuser)
    assert is_site_admin(user) is site_admin
    assert can_open_django_admin(user) is django_admin


def test_anonymous_is_no_administrator():
    assert not is_site_admin(AnonymousUser())
    assert not can_open_django_admin(AnonymousUser())


def _links(client) -> tuple[bool, bool, bool]:
    """(audit log in the footer, Django admin in the header, edit link on the privacy notice)"""
    home = text(client.get(reverse("privacy_notice")))
    return (
        f'href="{reverse("audit_log")}"' in home,
        f'href="{reverse("admin:index")}"' in home,
        f'href="{reverse("site_page_edit", args=["privacy"])}"' in home,
    )


def test_a_superuser_without_staff_flag_administers_the_platform(world):
    client = make_client(UserFactory(is_superuser=True, is_staff=False))
    assert client.get(reverse("audit_log")).status_code == 200
    assert client.get(reverse("site_page_edit", args=["privacy"])).status_code == 200
    # the frame's links come from the context processor, which asks the same rule
    assert _links(client) == (True, False, True)
    # Django's admin has its own rule: the header does not link a page that would refuse
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_see_every_administration_link(world):
    client = make_client(UserFactory(is_staff=True))
    assert _links(client) == (True, True, True)


@pytest.mark.parametrize("persona", ["coordinator", "tandem_a", "anonymous"])
def test_others_see_no_administration_link(personas, client_as, persona):
    assert _links(client_as(persona)) == (False, False, False)

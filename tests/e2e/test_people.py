"""A coordinator manages people in the browser: removes a tandem member who left (their texts
stay theirs) and revokes a lab role, each after a confirmation; axe-core checks every page."""

import pytest

from labs import services
from labs.models import LabMembership, LabRole
from tandems import services as tandem_services
from tandems.models import TandemMember

from .conftest import COORDINATOR_EMAIL, axe_check, e2e_make_user, follow, login, shot, submit

pytestmark = pytest.mark.e2e


@pytest.fixture
def e2e_people(e2e_participation):
    lab = e2e_participation.cohort.lab
    leaving = e2e_make_user(email="lena.geht@eichenau.example", name="Lena Geht")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=leaving, department="Bürgeramt"
    )
    staying = e2e_make_user(email="sam.bleibt@eichenau.example", name="Sam Bleibt")
    tandem_services.tandem_member_add(
        participation=e2e_participation, user=staying, department="Personalamt"
    )
    funder = e2e_make_user(email="fee.foerderung@example.org", name="Fee Förderung")
    services.lab_membership_grant(lab=lab, user=funder, role=LabRole.FUNDER)
    return {"lab": lab, "leaving": leaving, "funder": funder}


def test_coordinator_removes_a_tandem_member_and_revokes_a_role(e2e_people, live_server, page):
    base = live_server.url
    lab, leaving, funder = e2e_people["lab"], e2e_people["leaving"], e2e_people["funder"]

    login(page, base, COORDINATOR_EMAIL)
    page.goto(f"{base}/labs/{lab.slug}/people/")
    axe_check(page, label="people page")

    # Lena left the tandem: remove her, after reading what stays
    follow(page, page.locator("main a[href$='/remove/']").filter(has_text="Lena Geht"))
    axe_check(page, label="remove a tandem member")
    shot(page, "80-member-remove")
    page.locator("main input[name='action'][value='remove']").check()
    submit(page)
    assert "/tandem/" in page.url
    assert "Lena Geht gehört nicht mehr zum Tandem." in page.locator("main").inner_text()
    assert "Lena Geht" not in page.locator("main table").inner_text()
    axe_check(page, label="tandem after the removal")
    assert not TandemMember.objects.filter(user=leaving).exists()
    leaving.refresh_from_db()
    assert leaving.is_active

    # the funder's role is revoked, after a confirmation
    page.goto(f"{base}/labs/{lab.slug}/people/")
    follow(page, page.locator("main a[href*='/people/roles/']").filter(has_text="Fee Förderung"))
    axe_check(page, label="revoke a role")
    submit(page)
    assert page.url.endswith(f"/labs/{lab.slug}/people/")
    assert "Fee Förderung hat die Rolle" in page.locator("main").inner_text()
    axe_check(page, label="people page after the revocation")
    assert not LabMembership.objects.filter(lab=lab, user=funder).exists()

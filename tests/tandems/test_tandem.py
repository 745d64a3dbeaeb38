"""The tandem page and the member form: completeness rule, who may edit, the database after."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tandems import services
from tandems import services as tandem_services
from tandems.models import Tandem, TandemMember, tandem_gaps

from ..factories import UserFactory
from ..helpers import assert_constant_queries, assert_login_required, text
from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db


def tandem_url(participation) -> str:
    cohort = participation.cohort
    return reverse("tandem_edit", args=[cohort.lab.slug, cohort.slug, participation.pk])


def member_url(member: TandemMember) -> str:
    participation = member.tandem.participation
    cohort = participation.cohort
    return reverse(
        "tandem_member_edit", args=[cohort.lab.slug, cohort.slug, participation.pk, member.pk]
    )


def _add_member(participation, department: str, name: str = "") -> TandemMember:
    user = UserFactory(name=name) if name else UserFactory()
    return tandem_services.tandem_member_add(
        participation=participation, user=user, department=department
    )


# --- the completeness rule ---------------------------------------------------------------------


def test_rule_one_member_is_incomplete():
    assert tandem_gaps(1, 1) == ["fewer than two members"]


def test_rule_two_members_same_department_is_incomplete():
    with translation.override("en"):
        assert tandem_gaps(2, 1) == ["all members from one department"]


def test_rule_two_members_two_departments_is_complete():
    assert tandem_gaps(2, 2) == []


def test_rule_department_missing():
    assert tandem_gaps(3, 2, 1) == ["department missing for 1 member(s)"]


def test_rule_no_members():
    assert tandem_gaps(0, 0) == ["fewer than two members"]


@pytest.mark.parametrize(
    "departments,expected_gaps",
    [
        (["Sozialamt"], ["fewer than two members"]),
        (["Sozialamt", "Sozialamt"], ["all members from one department"]),
        # the same department typed twice with other capitals or blanks is still one
        (["Sozialamt", " sozialamt "], ["all members from one department"]),
        (["Sozialamt", "Personalamt"], []),
        (["Sozialamt", "Personalamt", ""], ["department missing for 1 member(s)"]),
    ],
)
def test_page_shows_completeness_and_why(
    client_as, personas, participation_b, departments, expected_gaps
):
    TandemMember.objects.filter(tandem__participation=participation_b).delete()
    for department in departments:
        _add_member(participation_b, department)

    response = client_as("coordinator").get(tandem_url(participation_b))

    assert response.status_code == 200
    assert response.context["gaps"] == expected_gaps
    body = text(response)
    if expected_gaps:
        assert "The tandem is not complete yet:" in body
        for gap in expected_gaps:
            assert gap.capitalize() in body
    else:
        assert "The tandem is complete." in body


# --- the tandem page ---------------------------------------------------------------------------


def test_page_lists_members_and_sponsor(client_as, personas, participation_a):
    member = _add_member(participation_a, "Personalamt", name="Paula Person")
    TandemMember.objects.filter(pk=member.pk).update(function="Projektleitung")
    Tandem.objects.filter(participation=participation_a).update(
        sponsor_name="Dr. Olga Oberhaupt",
        sponsor_function="Oberbürgermeisterin",
        commitment_date=dt.date(2025, 2, 14),
    )

    response = client_as("tandem_a").get(tandem_url(participation_a))

    assert response.status_code == 200
    body = text(response)
    for expected in (
        "Anna Ahorn",
        "Sozialamt",
        "Paula Person",
        "Personalamt",
        "Projektleitung",
        "Dr. Olga Oberhaupt",
        "Oberbürgermeisterin",
        "The tandem is complete.",
    ):
        assert expected in body
    assert [m.user.name for m in response.context["members"]] == ["Anna Ahorn", "Paula Person"]


def test_a_participation_without_tandem_shows_an_empty_one_and_writes_nothing(
    client_as, personas, participation_b
):
    """The tandem is created at admission; one added around it shows empty (its first save
    creates it: tests/test_participation_admitted.py)."""
    Tandem.objects.filter(participation=participation_b).delete()
    response = client_as("coordinator").get(tandem_url(participation_b))
    assert response.status_code == 200
    assert response.context["members"] == []
    assert not Tandem.objects.filter(participation=participation_b).exists()


@pytest.mark.parametrize("persona", ["coordinator", "tandem_a", "admin"])
def test_sponsor_saved_by_coordinator_and_own_tandem(client_as, personas, participation_a, persona):
    response = client_as(persona).post(
        tandem_url(participation_a),
        {
            "sponsor_name": "  Dr. Olga Oberhaupt ",
            "sponsor_function": "Oberbürgermeisterin",
            "commitment_date": "2025-02-14",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == tandem_url(participation_a)
    tandem = Tandem.objects.get(participation=participation_a)
    assert tandem.sponsor_name == "Dr. Olga Oberhaupt"
    assert tandem.sponsor_function == "Oberbürgermeisterin"
    assert tandem.commitment_date == dt.date(2025, 2, 14)


def test_sponsor_commitment_in_the_future_is_refused(client_as, personas, participation_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_as("tandem_a").post(
        tandem_url(participation_a),
        {"sponsor_name": "Olga", "sponsor_function": "", "commitment_date": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "commitment_date" in response.context["form"].errors
    assert Tandem.objects.get(participation=participation_a).commitment_date is None
    # the page shows what is stored, not what was typed
    assert response.context["sponsor"]["name"] == ""


def test_sponsor_commitment_needs_a_name_or_function(client_as, personas, participation_a):
    response = client_as("tandem_a").post(
        tandem_url(participation_a),
        {"sponsor_name": "", "sponsor_function": "", "commitment_date": "2025-01-10"},
    )
    assert response.status_code == 200
    assert "sponsor_name" in response.context["form"].errors
    assert Tandem.objects.get(participation=participation_a).commitment_date is None

    # the office alone is enough, as the final reports often put it
    response = client_as("tandem_a").post(
        tandem_url(participation_a),
        {
            "sponsor_name": "",
            "sponsor_function": "Bürgermeister:in",
            "commitment_date": "2025-01-10",
        },
    )
    assert response.status_code == 302
    assert Tandem.objects.get(participation=participation_a).commitment_date == dt.date(2025, 1, 10)


def test_sponsor_bad_date_is_a_form_error(client_as, personas, participation_a):
    response = client_as("tandem_a").post(
        tandem_url(participation_a),
        {"sponsor_name": "Olga", "sponsor_function": "", "commitment_date": "31.02.2025"},
    )
    assert response.status_code == 200
    assert "commitment_date" in response.context["form"].errors


@pytest.mark.parametrize(
    "persona,status",
    [
        ("tandem_b", 404),
        ("funder", 404),
        ("expert", 404),
        ("coordinator_y", 404),
        ("outsider", 404),
    ],
)
def test_others_may_neither_see_nor_edit_the_tandem(
    client_as, personas, participation_a, persona, status
):
    client = client_as(persona)
    assert client.get(tandem_url(participation_a)).status_code == status
    response = client.post(tandem_url(participation_a), {"sponsor_name": "Gekapert"})
    assert response.status_code == status
    assert Tandem.objects.get(participation=participation_a).sponsor_name == ""
    assert "Ahornstadt" not in text(response)


def test_tandem_anonymous_and_wrong_method(client_as, personas, participation_a):
    client = client_as("anonymous")
    assert_login_required(client.get(tandem_url(participation_a)))
    assert_login_required(client.post(tandem_url(participation_a), {"sponsor_name": "A"}))
    assert client_as("tandem_a").put(tandem_url(participation_a)).status_code == 405
    assert client_as("coordinator").delete(tandem_url(participation_a)).status_code == 405
    assert Tandem.objects.get(participation=participation_a).sponsor_name == ""


def test_tandem_page_queries_constant(client_as, personas, participation_a):
    assert_constant_queries(
        client_as("coordinator"),
        tandem_url(participation_a),
        lambda: [_add_member(participation_a, f"Amt {i}") for i in range(15)],
    )


# --- the member form ---------------------------------------------------------------------------


def _member_a(participation_a, tandem_a) -> TandemMember:
    return TandemMember.objects.get(tandem__participation=participation_a, user=tandem_a)


@pytest.mark.parametrize("persona", ["coordinator", "tandem_a"])
def test_member_edit(client_as, personas, participation_a, tandem_a, persona):
    member = _member_a(participation_a, tandem_a)
    client = client_as(persona)
    assert client.get(member_url(member)).status_code == 200

    response = client.post(
        member_url(member), {"department": " Amt für Integration ", "function": "Gleichstellung"}
    )

    assert response.status_code == 302
    assert response["Location"] == tandem_url(participation_a)
    member.refresh_from_db()
    assert member.department == "Amt für Integration"
    assert member.function == "Gleichstellung"


def test_member_edit_department_is_required(client_as, personas, participation_a, tandem_a):
    member = _member_a(participation_a, tandem_a)
    response = client_as("tandem_a").post(member_url(member), {"department": "", "function": "x"})
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    member.refresh_from_db()
    assert member.department == "Sozialamt"
    assert member.function == ""


def test_member_of_another_tandem_is_404(
    client_as, personas, participation_a, participation_b, tandem_b
):
    other = TandemMember.objects.get(tandem__participation=participation_b, user=tandem_b)
    cohort = participation_a.cohort
    # B's member under A's address: the tandem_a member may open A but not B's member
    wrong = reverse(
        "tandem_member_edit", args=[cohort.lab.slug, cohort.slug, participation_a.pk, other.pk]
    )
    for persona in ("tandem_a", "coordinator"):
        assert client_as(persona).get(wrong).status_code == 404
        assert client_as(persona).post(wrong, {"department": "Gekapert"}).status_code == 404
    other.refresh_from_db()
    assert other.department == "Personalamt"


@pytest.mark.parametrize("persona", ["tandem_b", "funder", "expert", "coordinator_y", "outsider"])
def test_member_edit_by_others_is_404(client_as, personas, participation_a, tandem_a, persona):
    member = _member_a(participation_a, tandem_a)
    client = client_as(persona)
    assert client.get(member_url(member)).status_code == 404
    assert client.post(member_url(member), {"department": "Gekapert"}).status_code == 404
    member.refresh_from_db()
    assert member.department == "Sozialamt"


def test_member_edit_anonymous_and_wrong_method(client_as, personas, participation_a, tandem_a):
    member = _member_a(participation_a, tandem_a)
    assert_login_required(client_as("anonymous").post(member_url(member), {"department": "A"}))
    assert client_as("tandem_a").put(member_url(member)).status_code == 405
    member.refresh_from_db()
    assert member.department == "Sozialamt"


def test_services_strip_and_validate(personas, participation_a, tandem_a):
    member = _member_a(participation_a, tandem_a)
    services.tandem_member_update(member=member, department="  Bürgeramt ", function=" Lead ")
    member.refresh_from_db()
    assert (member.department, member.function) == ("Bürgeramt", "Lead")
    tandem = services.tandem_for_participation(participation_a)
    services.tandem_update(
        tandem=tandem, sponsor_name=" Olga ", sponsor_function="OB", commitment_date=None
    )
    tandem.refresh_from_db()
    assert (tandem.sponsor_name, tandem.sponsor_function) == ("Olga", "OB")

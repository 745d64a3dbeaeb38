"""Text limits, the error summary, goal warnings and the English lab and cohort descriptions,
through the pages that use them.

The browser cuts pasted text at an input's `maxlength` without a word, so no form may render one:
the limit is in the field's hint, the server refuses longer text and the form keeps what was typed.
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from missions.models import MissionProfile, SmartGoal

from ..shared_world import *  # noqa: F403 (the world, built once for the module)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def german(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.summary_links: list[str] = []
        self.maxlengths: list[dict] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "data-error-link" in values:
            self.summary_links.append(values["href"])
        if "maxlength" in values:
            self.maxlengths.append(values)


def parse(body: str) -> _Ids:
    parser = _Ids()
    parser.feed(body)
    return parser


def steps_url(name: str, participation, *extra) -> str:
    cohort = participation.cohort
    return reverse(name, args=[cohort.lab.slug, cohort.slug, participation.pk, *extra])


def test_lab_form_shows_limits_and_no_maxlength(client_as, lab_x):
    response = german(client_as("coordinator")).get(reverse("lab_edit", args=[lab_x.slug]))

    body = response.content.decode()
    assert parse(body).maxlengths == []
    # the name's limit (200) is in its hint, which the input points to
    assert re.search(r'id="id_name_helptext">\s*Höchstens 200 Zeichen\.', body)
    assert 'aria-describedby="id_name_helptext"' in body


def test_over_long_lab_name_is_refused_and_kept(client_as, lab_x):
    too_long = "Innovationslabor " + "x" * 200
    response = german(client_as("coordinator")).post(
        reverse("lab_edit", args=[lab_x.slug]), {"name": too_long, "organiser": "Stelle"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "höchstens 200 Zeichen" in body
    assert f'value="{too_long}"' in body  # everything typed is still there
    assert parse(body).maxlengths == []
    lab_x.refresh_from_db()
    assert lab_x.name != too_long


def test_error_summary_links_each_error_to_its_field(client_as, lab_x):
    response = client_as("coordinator").post(
        reverse("lab_edit", args=[lab_x.slug]), {"name": "", "organiser": "x" * 301}
    )

    page = parse(response.content.decode())
    assert page.summary_links == ["#id_name", "#id_organiser"]
    assert {link[1:] for link in page.summary_links} <= page.ids
    assert "data-error-summary" in response.content.decode()


def test_failed_inline_measure_form_links_its_errors(client_as, participation_a):
    MissionProfile.objects.get_or_create(participation=participation_a)
    response = client_as("tandem_a").post(
        steps_url("mission_measure_create", participation_a),
        {"new-measure-title": "", "new-measure-description": "d" * 20},
        **HTMX,
    )

    body = response.content.decode()
    page = parse(body)
    assert page.summary_links == ["#id_new-measure-title"]
    assert "id_new-measure-title" in page.ids
    assert "d" * 20 in body
    assert 'id="measure-add" open' in body  # the form stays open with its errors


def _goal_data(**changes) -> dict:
    values = {"statement": "Mehr Vielfalt in der Verwaltung", "deadline": "2030-12-31", **changes}
    return {f"new-goal-{name}": value for name, value in values.items()}


def test_past_deadline_warns_but_saves(client_as, participation_a):
    MissionProfile.objects.get_or_create(participation=participation_a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    client = german(client_as("tandem_a"))

    response = client.post(
        steps_url("mission_step_goals", participation_a),
        _goal_data(deadline=yesterday.isoformat()),
        follow=True,
    )

    assert response.status_code == 200
    goal = SmartGoal.objects.get(profile__participation=participation_a)
    assert goal.deadline == yesterday
    body = response.content.decode()
    assert "Die Frist liegt in der Vergangenheit." in body
    assert "kern-alert--warning" in body


def test_long_goal_statement_warns_but_saves_in_place(client_as, participation_a):
    MissionProfile.objects.get_or_create(participation=participation_a)
    statement = "Ein langes Ziel. " * 40  # 680 characters

    response = german(client_as("tandem_a")).post(
        steps_url("mission_step_goals", participation_a), _goal_data(statement=statement), **HTMX
    )

    assert response.status_code == 200
    assert SmartGoal.objects.filter(profile__participation=participation_a).count() == 1
    body = response.content.decode()
    assert "Die Zielbeschreibung ist sehr lang" in body
    assert "Die Frist liegt in der Vergangenheit." not in body


def test_goal_without_slips_gets_no_warning(client_as, participation_a):
    MissionProfile.objects.get_or_create(participation=participation_a)
    response = client_as("tandem_a").post(
        steps_url("mission_step_goals", participation_a), _goal_data(), follow=True
    )
    assert "kern-alert--warning" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("en", "An English description", "Eine deutsche"), ("de", "Eine deutsche", "An English")],
)
def test_lab_and_cohort_descriptions_follow_the_language(
    client_as, lab_x, cohort_x, language, shown, hidden
):
    client = client_as("coordinator")
    client.post(
        reverse("lab_edit", args=[lab_x.slug]),
        {
            "name": lab_x.name,
            "description": "Eine deutsche Beschreibung",
            "description_en": "An English description",
        },
    )
    cohort_x.description = "Eine deutsche Beschreibung der Kohorte"
    cohort_x.description_en = "An English description of the cohort"
    cohort_x.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    lab_page = client.get(reverse("lab_detail", args=[lab_x.slug])).content.decode()
    cohort_page = client.get(
        reverse("cohort_dashboard", args=[lab_x.slug, cohort_x.slug])
    ).content.decode()

    assert shown in lab_page and hidden not in lab_page
    assert shown in cohort_page and hidden not in cohort_page


def test_english_page_falls_back_to_the_german_description(client_as, lab_x):
    lab_x.description = "Nur auf Deutsch"
    lab_x.save()
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert (
        "Nur auf Deutsch" in client.get(reverse("lab_detail", args=[lab_x.slug])).content.decode()
    )

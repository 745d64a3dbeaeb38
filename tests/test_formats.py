"""English dates are day-month-year with 24-hour times (en-GB style; config/formats/en), German
ones as Django writes them: in the formats the code uses (pages, PDFs, e-mails) and on a page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import formats, translation

from .conftest import make_client
from .events.test_events_calendar import make_event, register
from .shared_world import *  # noqa: F403 (the world, built once for the module)

BERLIN = ZoneInfo("Europe/Berlin")
# an afternoon on a day above 12: a US or 12-hour format cannot hide
MOMENT = dt.datetime(2026, 6, 24, 14, 5, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("name", "english", "german"),
    [
        ("DATE_FORMAT", "24 June 2026", "24. Juni 2026"),
        ("TIME_FORMAT", "14:05", "14:05"),
        ("DATETIME_FORMAT", "24 June 2026, 14:05", "24. Juni 2026 14:05"),
        ("SHORT_DATE_FORMAT", "24/06/2026", "24.06.2026"),
        ("SHORT_DATETIME_FORMAT", "24/06/2026 14:05", "24.06.2026 14:05"),
        ("YEAR_MONTH_FORMAT", "June 2026", "Juni 2026"),
        ("MONTH_DAY_FORMAT", "24 June", "24. Juni"),
    ],
)
def test_english_is_day_month_year_and_24_hours_german_unchanged(name, english, german):
    with translation.override("en"):
        assert formats.date_format(MOMENT, name) == english
    with translation.override("de"):
        assert formats.date_format(MOMENT, name) == german


def test_english_forms_read_day_month_year_never_month_first():
    with translation.override("en"):
        date_inputs = formats.get_format("DATE_INPUT_FORMATS")
    assert "%m/%d/%Y" not in date_inputs
    assert dt.datetime.strptime("03/04/2026", date_inputs[1]).month == 4
    assert settings.FORMAT_MODULE_PATH == ["config.formats"]


@pytest.mark.django_db
def test_an_english_event_page_writes_the_date_the_british_way(lab_x, cohort_x, tandem_a):
    event = make_event(lab_x, start=MOMENT, cohorts=[cohort_x])
    register(event, tandem_a)
    client = make_client(tandem_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/labs/{lab_x.slug}/events/{event.pk}/").content.decode()
    assert "Wednesday, 24 June 2026, 14:05" in page
    assert "June 24" not in page and "p.m." not in page and "24. June" not in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(f"/labs/{lab_x.slug}/events/{event.pk}/").content.decode()
    assert "Mittwoch, 24. Juni 2026, 14:05" in page

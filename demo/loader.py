"""The demo data files: demo/data/*.yaml (texts, numbers, dates) and demo/data/materials/."""

import datetime as dt
import functools
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")


@functools.cache
def load(name: str) -> dict:
    """The parsed file demo/data/<name>.yaml (read once per process; do not modify it)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def material(file: str) -> bytes:
    return (DATA_DIR / "materials" / file).read_bytes()


def berlin_time(day: dt.date, hhmm: str) -> dt.datetime:
    """A day and a quoted "HH:MM" (unquoted, YAML reads 13:30 as a number) in Berlin time."""
    if not isinstance(hhmm, str):
        raise ValueError(f"write times in quotes in the demo data: {hhmm!r}")
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


def berlin_datetime(value: str) -> dt.datetime:
    """A "YYYY-MM-DD HH:MM" of the data files in Berlin time."""
    day, hhmm = value.split(" ")
    return berlin_time(dt.date.fromisoformat(day), hhmm)

"""How an edit conflict is shown: which stored values differ from what the person typed."""

from datetime import date
from decimal import Decimal

from django.utils import formats

from ..models import DiversityDimension


def display(value) -> str:
    """A stored or typed value as the person reads it (dimension labels, local numbers, dates)."""
    if value in (None, ""):
        return ""
    if isinstance(value, list | tuple):
        labels = dict(DiversityDimension.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize() if value == value.to_integral() else value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)

"""{{ value|localformat:"EVENT_WEEKDAY_DATETIME_FORMAT" }}: a date in one of the platform's own
named formats, as the active language writes it (the format modules of FORMAT_MODULE_PATH,
config/formats/<language>/formats.py). Django's `date` filter knows only its own names
(DATE_FORMAT and the like); those work here too."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import formats, translation

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def localformat(value, name: str) -> str:
    for module in formats.iter_format_modules(translation.get_language() or "en"):
        found = getattr(module, name, None)
        if isinstance(found, str):
            return date_filter(value, found)
    return date_filter(value, name)

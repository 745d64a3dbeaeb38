"""English dates and times the way our readers in Europe write them (en-GB style): day-month-year
and 24-hour times, never the US month-first order or a.m./p.m. (FORMAT_MODULE_PATH in
config/settings/base.py; Django's own English formats are American).

The *_EVENT_* names are the platform's own (core.templatetags.dates.localformat), with their
German counterparts in config/formats/de/formats.py."""

DATE_FORMAT = "j F Y"  # 25 October 2006
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 25 October 2006, 14:30
YEAR_MONTH_FORMAT = "F Y"  # October 2006
MONTH_DAY_FORMAT = "j F"  # 25 October
SHORT_DATE_FORMAT = "d/m/Y"  # 25/10/2006
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 25/10/2006 14:30
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first (what date and datetime-local inputs send), then day-month-year; never month-first
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# the platform's own names
EVENT_DATETIME_FORMAT = "j F Y, H:i"  # 25 October 2006, 14:30
EVENT_WEEKDAY_DATETIME_FORMAT = "l, j F Y, H:i"  # Wednesday, 25 October 2006, 14:30
EVENT_SHORT_WEEKDAY_DATE_FORMAT = "D, j M Y"  # Wed, 25 Oct 2006
EVENT_SHORT_DAY_FORMAT = "j M"  # 25 Oct

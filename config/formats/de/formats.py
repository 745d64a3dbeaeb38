"""German keeps Django's formats; only the platform's own names are defined here (see
config/formats/en/formats.py and core.templatetags.dates.localformat)."""

EVENT_DATETIME_FORMAT = "j. F Y, H:i"  # 25. Oktober 2006, 14:30
EVENT_WEEKDAY_DATETIME_FORMAT = "l, j. F Y, H:i"  # Mittwoch, 25. Oktober 2006, 14:30
EVENT_SHORT_WEEKDAY_DATE_FORMAT = "D, j. N Y"  # Mi, 25. Okt. 2006
EVENT_SHORT_DAY_FORMAT = "j. N"  # 25. Okt.

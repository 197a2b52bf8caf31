"""Dates as people write them: "5 dec.", "5 dec. 2026" (nl-BE), "5 Dec", "5 Dec 2026" (en).

Django's "M" format gives "Dec" in Dutch too, and its "N" drops the period; Dutch writes month
abbreviations in lower case with a period, except "mei" (too short to shorten).
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import pgettext_lazy

MONTH_ABBREVIATIONS = [
    pgettext_lazy("abbreviated month", "jan."),
    pgettext_lazy("abbreviated month", "feb."),
    pgettext_lazy("abbreviated month", "mrt."),
    pgettext_lazy("abbreviated month", "apr."),
    pgettext_lazy("abbreviated month", "mei"),
    pgettext_lazy("abbreviated month", "jun."),
    pgettext_lazy("abbreviated month", "jul."),
    pgettext_lazy("abbreviated month", "aug."),
    pgettext_lazy("abbreviated month", "sep."),
    pgettext_lazy("abbreviated month", "okt."),
    pgettext_lazy("abbreviated month", "nov."),
    pgettext_lazy("abbreviated month", "dec."),
]


def month_abbreviation(month: int) -> str:
    """The abbreviated name of `month` (1-12) in the active language."""
    return str(MONTH_ABBREVIATIONS[month - 1])


def short_date(value: date | datetime | None, with_year: bool = False) -> str:
    """'5 dec.' or, with the year, '5 dec. 2026'; '' for None. A datetime gives its day in the
    current time zone (an activity at 0:30 on 5 December in Brussels is stored as 4 December
    in UTC), as Django's `date` filter does."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = f"{value.day} {month_abbreviation(value.month)}"
    return f"{text} {value.year}" if with_year else text

"""Day and month names as Django's `|date` filter writes them ("Mon", "Nov"), translated once
per language: pages that write dozens of dated rows in Python format them from these."""

from __future__ import annotations

import datetime as dt
import functools

from django.utils import timezone, translation
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR


@functools.cache
def _names(language: str) -> tuple[list[str], list[str]]:
    with translation.override(language):
        months = ["", *(str(MONTHS_3[month]).title() for month in range(1, 13))]
        return months, [str(WEEKDAYS_ABBR[day]) for day in range(7)]


def month_abbr(month: int) -> str:
    """The month as `|date:"M"` writes it: "Nov"."""
    return _names(translation.get_language())[0][month]


def weekday_abbr(day: dt.date) -> str:
    """The day of the week as `|date:"D"` writes it: "Mon"."""
    return _names(translation.get_language())[1][day.weekday()]


def month_day(value: dt.datetime) -> str:
    """`value|date:"M j"` in the current time zone: "Nov 6"."""
    local = timezone.localtime(value)
    return f"{month_abbr(local.month)} {local.day}"


def iso_stamp(local: dt.datetime) -> str:
    """An aware moment as `|date:"Y-m-d\\TH:i:sO"` writes it: "2026-11-06T22:30:00+0100" (the
    offset in whole minutes, as Django gives it)."""
    seconds = int(local.utcoffset().total_seconds())  # type: ignore[union-attr]
    sign = "-" if seconds < 0 else "+"
    offset = f"{sign}{abs(seconds) // 3600:02d}{abs(seconds) // 60 % 60:02d}"
    return f"{local:%Y-%m-%dT%H:%M:%S}{offset}"

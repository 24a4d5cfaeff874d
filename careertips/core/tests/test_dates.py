"""Names and stamps written in Python must read exactly as Django's `|date` filter writes
them, in any time zone and language."""

import datetime as dt
import zoneinfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from careertips.core.dates import iso_stamp, month_abbr, month_day, weekday_abbr

MOMENTS = [
    dt.datetime(2026, 11, 5, 22, 30, 9, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),  # the hour clocks change in Europe
    dt.datetime(1880, 6, 1, 12, 0, tzinfo=dt.UTC),  # local mean time: an offset in seconds
]
ZONES = ["UTC", "Europe/Amsterdam", "Asia/Kathmandu", "America/St_Johns"]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_writes_what_the_date_filter_writes(zone, moment, language):
    with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override(language):
        local = timezone.localtime(moment)
        assert iso_stamp(local) == date_filter(local, "Y-m-d\\TH:i:sO")
        assert month_abbr(local.month) == date_filter(local, "M")
        assert weekday_abbr(local) == date_filter(local, "D")
        assert month_day(moment) == date_filter(local, "M j")

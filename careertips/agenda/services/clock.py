"""The member's own calendar: their today, their day boundaries, their week."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from careertips.core.models import User


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """Midnight at the start of `day` in `zone`, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


@dataclass(frozen=True)
class Clock:
    """'Now' as one member sees it; every date in Today is a date in their time zone."""

    now: dt.datetime
    zone: dt.tzinfo

    @classmethod
    def for_user(cls, user: User, now: dt.datetime | None = None) -> Clock:
        return cls(now=now or timezone.now(), zone=zone_of(user))

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.zone).date()

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def start_of(self, day: dt.date) -> dt.datetime:
        return day_start(day, self.zone)

    @property
    def week_start(self) -> dt.date:
        """Monday of the current week."""
        return self.today - dt.timedelta(days=self.today.weekday())

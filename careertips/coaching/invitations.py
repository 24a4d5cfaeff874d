"""A coaching session as iCalendar: the invitation's .ics and the event in the member's feed
share one UID, so a calendar holds the session once."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from careertips.coaching.models import CoachingSession


def session_event(session: CoachingSession, *, stamp: dt.datetime, host: str) -> Any:
    """The session as an iCalendar event: the same UID in the invitation and in the feed,
    so a calendar holds it once."""
    event = icalendar.Event()
    event.add("uid", f"coaching-session-{session.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("duration", dt.timedelta(minutes=session.duration_minutes))
    event.add("summary", f"Coaching session with {session.coach_name}")
    if session.place:
        event.add("location", session.place)
    if session.video_url:
        event.add("url", session.video_url)
    event.add("description", f"Career Tips coaching session. {session.where}".strip())
    return event


def invitation_ics(session: CoachingSession) -> bytes:
    """A METHOD:REQUEST calendar with the one session, for the invitation email."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Career Tips//Coaching//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    host = urlsplit(settings.SITE_URL).hostname or "careertips.local"
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    cal.add_component(session_event(session, stamp=stamp, host=host))
    return cal.to_ical()

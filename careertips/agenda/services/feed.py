"""The private calendar feed: interviews, events and due items as iCalendar at a secret URL."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from careertips.agenda.models import AgendaSettings, ItemKind
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import Item, event_url, opportunity_url
from careertips.agenda.services.lines import expected_prefetch
from careertips.agenda.services.people import people_at, people_met_through
from careertips.agenda.services.sources import EXPANDED_LIMIT, OPEN_STAGES
from careertips.agenda.services.today import build_agenda
from careertips.coaching.invitations import session_event
from careertips.coaching.services.sessions import feed_sessions
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.network.models import Event
from careertips.pipeline.models import Interview

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{40,64}")
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 180
FEED_LIMIT = 500
DEFAULT_EVENT_LENGTH = dt.timedelta(hours=1)
# Interviews and events go in as timed events of their own; everything else as all-day items.
TIMED_KINDS = {ItemKind.INTERVIEW, ItemKind.EVENT, ItemKind.SESSION}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_agenda_settings(owner: User) -> AgendaSettings:
    """The member's settings row, made on first use; for changing it."""
    found, _ = AgendaSettings.objects.get_or_create(owner=owner)
    return found


# The member's settings row, compiled once per process (core.prepared): Today reads it.
_SETTINGS = Prepared(
    lambda owner: AgendaSettings.objects.filter(owner_id=owner).order_by("pk")[:1], owner=int
)


def agenda_settings_of(owner: User) -> AgendaSettings:
    """The member's settings for reading: the defaults, unsaved, until they change one."""
    found = _SETTINGS.instances(owner=owner.pk)
    return found[0] if found else AgendaSettings(owner=owner)


@transaction.atomic
def regenerate_calendar_token(*, owner: User) -> str:
    """A new secret feed URL token; the old one stops working at once. Only its hash is kept."""
    prefs = AgendaSettings.objects.select_for_update().get(pk=get_agenda_settings(owner).pk)
    token = secrets.token_urlsafe(32)
    prefs.calendar_token_hash = hash_token(token)
    prefs.calendar_token_created_at = timezone.now()
    prefs.save(update_fields=["calendar_token_hash", "calendar_token_created_at", "updated_at"])
    return token


@transaction.atomic
def turn_off_calendar(*, owner: User) -> None:
    prefs = get_agenda_settings(owner)
    prefs.calendar_token_hash = ""
    prefs.calendar_token_created_at = None
    prefs.save(update_fields=["calendar_token_hash", "calendar_token_created_at", "updated_at"])


def owner_of_calendar_token(token: str) -> User | None:
    """The member whose feed this is; None for anything else. The lookup is by hash, so a
    guess that shares a prefix with a real token is no closer than any other guess."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    found = (
        AgendaSettings.objects.select_related("owner")
        .filter(calendar_token_hash=hash_token(token), owner__is_active=True)
        .first()
    )
    return found.owner if found else None


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "careertips.local"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _sentence(text: str) -> str:
    """Ends with one full stop, even after a name like "Acme Co."."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _interview_event(interview: Interview, stamp: dt.datetime) -> icalendar.Event:
    opp = interview.opportunity
    names = ", ".join(c.name for c in interview.interviewers.all())
    lines = [_sentence(f"{interview.get_kind_display()} interview for {opp} ")]
    if names:
        lines.append(f"With {names}.")
    if interview.prep_notes.strip():
        lines += ["", "Preparation notes:", interview.prep_notes.strip()]
    lines += ["", _absolute(opportunity_url(opp.pk))]
    event = icalendar.Event()
    event.add("uid", f"interview-{interview.pk}@{_site_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", interview.scheduled_at.astimezone(dt.UTC))
    event.add("duration", dt.timedelta(minutes=interview.duration_minutes))
    event.add("summary", f"Interview: {opp.title} at {opp.organization}")
    event.add("description", "\n".join(lines))
    event.add("url", _absolute(opportunity_url(opp.pk)))
    return event


def _network_event(row: Event, people: list[str], stamp: dt.datetime) -> icalendar.Event:
    lines = [f"Reconnect there with {', '.join(people)}."] if people else []
    if row.notes.strip():
        lines += ["", row.notes.strip()]
    lines += ["", _absolute(event_url(row.pk))]
    event = icalendar.Event()
    event.add("uid", f"event-{row.pk}@{_site_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", row.starts_at.astimezone(dt.UTC))
    event.add("dtend", (row.ends_at or row.starts_at + DEFAULT_EVENT_LENGTH).astimezone(dt.UTC))
    event.add("summary", row.name)
    event.add("description", "\n".join(lines))
    if row.place:
        event.add("location", row.place)
    event.add("url", _absolute(event_url(row.pk)))
    return event


def _due_item_event(item: Item, today: dt.date, stamp: dt.datetime) -> icalendar.Event:
    """An all-day entry on the day the item is due (today, for anything overdue)."""
    day = max(item.due, today)
    overdue = "Overdue: " if item.due < today else ""
    event = icalendar.Event()
    event.add("uid", f"{item.kind}-{item.object_id}@{_site_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", f"{overdue}{item.title}")
    event.add("description", f"{item.reason}\n\n{_absolute(item.url)}")
    event.add("transp", "TRANSPARENT")  # a reminder, not time taken
    event.add("categories", [item.kind_label])
    event.add("url", _absolute(item.url))
    return event


def _feed_interviews(owner: User, clock: Clock) -> Any:
    return (
        Interview.objects.filter(
            opportunity__owner=owner,
            opportunity__stage__in=OPEN_STAGES,
            scheduled_at__gte=clock.now - dt.timedelta(days=FEED_PAST_DAYS),
            scheduled_at__lt=clock.now + dt.timedelta(days=FEED_FUTURE_DAYS),
        )
        .select_related("opportunity__organization")
        .prefetch_related("interviewers")
        .order_by("scheduled_at", "id")[:FEED_LIMIT]
    )


def _feed_events(owner: User, clock: Clock) -> list[tuple[Event, list[str]]]:
    rows = list(
        Event.objects.upcoming(
            owner,
            clock.now - dt.timedelta(days=FEED_PAST_DAYS),
            clock.now + dt.timedelta(days=FEED_FUTURE_DAYS),
        ).prefetch_related(expected_prefetch())[:FEED_LIMIT]
    )
    met = people_met_through(owner, {row.organization_id for row in rows if row.organization_id})
    return [(row, people_at(row, met)) for row in rows]


def build_calendar(*, owner: User, clock: Clock | None = None) -> bytes:
    """The member's feed, every time in UTC."""
    clock = clock or Clock.for_user(owner)
    stamp = clock.now.astimezone(dt.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Career Tips//Today//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Career Tips")
    cal.add("x-published-ttl", "PT1H")
    for interview in _feed_interviews(owner, clock):
        cal.add_component(_interview_event(interview, stamp))
    for row, people in _feed_events(owner, clock):
        cal.add_component(_network_event(row, people, stamp))
    window = (
        clock.now - dt.timedelta(days=FEED_PAST_DAYS),
        clock.now + dt.timedelta(days=FEED_FUTURE_DAYS),
    )
    for session in feed_sessions(owner, start=window[0], end=window[1]):
        cal.add_component(session_event(session, stamp=stamp, host=_site_host()))
    agenda = build_agenda(owner=owner, clock=clock, limit=EXPANDED_LIMIT)
    for item in agenda.items:
        if item.kind not in TIMED_KINDS:
            cal.add_component(_due_item_event(item, agenda.today, stamp))
    return cal.to_ical()

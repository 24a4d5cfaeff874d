"""A contact's timeline: touchpoints, interviews, opportunities, debriefs and events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.safestring import SafeString, mark_safe

from careertips.core.links import pk_url
from careertips.network.models import Contact, TouchpointKind

PAGE_LIMIT = 100  # entries the contact page shows at first
LONG_LIMIT = 2_000  # when the member asks for the older ones too


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # touchpoint, interview, opportunity, debrief, event
    at: dt.datetime
    title: str
    detail: str = ""
    url: str = ""
    badge: str = ""
    delete_url: str = ""  # where a touchpoint is deleted; the other kinds are deleted elsewhere
    date_only: bool = False  # touchpoints and opportunities carry a day, not a time

    # What the page shows, worked out here: a long timeline is mostly the cost of its lines,
    # and a template filter per line costs several times the plain Python.
    @property
    def stamp(self) -> str:
        """The machine-readable moment, as `|date:"Y-m-d\\TH:i:sO"` writes it."""
        at = timezone.localtime(self.at)
        return (
            f"{at.year:04d}-{at.month:02d}-{at.day:02d}T"
            f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}{_offset(at)}"
        )

    @property
    def when(self) -> str:
        """As `|date:"D j M Y"` writes it, with `, H:i` when the entry has a time."""
        at = timezone.localtime(self.at)
        day = f"{WEEKDAYS_ABBR[at.weekday()]} {at.day} {MONTHS_3[at.month].title()} {at.year:04d}"
        return day if self.date_only else f"{day}, {at.hour:02d}:{at.minute:02d}"

    @property
    def delete_label(self) -> str:
        return f"Delete this {self.title.lower()}"


def render_lines(entries: list[TimelineEntry], *, csrf_input: str, next_url: str) -> SafeString:
    """The timeline's <li> lines, as a template loop would write them (the same HTML, to the
    whitespace) at a fraction of its cost per line: a timeline runs to hundreds. A
    touchpoint's line has a form to delete it, which posts the request's CSRF field
    (`csrf_input`, HTML) and comes back to `next_url`. Every other value is escaped."""
    back = escape(next_url)
    return mark_safe("".join(_line(entry, csrf_input, back) for entry in entries))  # noqa: S308


def _line(entry: TimelineEntry, csrf_input: str, back: str) -> str:
    title = escape(entry.title)
    if entry.url:
        title = f'<a href="{escape(entry.url)}">{title}</a>'
    else:
        title = f"<strong>{title}</strong>"
    badge = f'<span class="badge">{escape(entry.badge)}</span>' if entry.badge else ""
    detail = f'<div class="network-text">{escape(entry.detail)}</div>' if entry.detail else ""
    delete = ""
    if entry.delete_url:
        delete = f"""
                <form method="post" action="{escape(entry.delete_url)}" class="inline-form">
                  {csrf_input}<input type="hidden" name="next" value="{back}">
                  <button type="submit" class="linklike small" aria-label="{escape(entry.delete_label)}">Delete</button>
                </form>
              """  # noqa: E501
    return f"""
            <li class="kind-{escape(entry.kind)}">
              <time datetime="{entry.stamp}">{escape(entry.when)}</time>
              {title}
              {badge}
              {detail}
              {delete}
            </li>
          """


def _offset(at: dt.datetime) -> str:
    seconds = int(at.utcoffset().total_seconds())  # type: ignore[union-attr]
    sign = "-" if seconds < 0 else "+"
    return f"{sign}{abs(seconds) // 3600:02d}{abs(seconds) // 60 % 60:02d}"


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    truncated: bool


def contact_timeline(*, contact: Contact, limit: int = PAGE_LIMIT) -> Timeline:
    """Everything that happened with a contact, newest first, in a fixed number of queries."""
    entries = [
        *_touchpoint_entries(contact, limit),
        *_interview_entries(contact, limit),
        *_opportunity_entries(contact, limit),
        *_debrief_entries(contact, limit),
        *_event_entries(contact, limit),
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return Timeline(entries=entries[:limit], truncated=len(entries) > limit)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _url(obj: Any) -> str:
    get = getattr(obj, "get_absolute_url", None)
    return get() if get else ""


# Each source reads only the columns its line shows: a long timeline is mostly the cost of
# filling model instances, and wide rows (descriptions, notes) multiply it.
def _touchpoint_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    # Plain tuples: the touchpoints are most of a long timeline, and a row each costs far
    # less than the three model instances a joined row would fill.
    rows = contact.touchpoints.order_by("-happened_on", "-id").values_list(
        "pk", "kind", "happened_on", "note", "event__name", "opportunity__title"
    )[: limit + 1]
    kinds = dict(TouchpointKind.choices)
    return [
        TimelineEntry(
            "touchpoint",
            _noon(happened_on),
            str(kinds.get(kind, kind))
            + (f" at {event}" if event is not None else "")
            + (f" about {opportunity}" if opportunity is not None else ""),
            note,
            delete_url=pk_url("network:touchpoint-delete", pk),
            date_only=True,
        )
        for pk, kind, happened_on, note, event, opportunity in rows
    ]


def _interview_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    rows = (
        contact.interviews.filter(opportunity__owner_id=contact.owner_id)  # type: ignore[attr-defined]
        .select_related("opportunity__organization")
        .only("kind", "scheduled_at", "opportunity__title", "opportunity__organization__name")
        .order_by("-scheduled_at")[: limit + 1]
    )
    return [
        TimelineEntry(
            "interview",
            i.scheduled_at,
            f"{i.get_kind_display()} interview: {i.opportunity.title} at "
            f"{i.opportunity.organization}",
            url=_url(i.opportunity),
            badge="Upcoming" if not i.is_past else "",
        )
        for i in rows
    ]


def _opportunity_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    rows = (
        contact.managed_opportunities.filter(owner_id=contact.owner_id)  # type: ignore[attr-defined]
        .select_related("organization")
        .only("title", "found_on", "stage", "organization__name")
        .order_by("-found_on")[: limit + 1]
    )
    return [
        TimelineEntry(
            "opportunity",
            _noon(o.found_on),
            f"Hiring manager for {o.title} at {o.organization}",
            url=_url(o),
            badge=o.get_stage_display(),
            date_only=True,
        )
        for o in rows
    ]


def _debrief_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    rows = (
        contact.debriefs.filter(owner_id=contact.owner_id)  # type: ignore[attr-defined]
        .select_related("opportunity__organization")
        .only(
            "status",
            "created_at",
            "closed_at",
            "dismissed_reason",
            "opportunity__title",
            "opportunity__organization__name",
        )
        .order_by("-created_at")[: limit + 1]
    )
    return [_debrief_entry(d) for d in rows]


def _debrief_entry(debrief: Any) -> TimelineEntry:
    opp = debrief.opportunity
    decision = f"the {opp.organization} decision ({opp.title})"
    if debrief.status == "closed":
        title, at = f"Kept in touch after {decision}", debrief.closed_at or debrief.created_at
    elif debrief.status == "dismissed":
        title, at = f"Debrief skipped after {decision}", debrief.closed_at or debrief.created_at
    else:
        title, at = f"Debrief call after {decision}", debrief.created_at
    detail = debrief.dismissed_reason if debrief.status == "dismissed" else ""
    return TimelineEntry(
        "debrief", at, title, detail, url=_url(debrief), badge=debrief.get_status_display()
    )


def _event_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    rows = (
        contact.attendances.select_related("event")  # type: ignore[attr-defined]
        .only("status", "event__name", "event__starts_at", "event__place")
        .order_by("-event__starts_at")[: limit + 1]
    )
    return [
        TimelineEntry(
            "event",
            a.event.starts_at,
            ("Met at " if a.status == "met" else "Expected at ") + a.event.name,
            a.event.place,
            url=a.event.get_absolute_url(),
            badge=a.get_status_display(),
        )
        for a in rows
    ]

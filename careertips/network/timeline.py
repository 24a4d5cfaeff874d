"""A contact's timeline: touchpoints, interviews, opportunities, debriefs and events."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from careertips.core.dates import iso_stamp, month_abbr, weekday_abbr
from careertips.core.links import pk_url
from careertips.core.prepared import Prepared
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
        return iso_stamp(timezone.localtime(self.at))

    @property
    def when(self) -> str:
        """As `|date:"D j M Y"` writes it, with `, H:i` when the entry has a time."""
        at = timezone.localtime(self.at)
        day = f"{weekday_abbr(at)} {at.day} {month_abbr(at.month)} {at.year:04d}"
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


# Each source reads only the columns its line shows, as plain tuples from SQL compiled once
# per limit (core.prepared): a long timeline is mostly the cost of its rows, and a short one
# the cost of building five querysets. The rows a contact is named on are found by the
# contact's index; their owner is checked in Python (the member's own are all there are),
# since asked in SQL it would lead SQLite to the owner's index and through all their rows.
@functools.cache
def _queries(limit: int) -> dict[str, Prepared]:
    from careertips.debriefs.models import Debrief
    from careertips.network.models import EventAttendance, Touchpoint
    from careertips.pipeline.models import Interview, Opportunity

    return {
        "touchpoints": Prepared(
            lambda contact: (
                Touchpoint.objects.filter(contact_id=contact)
                .order_by("-happened_on", "-id")
                .values_list(
                    "pk", "kind", "happened_on", "note", "event__name", "opportunity__title"
                )[: limit + 1]
            ),
            contact=int,
        ),
        "interviews": Prepared(
            lambda contact, owner: (
                Interview.objects.filter(interviewers=contact, opportunity__owner_id=owner)
                .order_by("-scheduled_at")
                .values_list(
                    "kind",
                    "scheduled_at",
                    "opportunity_id",
                    "opportunity__title",
                    "opportunity__organization__name",
                )[: limit + 1]
            ),
            contact=int,
            owner=int,
        ),
        "opportunities": Prepared(
            lambda contact: (
                Opportunity.objects.filter(hiring_manager=contact)
                .order_by("-found_on")
                .values_list("owner_id", "pk", "title", "found_on", "stage", "organization__name")[
                    : limit + 1
                ]
            ),
            contact=int,
        ),
        "debriefs": Prepared(
            lambda contact: (
                Debrief.objects.filter(contact=contact)
                .order_by("-created_at")
                .values_list(
                    "owner_id",
                    "pk",
                    "status",
                    "created_at",
                    "closed_at",
                    "dismissed_reason",
                    "opportunity__title",
                    "opportunity__organization__name",
                )[: limit + 1]
            ),
            contact=int,
        ),
        "events": Prepared(
            lambda contact: (
                EventAttendance.objects.filter(contact=contact)
                .order_by("-event__starts_at")
                .values_list(
                    "status", "event_id", "event__name", "event__starts_at", "event__place"
                )[: limit + 1]
            ),
            contact=int,
        ),
    }


def _touchpoint_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    rows = _queries(limit)["touchpoints"](contact=contact.pk)
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
    from careertips.pipeline.models import Interview

    rows = _queries(limit)["interviews"](contact=contact.pk, owner=contact.owner_id)
    kinds = dict(Interview.Kind.choices)
    now = timezone.now()
    return [
        TimelineEntry(
            "interview",
            scheduled_at,
            f"{kinds.get(kind, kind)} interview: {title} at {organization}",
            url=pk_url("pipeline:detail", opportunity),
            badge="Upcoming" if scheduled_at >= now else "",
        )
        for kind, scheduled_at, opportunity, title, organization in rows
    ]


def _opportunity_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    from careertips.pipeline.models import Stage

    rows = _queries(limit)["opportunities"](contact=contact.pk)
    stages = dict(Stage.choices)
    return [
        TimelineEntry(
            "opportunity",
            _noon(found_on),
            f"Hiring manager for {title} at {organization}",
            url=pk_url("pipeline:detail", pk),
            badge=str(stages.get(stage, stage)),
            date_only=True,
        )
        for owner, pk, title, found_on, stage, organization in rows
        if owner == contact.owner_id
    ]


def _debrief_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    rows = _queries(limit)["debriefs"](contact=contact.pk)
    return [_debrief_entry(*row) for owner, *row in rows if owner == contact.owner_id]


def _debrief_entry(
    pk: int,
    status: str,
    created_at: dt.datetime,
    closed_at: dt.datetime | None,
    dismissed_reason: str,
    title: str,
    organization: str,
) -> TimelineEntry:
    from careertips.debriefs.models import DebriefStatus

    decision = f"the {organization} decision ({title})"
    if status == "closed":
        text, at = f"Kept in touch after {decision}", closed_at or created_at
    elif status == "dismissed":
        text, at = f"Debrief skipped after {decision}", closed_at or created_at
    else:
        text, at = f"Debrief call after {decision}", created_at
    detail = dismissed_reason if status == "dismissed" else ""
    badge = str(dict(DebriefStatus.choices).get(status, status))
    return TimelineEntry(
        "debrief", at, text, detail, url=pk_url("debriefs:detail", pk), badge=badge
    )


def _event_entries(contact: Contact, limit: int) -> list[TimelineEntry]:
    from careertips.network.models import AttendanceStatus

    rows = _queries(limit)["events"](contact=contact.pk)
    statuses = dict(AttendanceStatus.choices)
    return [
        TimelineEntry(
            "event",
            starts_at,
            ("Met at " if status == "met" else "Expected at ") + name,
            place,
            url=pk_url("network:event", event),
            badge=str(statuses.get(status, status)),
        )
        for status, event, name, starts_at, place in rows
    ]

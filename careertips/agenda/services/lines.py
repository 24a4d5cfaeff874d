"""Today's lines for the rows it shows: the second of a source's two steps (sources.py).

Each kind's rows are read by primary key, as plain values, through queries compiled once per
number of rows (core/prepared.py: a page shows at most GROUP_LIMIT of each group), and written
by the kind's `*_line` builder (items.py). The item's own page writes the same line from the
model (`agenda/tests/test_lines.py` checks that the two agree for every kind). The prefetches
at the end give the same people and employers where rows are read as model instances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Max, Prefetch, QuerySet

from careertips.agenda.services import items as build
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import Item
from careertips.agenda.services.people import people_met_through, people_named
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs.models import CallAttempt, CallOutcome, Debrief, ImprovementAction, Theme
from careertips.network.models import Contact, Event, EventAttendance, Touchpoint
from careertips.offers.models import Offer
from careertips.pipeline.models import Interview, Opportunity
from careertips.stories.models import Milestone

# What a line names of an opportunity (its title at its employer).
OPPORTUNITY_NAME = ("opportunity", "opportunity__title", "opportunity__organization__name")


# What each kind's lines read of the rows on the page, by primary key, compiled once per
# number of rows (core/prepared.py): a page shows at most GROUP_LIMIT of each group.
def _by_pk(build: Callable[[list[int]], QuerySet]) -> Prepared:
    return Prepared(build, pks=list)


_ACTIONS = _by_pk(
    lambda pks: ImprovementAction.objects.filter(pk__in=pks).values_list(
        "pk", "title", "due_on", "debrief_id", "debrief__opportunity__organization__name",
        "theme__theme",
    )
)  # fmt: skip
THEMES = {value: str(label) for value, label in Theme.choices}
_MILESTONES = _by_pk(
    lambda pks: Milestone.objects.filter(pk__in=pks).values_list(
        "pk", "title", "due_on", "goal_id", "goal__title"
    )
)
_OFFERS = _by_pk(
    lambda pks: Offer.objects.filter(pk__in=pks).values_list(
        "pk", "decision_deadline", *OPPORTUNITY_NAME
    )
)
_FOLLOW_UPS = _by_pk(
    lambda pks: Opportunity.objects.filter(pk__in=pks).values_list(
        "pk", "title", "organization__name", "applied_on", "found_on", "followed_up_on"
    )
)
_INTERVIEWS = _by_pk(
    lambda pks: Interview.objects.filter(pk__in=pks).values_list(
        "pk", "kind", "scheduled_at", "prep_notes", *OPPORTUNITY_NAME
    )
)
INTERVIEW_KINDS = {value: str(label) for value, label in Interview.Kind.choices}
# Each interview's interviewers, in the order of the interview's own list (by name).
_INTERVIEWERS = _by_pk(
    lambda pks: (
        Interview.interviewers.through.objects.filter(interview__in=pks)
        .order_by("contact__name")
        .values_list("interview_id", "contact__name")
    )
)
_TOUCHES = _by_pk(
    lambda pks: Contact.objects.filter(pk__in=pks).values_list(
        "pk", "name", "organization__name", "next_touch_on", "next_touch_note"
    )
)
# The employers of each contact's closed debriefs, newest first (closed_debriefs_prefetch).
_CLOSED_WITH = _by_pk(
    lambda pks: (
        Debrief.objects.filter(contact__in=pks, status=Debrief.Status.CLOSED)
        .order_by("contact_id", "-closed_at", "-id")
        .values_list("contact_id", "opportunity__organization__name")
    )
)
_LAST_TOUCHED = _by_pk(
    lambda pks: (
        Touchpoint.objects.filter(contact__in=pks)
        .order_by()
        .values("contact_id")
        .annotate(last=Max("happened_on"))
        .values_list("contact_id", "last")
    )
)
_EVENTS = _by_pk(
    lambda pks: Event.objects.filter(pk__in=pks).values_list(
        "pk", "name", "starts_at", "organization_id", "organization__name"
    )
)
# The contacts each event expects, as expected_prefetch gives them.
_EXPECTED = _by_pk(
    lambda pks: EventAttendance.objects.filter(
        event__in=pks, status=EventAttendance.Status.EXPECTED
    ).values_list("event_id", "contact__name")
)
_DEBRIEFS = _by_pk(
    lambda pks: Debrief.objects.filter(pk__in=pks).values_list(
        "pk", "call_by", "feedback_recorded_at", "contact__name", *OPPORTUNITY_NAME[1:]
    )
)
_ATTEMPTS = _by_pk(
    lambda pks: (
        CallAttempt.objects.filter(debrief__in=pks)
        .order_by()
        .values_list("debrief_id", "attempted_at", "outcome")
    )
)


def action_lines(pks: list[int]) -> Iterable[Item]:
    """Improvement actions."""
    return (
        build.action_line(
            pk=pk, title=title, due_on=due_on, debrief_id=debrief_id, employer=employer,
            theme=THEMES.get(theme, theme) if theme else "",
        )
        for pk, title, due_on, debrief_id, employer, theme in _ACTIONS(pks=pks)
    )  # fmt: skip


def milestone_lines(pks: list[int]) -> Iterable[Item]:
    """Career goal milestones."""
    return (
        build.milestone_line(pk=pk, title=title, due_on=due_on, goal_id=goal, goal_title=goal_title)
        for pk, title, due_on, goal, goal_title in _MILESTONES(pks=pks)
    )


def offer_lines(pks: list[int]) -> Iterable[Item]:
    """Offers waiting for an answer."""
    return (
        build.offer_line(pk=pk, deadline=deadline, opportunity_id=opp, role=role, employer=employer)
        for pk, deadline, opp, role, employer in _OFFERS(pks=pks)
    )


def follow_up_lines(pks: list[int], *, days: int) -> Iterable[Item]:
    """Applications due a follow-up `days` after the last contact."""
    return (
        build.follow_up_line(
            pk=pk, role=role, employer=employer, applied_on=applied_on, found_on=found_on,
            followed_up_on=followed_up_on, days=days,
        )
        for pk, role, employer, applied_on, found_on, followed_up_on in _FOLLOW_UPS(pks=pks)
    )  # fmt: skip


def interview_lines(pks: list[int], *, clock: Clock) -> Iterable[Item]:
    """Interviews to come, with their interviewers."""
    interviewers: dict[int, list[str]] = {}
    for interview, name in _INTERVIEWERS(pks=pks):
        interviewers.setdefault(interview, []).append(name)
    return (
        build.interview_line(
            pk=pk, kind=INTERVIEW_KINDS.get(kind, kind), scheduled_at=at, prep_notes=notes,
            opportunity_id=opp, role=role, employer=employer,
            interviewers=interviewers.get(pk, []), clock=clock,
        )
        for pk, kind, at, notes, opp, role, employer in _INTERVIEWS(pks=pks)
    )  # fmt: skip


def interview_thanks_lines(pks: list[int], *, clock: Clock) -> Iterable[Item]:
    """Thank-you notes after interviews."""
    return (
        build.interview_thanks_line(
            pk=pk, scheduled_at=at, opportunity_id=opp, role=role, employer=employer,
            clock=clock,
        )
        for pk, _kind, at, _notes, opp, role, employer in _INTERVIEWS(pks=pks)
    )  # fmt: skip


def touch_lines(pks: list[int], *, today: dt.date) -> Iterable[Item]:
    """Network touches, with the last touch or the debrief that put the contact there."""
    closed_with: dict[int, str] = {}
    for contact, employer in _CLOSED_WITH(pks=pks):
        closed_with.setdefault(contact, employer)  # the newest comes first
    last = dict(_LAST_TOUCHED(pks=pks))
    return (
        build.touch_line(
            pk=pk, name=name, organization=organization, next_touch_on=on,
            next_touch_note=note, closed_with=closed_with.get(pk),
            last_touched=last.get(pk), today=today,
        )
        for pk, name, organization, on, note in _TOUCHES(pks=pks)
    )  # fmt: skip


def event_lines(pks: list[int], *, owner: User, clock: Clock) -> Iterable[Item]:
    """Events, with the people the member may see there."""
    events = _EVENTS(pks=pks)
    expected: dict[int, list[str]] = {}
    for event, name in _EXPECTED(pks=pks):
        expected.setdefault(event, []).append(name)
    met = people_met_through(owner, {org for _, _, _, org, _ in events if org})
    return (
        build.event_line(
            pk=pk, name=name, host=host, starts_at=starts_at, clock=clock,
            people=people_named(expected.get(pk, []), met.get(org, []) if org else []),
        )
        for pk, name, starts_at, org, host in events
    )  # fmt: skip


@dataclass(frozen=True)
class DebriefRow:
    """What a debrief's lines read of it and of its call attempts."""

    pk: int
    call_by: dt.date
    feedback_recorded_at: dt.datetime | None
    contact_name: str | None
    role: str
    employer: str
    attempts: list[tuple[dt.datetime, str]]  # (when, outcome)


def _debriefs(pks: list[int]) -> Iterable[DebriefRow]:
    attempts: dict[int, list[tuple[dt.datetime, str]]] = {}
    for debrief, at, outcome in _ATTEMPTS(pks=pks):
        attempts.setdefault(debrief, []).append((at, outcome))
    for pk, call_by, feedback, contact, role, employer in _DEBRIEFS(pks=pks):
        yield DebriefRow(pk, call_by, feedback, contact, role, employer, attempts.get(pk, []))


def _call_line(row: DebriefRow) -> Item:
    return build.call_line(
        pk=row.pk, call_by=row.call_by, contact_name=row.contact_name, role=row.role,
        employer=row.employer, tries=len(row.attempts),
    )  # fmt: skip


def _debrief_thanks_line(row: DebriefRow, clock: Clock) -> Item:
    moments = [at for at, _ in row.attempts]
    if row.feedback_recorded_at:
        moments.append(row.feedback_recorded_at)
    return build.debrief_thanks_line(
        pk=row.pk, call_by=row.call_by, ended=max(moments) if moments else None,
        contact_name=row.contact_name, opportunity=f"{row.role} at {row.employer}",
        reached=CallOutcome.REACHED in (outcome for _, outcome in row.attempts), clock=clock,
    )  # fmt: skip


def call_lines(pks: list[int]) -> Iterable[Item]:
    """Calls to make after a "no"."""
    return (_call_line(row) for row in _debriefs(pks))


def debrief_thanks_lines(pks: list[int], *, clock: Clock) -> Iterable[Item]:
    """Thank-you notes once the call is over."""
    return (_debrief_thanks_line(row, clock) for row in _debriefs(pks))


def closed_debriefs_prefetch() -> Prefetch:
    """The closed debriefs that put a contact in the network, newest first."""
    return Prefetch(
        "debriefs",
        queryset=Debrief.objects.filter(status=Debrief.Status.CLOSED)
        .select_related("opportunity__organization")
        .order_by("-closed_at", "-id"),
        to_attr="closed_debriefs",
    )


def expected_prefetch() -> Prefetch:
    """The contacts the member expects to see at each event."""
    expected = (
        EventAttendance.objects.filter(status=EventAttendance.Status.EXPECTED)
        .select_related("contact")
        .only("event", "contact__name")
    )
    return Prefetch("attendances", queryset=expected, to_attr="expected")

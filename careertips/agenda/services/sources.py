"""Where Today's items come from: one source per kind of item, each read in two steps.

First a light query per source returns, for each group (overdue, today, coming up), at most
GROUP_LIMIT ids with their due dates, plus a window count of the whole group. Today then picks
the items it will show across all sources, and only those rows are loaded in full. Every
query is bounded, so the page costs the same for five contacts as for five thousand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest

from careertips.agenda.models import ItemKind, Snooze
from careertips.agenda.services import items as build
from careertips.agenda.services import ranked
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import HORIZON_DAYS, KIND_ORDER, Item
from careertips.agenda.services.people import people_met_through, people_named
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs.models import (
    MAX_UNANSWERED_ATTEMPTS,
    CallAttempt,
    CallOutcome,
    Debrief,
    ImprovementAction,
    Theme,
)
from careertips.network.models import Contact, Event, EventAttendance, Touchpoint
from careertips.offers.models import Offer
from careertips.pipeline.models import (
    ACTIVE_STAGES,
    Interview,
    Opportunity,
    Stage,
)
from careertips.stories.models import Milestone

GROUP_LIMIT = 10  # items of each group on the page; "show more" opens a group further
EXPANDED_LIMIT = 200
OPEN_STAGES = [*ACTIVE_STAGES, Stage.NO_RESPONSE]
# What a line names of an opportunity (its title at its employer): all a list reads of it,
# which also spares compiling and filling dozens of unused columns per row.
OPPORTUNITY_NAME = ("opportunity", "opportunity__title", "opportunity__organization__name")
KIND_RANK: dict[str, int] = {kind: rank for rank, kind in enumerate(KIND_ORDER)}


@dataclass(frozen=True)
class Key:
    """An item before it is loaded: enough to place it in its group and order it."""

    kind: str
    pk: int
    bucket: int
    due: dt.date
    at: dt.datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    def sort_key(self) -> tuple:
        at = self.at.timestamp() if self.at else 0.0
        return (self.due, KIND_RANK[self.kind], at, self.pk)


class Values(SimpleNamespace):
    """What a source's query holds of the member and their day, each passed into a lookup as
    it is (never computed with): the query is compiled once per process with stand-ins for
    them (core/prepared.py). Only the values a source names are set; reading any other fails."""

    owner: int
    today: dt.date
    horizon: dt.date
    follow_up_cutoff: dt.date
    now: dt.datetime
    today_start: dt.datetime
    horizon_end: dt.datetime
    week_before: dt.datetime


VALUE_KINDS: dict[str, type] = {
    "owner": int, "today": dt.date, "horizon": dt.date, "follow_up_cutoff": dt.date,
    "now": dt.datetime, "today_start": dt.datetime, "horizon_end": dt.datetime,
    "week_before": dt.datetime,
}  # fmt: skip
SNOOZE_VALUES = ("owner", "today")


_SNOOZED_KINDS = Prepared(
    lambda owner, today: (
        Snooze.objects.active(today=today)
        .filter(owner_id=owner)
        .order_by()
        .values_list("kind")
        .distinct()
    ),
    owner=int,
    today=dt.date,
)


@dataclass(frozen=True)
class Context:
    owner: User
    clock: Clock
    today: dt.date
    horizon: dt.date
    snoozed_kinds: frozenset[str]

    @classmethod
    def make(cls, owner: User, clock: Clock) -> Context:
        """One small query up front says which kinds have anything snoozed: most members
        snooze little, and a source with nothing snoozed skips the exclusion altogether."""
        today = clock.today
        kinds = frozenset(kind for (kind,) in _SNOOZED_KINDS(owner=owner.pk, today=today))
        return cls(owner, clock, today, today + dt.timedelta(days=HORIZON_DAYS), kinds)

    @property
    def tomorrow(self) -> dt.date:
        return self.today + dt.timedelta(days=1)

    @property
    def today_start(self) -> dt.datetime:
        return self.clock.start_of(self.today)

    @property
    def tomorrow_start(self) -> dt.datetime:
        return self.clock.start_of(self.today + dt.timedelta(days=1))

    @property
    def horizon_end(self) -> dt.datetime:
        return self.clock.start_of(self.horizon + dt.timedelta(days=1))

    @property
    def follow_up_cutoff(self) -> dt.date:
        """Applications last heard of on this day or before are due a follow-up."""
        return self.today - dt.timedelta(days=self.owner.follow_up_days)

    def values(self, names: Iterable[str]) -> dict[str, Any]:
        every: dict[str, Callable[[], Any]] = {
            "owner": lambda: self.owner.pk,
            "today": lambda: self.today,
            "horizon": lambda: self.horizon,
            "follow_up_cutoff": lambda: self.follow_up_cutoff,
            "now": lambda: self.clock.now,
            "today_start": lambda: self.today_start,
            "horizon_end": lambda: self.horizon_end,
            "week_before": lambda: self.today_start - dt.timedelta(days=HORIZON_DAYS),
        }
        return {name: every[name]() for name in names}

    def on_day(self, moment: dt.datetime) -> tuple[dt.date, dt.datetime]:
        return self.clock.local_date(moment), moment


def unsnoozed(rows: QuerySet, values: Values, kind: str) -> QuerySet:
    """`rows` without those of this kind snoozed past today (a subquery, no query)."""
    snoozed = Snooze.objects.active(today=values.today).filter(owner_id=values.owner, kind=kind)
    return rows.exclude(pk__in=snoozed.values("object_id"))


# A source's query: the member's rows of its kind due within the week, from `Values` alone.
Rows = Callable[[Values], QuerySet]


@dataclass(frozen=True)
class Source:
    """One kind of item read from the database."""

    kind: str
    rows: Rows
    uses: tuple[str, ...]  # the Values that `rows` reads
    due_field: str
    # A row is overdue when its due_field is before `overdue_before`, due today when it is
    # before `today_before` (None: every row that isn't overdue is due today), else coming up.
    overdue_before: dt.date
    today_before: dt.date | None
    placed: Callable[[Any], tuple[dt.date, dt.datetime | None]]  # due_field -> due, time
    # Loads the chosen rows by primary key alone: the ids come from `rows`, which holds only
    # the member's own rows, and a lookup by key is the fastest a database does.
    load: Callable[[list[int]], Iterable[Item]]

    def keys(self, limits: dict[int, int], ctx: Context) -> tuple[list[Key], dict[int, int]]:
        """The first keys of each group (as many as `limits` says), and each group's count,
        in one query: window functions number the rows of each group and count them."""
        snoozed = self.kind in ctx.snoozed_kinds
        query = _keyed_query(self, snoozed)
        sql, params = query.statement(**ctx.values(query.kinds))
        wrapper, bounds = ranked.RANKED_IN_TWO, [self.overdue_before]
        if self.today_before is not None:
            wrapper, bounds = ranked.RANKED_IN_THREE, [self.overdue_before, self.today_before]
        keys, totals = [], {}
        limit = max(limits.values())
        for pk, group, value, rank, total in ranked.run(wrapper, sql, params, limit, bounds):
            totals[group] = total
            if rank <= limits[group]:
                due, at = self.placed(ranked.from_db(value))
                keys.append(Key(self.kind, pk, group, due, at))
        return keys, totals


_KEYED: dict[tuple[str, bool], Prepared] = {}


def _keyed_query(source: Source, snoozed: bool) -> Prepared:
    """Each row's key and due value, compiled once per kind (with or without snoozes)."""
    found = _KEYED.get((source.kind, snoozed))
    if found is None:
        rows, kind, due_field = source.rows, source.kind, source.due_field

        def build(**values: Any) -> QuerySet:
            given = Values(**values)
            keyed = unsnoozed(rows(given), given, kind) if snoozed else rows(given)
            return (
                keyed.annotate(agenda_pk=F("pk"), agenda_due=F(due_field))
                .order_by()
                .values_list("agenda_pk", "agenda_due")
            )

        uses = dict.fromkeys([*source.uses, *(SNOOZE_VALUES if snoozed else ())])
        found = Prepared(build, **{name: VALUE_KINDS[name] for name in uses})
        _KEYED[(source.kind, snoozed)] = found
    return found


def _dated(value: dt.date) -> tuple[dt.date, None]:
    return value, None


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


def _actions(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        return (
            build.action_line(
                pk=pk, title=title, due_on=due_on, debrief_id=debrief_id, employer=employer,
                theme=THEMES.get(theme, theme) if theme else "",
            )
            for pk, title, due_on, debrief_id, employer, theme in _ACTIONS(pks=pks)
        )  # fmt: skip

    return Source(
        kind=ItemKind.ACTION,
        rows=lambda v: ImprovementAction.objects.pending().filter(
            owner_id=v.owner, due_on__lte=v.horizon
        ),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="due_on",
        placed=_dated,
        load=load,
    )


def _milestones(ctx: Context) -> Source:
    """Career goal milestones (degrees, certifications, a target role) as their dates come."""

    def load(pks: list[int]) -> Iterable[Item]:
        return (
            build.milestone_line(
                pk=pk, title=title, due_on=due_on, goal_id=goal, goal_title=goal_title
            )
            for pk, title, due_on, goal, goal_title in _MILESTONES(pks=pks)
        )

    return Source(
        kind=ItemKind.MILESTONE,
        rows=lambda v: Milestone.objects.due_for(v.owner, v.horizon).order_by(),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="due_on",
        placed=_dated,
        load=load,
    )


def _offers(ctx: Context) -> Source:
    """Offers still to answer, by their decision deadline: only the current offer of an
    opportunity at the offer stage (a revised offer replaces the one before it)."""

    def load(pks: list[int]) -> Iterable[Item]:
        return (
            build.offer_line(
                pk=pk, deadline=deadline, opportunity_id=opp, role=role, employer=employer
            )
            for pk, deadline, opp, role, employer in _OFFERS(pks=pks)
        )

    return Source(
        kind=ItemKind.OFFER,
        rows=lambda v: (
            Offer.objects.filter(opportunity__owner_id=v.owner)
            .current()
            .filter(opportunity__stage=Stage.OFFER, decision_deadline__lte=v.horizon)
            .order_by()
        ),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="decision_deadline",
        placed=_dated,
        load=load,
    )


def _follow_ups(ctx: Context) -> Source:
    """Applications waiting for a reply; only once due, since each one repeats by design."""
    days, cutoff = ctx.owner.follow_up_days, ctx.follow_up_cutoff

    def load(pks: list[int]) -> Iterable[Item]:
        return (
            build.follow_up_line(
                pk=pk, role=role, employer=employer, applied_on=applied_on, found_on=found_on,
                followed_up_on=followed_up_on, days=days,
            )
            for pk, role, employer, applied_on, found_on, followed_up_on in _FOLLOW_UPS(pks=pks)
        )  # fmt: skip

    return Source(
        kind=ItemKind.FOLLOW_UP,
        rows=lambda v: (
            Opportunity.objects.awaiting_follow_up(cutoff=v.follow_up_cutoff)
            .filter(owner_id=v.owner)
            .annotate(last_contact=Greatest("applied_on", Coalesce("followed_up_on", "applied_on")))
        ),
        uses=("owner", "follow_up_cutoff"),
        overdue_before=cutoff,
        today_before=cutoff + dt.timedelta(days=1),
        due_field="last_contact",
        placed=lambda last: (last + dt.timedelta(days=days), None),
        load=load,
    )


def _interview_rows(values: Values) -> QuerySet:
    return Interview.objects.filter(
        opportunity__owner_id=values.owner, opportunity__stage__in=OPEN_STAGES
    )


def _interviews(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        interviewers: dict[int, list[str]] = {}
        for interview, name in _INTERVIEWERS(pks=pks):
            interviewers.setdefault(interview, []).append(name)
        return (
            build.interview_line(
                pk=pk, kind=INTERVIEW_KINDS.get(kind, kind), scheduled_at=at, prep_notes=notes,
                opportunity_id=opp, role=role, employer=employer,
                interviewers=interviewers.get(pk, []), clock=ctx.clock,
            )
            for pk, kind, at, notes, opp, role, employer in _INTERVIEWS(pks=pks)
        )  # fmt: skip

    return Source(
        kind=ItemKind.INTERVIEW,
        rows=lambda v: _interview_rows(v).filter(
            scheduled_at__gte=v.now, scheduled_at__lt=v.horizon_end
        ),
        uses=("owner", "now", "horizon_end"),
        overdue_before=ctx.today_start,
        today_before=ctx.tomorrow_start,
        due_field="scheduled_at",
        placed=ctx.on_day,
        load=load,
    )


def _interview_thanks(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        return (
            build.interview_thanks_line(
                pk=pk, scheduled_at=at, opportunity_id=opp, role=role, employer=employer,
                clock=ctx.clock,
            )
            for pk, _kind, at, _notes, opp, role, employer in _INTERVIEWS(pks=pks)
        )  # fmt: skip

    return Source(
        kind=ItemKind.INTERVIEW_THANKS,
        rows=lambda v: _interview_rows(v).filter(
            thank_you_sent_at__isnull=True, scheduled_at__lt=v.now, scheduled_at__gte=v.week_before
        ),
        uses=("owner", "now", "week_before"),
        overdue_before=ctx.today_start,
        today_before=None,
        due_field="scheduled_at",
        placed=ctx.on_day,
        load=load,
    )


def closed_debriefs_prefetch() -> Prefetch:
    """The closed debriefs that put a contact in the network, newest first."""
    return Prefetch(
        "debriefs",
        queryset=Debrief.objects.filter(status=Debrief.Status.CLOSED)
        .select_related("opportunity__organization")
        .order_by("-closed_at", "-id"),
        to_attr="closed_debriefs",
    )


def _touches(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        closed_with: dict[int, str] = {}
        for contact, employer in _CLOSED_WITH(pks=pks):
            closed_with.setdefault(contact, employer)  # the newest comes first
        last = dict(_LAST_TOUCHED(pks=pks))
        return (
            build.touch_line(
                pk=pk, name=name, organization=organization, next_touch_on=on,
                next_touch_note=note, closed_with=closed_with.get(pk),
                last_touched=last.get(pk), today=ctx.today,
            )
            for pk, name, organization, on, note in _TOUCHES(pks=pks)
        )  # fmt: skip

    return Source(
        kind=ItemKind.TOUCH,
        rows=lambda v: Contact.objects.touch_due(v.horizon).filter(owner_id=v.owner),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="next_touch_on",
        placed=_dated,
        load=load,
    )


def expected_prefetch() -> Prefetch:
    """The contacts the member expects to see at each event."""
    expected = (
        EventAttendance.objects.filter(status=EventAttendance.Status.EXPECTED)
        .select_related("contact")
        .only("event", "contact__name")
    )
    return Prefetch("attendances", queryset=expected, to_attr="expected")


def _events(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        events = _EVENTS(pks=pks)
        expected: dict[int, list[str]] = {}
        for event, name in _EXPECTED(pks=pks):
            expected.setdefault(event, []).append(name)
        met = people_met_through(ctx.owner, {org for _, _, _, org, _ in events if org})
        return (
            build.event_line(
                pk=pk, name=name, host=host, starts_at=starts_at, clock=ctx.clock,
                people=people_named(expected.get(pk, []), met.get(org, []) if org else []),
            )
            for pk, name, starts_at, org, host in events
        )  # fmt: skip

    return Source(
        kind=ItemKind.EVENT,
        rows=lambda v: Event.objects.filter(
            owner_id=v.owner, starts_at__gte=v.now, starts_at__lt=v.horizon_end
        ),
        uses=("owner", "now", "horizon_end"),
        overdue_before=ctx.today_start,
        today_before=ctx.tomorrow_start,
        due_field="starts_at",
        placed=ctx.on_day,
        load=load,
    )


def _debrief_rows(values: Values) -> QuerySet:
    """Open debriefs, with what Debrief.call_done reads from the attempts, in SQL."""
    attempts = CallAttempt.objects.filter(debrief=OuterRef("pk")).order_by()
    return (
        Debrief.objects.active()
        .filter(owner_id=values.owner)
        .annotate(
            agenda_conclusive=Exists(attempts.filter(outcome__in=CallAttempt.CONCLUSIVE)),
            agenda_last_try=Subquery(attempts.order_by("-attempted_at").values("attempted_at")[:1]),
        )
    )


def _call_over(values: Values) -> Q:
    """The call is over once someone answered or declined, after the last unanswered try, or
    when feedback came some other way (Debrief.call_done, and the debrief page, say the same).
    The debriefs out of tries are found once, in one grouped query of the member's attempts:
    counted per debrief, PostgreSQL read the whole attempts table again for every debrief."""
    out_of_tries = (
        CallAttempt.objects.filter(
            debrief__owner_id=values.owner, outcome__in=CallAttempt.UNANSWERED
        )
        .order_by()
        .values("debrief")
        .annotate(tries=Count("pk"))
        .filter(tries__gte=MAX_UNANSWERED_ATTEMPTS)
        .values("debrief")
    )
    return (
        Q(agenda_conclusive=True) | Q(pk__in=out_of_tries) | Q(feedback_recorded_at__isnull=False)
    )


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


def _load_debriefs(make: Callable[[DebriefRow], Item]) -> Callable[[list[int]], Iterable[Item]]:
    def load(pks: list[int]) -> Iterable[Item]:
        attempts: dict[int, list[tuple[dt.datetime, str]]] = {}
        for debrief, at, outcome in _ATTEMPTS(pks=pks):
            attempts.setdefault(debrief, []).append((at, outcome))
        return (
            make(DebriefRow(pk, call_by, feedback, contact, role, employer, attempts.get(pk, [])))
            for pk, call_by, feedback, contact, role, employer in _DEBRIEFS(pks=pks)
        )

    return load


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


def _calls(ctx: Context) -> Source:
    return Source(
        kind=ItemKind.CALL,
        rows=lambda v: _debrief_rows(v).exclude(_call_over(v)).filter(call_by__lte=v.horizon),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="call_by",
        placed=_dated,
        load=_load_debriefs(_call_line),
    )


def _debrief_thanks(ctx: Context) -> Source:
    """After the call: due the day it ended (the last try, or the feedback written down)."""
    ended = Greatest(
        Coalesce("agenda_last_try", "feedback_recorded_at"),
        Coalesce("feedback_recorded_at", "agenda_last_try"),
    )
    return Source(
        kind=ItemKind.DEBRIEF_THANKS,
        rows=lambda v: (
            _debrief_rows(v)
            .filter(_call_over(v), thank_you_sent_at__isnull=True)
            .annotate(agenda_ended=ended)
        ),
        uses=("owner",),
        overdue_before=ctx.today_start,
        today_before=None,
        due_field="agenda_ended",
        placed=lambda ended: (ctx.clock.local_date(ended), None),
        load=_load_debriefs(lambda row: _debrief_thanks_line(row, ctx.clock)),
    )


def sources(ctx: Context) -> list[Source]:
    # Imported here: the coaching sources are built from this module's Context and Source.
    from careertips.agenda.services.coaching import coaching_sources

    return [
        _calls(ctx),
        _debrief_thanks(ctx),
        _actions(ctx),
        _follow_ups(ctx),
        _interviews(ctx),
        _interview_thanks(ctx),
        _touches(ctx),
        _events(ctx),
        _milestones(ctx),
        _offers(ctx),
        *coaching_sources(ctx),
    ]

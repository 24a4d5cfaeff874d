"""Where Today's items come from: one source per kind of item, each read in two steps.

First a light query per source gives, for each group (overdue, today, coming up), at most
GROUP_LIMIT ids with their due dates, plus a window count of the whole group; every source's
query goes to the database in one statement (ranked.run_all). Today then picks
the items it will show across all sources, and only those rows are read, for their lines
(lines.py). Every query is bounded, so the page costs the same for five contacts as for five
thousand.
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
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest

from careertips.agenda.models import ItemKind, Snooze
from careertips.agenda.services import lines, ranked
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import HORIZON_DAYS, KIND_ORDER, Item
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs.models import (
    MAX_UNANSWERED_ATTEMPTS,
    CallAttempt,
    Debrief,
    ImprovementAction,
)
from careertips.network.models import Contact, Event
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

    def ranking(self, limit: int, ctx: Context) -> ranked.Statement | None:
        """The statement that numbers this source's rows within each group (at most
        `limit` of each) and counts each group: window functions around its own query."""
        snoozed = self.kind in ctx.snoozed_kinds
        query = _keyed_query(self, snoozed)
        sql, params = query.statement(**ctx.values(query.kinds))
        if not sql:  # a query that can have no rows
            return None
        wrapper, bounds = ranked.RANKED_IN_TWO, [self.overdue_before]
        if self.today_before is not None:
            wrapper, bounds = ranked.RANKED_IN_THREE, [self.overdue_before, self.today_before]
        return ranked.Statement(wrapper, sql, params, limit, bounds)

    def keys(
        self, rows: Iterable[tuple], limits: dict[int, int]
    ) -> tuple[list[Key], dict[int, int]]:
        """The first keys of each group (as many as `limits` says), and each group's count,
        from the rows its ranking gave."""
        keys, totals = [], {}
        for pk, group, value, rank, total in rows:
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


def _actions(ctx: Context) -> Source:
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
        load=lines.action_lines,
    )


def _milestones(ctx: Context) -> Source:
    """Career goal milestones (degrees, certifications, a target role) as their dates come."""

    return Source(
        kind=ItemKind.MILESTONE,
        rows=lambda v: Milestone.objects.due_for(v.owner, v.horizon).order_by(),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="due_on",
        placed=_dated,
        load=lines.milestone_lines,
    )


def _offers(ctx: Context) -> Source:
    """Offers still to answer, by their decision deadline: only the current offer of an
    opportunity at the offer stage (a revised offer replaces the one before it)."""

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
        load=lines.offer_lines,
    )


def _follow_ups(ctx: Context) -> Source:
    """Applications waiting for a reply; only once due, since each one repeats by design."""
    days, cutoff = ctx.owner.follow_up_days, ctx.follow_up_cutoff

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
        load=lambda pks: lines.follow_up_lines(pks, days=days),
    )


def _interview_rows(values: Values) -> QuerySet:
    return Interview.objects.filter(
        opportunity__owner_id=values.owner, opportunity__stage__in=OPEN_STAGES
    )


def _interviews(ctx: Context) -> Source:
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
        load=lambda pks: lines.interview_lines(pks, clock=ctx.clock),
    )


def _interview_thanks(ctx: Context) -> Source:
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
        load=lambda pks: lines.interview_thanks_lines(pks, clock=ctx.clock),
    )


def _touches(ctx: Context) -> Source:
    return Source(
        kind=ItemKind.TOUCH,
        rows=lambda v: Contact.objects.touch_due(v.horizon).filter(owner_id=v.owner),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="next_touch_on",
        placed=_dated,
        load=lambda pks: lines.touch_lines(pks, today=ctx.today),
    )


def _events(ctx: Context) -> Source:
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
        load=lambda pks: lines.event_lines(pks, owner=ctx.owner, clock=ctx.clock),
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


def _calls(ctx: Context) -> Source:
    return Source(
        kind=ItemKind.CALL,
        rows=lambda v: _debrief_rows(v).exclude(_call_over(v)).filter(call_by__lte=v.horizon),
        uses=("owner", "horizon"),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="call_by",
        placed=_dated,
        load=lines.call_lines,
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
        load=lambda pks: lines.debrief_thanks_lines(pks, clock=ctx.clock),
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

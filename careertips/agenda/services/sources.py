"""Where Today's items come from: one source per kind of item, each read in two steps.

First a light query per source returns, for each group (overdue, today, coming up), at most
GROUP_LIMIT ids with their due dates, plus a window count of the whole group. Today then picks
the items it will show across all sources, and only those rows are loaded in full. Every
query is bounded, so the page costs the same for five contacts as for five thousand.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
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
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from careertips.agenda.models import ItemKind, Snooze
from careertips.agenda.services import items as build
from careertips.agenda.services import prepared
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import HORIZON_DAYS, KIND_ORDER, OVERDUE, SOON, TODAY, Item
from careertips.agenda.services.people import people_at, people_met_through
from careertips.core.models import User
from careertips.debriefs.models import (
    MAX_UNANSWERED_ATTEMPTS,
    CallAttempt,
    Debrief,
    ImprovementAction,
)
from careertips.network.models import Contact, Event, EventAttendance, Touchpoint
from careertips.offers.models import Offer
from careertips.pipeline.models import ACTIVE_STAGES, Interview, Opportunity, Stage
from careertips.stories.models import Milestone

GROUP_LIMIT = 10  # items of each group on the page; "show more" opens a group further
EXPANDED_LIMIT = 200
OPEN_STAGES = [*ACTIVE_STAGES, Stage.NO_RESPONSE]
# What a line names of an opportunity (its title at its employer): all a list reads of it,
# which also spares compiling and filling dozens of unused columns per row.
OPPORTUNITY_NAME = ("opportunity", "opportunity__title", "opportunity__organization__name")
KIND_RANK: dict[str, int] = {kind: rank for rank, kind in enumerate(KIND_ORDER)}


def _under(relation: str, fields: Iterable[str]) -> list[str]:
    return [f"{relation}__{name}" for name in fields]


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
        snoozes = Snooze.objects.active(today=today).owned_by(owner).order_by()
        kinds = frozenset(snoozes.values_list("kind", flat=True).distinct())
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

    def unsnoozed(self, rows: QuerySet, kind: str) -> QuerySet:
        """`rows` without those of this kind snoozed past today (a subquery, no query)."""
        if kind not in self.snoozed_kinds:
            return rows
        snoozed = Snooze.objects.active(today=self.today).owned_by(self.owner).filter(kind=kind)
        return rows.exclude(pk__in=snoozed.values("object_id"))

    def on_day(self, moment: dt.datetime) -> tuple[dt.date, dt.datetime]:
        return self.clock.local_date(moment), moment


@dataclass(frozen=True)
class Source:
    """One kind of item read from the database."""

    kind: str
    rows: Callable[[], QuerySet]  # the member's rows due within the week, snoozed ones left out
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
        in one query: window functions number the rows of each group and count them. The
        query is compiled once per process (services/prepared.py)."""

        def build(c: Context) -> QuerySet:
            source = self if c is ctx else next(s for s in sources(c) if s.kind == self.kind)
            return source.keyed()

        sql, params, db = prepared.compiled(self.kind, ctx, build)
        wrapper, bounds = RANKED_IN_TWO, [self.overdue_before]
        if self.today_before is not None:
            wrapper, bounds = RANKED_IN_THREE, [self.overdue_before, self.today_before]
        keys, totals = [], {}
        limit = max(limits.values())
        for pk, group, value, rank, total in _run(wrapper, sql, params, db, limit, bounds):
            totals[group] = total
            if rank <= limits[group]:
                due, at = self.placed(_from_db(value))
                keys.append(Key(self.kind, pk, group, due, at))
        return keys, totals

    def keyed(self) -> QuerySet:
        """Each row's key and due value."""
        return (
            self.rows()
            .annotate(agenda_pk=F("pk"), agenda_due=F(self.due_field))
            .order_by()
            .values_list("agenda_pk", "agenda_due")
        )


# The grouping and ranking wrap the source's own query rather than going through the ORM's
# conditional expressions and window filtering, which compile every expression several times
# over (most of Today's cost). Plain SQL that SQLite and PostgreSQL read alike; the bounds
# are compared with the due value as the ORM would (the same adapted parameters); due dates
# tie on the primary key.
_GROUPED = (
    "SELECT base.agenda_pk, base.agenda_due, CASE WHEN base.agenda_due < %s THEN {overdue} "
    "{today}ELSE {soon} END AS agenda_bucket FROM ({{rows}}) base"
)
_RANKED = (
    "SELECT agenda_pk, agenda_bucket, agenda_due, agenda_rank, agenda_total FROM ("
    "SELECT grouped.agenda_pk, grouped.agenda_bucket, grouped.agenda_due, "
    "ROW_NUMBER() OVER (PARTITION BY grouped.agenda_bucket "
    "ORDER BY grouped.agenda_due, grouped.agenda_pk) AS agenda_rank, "
    "COUNT(*) OVER (PARTITION BY grouped.agenda_bucket) AS agenda_total "
    "FROM ({grouped}) grouped) ranked WHERE agenda_rank <= %s"
)
RANKED_IN_THREE = _RANKED.format(
    grouped=_GROUPED.format(
        overdue=OVERDUE, today=f"WHEN base.agenda_due < %s THEN {TODAY} ", soon=SOON
    )
)
RANKED_IN_TWO = _RANKED.format(grouped=_GROUPED.format(overdue=OVERDUE, today="", soon=TODAY))


def _run(
    wrapper: str, sql: str, params: Iterable[Any], db: str, limit: int, bounds: Iterable[Any]
) -> list[tuple]:
    """A query's SQL read through a wrapper, which takes `bounds` before the query's own
    parameters and the limit after them."""
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(
            wrapper.format(rows=sql),
            (*(prepared.adapt(connection, b) for b in bounds), *params, limit),
        )
        return cursor.fetchall()


def _from_db(value: Any) -> Any:
    """A due date or moment read past the ORM: SQLite gives computed ones as text, and
    moments as naive UTC."""
    if isinstance(value, str):
        value = parse_date(value) or parse_datetime(value)
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _dated(value: dt.date) -> tuple[dt.date, None]:
    return value, None


def _actions(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        rows = (
            ImprovementAction.objects.filter(pk__in=pks)
            .select_related("debrief__opportunity__organization", "theme")
            .only(
                "title", "due_on", "debrief", *_under("debrief", OPPORTUNITY_NAME), "theme__theme"
            )
        )
        return (build.action_item(action) for action in rows)

    return Source(
        kind=ItemKind.ACTION,
        rows=lambda: ctx.unsnoozed(
            ImprovementAction.objects.pending().owned_by(ctx.owner).filter(due_on__lte=ctx.horizon),
            ItemKind.ACTION,
        ),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="due_on",
        placed=_dated,
        load=load,
    )


def _milestones(ctx: Context) -> Source:
    """Career goal milestones (degrees, certifications, a target role) as their dates come."""

    def load(pks: list[int]) -> Iterable[Item]:
        rows = (
            Milestone.objects.filter(pk__in=pks)
            .select_related("goal")
            .only("title", "due_on", "goal__title")
        )
        return (build.milestone_item(milestone) for milestone in rows)

    return Source(
        kind=ItemKind.MILESTONE,
        rows=lambda: ctx.unsnoozed(
            Milestone.objects.due_for(ctx.owner, ctx.horizon).order_by(), ItemKind.MILESTONE
        ),
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
        rows = (
            Offer.objects.filter(pk__in=pks)
            .select_related("opportunity__organization")
            .only("decision_deadline", *OPPORTUNITY_NAME)
        )
        return (build.offer_item(offer) for offer in rows)

    return Source(
        kind=ItemKind.OFFER,
        rows=lambda: ctx.unsnoozed(
            Offer.objects.owned_by(ctx.owner)
            .current()
            .filter(opportunity__stage=Stage.OFFER, decision_deadline__lte=ctx.horizon)
            .order_by(),
            ItemKind.OFFER,
        ),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="decision_deadline",
        placed=_dated,
        load=load,
    )


def _follow_ups(ctx: Context) -> Source:
    """Applications waiting for a reply; only once due, since each one repeats by design."""
    days = ctx.owner.follow_up_days
    cutoff = ctx.today - dt.timedelta(days=days)

    def load(pks: list[int]) -> Iterable[Item]:
        rows = Opportunity.objects.filter(pk__in=pks)
        rows = rows.select_related("organization").only(
            "title", "applied_on", "found_on", "followed_up_on", "organization__name"
        )
        return (build.follow_up_item(o, days=days) for o in rows)

    return Source(
        kind=ItemKind.FOLLOW_UP,
        rows=lambda: ctx.unsnoozed(
            Opportunity.objects.awaiting_follow_up(today=ctx.today, days=days).owned_by(ctx.owner),
            ItemKind.FOLLOW_UP,
        ).annotate(last_contact=Greatest("applied_on", Coalesce("followed_up_on", "applied_on"))),
        overdue_before=cutoff,
        today_before=cutoff + dt.timedelta(days=1),
        due_field="last_contact",
        placed=lambda last: (last + dt.timedelta(days=days), None),
        load=load,
    )


def _interview_rows(ctx: Context) -> QuerySet:
    return Interview.objects.filter(
        opportunity__owner=ctx.owner, opportunity__stage__in=OPEN_STAGES
    )


def _interviews(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        rows = (
            Interview.objects.filter(pk__in=pks)
            .select_related("opportunity__organization")
            .only("kind", "scheduled_at", "prep_notes", *OPPORTUNITY_NAME)
            .prefetch_related(Prefetch("interviewers", queryset=Contact.objects.only("name")))
        )
        return (build.interview_item(interview, ctx.clock) for interview in rows)

    return Source(
        kind=ItemKind.INTERVIEW,
        rows=lambda: ctx.unsnoozed(
            _interview_rows(ctx).filter(
                scheduled_at__gte=ctx.clock.now, scheduled_at__lt=ctx.horizon_end
            ),
            ItemKind.INTERVIEW,
        ),
        overdue_before=ctx.today_start,
        today_before=ctx.tomorrow_start,
        due_field="scheduled_at",
        placed=ctx.on_day,
        load=load,
    )


def _interview_thanks(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        rows = (
            Interview.objects.filter(pk__in=pks)
            .select_related("opportunity__organization")
            .only("scheduled_at", *OPPORTUNITY_NAME)
        )
        return (build.interview_thanks_item(interview, ctx.clock) for interview in rows)

    return Source(
        kind=ItemKind.INTERVIEW_THANKS,
        rows=lambda: ctx.unsnoozed(
            _interview_rows(ctx).filter(
                thank_you_sent_at__isnull=True,
                scheduled_at__lt=ctx.clock.now,
                scheduled_at__gte=ctx.today_start - dt.timedelta(days=HORIZON_DAYS),
            ),
            ItemKind.INTERVIEW_THANKS,
        ),
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
        contacts = list(
            Contact.objects.filter(pk__in=pks)
            .select_related("organization")
            .defer("notes", "organization__notes")
            .prefetch_related(closed_debriefs_prefetch())
        )
        last = dict(
            Touchpoint.objects.filter(contact__in=pks)
            .order_by()
            .values("contact_id")
            .annotate(last=Max("happened_on"))
            .values_list("contact_id", "last")
        )
        return (build.touch_item(c, today=ctx.today, last_touched=last.get(c.pk)) for c in contacts)

    return Source(
        kind=ItemKind.TOUCH,
        rows=lambda: ctx.unsnoozed(
            Contact.objects.touch_due(ctx.horizon).owned_by(ctx.owner), ItemKind.TOUCH
        ),
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
        events = list(
            Event.objects.filter(pk__in=pks)
            .select_related("organization")
            .only("name", "starts_at", "organization__name")
            .prefetch_related(expected_prefetch())
        )
        met = people_met_through(
            ctx.owner, {e.organization_id for e in events if e.organization_id}
        )
        return (build.event_item(e, people_at(e, met), ctx.clock) for e in events)

    return Source(
        kind=ItemKind.EVENT,
        rows=lambda: ctx.unsnoozed(
            Event.objects.owned_by(ctx.owner).filter(
                starts_at__gte=ctx.clock.now, starts_at__lt=ctx.horizon_end
            ),
            ItemKind.EVENT,
        ),
        overdue_before=ctx.today_start,
        today_before=ctx.tomorrow_start,
        due_field="starts_at",
        placed=ctx.on_day,
        load=load,
    )


def _debrief_rows(ctx: Context) -> QuerySet:
    """Open debriefs, with what Debrief.call_done reads from the attempts, in SQL."""
    attempts = CallAttempt.objects.filter(debrief=OuterRef("pk")).order_by()
    unanswered = (
        attempts.filter(outcome__in=CallAttempt.UNANSWERED)
        .values("debrief")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Debrief.objects.active()
        .owned_by(ctx.owner)
        .annotate(
            agenda_conclusive=Exists(attempts.filter(outcome__in=CallAttempt.CONCLUSIVE)),
            agenda_unanswered=Coalesce(Subquery(unanswered), 0),
            agenda_last_try=Subquery(attempts.order_by("-attempted_at").values("attempted_at")[:1]),
        )
    )


# The call is over once someone answered or declined, after the last unanswered try, or when
# feedback came some other way (Debrief.call_done, and the debrief page, say the same).
CALL_OVER = (
    Q(agenda_conclusive=True)
    | Q(agenda_unanswered__gte=MAX_UNANSWERED_ATTEMPTS)
    | Q(feedback_recorded_at__isnull=False)
)


def _load_debriefs(make: Callable[[Debrief], Item]) -> Callable[[list[int]], Iterable[Item]]:
    def load(pks: list[int]) -> Iterable[Item]:
        rows = (
            Debrief.objects.filter(pk__in=pks)
            .select_related("opportunity__organization", "contact")
            .only("call_by", "feedback_recorded_at", "contact__name", *OPPORTUNITY_NAME)
            .prefetch_related(
                Prefetch(
                    "attempts",
                    queryset=CallAttempt.objects.only("debrief", "attempted_at", "outcome"),
                )
            )
        )
        return (make(debrief) for debrief in rows)

    return load


def _calls(ctx: Context, debriefs: Callable[[], QuerySet]) -> Source:
    return Source(
        kind=ItemKind.CALL,
        rows=lambda: ctx.unsnoozed(
            debriefs().exclude(CALL_OVER).filter(call_by__lte=ctx.horizon), ItemKind.CALL
        ),
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="call_by",
        placed=_dated,
        load=_load_debriefs(build.call_item),
    )


def _debrief_thanks(ctx: Context, debriefs: Callable[[], QuerySet]) -> Source:
    """After the call: due the day it ended (the last try, or the feedback written down)."""
    ended = Greatest(
        Coalesce("agenda_last_try", "feedback_recorded_at"),
        Coalesce("feedback_recorded_at", "agenda_last_try"),
    )
    return Source(
        kind=ItemKind.DEBRIEF_THANKS,
        rows=lambda: ctx.unsnoozed(
            debriefs().filter(CALL_OVER, thank_you_sent_at__isnull=True), ItemKind.DEBRIEF_THANKS
        ).annotate(agenda_ended=ended),
        overdue_before=ctx.today_start,
        today_before=None,
        due_field="agenda_ended",
        placed=lambda ended: (ctx.clock.local_date(ended), None),
        load=_load_debriefs(lambda debrief: build.debrief_thanks_item(debrief, ctx.clock)),
    )


def sources(ctx: Context) -> list[Source]:
    # Imported here: the coaching sources are built from this module's Context and Source.
    from careertips.agenda.services.coaching import coaching_sources

    debriefs = functools.cache(lambda: _debrief_rows(ctx))  # its subqueries cost the most
    return [
        _calls(ctx, debriefs),
        _debrief_thanks(ctx, debriefs),
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

"""What a member's search adds up to: the funnel, which sources answer, the weekly rhythm,
what debriefs keep hearing. Read-only, from the other apps' models; every figure is a
bounded query, so the page costs the same for ten applications as for ten thousand."""

from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs.models import FeedbackTheme, Theme
from careertips.network.models import Touchpoint
from careertips.pipeline.models import Interview, Opportunity, Source, Stage, StageChange

# Periods the page offers, in days back from today (None: the whole search).
PERIODS: dict[str, tuple[str, int | None]] = {
    "30": ("Last 30 days", 30),
    "90": ("Last 90 days", 90),
    "365": ("Last 12 months", 365),
    "all": ("The whole search", None),
}
DEFAULT_PERIOD = "90"
WEEKS = 12

# The steps toward a job, and what counts as having reached each: that stage or any later one
# (an offer declined was still an offer).
FUNNEL = [Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED]
REACHED: dict[str, list[str]] = {
    Stage.APPLIED: [
        Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED,
        Stage.OFFER_DECLINED,
    ],
    Stage.SCREENING: [
        Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.OFFER_DECLINED,
    ],
    Stage.INTERVIEWING: [Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.OFFER_DECLINED],
    Stage.OFFER: [Stage.OFFER, Stage.ACCEPTED, Stage.OFFER_DECLINED],
    Stage.ACCEPTED: [Stage.ACCEPTED],
}  # fmt: skip


class _RangeIndex(Expression):
    """How many of the ascending `bounds` a value is at or past: 0 before the first, 1 from
    the first up to the second... One CASE with the bounds as plain parameters, for the
    database to count rows per range; it costs far less to build than a lookup per range."""

    output_field = IntegerField()

    def __init__(self, expression: Any, bounds: Sequence[Any]) -> None:
        super().__init__()
        self.expression = expression
        self.bounds = list(bounds)

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.expression,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.expression)
        field = self.expression.output_field
        whens, whens_params = [], []
        for index, bound in enumerate(self.bounds):
            whens.append(f"WHEN {sql} < %s THEN {index}")
            whens_params += [*params, field.get_db_prep_value(bound, connection)]
        return f"CASE {' '.join(whens)} ELSE {len(self.bounds)} END", whens_params


@dataclass(frozen=True)
class Step:
    stage: str
    label: str
    count: int
    of_previous: float | None  # share of the step before that got this far
    of_first: float | None


@dataclass(frozen=True)
class SourceRow:
    source: str
    label: str
    applications: int
    responses: int  # reached screening or further
    interviews: int
    # Referral rows: one per person who referred you (contact_id None: no one named).
    referrers: tuple[SourceRow, ...] = ()
    contact_id: int | None = None

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.applications if self.applications else None


@dataclass(frozen=True)
class Week:
    starts_on: dt.date
    applications: int
    touches: int
    interviews: int


@dataclass(frozen=True)
class Insights:
    period: str
    since: dt.date | None
    funnel: list[Step]
    sources: list[SourceRow]
    weeks: list[Week]
    themes: list[tuple[str, int]]
    median_days_to_response: float | None
    responses_timed: int

    @property
    def applications(self) -> int:
        return self.funnel[0].count

    @property
    def is_empty(self) -> bool:
        return not self.applications and not any(w.touches or w.interviews for w in self.weeks)


def insights_for(
    user: User, *, period: str = DEFAULT_PERIOD, today: dt.date | None = None
) -> Insights:
    today = today or user.local_today()
    days = PERIODS.get(period, PERIODS[DEFAULT_PERIOD])[1]
    since = today - dt.timedelta(days=days - 1) if days else None
    by_referrer = _reached_by_source_and_referrer(user, since)
    reached = _reached_by_source(by_referrer)
    return Insights(
        period=period if period in PERIODS else DEFAULT_PERIOD,
        since=since,
        funnel=_funnel(reached),
        sources=_sources(reached, _referrers(by_referrer)),
        weeks=_weeks(user, today),
        themes=_themes(user, since),
        **_time_to_response(user, since, zoneinfo.ZoneInfo(user.time_zone)),
    )


# The furthest step each opportunity of the period reached, its stage or any stage it once
# moved to: a step is reached by being at it or a later one (an offer declined was still an
# offer). Ranked in SQL, one row per opportunity, its history read through its own index
# (joining the whole history and grouping it read every member's stage changes on
# PostgreSQL), and counted per source and referrer by the wrapper below, which names each
# referrer once per group rather than joining every contact.
_STEP_RANKS: dict[str, int] = {
    Stage.APPLIED: 1,
    Stage.SCREENING: 2,
    Stage.INTERVIEWING: 3,
    Stage.OFFER: 4,
    Stage.OFFER_DECLINED: 4,
    Stage.ACCEPTED: 5,
}
_REACHED_WRAPPER = (  # a column per step of FUNNEL, reached at its rank or past it
    # Materialized: SQLite would otherwise fold the rows into this query and read each
    # opportunity's history once per column.
    "WITH base AS MATERIALIZED ({rows}) "
    "SELECT base.source, base.referred_by, "
    "(SELECT named.name FROM network_contact named WHERE named.id = base.referred_by), "
    "SUM(CASE WHEN base.furthest >= 1 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN base.furthest >= 2 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN base.furthest >= 3 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN base.furthest >= 4 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN base.furthest >= 5 THEN 1 ELSE 0 END) "
    "FROM base GROUP BY base.source, base.referred_by"
)


def _rank(field: str) -> Case:
    return Case(
        *(When(**{field: stage}, then=Value(rank)) for stage, rank in _STEP_RANKS.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _furthest_steps(*, since: bool) -> Prepared:
    def build(owner: int, since_day: Any = None) -> QuerySet[Any]:
        rows = Opportunity.objects.filter(owner_id=owner)
        if since:
            # Dated by when the member applied, or found the role if they never did.
            rows = rows.alias(started_on=Coalesce("applied_on", "found_on")).filter(
                started_on__gte=since_day
            )
        # MAX as a plain function: an aggregate would add a GROUP BY, which costs SQLite a
        # sort per opportunity.
        moved_to = (
            StageChange.objects.filter(opportunity=OuterRef("pk"))
            .order_by()
            .annotate(rank=Func(_rank("to_stage"), function="MAX"))
            .values("rank")
        )
        return (
            rows.values("source", "referred_by")
            .annotate(furthest=Greatest(_rank("stage"), Coalesce(Subquery(moved_to), 0)))
            .order_by()
        )

    kinds: dict[str, type] = {"owner": int, "since_day": dt.date} if since else {"owner": int}
    return Prepared(build, _REACHED_WRAPPER, **kinds)


_FURTHEST = {since: _furthest_steps(since=since) for since in (False, True)}


def _reached_by_source_and_referrer(user: User, since: dt.date | None) -> list[dict[str, Any]]:
    """For each source and referrer, how many applications of the period (opportunities the
    member applied to, or was put forward for) reached each funnel step: one query that the
    funnel, the sources table and its referral breakdown all read."""
    if since is None:
        rows = _FURTHEST[False](owner=user.pk)
    else:
        rows = _FURTHEST[True](owner=user.pk, since_day=since)
    columns = ("source", "referred_by", "referred_by__name", *FUNNEL)
    found = [dict(zip(columns, row, strict=True)) for row in rows]
    return [row for row in found if row[FUNNEL[0]]]  # applied to none: not there


def _reached_by_source(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    reached: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = reached.setdefault(row["source"], dict.fromkeys(FUNNEL, 0))
        for stage in FUNNEL:
            counts[stage] += row[stage]
    return reached


def _referrers(rows: list[dict[str, Any]]) -> tuple[SourceRow, ...]:
    """The referrals told apart by who referred: most applications first, then by name."""
    label = Source.REFERRAL.label
    found = [
        SourceRow(
            Source.REFERRAL,
            f"{label} — {row['referred_by__name'] or 'no one named'}",
            applications=row[Stage.APPLIED],
            responses=row[Stage.SCREENING],
            interviews=row[Stage.INTERVIEWING],
            contact_id=row["referred_by"],
        )
        for row in rows
        if row["source"] == Source.REFERRAL
    ]
    if not any(row.contact_id for row in found):
        return ()  # no referrer named: the Referral row says it all
    return tuple(sorted(found, key=lambda r: (r.contact_id is None, -r.applications, r.label)))


def _funnel(reached: dict[str, dict[str, int]]) -> list[Step]:
    counts = {stage: sum(row[stage] for row in reached.values()) for stage in FUNNEL}
    steps: list[Step] = []
    first = counts[FUNNEL[0]]
    for index, stage in enumerate(FUNNEL):
        count = counts[stage]
        previous = counts[FUNNEL[index - 1]] if index else None
        steps.append(
            Step(
                stage=stage,
                label=Stage(stage).label,
                count=count,
                of_previous=(count / previous) if previous else None,
                of_first=(count / first) if first and index else None,
            )
        )
    return steps


def _sources(
    reached: dict[str, dict[str, int]], referrers: tuple[SourceRow, ...]
) -> list[SourceRow]:
    none = dict.fromkeys(FUNNEL, 0)
    rows = [
        SourceRow(
            source,
            str(label),
            applications=(found := reached.get(source, none))[Stage.APPLIED],
            responses=found[Stage.SCREENING],
            interviews=found[Stage.INTERVIEWING],
            referrers=referrers if source == Source.REFERRAL else (),
        )
        for source, label in Source.choices
    ]
    return sorted(rows, key=lambda row: (-(row.response_rate or -1), -row.applications))


def _replies(*, since: bool) -> Prepared:
    def build(owner: int, since_day: Any = None) -> QuerySet[Any]:
        applied = Opportunity.objects.filter(owner_id=owner, applied_on__isnull=False)
        if since:
            applied = applied.filter(applied_on__gte=since_day)
        # Each application's first reply, read through its history's own index.
        first_reply = (
            StageChange.objects.filter(
                opportunity=OuterRef("pk"), to_stage__in=REACHED[Stage.SCREENING]
            )
            .order_by("changed_at")
            .values("changed_at")[:1]
        )
        return (
            applied.annotate(first_reply=Subquery(first_reply))
            .values_list("applied_on", "first_reply")
            .order_by()
        )

    kinds: dict[str, type] = {"owner": int, "since_day": dt.date} if since else {"owner": int}
    # Read as the driver gives the columns: a busy search has hundreds of replies, and
    # Django's converters cost more per row than parsing the two values below.
    return Prepared(
        build, "SELECT * FROM ({rows}) replies WHERE replies.first_reply IS NOT NULL", **kinds
    )


def _day(value: Any) -> dt.date:
    """A date column as the driver gives it: a date, or its ISO text on SQLite."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value: Any) -> dt.datetime:
    """A moment as the driver gives it: aware, or UTC as ISO text on SQLite."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value


_REPLIES = {since: _replies(since=since) for since in (False, True)}


def _time_to_response(user: User, since: dt.date | None, tz: dt.tzinfo) -> dict[str, Any]:
    """Days from applying to the first reply (a screening or any later step), middle value.
    Read from the replies themselves: a reply means the member had applied."""
    if since is None:
        answered = _REPLIES[False](owner=user.pk)
    else:
        answered = _REPLIES[True](owner=user.pk, since_day=since)
    waits = [
        max(0, (_moment(reply).astimezone(tz).date() - _day(applied)).days)
        for applied, reply in answered
    ]
    return {
        "median_days_to_response": statistics.median(waits) if waits else None,
        "responses_timed": len(waits),
    }


def _weeks(user: User, today: dt.date) -> list[Week]:
    """The last WEEKS weeks (Monday to Sunday, in the member's time zone), this one last.
    Each source is counted by the database, a row per day or per week: a busy member has
    thousands of touches in twelve weeks, too many to read one by one."""
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in reversed(range(WEEKS))]
    applied = _per_week(_APPLIED_PER_DAY(owner=user.pk, first=mondays[0], last=today))
    touches = _per_week(_TOUCHES_PER_DAY(owner=user.pk, first=mondays[0], last=today))
    interviews = _interviews_per_week(user, mondays, today, zoneinfo.ZoneInfo(user.time_zone))
    return [
        Week(day, applied[day], touches[day], interviews[index])
        for index, day in enumerate(mondays)
    ]


def _counted_per_day(model: Any, day: str) -> Prepared:
    """The member's rows counted per day of a date column, by the database."""
    return Prepared(
        lambda owner, first, last: (
            model.objects.filter(owner_id=owner, **{f"{day}__gte": first, f"{day}__lte": last})
            .values_list(day)
            .annotate(n=Count("pk"))
            .order_by()
        ),
        owner=int,
        first=dt.date,
        last=dt.date,
    )


_APPLIED_PER_DAY = _counted_per_day(Opportunity, "applied_on")
_TOUCHES_PER_DAY = _counted_per_day(Touchpoint, "happened_on")


def _per_week(per_day: list[tuple[Any, ...]]) -> Counter[dt.date]:
    """Counts per day added up per Monday."""
    weeks: Counter[dt.date] = Counter()
    for day, count in per_day:
        weeks[day - dt.timedelta(days=day.weekday())] += count
    return weeks


def _interviews_per_week(
    user: User, mondays: list[dt.date], today: dt.date, tz: dt.tzinfo
) -> Counter[int]:
    """Interviews per week, by the week's number: a week starts at midnight on Monday where
    the member lives, so the database sorts each moment between those instants."""
    starts = [dt.datetime.combine(day, dt.time(), tzinfo=tz) for day in mondays]
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    bounds = {f"bound{index}": start for index, start in enumerate(starts[1:])}
    rows = _INTERVIEWS_PER_WEEK(owner=user.pk, first=starts[0], end=end, **bounds)
    return Counter(dict(rows))


def _interviews_per_week_query(owner: int, first: Any, end: Any, **bounds: Any) -> QuerySet[Any]:
    return (
        Interview.objects.filter(
            opportunity__owner_id=owner, scheduled_at__gte=first, scheduled_at__lt=end
        )
        .annotate(
            week=_RangeIndex(F("scheduled_at"), [bounds[f"bound{i}"] for i in range(len(bounds))])
        )
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
        .order_by()
    )


_INTERVIEWS_PER_WEEK = Prepared(
    _interviews_per_week_query,
    owner=int,
    first=dt.datetime,
    end=dt.datetime,
    **{f"bound{index}": dt.datetime for index in range(WEEKS - 1)},
)


def _themes(user: User, since: dt.date | None) -> list[tuple[str, int]]:
    """What debriefs heard, most often first."""
    if since is None:
        counts = _THEMES[False](owner=user.pk)
    else:
        # From midnight where the member lives: a bound the database compares as it is,
        # where a date lookup converts every row's moment first.
        start = dt.datetime.combine(since, dt.time(), tzinfo=zoneinfo.ZoneInfo(user.time_zone))
        counts = _THEMES[True](owner=user.pk, start=start)
    return [(Theme(theme).label, n) for theme, n in counts]


def _theme_counts(*, since: bool) -> Prepared:
    def build(owner: int, start: Any = None) -> QuerySet[Any]:
        rows = FeedbackTheme.objects.filter(debrief__owner_id=owner)
        if since:
            rows = rows.filter(debrief__created_at__gte=start)
        return rows.values("theme").annotate(n=Count("pk")).order_by("-n", "theme")

    kinds: dict[str, type] = {"owner": int, "start": dt.datetime} if since else {"owner": int}
    return Prepared(build, **kinds)


_THEMES = {since: _theme_counts(since=since) for since in (False, True)}

"""What a member's search adds up to: the funnel, which sources answer, the weekly rhythm,
what debriefs keep hearing. Read-only, from the other apps' models; every figure is a
bounded query, so the page costs the same for ten applications as for ten thousand."""

from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from careertips.core.models import User
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


def _reached(stage: str) -> Q:
    """An opportunity that is at, or ever moved to, `stage` or a later step."""
    moved = StageChange.objects.filter(opportunity=OuterRef("pk"), to_stage__in=REACHED[stage])
    return Q(stage__in=REACHED[stage]) | Q(Exists(moved))


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
    cohort = _cohort(user, since)
    by_referrer = _reached_by_source_and_referrer(cohort)
    reached = _reached_by_source(by_referrer)
    return Insights(
        period=period if period in PERIODS else DEFAULT_PERIOD,
        since=since,
        funnel=_funnel(reached),
        sources=_sources(reached, _referrers(by_referrer)),
        weeks=_weeks(user, today),
        themes=_themes(user, since),
        **_time_to_response(cohort, zoneinfo.ZoneInfo(user.time_zone)),
    )


def _cohort(user: User, since: dt.date | None) -> QuerySet[Opportunity]:
    """The applications of the period: opportunities the member applied to (or was put
    forward for) then, dated by when they applied, or found the role if they never did."""
    rows = Opportunity.objects.filter(owner=user).filter(_reached(Stage.APPLIED))
    if since is not None:
        rows = rows.annotate(started_on=Coalesce("applied_on", "found_on")).filter(
            started_on__gte=since
        )
    return rows.order_by()


def _reached_by_source_and_referrer(cohort: QuerySet[Opportunity]) -> list[dict[str, Any]]:
    """For each source and referrer, how many of the cohort reached each funnel step: one
    query that the funnel, the sources table and its referral breakdown all read."""
    columns = ("source", "referred_by", "referred_by__name")
    return list(
        cohort.values(*columns)
        .annotate(**{stage: Count("pk", filter=_reached(stage)) for stage in FUNNEL})
        .values(*columns, *FUNNEL)
        .order_by()
    )


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


def _time_to_response(cohort: QuerySet[Opportunity], tz: dt.tzinfo) -> dict[str, Any]:
    """Days from applying to the first reply (a screening or any later step), middle value."""
    answered = (
        cohort.filter(applied_on__isnull=False)
        .annotate(
            first_reply=Min(
                "stage_changes__changed_at",
                filter=Q(stage_changes__to_stage__in=REACHED[Stage.SCREENING]),
            )
        )
        .filter(first_reply__isnull=False)
        .values_list("applied_on", "first_reply")
    )
    waits = [max(0, (reply.astimezone(tz).date() - applied).days) for applied, reply in answered]
    return {
        "median_days_to_response": statistics.median(waits) if waits else None,
        "responses_timed": len(waits),
    }


def _weeks(user: User, today: dt.date) -> list[Week]:
    """The last WEEKS weeks (Monday to Sunday, in the member's time zone), this one last."""
    this_monday = today - dt.timedelta(days=today.weekday())
    first = this_monday - dt.timedelta(weeks=WEEKS - 1)
    tz = zoneinfo.ZoneInfo(user.time_zone)

    def week_of(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday())

    applied = Counter(
        week_of(day)
        for day in Opportunity.objects.filter(
            owner=user, applied_on__gte=first, applied_on__lte=today
        ).values_list("applied_on", flat=True)
        if day is not None
    )
    touches = Counter(
        week_of(day)
        for day in Touchpoint.objects.filter(
            owner=user, happened_on__gte=first, happened_on__lte=today
        ).values_list("happened_on", flat=True)
    )
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    interviews = Counter(
        week_of(moment.astimezone(tz).date())
        for moment in Interview.objects.filter(
            opportunity__owner=user, scheduled_at__gte=start, scheduled_at__lt=end
        ).values_list("scheduled_at", flat=True)
    )
    mondays = [first + dt.timedelta(weeks=n) for n in range(WEEKS)]
    return [Week(day, applied[day], touches[day], interviews[day]) for day in mondays]


def _themes(user: User, since: dt.date | None) -> list[tuple[str, int]]:
    """What debriefs heard, most often first."""
    rows = FeedbackTheme.objects.filter(debrief__owner=user)
    if since is not None:
        rows = rows.filter(debrief__created_at__date__gte=since)
    counts = rows.values("theme").annotate(n=Count("pk")).order_by("-n", "theme")
    return [(Theme(row["theme"]).label, row["n"]) for row in counts]

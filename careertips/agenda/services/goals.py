"""Weekly goals and how far this week has come, counted from what the member recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from careertips.agenda.models import MAX_WEEKLY_TARGET, Metric, WeeklyGoal
from careertips.agenda.services.clock import Clock
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs.models import CallAttempt
from careertips.network.models import Touchpoint
from careertips.pipeline.models import Interview, Stage, StageChange

MEETING_KINDS = [Touchpoint.Kind.MEETING, Touchpoint.Kind.COFFEE]


@dataclass(frozen=True)
class Progress:
    metric: str
    label: str
    target: int
    done: int

    @property
    def met(self) -> bool:
        return self.done >= self.target

    @property
    def shown(self) -> int:
        """The bar's value: a full bar once the goal is met."""
        return min(self.done, self.target)


@dataclass(frozen=True)
class Week:
    monday: dt.date
    start: dt.datetime
    end: dt.datetime

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @classmethod
    def of(cls, clock: Clock) -> Week:
        monday = clock.week_start
        return cls(
            monday=monday,
            start=clock.start_of(monday),
            end=clock.start_of(monday + dt.timedelta(days=7)),
        )


def _count_applications(owner: User, week: Week) -> int:
    return StageChange.objects.filter(
        opportunity__owner=owner,
        to_stage=Stage.APPLIED,
        changed_at__gte=week.start,
        changed_at__lt=week.end,
    ).count()


def _count_touchpoints(owner: User, week: Week) -> tuple[int, int]:
    counts = (
        Touchpoint.objects.owned_by(owner)
        .filter(happened_on__gte=week.monday, happened_on__lte=week.sunday)
        .aggregate(all=Count("pk"), meetings=Count("pk", filter=Q(kind__in=MEETING_KINDS)))
    )
    return counts["all"], counts["meetings"]


def _count_call_attempts(owner: User, week: Week) -> int:
    return CallAttempt.objects.filter(
        debrief__owner=owner, attempted_at__gte=week.start, attempted_at__lt=week.end
    ).count()


def _count_interviews(owner: User, week: Week) -> int:
    return Interview.objects.filter(
        opportunity__owner=owner, scheduled_at__gte=week.start, scheduled_at__lt=week.end
    ).count()


def measure_week(*, owner: User, week: Week, metrics: set[str]) -> dict[str, int]:
    """This week's count for each metric asked for; one or two queries per metric."""
    counts: dict[str, int] = {}
    if Metric.APPLICATIONS in metrics:
        counts[Metric.APPLICATIONS] = _count_applications(owner, week)
    if metrics & {Metric.TOUCHES, Metric.MEETINGS}:
        touches, meetings = _count_touchpoints(owner, week)
        counts[Metric.MEETINGS] = meetings
        # A call to a hiring manager after a "no" is a network touch too.
        if Metric.TOUCHES in metrics:
            counts[Metric.TOUCHES] = touches + _count_call_attempts(owner, week)
    if Metric.INTERVIEWS in metrics:
        counts[Metric.INTERVIEWS] = _count_interviews(owner, week)
    return counts


# The member's weekly goals, compiled once per process (core.prepared): Today reads them.
_GOALS = Prepared(lambda owner: WeeklyGoal.objects.filter(owner_id=owner), owner=int)


def goal_progress(*, owner: User, clock: Clock) -> list[Progress]:
    goals: list[WeeklyGoal] = _GOALS.instances(owner=owner.pk)
    if not goals:
        return []
    counts = measure_week(owner=owner, week=Week.of(clock), metrics={g.metric for g in goals})
    order = list(Metric.values)
    goals.sort(key=lambda goal: order.index(goal.metric))
    return [
        Progress(
            metric=goal.metric,
            label=Metric(goal.metric).label,
            target=goal.target,
            done=counts.get(goal.metric, 0),
        )
        for goal in goals
    ]


@transaction.atomic
def set_weekly_goals(*, owner: User, targets: dict[str, int | None]) -> list[WeeklyGoal]:
    """Sets a target per metric; an empty or zero target removes that goal."""
    kept: list[WeeklyGoal] = []
    for metric, target in targets.items():
        if metric not in Metric.values:
            raise ValidationError({metric: "Unknown goal."})
        if not target:
            WeeklyGoal.objects.filter(owner=owner, metric=metric).delete()
            continue
        if not 1 <= target <= MAX_WEEKLY_TARGET:
            raise ValidationError({metric: f"Pick a number from 1 to {MAX_WEEKLY_TARGET}."})
        goal, _ = WeeklyGoal.objects.update_or_create(
            owner=owner, metric=metric, defaults={"target": target}
        )
        kept.append(goal)
    return kept

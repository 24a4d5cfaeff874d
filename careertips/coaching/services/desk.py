"""The coach's desk: clients in the order they need the coach, each with the reasons why.
A reason is only given from a part of the search the member shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone

from careertips.coaching.models import CoachNote, Sharing
from careertips.core.models import User, count_subquery
from careertips.debriefs.models import CallAttempt, Debrief
from careertips.offers.models import Offer
from careertips.pipeline.models import Interview, Opportunity, Stage
from careertips.stories.models import Requirement

SOON_DAYS = 3
QUIET_DAYS = 14
OFFER_DAYS = 7


@dataclass(frozen=True)
class DeskRow:
    member: User
    sharing: Sharing
    reasons: list[str]
    last_activity: dt.datetime | None


def _figures(now: dt.datetime, today: dt.date) -> dict[str, Any]:
    member = OuterRef("member")
    conclusive = CallAttempt.objects.filter(
        debrief=OuterRef("pk"), outcome__in=CallAttempt.CONCLUSIVE
    )
    late_calls = Debrief.objects.filter(
        owner=member, status=Debrief.Status.OPEN, call_by__lt=today
    ).filter(~Exists(conclusive))
    prepared = Requirement.objects.filter(opportunity=OuterRef("opportunity"))
    unprepared = Interview.objects.filter(
        opportunity__owner=member,
        scheduled_at__gte=now,
        scheduled_at__lt=now + dt.timedelta(days=SOON_DAYS),
    ).filter(~Exists(prepared))
    offers = Offer.objects.current().filter(
        opportunity__owner=member,
        opportunity__stage=Stage.OFFER,
        decision_deadline__gte=today,
        decision_deadline__lte=today + dt.timedelta(days=OFFER_DAYS),
    )
    latest = Opportunity.objects.filter(owner=member).order_by().values("owner")
    member_note = CoachNote.objects.filter(member=member, author=member).order_by("-created_at")
    coach_note = CoachNote.objects.filter(member=member, author=OuterRef("coach"))
    return {
        "late_calls": count_subquery(late_calls, by="owner"),
        "unprepared": count_subquery(unprepared, by="opportunity__owner"),
        "offers_due": count_subquery(offers, by="opportunity__owner"),
        "last_activity": Subquery(latest.annotate(at=Max("updated_at")).values("at")[:1]),
        "member_note_at": Subquery(member_note.values("created_at")[:1]),
        "coach_note_at": Subquery(coach_note.order_by("-created_at").values("created_at")[:1]),
    }


def _reasons(row: Any, now: dt.datetime) -> list[str]:
    reasons = []
    if row.debriefs and row.late_calls:
        reasons.append(f"{row.late_calls} debrief call(s) past the call-by date")
    if row.pipeline and row.unprepared:
        reasons.append(
            f"{row.unprepared} interview(s) in the next {SOON_DAYS} days without a prep sheet"
        )
    if row.offers and row.offers_due:
        reasons.append(f"{row.offers_due} offer(s) to decide on this week")
    if row.last_activity is None or row.last_activity < now - dt.timedelta(days=QUIET_DAYS):
        reasons.append(f"No activity for {QUIET_DAYS} days")
    note_at = row.member_note_at
    if (
        note_at
        and note_at >= row.created_at
        and (not row.coach_note_at or note_at > row.coach_note_at)
    ):
        reasons.append("A new note from them")
    return reasons


def desk_of(coach: User, *, now: dt.datetime | None = None) -> list[DeskRow]:
    """Everyone sharing with the coach, those with the most reasons first, in one query."""
    now = now or timezone.now()
    rows: Any = (
        Sharing.objects.filter(coach=coach, member__is_active=True)
        .select_related("member")
        .annotate(**_figures(now, timezone.localdate(now)))
        .order_by("member__display_name", "member__email")
    )
    desk = [DeskRow(row.member, row, _reasons(row, now), row.last_activity) for row in rows]
    return sorted(desk, key=lambda row: -len(row.reasons))


__all__ = ["DeskRow", "desk_of"]

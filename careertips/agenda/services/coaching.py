"""Today's items from coaching: sessions with a coach, the action items a coach assigned, and
comments a coach left that the member has not read yet."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from careertips.agenda.models import ItemKind
from careertips.agenda.services import items as build
from careertips.agenda.services.items import Item
from careertips.agenda.services.sources import Context, Source, _dated
from careertips.coaching.models import ActionItem, CoachingSession, Comment
from careertips.offers.models import Offer


def _sessions(ctx: Context) -> Source:
    """Coaching sessions: the member's, and for a coach the sessions they hold."""

    def load(pks: list[int]) -> Iterable[Item]:
        rows = CoachingSession.objects.filter(pk__in=pks).select_related("member")
        return (build.session_item(s, ctx.clock, owner_id=ctx.owner.pk) for s in rows)

    def rows() -> QuerySet:
        sessions = CoachingSession.objects.filter(Q(member=ctx.owner) | Q(coach=ctx.owner))
        sessions = sessions.filter(starts_at__gte=ctx.today_start, starts_at__lt=ctx.horizon_end)
        return ctx.unsnoozed(sessions.order_by(), ItemKind.SESSION)

    return Source(
        kind=ItemKind.SESSION,
        rows=rows,
        overdue_before=ctx.today_start,
        today_before=ctx.tomorrow_start,
        due_field="starts_at",
        placed=ctx.on_day,
        load=load,
    )


def _coach_actions(ctx: Context) -> Source:
    def load(pks: list[int]) -> Iterable[Item]:
        rows = ActionItem.objects.filter(pk__in=pks).select_related("session")
        return (build.coach_action_item(item) for item in rows)

    def rows() -> QuerySet:
        pending = ActionItem.objects.pending().filter(member=ctx.owner, due_on__lte=ctx.horizon)
        return ctx.unsnoozed(pending.order_by(), ItemKind.COACH_ACTION)

    return Source(
        kind=ItemKind.COACH_ACTION,
        rows=rows,
        overdue_before=ctx.today,
        today_before=ctx.tomorrow,
        due_field="due_on",
        placed=_dated,
        load=load,
    )


def coach_comment_items(comments: Iterable[Comment]) -> list[Item]:
    comments = list(comments)
    offer_ids = [c.object_id for c in comments if c.kind == Comment.Kind.OFFER]
    opportunities = dict(Offer.objects.filter(pk__in=offer_ids).values_list("pk", "opportunity"))
    return [build.coach_comment_item(comment, opportunities) for comment in comments]


def _coach_comments(ctx: Context) -> Source:
    """Comments from a coach the member has not read yet: due the day they were written."""

    def load(pks: list[int]) -> Iterable[Item]:
        return coach_comment_items(Comment.objects.filter(pk__in=pks))

    def rows() -> QuerySet:
        unread = Comment.objects.filter(member=ctx.owner, seen_at__isnull=True)
        return ctx.unsnoozed(unread.order_by(), ItemKind.COACH_COMMENT)

    return Source(
        kind=ItemKind.COACH_COMMENT,
        rows=rows,
        overdue_before=ctx.today_start,
        today_before=None,
        due_field="created_at",
        placed=lambda at: (ctx.clock.local_date(at), None),
        load=load,
    )


def coaching_sources(ctx: Context) -> list[Source]:
    return [_sessions(ctx), _coach_actions(ctx), _coach_comments(ctx)]

"""Coaching sessions: the coach schedules one, both are invited by email with an .ics file,
and afterwards the coach writes a summary and assigns action items with due dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careertips.coaching import emails
from careertips.coaching.models import ActionItem, CoachingSession, Sharing
from careertips.core import outbound
from careertips.core.access import member_or_none, owned_or_404, require_role
from careertips.core.models import User
from careertips.core.pagecache import member_data_changed
from careertips.core.roles import Role

MAX_ACTION_ITEMS = 50
# The OutboundMail kind of a session's invitation.
SESSION_MAIL = "coaching.session"


def get_session_for_coach(coach: Any, pk: Any) -> CoachingSession:
    """A session the coach holds with a member who still shares with them; 404 otherwise."""
    require_role(coach, Role.COACH, "session")
    rows = CoachingSession.objects.filter(
        coach=coach, member__shared_with__coach=coach, member__is_active=True
    ).select_related("member")
    return owned_or_404(rows, pk, "session")


def get_action_item_for(user: Any, pk: Any) -> ActionItem:
    rows = ActionItem.objects.filter(member=member_or_none(user)).select_related("session")
    return owned_or_404(rows, pk, "action item")


@transaction.atomic
def schedule_session(
    *,
    coach: User,
    member: User,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str = "",
    video_url: str = "",
) -> CoachingSession:
    """Books the session; both are sent the invitation once it is saved."""
    if not Sharing.objects.filter(member=member, coach=coach).exists():
        raise ValidationError("This member no longer shares with you.")
    if not (place.strip() or video_url.strip()):
        raise ValidationError({"place": "Give a place to meet or a video link."})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": "Choose a time that has not passed."})
    session = CoachingSession.objects.create(
        member=member,
        coach=coach,
        coach_name=coach.display_name or coach.email,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        video_url=video_url.strip(),
    )
    for message in emails.session_invitations(session):
        outbound.queue_mail(message=message, kind=SESSION_MAIL, object_id=session.pk, owner=coach)
    member_data_changed(member.pk)
    return session


@transaction.atomic
def write_summary(*, session: CoachingSession, summary: str) -> CoachingSession:
    if session.starts_at > timezone.now():
        raise ValidationError({"summary": "Write the summary once the session has started."})
    session.summary = summary.strip()
    session.summary_at = timezone.now()
    session.save(update_fields=["summary", "summary_at"])
    member_data_changed(session.member_id)
    return session


@transaction.atomic
def add_action_item(*, session: CoachingSession, title: str, due_on: dt.date) -> ActionItem:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Say what is to be done."})
    if session.action_items.count() >= MAX_ACTION_ITEMS:
        raise ValidationError({"title": f"A session holds at most {MAX_ACTION_ITEMS} items."})
    item = ActionItem.objects.create(
        session=session, member_id=session.member_id, title=title, due_on=due_on
    )
    member_data_changed(session.member_id)  # it is on their Today
    return item


@transaction.atomic
def complete_action_item(*, item: ActionItem) -> ActionItem:
    """Keeps the first time it was done."""
    if item.done_at is None:
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
    return item


def sessions_with(coach: User, member: User) -> list[CoachingSession]:
    rows = CoachingSession.objects.filter(coach=coach, member=member)
    return list(rows.prefetch_related("action_items")[:20])


def sessions_of_member(member: User) -> list[CoachingSession]:
    upcoming = CoachingSession.objects.filter(member=member, starts_at__gte=timezone.now())
    return list(upcoming.order_by("starts_at")[:20])


def feed_sessions(member: User, *, start: dt.datetime, end: dt.datetime) -> list[CoachingSession]:
    rows = CoachingSession.objects.filter(member=member, starts_at__gte=start, starts_at__lt=end)
    return list(rows.order_by("starts_at")[:200])

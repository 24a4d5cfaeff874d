"""Sharing a search with a coach, what the coach may read of it, and the notes between them.

A coach reads a member's search only while a Sharing row says so, and only through the pages
of this app: every other page still answers "not found" to anyone but the member. Nothing
here changes the member's search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from careertips.coaching import emails
from careertips.coaching.models import MAX_NOTE_LENGTH, AccessLogEntry, CoachNote, Sharing
from careertips.core import outbound
from careertips.core.access import owned_or_404, require_role
from careertips.core.models import OutboundMail, User, count_subquery
from careertips.core.pagecache import member_data_changed
from careertips.core.roles import Role
from careertips.debriefs.models import Debrief
from careertips.pipeline.models import ACTIVE_STAGES, Interview, Opportunity, Stage

CLIENT_OPPORTUNITIES = 50
CLIENT_DEBRIEFS = 20
CLIENT_INTERVIEWS = 10
THREAD_LENGTH = 100
RECENT_DAYS = 30
# The OutboundMail kind of the email telling a thread's reader a note is waiting.
NOTE_MAIL = "coaching.note"
# The OutboundMail kind of the email telling a coach a member has started sharing.
SHARING_MAIL = "coaching.sharing"


def coaches(*, excluding: User | None = None) -> QuerySet[User]:
    """The practice's coaches a member may share with: active accounts with the coach role
    (not editors or administrators, unless they coach too)."""
    rows = (
        User.objects.filter(is_staff=True, is_active=True, groups__name=Role.COACH)
        .distinct()
        .order_by("display_name", "email")
    )
    return rows.exclude(pk=excluding.pk) if excluding is not None else rows


@transaction.atomic
def share_with(*, member: User, coach: User) -> Sharing:
    """Opens the member's search to the coach, who is told by email."""
    if not coaches(excluding=member).filter(pk=coach.pk).exists():
        raise ValidationError({"coach": "Choose one of the practice's coaches."})
    try:
        with transaction.atomic():
            sharing = Sharing.objects.create(member=member, coach=coach)
    except IntegrityError:
        return Sharing.objects.get(member=member, coach=coach)
    outbound.queue_mail(
        message=emails.sharing_notice(sharing), kind=SHARING_MAIL, object_id=sharing.pk
    )
    return sharing


def stop_sharing(*, member: User, coach_id: int) -> bool:
    """Ends a coach's access at once; True when there was one to end."""
    deleted, _ = Sharing.objects.filter(member=member, coach_id=coach_id).delete()
    return bool(deleted)


def end_sharings_of_coach(*, coach: User) -> int:
    """Every member stops sharing with this coach (who is no longer one); how many did."""
    sharings = Sharing.objects.filter(coach=coach)
    member_data_changed(*sharings.values_list("member_id", flat=True))
    deleted, _ = sharings.delete()
    return deleted


def sharings_of(member: User) -> list[Sharing]:
    return list(Sharing.objects.filter(member=member).select_related("coach"))


# What a coach sees ---------------------------------------------------------------------------


def get_client_for(coach: Any, member_pk: int) -> User:
    """The member, when they share with this coach; 404 otherwise (also once they stop)."""
    require_role(coach, Role.COACH, "client")
    clients = User.objects.filter(is_active=True, shared_with__coach=coach)
    return owned_or_404(clients, member_pk, "client")


def record_reads(*, coach: User, members: Iterable[User], page: str, path: str) -> None:
    """Logs that the coach read these members' data on this page (they see it under Your
    data). Call it on every page that shows a member's data to a coach."""
    name = coach.display_name or coach.email
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(member=member, coach=coach, coach_name=name, page=page, path=path[:500])
        for member in members
    )


def access_log_of(member: User, *, limit: int = 100) -> list[AccessLogEntry]:
    """The latest reads of the member's data by coaches, newest first."""
    return list(AccessLogEntry.objects.filter(member=member)[:limit])


@dataclass(frozen=True)
class ClientRow:
    member: User
    shared_on: dt.datetime
    active: int
    applied_recently: int
    open_debriefs: int
    last_note_at: dt.datetime | None
    scopes: list[str]  # what the member shares with this coach now


def _client_figures(today: dt.date) -> dict[str, Any]:
    """Per sharing row, subqueries for the member's figures (no join multiplies them)."""
    member = OuterRef("member")
    recently = today - dt.timedelta(days=RECENT_DAYS)
    return {
        "active": count_subquery(
            Opportunity.objects.filter(owner=member, stage__in=ACTIVE_STAGES), by="owner"
        ),
        "applied_recently": count_subquery(
            Opportunity.objects.filter(owner=member, applied_on__gte=recently), by="owner"
        ),
        "open_debriefs": count_subquery(
            Debrief.objects.filter(owner=member, status=Debrief.Status.OPEN), by="owner"
        ),
        "last_note_at": Subquery(
            CoachNote.objects.filter(member=member).order_by("-created_at").values("created_at")[:1]
        ),
    }


def clients_of(coach: User, *, today: dt.date | None = None) -> list[ClientRow]:
    """Everyone sharing with the coach, with a few figures each, in one query."""
    # The figures are annotations, which the model's type does not know about.
    rows: Iterable[Any] = (
        Sharing.objects.filter(coach=coach, member__is_active=True)
        .select_related("member")
        .annotate(**_client_figures(today or timezone.localdate()))
        .order_by("member__display_name", "member__email")
    )
    return [
        ClientRow(
            member=row.member,
            shared_on=row.created_at,
            active=row.active,
            applied_recently=row.applied_recently,
            open_debriefs=row.open_debriefs,
            last_note_at=row.last_note_at,
            scopes=row.scopes,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ClientOverview:
    stages: list[tuple[str, int]]  # (label, count) of every stage with anything in it
    opportunities: list[Opportunity]
    debriefs: list[Debrief]
    interviews: list[Interview]
    last_activity: dt.datetime | None


def client_overview(member: User) -> ClientOverview:
    """The member's search as their coach reads it: where things stand, nothing to change."""
    counts = Opportunity.objects.filter(owner=member).stage_counts()
    stages = [(str(label), counts[value]) for value, label in Stage.choices if counts.get(value)]
    opportunities = list(
        Opportunity.objects.filter(owner=member, stage__in=ACTIVE_STAGES)
        .select_related("organization")
        .only("title", "stage", "applied_on", "stage_changed_at", "organization__name")
        .order_by("-stage_changed_at", "-id")[:CLIENT_OPPORTUNITIES]
    )
    debriefs = list(
        Debrief.objects.filter(owner=member, status=Debrief.Status.OPEN)
        .select_related("opportunity__organization", "contact")
        .order_by("-created_at")[:CLIENT_DEBRIEFS]
    )
    interviews = list(
        Interview.objects.filter(opportunity__owner=member, scheduled_at__gte=timezone.now())
        .select_related("opportunity__organization")
        .order_by("scheduled_at")[:CLIENT_INTERVIEWS]
    )
    last = Opportunity.objects.filter(owner=member).aggregate(last=Max("updated_at"))["last"]
    return ClientOverview(stages, opportunities, debriefs, interviews, last)


# Notes ---------------------------------------------------------------------------------------


def thread_of(member: User, *, coach: User | None = None) -> list[CoachNote]:
    """The latest notes between the member and their coaches, oldest first. A coach reads
    only the notes written while the member shares with them: none from before, nor from
    an earlier sharing that ended."""
    latest = CoachNote.objects.filter(member=member).select_related("author")
    if coach is not None:
        since = Sharing.objects.filter(member=member, coach=coach).values("created_at")[:1]
        latest = latest.filter(created_at__gte=Subquery(since))
    return list(reversed(latest.order_by("-created_at", "-id")[:THREAD_LENGTH]))


@transaction.atomic
def add_note(*, member: User, author: User, body: str) -> CoachNote:
    """A note in the member's thread, by the member or by a coach they share with."""
    if author.pk != member.pk and not Sharing.objects.filter(member=member, coach=author).exists():
        raise ValidationError("Only the member and the coaches they share with can write here.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationError({"body": f"Keep a note under {MAX_NOTE_LENGTH:,} characters."})
    note = CoachNote.objects.create(member=member, author=author, body=body)
    member_data_changed(member.pk)
    for message in emails.note_notices(note):
        outbound.queue_mail(message=message, kind=NOTE_MAIL, object_id=note.pk, owner=author)
    return note


def attach_undelivered(notes: list[CoachNote], *, viewer: User) -> list[CoachNote]:
    """Gives each note the viewer wrote the notices about it that were not sent
    (`note.undelivered`), so the thread can offer to try them again."""
    failed: dict[int, list[OutboundMail]] = {}
    rows = OutboundMail.objects.filter(
        kind=NOTE_MAIL,
        owner=viewer,
        status=OutboundMail.Status.FAILED,
        object_id__in=[n.pk for n in notes if n.author_id == viewer.pk],
    )
    for row in rows.order_by("id"):
        failed.setdefault(row.object_id, []).append(row)
    for note in notes:
        note.undelivered = failed.get(note.pk, [])  # type: ignore[attr-defined]
    return notes


# The coaching loop's other parts, each in its own module, reached as services.<name>.
from careertips.coaching.services.comments import (  # noqa: E402
    add_comment,
    comments_for_member_item,
    get_comment_for,
    mark_comments_seen,
)
from careertips.coaching.services.desk import desk_of  # noqa: E402
from careertips.coaching.services.practice import (  # noqa: E402
    practice_overview,
    set_practice_consent,
    start_newsletter_draft,
    suggested_articles,
)
from careertips.coaching.services.scopes import (  # noqa: E402
    get_debrief_for_coach,
    get_offer_for_coach,
    get_prep_for_coach,
    get_sharing_for_coach,
    get_story_for_coach,
    scope_view,
    set_scopes,
)
from careertips.coaching.services.sessions import (  # noqa: E402
    add_action_item,
    complete_action_item,
    get_action_item_for,
    get_session_for_coach,
    schedule_session,
    write_summary,
)

__all__ = [
    "add_action_item", "add_comment", "comments_for_member_item", "complete_action_item",
    "desk_of", "get_action_item_for", "get_comment_for", "get_debrief_for_coach",
    "get_offer_for_coach", "get_prep_for_coach", "get_session_for_coach",
    "get_sharing_for_coach", "get_story_for_coach", "mark_comments_seen", "practice_overview",
    "schedule_session", "scope_view", "set_practice_consent", "set_scopes",
    "start_newsletter_draft", "suggested_articles", "write_summary",
]  # fmt: skip


def get_member_sharing(member: Any, coach_pk: Any) -> Sharing:
    """One of the member's own sharings, by its coach; 404 otherwise."""
    rows = Sharing.objects.filter(member=member).select_related("coach")
    try:
        return rows.get(coach_id=int(coach_pk))
    except (Sharing.DoesNotExist, ValueError, TypeError):
        raise Http404("You do not share with that coach.") from None

"""A coach's comments on the items a member shares: a debrief, a story, a prep sheet, an
offer. The member reads them beside the item, is told by email and sees them in Today."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careertips.coaching import emails
from careertips.coaching.models import MAX_NOTE_LENGTH, Comment, Scope, Sharing
from careertips.core import outbound
from careertips.core.access import member_or_none, owned_or_404, row_id_or_none
from careertips.core.models import User
from careertips.core.pagecache import member_data_changed
from careertips.core.prepared import Prepared

# The OutboundMail kind of the email telling a member their coach commented.
COMMENT_MAIL = "coaching.comment"
# The scope an item of each kind is shared in.
KIND_SCOPES = {
    Comment.Kind.DEBRIEF: Scope.DEBRIEFS,
    Comment.Kind.STORY: Scope.STORIES,
    Comment.Kind.PREP: Scope.STORIES,
    Comment.Kind.OFFER: Scope.OFFERS,
}


def item_title(kind: str, item: Any) -> str:
    """What the comment is on, in words: never more than the member's own title of it."""
    if kind == Comment.Kind.DEBRIEF:
        return f"Debrief: {item.opportunity.title} at {item.opportunity.organization}"
    if kind == Comment.Kind.STORY:
        return f"Story: {item.title}"
    if kind == Comment.Kind.PREP:
        opp = item.interview.opportunity
        return f"Prep sheet: {opp.title} at {opp.organization}"
    return f"Offer: {item.opportunity.title} at {item.opportunity.organization}"


def item_pk(kind: str, item: Any) -> int:
    return item.interview.pk if kind == Comment.Kind.PREP else item.pk


@transaction.atomic
def add_comment(*, coach: User, member: User, kind: str, item: Any, body: str) -> Comment:
    """`item` comes from a get_<thing>_for_coach helper, so the coach may read it."""
    sharing = Sharing.objects.filter(member=member, coach=coach).first()
    if sharing is None or not sharing.allows(KIND_SCOPES[Comment.Kind(kind)]):
        raise ValidationError("This member no longer shares this with you.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationError({"body": f"Keep a comment under {MAX_NOTE_LENGTH:,} characters."})
    comment = Comment.objects.create(
        member=member,
        coach=coach,
        coach_name=coach.display_name or coach.email,
        kind=kind,
        object_id=item_pk(kind, item),
        title=item_title(kind, item)[:300],
        body=body,
    )
    outbound.queue_mail(
        message=emails.comment_notice(comment), kind=COMMENT_MAIL, object_id=comment.pk, owner=coach
    )
    member_data_changed(member.pk)
    return comment


# A member's comments on one item, from a statement compiled once per process (core.prepared):
# every page of an item a coach may comment on reads them, most often to find none, and building
# the queryset cost the ORM far more than running it.
_ITEM_COMMENTS = Prepared(
    lambda member, kind, item: Comment.objects.filter(member_id=member, kind=kind, object_id=item),
    member=int,
    kind=str,
    item=int,
)


def comments_for_member_item(member: Any, kind: str, object_id: int) -> list[Comment]:
    """The coach's comments on one of the member's items, oldest first."""
    member, item = member_or_none(member), row_id_or_none(object_id)
    if member is None or item is None:
        return []
    return _ITEM_COMMENTS.instances(member=member.pk, kind=str(kind), item=item)


def get_comment_for(user: Any, pk: Any) -> Comment:
    return owned_or_404(Comment.objects.filter(member=member_or_none(user)), pk, "comment")


def mark_comments_seen(*, comment: Comment) -> None:
    """The member has read it: it leaves Today."""
    if comment.seen_at is None:
        comment.seen_at = timezone.now()
        comment.save(update_fields=["seen_at"])

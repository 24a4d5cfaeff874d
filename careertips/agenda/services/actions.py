"""Acting on one item of Today: open it, mark it done (through the app that owns it), snooze it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from careertips.agenda.models import ItemKind, Snooze
from careertips.agenda.services import items as build
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.coaching import coach_comment_items
from careertips.agenda.services.items import Item
from careertips.agenda.services.lines import closed_debriefs_prefetch
from careertips.coaching import services as coaching
from careertips.coaching.models import CoachingSession
from careertips.core.access import member_or_none, owned_or_404
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs import services as debriefs
from careertips.debriefs.models import CallAttempt, Debrief
from careertips.debriefs.script import call_plan_for
from careertips.network import services as network
from careertips.network.models import Touchpoint
from careertips.offers import services as offers
from careertips.pipeline import services as pipeline
from careertips.stories import services as stories

SNOOZE_CHOICES = [(1, "1 day"), (3, "3 days"), (7, "1 week")]
SNOOZE_TITLE_LENGTH = Snooze._meta.get_field("title").max_length or 300


def _parse_kind(kind: str) -> ItemKind:
    try:
        return ItemKind(kind)
    except ValueError:
        raise Http404("No such kind of item.") from None


def get_item_for(user: Any, *, kind: str, pk: int, clock: Clock | None = None) -> Item:
    """The item for one of the member's rows; 404 when the row is not theirs."""
    clock = clock or Clock.for_user(user)
    match _parse_kind(kind):
        case ItemKind.ACTION:
            return build.action_item(debriefs.get_action_for(user, pk))
        case ItemKind.FOLLOW_UP:
            opportunity = pipeline.get_opportunity_for(user, pk)
            return build.follow_up_item(opportunity, days=user.follow_up_days)
        case ItemKind.CALL:
            return build.call_item(debriefs.get_debrief_for(user, pk))
        case ItemKind.DEBRIEF_THANKS:
            return build.debrief_thanks_item(debriefs.get_debrief_for(user, pk), clock)
        case ItemKind.INTERVIEW:
            return build.interview_item(pipeline.get_interview_for(user, pk), clock)
        case ItemKind.INTERVIEW_THANKS:
            return build.interview_thanks_item(pipeline.get_interview_for(user, pk), clock)
        case ItemKind.TOUCH:
            return _touch_item(user, pk, clock)
        case ItemKind.EVENT:
            return _event_item(user, pk, clock)
        case ItemKind.MILESTONE:
            return build.milestone_item(stories.get_milestone_for(user, pk))
        case ItemKind.OFFER:
            return build.offer_item(offers.get_offer_for(user, pk))
        case ItemKind.SESSION:
            return _session_item(user, pk, clock)
        case ItemKind.COACH_ACTION:
            return build.coach_action_item(coaching.get_action_item_for(user, pk))
        case ItemKind.COACH_COMMENT:
            return coach_comment_items([coaching.get_comment_for(user, pk)])[0]
    raise Http404("No such item.")  # pragma: no cover - every kind is matched above


def _session_item(user: User, pk: int, clock: Clock) -> Item:
    rows = CoachingSession.objects.filter(
        Q(member=member_or_none(user)) | Q(coach=member_or_none(user))
    )
    session = owned_or_404(rows.select_related("member"), pk, "session")
    return build.session_item(session, clock, owner_id=user.pk)


def _touch_item(user: User, pk: int, clock: Clock) -> Item:
    contact = network.get_contact_for(user, pk)
    contact.closed_debriefs = list(  # type: ignore[attr-defined]
        closed_debriefs_prefetch().queryset.filter(contact=contact)
    )
    last = contact.touchpoints.order_by("-happened_on").values_list("happened_on", flat=True)
    return build.touch_item(contact, today=clock.today, last_touched=last.first())


def _event_item(user: User, pk: int, clock: Clock) -> Item:
    event = network.get_event_for(user, pk)
    reconnects = network.reconnects_for(event=event)
    item = build.event_item(event, [r.contact.name for r in reconnects[:8]], clock)
    item.source = (event, reconnects)
    return item


@transaction.atomic
def complete_item(*, owner: User, item: Item, data: dict[str, Any], clock: Clock) -> str:
    """Marks the item done through its own app's service; returns what happened, in words."""
    source: Any = item.source
    match item.kind:
        case ItemKind.ACTION:
            debriefs.complete_action(action=source)  # keeps the first time it was done
            return f"Done: {source.title}"
        case ItemKind.FOLLOW_UP:
            if not source.is_open:
                raise ValidationError("This opportunity is closed; there is nothing to follow up.")
            pipeline.record_follow_up(opportunity=source, on=clock.today)
            return f"Noted: you followed up on {source.title}."
        case ItemKind.CALL:
            return _complete_call(owner=owner, debrief=source, data=data, clock=clock)
        case ItemKind.DEBRIEF_THANKS:
            return _complete_debrief_thanks(debrief=source, clock=clock)
        case ItemKind.INTERVIEW_THANKS:
            if source.thank_you_sent_at is None:
                pipeline.toggle_thank_you(interview=source, when=clock.now)
            return "Noted: thank-you note sent."
        case ItemKind.TOUCH if item.done_label:
            network.log_touchpoint(
                contact=source, kind=data["kind"], when=clock.today, note=data.get("note", "")
            )
            return f"Logged your {Touchpoint.Kind(data['kind']).label.lower()} with {source.name}."
        case ItemKind.MILESTONE:
            stories.set_milestone_done(milestone=source, done=True, on=clock.today)
            return f"Done: {source.title}"
        case ItemKind.COACH_ACTION:
            coaching.complete_action_item(item=source)
            return f"Done: {source.title}"
        case ItemKind.COACH_COMMENT:
            coaching.mark_comments_seen(comment=source)
            return "Marked as read."
    raise ValidationError("There is nothing to mark done here yet; open it, or snooze it.")


def _complete_call(*, owner: User, debrief: Debrief, data: dict[str, Any], clock: Clock) -> str:
    if debrief.contact_id is None:
        contact = debriefs.set_debrief_contact(
            debrief=debrief,
            name=data.get("name", ""),
            title=data.get("title", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
        )
        return f"Saved: you will call {contact.name}."
    attempt = debriefs.log_attempt(
        debrief=debrief,
        channel=data["channel"],
        outcome=data["outcome"],
        note=data.get("note", ""),
        when=clock.now,
    )
    if attempt.outcome in CallAttempt.UNANSWERED and not _call_over(debrief):
        # No answer: the call stays on the list, but not until tomorrow.
        snooze_item(owner=owner, item=build.call_item(debrief), days=1, clock=clock)
        return "Logged. Try again tomorrow: it is in your list then."
    return f"Logged: {attempt.get_outcome_display().lower()}."


def _call_over(debrief: Debrief) -> bool:
    fresh = Debrief.objects.prefetch_related("attempts").get(pk=debrief.pk)
    return fresh.call_done


def _complete_debrief_thanks(*, debrief: Debrief, clock: Clock) -> str:
    if debrief.thank_you_sent_at is None:
        subject, body = debrief.thank_you_subject, debrief.thank_you_body
        if not body.strip():
            subject, body = debriefs.draft_thank_you(debrief=debrief)
        debriefs.send_thank_you(
            debrief=debrief, subject=subject, body=body, channel="copied", when=clock.now
        )
    return "Noted: thank-you note sent."


@transaction.atomic
def snooze_item(*, owner: User, item: Item, days: int, clock: Clock) -> Snooze:
    """Hides the item until `days` from today; snoozing again moves the date."""
    if days not in dict(SNOOZE_CHOICES):
        raise ValidationError({"days": "Snooze for 1 day, 3 days or a week."})
    snooze, _ = Snooze.objects.update_or_create(
        owner=owner,
        kind=item.kind,
        object_id=item.object_id,
        defaults={
            "until": clock.today + dt.timedelta(days=days),
            "title": item.title[:SNOOZE_TITLE_LENGTH],
        },
    )
    return snooze


SNOOZES_LISTED = 20
# What Today lists as snoozed, compiled once per process (core.prepared).
_SNOOZED = Prepared(
    lambda owner, today: Snooze.objects.active(today=today).filter(owner_id=owner)[:SNOOZES_LISTED],
    owner=int,
    today=dt.date,
)


def snoozed(*, owner: User, today: dt.date) -> list[Snooze]:
    """The member's snoozed items, those coming back soonest first (the first SNOOZES_LISTED)."""
    return _SNOOZED.instances(owner=owner.pk, today=today)


def get_snooze_for(user: Any, pk: int) -> Snooze:
    return owned_or_404(Snooze.objects.owned_by(user), pk, "snooze")


@transaction.atomic
def wake_snooze(*, snooze: Snooze) -> None:
    """Brings a snoozed item back to Today now."""
    snooze.delete()


def describe_item(*, owner: User, item: Item) -> dict[str, Any]:
    """What the opened item shows beyond its line: a draft to copy, the plan, the people."""
    source: Any = item.source
    match item.kind:
        case ItemKind.FOLLOW_UP:
            source.owner = owner  # the draft signs with the member's name
            return {"draft": pipeline.suggest_follow_up(opportunity=source)}
        case ItemKind.CALL:
            source.owner = owner
            return {"plan": call_plan_for(source), "contact": source.contact}
        case ItemKind.DEBRIEF_THANKS:
            subject, body = source.thank_you_subject, source.thank_you_body
            if not body.strip():
                source.owner = owner
                subject, body = debriefs.draft_thank_you(debrief=source)
            return {"draft_subject": subject, "draft": body}
        case ItemKind.INTERVIEW:
            return {"interview": source, "interviewers": list(source.interviewers.all())}
        case ItemKind.INTERVIEW_THANKS:
            return {"draft": draft_interview_thanks(owner=owner, interview=source)}
        case ItemKind.TOUCH:
            return {"contact": source}
        case ItemKind.EVENT:
            event, reconnects = source
            return {"event": event, "reconnects": reconnects}
    return {}


def draft_interview_thanks(*, owner: User, interview: Any) -> str:
    """A short note to send the interviewers the same day."""
    opp = interview.opportunity
    names = [c.first_name for c in interview.interviewers.all()]
    greeting = f"Dear {' and '.join(names[:2])}," if names and len(names) <= 2 else "Hello,"
    me = owner.display_name or ""
    return (
        f"{greeting}\n\n"
        f"Thank you for your time today talking about the {opp.title} role at "
        f"{opp.organization}. I enjoyed learning more about the team and the work, and I am "
        "even more interested in the position.\n\n"
        "[One sentence about a strength or result of yours that fits what you heard.]\n\n"
        f"I look forward to hearing about next steps.\n\nBest regards,\n{me}"
    ).rstrip() + "\n"

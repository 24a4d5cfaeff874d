"""What a line in Today is, and how each app's rows become one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from careertips.agenda.models import ItemKind
from careertips.agenda.services.clock import Clock
from careertips.coaching.models import ActionItem, CoachingSession, Comment
from careertips.core.links import pk_url
from careertips.debriefs.models import Debrief, ImprovementAction
from careertips.network.models import Contact, Event
from careertips.offers.models import Offer
from careertips.pipeline.models import Interview, Opportunity
from careertips.stories.models import Milestone

OVERDUE, TODAY, SOON = 0, 1, 2
HORIZON_DAYS = 7

DETAIL_KINDS = {ItemKind.CALL, ItemKind.TOUCH}

# Within a day: fixed-time things first, then the debrief (time matters after a "no").
KIND_ORDER = [
    ItemKind.INTERVIEW, ItemKind.EVENT, ItemKind.OFFER, ItemKind.CALL, ItemKind.DEBRIEF_THANKS,
    ItemKind.INTERVIEW_THANKS, ItemKind.FOLLOW_UP, ItemKind.ACTION, ItemKind.TOUCH,
    ItemKind.MILESTONE, ItemKind.SESSION, ItemKind.COACH_ACTION, ItemKind.COACH_COMMENT,
]  # fmt: skip


@dataclass
class Item:
    """One thing to do: what, why, by when, and where to do it."""

    kind: str
    object_id: int
    title: str
    reason: str
    due: dt.date
    url: str
    url_label: str = "Open"
    at: dt.datetime | None = None
    done_label: str = ""  # empty when the item is finished somewhere else
    note: str = ""
    people: list[str] = field(default_factory=list)
    source: object = None  # the row it came from, for the opened view

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def path(self) -> str:
        """Where the item itself lives under Today's item pages."""
        return f"{self.kind}/{self.object_id}/"

    @property
    def dom_id(self) -> str:
        return f"item-{self.kind}-{self.object_id}"

    @property
    def done_needs_details(self) -> bool:
        """Done takes a few fields (how the call went, who to call, how you were in touch)."""
        return self.kind in DETAIL_KINDS and bool(self.done_label)

    @property
    def kind_label(self) -> str:
        return ItemKind(self.kind).label


def _detail_url(name: str, pk: int) -> str:
    return pk_url(name, pk)


def debrief_url(pk: int) -> str:
    return _detail_url("debriefs:detail", pk)


def opportunity_url(pk: int) -> str:
    return _detail_url("pipeline:detail", pk)


def contact_url(pk: int) -> str:
    return _detail_url("network:contact", pk)


def event_url(pk: int) -> str:
    return _detail_url("network:event", pk)


def _short_date(day: dt.date) -> str:
    return f"{day:%b} {day.day}"


def action_item(action: ImprovementAction) -> Item:
    opp = action.debrief.opportunity
    theme = f" ({action.theme.get_theme_display().lower()})" if action.theme_id else ""
    return Item(
        kind=ItemKind.ACTION,
        object_id=action.pk,
        title=action.title,
        reason=f"From the {opp.organization} debrief{theme}: turn the feedback into work.",
        due=action.due_on,
        url=f"{debrief_url(action.debrief_id)}#action-{action.pk}",
        url_label="Open the debrief",
        done_label="Done",
        source=action,
    )


def milestone_item(milestone: Milestone) -> Item:
    return Item(
        kind=ItemKind.MILESTONE,
        object_id=milestone.pk,
        title=milestone.title,
        reason=f"A milestone toward your goal: {milestone.goal.title}.",
        due=milestone.due_on or dt.date.max,
        url=_detail_url("stories:goal", milestone.goal_id),
        url_label="Open the goal",
        done_label="Done",
        source=milestone,
    )


def offer_item(offer: Offer) -> Item:
    """An offer waiting for the member's answer, due on its decision deadline. It is done
    on the opportunity's page: accepted, declined, or replaced by a revised offer."""
    opp = offer.opportunity
    return Item(
        kind=ItemKind.OFFER,
        object_id=offer.pk,
        title=f"Decide on the {opp.title} offer from {opp.organization}",
        reason="Compare it with your other offers and negotiate before you answer; "
        "asking for a day or two more is normal.",
        due=offer.decision_deadline or dt.date.max,
        url=f"{opportunity_url(opp.pk)}#offers",
        url_label="Open the offer",
        source=offer,
    )


def follow_up_item(opportunity: Opportunity, *, days: int) -> Item:
    applied = opportunity.applied_on or opportunity.found_on
    followed = opportunity.followed_up_on
    last = max(applied, followed or applied)
    since = (
        f"your last follow-up on {_short_date(last)}"
        if followed and followed >= applied
        else f"you applied on {_short_date(last)}"
    )
    return Item(
        kind=ItemKind.FOLLOW_UP,
        object_id=opportunity.pk,
        title=f"Follow up on {opportunity.title} at {opportunity.organization}",
        reason=f"No reply since {since}. A short, polite note keeps you in mind.",
        due=last + dt.timedelta(days=days),
        url=opportunity_url(opportunity.pk),
        url_label="Open the opportunity",
        done_label="Followed up",
        source=opportunity,
    )


def call_item(debrief: Debrief) -> Item:
    opp = debrief.opportunity
    tries = len(debrief.attempts.all())
    if debrief.contact_id:
        title = f"Call {debrief.contact.name} about the {opp.title} decision"
        reason = "Ask what would make you a stronger candidate: come to learn, never to argue."
    else:
        title = f"Find out who to call about the {opp.title} decision at {opp.organization}"
        reason = "Name the hiring manager so you can ask for their perspective."
    if tries:
        reason = f"{tries} {'try' if tries == 1 else 'tries'} so far, no answer yet. " + reason
    return Item(
        kind=ItemKind.CALL,
        object_id=debrief.pk,
        title=title,
        reason=reason,
        due=debrief.call_by,
        url=f"{debrief_url(debrief.pk)}#section-{'call' if debrief.contact_id else 'contact'}",
        url_label="Open the debrief",
        done_label="Log the call" if debrief.contact_id else "Name them",
        source=debrief,
    )


def debrief_thanks_item(debrief: Debrief, clock: Clock) -> Item:
    moments = [a.attempted_at for a in debrief.attempts.all()]
    if debrief.feedback_recorded_at:
        moments.append(debrief.feedback_recorded_at)
    due = clock.local_date(max(moments)) if moments else debrief.call_by
    who = debrief.contact.name if debrief.contact_id else f"the team at {debrief.opportunity}"
    reason = (
        "Thank them sincerely for whatever they shared: it is the impression that lasts."
        if debrief.reached
        else "They did not pick up: a short thank-you email leaves the same good impression."
    )
    return Item(
        kind=ItemKind.DEBRIEF_THANKS,
        object_id=debrief.pk,
        title=f"Send {who} a thank-you note",
        reason=reason,
        due=due,
        url=f"{debrief_url(debrief.pk)}#section-thank_you",
        url_label="Open the debrief",
        done_label="Sent it",
        source=debrief,
    )


def interview_item(interview: Interview, clock: Clock) -> Item:
    opp = interview.opportunity
    names = [c.name for c in interview.interviewers.all()]
    with_whom = f" with {', '.join(names)}" if names else ""
    prep = interview.prep_notes.strip()
    reason = (
        "Your prep notes are ready to review."
        if prep
        else "No prep notes yet: match your stories to the job's requirements."
    )
    return Item(
        kind=ItemKind.INTERVIEW,
        object_id=interview.pk,
        title=f"{interview.get_kind_display()} interview for {opp.title} at "
        f"{opp.organization}{with_whom}",
        reason=reason,
        due=clock.local_date(interview.scheduled_at),
        at=interview.scheduled_at,
        url=f"{opportunity_url(opp.pk)}#interview-{interview.pk}",
        url_label="Open the opportunity",
        source=interview,
    )


def interview_thanks_item(interview: Interview, clock: Clock) -> Item:
    opp = interview.opportunity
    return Item(
        kind=ItemKind.INTERVIEW_THANKS,
        object_id=interview.pk,
        title=f"Send a thank-you note after the {opp.title} interview at {opp.organization}",
        reason="Within a day: thank them and restate the one strength that fits the job.",
        due=clock.local_date(interview.scheduled_at),
        at=interview.scheduled_at,
        url=f"{opportunity_url(opp.pk)}#interview-{interview.pk}",
        url_label="Open the opportunity",
        done_label="Sent it",
        source=interview,
    )


def touch_item(contact: Contact, *, today: dt.date, last_touched: dt.date | None = None) -> Item:
    """A touch is logged from Today once it is due; before that, on the contact's page."""
    closed = getattr(contact, "closed_debriefs", [])
    if closed:
        employer = closed[0].opportunity.organization
        reason = f"You last spoke with {contact.name} after the {employer} decision."
    elif last_touched:
        reason = f"Your last touch was on {_short_date(last_touched)}."
    else:
        reason = "Keep the relationship warm before you need it."
    where = f" ({contact.organization})" if contact.organization_id else ""
    due = contact.next_touch_on or today
    return Item(
        kind=ItemKind.TOUCH,
        object_id=contact.pk,
        title=f"Get in touch with {contact.name}{where}",
        reason=reason,
        due=due,
        url=contact_url(contact.pk),
        url_label="Open the contact",
        done_label="Log a touch" if due <= today else "",
        note=contact.next_touch_note,
        source=contact,
    )


def event_item(event: Event, people: list[str], clock: Clock) -> Item:
    if people:
        reason = "Reconnect there with " + ", ".join(people) + "."
    else:
        reason = "Decide who you want to see there, and what you will ask them."
    host = f" ({event.organization})" if event.organization_id else ""
    return Item(
        kind=ItemKind.EVENT,
        object_id=event.pk,
        title=f"{event.name}{host}",
        reason=reason,
        due=clock.local_date(event.starts_at),
        at=event.starts_at,
        url=event_url(event.pk),
        url_label="Open the event",
        people=people,
        source=event,
    )


def session_item(session: CoachingSession, clock: Clock, *, owner_id: int) -> Item:
    """A coaching session, in the member's Today and in the coach's."""
    is_member = session.member_id == owner_id
    who = session.coach_name if is_member else (session.member.display_name or session.member.email)
    return Item(
        kind=ItemKind.SESSION,
        object_id=session.pk,
        title=f"Coaching session with {who}",
        reason=f"{session.duration_minutes} minutes, {session.where}.",
        due=clock.local_date(session.starts_at),
        at=session.starts_at,
        url=reverse("coaching:home")
        if is_member
        else reverse("coaching:session", args=[session.pk]),
        url_label="Open coaching" if is_member else "Open the session",
        source=session,
    )


def coach_action_item(item: ActionItem) -> Item:
    return Item(
        kind=ItemKind.COACH_ACTION,
        object_id=item.pk,
        title=item.title,
        reason=f"From your session with {item.session.coach_name}.",
        due=item.due_on,
        url=reverse("coaching:home"),
        url_label="Open coaching",
        done_label="Done",
        source=item,
    )


def _comment_url(comment: Comment, offer_opportunities: dict[int, int]) -> str:
    match comment.kind:
        case Comment.Kind.DEBRIEF:
            return debrief_url(comment.object_id)
        case Comment.Kind.STORY:
            return _detail_url("stories:detail", comment.object_id)
        case Comment.Kind.PREP:
            return reverse("stories:prep", args=[comment.object_id])
    opportunity = offer_opportunities.get(comment.object_id)
    return f"{opportunity_url(opportunity)}#offers" if opportunity else reverse("coaching:home")


def coach_comment_item(comment: Comment, offer_opportunities: dict[int, int]) -> Item:
    """A comment from the coach, until the member marks it read."""
    return Item(
        kind=ItemKind.COACH_COMMENT,
        object_id=comment.pk,
        title=f"{comment.coach_name} commented on your {comment.title}",
        reason=comment.body[:200],
        due=comment.created_at.date(),
        url=_comment_url(comment, offer_opportunities),
        url_label="Open it",
        done_label="Read",
        source=comment,
    )

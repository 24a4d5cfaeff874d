"""What a line in Today is, and how each app's rows become one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

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
    # A call with no one named yet: its Done asks who to call rather than how the call went.
    needs_name: bool = False
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


# Each kind of line is written from plain values (`*_line`), so that Today can read just
# those values for the rows it shows, in compile-once queries (sources.py). The `*_item`
# functions give the same line for one model instance, as the item's own page reads it.


def action_line(
    *, pk: int, title: str, due_on: dt.date, debrief_id: int, employer: str, theme: str
) -> Item:
    """`theme` is the theme's label, or empty when the action has none."""
    theme = f" ({theme.lower()})" if theme else ""
    return Item(
        kind=ItemKind.ACTION,
        object_id=pk,
        title=title,
        reason=f"From the {employer} debrief{theme}: turn the feedback into work.",
        due=due_on,
        url=f"{debrief_url(debrief_id)}#action-{pk}",
        url_label="Open the debrief",
        done_label="Done",
    )


def action_item(action: ImprovementAction) -> Item:
    return _from(
        action,
        action_line(
            pk=action.pk,
            title=action.title,
            due_on=action.due_on,
            debrief_id=action.debrief_id,
            employer=str(action.debrief.opportunity.organization),
            theme=action.theme.get_theme_display() if action.theme_id else "",
        ),
    )


def milestone_line(
    *, pk: int, title: str, due_on: dt.date | None, goal_id: int, goal_title: str
) -> Item:
    return Item(
        kind=ItemKind.MILESTONE,
        object_id=pk,
        title=title,
        reason=f"A milestone toward your goal: {goal_title}.",
        due=due_on or dt.date.max,
        url=_detail_url("stories:goal", goal_id),
        url_label="Open the goal",
        done_label="Done",
    )


def milestone_item(milestone: Milestone) -> Item:
    return _from(
        milestone,
        milestone_line(
            pk=milestone.pk,
            title=milestone.title,
            due_on=milestone.due_on,
            goal_id=milestone.goal_id,
            goal_title=milestone.goal.title,
        ),
    )


def offer_line(
    *, pk: int, deadline: dt.date | None, opportunity_id: int, role: str, employer: str
) -> Item:
    """An offer waiting for the member's answer, due on its decision deadline. It is done
    on the opportunity's page: accepted, declined, or replaced by a revised offer."""
    return Item(
        kind=ItemKind.OFFER,
        object_id=pk,
        title=f"Decide on the {role} offer from {employer}",
        reason="Compare it with your other offers and negotiate before you answer; "
        "asking for a day or two more is normal.",
        due=deadline or dt.date.max,
        url=f"{opportunity_url(opportunity_id)}#offers",
        url_label="Open the offer",
    )


def offer_item(offer: Offer) -> Item:
    opp = offer.opportunity
    return _from(
        offer,
        offer_line(pk=offer.pk, deadline=offer.decision_deadline, **_named(opp)),
    )


def follow_up_line(
    *,
    pk: int,
    role: str,
    employer: str,
    applied_on: dt.date | None,
    found_on: dt.date,
    followed_up_on: dt.date | None,
    days: int,
) -> Item:
    applied = applied_on or found_on
    last = max(applied, followed_up_on or applied)
    since = (
        f"your last follow-up on {_short_date(last)}"
        if followed_up_on and followed_up_on >= applied
        else f"you applied on {_short_date(last)}"
    )
    return Item(
        kind=ItemKind.FOLLOW_UP,
        object_id=pk,
        title=f"Follow up on {role} at {employer}",
        reason=f"No reply since {since}. A short, polite note keeps you in mind.",
        due=last + dt.timedelta(days=days),
        url=opportunity_url(pk),
        url_label="Open the opportunity",
        done_label="Followed up",
    )


def follow_up_item(opportunity: Opportunity, *, days: int) -> Item:
    return _from(
        opportunity,
        follow_up_line(
            pk=opportunity.pk,
            role=opportunity.title,
            employer=str(opportunity.organization),
            applied_on=opportunity.applied_on,
            found_on=opportunity.found_on,
            followed_up_on=opportunity.followed_up_on,
            days=days,
        ),
    )


def call_line(
    *,
    pk: int,
    call_by: dt.date,
    contact_name: str | None,
    role: str,
    employer: str,
    tries: int,
) -> Item:
    """`contact_name` is None while nobody is named to call."""
    if contact_name is not None:
        title = f"Call {contact_name} about the {role} decision"
        reason = "Ask what would make you a stronger candidate: come to learn, never to argue."
    else:
        title = f"Find out who to call about the {role} decision at {employer}"
        reason = "Name the hiring manager so you can ask for their perspective."
    if tries:
        reason = f"{tries} {'try' if tries == 1 else 'tries'} so far, no answer yet. " + reason
    named = contact_name is not None
    return Item(
        kind=ItemKind.CALL,
        object_id=pk,
        title=title,
        reason=reason,
        due=call_by,
        url=f"{debrief_url(pk)}#section-{'call' if named else 'contact'}",
        url_label="Open the debrief",
        done_label="Log the call" if named else "Name them",
        needs_name=not named,
    )


def call_item(debrief: Debrief) -> Item:
    opp = debrief.opportunity
    return _from(
        debrief,
        call_line(
            pk=debrief.pk,
            call_by=debrief.call_by,
            contact_name=debrief.contact.name if debrief.contact_id else None,
            role=opp.title,
            employer=str(opp.organization),
            tries=len(debrief.attempts.all()),
        ),
    )


def debrief_thanks_line(
    *,
    pk: int,
    call_by: dt.date,
    ended: dt.datetime | None,
    contact_name: str | None,
    opportunity: str,
    reached: bool,
    clock: Clock,
) -> Item:
    """`ended` is the last try or when the feedback was written down, whichever is later."""
    due = clock.local_date(ended) if ended else call_by
    who = contact_name if contact_name is not None else f"the team at {opportunity}"
    reason = (
        "Thank them sincerely for whatever they shared: it is the impression that lasts."
        if reached
        else "They did not pick up: a short thank-you email leaves the same good impression."
    )
    return Item(
        kind=ItemKind.DEBRIEF_THANKS,
        object_id=pk,
        title=f"Send {who} a thank-you note",
        reason=reason,
        due=due,
        url=f"{debrief_url(pk)}#section-thank_you",
        url_label="Open the debrief",
        done_label="Sent it",
    )


def debrief_thanks_item(debrief: Debrief, clock: Clock) -> Item:
    moments = [a.attempted_at for a in debrief.attempts.all()]
    if debrief.feedback_recorded_at:
        moments.append(debrief.feedback_recorded_at)
    return _from(
        debrief,
        debrief_thanks_line(
            pk=debrief.pk,
            call_by=debrief.call_by,
            ended=max(moments) if moments else None,
            contact_name=debrief.contact.name if debrief.contact_id else None,
            opportunity=str(debrief.opportunity),
            reached=debrief.reached,
            clock=clock,
        ),
    )


def interview_line(
    *,
    pk: int,
    kind: str,
    scheduled_at: dt.datetime,
    prep_notes: str,
    opportunity_id: int,
    role: str,
    employer: str,
    interviewers: list[str],
    clock: Clock,
) -> Item:
    """`kind` is the kind's label (as `get_kind_display()` gives it)."""
    with_whom = f" with {', '.join(interviewers)}" if interviewers else ""
    reason = (
        "Your prep notes are ready to review."
        if prep_notes.strip()
        else "No prep notes yet: match your stories to the job's requirements."
    )
    return Item(
        kind=ItemKind.INTERVIEW,
        object_id=pk,
        title=f"{kind} interview for {role} at {employer}{with_whom}",
        reason=reason,
        due=clock.local_date(scheduled_at),
        at=scheduled_at,
        url=f"{opportunity_url(opportunity_id)}#interview-{pk}",
        url_label="Open the opportunity",
    )


def interview_item(interview: Interview, clock: Clock) -> Item:
    opp = interview.opportunity
    return _from(
        interview,
        interview_line(
            pk=interview.pk,
            kind=interview.get_kind_display(),
            scheduled_at=interview.scheduled_at,
            prep_notes=interview.prep_notes,
            **_named(opp),
            interviewers=[c.name for c in interview.interviewers.all()],
            clock=clock,
        ),
    )


def interview_thanks_line(
    *, pk: int, scheduled_at: dt.datetime, opportunity_id: int, role: str, employer: str,
    clock: Clock,
) -> Item:  # fmt: skip
    return Item(
        kind=ItemKind.INTERVIEW_THANKS,
        object_id=pk,
        title=f"Send a thank-you note after the {role} interview at {employer}",
        reason="Within a day: thank them and restate the one strength that fits the job.",
        due=clock.local_date(scheduled_at),
        at=scheduled_at,
        url=f"{opportunity_url(opportunity_id)}#interview-{pk}",
        url_label="Open the opportunity",
        done_label="Sent it",
    )


def interview_thanks_item(interview: Interview, clock: Clock) -> Item:
    opp = interview.opportunity
    return _from(
        interview,
        interview_thanks_line(
            pk=interview.pk, scheduled_at=interview.scheduled_at, clock=clock, **_named(opp)
        ),
    )


def touch_line(
    *,
    pk: int,
    name: str,
    organization: str | None,
    next_touch_on: dt.date | None,
    next_touch_note: str,
    closed_with: str | None,
    last_touched: dt.date | None,
    today: dt.date,
) -> Item:
    """A touch is logged from Today once it is due; before that, on the contact's page.
    `closed_with` is the employer of the contact's latest closed debrief, if any."""
    if closed_with is not None:
        reason = f"You last spoke with {name} after the {closed_with} decision."
    elif last_touched:
        reason = f"Your last touch was on {_short_date(last_touched)}."
    else:
        reason = "Keep the relationship warm before you need it."
    where = f" ({organization})" if organization is not None else ""
    due = next_touch_on or today
    return Item(
        kind=ItemKind.TOUCH,
        object_id=pk,
        title=f"Get in touch with {name}{where}",
        reason=reason,
        due=due,
        url=contact_url(pk),
        url_label="Open the contact",
        done_label="Log a touch" if due <= today else "",
        note=next_touch_note,
    )


def touch_item(contact: Contact, *, today: dt.date, last_touched: dt.date | None = None) -> Item:
    closed = getattr(contact, "closed_debriefs", [])
    return _from(
        contact,
        touch_line(
            pk=contact.pk,
            name=contact.name,
            organization=str(contact.organization) if contact.organization_id else None,
            next_touch_on=contact.next_touch_on,
            next_touch_note=contact.next_touch_note,
            closed_with=str(closed[0].opportunity.organization) if closed else None,
            last_touched=last_touched,
            today=today,
        ),
    )


def event_line(
    *, pk: int, name: str, host: str | None, starts_at: dt.datetime, people: list[str],
    clock: Clock,
) -> Item:  # fmt: skip
    """`host` is the organization holding the event, if any."""
    if people:
        reason = "Reconnect there with " + ", ".join(people) + "."
    else:
        reason = "Decide who you want to see there, and what you will ask them."
    return Item(
        kind=ItemKind.EVENT,
        object_id=pk,
        title=f"{name} ({host})" if host is not None else name,
        reason=reason,
        due=clock.local_date(starts_at),
        at=starts_at,
        url=event_url(pk),
        url_label="Open the event",
        people=people,
    )


def event_item(event: Event, people: list[str], clock: Clock) -> Item:
    return _from(
        event,
        event_line(
            pk=event.pk,
            name=event.name,
            host=str(event.organization) if event.organization_id else None,
            starts_at=event.starts_at,
            people=people,
            clock=clock,
        ),
    )


def _named(opportunity: Opportunity) -> dict[str, Any]:
    """How a line names an opportunity: its id, its role and its employer."""
    return {
        "opportunity_id": opportunity.pk,
        "role": opportunity.title,
        "employer": str(opportunity.organization),
    }


def _from(row: object, item: Item) -> Item:
    """The line, with the row it was written from (for the item's own page)."""
    item.source = row
    return item


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

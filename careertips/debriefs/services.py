"""The rejection debrief: open it, plan and log the call, capture feedback, thank, close."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careertips.core import outbound
from careertips.core.access import owned_or_404, prepared_or_404
from careertips.core.events import emit
from careertips.core.models import OutboundMail, User
from careertips.core.prepared import Prepared, set_prefetched
from careertips.core.validators import validate_single_line
from careertips.debriefs import emails
from careertips.debriefs.models import (
    CallAttempt,
    Debrief,
    FeedbackTheme,
    ImprovementAction,
    ThankYouChannel,
    Theme,
)
from careertips.network.models import Contact, Organization
from careertips.network.services import organization_named
from careertips.pipeline.models import Opportunity

CALL_WITHIN_BUSINESS_DAYS = 3
CALL_BY_MAX_DAYS_OUT = 60
ACTION_DUE_DAYS = 7
NEXT_TOUCH_DEFAULT_DAYS = 90
NEXT_TOUCH_MAX_DAYS = 730
# The OutboundMail kind of an emailed thank-you note (its object is the debrief).
THANK_YOU_MAIL = "debriefs.thank_you"


# The debrief with everything its page shows, as select_related() and prefetch_related() gave
# it, from statements compiled once per process (core.prepared): every view of a debrief reads
# it, and building those four querysets cost the ORM several times what running them does.
_DEBRIEF = Prepared(
    lambda owner, pk: Debrief.objects.filter(owner_id=owner, pk=pk).select_related(
        "owner", "opportunity__organization", "contact__organization", "contact__meet_at"
    ),
    owner=int,
    pk=int,
)
_ATTEMPTS = Prepared(lambda debrief: CallAttempt.objects.filter(debrief_id=debrief), debrief=int)
_THEMES = Prepared(lambda debrief: FeedbackTheme.objects.filter(debrief_id=debrief), debrief=int)
_ACTIONS = Prepared(
    lambda debrief: ImprovementAction.objects.filter(debrief_id=debrief), debrief=int
)


def get_debrief_for(user: Any, pk: Any) -> Debrief:
    """The member's debrief with everything its page shows, or 404."""
    debrief = prepared_or_404(_DEBRIEF, user, pk, "debrief")
    set_prefetched(debrief, "attempts", _ATTEMPTS.instances(debrief=debrief.pk))
    set_prefetched(debrief, "themes", _THEMES.instances(debrief=debrief.pk))
    set_prefetched(debrief, "actions", _ACTIONS.instances(debrief=debrief.pk))
    return debrief


def get_action_for(user: Any, pk: int) -> ImprovementAction:
    rows = ImprovementAction.objects.owned_by(user).select_related(
        "debrief__opportunity__organization", "theme"
    )
    return owned_or_404(rows, pk, "action")


def add_business_days(start: dt.date, days: int) -> dt.date:
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def local_date(user: User, when: dt.datetime) -> dt.date:
    """The calendar day `when` falls on for the member, wherever the code runs."""
    try:
        return when.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.localdate(when)


def _require_open(debrief: Debrief, doing: str) -> None:
    if not debrief.is_open:
        status = debrief.get_status_display().lower()
        raise ValidationError(f"This debrief is {status}; reopen it to {doing}.")


@transaction.atomic
def open_debrief(*, opportunity: Opportunity, when: dt.datetime | None = None) -> Debrief:
    """Opens the debrief for an opportunity, or returns the one it already has."""
    when = when or timezone.now()
    existing = Debrief.objects.filter(opportunity=opportunity).first()
    if existing is not None:
        return existing
    today = local_date(opportunity.owner, when)
    debrief = Debrief.objects.create(
        opportunity=opportunity,
        owner_id=opportunity.owner_id,
        contact=opportunity.hiring_manager,
        call_by=add_business_days(today, CALL_WITHIN_BUSINESS_DAYS),
        created_at=when,
    )
    emit(
        "debrief.opened",
        debrief.owner_id,
        {"debrief_id": debrief.pk, "opportunity_id": opportunity.pk, "status": debrief.status},
    )
    return debrief


@transaction.atomic
def dismiss_debrief(*, debrief: Debrief, reason: str) -> Debrief:
    _require_open(debrief, "dismiss it")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why you are skipping this debrief."})
    if len(reason) > 500:
        raise ValidationError({"reason": "Keep the reason under 500 characters."})
    debrief.status = Debrief.Status.DISMISSED
    debrief.dismissed_reason = reason
    debrief.closed_at = timezone.now()
    debrief.save(update_fields=["status", "dismissed_reason", "closed_at", "updated_at"])
    emit(
        "debrief.closed",
        debrief.owner_id,
        {
            "debrief_id": debrief.pk,
            "opportunity_id": debrief.opportunity_id,
            "status": debrief.status,
        },
    )
    return debrief


@transaction.atomic
def reopen_debrief(*, debrief: Debrief) -> Debrief:
    if debrief.is_open:
        return debrief
    debrief.status = Debrief.Status.OPEN
    debrief.dismissed_reason = ""
    debrief.closed_at = None
    debrief.save(update_fields=["status", "dismissed_reason", "closed_at", "updated_at"])
    return debrief


def _new_contact(*, debrief: Debrief, name: str, title: str, email: str, phone: str) -> Contact:
    if not name.strip():
        raise ValidationError({"name": "Give the hiring manager's name, or pick a contact."})
    contact = Contact(
        owner_id=debrief.owner_id,
        name=" ".join(name.split()),
        title=title.strip(),
        email=email.strip(),
        phone=phone.strip(),
        organization=debrief.opportunity.organization,
        relationship=Contact.Relationship.HIRING_MANAGER,
    )
    contact.full_clean(exclude=["owner"])
    contact.save()
    return contact


@transaction.atomic
def set_debrief_contact(
    *,
    debrief: Debrief,
    contact: Contact | None = None,
    name: str = "",
    title: str = "",
    email: str = "",
    phone: str = "",
) -> Contact:
    """Names who to call: one of the member's contacts, or a new one at the employer."""
    _require_open(debrief, "change who to call")
    if contact is not None and contact.owner_id != debrief.owner_id:
        raise ValidationError({"contact": "Pick one of your own contacts."})
    if contact is None:
        contact = _new_contact(debrief=debrief, name=name, title=title, email=email, phone=phone)
    debrief.contact = contact
    debrief.save(update_fields=["contact", "updated_at"])
    opportunity = debrief.opportunity
    if opportunity.hiring_manager_id is None:
        opportunity.hiring_manager = contact
        opportunity.save(update_fields=["hiring_manager", "updated_at"])
    return contact


def validate_call_by(*, debrief: Debrief, call_by: dt.date, today: dt.date) -> None:
    decided = debrief.decided_on
    if call_by < decided:
        raise ValidationError(
            {"call_by": f"Pick a day on or after the decision ({decided:%b} {decided.day}, "
             f"{decided.year})."}
        )  # fmt: skip
    if call_by > today + dt.timedelta(days=CALL_BY_MAX_DAYS_OUT):
        raise ValidationError(
            {"call_by": f"Call within {CALL_BY_MAX_DAYS_OUT} days; memories fade fast."}
        )


@transaction.atomic
def set_call_by(*, debrief: Debrief, call_by: dt.date, today: dt.date) -> Debrief:
    _require_open(debrief, "change the call-by date")
    validate_call_by(debrief=debrief, call_by=call_by, today=today)
    debrief.call_by = call_by
    debrief.save(update_fields=["call_by", "updated_at"])
    return debrief


@transaction.atomic
def log_attempt(
    *,
    debrief: Debrief,
    channel: str,
    outcome: str,
    note: str = "",
    when: dt.datetime | None = None,
) -> CallAttempt:
    """Records one try at reaching them; the same try submitted twice is kept once."""
    _require_open(debrief, "log another attempt")
    if channel not in CallAttempt.Channel.values:
        raise ValidationError({"channel": "Choose how you tried to reach them."})
    if outcome not in CallAttempt.Outcome.values:
        raise ValidationError({"outcome": "Choose what happened."})
    if len(note) > 1000:
        raise ValidationError({"note": "Keep the note under 1,000 characters."})
    when = when or timezone.now()
    # A little slack for clocks that run slightly ahead of the server's.
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"attempted_at": "An attempt cannot be in the future."})
    attempt, _ = CallAttempt.objects.get_or_create(
        debrief=debrief,
        attempted_at=when,
        channel=channel,
        outcome=outcome,
        defaults={"note": note.strip()},
    )
    return attempt


def suggest_action(*, debrief: Debrief, theme: str, detail: str) -> str | None:
    """The improvement a theme calls for, in the member's own terms; None when nothing to do."""
    opp = debrief.opportunity
    who = debrief.contact.name if debrief.contact_id and debrief.contact else "the hiring manager"
    in_detail = f" in {detail}" if detail else ""
    aside = f" ({detail})" if detail else ""
    suggestions = {
        Theme.STORY_NOT_STRONG: f"Rework your accomplishment story about {detail or opp.title}: "
        "open with the result, put a number on it, and tell it in under two minutes.",
        Theme.EXPERIENCE_GAP: "Prepare how you position related experience to cover the gap "
        f"they saw{in_detail}, with one concrete example ready.",
        Theme.SKILLS_GAP: f"Close or position the skills gap{in_detail}: a course, a project, "
        "or related work you can point to.",
        Theme.INTERVIEW_PRESENCE: "Rehearse out loud with a friend or coach"
        + (f", focusing on {detail}." if detail else ": pace, eye contact and concise answers."),
        Theme.FIT: f"Write down what fit meant at {opp.organization}{aside} and look for it "
        "earlier in your next application.",
        Theme.PAY_EXPECTATIONS: f"Research the market range for {opp.title} roles{aside} and "
        "rehearse how you state your expectations.",
        Theme.STRONGER_CANDIDATE: f"Note what the chosen candidate brought{aside} and plan "
        "how you will show it next time.",
        Theme.ROLE_CHANGED: f"Check back with {who} in a few weeks in case the role reopens.",
        Theme.NO_FEEDBACK: None,
    }
    return suggestions[Theme(theme)]


def _clean_themes(themes: Sequence[tuple[str, str]]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for theme, detail in themes:
        if theme not in Theme.values:
            raise ValidationError({"themes": f"Unknown theme: {theme[:40]}."})
        if len(detail.strip()) > 200:
            raise ValidationError({"themes": "Keep each detail under 200 characters."})
        cleaned[theme] = " ".join(detail.split())
    return cleaned


def _drop_theme(row: FeedbackTheme) -> None:
    # Pending work for a theme the member took back goes; finished work stays as history.
    row.actions.filter(done_at__isnull=True).delete()
    row.delete()


def _update_theme(*, debrief: Debrief, row: FeedbackTheme, detail: str) -> None:
    if row.detail == detail:
        return
    row.detail = detail
    row.save(update_fields=["detail"])
    title = suggest_action(debrief=debrief, theme=row.theme, detail=detail)
    if title:
        row.actions.filter(done_at__isnull=True).update(title=title, updated_at=timezone.now())


def _add_theme(
    *, debrief: Debrief, theme: str, detail: str, due: dt.date
) -> ImprovementAction | None:
    row = FeedbackTheme.objects.create(debrief=debrief, theme=theme, detail=detail)
    title = suggest_action(debrief=debrief, theme=theme, detail=detail)
    if not title:
        return None
    return ImprovementAction.objects.create(
        owner_id=debrief.owner_id, debrief=debrief, theme=row, title=title, due_on=due
    )


@transaction.atomic
def record_feedback(
    *,
    debrief: Debrief,
    feedback: str,
    themes: Sequence[tuple[str, str]],
    when: dt.datetime | None = None,
) -> list[ImprovementAction]:
    """Saves what was heard; the themes become exactly the ones given, and each new theme
    adds the improvement action it suggests. Returns the actions created."""
    _require_open(debrief, "change the feedback")
    wanted = _clean_themes(themes)
    if not feedback.strip() and not wanted:
        raise ValidationError({"feedback": "Write down what you heard, or tick a theme."})
    when = when or timezone.now()
    debrief.feedback = feedback.strip()
    debrief.feedback_recorded_at = when
    debrief.save(update_fields=["feedback", "feedback_recorded_at", "updated_at"])
    existing = {row.theme: row for row in FeedbackTheme.objects.filter(debrief=debrief)}
    for theme, row in existing.items():
        if theme not in wanted:
            _drop_theme(row)
    due = local_date(debrief.owner, when) + dt.timedelta(days=ACTION_DUE_DAYS)
    created: list[ImprovementAction] = []
    for theme, detail in wanted.items():
        if theme in existing:
            _update_theme(debrief=debrief, row=existing[theme], detail=detail)
        elif action := _add_theme(debrief=debrief, theme=theme, detail=detail, due=due):
            created.append(action)
    return created


def _heard_details(debrief: Debrief) -> list[str]:
    return [t.detail for t in debrief.themes.all() if t.detail and t.theme != Theme.NO_FEEDBACK]


def _thank_you_middle(debrief: Debrief) -> str:
    details = _heard_details(debrief)
    if details:
        about = " and ".join(details[:2])
        return (
            f"What you said about {about} gives me something concrete to work on, and I "
            "am already putting it to use. I appreciate your candour."
        )
    if debrief.feedback.strip():
        return (
            "Your candid feedback is genuinely useful, and I am already putting it to "
            "work. Hearing it directly from you means a great deal."
        )
    return (
        "I understand the decision, and I appreciate the care you and your team took "
        "throughout the process."
    )


def draft_thank_you(*, debrief: Debrief) -> tuple[str, str]:
    """A short, sincere note built from the names and what was said."""
    opp = debrief.opportunity
    first = debrief.contact_first_name
    greeting = f"Dear {first}," if first else "Hello,"
    me = debrief.owner.display_name or debrief.owner.short_name
    if debrief.should_stop_calling:
        # We never got through: a brief note leaves the same good impression as the call.
        subject = f"Thank you for considering me: {opp.title}"
        opening = (
            f"Thank you for considering me for the {opp.title} role at {opp.organization}. "
            "I tried to reach you by phone, but I know how busy things get, so I wanted "
            "to say thank you here instead."
        )
    else:
        subject = f"Thank you: {opp.title}"
        opening = (
            f"Thank you for taking the time to talk with me about the {opp.title} role "
            f"at {opp.organization}. {_thank_you_middle(debrief)}"
        )
    body = (
        f"{greeting}\n\n{opening}\n\n"
        f"I enjoyed getting to know the team and remain very interested in {opp.organization}. "
        "If another opening comes up where I could help, I would welcome the chance to be "
        "considered, and I hope our paths cross again soon.\n\n"
        f"With thanks,\n{me}\n"
    )
    return subject, body


def _check_note(*, subject: str, body: str) -> None:
    if not body.strip():
        raise ValidationError({"body": "The note is empty."})
    if len(body) > 10_000:
        raise ValidationError({"body": "Keep the note under 10,000 characters."})
    if len(subject.strip()) > 200:
        raise ValidationError({"subject": "Keep the subject under 200 characters."})
    try:
        validate_single_line(subject)
    except ValidationError as error:
        raise ValidationError({"subject": error.messages}) from None


@transaction.atomic
def save_thank_you_draft(*, debrief: Debrief, subject: str, body: str) -> Debrief:
    _require_open(debrief, "edit the thank-you note")
    if debrief.thank_you_sent_at:
        raise ValidationError("The thank-you note has already been sent.")
    _check_note(subject=subject, body=body)
    debrief.thank_you_subject = subject.strip()
    debrief.thank_you_body = body.strip()
    debrief.save(update_fields=["thank_you_subject", "thank_you_body", "updated_at"])
    return debrief


@transaction.atomic
def send_thank_you(
    *, debrief: Debrief, subject: str, body: str, channel: str, when: dt.datetime | None = None
) -> Debrief:
    """Records the thank-you; with channel "email" it is also sent from the app, once."""
    _require_open(debrief, "send the thank-you note")
    # Lock the row so a double click cannot send the note twice.
    locked = Debrief.objects.select_for_update().get(pk=debrief.pk)
    if locked.thank_you_sent_at:
        raise ValidationError("The thank-you note has already been sent.")
    if channel not in ThankYouChannel.values:
        raise ValidationError({"channel": "Choose how the note was sent."})
    _check_note(subject=subject, body=body)
    if channel == ThankYouChannel.EMAIL and not (debrief.contact_id and debrief.contact.email):
        raise ValidationError(
            {"channel": "Add an email address for the contact to send from here, "
             "or copy the note and mark it sent."}
        )  # fmt: skip
    if channel == ThankYouChannel.EMAIL:
        outbound.ensure_member_may_send(user=debrief.owner, field="channel")
    debrief.thank_you_subject = subject.strip() or draft_thank_you(debrief=debrief)[0]
    debrief.thank_you_body = body.strip()
    debrief.thank_you_channel = channel
    debrief.thank_you_sent_at = when or timezone.now()
    debrief.save(
        update_fields=[
            "thank_you_subject", "thank_you_body", "thank_you_channel", "thank_you_sent_at",
            "updated_at",
        ]
    )  # fmt: skip
    if channel == ThankYouChannel.EMAIL:
        outbound.queue_mail(
            message=emails.thank_you(debrief),
            kind=THANK_YOU_MAIL,
            object_id=debrief.pk,
            owner=debrief.owner,
            member_sent=True,
        )
    return debrief


def thank_you_mail(debrief: Debrief) -> OutboundMail | None:
    """How the emailed thank-you note's delivery went (None when it was not emailed)."""
    if debrief.thank_you_channel != ThankYouChannel.EMAIL:
        return None
    return outbound.latest_for(THANK_YOU_MAIL, debrief.pk)


@transaction.atomic
def complete_action(*, action: ImprovementAction, done: bool = True) -> ImprovementAction:
    """Marks an action done (keeping the first time it was) or not done again."""
    if done and action.done_at is None:
        action.done_at = timezone.now()
    elif not done:
        action.done_at = None
    action.save(update_fields=["done_at", "updated_at"])
    return action


def _meeting_place(
    *, debrief: Debrief, meet_at: Organization | None, meet_at_name: str
) -> Organization | None:
    if meet_at is not None:
        if meet_at.owner_id != debrief.owner_id:
            raise ValidationError({"meet_at": "Pick one of your own organizations."})
        return meet_at
    name = " ".join(meet_at_name.split())
    if not name:
        return None
    if len(name) > 200:
        raise ValidationError({"meet_at_name": "Keep the name under 200 characters."})
    return organization_named(owner=debrief.owner, name=name, kind=Organization.Kind.ASSOCIATION)


def validate_next_touch(*, next_touch_on: dt.date, today: dt.date) -> None:
    if next_touch_on <= today:
        raise ValidationError({"next_touch_on": "Pick a date after today for the next touch."})
    if next_touch_on > today + dt.timedelta(days=NEXT_TOUCH_MAX_DAYS):
        raise ValidationError({"next_touch_on": "Pick a next touch within two years."})


def _keep_in_network(
    *,
    debrief: Debrief,
    contact: Contact,
    next_touch_on: dt.date,
    meet_at: Organization | None,
    note: str,
) -> Contact:
    contact.next_touch_on = next_touch_on
    contact.next_touch_note = (
        note.strip() or f"Keep in touch after the {debrief.opportunity.title} decision"
    )[:300]
    fields = ["next_touch_on", "next_touch_note", "relationship", "how_we_met", "updated_at"]
    if meet_at is not None:
        contact.meet_at = meet_at
        fields.append("meet_at")
    if contact.relationship == Contact.Relationship.OTHER:
        contact.relationship = Contact.Relationship.HIRING_MANAGER
    if not contact.how_we_met:
        contact.how_we_met = f"Interviewed me for {debrief.opportunity}"[:300]
    contact.save(update_fields=fields)
    return contact


@transaction.atomic
def close_debrief(
    *,
    debrief: Debrief,
    next_touch_on: dt.date,
    meet_at: Organization | None = None,
    meet_at_name: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Debrief:
    """Closes the debrief and keeps the hiring manager in the network."""
    _require_open(debrief, "close it again")
    today = today or debrief.owner.local_today()
    contact = debrief.contact
    if contact is None:
        raise ValidationError("Name who you spoke with before closing the debrief.")
    validate_next_touch(next_touch_on=next_touch_on, today=today)
    if len(note) > 300:
        raise ValidationError({"note": "Keep the note under 300 characters."})
    place = _meeting_place(debrief=debrief, meet_at=meet_at, meet_at_name=meet_at_name)
    _keep_in_network(
        debrief=debrief, contact=contact, next_touch_on=next_touch_on, meet_at=place, note=note
    )
    debrief.status = Debrief.Status.CLOSED
    debrief.closed_at = timezone.now()
    debrief.save(update_fields=["status", "closed_at", "updated_at"])
    emit(
        "debrief.closed",
        debrief.owner_id,
        {
            "debrief_id": debrief.pk,
            "opportunity_id": debrief.opportunity_id,
            "status": debrief.status,
        },
    )
    return debrief

"""The rejection debrief: open it, plan and log the call, capture feedback, thank, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from careertips.debriefs.models import (
    CallAttempt,
    Debrief,
    FeedbackTheme,
    ImprovementAction,
    Theme,
)
from careertips.network.models import Contact, Organization
from careertips.pipeline.models import Opportunity

CALL_WITHIN_BUSINESS_DAYS = 3
ACTION_DUE_DAYS = 7


def get_debrief_for(user: Any, pk: int) -> Debrief:
    try:
        return (
            Debrief.objects.owned_by(user)
            .select_related("opportunity__organization", "contact__organization")
            .get(pk=pk)
        )
    except Debrief.DoesNotExist:
        raise Http404("No such debrief.") from None


def get_action_for(user: Any, pk: int) -> ImprovementAction:
    try:
        return ImprovementAction.objects.owned_by(user).select_related("debrief").get(pk=pk)
    except ImprovementAction.DoesNotExist:
        raise Http404("No such action.") from None


def add_business_days(start: dt.date, days: int) -> dt.date:
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


@transaction.atomic
def open_debrief(*, opportunity: Opportunity, when: dt.datetime | None = None) -> Debrief:
    """Opens the debrief for an opportunity, or returns the one already open."""
    when = when or timezone.now()
    debrief, _ = Debrief.objects.get_or_create(
        opportunity=opportunity,
        defaults={
            "owner_id": opportunity.owner_id,
            "contact": opportunity.hiring_manager,
            "call_by": add_business_days(timezone.localdate(when), CALL_WITHIN_BUSINESS_DAYS),
            "created_at": when,
        },
    )
    return debrief


@transaction.atomic
def dismiss_debrief(*, debrief: Debrief, reason: str) -> Debrief:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why you are skipping this debrief."})
    debrief.status = Debrief.Status.DISMISSED
    debrief.dismissed_reason = reason[:500]
    debrief.closed_at = timezone.now()
    debrief.save(update_fields=["status", "dismissed_reason", "closed_at", "updated_at"])
    return debrief


@transaction.atomic
def reopen_debrief(*, debrief: Debrief) -> Debrief:
    debrief.status = Debrief.Status.OPEN
    debrief.dismissed_reason = ""
    debrief.closed_at = None
    debrief.save(update_fields=["status", "dismissed_reason", "closed_at", "updated_at"])
    return debrief


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
    """Names who to call: an existing contact, or a new one at the employer."""
    if contact is None:
        if not name.strip():
            raise ValidationError({"name": "Give the hiring manager's name, or pick a contact."})
        contact = Contact.objects.create(
            owner_id=debrief.owner_id,
            name=name.strip(),
            title=title.strip(),
            email=email.strip(),
            phone=phone.strip(),
            organization=debrief.opportunity.organization,
            relationship=Contact.Relationship.HIRING_MANAGER,
        )
    debrief.contact = contact
    debrief.save(update_fields=["contact", "updated_at"])
    opportunity = debrief.opportunity
    if opportunity.hiring_manager_id is None:
        opportunity.hiring_manager = contact
        opportunity.save(update_fields=["hiring_manager", "updated_at"])
    return contact


@transaction.atomic
def log_attempt(
    *,
    debrief: Debrief,
    channel: str,
    outcome: str,
    note: str = "",
    when: dt.datetime | None = None,
) -> CallAttempt:
    if not debrief.is_open:
        raise ValidationError("This debrief is closed; reopen it to log another attempt.")
    when = when or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"attempted_at": "An attempt cannot be in the future."})
    return CallAttempt.objects.create(
        debrief=debrief, channel=channel, outcome=outcome, note=note[:1000], attempted_at=when
    )


def suggest_action(*, debrief: Debrief, theme: str, detail: str) -> str | None:
    """The improvement a theme calls for, in the member's own terms; None when nothing to do."""
    opp = debrief.opportunity
    who = debrief.contact.name if debrief.contact_id else "the hiring manager"
    topic = detail or opp.title
    suggestions = {
        Theme.STORY_NOT_STRONG: f"Strengthen the story about {topic}: lead with the result "
        "and put a number on it.",
        Theme.EXPERIENCE_GAP: f"Prepare how to position related experience for {topic}.",
        Theme.SKILLS_GAP: f"Close or position the skills gap in {topic}: a course, a project, "
        "or related work you can point to.",
        Theme.INTERVIEW_PRESENCE: "Rehearse out loud with a friend or coach"
        + (f", focusing on {detail}." if detail else ": posture, pace and concise answers."),
        Theme.FIT: f"Write down what fit meant at {opp.organization}"
        + (f" ({detail})" if detail else "")
        + " and check for it before the next application.",
        Theme.PAY_EXPECTATIONS: f"Research the market range for {opp.title} and rehearse "
        "how you state your expectations.",
        Theme.STRONGER_CANDIDATE: "Note what the chosen candidate brought"
        + (f" ({detail})" if detail else "")
        + f" and ask {who} to keep you in mind for the next opening.",
        Theme.ROLE_CHANGED: f"Check back with {who} in a few weeks in case the role reopens.",
        Theme.NO_FEEDBACK: None,
    }
    return suggestions.get(Theme(theme))


@transaction.atomic
def record_feedback(
    *,
    debrief: Debrief,
    feedback: str,
    themes: list[tuple[str, str]],
    when: dt.datetime | None = None,
) -> list[ImprovementAction]:
    """Saves what was heard; each new theme adds the improvement action it suggests."""
    when = when or timezone.now()
    debrief.feedback = feedback.strip()
    debrief.feedback_recorded_at = when
    fields = ["feedback", "feedback_recorded_at", "updated_at"]
    if not debrief.thank_you_body:
        debrief.thank_you_subject, debrief.thank_you_body = draft_thank_you(debrief=debrief)
        fields += ["thank_you_subject", "thank_you_body"]
    debrief.save(update_fields=fields)
    existing = {t.theme: t for t in debrief.themes.all()}
    created: list[ImprovementAction] = []
    due = timezone.localdate(when) + dt.timedelta(days=ACTION_DUE_DAYS)
    for theme, detail in themes:
        if theme in existing:
            row = existing[theme]
            if row.detail != detail:
                row.detail = detail[:200]
                row.save(update_fields=["detail"])
            continue
        row = FeedbackTheme.objects.create(debrief=debrief, theme=theme, detail=detail[:200])
        title = suggest_action(debrief=debrief, theme=theme, detail=detail)
        if title:
            created.append(
                ImprovementAction.objects.create(
                    owner_id=debrief.owner_id, debrief=debrief, theme=row, title=title, due_on=due
                )
            )
    return created


def draft_thank_you(*, debrief: Debrief) -> tuple[str, str]:
    """A short, sincere note built from the names and what was said."""
    opp = debrief.opportunity
    first = debrief.contact.name.split(" ")[0] if debrief.contact_id else ""
    greeting = f"Dear {first}," if first else "Hello,"
    me = debrief.owner.display_name or ""
    if debrief.feedback.strip():
        middle = (
            "Your candid feedback is genuinely useful, and I am already putting it to work. "
            "Hearing it directly from you means a great deal."
        )
    else:
        middle = (
            "I understand the decision, and I appreciate the care your team took "
            "throughout the process."
        )
    body = (
        f"{greeting}\n\n"
        f"Thank you for taking the time to talk with me about the {opp.title} role at "
        f"{opp.organization}. {middle}\n\n"
        f"I enjoyed getting to know the team and remain very interested in {opp.organization}. "
        "If another opening comes up where I could help, I would welcome the chance to be "
        "considered, and I hope our paths cross again soon.\n\n"
        f"With thanks,\n{me}".rstrip()
        + "\n"
    )
    return f"Thank you — {opp.title}", body


@transaction.atomic
def send_thank_you(
    *, debrief: Debrief, subject: str, body: str, channel: str, when: dt.datetime | None = None
) -> Debrief:
    """Records the thank-you; with channel "email" it is also sent from the app."""
    if channel not in ("email", "copied"):
        raise ValidationError({"channel": "Choose how the note was sent."})
    if not body.strip():
        raise ValidationError({"body": "The note is empty."})
    if channel == "email" and not (debrief.contact_id and debrief.contact.email):
        raise ValidationError(
            {"channel": "Add an email address for the contact to send from the app, "
             "or copy the note and mark it sent."}
        )  # fmt: skip
    debrief.thank_you_subject = subject.strip()[:200]
    debrief.thank_you_body = body.strip()
    debrief.thank_you_channel = channel
    debrief.thank_you_sent_at = when or timezone.now()
    debrief.save(
        update_fields=[
            "thank_you_subject", "thank_you_body", "thank_you_channel", "thank_you_sent_at",
            "updated_at",
        ]
    )  # fmt: skip
    if channel == "email":
        from careertips.debriefs.tasks import send_thank_you_email

        transaction.on_commit(lambda: send_thank_you_email.enqueue(debrief_id=debrief.pk))
    return debrief


@transaction.atomic
def complete_action(*, action: ImprovementAction, done: bool = True) -> ImprovementAction:
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at", "updated_at"])
    return action


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
    today = today or timezone.localdate()
    if debrief.contact_id is None:
        raise ValidationError("Name who you spoke with before closing the debrief.")
    if next_touch_on <= today:
        raise ValidationError({"next_touch_on": "Pick a date after today for the next touch."})
    if next_touch_on > today + dt.timedelta(days=730):
        raise ValidationError({"next_touch_on": "Pick a next touch within two years."})
    if meet_at is None and meet_at_name.strip():
        from careertips.pipeline.services import get_or_create_organization

        meet_at = get_or_create_organization(
            owner=debrief.owner, name=meet_at_name, kind=Organization.Kind.ASSOCIATION
        )
    contact = debrief.contact
    contact.next_touch_on = next_touch_on
    contact.next_touch_note = (
        note or f"Keep in touch after the {debrief.opportunity.title} decision"
    )[:300]
    contact.meet_at = meet_at
    if contact.relationship == Contact.Relationship.OTHER:
        contact.relationship = Contact.Relationship.HIRING_MANAGER
    contact.save(
        update_fields=["next_touch_on", "next_touch_note", "meet_at", "relationship", "updated_at"]
    )
    debrief.status = Debrief.Status.CLOSED
    debrief.closed_at = timezone.now()
    debrief.save(update_fields=["status", "closed_at", "updated_at"])
    return debrief

"""The call plan for a rejection debrief, written in the practice's voice.

Plain text only: the template escapes it, so names typed by the member are safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from careertips.core.text import first_name
from careertips.debriefs.models import Debrief


@dataclass(frozen=True)
class Rule:
    title: str
    text: str


@dataclass(frozen=True)
class CallPlan:
    purpose: list[str]
    rules: list[Rule]
    opening: str
    voicemail: str
    questions: list[str]
    closing: str


def build_call_plan(*, member_name: str, contact_name: str, role: str, employer: str) -> CallPlan:
    """The plan for one call, with the names filled in."""
    first = first_name(contact_name)
    them = first or "the hiring manager"
    hello = f"Hi {first}" if first else "Hello"
    thanks = f"Thank you, {first}." if first else "Thank you."
    me = member_name.strip() or "your name"
    return CallPlan(
        purpose=_purpose(them=them, employer=employer),
        rules=_rules(them=them),
        opening=(
            f"{hello}, this is {me}. We spoke about the {role} role at {employer}. "
            "I know you have decided to go another way, and I am not calling to change "
            "that. I would really value a few minutes of your perspective on how I could "
            "be a stronger candidate. Is now a good moment, or is there a better time?"
        ),
        voicemail=(
            f"{hello}, this is {me}, about the {role} role. Thank you again for "
            "considering me. I would welcome a couple of minutes of your advice when it "
            "suits you, and I will try you again later this week. Thank you."
        ),
        questions=_questions(employer=employer),
        closing=(
            f"Whatever you hear, end the same way: \u201c{thanks} That is genuinely "
            "helpful, and I appreciate your honesty. I hope our paths cross again.\u201d"
        ),
    )


def _purpose(*, them: str, employer: str) -> list[str]:
    return [
        f"The decision is made, and that frees you. This call is not about getting the "
        f"job back: it is about the impression you leave with {them}. People who give "
        "bad news expect disappointment or a cool silence. A calm, curious professional "
        "who rings to learn is rare, and memorable.",
        f"That memory is what counts: the next time a role opens at {employer}, or when "
        "you find yourselves at the same association meeting, you want to be the "
        "candidate they were glad to hear from. Anything you learn on the call is a bonus.",
        "There is no downside. You cannot be turned down twice.",
    ]


def _rules(*, them: str) -> list[Rule]:
    return [
        Rule("Come to learn.", "You are gathering information, not making a case."),
        Rule(
            "Stay composed.",
            "If something stings, pause and say \u201cthat is helpful to hear.\u201d "
            "No explaining, no defending.",
        ),
        Rule(
            "Leave the decision alone.",
            "Never argue with it or try to reverse it; accepting it gracefully is "
            "what makes you stand out.",
        ),
        Rule(
            "Thank them sincerely.",
            f"Whatever {them} shares, even very little, thank them and mean it.",
        ),
        Rule(
            "Keep it short.",
            "Ten minutes is plenty. If it is a bad moment, ask when to call back.",
        ),
    ]


def _questions(*, employer: str) -> list[str]:
    return [
        "Looking back, what would have made my candidacy stronger?",
        "Was there a part of my background or experience that raised doubts for you?",
        "Which of the examples I gave landed well, and which one fell short?",
        "What did the strongest candidates show you that I did not?",
        "If a similar role opens later, what would you want to see from me?",
        f"Would you mind if I stayed in touch, in case something comes up at {employer}?",
    ]


def call_plan_for(debrief: Debrief) -> CallPlan:
    opportunity = debrief.opportunity
    owner = debrief.owner
    return build_call_plan(
        member_name=owner.display_name or owner.short_name,
        contact_name=debrief.contact.name if debrief.contact_id and debrief.contact else "",
        role=opportunity.title,
        employer=str(opportunity.organization),
    )

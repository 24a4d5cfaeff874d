"""The cover letter draft, composed from the member's own material: the posting's top
requirements, the strongest story for each, and a line that positions the biggest gap.
Plain, confident sentences; no external service writes any of it."""

from __future__ import annotations

from dataclasses import dataclass

from careertips.core.models import User
from careertips.pipeline.models import Opportunity
from careertips.resumes.models import Bullet, Profile
from careertips.resumes.tailoring import story_coverage
from careertips.resumes.text import draft_bullet, one_line, shorten
from careertips.stories.models import Gap, Story

TOP_REQUIREMENTS = 3


@dataclass
class Draft:
    salutation: str
    paragraphs: list[str]
    closing: str
    signature: str


def salutation_for(opportunity: Opportunity) -> str:
    manager = opportunity.hiring_manager
    name = one_line(manager.name) if manager else ""
    return f"Dear {name}," if name else "Dear Hiring Manager,"


def _evidence(story: Story, bullets: dict[int, Bullet]) -> str:
    bullet = bullets.get(story.pk)
    line = bullet.text if bullet else draft_bullet(action=story.action, result=story.result)
    line = line.rstrip(" .")
    where = f"At {one_line(story.organization_name)}, I " if story.organization_name else "I "
    return where + line[:1].lower() + line[1:] + "."


def _strongest(owner: User, opportunity: Opportunity) -> list[tuple[str, Story]]:
    """(requirement, story) for the top requirements, one distinct story each, strongest
    first among the stories that cover the requirement."""
    requirements = list(opportunity.requirements.order_by("position", "id"))
    covers, score = story_coverage(owner=owner, requirements=requirements)
    story_ids = [pk for pk, reqs in covers.items() if reqs]
    stories = Story.objects.owned_by(owner).in_bulk(story_ids)
    chosen: list[tuple[str, Story]] = []
    used: set[int] = set()
    for requirement in requirements:
        candidates = [
            stories[pk]
            for pk, reqs in covers.items()
            if requirement.pk in reqs and pk in stories and pk not in used
        ]
        if not candidates:
            continue
        best = max(candidates, key=lambda s: (s.strength, score.get(s.pk, 0.0), -s.pk))
        chosen.append((requirement.text, best))
        used.add(best.pk)
        if len(chosen) == TOP_REQUIREMENTS:
            break
    return chosen


def _biggest_gap(owner: User, opportunity: Opportunity) -> Gap | None:
    """The earliest-listed requirement gap of the posting that has a positioning note."""
    return (
        Gap.objects.owned_by(owner)
        .filter(requirement__opportunity=opportunity)
        .exclude(positioning="")
        .order_by("requirement__position", "id")
        .first()
    )


def compose(*, owner: User, opportunity: Opportunity) -> Draft:
    profile = Profile.objects.filter(owner=owner).first()
    employer = one_line(opportunity.organization.name)
    role = one_line(opportunity.title)
    opening = f"I am writing to apply for the {role} role at {employer}."
    if profile and profile.headline:
        opening += f" I am {_article(profile.headline)} {one_line(profile.headline)}, and "
        opening += "the results below are the work I would bring to your team."
    paragraphs = [opening]
    chosen = _strongest(owner, opportunity)
    rows = Bullet.objects.filter(story__in=[s.pk for _, s in chosen])
    bullets = {b.story_id: b for b in rows}
    for requirement, story in chosen:
        asked = shorten(one_line(requirement).rstrip(" ."), 160)
        paragraphs.append(
            f"You ask for {asked[:1].lower()}{asked[1:]}. {_evidence(story, bullets)}"
        )
    if gap := _biggest_gap(owner, opportunity):
        note = one_line(gap.positioning).rstrip(" .")
        topic = one_line(gap.topic).rstrip(" .")
        paragraphs.append(f"On {topic[:1].lower()}{topic[1:]}: {note}.")
    paragraphs.append(
        f"I would welcome a conversation about what I can do for {employer}. "
        "Thank you for your time."
    )
    name = one_line(profile.name) if profile and profile.name else owner.display_name
    return Draft(
        salutation=salutation_for(opportunity),
        paragraphs=paragraphs,
        closing="Sincerely,",
        signature=name,
    )


def _article(headline: str) -> str:
    return "an" if headline[:1].lower() in "aeiou" else "a"

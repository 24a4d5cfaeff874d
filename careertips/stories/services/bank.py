"""The story bank: competencies, stories and their revisions, where a story was told, and the
gaps to position, including those a debrief's themes call for.

Every write that changes what full-text search should find updates the index here, in the
same transaction; nothing relies on signals."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from careertips.core.models import User
from careertips.debriefs.models import FeedbackTheme, Theme
from careertips.pipeline.models import Interview
from careertips.stories import search
from careertips.stories.models import (
    Competency,
    Gap,
    Requirement,
    Story,
    StoryRevision,
    StoryUse,
)
from careertips.stories.services.common import index_story

STORY_THEMES = frozenset({Theme.STORY_NOT_STRONG})


GAP_THEMES = frozenset({Theme.EXPERIENCE_GAP, Theme.SKILLS_GAP})


STORY_FIELDS = ("title", "challenge", "action", "result", "organization_name", "role", "year",
                "strength")  # fmt: skip


# Competencies.


@transaction.atomic
def add_competency(*, owner: User, name: str) -> Competency:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the competency a name."})
    if Competency.objects.available_to(owner).filter(name__iexact=name).exists():
        raise ValidationError({"name": f"“{name}” is already in your list."})
    return Competency.objects.create(owner=owner, name=name[:60])


@transaction.atomic
def delete_competency(*, competency: Competency) -> None:
    story_ids = list(competency.stories.values_list("pk", flat=True))
    competency.delete()
    for story in Story.objects.filter(pk__in=story_ids).prefetch_related("competencies"):
        index_story(story=story)


# Stories and their revisions.


def _check_competencies(owner: User, competencies: Iterable[Competency]) -> list[Competency]:
    chosen = list(competencies)
    if any(c.owner_id not in (None, owner.pk) for c in chosen):
        raise ValidationError({"competencies": "Choose competencies from your list."})
    return chosen


def _snapshot(story: Story, competencies: Sequence[Competency]) -> StoryRevision:
    last = story.revisions.aggregate(n=Max("number"))["n"] or 0
    return StoryRevision.objects.create(
        story=story,
        number=last + 1,
        competencies=", ".join(sorted((c.name for c in competencies), key=str.lower)),
        **{field: getattr(story, field) for field in STORY_FIELDS},
    )


@transaction.atomic
def create_story(
    *,
    owner: User,
    competencies: Iterable[Competency] = (),
    theme: FeedbackTheme | None = None,
    **fields: Any,
) -> Story:
    """Adds a story to the bank, with its first revision; `theme` links the feedback behind it."""
    chosen = _check_competencies(owner, competencies)
    story = Story(owner=owner, **fields)
    story.full_clean(exclude=["owner"])
    story.save()
    story.competencies.set(chosen)
    _snapshot(story, chosen)
    if theme is not None:
        link_theme_to_story(theme=theme, story=story)
    index_story(story=story)
    return story


@transaction.atomic
def update_story(
    *, story: Story, competencies: Iterable[Competency] | None = None, **fields: Any
) -> bool:
    """Saves changes as a new revision; returns False (and keeps no revision) if nothing changed."""
    chosen = (
        _check_competencies(story.owner, competencies)
        if competencies is not None
        else list(story.competencies.all())
    )
    changed = [f for f in STORY_FIELDS if f in fields and fields[f] != getattr(story, f)]
    tags_changed = {c.pk for c in chosen} != {c.pk for c in story.competencies.all()}
    if not changed and not tags_changed:
        return False
    for field in changed:
        setattr(story, field, fields[field])
    story.full_clean(exclude=["owner"])
    story.save(update_fields=[*changed, "updated_at"])
    if tags_changed:
        story.competencies.set(chosen)
    _snapshot(story, chosen)
    index_story(story=story)
    return True


@transaction.atomic
def delete_story(*, story: Story) -> None:
    search.backend().unindex_stories([story.pk])
    story.delete()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "hunk", "file" or "same"
    text: str


def diff_revisions(*, older: StoryRevision, newer: StoryRevision) -> list[DiffLine]:
    """A unified diff of two revisions of a story, line by line, ready to render escaped."""
    kinds = {"+": "add", "-": "remove", "@": "hunk", " ": "same"}
    lines = difflib.unified_diff(
        older.as_lines(),
        newer.as_lines(),
        fromfile=f"Revision {older.number}",
        tofile=f"Revision {newer.number}",
        lineterm="",
    )
    result = []
    for line in lines:
        kind = "file" if line.startswith(("---", "+++")) else kinds.get(line[:1], "same")
        result.append(DiffLine(kind=kind, text=line))
    return result


@transaction.atomic
def record_story_use(*, story: Story, interview: Interview, note: str = "") -> StoryUse:
    """Notes that a story was (or will be) told at an interview; repeating it updates the note."""
    if interview.opportunity.owner_id != story.owner_id:
        raise ValidationError({"interview": "Choose one of your interviews."})
    use, created = StoryUse.objects.get_or_create(
        story=story, interview=interview, defaults={"note": note.strip()[:500]}
    )
    if not created and note.strip() and note.strip() != use.note:
        use.note = note.strip()[:500]
        use.save(update_fields=["note", "updated_at"])
    return use


@transaction.atomic
def delete_story_use(*, use: StoryUse) -> None:
    use.delete()


# Debrief themes: a weak story to revise, or a gap to position.


def story_for_theme(*, theme: FeedbackTheme) -> Story | None:
    """The story this feedback was about, once the member has linked one (latest revised)."""
    return theme.stories.order_by("-updated_at", "-id").first()


@transaction.atomic
def link_theme_to_story(*, theme: FeedbackTheme, story: Story) -> None:
    if theme.debrief.owner_id != story.owner_id:
        raise ValidationError({"story": "Choose one of your stories."})
    story.feedback_themes.add(theme)


def gap_topic_for_theme(theme: FeedbackTheme) -> str:
    detail = " ".join(theme.detail.split())
    return detail or f"{theme.get_theme_display()} ({theme.debrief.opportunity.title})"


@transaction.atomic
def gap_for_theme(*, theme: FeedbackTheme) -> Gap:
    """The gap an employer perceived; asking twice returns the same gap."""
    if theme.theme not in GAP_THEMES:
        raise ValidationError("Only experience and skills gaps become gaps.")
    existing = Gap.objects.filter(theme=theme).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Gap.objects.create(
                owner_id=theme.debrief.owner_id, theme=theme, topic=gap_topic_for_theme(theme)
            )
    except IntegrityError:
        # Two clicks at once: the other request created it.
        return Gap.objects.get(theme=theme)


def pending_gap_themes(*, owner: User) -> QuerySet[FeedbackTheme]:
    """Gaps heard in debriefs that have not been turned into gaps yet."""
    return (
        FeedbackTheme.objects.filter(debrief__owner=owner, theme__in=GAP_THEMES, gap__isnull=True)
        .select_related("debrief__opportunity__organization")
        .order_by("-debrief__feedback_recorded_at", "-id")
    )


# Gaps.


@transaction.atomic
def update_gap(*, gap: Gap, topic: str, positioning: str, stories: Iterable[Story]) -> Gap:
    chosen = list(stories)
    if any(s.owner_id != gap.owner_id for s in chosen):
        raise ValidationError({"stories": "Choose stories from your bank."})
    gap.topic = " ".join(topic.split())[:200]
    gap.positioning = positioning.strip()
    gap.full_clean(exclude=["owner", "theme", "requirement"])
    gap.save(update_fields=["topic", "positioning", "updated_at"])
    gap.stories.set(chosen)
    return gap


@transaction.atomic
def create_gap(*, owner: User, topic: str, positioning: str = "") -> Gap:
    gap = Gap(owner=owner, topic=" ".join(topic.split())[:200], positioning=positioning.strip())
    gap.full_clean(exclude=["owner"])
    gap.save()
    return gap


@transaction.atomic
def delete_gap(*, gap: Gap) -> None:
    gap.delete()


@transaction.atomic
def gap_for_requirement(*, requirement: Requirement) -> Gap:
    """An uncovered requirement becomes a gap to position; asking twice returns the same gap."""
    gap = Gap.objects.filter(requirement=requirement).first()
    if gap is None:
        gap = Gap.objects.create(
            owner_id=requirement.opportunity.owner_id,
            requirement=requirement,
            topic=requirement.text[:200],
        )
    return gap

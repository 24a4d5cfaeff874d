"""Shared by every stories workflow: permission helpers (the row if the user owns it, else
404) and the upkeep of the full-text search index."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from careertips.core.access import member_or_none, owned_or_404
from careertips.debriefs.models import FeedbackTheme
from careertips.stories import search
from careertips.stories.models import (
    Competency,
    Coverage,
    Gap,
    Goal,
    Milestone,
    PromotionCase,
    Question,
    Requirement,
    Story,
    StoryUse,
)
from careertips.stories.search.base import StoryDocument

# Permission helpers: the row if the user owns it, else 404.


def get_story_for(user: Any, pk: int) -> Story:
    return owned_or_404(Story.objects.owned_by(user), pk, "story")


def get_competency_for(user: Any, pk: int) -> Competency:
    """Only the member's own additions: the default list is not theirs to change."""
    qs = Competency.objects.filter(owner=member_or_none(user), owner__isnull=False)
    return owned_or_404(qs, pk, "competency")


def get_story_use_for(user: Any, pk: int) -> StoryUse:
    qs = StoryUse.objects.select_related("story").filter(story__owner=member_or_none(user))
    return owned_or_404(qs, pk, "story use")


def get_gap_for(user: Any, pk: int) -> Gap:
    qs = Gap.objects.owned_by(user).select_related(
        "theme__debrief__opportunity__organization", "requirement__opportunity__organization"
    )
    return owned_or_404(qs, pk, "gap")


def get_requirement_for(user: Any, pk: int) -> Requirement:
    qs = Requirement.objects.select_related("opportunity").filter(
        opportunity__owner=member_or_none(user)
    )
    return owned_or_404(qs, pk, "requirement")


def get_coverage_for(user: Any, pk: int) -> Coverage:
    qs = Coverage.objects.select_related("requirement__opportunity", "story").filter(
        story__owner=member_or_none(user)
    )
    return owned_or_404(qs, pk, "coverage")


def get_question_for(user: Any, pk: int) -> Question:
    qs = Question.objects.select_related("opportunity").filter(
        opportunity__owner=member_or_none(user)
    )
    return owned_or_404(qs, pk, "question")


def get_theme_for(user: Any, pk: int) -> FeedbackTheme:
    qs = FeedbackTheme.objects.select_related("debrief__opportunity__organization").filter(
        debrief__owner=member_or_none(user)
    )
    return owned_or_404(qs, pk, "feedback theme")


def get_case_for(user: Any, pk: int) -> PromotionCase:
    return owned_or_404(PromotionCase.objects.owned_by(user), pk, "case")


def get_goal_for(user: Any, pk: int) -> Goal:
    return owned_or_404(Goal.objects.owned_by(user), pk, "goal")


def get_milestone_for(user: Any, pk: int) -> Milestone:
    qs = Milestone.objects.select_related("goal").filter(goal__owner=member_or_none(user))
    return owned_or_404(qs, pk, "milestone")


# Search index upkeep.


def index_story(*, story: Story) -> None:
    names = [c.name for c in story.competencies.all()]
    search.backend().index_story(
        StoryDocument(
            story_id=story.pk,
            owner_id=story.owner_id,
            title=story.title,
            tags=" ".join([*names, story.organization_name, story.role]),
            body="\n".join([story.challenge, story.action, story.result]),
        )
    )


def index_requirements(*, requirements: Iterable[Requirement]) -> None:
    rows = [(r.pk, r.opportunity_id, r.text) for r in requirements]
    if rows:
        search.backend().index_requirements(rows)


@transaction.atomic
def rebuild_search_index() -> tuple[int, int]:
    """Rebuilds both indexes from the tables; returns (stories, requirements) indexed."""
    backend = search.backend()
    backend.clear()
    stories = 0
    for story in Story.objects.prefetch_related("competencies").iterator(chunk_size=500):
        index_story(story=story)
        stories += 1
    requirements = list(Requirement.objects.all())
    index_requirements(requirements=requirements)
    return stories, len(requirements)

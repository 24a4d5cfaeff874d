"""Read models for pages: story suggestions, requirement coverage of a posting, flagged gaps,
and the interview prep sheet. Each is built in a fixed number of queries, whatever the size of
the story bank or the number of requirements."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from careertips.core.models import User
from careertips.debriefs.models import Debrief, FeedbackTheme
from careertips.network.models import Contact, Touchpoint
from careertips.pipeline.models import Interview, Opportunity
from careertips.stories import search
from careertips.stories.models import Coverage, Gap, Question, Requirement, Story, StoryUse

SUGGESTIONS_PER_REQUIREMENT = 3
LESSONS_SHOWN = 8


def rank_stories[K: Hashable](
    *, owner: User, texts: Mapping[K, str], limit: int, match_all: bool = False
) -> dict[K, list[Story]]:
    """For each text, the owner's most relevant stories by full-text rank: two queries."""
    queries = {key: search.search_terms(text) for key, text in texts.items()}
    ranked = search.backend().rank_stories(
        owner_id=owner.pk, queries=queries, limit=limit, match_all=match_all
    )
    ids = {pk for pks in ranked.values() for pk in pks}
    stories = Story.objects.owned_by(owner).in_bulk(ids) if ids else {}
    return {key: [stories[pk] for pk in pks if pk in stories] for key, pks in ranked.items()}


def search_stories(*, owner: User, text: str, limit: int = 200) -> list[int]:
    """Ids of the owner's stories that contain every word of `text`, best first."""
    terms = search.search_terms(text)
    if not terms:
        return []
    ranked = search.backend().rank_stories(
        owner_id=owner.pk, queries={0: terms}, limit=limit, match_all=True
    )
    return ranked.get(0, [])


@dataclass
class FlaggedGap:
    """A gap met before (in a debrief or another posting) that this posting asks about again."""

    gap: Gap
    requirements: list[Requirement]
    suggestions: list[Story]


@dataclass
class RequirementRow:
    requirement: Requirement
    stories: list[Story]
    coverages: list[Coverage]
    suggestions: list[Story]
    gap: Gap | None
    flagged: list[Gap] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.coverages)


@dataclass
class CoverageReport:
    opportunity: Opportunity
    rows: list[RequirementRow]
    flagged: list[FlaggedGap]

    @property
    def covered_count(self) -> int:
        return sum(1 for row in self.rows if row.covered)

    @property
    def uncovered(self) -> list[RequirementRow]:
        return [row for row in self.rows if not row.covered]

    @property
    def gaps(self) -> list[Gap]:
        """Gaps of this posting, then gaps met before that it asks about again."""
        own = [row.gap for row in self.rows if row.gap is not None]
        return own + [f.gap for f in self.flagged if f.gap not in own]


def _requirements(opportunity: Opportunity) -> list[Requirement]:
    coverages = Coverage.objects.select_related("story").order_by("confirmed_at", "id")
    return list(
        opportunity.requirements.select_related("gap")
        .prefetch_related(Prefetch("coverages", queryset=coverages), "gap__stories")
        .order_by("position", "id")
    )


def _gaps_met_before(opportunity: Opportunity) -> list[Gap]:
    return list(
        Gap.objects.owned_by(opportunity.owner)
        .exclude(requirement__opportunity=opportunity)
        .select_related("theme__debrief__opportunity__organization", "requirement__opportunity")
        .prefetch_related("stories")
    )


def coverage_report(*, opportunity: Opportunity) -> CoverageReport:
    requirements = _requirements(opportunity)
    earlier = _gaps_met_before(opportunity)
    matches = search.backend().match_requirements(
        opportunity_id=opportunity.pk,
        queries={gap.pk: search.search_terms(gap.topic) for gap in earlier},
    )
    flagged_gaps = [gap for gap in earlier if matches.get(gap.pk)]
    texts: dict[tuple[str, int], str] = {("r", r.pk): r.text for r in requirements}
    texts |= {("g", gap.pk): gap.topic for gap in flagged_gaps}
    suggestions = rank_stories(
        owner=opportunity.owner, texts=texts, limit=SUGGESTIONS_PER_REQUIREMENT + 3
    )
    by_id = {r.pk: r for r in requirements}
    rows = []
    for requirement in requirements:
        coverages = list(requirement.coverages.all())
        confirmed = {c.story_id for c in coverages}
        offered = [s for s in suggestions.get(("r", requirement.pk), []) if s.pk not in confirmed]
        rows.append(
            RequirementRow(
                requirement=requirement,
                stories=[c.story for c in coverages],
                coverages=coverages,
                suggestions=offered[:SUGGESTIONS_PER_REQUIREMENT],
                gap=getattr(requirement, "gap", None),
                flagged=[g for g in flagged_gaps if requirement.pk in matches[g.pk]],
            )
        )
    flagged = [
        FlaggedGap(
            gap=gap,
            requirements=[by_id[pk] for pk in matches[gap.pk] if pk in by_id],
            suggestions=_merge_stories(list(gap.stories.all()), suggestions.get(("g", gap.pk), [])),
        )
        for gap in flagged_gaps
    ]
    return CoverageReport(opportunity=opportunity, rows=rows, flagged=flagged)


def _merge_stories(first: Sequence[Story], then: Sequence[Story]) -> list[Story]:
    seen = {s.pk for s in first}
    return [*first, *[s for s in then if s.pk not in seen]][: SUGGESTIONS_PER_REQUIREMENT + 2]


@dataclass
class Lesson:
    """What an earlier debrief taught: the feedback and its themes."""

    debrief: Debrief
    themes: list[FeedbackTheme]
    same_employer: bool


@dataclass
class PrepSheet:
    interview: Interview
    opportunity: Opportunity
    interviewers: list[Contact]
    coverage: CoverageReport
    questions: list[Question]
    lessons: list[Lesson]
    used: list[StoryUse]

    @property
    def used_story_ids(self) -> set[int]:
        return {use.story_id for use in self.used}


def _interviewers(interview: Interview) -> list[Contact]:
    recent = Touchpoint.objects.order_by("-happened_on", "-id")[:3]
    return list(
        interview.interviewers.select_related("organization").prefetch_related(
            Prefetch("touchpoints", queryset=recent, to_attr="recent_touchpoints")
        )
    )


def lessons_for(*, opportunity: Opportunity, limit: int = LESSONS_SHOWN) -> list[Lesson]:
    """Feedback from the member's debriefs: the same employer first, most recent first."""
    debriefs = (
        Debrief.objects.owned_by(opportunity.owner)
        .exclude(opportunity=opportunity)
        .filter(Q(feedback_recorded_at__isnull=False) | Q(themes__isnull=False))
        .distinct()
        .select_related("opportunity__organization")
        .prefetch_related("themes")
        .order_by("-feedback_recorded_at", "-created_at", "-id")
    )
    same = list(debriefs.filter(opportunity__organization=opportunity.organization_id)[:limit])
    others = list(debriefs.exclude(opportunity__organization=opportunity.organization_id)[:limit])
    ordered = [(d, True) for d in same] + [(d, False) for d in others]
    return [
        Lesson(debrief=d, themes=list(d.themes.all()), same_employer=flag)
        for d, flag in ordered[:limit]
    ]


def prep_sheet(*, interview: Interview) -> PrepSheet:
    opportunity = interview.opportunity
    return PrepSheet(
        interview=interview,
        opportunity=opportunity,
        interviewers=_interviewers(interview),
        coverage=coverage_report(opportunity=opportunity),
        questions=list(opportunity.questions_to_ask.all()),
        lessons=lessons_for(opportunity=opportunity),
        used=list(interview.story_uses.select_related("story")),
    )

"""Read models for pages: story suggestions, requirement coverage of a posting, flagged gaps,
and the interview prep sheet. Each is built in a fixed number of queries, whatever the size of
the story bank or the number of requirements."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, Prefetch, Q, prefetch_related_objects

from careertips.core.links import pk_url
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.debriefs.models import Debrief, FeedbackTheme
from careertips.network.models import Contact, Touchpoint
from careertips.pipeline.models import Interview, Opportunity
from careertips.stories import search
from careertips.stories.models import (
    Coverage,
    Gap,
    Question,
    Requirement,
    RequirementLinks,
    Story,
    StoryUse,
)

SUGGESTIONS_PER_REQUIREMENT = 3
LESSONS_SHOWN = 8


def rank_stories[K: Hashable](
    *, owner: User, texts: Mapping[K, str], limit: int, match_all: bool = False
) -> dict[K, list[Story]]:
    """For each text, the owner's most relevant stories by full-text rank: two queries."""
    return _rank_stories(owner_id=owner.pk, texts=texts, limit=limit, match_all=match_all)


def _rank_stories[K: Hashable](
    *, owner_id: int, texts: Mapping[K, str], limit: int, match_all: bool = False
) -> dict[K, list[Story]]:
    queries = {key: search.search_terms(text) for key, text in texts.items()}
    ranked = search.backend().rank_stories(
        owner_id=owner_id, queries=queries, limit=limit, match_all=match_all
    )
    ids = {pk for pks in ranked.values() for pk in pks}
    stories = Story.objects.filter(owner_id=owner_id).in_bulk(ids) if ids else {}
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
    requirements: list[PostingRequirement]
    suggestions: list[Story]


@dataclass(frozen=True)
class CoveringStory:
    """A story confirmed for a requirement, as the coverage page and the prep sheet show it:
    read as plain values (a posting has dozens of requirements and several stories each)."""

    pk: int
    title: str
    result: str = ""  # read for the prep sheet only

    def get_absolute_url(self) -> str:
        return pk_url("stories:detail", self.pk)


@dataclass(frozen=True)
class ConfirmedCoverage:
    """One Coverage row: which story answers the requirement, and the link that removes it."""

    pk: int
    story: CoveringStory

    @property
    def delete_url(self) -> str:
        return pk_url("stories:uncover", self.pk)


@dataclass
class RequirementRow:
    requirement: PostingRequirement
    stories: list[CoveringStory]
    coverages: list[ConfirmedCoverage]
    suggestions: list[Story]
    gap: RequirementGap | None
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
    def gaps(self) -> list[Gap | RequirementGap]:
        """Gaps of this posting, then gaps met before that it asks about again."""
        own: list[Gap | RequirementGap] = [row.gap for row in self.rows if row.gap is not None]
        seen = {gap.pk for gap in own}
        return own + [f.gap for f in self.flagged if f.gap.pk not in seen]


@dataclass(frozen=True)
class PostingRequirement(RequirementLinks):
    """A requirement as the coverage page and the prep sheet show it, read as plain values."""

    pk: int
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class RequirementGap:
    """The gap a requirement became, as the coverage page and the prep sheet show it."""

    pk: int
    topic: str
    positioning: str

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return pk_url("stories:gap", self.pk)


# The coverage page's queries, compiled once per process (core.prepared): it is drawn again
# after every change made on it.
_REQUIREMENTS = Prepared(
    lambda opportunity: (
        Requirement.objects.filter(opportunity_id=opportunity)
        .order_by("position", "id")
        .values_list("pk", "text", "gap__pk", "gap__topic", "gap__positioning")
    ),
    opportunity=int,
)


def _requirements(
    opportunity: Opportunity,
) -> list[tuple[PostingRequirement, RequirementGap | None]]:
    return [
        (
            PostingRequirement(pk=pk, text=text),
            None if gap_pk is None else RequirementGap(gap_pk, topic, positioning),
        )
        for pk, text, gap_pk, topic, positioning in _REQUIREMENTS(opportunity=opportunity.pk)
    ]


@functools.cache
def _coverage_rows(results: bool) -> Prepared:
    fields = ["pk", "requirement_id", "story_id", "story__title"]
    return Prepared(
        lambda opportunity: (
            Coverage.objects.filter(requirement__opportunity_id=opportunity)
            .order_by("confirmed_at", "id")
            .values_list(*fields, *(["story__result"] if results else []))
        ),
        opportunity=int,
    )


def _coverages(opportunity: Opportunity, *, results: bool) -> dict[int, list[ConfirmedCoverage]]:
    """The confirmed stories of each requirement, oldest first: only what the pages show (a
    story's result is long, and only the prep sheet shows it)."""
    by_requirement: dict[int, list[ConfirmedCoverage]] = {}
    for pk, requirement_id, story_id, title, *result in _coverage_rows(results)(
        opportunity=opportunity.pk
    ):
        story = CoveringStory(pk=story_id, title=title, result=result[0] if result else "")
        by_requirement.setdefault(requirement_id, []).append(ConfirmedCoverage(pk=pk, story=story))
    return by_requirement


# A gap met before, with the names its card says it came from: Gap.from_db reads GAP_FIELDS
# in the order of the model's fields, and the names follow them.
GAP_FIELDS = ("id", "owner_id", "topic", "positioning", "theme_id", "requirement_id")
GAP_SOURCES = ("raised_by", "raised_for", "asked_for", "asked_by")
_GAPS_MET_BEFORE = Prepared(
    lambda owner, opportunity: (
        Gap.objects.filter(owner_id=owner)
        .exclude(requirement__opportunity_id=opportunity)
        .annotate(
            raised_by=F("theme__debrief__opportunity__organization__name"),
            raised_for=F("theme__debrief__opportunity__title"),
            asked_for=F("requirement__opportunity__title"),
            asked_by=F("requirement__opportunity__organization__name"),
        )
        .values_list(*GAP_FIELDS, *GAP_SOURCES)
    ),
    owner=int,
    opportunity=int,
)


def _gaps_met_before(opportunity: Opportunity) -> list[Gap]:
    """The member's gaps from debriefs and other postings, with the names the flagged cards
    say where each came from."""
    gaps = []
    for row in _GAPS_MET_BEFORE(owner=opportunity.owner_id, opportunity=opportunity.pk):
        gap = Gap.from_db(DEFAULT_DB_ALIAS, GAP_FIELDS, row[: len(GAP_FIELDS)])
        for name, value in zip(GAP_SOURCES, row[len(GAP_FIELDS) :], strict=True):
            setattr(gap, name, value)
        gaps.append(gap)
    return gaps


# The questions and interviews the report names: their ids and the fields it shows.
_QUESTIONS = Prepared(
    lambda opportunity: Question.objects.filter(opportunity_id=opportunity).only("id", "text"),
    opportunity=int,
)
_INTERVIEWS = Prepared(
    lambda opportunity: (
        Interview.objects.filter(opportunity_id=opportunity)
        .order_by("scheduled_at")
        .only("id", "scheduled_at", "kind")
    ),
    opportunity=int,
)


def questions_to_ask(opportunity: Opportunity) -> list[Question]:
    """The opportunity's questions to ask, in their order (their ids and texts)."""
    return _QUESTIONS.instances(opportunity=opportunity.pk)


def interviews_of(opportunity: Opportunity) -> list[Interview]:
    """The opportunity's interviews, first first (their ids, kinds and times)."""
    return _INTERVIEWS.instances(opportunity=opportunity.pk)


def coverage_report(*, opportunity: Opportunity, story_results: bool = False) -> CoverageReport:
    """story_results: read each confirmed story's result too (the prep sheet shows it)."""
    requirements = _requirements(opportunity)
    coverages = _coverages(opportunity, results=story_results) if requirements else {}
    earlier = _gaps_met_before(opportunity)
    matches = search.backend().match_requirements(
        opportunity_id=opportunity.pk,
        queries={gap.pk: search.search_terms(gap.topic) for gap in earlier},
    )
    flagged_gaps = [gap for gap in earlier if matches.get(gap.pk)]
    # Only the flagged gaps show their stories.
    prefetch_related_objects(
        flagged_gaps, Prefetch("stories", queryset=Story.objects.only("id", "title"))
    )
    texts: dict[tuple[str, int], str] = {("r", r.pk): r.text for r, _ in requirements}
    texts |= {("g", gap.pk): gap.topic for gap in flagged_gaps}
    suggestions = _rank_stories(
        owner_id=opportunity.owner_id, texts=texts, limit=SUGGESTIONS_PER_REQUIREMENT + 3
    )
    by_id = {r.pk: r for r, _ in requirements}
    rows = []
    for requirement, gap in requirements:
        confirmed = coverages.get(requirement.pk, [])
        story_ids = {c.story.pk for c in confirmed}
        offered = [s for s in suggestions.get(("r", requirement.pk), []) if s.pk not in story_ids]
        rows.append(
            RequirementRow(
                requirement=requirement,
                stories=[c.story for c in confirmed],
                coverages=confirmed,
                suggestions=offered[:SUGGESTIONS_PER_REQUIREMENT],
                gap=gap,
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
        coverage=coverage_report(opportunity=opportunity, story_results=True),
        questions=questions_to_ask(opportunity),
        lessons=lessons_for(opportunity=opportunity),
        used=list(interview.story_uses.select_related("story")),
    )

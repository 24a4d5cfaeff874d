"""Read models for tailoring: which bullets a posting calls for, in what order, and how well
a version now addresses the posting. Each is built in a fixed number of queries."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import F, Q

from careertips.core.models import User
from careertips.pipeline.models import Opportunity
from careertips.resumes.models import Bullet, Position, Profile, ResumeVersion
from careertips.resumes.text import sentences, stem, stems
from careertips.stories import search
from careertips.stories.models import Coverage, Gap, Requirement

# How many stories the search ranks per requirement, and how much a confirmed coverage weighs
# against the search's best match (1.0).
RANKED_PER_REQUIREMENT = 5
CONFIRMED_WEIGHT = 2.0
VISIBLE_PER_POSITION = 5
# Positions no requirement reaches still show their strongest bullets.
VISIBLE_WHEN_UNMATCHED = 2
KEY_TERMS = 25


@dataclass
class ProposedBullet:
    bullet: Bullet
    covers: list[int]
    score: float
    hidden: bool


@dataclass
class ProposedPosition:
    position: Position
    bullets: list[ProposedBullet]


@dataclass
class Proposal:
    positions: list[ProposedPosition]
    summary: str
    skills: list[str]
    headline: str


def _requirements(opportunity: Opportunity) -> list[Requirement]:
    return list(opportunity.requirements.order_by("position", "id"))


def story_coverage(
    *, owner: User, requirements: Sequence[Requirement]
) -> tuple[dict[int, set[int]], dict[int, float]]:
    """For each story, the requirements it covers and a score: confirmed coverage first, then
    the full-text rank (best match 1.0, falling with the rank). Two queries."""
    covers: dict[int, set[int]] = defaultdict(set)
    score: dict[int, float] = defaultdict(float)
    confirmed = Coverage.objects.filter(requirement__in=[r.pk for r in requirements])
    for requirement_id, story_id in confirmed.values_list("requirement_id", "story_id"):
        covers[story_id].add(requirement_id)
        score[story_id] += CONFIRMED_WEIGHT
    ranked = search.backend().rank_stories(
        owner_id=owner.pk,
        queries={r.pk: search.search_terms(r.text) for r in requirements},
        limit=RANKED_PER_REQUIREMENT,
    )
    for requirement_id, story_ids in ranked.items():
        for rank, story_id in enumerate(story_ids):
            if requirement_id not in covers[story_id]:
                covers[story_id].add(requirement_id)
                score[story_id] += (RANKED_PER_REQUIREMENT - rank) / RANKED_PER_REQUIREMENT
    return covers, score


def _order_by_hits(items: Sequence[str], wanted: set[str]) -> list[str]:
    """Items naming more of the wanted words first; ties keep the member's order."""
    hits = [len(stems(item) & wanted) for item in items]
    order = sorted(range(len(items)), key=lambda i: (-hits[i], i))
    return [items[i] for i in order]


def propose(*, owner: User, opportunity: Opportunity) -> Proposal:
    """The tailored résumé the posting calls for, before the member edits it."""
    requirements = _requirements(opportunity)
    covers, score = story_coverage(owner=owner, requirements=requirements)
    bullets = (
        Bullet.objects.filter(story__owner=owner, position__isnull=False)
        .select_related("story")
        .only("text", "position_id", "story_id", "story__strength")
        .order_by("id")
    )
    by_position: dict[int, list[Bullet]] = defaultdict(list)
    for bullet in bullets:
        by_position[bullet.position_id].append(bullet)  # type: ignore[index]
    positions = []
    for position in Position.objects.owned_by(owner):
        placed = sorted(
            by_position.get(position.pk, []),
            key=lambda b: (-len(covers.get(b.story_id, ())), -score.get(b.story_id, 0.0),
                           -b.story.strength, b.pk),
        )  # fmt: skip
        matched = sum(1 for b in placed if covers.get(b.story_id))
        visible = min(matched, VISIBLE_PER_POSITION) or VISIBLE_WHEN_UNMATCHED
        proposed = [
            ProposedBullet(
                bullet=b,
                covers=sorted(covers.get(b.story_id, ())),
                score=round(score.get(b.story_id, 0.0), 3),
                hidden=i >= visible,
            )
            for i, b in enumerate(placed)
        ]
        positions.append(ProposedPosition(position=position, bullets=proposed))
    profile = Profile.objects.filter(owner=owner).first() or Profile(owner=owner)
    wanted = stems(" ".join(r.text for r in requirements))
    return Proposal(
        positions=positions,
        summary=" ".join(_order_by_hits(sentences(profile.summary), wanted)),
        skills=_order_by_hits(profile.skill_list, wanted),
        headline=profile.headline,
    )


# The coverage check beside the editor.


@dataclass
class RequirementCheck:
    requirement: Requirement
    addressed: bool
    by_bullet: bool


@dataclass
class CoverageCheck:
    rows: list[RequirementCheck]
    missing_terms: list[str]
    gaps: list[Gap] = field(default_factory=list)

    @property
    def addressed_count(self) -> int:
        return sum(1 for row in self.rows if row.addressed)


def key_terms(requirements: Sequence[Requirement], *, limit: int = KEY_TERMS) -> list[str]:
    """The words the posting uses most, most used first (ties in order of appearance)."""
    counts: Counter[str] = Counter()
    for requirement in requirements:
        counts.update(search.search_terms(requirement.text))
    # Bare numbers ("5", "2026") are not terms a reader scans for.
    words = [w for w in counts if not re.fullmatch(r"\d+", w)]
    return sorted(words, key=lambda w: -counts[w])[:limit]


def version_text(version: ResumeVersion, bullets: Sequence[object]) -> str:
    texts = [version.headline, version.summary, version.skills]
    texts += [getattr(b, "text", "") for b in bullets]
    return "\n".join(texts)


def _gaps(opportunity: Opportunity, requirements: Sequence[Requirement]) -> list[Gap]:
    """Gaps of this posting, then gaps met before whose topic it asks about again."""
    gaps = list(
        Gap.objects.owned_by(opportunity.owner)
        .filter(Q(requirement__opportunity=opportunity) | Q(requirement__isnull=True))
        .select_related("requirement")
        .order_by(F("requirement__position").asc(nulls_last=True), "id")
    )
    earlier = [g for g in gaps if g.requirement_id is None]
    matches = search.backend().match_requirements(
        opportunity_id=opportunity.pk,
        queries={g.pk: search.search_terms(g.topic) for g in earlier},
    )
    return [g for g in gaps if g.requirement_id is not None or matches.get(g.pk)]


def coverage_check(*, version: ResumeVersion) -> CoverageCheck:
    """Each requirement and whether the visible résumé now addresses it: a bullet whose story
    covers it, or at least half its words somewhere in the text; and key terms it lacks."""
    requirements = _requirements(version.opportunity)
    visible = list(version.bullets.filter(hidden=False).only("text", "covers"))
    covered = {pk for b in visible for pk in b.covers}
    words = stems(version_text(version, visible))
    rows = []
    for requirement in requirements:
        wanted = stems(requirement.text)
        by_text = bool(wanted) and 2 * len(wanted & words) >= len(wanted)
        by_bullet = requirement.pk in covered
        rows.append(RequirementCheck(requirement, by_bullet or by_text, by_bullet))
    missing = [t for t in key_terms(requirements) if stem(t) not in words]
    return CoverageCheck(
        rows=rows, missing_terms=missing, gaps=_gaps(version.opportunity, requirements)
    )

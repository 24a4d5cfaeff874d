"""Stories workflows: the story bank and its revisions, requirements and their coverage, gaps
and how they are positioned, debrief themes turned into work, goals and milestones.

Every write that changes what full-text search should find updates the index here, in the
same transaction; nothing relies on signals."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from careertips.core.access import member_or_none, owned_or_404
from careertips.core.models import User
from careertips.debriefs.models import FeedbackTheme, Theme
from careertips.pipeline.models import Interview, Opportunity
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
    StoryRevision,
    StoryUse,
)
from careertips.stories.posting import MAX_POSTING_CHARS, MAX_REQUIREMENTS, split_posting
from careertips.stories.search.base import StoryDocument

STORY_THEMES = frozenset({Theme.STORY_NOT_STRONG})
GAP_THEMES = frozenset({Theme.EXPERIENCE_GAP, Theme.SKILLS_GAP})
STORY_FIELDS = ("title", "challenge", "action", "result", "organization_name", "role", "year",
                "strength")  # fmt: skip


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


# Requirements and coverage.


def _next_position(opportunity: Opportunity) -> int:
    last = opportunity.requirements.aggregate(n=Max("position"))["n"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_requirements_from_posting(
    *, opportunity: Opportunity, posting: str, replace: bool = False
) -> list[Requirement]:
    """Splits a posting into requirement lines and adds those not already listed."""
    if not posting.strip():
        raise ValidationError({"posting": "Paste the posting (or its requirements) first."})
    if len(posting) > MAX_POSTING_CHARS:
        raise ValidationError(
            {"posting": f"That is {len(posting):,} characters; paste at most "
             f"{MAX_POSTING_CHARS:,} (the requirements section is enough)."}
        )  # fmt: skip
    lines = split_posting(posting)
    if not lines:
        raise ValidationError(
            {"posting": "No requirements found. Put each requirement on its own line "
             "or as a bullet point."}
        )  # fmt: skip
    if replace:
        # One statement per table, not a round of deletes per requirement (up to 200).
        existing = opportunity.requirements.all()
        search.backend().unindex_requirements(list(existing.values_list("pk", flat=True)))
        existing.delete()
    known = {text.lower() for text in opportunity.requirements.values_list("text", flat=True)}
    new = [line for line in lines if line.lower() not in known]
    if len(known) + len(new) > MAX_REQUIREMENTS:
        raise ValidationError(
            {"posting": f"That would make {len(known) + len(new)} requirements; the limit is "
             f"{MAX_REQUIREMENTS}. Paste only the requirements section."}
        )  # fmt: skip
    start = _next_position(opportunity)
    created = Requirement.objects.bulk_create(
        [
            Requirement(opportunity=opportunity, text=text, position=start + i)
            for i, text in enumerate(new)
        ]
    )
    index_requirements(requirements=created)
    return created


def _clean_requirement_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Write the requirement."})
    if len(text) > Requirement.MAX_LENGTH:
        raise ValidationError(
            {"text": f"Keep a requirement under {Requirement.MAX_LENGTH} characters."}
        )
    return text


@transaction.atomic
def add_requirement(*, opportunity: Opportunity, text: str) -> Requirement:
    text = _clean_requirement_text(text)
    if opportunity.requirements.count() >= MAX_REQUIREMENTS:
        raise ValidationError({"text": f"An opportunity can list {MAX_REQUIREMENTS} at most."})
    requirement = Requirement.objects.create(
        opportunity=opportunity, text=text, position=_next_position(opportunity)
    )
    index_requirements(requirements=[requirement])
    return requirement


@transaction.atomic
def update_requirement(*, requirement: Requirement, text: str) -> Requirement:
    requirement.text = _clean_requirement_text(text)
    requirement.save(update_fields=["text", "updated_at"])
    index_requirements(requirements=[requirement])
    return requirement


@transaction.atomic
def delete_requirement(*, requirement: Requirement) -> None:
    search.backend().unindex_requirements([requirement.pk])
    requirement.delete()


@transaction.atomic
def merge_requirements(*, requirements: Sequence[Requirement]) -> Requirement:
    """Folds several requirements into the first: texts joined, stories and gap kept."""
    ordered = sorted(requirements, key=lambda r: (r.position, r.pk))
    if len(ordered) < 2:
        raise ValidationError({"requirements": "Select at least two requirements to merge."})
    if len({r.opportunity_id for r in ordered}) > 1:
        raise ValidationError({"requirements": "Requirements of different postings cannot merge."})
    target, others = ordered[0], ordered[1:]
    text = "; ".join(r.text.rstrip(" .;") for r in ordered)
    if len(text) > Requirement.MAX_LENGTH:
        raise ValidationError(
            {"requirements": "Together these are too long for one requirement; "
             "shorten them first."}
        )  # fmt: skip
    covered = set(target.coverages.values_list("story_id", flat=True))
    for coverage in Coverage.objects.filter(requirement__in=others).order_by("confirmed_at"):
        if coverage.story_id not in covered:
            Coverage.objects.create(requirement=target, story_id=coverage.story_id)
            covered.add(coverage.story_id)
    if not Gap.objects.filter(requirement=target).exists():
        moving = Gap.objects.filter(requirement__in=others).first()
        if moving:
            moving.requirement = target
            moving.save(update_fields=["requirement", "updated_at"])
    for other in others:
        delete_requirement(requirement=other)
    return update_requirement(requirement=target, text=text)


@transaction.atomic
def confirm_coverage(*, requirement: Requirement, story: Story) -> Coverage:
    """The member confirms that a story answers a requirement; confirming twice is harmless."""
    if requirement.opportunity.owner_id != story.owner_id:
        raise ValidationError({"story": "Choose one of your stories."})
    coverage, _ = Coverage.objects.get_or_create(requirement=requirement, story=story)
    return coverage


@transaction.atomic
def remove_coverage(*, coverage: Coverage) -> None:
    coverage.delete()


# Questions to ask.


@transaction.atomic
def add_question(*, opportunity: Opportunity, text: str) -> Question:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Write the question."})
    if len(text) > 300:
        raise ValidationError({"text": "Keep a question under 300 characters."})
    last = opportunity.questions_to_ask.aggregate(n=Max("position"))["n"]
    return Question.objects.create(
        opportunity=opportunity, text=text, position=0 if last is None else last + 1
    )


@transaction.atomic
def delete_question(*, question: Question) -> None:
    question.delete()


# Goals and milestones.


def check_milestone_dates(*, goal: Goal, due_on: dt.date | None) -> None:
    if due_on and goal.target_on and due_on > goal.target_on:
        raise ValidationError(
            {"due_on": f"This is after the goal's target date ({goal.target_on:%d %b %Y})."}
        )
    if due_on and due_on < goal.started_on:
        raise ValidationError(
            {"due_on": f"This is before the goal started ({goal.started_on:%d %b %Y})."}
        )


@transaction.atomic
def add_milestone(*, goal: Goal, title: str, due_on: dt.date | None = None) -> Milestone:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Name the milestone."})
    check_milestone_dates(goal=goal, due_on=due_on)
    return Milestone.objects.create(goal=goal, title=title[:200], due_on=due_on)


@transaction.atomic
def set_milestone_done(*, milestone: Milestone, done: bool, on: dt.date | None = None) -> Milestone:
    milestone.done_on = (on or timezone.localdate()) if done else None
    milestone.save(update_fields=["done_on", "updated_at"])
    return milestone


@transaction.atomic
def delete_milestone(*, milestone: Milestone) -> None:
    milestone.delete()


# Raise or promotion cases and goals: plain forms, saved here so edits touch only their fields.


def _save_owned_form(*, owner: User, form: Any, m2m: Sequence[str] = ()) -> Any:
    row = form.save(commit=False)
    if row.pk is None:
        row.owner = owner
        row.save()
    else:
        fields = [f for f in form.Meta.fields if f not in m2m]
        row.save(update_fields=[*fields, "updated_at"])
    form.save_m2m()
    return row


@transaction.atomic
def save_case(*, owner: User, form: Any) -> PromotionCase:
    """Saves a PromotionCaseForm (its story choices are already limited to the owner's)."""
    return _save_owned_form(owner=owner, form=form, m2m=["stories"])


@transaction.atomic
def save_goal(*, owner: User, form: Any) -> Goal:
    return _save_owned_form(owner=owner, form=form)

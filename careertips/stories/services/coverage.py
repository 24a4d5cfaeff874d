"""A job's requirements and how stories cover them, and the questions to ask.

Every write that changes what full-text search should find updates the index here, in the
same transaction; nothing relies on signals."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from careertips.pipeline.models import Opportunity
from careertips.stories import search
from careertips.stories.models import (
    Coverage,
    Gap,
    Question,
    Requirement,
    Story,
)
from careertips.stories.posting import MAX_POSTING_CHARS, MAX_REQUIREMENTS, split_posting
from careertips.stories.services.common import index_requirements

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

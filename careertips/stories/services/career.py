"""Career enhancement: raise or promotion cases, career goals and their milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careertips.core.models import User
from careertips.stories.models import (
    Goal,
    Milestone,
    PromotionCase,
)

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

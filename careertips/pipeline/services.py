"""Pipeline workflows: creating opportunities, moving them between stages, following up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from careertips.core.models import User
from careertips.network.models import Organization
from careertips.pipeline.models import (
    CLOSED_STAGES,
    Interview,
    Opportunity,
    Stage,
    StageChange,
)


def get_opportunity_for(user: Any, pk: int) -> Opportunity:
    try:
        return (
            Opportunity.objects.owned_by(user)
            .select_related("organization", "hiring_manager")
            .get(pk=pk)
        )
    except Opportunity.DoesNotExist:
        raise Http404("No such opportunity.") from None


def get_interview_for(user: Any, pk: int) -> Interview:
    try:
        return Interview.objects.select_related("opportunity__organization").get(
            pk=pk, opportunity__owner=user if user.is_authenticated else None
        )
    except Interview.DoesNotExist:
        raise Http404("No such interview.") from None


def get_or_create_organization(*, owner: User, name: str, kind: str = "") -> Organization:
    name = " ".join(name.split())
    org = Organization.objects.filter(owner=owner, name__iexact=name).first()
    if org is None:
        org = Organization.objects.create(
            owner=owner, name=name, kind=kind or Organization.Kind.EMPLOYER
        )
    return org


@transaction.atomic
def create_opportunity(
    *, owner: User, organization: Organization, when: dt.datetime | None = None, **fields: Any
) -> Opportunity:
    when = when or timezone.now()
    stage = fields.pop("stage", Stage.INTERESTED)
    if stage in (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING) and not fields.get(
        "applied_on"
    ):
        fields["applied_on"] = timezone.localdate(when)
    opportunity = Opportunity(
        owner=owner, organization=organization, stage=stage, stage_changed_at=when, **fields
    )
    opportunity.full_clean()
    opportunity.save()
    StageChange.objects.create(
        opportunity=opportunity, from_stage="", to_stage=stage, changed_at=when
    )
    return opportunity


@transaction.atomic
def move_opportunity(
    *, opportunity: Opportunity, to_stage: str, note: str = "", when: dt.datetime | None = None
) -> StageChange:
    """Moves to a new stage, records it, and opens a debrief after a "no"."""
    # Lock the row so two clicks (or two tabs) cannot record the same move twice.
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if to_stage not in Stage.values:
        raise ValidationError({"stage": "Choose a valid stage."})
    if not opportunity.can_move_to(to_stage):
        raise ValidationError(
            {
                "stage": f"An opportunity that is {opportunity.get_stage_display().lower()} "
                f"cannot move to {Stage(to_stage).label.lower()}."
            }
        )
    when = when or timezone.now()
    change = StageChange.objects.create(
        opportunity=opportunity,
        from_stage=opportunity.stage,
        to_stage=to_stage,
        changed_at=when,
        note=note[:500],
    )
    opportunity.stage = to_stage
    opportunity.stage_changed_at = when
    fields = ["stage", "stage_changed_at", "updated_at"]
    today = timezone.localdate(when)
    if to_stage == Stage.APPLIED and opportunity.applied_on is None:
        opportunity.applied_on = max(today, opportunity.found_on)
        fields.append("applied_on")
    if to_stage in CLOSED_STAGES:
        opportunity.closed_on = today
        fields.append("closed_on")
    opportunity.save(update_fields=fields)
    if to_stage == Stage.TURNED_DOWN:
        from careertips.debriefs.services import open_debrief

        open_debrief(opportunity=opportunity, when=when)
    return change


@transaction.atomic
def record_follow_up(*, opportunity: Opportunity, on: dt.date) -> Opportunity:
    opportunity.followed_up_on = on
    opportunity.save(update_fields=["followed_up_on", "updated_at"])
    return opportunity

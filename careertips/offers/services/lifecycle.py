"""An offer's life: recording it (which moves the opportunity to the offer stage), editing
and deleting it, and accepting it while closing the rest of the search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from careertips.offers.models import Offer
from careertips.offers.services.compare import OfferRow, offer_rows
from careertips.offers.services.money import format_date
from careertips.offers.services.negotiation import start_negotiation
from careertips.pipeline.models import Opportunity, Stage, StageChange
from careertips.pipeline.services import move_opportunity

# Fields a member enters on an offer; the opportunity it belongs to never changes.
OFFER_FIELDS = [
    "received_on", "currency", "base_salary", "bonus_kind", "bonus_amount", "bonus_percent",
    "equity_kind", "equity_amount", "vesting_years", "sign_on_bonus", "benefits",
    "benefits_value", "start_date", "decision_deadline", "notes",
]  # fmt: skip
# How the other open opportunities are closed when an offer is accepted.
WITHDRAW, DECLINE, KEEP = "withdraw", "decline", "keep"
CLOSING_STAGES = {WITHDRAW: Stage.WITHDRAWN, DECLINE: Stage.OFFER_DECLINED}


@dataclass
class OfferPanel:
    """The offers section of an opportunity's page."""

    opportunity: Opportunity
    rows: list[OfferRow]
    can_record: bool
    can_accept: bool

    @property
    def current(self) -> OfferRow | None:
        return self.rows[0] if self.rows else None

    @property
    def shown(self) -> bool:
        return bool(self.rows) or self.can_record


def offer_panel(*, opportunity: Opportunity, today: dt.date) -> OfferPanel:
    """The opportunity's offers, latest (current) first, in one query."""
    offers = list(Offer.objects.filter(opportunity=opportunity).latest_first())
    for offer in offers:
        offer.opportunity = opportunity  # the page's own row: no query per offer
    rows = offer_rows(offers, today=today)
    for row in rows[1:]:
        row.is_current = False
    return OfferPanel(
        opportunity=opportunity,
        rows=rows,
        can_record=not why_no_offer(opportunity),
        can_accept=opportunity.stage == Stage.OFFER,
    )


def why_no_offer(opportunity: Opportunity) -> str:
    """Why no offer can be recorded for the opportunity in its stage; "" when one can."""
    if opportunity.stage == Stage.OFFER or opportunity.can_move_to(Stage.OFFER):
        return ""
    if opportunity.stage == Stage.INTERESTED:
        return (
            "You have not applied for this role yet: move it to Applied (or further) before "
            "recording an offer."
        )
    stage = opportunity.get_stage_display().lower()
    return f"This opportunity is closed ({stage}), so no offer can be recorded for it."


@transaction.atomic
def create_offer(
    *, opportunity: Opportunity, when: dt.datetime | None = None, **fields: Any
) -> Offer:
    """Records an offer, moving the opportunity to the offer stage if it is not there yet.
    A revised offer starts its worksheet from the previous one's targets, figures and case."""
    # Locked so two submissions cannot both move the opportunity.
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if reason := why_no_offer(opportunity):
        raise ValidationError(reason)
    previous = Offer.objects.filter(opportunity=opportunity).latest_first().first()
    offer = Offer(opportunity=opportunity, **fields)
    offer.full_clean()
    if opportunity.stage != Stage.OFFER:
        move_opportunity(
            opportunity=opportunity, to_stage=Stage.OFFER, note="Offer received", when=when
        )
        opportunity.refresh_from_db()
    offer.save()
    start_negotiation(offer=offer, previous=previous)
    return offer


@transaction.atomic
def update_offer(*, offer: Offer, **fields: Any) -> Offer:
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.full_clean()
    offer.save(update_fields=[*fields, "updated_at"])
    return offer


@transaction.atomic
def delete_offer(*, offer: Offer) -> None:
    """Deletes the offer and its worksheet; the opportunity keeps its stage and history."""
    offer.delete()


# Accepting an offer


def opportunities_to_close(*, offer: Offer) -> list[Opportunity]:
    """The member's other open opportunities: other offers first, then the latest moved."""
    others = (
        Opportunity.objects.filter(owner_id=offer.opportunity.owner_id)
        .open()
        .exclude(pk=offer.opportunity_id)
        .for_cards()
        .order_by("-stage_changed_at", "-id")
    )
    return sorted(others, key=lambda opportunity: opportunity.stage != Stage.OFFER)


@dataclass
class Acceptance:
    accepted: Opportunity
    changes: list[StageChange]
    kept_open: int

    @property
    def closed(self) -> int:
        return len(self.changes) - 1


def why_not_accept(*, offer: Offer, opportunity: Opportunity) -> str:
    """Why the offer cannot be accepted now; "" when it can."""
    current = Offer.objects.filter(opportunity=opportunity).latest_first().first()
    if current is not None and current.pk != offer.pk:
        return (
            f"The revised offer of {format_date(current.received_on)} replaced this one; "
            "accept that one instead."
        )
    if opportunity.stage == Stage.ACCEPTED:
        return "You have already accepted this offer."
    if not opportunity.can_move_to(Stage.ACCEPTED):
        stage = opportunity.get_stage_display().lower()
        return (
            f"This opportunity is {stage}, not at the offer stage, so its offer cannot be accepted."
        )
    return ""


@transaction.atomic
def accept_offer(
    *, offer: Offer, decisions: Mapping[int, str], when: dt.datetime | None = None
) -> Acceptance:
    """Accepts the offer and closes the other open opportunities as the member chose, each
    move recorded in its history. `decisions` maps opportunity ids to withdraw, decline or
    keep; opportunities it does not name stay open. All of it happens, or none of it."""
    opportunity = (
        Opportunity.objects.select_for_update()
        .select_related("organization")
        .get(pk=offer.opportunity_id)
    )
    if reason := why_not_accept(offer=offer, opportunity=opportunity):
        raise ValidationError(reason)
    others = {other.pk: other for other in opportunities_to_close(offer=offer)}
    if set(decisions) - set(others):
        raise ValidationError(
            "Some of those opportunities are no longer open; review the list and accept again."
        )
    note = f"Accepted the offer at {opportunity.organization.name}"
    changes = [
        move_opportunity(opportunity=opportunity, to_stage=Stage.ACCEPTED, note=note, when=when)
    ]
    for pk, action in decisions.items():
        if action != KEEP:
            changes.append(_close(others[pk], action=action, note=note, when=when))
    return Acceptance(opportunity, changes, kept_open=len(others) - len(changes) + 1)


def _close(
    opportunity: Opportunity, *, action: str, note: str, when: dt.datetime | None
) -> StageChange:
    field_name = f"opportunity_{opportunity.pk}"
    to_stage = CLOSING_STAGES.get(action)
    if to_stage is None:
        raise ValidationError({field_name: "Choose withdraw, decline or leave open."})
    if not opportunity.can_move_to(to_stage):
        raise ValidationError(
            {field_name: f"“{opportunity.title}” has no offer to decline; withdraw it instead."}
        )
    return move_opportunity(opportunity=opportunity, to_stage=to_stage, note=note, when=when)

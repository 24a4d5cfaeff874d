"""The negotiation worksheet of an offer: targets and where the offer stands against them,
market figures, the stories that make the case, and the log of asks and answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from careertips.offers.models import MarketFigure, Negotiation, NegotiationStep, Offer
from careertips.offers.services.money import Money
from careertips.stories.models import Story

MAX_MARKET_FIGURES = 50
MAX_STEPS = 200


@dataclass
class Standing:
    """Where an offer stands against the member's walk-away and target."""

    status: str  # "unset", "below", "between" or "met"
    value: Money
    basis: str
    message: str
    target: Money | None = None
    walk_away: Money | None = None
    scale_min: int = 0
    scale_max: int = 0

    def _at(self, amount: int) -> int:
        span = self.scale_max - self.scale_min
        return round((amount - self.scale_min) * 100 / span) if span else 0

    @property
    def value_at(self) -> int:
        return self._at(self.value.amount)

    @property
    def walk_away_at(self) -> int:
        return self._at(self.walk_away.amount) if self.walk_away else 0

    @property
    def target_at(self) -> int:
        return self._at(self.target.amount) if self.target else 0


def offer_standing(*, offer: Offer, negotiation: Negotiation) -> Standing:
    amount = (
        offer.base_salary if negotiation.basis == Negotiation.Basis.BASE else offer.annualised_value
    )
    value = Money(amount, offer.currency)
    basis = "base salary" if negotiation.basis == Negotiation.Basis.BASE else "annualised total"
    target, walk_away = negotiation.target, negotiation.walk_away
    if target is None or walk_away is None:
        message = "Set a target and a walk-away to see where this offer stands."
        return Standing("unset", value, basis, message)
    low, high = min(walk_away, amount), max(target, amount)
    pad = max((high - low) // 5, 1)
    status = _status(amount, walk_away=walk_away, target=target)
    target_money, walk_away_money = Money(target, offer.currency), Money(walk_away, offer.currency)
    return Standing(
        status,
        value,
        basis,
        _standing_message(
            status, f"This offer’s {basis} of {value}", value, target_money, walk_away_money
        ),
        target=target_money,
        walk_away=walk_away_money,
        scale_min=max(low - pad, 0),
        scale_max=high + pad,
    )


def _status(amount: int, *, walk_away: int, target: int) -> str:
    if amount < walk_away:
        return "below"
    return "met" if amount >= target else "between"


def _standing_message(status: str, lead: str, value: Money, target: Money, walk_away: Money) -> str:
    currency = value.currency
    if status == "below":
        gap = Money(walk_away.amount - value.amount, currency)
        return f"{lead} is {gap} below your walk-away of {walk_away}."
    if status == "between":
        above = Money(value.amount - walk_away.amount, currency)
        short = Money(target.amount - value.amount, currency)
        return (
            f"{lead} is {above} above your walk-away and {short} short of your target of {target}."
        )
    spare = value.amount - target.amount
    extra = f", with {Money(spare, currency)} to spare" if spare else ""
    return f"{lead} meets your target of {target}{extra}."


@dataclass
class Worksheet:
    offer: Offer
    negotiation: Negotiation
    standing: Standing
    figures: list[MarketFigure]
    steps: list[NegotiationStep]
    stories: list[Story]
    offers: list[Offer]  # every offer for the opportunity, latest (current) first

    @property
    def current(self) -> Offer:
        return self.offers[0]

    @property
    def is_current(self) -> bool:
        return self.current.pk == self.offer.pk

    @property
    def market_range(self) -> tuple[Money, Money] | None:
        """The span of the figures in the offer's currency; others are never mixed in."""
        same = [figure for figure in self.figures if figure.currency == self.offer.currency]
        if not same:
            return None
        currency = self.offer.currency
        return (
            Money(min(f.low for f in same), currency),
            Money(max(f.high for f in same), currency),
        )

    @property
    def figures_in_other_currencies(self) -> int:
        return sum(figure.currency != self.offer.currency for figure in self.figures)

    @property
    def figure_rows(self) -> list[FigureRow]:
        return [
            FigureRow(
                figure,
                Money(figure.low, figure.currency),
                Money(figure.high, figure.currency),
                same_currency=figure.currency == self.offer.currency,
            )
            for figure in self.figures
        ]


@dataclass(frozen=True)
class FigureRow:
    figure: MarketFigure
    low: Money
    high: Money
    same_currency: bool


def start_negotiation(*, offer: Offer, previous: Offer | None) -> Negotiation:
    """The new offer's worksheet, starting from the previous offer's targets, figures and case.
    Part of recording the offer: `create_offer` calls it inside its transaction."""
    earlier = _negotiation_or_none(previous) if previous else None
    if earlier is None:
        return Negotiation.objects.create(offer=offer)
    negotiation = Negotiation.objects.create(
        offer=offer, basis=earlier.basis, target=earlier.target, walk_away=earlier.walk_away
    )
    negotiation.stories.set(earlier.stories.all())
    MarketFigure.objects.bulk_create(
        MarketFigure(
            negotiation=negotiation,
            source=figure.source,
            url=figure.url,
            low=figure.low,
            high=figure.high,
            currency=figure.currency,
            observed_on=figure.observed_on,
        )
        for figure in earlier.market_figures.all()
    )
    return negotiation


def _negotiation_or_none(offer: Offer) -> Negotiation | None:
    try:
        return offer.negotiation
    except Negotiation.DoesNotExist:
        return None


def negotiation_of(offer: Offer) -> Negotiation:
    """The offer's worksheet; offers made outside `create_offer` get an empty one."""
    negotiation = _negotiation_or_none(offer)
    if negotiation is None:
        negotiation, _ = Negotiation.objects.get_or_create(offer=offer)
    return negotiation


def build_worksheet(*, offer: Offer) -> Worksheet:
    """Everything the worksheet page shows, in a fixed number of queries."""
    negotiation = negotiation_of(offer)
    offers = list(Offer.objects.filter(opportunity_id=offer.opportunity_id).latest_first())
    return Worksheet(
        offer=offer,
        negotiation=negotiation,
        standing=offer_standing(offer=offer, negotiation=negotiation),
        figures=list(negotiation.market_figures.all()),
        steps=list(negotiation.steps.all()),
        stories=list(negotiation.stories.order_by("title", "id")),
        offers=offers,
    )


@transaction.atomic
def set_targets(
    *, negotiation: Negotiation, basis: str, target: int, walk_away: int
) -> Negotiation:
    negotiation.basis, negotiation.target, negotiation.walk_away = basis, target, walk_away
    negotiation.full_clean(exclude=["offer", "stories"])
    negotiation.save(update_fields=["basis", "target", "walk_away", "updated_at"])
    return negotiation


@transaction.atomic
def add_market_figure(*, negotiation: Negotiation, **fields: Any) -> MarketFigure:
    if negotiation.market_figures.count() >= MAX_MARKET_FIGURES:
        raise ValidationError(
            f"A worksheet holds up to {MAX_MARKET_FIGURES} figures; delete one to add another."
        )
    figure = MarketFigure(negotiation=negotiation, **fields)
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def delete_market_figure(*, figure: MarketFigure) -> None:
    figure.delete()


@transaction.atomic
def set_case_stories(*, negotiation: Negotiation, stories: Iterable[Story]) -> None:
    """The stories that make the case for more; only ever the member's own."""
    chosen = list(stories)
    owner_id = negotiation.offer.opportunity.owner_id
    if any(story.owner_id != owner_id for story in chosen):
        raise ValidationError({"stories": "Choose stories from your own bank."})
    negotiation.stories.set(chosen)


@transaction.atomic
def log_negotiation_step(
    *,
    negotiation: Negotiation,
    happened_on: dt.date,
    asked: str,
    answered: str = "",
    outcome: str = NegotiationStep.Outcome.WAITING,
) -> NegotiationStep:
    """Appends one ask and its answer to the log; entries are never edited."""
    if negotiation.steps.count() >= MAX_STEPS:
        raise ValidationError(f"The log holds up to {MAX_STEPS} entries.")
    step = NegotiationStep(
        negotiation=negotiation,
        happened_on=happened_on,
        asked=asked,
        answered=answered,
        outcome=outcome,
    )
    step.full_clean()
    step.save()
    return step

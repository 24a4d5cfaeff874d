"""Offers and negotiation: recording offers, comparing them across currencies, the negotiation
worksheet, and accepting one offer while closing the rest of the search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from careertips.core.access import member_or_none, owned_or_404
from careertips.core.models import User
from careertips.pipeline.models import (
    BonusKind,
    EquityKind,
    ExchangeRate,
    MarketFigure,
    Negotiation,
    NegotiationStep,
    Offer,
    Opportunity,
    Stage,
    StageChange,
)
from careertips.pipeline.services import move_opportunity
from careertips.stories.models import Story

# Fields a member enters on an offer; the opportunity it belongs to never changes.
OFFER_FIELDS = [
    "received_on", "currency", "base_salary", "bonus_kind", "bonus_amount", "bonus_percent",
    "equity_kind", "equity_amount", "vesting_years", "sign_on_bonus", "benefits",
    "benefits_value", "start_date", "decision_deadline", "notes",
]  # fmt: skip
MAX_COMPARED = 12
MAX_MARKET_FIGURES = 50
MAX_STEPS = 200
# A decision deadline this close is flagged on every page that shows the offer.
DEADLINE_SOON_DAYS = 3
# How the other open opportunities are closed when an offer is accepted.
WITHDRAW, DECLINE, KEEP = "withdraw", "decline", "keep"
CLOSING_STAGES = {WITHDRAW: Stage.WITHDRAWN, DECLINE: Stage.OFFER_DECLINED}

CURRENCY_SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "INR": "₹", "KRW": "₩",
    "ILS": "₪", "NGN": "₦", "PHP": "₱", "VND": "₫", "TRY": "₺", "CAD": "CA$", "AUD": "A$",
    "NZD": "NZ$", "HKD": "HK$", "SGD": "S$", "MXN": "MX$", "BRL": "R$", "TWD": "NT$",
}  # fmt: skip


# Permission helpers: the row if the member owns it, else 404.


def get_offer_for(user: Any, pk: int) -> Offer:
    qs = Offer.objects.owned_by(user).select_related("opportunity__organization", "negotiation")
    return owned_or_404(qs, pk, "offer")


def get_market_figure_for(user: Any, pk: int) -> MarketFigure:
    qs = MarketFigure.objects.select_related(
        "negotiation__offer__opportunity__organization"
    ).filter(negotiation__offer__opportunity__owner=member_or_none(user))
    return owned_or_404(qs, pk, "market figure")


def get_exchange_rate_for(user: Any, pk: int) -> ExchangeRate:
    return owned_or_404(ExchangeRate.objects.owned_by(user), pk, "exchange rate")


# Money on screen


def format_money(amount: int, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{currency}\u00a0{amount:,}"


def format_rate(rate: Decimal) -> str:
    """1.0800000000 → "1.08"; never scientific notation."""
    return f"{rate.normalize():f}"


def format_date(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


@dataclass(frozen=True)
class Conversion:
    """An amount converted at a rate the member entered, shown with its arithmetic."""

    original: Money
    converted: Money
    rate: ExchangeRate
    # The member's rate goes the other way (to → from), so the amount is divided by it.
    divided: bool = False

    def __str__(self) -> str:
        sign = "÷" if self.divided else "×"
        return f"{self.original} {sign} {format_rate(self.rate.rate)} = {self.converted}"

    @property
    def source(self) -> str:
        rate = self.rate
        return (
            f"at your rate of {format_date(rate.as_of)} "
            f"(1 {rate.from_currency} = {format_rate(rate.rate)} {rate.to_currency})"
        )


class RateBook:
    """The member's exchange rates, looked up by pair in either direction."""

    def __init__(self, rates: Iterable[ExchangeRate]) -> None:
        self._rates = {(rate.from_currency, rate.to_currency): rate for rate in rates}

    def can_convert(self, source: str, target: str) -> bool:
        return (
            source == target or (source, target) in self._rates or (target, source) in self._rates
        )

    def is_direct(self, source: str, target: str) -> bool:
        return (source, target) in self._rates

    def convert(self, money: Money, target: str) -> Conversion | None:
        if direct := self._rates.get((money.currency, target)):
            value, divided, rate = Decimal(money.amount) * direct.rate, False, direct
        elif inverse := self._rates.get((target, money.currency)):
            value, divided, rate = Decimal(money.amount) / inverse.rate, True, inverse
        else:
            return None
        whole = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return Conversion(money, Money(whole, target), rate, divided)


# Offers


def deadline_flag(offer: Offer, *, stage: str, today: dt.date) -> str:
    """ "passed" or "soon" while the member still has to decide, else ""."""
    if offer.decision_deadline is None or stage != Stage.OFFER:
        return ""
    if offer.is_deadline_passed(today=today):
        return "passed"
    return "soon" if (offer.decision_deadline - today).days <= DEADLINE_SOON_DAYS else ""


@dataclass
class OfferRow:
    """One offer's figures as pages show them, in its own currency unless converted."""

    offer: Offer
    is_current: bool = True
    deadline: str = ""
    rank: int | None = None
    first_year_conversion: Conversion | None = None
    annualised_conversion: Conversion | None = None

    def _money(self, amount: int) -> Money:
        return Money(amount, self.offer.currency)

    @property
    def base(self) -> Money:
        return self._money(self.offer.base_salary)

    @property
    def bonus(self) -> str:
        offer = self.offer
        if offer.bonus_kind == BonusKind.NONE:
            return "—"
        value = str(self._money(offer.bonus_value))
        if offer.bonus_kind == BonusKind.PERCENT and offer.bonus_percent is not None:
            return f"{value} ({format_rate(offer.bonus_percent)}% of base)"
        return value

    @property
    def equity(self) -> str:
        offer = self.offer
        if offer.equity_kind == EquityKind.NONE or not offer.equity_amount:
            return "—"
        per_year = f"{self._money(offer.equity_per_year)} a year"
        if offer.equity_kind == EquityKind.GRANT:
            return f"{per_year} ({self._money(offer.equity_amount)} over {offer.vesting_years} y)"
        return f"{per_year} ({offer.vesting_years} y vesting)"

    @property
    def sign_on(self) -> str:
        return str(self._money(self.offer.sign_on_bonus)) if self.offer.sign_on_bonus else "—"

    @property
    def benefits(self) -> str:
        value = self.offer.benefits_value
        return f"{self._money(value)} a year" if value else "—"

    @property
    def first_year(self) -> Money:
        return self._money(self.offer.first_year_value)

    @property
    def annualised(self) -> Money:
        return self._money(self.offer.annualised_value)

    @property
    def ranking_value(self) -> int:
        conversion = self.annualised_conversion
        return conversion.converted.amount if conversion else self.offer.annualised_value

    @property
    def is_best(self) -> bool:
        return self.rank == 1


def offer_rows(offers: Iterable[Offer], *, today: dt.date) -> list[OfferRow]:
    return [
        OfferRow(offer, deadline=deadline_flag(offer, stage=offer.opportunity.stage, today=today))
        for offer in offers
    ]


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
    _start_negotiation(offer=offer, previous=previous)
    return offer


def _start_negotiation(*, offer: Offer, previous: Offer | None) -> Negotiation:
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


# Comparing offers


@dataclass
class Cell:
    text: str
    note: str = ""
    best: bool = False


@dataclass
class Line:
    label: str
    cells: list[Cell]
    total: bool = False


@dataclass
class Table:
    """Offers side by side: one column per offer, one line per figure."""

    title: str
    rows: list[OfferRow]
    # Offers in several currencies without rates are ranked only among their own currency.
    best_label: str = "Highest"

    @property
    def lines(self) -> list[Line]:
        rows = self.rows
        return [
            Line("Base salary", [Cell(str(row.base)) for row in rows]),
            Line("Bonus (target)", [Cell(row.bonus) for row in rows]),
            Line("Equity per year", [Cell(row.equity) for row in rows]),
            Line("Sign-on bonus (once)", [Cell(row.sign_on) for row in rows]),
            Line("Benefits value", [Cell(row.benefits) for row in rows]),
            Line("First-year total", [self._total(row, first_year=True) for row in rows], True),
            Line("Annualised (no sign-on)", [self._total(row) for row in rows], True),
        ]

    def _total(self, row: OfferRow, *, first_year: bool = False) -> Cell:
        own = row.first_year if first_year else row.annualised
        conversion = row.first_year_conversion if first_year else row.annualised_conversion
        best = not first_year and row.is_best and len(self.rows) > 1
        if conversion is None:
            return Cell(str(own), best=best)
        return Cell(str(conversion.converted), note=str(conversion), best=best)


@dataclass
class Comparison:
    rows: list[OfferRow]
    currencies: list[str]
    tables: list[Table]
    # Set when amounts in other currencies were converted into this one.
    target_currency: str = ""
    # (from, to) pairs the member would need to enter for one combined ranking.
    missing_rates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def mixed(self) -> bool:
        return len(self.currencies) > 1

    @property
    def converted(self) -> bool:
        return bool(self.target_currency)

    @property
    def conversions(self) -> list[Conversion]:
        return [row.annualised_conversion for row in self.rows if row.annualised_conversion]


def offers_to_compare(*, owner: User, ids: list[int]) -> list[Offer]:
    """The offers asked for by id, or else every current offer still being decided or taken."""
    offers = Offer.objects.owned_by(owner).select_related("opportunity__organization")
    if ids:
        offers = offers.filter(pk__in=ids[:MAX_COMPARED])
    else:
        offers = offers.current().filter(opportunity__stage__in=[Stage.OFFER, Stage.ACCEPTED])
    return list(offers.latest_first()[:MAX_COMPARED])


def selectable_offers(*, owner: User) -> list[Offer]:
    """Each opportunity's current offer, for choosing what to compare."""
    offers = Offer.objects.owned_by(owner).current().select_related("opportunity__organization")
    return list(offers.latest_first()[:50])


def compare_offers(
    *,
    offers: list[Offer],
    rates: Iterable[ExchangeRate],
    today: dt.date,
    target_currency: str = "",
) -> Comparison:
    """Totals are only ever added or ranked within one currency. Offers in several currencies
    are converted only at rates the member entered; without them each currency stands apart."""
    rows = offer_rows(offers, today=today)
    currencies = list(dict.fromkeys(offer.currency for offer in offers))
    if len(currencies) <= 1 and target_currency in ("", *currencies):
        _rank(rows)
        tables = [Table(f"Offers in {currencies[0]}", rows)] if rows else []
        return Comparison(rows, currencies, tables)
    book = RateBook(rates)
    target = _choose_target(currencies, book, requested=target_currency)
    if target:
        _convert(rows, book, target)
        _rank(rows)
        return Comparison(rows, currencies, [Table(f"All offers in {target}", rows)], target)
    wanted = target_currency or currencies[0]
    missing = [(code, wanted) for code in currencies if not book.can_convert(code, wanted)]
    return Comparison(rows, currencies, _tables_per_currency(rows, currencies), "", missing)


def _choose_target(currencies: list[str], book: RateBook, *, requested: str) -> str:
    """The requested currency, else the one every offer converts into with the most rates
    entered in that direction (a EUR → USD rate says the member thinks in dollars)."""
    candidates = [requested] if requested else currencies
    possible = [t for t in candidates if all(book.can_convert(c, t) for c in currencies)]
    if not possible:
        return ""
    return max(possible, key=lambda target: sum(book.is_direct(c, target) for c in currencies))


def _convert(rows: list[OfferRow], book: RateBook, target: str) -> None:
    for row in rows:
        if row.offer.currency != target:
            row.first_year_conversion = book.convert(row.first_year, target)
            row.annualised_conversion = book.convert(row.annualised, target)


def _tables_per_currency(rows: list[OfferRow], currencies: list[str]) -> list[Table]:
    tables = []
    for code in currencies:
        group = [row for row in rows if row.offer.currency == code]
        _rank(group)
        tables.append(Table(f"Offers in {code}", group, best_label=f"Highest in {code}"))
    return tables


def _rank(rows: list[OfferRow]) -> None:
    """Ranks by annualised value, highest first; equal values share a rank."""
    values = sorted({row.ranking_value for row in rows}, reverse=True)
    for row in rows:
        row.rank = values.index(row.ranking_value) + 1


@transaction.atomic
def save_exchange_rate(
    *, owner: User, from_currency: str, to_currency: str, rate: Decimal, as_of: dt.date
) -> ExchangeRate:
    """Adds the member's rate for a pair of currencies, or replaces the one they had."""
    row = (
        ExchangeRate.objects.select_for_update()
        .filter(owner=owner, from_currency=from_currency, to_currency=to_currency)
        .first()
    )
    if row is None:
        row = ExchangeRate(
            owner=owner,
            from_currency=from_currency,
            to_currency=to_currency,
            rate=rate,
            as_of=as_of,
        )
        row.full_clean()
        row.save()
        return row
    row.rate, row.as_of = rate, as_of
    row.full_clean()
    row.save(update_fields=["rate", "as_of", "updated_at"])
    return row


@transaction.atomic
def delete_exchange_rate(*, rate: ExchangeRate) -> None:
    rate.delete()


# The negotiation worksheet


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

"""Offers side by side: each offer's figures as pages show them, and the comparison that
adds and ranks totals only within one currency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.offers.models import BonusKind, EquityKind, ExchangeRate, Offer, OfferQuerySet
from careertips.offers.services.money import Conversion, Money, RateBook, format_rate
from careertips.pipeline.models import Stage

MAX_COMPARED = 12
SELECTABLE = 50  # current offers listed to choose from
DECIDING = [Stage.OFFER, Stage.ACCEPTED]

# A decision deadline this close is flagged on every page that shows the offer.
DEADLINE_SOON_DAYS = 3


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


def offers_to_compare(
    *, owner: User, ids: list[int], selectable: list[Offer] | None = None
) -> list[Offer]:
    """The offers asked for by id, or else every current offer still being decided or taken.
    `selectable` (from `selectable_offers`) spares the query when it holds the answer."""
    if not ids and selectable is not None:
        deciding = [offer for offer in selectable if offer.opportunity.stage in DECIDING]
        # The newest current offers, in the same order: whatever they leave out is older
        # than the first MAX_COMPARED of them, unless they are all there is.
        if len(deciding) >= MAX_COMPARED or len(selectable) < SELECTABLE:
            return deciding[:MAX_COMPARED]
    if not owner.is_authenticated:
        return []
    if ids:
        return _ASKED_FOR.instance_slice(0, MAX_COMPARED, owner=owner.pk, ids=ids[:MAX_COMPARED])
    return _DECIDING.instance_slice(0, MAX_COMPARED, owner=owner.pk)


def selectable_offers(*, owner: User) -> list[Offer]:
    """Each opportunity's current offer, newest first, for choosing what to compare."""
    return (
        _SELECTABLE.instance_slice(0, SELECTABLE, owner=owner.pk) if owner.is_authenticated else []
    )


# Each offer with its opportunity and organization, from queries compiled once (sliced when
# run, so that the limits read as they stand): the page reads these on every view.
def _offers_of(owner: int) -> OfferQuerySet:
    return Offer.objects.filter(opportunity__owner_id=owner).select_related(
        "opportunity__organization"
    )


def _current_offers_of(owner: int) -> OfferQuerySet:
    # The current offers found by id first: joined as one query, the database looked up every
    # opportunity's organization before learning that most of them have no offer.
    current = Offer.objects.filter(opportunity__owner_id=owner).current().values("pk")
    return _offers_of(owner).filter(pk__in=current)


_SELECTABLE = Prepared(lambda owner: _current_offers_of(owner).latest_first(), owner=int)
_DECIDING = Prepared(
    lambda owner: _current_offers_of(owner).filter(opportunity__stage__in=DECIDING).latest_first(),
    owner=int,
)
_ASKED_FOR = Prepared(
    lambda owner, ids: _offers_of(owner).filter(pk__in=ids).latest_first(),
    owner=int,
    ids=list,
)


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

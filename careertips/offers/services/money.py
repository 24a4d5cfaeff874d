"""Money on screen: amounts with their currency, and converting them at the member's own
exchange rates (never at a rate the member did not enter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from careertips.core.models import User
from careertips.offers.models import ExchangeRate

CURRENCY_SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "INR": "₹", "KRW": "₩",
    "ILS": "₪", "NGN": "₦", "PHP": "₱", "VND": "₫", "TRY": "₺", "CAD": "CA$", "AUD": "A$",
    "NZD": "NZ$", "HKD": "HK$", "SGD": "S$", "MXN": "MX$", "BRL": "R$", "TWD": "NT$",
}  # fmt: skip


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


# The member's exchange rates


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

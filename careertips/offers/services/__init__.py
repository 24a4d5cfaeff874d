"""What members do with offers, by concern: `money` (amounts on screen, exchange rates and
conversion), `compare` (offers side by side, ranked within one currency), `negotiation`
(the worksheet: targets, market figures, the case, the log) and `lifecycle` (recording,
editing and deleting offers, and accepting one while closing the rest of the search).

The permission helpers are here: each returns the member's row or raises 404."""

from __future__ import annotations

from typing import Any

from careertips.core.access import member_or_none, owned_or_404
from careertips.offers.models import ExchangeRate, MarketFigure, Offer


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

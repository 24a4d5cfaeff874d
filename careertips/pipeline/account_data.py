"""What of a member's data the pipeline holds, for their archive (see core.account_data)."""

from careertips.core.account_data import Rows
from careertips.pipeline.models import (
    ExchangeRate,
    Interview,
    MarketFigure,
    Negotiation,
    NegotiationStep,
    Offer,
    Opportunity,
    StageChange,
)

EXPORTS = [
    Rows("pipeline/opportunities.json", lambda user: Opportunity.objects.filter(owner=user)),
    Rows(
        "pipeline/stage-changes.json",
        lambda user: StageChange.objects.filter(opportunity__owner=user),
    ),
    Rows(
        "pipeline/interviews.json", lambda user: Interview.objects.filter(opportunity__owner=user)
    ),
    Rows("pipeline/offers.json", lambda user: Offer.objects.filter(opportunity__owner=user)),
    Rows(
        "pipeline/negotiations.json",
        lambda user: Negotiation.objects.filter(offer__opportunity__owner=user),
    ),
    Rows(
        "pipeline/market-figures.json",
        lambda user: MarketFigure.objects.filter(negotiation__offer__opportunity__owner=user),
    ),
    Rows(
        "pipeline/negotiation-log.json",
        lambda user: NegotiationStep.objects.filter(negotiation__offer__opportunity__owner=user),
    ),
    Rows("pipeline/exchange-rates.json", lambda user: ExchangeRate.objects.filter(owner=user)),
]

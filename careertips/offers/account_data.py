"""What of a member's data the offers hold, for their archive (see core.account_data).

The files keep their place in the archive's pipeline/ folder, where members and their scripts
have always found them; offers come right after the pipeline in INSTALLED_APPS, so the archive
lists them in the same order too."""

from careertips.core.account_data import Rows
from careertips.offers.models import ExchangeRate, MarketFigure, Negotiation, NegotiationStep, Offer

# Restoring: offers belong to opportunities (a negotiation's stories are linked at the end).
RESTORE_AFTER = ("pipeline",)

EXPORTS = [
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

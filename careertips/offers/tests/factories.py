"""Small factories for the offers tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from careertips.core.models import User
from careertips.network.tests.helpers import make_organization
from careertips.offers.models import ExchangeRate, Offer
from careertips.offers.services.lifecycle import create_offer
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_opportunity


def make_offer(
    *,
    owner: User | None = None,
    opportunity: Opportunity | None = None,
    employer: str = "Globex",
    **kw: Any,
) -> Offer:
    """An offer through the service, for a new interviewing opportunity unless one is given."""
    if opportunity is None:
        assert owner is not None
        opportunity = make_opportunity(
            owner=owner,
            stage=Stage.INTERVIEWING,
            title=kw.pop("title", "Operations Director"),
            organization=make_organization(owner=owner, name=employer),
        )
    kw.setdefault("base_salary", 100_000)
    kw.setdefault("currency", "USD")
    kw.setdefault("received_on", timezone.localdate() - dt.timedelta(days=1))
    return create_offer(opportunity=opportunity, **kw)


def make_rate(*, owner: User, source: str, target: str, rate: str, **kw: Any) -> ExchangeRate:
    kw.setdefault("as_of", timezone.localdate())
    return ExchangeRate.objects.create(
        owner=owner, from_currency=source, to_currency=target, rate=Decimal(rate), **kw
    )

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from careertips.offers.models import (
    MAX_OFFER_AMOUNT,
    BonusKind,
    EquityKind,
    ExchangeRate,
    MarketFigure,
    Negotiation,
    NegotiationStep,
    Offer,
)
from careertips.offers.services.lifecycle import create_offer
from careertips.offers.services.negotiation import negotiation_of
from careertips.offers.tests.factories import make_offer

DAY = dt.date(2026, 3, 10)


def _refused(update):
    with pytest.raises(IntegrityError), transaction.atomic():
        update()


@pytest.mark.parametrize(
    "values",
    [
        {"base_salary": 0},
        {"base_salary": MAX_OFFER_AMOUNT + 1},
        {"sign_on_bonus": MAX_OFFER_AMOUNT + 1},
        {"bonus_kind": BonusKind.AMOUNT},
        {"bonus_kind": BonusKind.NONE, "bonus_amount": 5_000},
        {"bonus_kind": BonusKind.PERCENT},
        {"bonus_kind": BonusKind.PERCENT, "bonus_percent": Decimal(0)},
        {"bonus_kind": BonusKind.PERCENT, "bonus_percent": Decimal(250)},
        {"bonus_kind": BonusKind.PERCENT, "bonus_percent": Decimal(10), "bonus_amount": 1},
        {"equity_kind": EquityKind.GRANT, "equity_amount": 50_000},
        {"equity_kind": EquityKind.PER_YEAR, "equity_amount": 5_000, "vesting_years": 11},
        {"equity_kind": EquityKind.NONE, "vesting_years": 4},
        {"received_on": DAY, "start_date": DAY - dt.timedelta(days=1)},
        {"received_on": DAY, "decision_deadline": DAY - dt.timedelta(days=1)},
        {"currency": "XYZ"},
    ],
)
def test_it_refuses_inconsistent_offers_in_the_database(alice, values):
    offer = make_offer(owner=alice)

    _refused(lambda: Offer.objects.filter(pk=offer.pk).update(**values))


def test_it_refuses_a_walk_away_above_the_target_in_the_database(alice):
    negotiation = negotiation_of(make_offer(owner=alice))

    _refused(lambda: Negotiation.objects.filter(pk=negotiation.pk).update(target=1, walk_away=2))
    _refused(lambda: Negotiation.objects.filter(pk=negotiation.pk).update(target=0))


def test_it_refuses_a_market_range_upside_down(alice):
    negotiation = negotiation_of(make_offer(owner=alice))

    _refused(
        lambda: MarketFigure.objects.create(negotiation=negotiation, source="S", low=9, high=8)
    )


def test_it_refuses_an_empty_ask(alice):
    negotiation = negotiation_of(make_offer(owner=alice))

    _refused(lambda: NegotiationStep.objects.create(negotiation=negotiation, asked=""))


def test_it_keeps_one_rate_per_pair_and_member(alice):
    ExchangeRate.objects.create(owner=alice, from_currency="EUR", to_currency="USD", rate=1)

    _refused(
        lambda: ExchangeRate.objects.create(
            owner=alice, from_currency="EUR", to_currency="USD", rate=2
        )
    )
    _refused(
        lambda: ExchangeRate.objects.create(
            owner=alice, from_currency="USD", to_currency="USD", rate=1
        )
    )
    _refused(
        lambda: ExchangeRate.objects.create(
            owner=alice, from_currency="GBP", to_currency="USD", rate=0
        )
    )


def test_it_picks_each_opportunitys_latest_offer_as_current(alice):
    first = make_offer(owner=alice, received_on=DAY - dt.timedelta(days=3))
    later_same_day = create_offer(
        opportunity=first.opportunity, base_salary=101_000, received_on=DAY
    )
    create_offer(opportunity=first.opportunity, base_salary=99_000, received_on=DAY)
    backdated = create_offer(
        opportunity=first.opportunity, base_salary=98_000, received_on=DAY - dt.timedelta(days=9)
    )
    other = make_offer(owner=alice, employer="Initech")

    current = set(Offer.objects.current())

    assert later_same_day not in current and backdated not in current
    assert current == {Offer.objects.filter(base_salary=99_000).get(), other}


def test_it_flags_a_passed_deadline(alice):
    offer = make_offer(owner=alice, received_on=DAY, decision_deadline=DAY)

    assert offer.is_deadline_passed(today=DAY + dt.timedelta(days=1))
    assert not offer.is_deadline_passed(today=DAY)

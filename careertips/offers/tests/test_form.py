import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.http import QueryDict

from careertips.offers.forms import (
    AcceptForm,
    CaseForm,
    CompareForm,
    ExchangeRateForm,
    MarketFigureForm,
    OfferForm,
    StepForm,
    TargetsForm,
)
from careertips.offers.models import Offer
from careertips.offers.services.lifecycle import DECLINE, KEEP, WITHDRAW
from careertips.offers.tests.factories import make_offer
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.stories.tests.factories import make_story

pytestmark = pytest.mark.usefixtures("frozen")

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


def _offer_form(owner, **data):
    posted = {
        "received_on": "2026-03-09",
        "currency": "USD",
        "base_salary": "100000",
        "bonus_kind": "none",
        "equity_kind": "none",
        **data,
    }
    opportunity = make_opportunity(owner=owner, stage=Stage.INTERVIEWING)
    return OfferForm(posted, owner=owner, instance=Offer(opportunity=opportunity))


def test_it_accepts_amounts_with_thousands_separators(alice):
    form = _offer_form(alice, base_salary="95,000", sign_on_bonus="10 000")

    assert form.is_valid(), form.errors
    assert form.offer_fields()["base_salary"] == 95_000
    assert form.offer_fields()["sign_on_bonus"] == 10_000


def test_it_counts_a_missing_sign_on_bonus_as_none(alice):
    form = _offer_form(alice)

    assert form.is_valid(), form.errors
    assert form.offer_fields()["sign_on_bonus"] == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Enter an amount in whole units, e.g. 95000."),
        ("95000.50", "Enter an amount in whole units, e.g. 95000."),
        ("-5000", "Pay cannot be negative."),
        ("0", "Enter an amount above zero."),
        ("1000000000000", "That is more than 999,999,999,999; check the number."),
        ("9" * 5000, "Enter an amount in whole units, e.g. 95000."),
        ("", "This field is required."),
    ],
)
def test_it_explains_bad_pay_at_the_field(alice, value, message):
    form = _offer_form(alice, base_salary=value)

    assert not form.is_valid()
    assert form.errors["base_salary"] == [message]


def test_it_refuses_a_negative_sign_on_bonus(alice):
    form = _offer_form(alice, sign_on_bonus="-1")

    assert form.errors["sign_on_bonus"] == ["Pay cannot be negative."]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"bonus_percent": "10"}, "bonus_kind", "You entered a bonus: choose whether"),
        ({"bonus_kind": "amount"}, "bonus_amount", "Enter the target bonus amount."),
        (
            {"bonus_kind": "amount", "bonus_amount": "9000", "bonus_percent": "10"},
            "bonus_percent",
            "Leave this empty: you chose an amount.",
        ),
        ({"bonus_kind": "percent"}, "bonus_percent", "Enter the bonus as a percent"),
        ({"bonus_kind": "percent", "bonus_percent": "250"}, "bonus_percent", "up to 200"),
        ({"bonus_kind": "percent", "bonus_percent": "ten"}, "bonus_percent", "such as 10"),
        ({"bonus_kind": "lottery"}, "bonus_kind", "Select a valid choice."),
        ({"equity_amount": "50000"}, "equity_kind", "You entered equity: choose whether"),
        ({"equity_kind": "grant", "equity_amount": "80000"}, "vesting_years", "how many years"),
        (
            {"equity_kind": "grant", "equity_amount": "80000", "vesting_years": "40"},
            "vesting_years",
            "Enter between 1 and 10 years.",
        ),
        ({"currency": "XXX"}, "currency", "Choose a currency from the list."),
        ({"received_on": "2026-03-11"}, "received_on", "This date is in the future"),
        ({"start_date": "2026-03-01"}, "start_date", "The start date is before the offer date."),
        ({"start_date": "2036-03-01"}, "start_date", "years after the offer"),
        (
            {"decision_deadline": "2026-03-08"},
            "decision_deadline",
            "The decision deadline is before the offer date.",
        ),
        ({"notes": "x" * 20_001}, "notes", "at most 20000 characters"),
    ],
)
def test_it_explains_inconsistent_offers_at_the_field(alice, data, field, message):
    form = _offer_form(alice, **data)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field]), form.errors


def test_it_stores_the_bonus_the_way_it_was_given(alice):
    form = _offer_form(alice, bonus_kind="percent", bonus_percent="12.5%")

    assert form.is_valid(), form.errors
    fields = form.offer_fields()
    assert (fields["bonus_kind"], fields["bonus_percent"], fields["bonus_amount"]) == (
        "percent",
        Decimal("12.5"),
        None,
    )


def test_it_allows_a_deadline_that_has_passed_but_flags_it(alice):
    form = _offer_form(alice, received_on="2026-03-01", decision_deadline="2026-03-05")

    assert form.is_valid(), form.errors
    assert form.deadline_passed == dt.date(2026, 3, 5)


def test_it_does_not_flag_a_deadline_still_ahead(alice):
    form = _offer_form(alice, decision_deadline="2026-03-10")

    assert form.is_valid(), form.errors
    assert form.deadline_passed is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"target": "100000", "walk_away": "120000"}, "walk_away", "above your target"),
        ({"target": "0", "walk_away": "0"}, "target", "Enter an amount above zero."),
        ({"target": "100000", "walk_away": "-1"}, "walk_away", "Pay cannot be negative."),
        ({"target": "100000"}, "walk_away", "This field is required."),
    ],
)
def test_it_checks_the_targets(data, field, message):
    form = TargetsForm({"basis": "base", **data})

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_it_takes_a_walk_away_equal_to_the_target():
    form = TargetsForm({"basis": "annual", "target": "100,000", "walk_away": "100000"})

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"low": "120000", "high": "90000"}, "high", "The high figure is below the low one."),
        ({"url": "javascript:alert(1)"}, "url", "Enter a web address"),
        ({"observed_on": "2027-01-01"}, "observed_on", "in the future"),
        ({"source": ""}, "source", "This field is required."),
        ({"currency": "dollars"}, "currency", "Choose a currency from the list."),
    ],
)
def test_it_checks_market_figures(alice, data, field, message):
    offer = make_offer(owner=alice)
    posted = {"source": "Survey", "low": "90000", "high": "120000", "currency": "USD"}
    form = MarketFigureForm(
        {**posted, "observed_on": "2026-03-01", **data}, owner=alice, offer=offer
    )

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_it_offers_only_the_members_stories_for_the_case(alice, bob):
    mine = make_story(owner=alice, title="Mine")
    theirs = make_story(owner=bob, title="Theirs")

    form = CaseForm({"stories": [mine.pk, theirs.pk]}, owner=alice)

    assert form.has_bank
    assert [label for _, label in form.fields["stories"].choices] == ["Mine"]
    assert not form.is_valid()
    assert form.errors["stories"] == ["Choose stories from your own bank."]


@pytest.mark.parametrize("value", ["abc", str(2**64), "-1"])
def test_it_refuses_story_ids_that_are_not_ids(alice, value):
    form = CaseForm({"stories": [value]}, owner=alice)

    assert not form.is_valid()
    assert form.errors["stories"] == ["Choose stories from your own bank."]


def test_it_dates_log_entries_sensibly(alice):
    offer = make_offer(owner=alice, received_on=TODAY)
    data = {"asked": "More?", "outcome": "waiting"}

    future = StepForm({**data, "happened_on": "2026-03-11"}, owner=alice, offer=offer)
    ancient = StepForm({**data, "happened_on": "2024-01-01"}, owner=alice, offer=offer)
    fine = StepForm({**data, "happened_on": "2026-03-10"}, owner=alice, offer=offer)

    assert "in the future" in future.errors["happened_on"][0]
    assert "more than a year before the offer" in ancient.errors["happened_on"][0]
    assert fine.is_valid(), fine.errors


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"to_currency": "EUR"}, "to_currency", "Choose two different currencies."),
        ({"rate": "0"}, "rate", "A rate is above zero."),
        ({"rate": "-1.08"}, "rate", "A rate is above zero."),
        ({"rate": "1,08"}, "rate", "Enter the rate as a number such as 1.08."),
        ({"rate": "NaN"}, "rate", "Enter the rate as a number such as 1.08."),
        ({"rate": "2000000"}, "rate", "That rate is too large"),
        ({"from_currency": "ZZZ"}, "from_currency", "Choose a currency from the list."),
    ],
)
def test_it_checks_exchange_rates(alice, data, field, message):
    posted = {"from_currency": "EUR", "to_currency": "USD", "rate": "1.08"}
    form = ExchangeRateForm({**posted, "as_of": "2026-03-10", **data}, owner=alice)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.parametrize(
    ("query", "ids"),
    [("ids=3,7", [3, 7]), ("ids=3&ids=7&ids=3", [3, 7]), ("", []), ("ids=", [])],
)
def test_it_reads_offer_ids_either_way(query, ids):
    form = CompareForm(QueryDict(query))

    assert form.value("ids") == ids


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ids=3,x", "Offers are chosen by number"),
        (f"ids={2**64}", "Offers are chosen by number"),
        ("ids=" + ",".join(str(n) for n in range(1, 14)), "Compare up to 12 offers"),
    ],
)
def test_it_refuses_ids_that_are_not_offers(query, message):
    form = CompareForm(QueryDict(query))

    assert form.value("ids") == []
    assert message in form.errors["ids"][0]


def test_it_turns_a_strategy_into_a_decision_for_each_opportunity(alice):
    offered = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, title="Offered")
    make_offer(opportunity=offered)
    offered.refresh_from_db()
    applied = make_opportunity(owner=alice, stage=Stage.APPLIED, title="Applied")
    rows = [offered, applied]

    default = AcceptForm({"strategy": "decline_and_withdraw"}, opportunities=rows)
    everything = AcceptForm({"strategy": "withdraw_all"}, opportunities=rows)
    chosen = AcceptForm(
        {"strategy": "choose", f"opportunity_{offered.pk}": KEEP,
         f"opportunity_{applied.pk}": WITHDRAW},
        opportunities=rows,
    )  # fmt: skip

    assert default.is_valid() and everything.is_valid() and chosen.is_valid()
    assert default.decisions() == {offered.pk: DECLINE, applied.pk: WITHDRAW}
    assert everything.decisions() == {offered.pk: WITHDRAW, applied.pk: WITHDRAW}
    assert chosen.decisions() == {offered.pk: KEEP, applied.pk: WITHDRAW}


def test_it_asks_for_each_choice_when_choosing_one_by_one(alice):
    applied = make_opportunity(owner=alice, stage=Stage.APPLIED)

    form = AcceptForm({"strategy": "choose"}, opportunities=[applied])

    assert form.errors[f"opportunity_{applied.pk}"] == ["Choose what to do with this one."]


def test_it_offers_no_decline_without_an_offer(alice):
    applied = make_opportunity(owner=alice, stage=Stage.APPLIED)

    form = AcceptForm(
        {"strategy": "choose", f"opportunity_{applied.pk}": DECLINE}, opportunities=[applied]
    )

    assert form.errors[f"opportunity_{applied.pk}"] == ["Choose one of the listed actions."]

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from careertips.network.tests.helpers import make_organization
from careertips.offers.models import (
    BonusKind,
    EquityKind,
    ExchangeRate,
    MarketFigure,
    Negotiation,
    NegotiationStep,
    Offer,
)
from careertips.offers.services import compare
from careertips.offers.services.compare import (
    compare_offers,
    offers_to_compare,
    selectable_offers,
)
from careertips.offers.services.lifecycle import (
    DECLINE,
    KEEP,
    WITHDRAW,
    accept_offer,
    create_offer,
    delete_offer,
    offer_panel,
    update_offer,
)
from careertips.offers.services.money import save_exchange_rate
from careertips.offers.services.negotiation import (
    MAX_MARKET_FIGURES,
    add_market_figure,
    build_worksheet,
    log_negotiation_step,
    negotiation_of,
    offer_standing,
    set_case_stories,
    set_targets,
)
from careertips.offers.tests.factories import make_offer, make_rate
from careertips.pipeline.models import Opportunity, Stage, StageChange
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.stories.tests.factories import make_story

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def today():
    return timezone.localdate()


# Recording offers


def test_it_moves_the_opportunity_to_offer_when_an_offer_is_recorded(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)

    offer = create_offer(opportunity=opportunity, base_salary=120_000, currency="USD")

    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.OFFER
    change = StageChange.objects.filter(opportunity=opportunity).last()
    assert (change.from_stage, change.to_stage) == (Stage.INTERVIEWING, Stage.OFFER)
    assert change.note == "Offer received"
    assert offer.negotiation.target is None


def test_it_records_a_revised_offer_without_moving_again(alice):
    first = make_offer(owner=alice)
    changes = StageChange.objects.filter(opportunity=first.opportunity).count()

    revised = create_offer(opportunity=first.opportunity, base_salary=110_000, currency="USD")

    assert StageChange.objects.filter(opportunity=first.opportunity).count() == changes
    assert list(Offer.objects.filter(opportunity=first.opportunity).current()) == [revised]


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        (Stage.INTERESTED, "You have not applied for this role yet"),
        (Stage.WITHDRAWN, "This opportunity is closed (withdrawn)"),
        (Stage.TURNED_DOWN, "This opportunity is closed (turned down)"),
    ],
)
def test_it_refuses_an_offer_where_the_move_is_not_allowed(alice, stage, message):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED)
    if stage != Stage.INTERESTED:
        move_opportunity(opportunity=opportunity, to_stage=Stage.APPLIED)
        move_opportunity(opportunity=opportunity, to_stage=stage)

    with pytest.raises(ValidationError) as error:
        create_offer(opportunity=opportunity, base_salary=100_000)

    assert message in error.value.messages[0]
    assert not Offer.objects.exists()
    opportunity.refresh_from_db()
    assert opportunity.stage == stage


def test_it_does_not_move_the_opportunity_when_the_offer_is_invalid(alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.SCREENING)

    with pytest.raises(ValidationError):
        create_offer(
            opportunity=opportunity,
            base_salary=100_000,
            received_on=dt.date(2026, 3, 10),
            start_date=dt.date(2026, 3, 1),
        )

    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.SCREENING


def test_it_starts_a_revised_offers_worksheet_from_the_previous_one(alice):
    first = make_offer(owner=alice)
    story = make_story(owner=alice)
    negotiation = negotiation_of(first)
    set_targets(negotiation=negotiation, basis="annual", target=130_000, walk_away=110_000)
    set_case_stories(negotiation=negotiation, stories=[story])
    add_market_figure(negotiation=negotiation, source="Survey", low=100_000, high=140_000)
    log_negotiation_step(negotiation=negotiation, happened_on=timezone.localdate(), asked="More?")

    revised = create_offer(opportunity=first.opportunity, base_salary=115_000)

    carried = revised.negotiation
    assert (carried.basis, carried.target, carried.walk_away) == ("annual", 130_000, 110_000)
    assert list(carried.stories.all()) == [story]
    assert [(f.source, f.low, f.high) for f in carried.market_figures.all()] == [
        ("Survey", 100_000, 140_000)
    ]
    assert not carried.steps.exists()
    assert negotiation.market_figures.count() == 1


def test_it_updates_only_the_fields_given(alice):
    offer = make_offer(owner=alice, notes="First call")

    update_offer(offer=offer, base_salary=125_000)

    offer.refresh_from_db()
    assert (offer.base_salary, offer.notes) == (125_000, "First call")
    with pytest.raises(ValueError, match="Not editable"):
        update_offer(offer=offer, opportunity=offer.opportunity)


def test_it_deletes_an_offer_with_its_worksheet_and_keeps_the_stage(alice):
    offer = make_offer(owner=alice)
    add_market_figure(negotiation=negotiation_of(offer), source="Survey", low=1, high=2)

    delete_offer(offer=offer)

    assert not Negotiation.objects.exists()
    assert not MarketFigure.objects.exists()
    assert Opportunity.objects.get().stage == Stage.OFFER


def test_it_lists_an_opportunitys_offers_latest_first(alice, today):
    first = make_offer(owner=alice, received_on=today - dt.timedelta(days=5))
    revised = create_offer(
        opportunity=first.opportunity,
        base_salary=105_000,
        received_on=today,
        decision_deadline=today - dt.timedelta(days=0),
    )

    panel = offer_panel(opportunity=first.opportunity, today=today + dt.timedelta(days=1))

    assert [row.offer for row in panel.rows] == [revised, first]
    assert [row.is_current for row in panel.rows] == [True, False]
    assert panel.rows[0].deadline == "passed"
    assert panel.can_record and panel.can_accept


# Totals


def test_it_totals_the_first_year_and_the_annualised_value(alice):
    offer = make_offer(
        owner=alice,
        base_salary=100_000,
        bonus_kind=BonusKind.PERCENT,
        bonus_percent=Decimal("12.5"),
        equity_kind=EquityKind.GRANT,
        equity_amount=100_000,
        vesting_years=4,
        sign_on_bonus=10_000,
        benefits_value=8_000,
    )

    assert offer.bonus_value == 12_500
    assert offer.equity_per_year == 25_000
    assert offer.annualised_value == 100_000 + 12_500 + 25_000 + 8_000
    assert offer.first_year_value == offer.annualised_value + 10_000


def test_it_takes_a_bonus_amount_and_equity_per_year_as_given(alice):
    offer = make_offer(
        owner=alice,
        bonus_kind=BonusKind.AMOUNT,
        bonus_amount=15_000,
        equity_kind=EquityKind.PER_YEAR,
        equity_amount=20_000,
        vesting_years=4,
    )

    assert (offer.bonus_value, offer.equity_per_year) == (15_000, 20_000)
    assert offer.annualised_value == 135_000
    assert offer.first_year_value == 135_000


def test_it_rounds_a_grant_to_whole_units_per_year(alice):
    offer = make_offer(
        owner=alice, equity_kind=EquityKind.GRANT, equity_amount=100_001, vesting_years=3
    )

    assert offer.equity_per_year == 33_334


# Comparing


def test_it_ranks_offers_in_one_currency_by_annualised_value(alice, today):
    low = make_offer(owner=alice, employer="Initech", base_salary=100_000, sign_on_bonus=50_000)
    high = make_offer(owner=alice, employer="Globex", base_salary=120_000)

    comparison = compare_offers(offers=[low, high], rates=[], today=today)

    assert not comparison.mixed
    ranks = {row.offer.pk: row.rank for row in comparison.rows}
    # The sign-on makes the first year bigger, but a typical year is what ranks.
    assert ranks == {high.pk: 1, low.pk: 2}
    annualised = comparison.tables[0].lines[-1]
    assert [cell.text for cell in annualised.cells] == ["$100,000", "$120,000"]
    assert [cell.best for cell in annualised.cells] == [False, True]
    first_year = comparison.tables[0].lines[-2]
    assert [cell.text for cell in first_year.cells] == ["$150,000", "$120,000"]


def test_it_refuses_to_add_offers_in_different_currencies(alice, today):
    euros = make_offer(owner=alice, employer="Initech", base_salary=95_000, currency="EUR")
    dollars = make_offer(owner=alice, employer="Globex", base_salary=100_000, currency="USD")

    comparison = compare_offers(offers=[euros, dollars], rates=[], today=today)

    assert comparison.mixed and not comparison.converted
    assert comparison.conversions == []
    assert [table.title for table in comparison.tables] == ["Offers in EUR", "Offers in USD"]
    # Each table totals only its own currency, and each offer ranks first only among its own.
    totals = [[c.text for c in table.lines[-1].cells] for table in comparison.tables]
    assert totals == [["€95,000"], ["$100,000"]]
    assert all(row.rank == 1 for row in comparison.rows)
    assert all(not cell.best for t in comparison.tables for cell in t.lines[-1].cells)
    assert comparison.missing_rates == [("USD", "EUR")]
    texts = [cell.text for t in comparison.tables for line in t.lines for cell in line.cells]
    assert "€195,000" not in texts and "$195,000" not in texts


def test_it_converts_at_the_members_explicit_rate(alice, today):
    euros = make_offer(owner=alice, employer="Initech", base_salary=95_000, currency="EUR")
    dollars = make_offer(owner=alice, employer="Globex", base_salary=100_000, currency="USD")
    rate = make_rate(owner=alice, source="EUR", target="USD", rate="1.08", as_of=TODAY)

    comparison = compare_offers(offers=[euros, dollars], rates=[rate], today=today)

    assert comparison.converted and comparison.target_currency == "USD"
    (conversion,) = comparison.conversions
    assert str(conversion) == "€95,000 × 1.08 = $102,600"
    assert conversion.source == "at your rate of Mar 10, 2026 (1 EUR = 1.08 USD)"
    ranks = {row.offer.pk: row.rank for row in comparison.rows}
    assert ranks == {euros.pk: 1, dollars.pk: 2}
    (table,) = comparison.tables
    annualised = table.lines[-1]
    assert [cell.text for cell in annualised.cells] == ["$102,600", "$100,000"]
    assert annualised.cells[0].note == "€95,000 × 1.08 = $102,600"
    # The offer's own figures stay in its own currency.
    assert table.lines[0].cells[0].text == "€95,000"


def test_it_divides_by_a_rate_entered_the_other_way(alice, today):
    euros = make_offer(owner=alice, employer="Initech", base_salary=95_000, currency="EUR")
    dollars = make_offer(owner=alice, employer="Globex", base_salary=100_000, currency="USD")
    rate = make_rate(owner=alice, source="EUR", target="USD", rate="1.08")

    comparison = compare_offers(
        offers=[euros, dollars], rates=[rate], today=today, target_currency="EUR"
    )

    (conversion,) = comparison.conversions
    assert str(conversion) == "$100,000 ÷ 1.08 = €92,593"
    assert conversion.source.endswith("(1 EUR = 1.08 USD)")


def test_it_will_not_convert_into_a_currency_without_a_rate(alice, today):
    euros = make_offer(owner=alice, employer="Initech", base_salary=95_000, currency="EUR")
    dollars = make_offer(owner=alice, employer="Globex", base_salary=100_000, currency="USD")
    rate = make_rate(owner=alice, source="EUR", target="USD", rate="1.08")

    comparison = compare_offers(
        offers=[euros, dollars], rates=[rate], today=today, target_currency="GBP"
    )

    assert not comparison.converted
    assert comparison.missing_rates == [("EUR", "GBP"), ("USD", "GBP")]


def test_it_compares_all_current_offers_being_decided_by_default(alice, bob):
    first = make_offer(owner=alice, employer="Initech")
    revised = create_offer(opportunity=first.opportunity, base_salary=105_000)
    declined = make_offer(owner=alice, employer="Globex")
    move_opportunity(opportunity=declined.opportunity, to_stage=Stage.OFFER_DECLINED)
    make_offer(owner=bob)

    assert offers_to_compare(owner=alice, ids=[]) == [revised]
    assert offers_to_compare(owner=alice, ids=[first.pk, declined.pk]) == [declined, first]


def test_it_picks_the_default_comparison_from_the_offers_listed_to_choose(
    alice, django_assert_num_queries
):
    first = make_offer(owner=alice, employer="Initech")
    revised = create_offer(opportunity=first.opportunity, base_salary=105_000)
    declined = make_offer(owner=alice, employer="Globex")
    move_opportunity(opportunity=declined.opportunity, to_stage=Stage.OFFER_DECLINED)
    latest = make_offer(owner=alice, employer="Hooli")
    selectable = selectable_offers(owner=alice)

    with django_assert_num_queries(0):
        chosen = offers_to_compare(owner=alice, ids=[], selectable=selectable)

    assert chosen == offers_to_compare(owner=alice, ids=[]) == [revised, latest]


def test_it_asks_again_when_the_offers_listed_may_leave_some_out(
    alice, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(compare, "SELECTABLE", 1)
    waiting = make_offer(owner=alice, employer="Initech")
    declined = make_offer(owner=alice, employer="Globex")
    move_opportunity(opportunity=declined.opportunity, to_stage=Stage.OFFER_DECLINED)
    selectable = selectable_offers(owner=alice)
    assert selectable == [declined]

    with django_assert_num_queries(1):
        assert offers_to_compare(owner=alice, ids=[], selectable=selectable) == [waiting]


def test_it_never_compares_another_members_offer(alice, bob):
    theirs = make_offer(owner=bob)

    assert offers_to_compare(owner=alice, ids=[theirs.pk]) == []


def test_it_replaces_a_members_rate_for_the_same_pair(alice, bob):
    save_exchange_rate(
        owner=alice, from_currency="EUR", to_currency="USD", rate=Decimal("1.05"), as_of=TODAY
    )
    save_exchange_rate(
        owner=bob, from_currency="EUR", to_currency="USD", rate=Decimal("2"), as_of=TODAY
    )

    rate = save_exchange_rate(
        owner=alice, from_currency="EUR", to_currency="USD", rate=Decimal("1.08"), as_of=TODAY
    )

    assert rate.rate_text == "1.08"
    assert ExchangeRate.objects.filter(owner=alice).count() == 1
    assert ExchangeRate.objects.get(owner=bob).rate == Decimal(2)


def test_it_refuses_a_rate_between_one_currency_and_itself(alice):
    with pytest.raises(ValidationError):
        save_exchange_rate(
            owner=alice, from_currency="USD", to_currency="USD", rate=Decimal(1), as_of=TODAY
        )


# The worksheet


@pytest.mark.parametrize(
    ("base", "status", "message"),
    [
        (90_000, "below", "This offer’s base salary of $90,000 is $5,000 below your walk-away"),
        (
            100_000,
            "between",
            "is $5,000 above your walk-away and $10,000 short of your target of $110,000.",
        ),
        (110_000, "met", "meets your target of $110,000."),
        (112_000, "met", "meets your target of $110,000, with $2,000 to spare."),
    ],
)
def test_it_places_the_offer_between_walk_away_and_target(alice, base, status, message):
    offer = make_offer(owner=alice, base_salary=base)
    negotiation = set_targets(
        negotiation=negotiation_of(offer), basis="base", target=110_000, walk_away=95_000
    )

    standing = offer_standing(offer=offer, negotiation=negotiation)

    assert standing.status == status
    assert message in standing.message
    assert 0 <= standing.walk_away_at < standing.target_at <= 100
    assert 0 <= standing.value_at <= 100


def test_it_measures_the_annualised_total_when_asked(alice):
    offer = make_offer(owner=alice, base_salary=100_000, benefits_value=15_000)
    negotiation = set_targets(
        negotiation=negotiation_of(offer), basis="annual", target=110_000, walk_away=95_000
    )

    standing = offer_standing(offer=offer, negotiation=negotiation)

    assert standing.status == "met"
    assert standing.message.startswith("This offer’s annualised total of $115,000")


def test_it_asks_for_targets_before_placing_the_offer(alice):
    offer = make_offer(owner=alice)

    standing = offer_standing(offer=offer, negotiation=negotiation_of(offer))

    assert standing.status == "unset"
    assert standing.target is None


def test_it_refuses_a_walk_away_above_the_target(alice):
    offer = make_offer(owner=alice)

    with pytest.raises(ValidationError):
        set_targets(negotiation=negotiation_of(offer), basis="base", target=100, walk_away=200)


def test_it_links_only_the_members_own_stories(alice, bob):
    offer = make_offer(owner=alice)
    theirs = make_story(owner=bob, title="Bob's story")

    with pytest.raises(ValidationError) as error:
        set_case_stories(negotiation=negotiation_of(offer), stories=[theirs])

    assert error.value.message_dict == {"stories": ["Choose stories from your own bank."]}
    assert not negotiation_of(offer).stories.exists()


def test_it_caps_the_market_figures_per_worksheet(alice):
    negotiation = negotiation_of(make_offer(owner=alice))
    MarketFigure.objects.bulk_create(
        MarketFigure(negotiation=negotiation, source=f"S{n}", low=1, high=2)
        for n in range(MAX_MARKET_FIGURES)
    )

    with pytest.raises(ValidationError, match="up to 50 figures"):
        add_market_figure(negotiation=negotiation, source="One more", low=1, high=2)


def test_it_appends_to_the_log_in_date_order(alice, today):
    negotiation = negotiation_of(make_offer(owner=alice))
    log_negotiation_step(negotiation=negotiation, happened_on=today, asked="Sign-on?")
    log_negotiation_step(
        negotiation=negotiation,
        happened_on=today - dt.timedelta(days=2),
        asked="Base of 110k?",
        answered="105k",
        outcome=NegotiationStep.Outcome.COUNTERED,
    )

    assert [step.asked for step in negotiation.steps.all()] == ["Base of 110k?", "Sign-on?"]


def test_it_builds_the_worksheet_for_a_replaced_offer(alice):
    first = make_offer(owner=alice)
    revised = create_offer(opportunity=first.opportunity, base_salary=110_000)

    worksheet = build_worksheet(offer=first)

    assert not worksheet.is_current
    assert worksheet.current == revised


def test_it_keeps_figures_in_other_currencies_out_of_the_market_range(alice):
    offer = make_offer(owner=alice)
    negotiation = negotiation_of(offer)
    add_market_figure(negotiation=negotiation, source="A", low=90_000, high=110_000)
    add_market_figure(negotiation=negotiation, source="B", low=95_000, high=130_000)
    add_market_figure(negotiation=negotiation, source="C", low=1, high=900_000, currency="EUR")

    worksheet = build_worksheet(offer=offer)

    low, high = worksheet.market_range
    assert (str(low), str(high)) == ("$90,000", "$130,000")
    assert worksheet.figures_in_other_currencies == 1


# Accepting


def _search(alice):
    """An offer to accept, another offer, and two more open opportunities."""
    offer = make_offer(owner=alice, employer="Globex")
    other_offer = make_offer(owner=alice, employer="Initech")
    interviewing = make_opportunity(
        owner=alice,
        stage=Stage.INTERVIEWING,
        title="Plant Manager",
        organization=make_organization(owner=alice, name="Umbrella"),
    )
    applied = make_opportunity(owner=alice, stage=Stage.APPLIED, title="COO")
    return offer, other_offer.opportunity, interviewing, applied


def test_it_accepts_and_closes_the_other_opportunities_as_chosen(alice, bob):
    offer, offered, interviewing, applied = _search(alice)
    bobs = make_opportunity(owner=bob, stage=Stage.APPLIED)

    acceptance = accept_offer(
        offer=offer,
        decisions={offered.pk: DECLINE, interviewing.pk: WITHDRAW, applied.pk: KEEP},
    )

    stages = dict(Opportunity.objects.values_list("pk", "stage"))
    assert stages[offer.opportunity_id] == Stage.ACCEPTED
    assert stages[offered.pk] == Stage.OFFER_DECLINED
    assert stages[interviewing.pk] == Stage.WITHDRAWN
    assert stages[applied.pk] == Stage.APPLIED
    assert stages[bobs.pk] == Stage.APPLIED
    assert (acceptance.closed, acceptance.kept_open) == (2, 1)
    notes = StageChange.objects.filter(
        opportunity__in=[offer.opportunity_id, offered.pk, interviewing.pk],
        to_stage__in=[Stage.ACCEPTED, Stage.OFFER_DECLINED, Stage.WITHDRAWN],
    ).values_list("note", flat=True)
    assert list(notes) == ["Accepted the offer at Globex"] * 3
    assert not StageChange.objects.filter(opportunity=applied, note__startswith="Accepted")


def test_it_closes_nothing_it_was_not_told_to(alice):
    offer, offered, interviewing, applied = _search(alice)

    acceptance = accept_offer(offer=offer, decisions={})

    assert (acceptance.closed, acceptance.kept_open) == (0, 3)
    assert Opportunity.objects.filter(stage=Stage.ACCEPTED).count() == 1


def test_it_rolls_everything_back_when_one_move_is_not_allowed(alice):
    offer, offered, interviewing, applied = _search(alice)

    with pytest.raises(ValidationError) as error:
        accept_offer(offer=offer, decisions={offered.pk: DECLINE, interviewing.pk: DECLINE})

    assert error.value.message_dict == {
        f"opportunity_{interviewing.pk}": [
            "“Plant Manager” has no offer to decline; withdraw it instead."
        ]
    }
    assert not Opportunity.objects.filter(stage__in=[Stage.ACCEPTED, Stage.OFFER_DECLINED])


def test_it_refuses_to_close_another_members_opportunity(alice, bob):
    offer = make_offer(owner=alice)
    bobs = make_opportunity(owner=bob, stage=Stage.APPLIED)

    with pytest.raises(ValidationError, match="no longer open"):
        accept_offer(offer=offer, decisions={bobs.pk: WITHDRAW})

    bobs.refresh_from_db()
    assert bobs.stage == Stage.APPLIED
    offer.opportunity.refresh_from_db()
    assert offer.opportunity.stage == Stage.OFFER


def test_it_refuses_to_accept_a_replaced_offer(alice):
    first = make_offer(owner=alice)
    create_offer(opportunity=first.opportunity, base_salary=110_000)

    with pytest.raises(ValidationError, match="replaced this one"):
        accept_offer(offer=first, decisions={})


def test_it_refuses_to_accept_twice(alice):
    offer = make_offer(owner=alice)
    accept_offer(offer=offer, decisions={})

    with pytest.raises(ValidationError, match="already accepted"):
        accept_offer(offer=offer, decisions={})

    assert StageChange.objects.filter(to_stage=Stage.ACCEPTED).count() == 1

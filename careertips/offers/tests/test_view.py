import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages

from careertips.core.testing import count_queries, htmx
from careertips.network.tests.helpers import make_organization
from careertips.offers.models import ExchangeRate, MarketFigure, NegotiationStep, Offer
from careertips.offers.services.lifecycle import create_offer
from careertips.offers.services.negotiation import (
    add_market_figure,
    log_negotiation_step,
    negotiation_of,
    set_case_stories,
)
from careertips.offers.tests.factories import make_offer, make_rate
from careertips.pipeline.models import Opportunity, Stage, StageChange
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.stories.tests.factories import make_story

OFFER = {
    "received_on": "2026-03-09",
    "currency": "USD",
    "base_salary": "120,000",
    "bonus_kind": "percent",
    "bonus_percent": "10",
    "equity_kind": "none",
    "sign_on_bonus": "15000",
    "decision_deadline": "2026-03-20",
}


def _flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


# Recording offers


def test_it_records_an_offer_and_moves_the_opportunity(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, title="Plant Manager")

    response = alice_client.post(f"/opportunities/{opportunity.pk}/offer/new/", OFFER)

    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opportunity.pk}/#offers"
    offer = Offer.objects.get()
    assert (offer.base_salary, offer.bonus_value, offer.first_year_value) == (
        120_000,
        12_000,
        147_000,
    )
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.OFFER
    assert _flashes(response) == ["Recorded the offer and moved it to the Offer stage."]


def test_it_shows_the_offer_on_the_opportunity_page(alice_client, alice):
    offer = make_offer(owner=alice, base_salary=120_000, sign_on_bonus=15_000)

    page = alice_client.get(f"/opportunities/{offer.opportunity_id}/").content.decode()

    assert 'id="offers"' in page
    assert "$120,000" in page and "$135,000" in page
    assert f'href="/opportunities/offers/{offer.pk}/negotiate/"' in page
    assert f'href="/opportunities/offers/{offer.pk}/accept/"' in page
    assert "Record a revised offer" in page


def test_it_invites_an_offer_on_an_interviewing_opportunity(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)

    page = alice_client.get(f"/opportunities/{opportunity.pk}/").content.decode()

    assert f'href="/opportunities/{opportunity.pk}/offer/new/"' in page
    assert "No offer yet." in page


def test_it_leaves_offers_off_an_opportunity_that_cannot_have_one(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED)

    page = alice_client.get(f"/opportunities/{opportunity.pk}/").content.decode()

    assert 'id="offers"' not in page


def test_it_warns_about_a_deadline_that_has_passed(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/offer/new/",
        {**OFFER, "received_on": "2026-03-01", "decision_deadline": "2026-03-05"},
    )
    page = alice_client.get(f"/opportunities/{opportunity.pk}/").content.decode()

    assert response.status_code == 302
    assert "The decision deadline, Mar 5, 2026, has already passed." in _flashes(response)[1]
    assert "Deadline passed Mar 5" in page


def test_it_explains_why_an_interested_opportunity_cannot_have_an_offer(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERESTED)

    shown = alice_client.get(f"/opportunities/{opportunity.pk}/offer/new/")
    response = alice_client.post(f"/opportunities/{opportunity.pk}/offer/new/", OFFER)

    assert "You have not applied for this role yet" in shown.content.decode()
    assert response.status_code == 200
    assert "move it to Applied (or further) before recording an offer" in (
        response.content.decode()
    )
    assert not Offer.objects.exists()


def test_it_shows_bad_input_at_the_field(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)

    response = alice_client.post(
        f"/opportunities/{opportunity.pk}/offer/new/",
        {**OFFER, "base_salary": "-5", "start_date": "2026-03-01", "currency": "<b>"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pay cannot be negative." in page
    assert "The start date is before the offer date." in page
    assert "Choose a currency from the list." in page
    assert 'aria-invalid="true"' in page
    assert not Offer.objects.exists()


def test_it_shows_errors_for_an_empty_submission(alice_client, alice):
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)

    response = alice_client.post(f"/opportunities/{opportunity.pk}/offer/new/", {})

    assert "Please correct the highlighted fields." in response.content.decode()


def test_it_edits_an_offer(alice_client, alice):
    offer = make_offer(owner=alice)

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/edit/", {**OFFER, "base_salary": "130000"}
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.base_salary == 130_000


def test_it_deletes_an_offer_after_asking(alice_client, alice):
    offer = make_offer(owner=alice)

    asked = alice_client.get(f"/opportunities/offers/{offer.pk}/delete/")
    response = alice_client.post(f"/opportunities/offers/{offer.pk}/delete/")

    assert "negotiation worksheet" in asked.content.decode()
    assert response["Location"] == f"/opportunities/{offer.opportunity_id}/#offers"
    assert not Offer.objects.exists()


# Comparing


def test_it_compares_two_offers_side_by_side(alice_client, alice):
    first = make_offer(owner=alice, employer="Initech", base_salary=100_000, sign_on_bonus=20_000)
    second = make_offer(owner=alice, employer="Globex", base_salary=110_000)

    page = alice_client.get(
        f"/opportunities/offers/compare/?ids={first.pk},{second.pk}"
    ).content.decode()

    assert "Offers in USD" in page
    assert "$120,000" in page  # Initech's first year, with the sign-on
    assert "not found" not in page
    assert page.count("Highest</span>") == 1
    assert "Amounts in different currencies" not in page


def test_it_refuses_to_add_offers_in_different_currencies(alice_client, alice):
    euros = make_offer(owner=alice, employer="Initech", base_salary=95_000, currency="EUR")
    dollars = make_offer(owner=alice, employer="Globex", base_salary=100_000, currency="USD")

    page = alice_client.get(
        f"/opportunities/offers/compare/?ids={euros.pk}&ids={dollars.pk}"
    ).content.decode()

    assert "These offers are in USD, EUR." in page
    assert "Amounts in different currencies are never added together" in page
    assert "Offers in EUR" in page and "Offers in USD" in page
    assert "195,000" not in page
    assert "Highest</span>" not in page
    # The rate form is ready for the missing rate.
    assert '<option value="USD" selected>' in page
    assert '<option value="EUR" selected>' in page


def test_it_converts_once_the_member_enters_a_rate(alice_client, alice):
    euros = make_offer(owner=alice, employer="Initech", base_salary=95_000, currency="EUR")
    make_offer(owner=alice, employer="Globex", base_salary=100_000, currency="USD")

    response = alice_client.post(
        "/opportunities/offers/compare/",
        {"from_currency": "EUR", "to_currency": "USD", "rate": "1.08", "as_of": "2026-03-09"},
    )
    page = alice_client.get("/opportunities/offers/compare/").content.decode()

    assert response.status_code == 302
    assert response["Location"] == "/opportunities/offers/compare/#rates"
    assert ExchangeRate.objects.get(owner=alice).rate_text == "1.08"
    assert "Converted into USD at your own rates." in page
    assert "€95,000 × 1.08 = $102,600" in page
    assert "at your rate of Mar 9, 2026 (1 EUR = 1.08 USD)" in page
    assert page.count("Highest</span>") == 1
    assert euros.opportunity.title in page


def test_it_shows_rate_errors_at_the_field(alice_client, alice):
    response = alice_client.post(
        "/opportunities/offers/compare/?ids=1",
        {"from_currency": "EUR", "to_currency": "EUR", "rate": "abc", "as_of": "2026-03-09"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose two different currencies." in page
    assert "Enter the rate as a number such as 1.08." in page
    assert not ExchangeRate.objects.exists()


def test_it_deletes_a_rate_and_goes_back(alice_client, alice):
    rate = make_rate(owner=alice, source="EUR", target="USD", rate="1.08")

    response = alice_client.post(
        f"/opportunities/offers/rates/{rate.pk}/delete/",
        {"next": "/opportunities/offers/compare/?ids=4"},
    )

    assert response["Location"] == "/opportunities/offers/compare/?ids=4"
    assert not ExchangeRate.objects.exists()


def test_it_never_shows_another_members_offer_in_a_comparison(alice_client, alice, bob):
    theirs = make_offer(owner=bob, employer="Bob's secret employer", base_salary=777_000)

    page = alice_client.get(f"/opportunities/offers/compare/?ids={theirs.pk}").content.decode()

    assert "777,000" not in page and "secret employer" not in page
    assert "1 of the offers asked for was not found." in page


def test_it_explains_ids_that_are_not_numbers(alice_client, alice):
    response = alice_client.get("/opportunities/offers/compare/?ids=1;DROP")

    assert response.status_code == 200
    assert "Offers are chosen by number" in response.content.decode()


def test_it_compares_with_a_constant_number_of_queries(alice_client, alice):
    def add(n, currency):
        for i in range(n):
            offer = make_offer(owner=alice, employer=f"{currency} {i}", currency=currency)
            create_offer(opportunity=offer.opportunity, base_salary=101_000, currency=currency)

    make_rate(owner=alice, source="EUR", target="USD", rate="1.08")

    add(1, "USD")
    add(1, "EUR")
    assert "not found" not in alice_client.get("/opportunities/offers/compare/").content.decode()
    few = count_queries(alice_client, "/opportunities/offers/compare/")
    add(5, "USD")
    add(4, "EUR")
    many = count_queries(alice_client, "/opportunities/offers/compare/")

    assert Offer.objects.count() == 22
    assert few == many


# The worksheet


def test_it_shows_where_the_offer_stands(alice_client, alice):
    offer = make_offer(owner=alice, base_salary=100_000)

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/",
        {"basis": "base", "target": "110,000", "walk_away": "95000"},
    )
    page = alice_client.get(f"/opportunities/offers/{offer.pk}/negotiate/").content.decode()

    assert response["Location"] == f"/opportunities/offers/{offer.pk}/negotiate/#targets"
    assert "Room to negotiate" in page
    assert "is $5,000 above your walk-away and $10,000 short of your target of $110,000." in page
    assert '<meter min="' in page and 'aria-describedby="standing-text"' in page


def test_it_saves_targets_inline_with_htmx(alice_client, alice):
    offer = make_offer(owner=alice, base_salary=90_000)

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/",
        {"basis": "base", "target": "110000", "walk_away": "95000"},
        headers=htmx("targets"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="card" id="targets"')
    assert "<html" not in page
    assert "Targets saved." in page and "Below your walk-away" in page


def test_it_refuses_a_walk_away_above_the_target_at_the_field(alice_client, alice):
    offer = make_offer(owner=alice)

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/",
        {"basis": "base", "target": "90000", "walk_away": "95000"},
        headers=htmx("targets"),
    )

    assert "Your walk-away is above your target." in response.content.decode()
    assert negotiation_of(offer).target is None


def test_it_adds_and_deletes_market_figures(alice_client, alice):
    offer = make_offer(owner=alice)

    added = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/figures/",
        {
            "source": "Payscale",
            "url": "https://example.com/survey",
            "low": "95000",
            "high": "125000",
            "currency": "USD",
            "observed_on": "2026-03-01",
        },
        headers=htmx("figures"),
    )
    figure = MarketFigure.objects.get()
    deleted = alice_client.post(
        f"/opportunities/offers/figures/{figure.pk}/delete/", headers=htmx("figures")
    )

    assert "Figure added." in added.content.decode()
    assert "$95,000 – $125,000" in added.content.decode()
    assert "Figure deleted." in deleted.content.decode()
    assert not MarketFigure.objects.exists()


def test_it_shows_a_bad_figure_at_the_field_without_javascript(alice_client, alice):
    offer = make_offer(owner=alice)

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/figures/",
        {"source": "Survey", "low": "abc", "high": "9", "currency": "USD"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert "Enter an amount in whole units, e.g. 95000." in page
    assert not MarketFigure.objects.exists()


def test_it_builds_the_case_from_the_members_own_stories(alice_client, alice, bob):
    offer = make_offer(owner=alice)
    mine = make_story(owner=alice, title="Cut vendor costs", result="Saved $1.2M a year.")
    theirs = make_story(owner=bob, title="Bob's private story")

    refused = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/case/",
        {"stories": [mine.pk, theirs.pk]},
        headers=htmx("case"),
    )
    saved = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/case/", {"stories": [mine.pk]}
    )
    page = alice_client.get(f"/opportunities/offers/{offer.pk}/negotiate/").content.decode()

    assert "Choose stories from your own bank." in refused.content.decode()
    assert "Bob's private story" not in refused.content.decode()
    assert saved.status_code == 302
    assert list(negotiation_of(offer).stories.all()) == [mine]
    assert "Saved $1.2M a year." in page


def test_it_appends_asks_and_answers_to_the_log(alice_client, alice):
    offer = make_offer(owner=alice)

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/negotiate/log/",
        {
            "happened_on": "2026-03-10",
            "asked": "Could the base be $110,000?",
            "answered": "We can do $105,000.",
            "outcome": "countered",
        },
        headers=htmx("log"),
    )

    page = response.content.decode()
    step = NegotiationStep.objects.get()
    assert (step.asked, step.outcome) == ("Could the base be $110,000?", "countered")
    assert "We can do $105,000." in page and "They countered" in page


def test_it_shows_the_worksheet_with_a_constant_number_of_queries(alice_client, alice):
    offer = make_offer(owner=alice)
    negotiation = negotiation_of(offer)
    url = f"/opportunities/offers/{offer.pk}/negotiate/"

    def add(n):
        for i in range(n):
            add_market_figure(negotiation=negotiation, source=f"S{i}", low=1, high=2)
            log_negotiation_step(
                negotiation=negotiation, happened_on=dt.date(2026, 3, 9), asked=f"Ask {i}"
            )
            story = make_story(owner=alice, title=f"Story {i}")
            set_case_stories(negotiation=negotiation, stories=[*negotiation.stories.all(), story])
            create_offer(opportunity=offer.opportunity, base_salary=100_000 + i)

    add(2)
    few = count_queries(alice_client, url)
    add(10)
    many = count_queries(alice_client, url)

    assert negotiation.steps.count() == 12
    assert few == many


def test_it_points_a_replaced_offer_to_the_current_one(alice_client, alice):
    first = make_offer(owner=alice)
    revised = create_offer(opportunity=first.opportunity, base_salary=110_000)

    page = alice_client.get(f"/opportunities/offers/{first.pk}/negotiate/").content.decode()

    assert "replaced this one" in page
    assert f'href="/opportunities/offers/{revised.pk}/negotiate/"' in page
    assert f'href="/opportunities/offers/{first.pk}/accept/"' not in page


# Accepting


def test_it_lists_the_other_open_opportunities_before_accepting(alice_client, alice, bob):
    offer = make_offer(owner=alice, employer="Globex")
    make_offer(owner=alice, employer="Initech", title="Finance Lead")
    make_opportunity(owner=alice, stage=Stage.APPLIED, title="COO")
    make_opportunity(owner=bob, stage=Stage.APPLIED, title="Bob's application")

    page = alice_client.get(f"/opportunities/offers/{offer.pk}/accept/").content.decode()

    assert "Finance Lead" in page and "COO" in page
    assert "Bob's application" not in page
    assert "Decline their offer" in page
    assert "Accepted the offer at Globex" in page


def test_it_accepts_and_closes_the_others(alice_client, alice):
    offer = make_offer(owner=alice, employer="Globex")
    other = make_offer(owner=alice, employer="Initech").opportunity
    applied = make_opportunity(owner=alice, stage=Stage.APPLIED, title="COO")

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/accept/", {"strategy": "decline_and_withdraw"}
    )

    assert response["Location"] == f"/opportunities/{offer.opportunity_id}/"
    stages = dict(Opportunity.objects.values_list("pk", "stage"))
    assert stages == {
        offer.opportunity_id: Stage.ACCEPTED,
        other.pk: Stage.OFFER_DECLINED,
        applied.pk: Stage.WITHDRAWN,
    }
    assert StageChange.objects.filter(note="Accepted the offer at Globex").count() == 3
    assert _flashes(response) == [
        "Congratulations on the new role at Globex! Closed 2 other opportunities."
    ]


def test_it_leaves_open_what_the_member_chose_to_keep(alice_client, alice):
    offer = make_offer(owner=alice, employer="Globex")
    applied = make_opportunity(
        owner=alice,
        stage=Stage.APPLIED,
        organization=make_organization(owner=alice, name="Umbrella"),
    )

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/accept/",
        {"strategy": "choose", f"opportunity_{applied.pk}": "keep"},
    )

    applied.refresh_from_db()
    assert applied.stage == Stage.APPLIED
    assert "Left 1 other opportunity open." in _flashes(response)[0]


def test_it_shows_a_refused_close_at_its_row(alice_client, alice):
    offer = make_offer(owner=alice)
    applied = make_opportunity(owner=alice, stage=Stage.APPLIED)

    response = alice_client.post(
        f"/opportunities/offers/{offer.pk}/accept/",
        {"strategy": "choose", f"opportunity_{applied.pk}": "decline"},
    )

    assert response.status_code == 200
    assert "Choose one of the listed actions." in response.content.decode()
    assert not Opportunity.objects.filter(stage=Stage.ACCEPTED).exists()


def test_it_will_not_accept_an_offer_twice(alice_client, alice):
    offer = make_offer(owner=alice)
    alice_client.post(f"/opportunities/offers/{offer.pk}/accept/", {})

    response = alice_client.post(f"/opportunities/offers/{offer.pk}/accept/", {})

    assert response.status_code == 200
    assert "You have already accepted this offer." in response.content.decode()
    assert StageChange.objects.filter(to_stage=Stage.ACCEPTED).count() == 1


def test_it_will_not_accept_the_offer_of_a_withdrawn_opportunity(alice_client, alice):
    offer = make_offer(owner=alice)
    move_opportunity(opportunity=offer.opportunity, to_stage=Stage.WITHDRAWN)

    page = alice_client.get(f"/opportunities/offers/{offer.pk}/accept/").content.decode()

    assert "This opportunity is withdrawn, not at the offer stage" in page
    assert "Accept the offer</button>" not in page

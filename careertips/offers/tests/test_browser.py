import os

import pytest
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.network.tests.helpers import make_organization
from careertips.offers.models import Offer
from careertips.offers.services.negotiation import negotiation_of
from careertips.offers.tests.factories import make_offer
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.browser

# Set OFFERS_SCREENSHOTS=/some/dir to keep a picture of each page the flow passes.
SHOTS = os.environ.get("OFFERS_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_it_records_negotiates_and_accepts_an_offer(
    browser_page, live_server, transactional_db, alice
):
    page = browser_page
    opportunity = make_opportunity(
        owner=alice,
        stage=Stage.INTERVIEWING,
        title="Plant Manager",
        organization=make_organization(owner=alice, name="Globex"),
    )
    other = make_offer(owner=alice, employer="Initech", base_salary=90_000, currency="EUR")
    login(page, live_server, alice)

    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    page.get_by_role("link", name="Record an offer").click()
    page.get_by_label("Base salary", exact=True).fill("100,000")
    page.get_by_label("A percent of base salary").check()
    page.get_by_label("Bonus percent of base").fill("10")
    page.get_by_label("Sign-on bonus", exact=True).fill("5000")
    _shot(page, "offer-form")
    page.get_by_role("button", name="Record the offer").click()

    expect(page.locator("#messages")).to_contain_text("moved it to the Offer stage")
    expect(page.locator("#offers")).to_contain_text("$115,000")
    _shot(page, "opportunity")
    page.locator("#offers").get_by_role("link", name="Negotiate").click()
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Target", exact=True).fill("120000")
    page.get_by_label("Walk-away").fill("105000")
    page.get_by_role("button", name="Save targets").click()

    expect(page.locator("#targets")).to_contain_text("Below your walk-away")
    expect(page.locator("#targets")).to_contain_text("Targets saved.")
    assert page.evaluate("window.notReloaded") is True
    _shot(page, "worksheet")

    page.goto(f"{live_server.url}/opportunities/offers/compare/")
    expect(page.get_by_text("Amounts in different currencies are never added")).to_be_visible()
    page.get_by_label("Rate", exact=True).fill("1.08")
    page.get_by_role("button", name="Save the rate").click()
    expect(page.get_by_text("€90,000 × 1.08 = $97,200").first).to_be_visible()
    _shot(page, "compare")

    offer = Offer.objects.get(opportunity=opportunity)
    page.goto(f"{live_server.url}/opportunities/offers/{offer.pk}/accept/")
    expect(page.get_by_label("What to do with Operations Director at Initech")).to_be_hidden()
    page.get_by_label("Let me choose for each one").check()
    page.get_by_label("What to do with Operations Director at Initech").select_option("keep")
    _shot(page, "accept")
    page.get_by_role("button", name="Accept the offer").click()

    expect(page.locator("#messages")).to_contain_text("Congratulations on the new role at Globex!")
    stages = dict(Opportunity.objects.values_list("pk", "stage"))
    assert stages == {opportunity.pk: Stage.ACCEPTED, other.opportunity_id: Stage.OFFER}
    assert negotiation_of(offer).target == 120_000

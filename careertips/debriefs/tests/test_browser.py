import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.core.tests.test_accessibility import _violations
from careertips.core.tests.test_browser_keyboard import tab_to
from careertips.debriefs import forms
from careertips.debriefs.models import Debrief, ImprovementAction
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact, make_organization

pytestmark = pytest.mark.browser


@pytest.fixture
def debrief(transactional_db, alice):
    return make_debrief(
        owner=alice, contact=make_contact(owner=alice, name="Dana Whitfield", email="")
    )


def test_it_walks_through_a_debrief_in_place(browser_page, live_server, alice, debrief):
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/debriefs/{debrief.pk}/")
    expect(page.get_by_text("Hi Dana, this is Alice Moreno.")).to_be_visible()

    for hours in (3, 2, 1):
        # Alice's time zone is UTC, so the form reads UTC wall-clock times.
        when = (timezone.now() - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")
        page.get_by_label("When").fill(when)
        page.get_by_label("No answer").check()
        page.get_by_role("button", name="Log attempt").click()
        expect(page.locator("#section-call .debrief-attempts li")).to_have_count(4 - hours)
    expect(page.get_by_text("Time to stop calling.")).to_be_visible()
    expect(page.locator("#id_body")).to_contain_text("I tried to reach you by phone")
    expect(page.locator('#section-steps li[aria-current="step"]')).to_contain_text("Thank-you")

    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator("#section-thank_you")).to_contain_text("Sent myself")

    page.get_by_label("Or a new association").fill("Regional Operations Forum")
    page.get_by_role("button", name="Close the debrief").click()
    expect(page.get_by_text("Dana Whitfield is part of your network now.")).to_be_visible()
    assert Debrief.objects.get(pk=debrief.pk).status == Debrief.Status.CLOSED


def test_it_ticks_off_an_improvement_action_in_place(browser_page, live_server, alice, debrief):
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/debriefs/{debrief.pk}/")
    page.get_by_label("What they said").fill("They wanted someone who had owned a budget.")
    page.get_by_role("checkbox", name="Perceived experience gap").check()
    page.get_by_label("Detail for “Perceived experience gap”").fill("budget ownership")
    page.get_by_role("button", name="Save what you heard").click()
    row = page.locator(".debrief-action")
    expect(row).to_contain_text("cover the gap they saw in budget ownership")
    row.get_by_role("button", name="Done").click()
    expect(row.get_by_role("button", name="Undo")).to_be_visible()
    expect(row).to_have_class("debrief-action is-done")
    assert not ImprovementAction.objects.pending().exists()


def test_it_reaches_every_contact_from_the_short_menu_by_keyboard(
    browser_page, live_server, alice, debrief, monkeypatch
):
    monkeypatch.setattr(forms, "CONTACT_MENU_LIMIT", 1)
    elsewhere = make_organization(owner=alice, name="Elsewhere Ltd")
    far = make_contact(owner=alice, name="Cy Far", organization=elsewhere)
    page = browser_page
    login(page, live_server, alice)
    url = f"{live_server.url}/debriefs/{debrief.pk}/"
    assert _violations(page, url) == []
    expect(page.locator("#id_contact option")).to_have_count(2)  # someone new, and Dana

    tab_to(page, "#section-contact summary")
    page.keyboard.press("Enter")
    tab_to(page, '#section-contact a[href$="?contacts=all#section-contact"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}?contacts=all#section-contact")
    expect(page.locator("#id_contact option")).to_have_count(3)
    assert _violations(page, page.url) == []

    tab_to(page, "#id_contact")
    page.locator("#id_contact").select_option(label="Cy Far, Elsewhere Ltd")
    tab_to(page, "#section-contact button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#section-contact dl.facts")).to_contain_text("Cy Far")
    assert Debrief.objects.get(pk=debrief.pk).contact == far

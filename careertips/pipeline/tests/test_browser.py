import datetime as dt
import re
import time

import pytest
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.debriefs.models import Debrief
from careertips.network.tests.helpers import make_organization
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.pipeline.views import opportunities as pipeline_views

pytestmark = pytest.mark.browser


@pytest.fixture
def opportunity(transactional_db, alice):
    return make_opportunity(owner=alice, title="Plant Manager", stage=Stage.APPLIED)


def test_it_moves_a_card_with_its_menu_in_place(browser_page, live_server, alice, opportunity):
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/board/")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Move “Plant Manager” to").select_option("interviewing")
    page.locator(f"#opp-{opportunity.pk}").get_by_role("button", name="Move").click()

    column = page.locator('[data-stage="interviewing"]')
    expect(column.locator(f"#opp-{opportunity.pk}")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Moved “Plant Manager” to Interviewing.")
    assert page.evaluate("window.notReloaded") is True
    assert Opportunity.objects.get(pk=opportunity.pk).stage == Stage.INTERVIEWING


def test_it_moves_a_card_by_dragging_it(browser_page, live_server, alice, opportunity):
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/board/")

    page.locator(f"#opp-{opportunity.pk}").drag_to(page.locator('[data-stage="screening"]'))

    expect(page.locator(f'[data-stage="screening"] #opp-{opportunity.pk}')).to_be_visible()
    assert Opportunity.objects.get(pk=opportunity.pk).stage == Stage.SCREENING


def test_it_refuses_a_drag_to_a_stage_it_cannot_reach(
    browser_page, live_server, alice, opportunity
):
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/board/")
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))

    page.locator(f"#opp-{opportunity.pk}").drag_to(page.locator('[data-stage="interested"]'))

    expect(page.locator(f'[data-stage="applied"] #opp-{opportunity.pk}')).to_be_visible()
    assert alerts == ["That move is not allowed from this stage."]
    assert Opportunity.objects.get(pk=opportunity.pk).stage == Stage.APPLIED


def test_it_takes_a_turned_down_card_to_its_debrief(browser_page, live_server, alice, opportunity):
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/board/")

    page.get_by_label("Move “Plant Manager” to").select_option("turned_down")
    page.locator(f"#opp-{opportunity.pk}").get_by_role("button", name="Move").click()

    expect(page).to_have_url(re.compile(r"/debriefs/\d+/$"))
    expect(page.locator("#messages")).to_contain_text("Here's your debrief plan.")
    debrief = Debrief.objects.get(opportunity=opportunity)
    assert page.url == f"{live_server.url}/debriefs/{debrief.pk}/"


def test_it_filters_the_list_as_you_type(browser_page, live_server, alice, opportunity):
    make_opportunity(
        owner=alice, title="Analyst", organization=make_organization(owner=alice, name="Globex")
    )
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/")
    expect(page.locator("#results tbody tr")).to_have_count(2)

    page.get_by_label("Search").fill("globex")

    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Analyst")
    expect(page).to_have_url(re.compile(r"q=globex"))


def test_it_records_a_follow_up_in_place(browser_page, live_server, alice, opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(
        found_on=alice.local_today() - dt.timedelta(days=20),
        applied_on=alice.local_today() - dt.timedelta(days=10),
    )
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    expect(page.get_by_label("Suggested message")).to_contain_text("Plant Manager role at")

    page.get_by_role("button", name="I followed up").click()

    expect(page.locator("#follow-up")).to_contain_text("Noted: you followed up today.")
    assert Opportunity.objects.get(pk=opportunity.pk).followed_up_on == alice.local_today()


def test_it_does_not_post_the_form_again_on_a_second_click(
    transactional_db, browser_page, live_server, alice
):
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/new/")
    page.get_by_label("Role title").fill("Plant Manager")
    page.get_by_label("New employer").fill("Acme")
    # Count the submissions that would really go out, and hold them on this page.
    page.evaluate(
        """() => { window.posted = 0; window.addEventListener("submit", (event) => {
            if (!event.defaultPrevented) window.posted += 1; event.preventDefault(); }); }"""
    )
    add = page.get_by_role("button", name="Add opportunity")

    add.click()
    add.click()

    assert page.evaluate("window.posted") == 1
    expect(add).to_have_attribute("aria-busy", "true")
    # Back on the page from the browser's back-forward cache, the form works again.
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    add.click()
    assert page.evaluate("window.posted") == 2


def test_it_makes_one_opportunity_from_a_double_click(
    transactional_db, browser_page, live_server, alice, monkeypatch
):
    # A slow server, as on a poor connection: the second click lands while the first
    # submission is still on its way (without the guard, both reach the server).
    real_create = pipeline_views.create_opportunity

    def slow_create(**kwargs):
        time.sleep(0.5)
        return real_create(**kwargs)

    monkeypatch.setattr(pipeline_views, "create_opportunity", slow_create)
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/new/")
    page.get_by_label("Role title").fill("Plant Manager")
    page.get_by_label("New employer").fill("Acme")

    # Two clicks 150 ms apart, the first still on its way (Playwright's own clicks would
    # wait for the first navigation to finish).
    page.get_by_role("button", name="Add opportunity").evaluate(
        "(button) => { button.click(); setTimeout(() => button.click(), 150); }"
    )

    expect(page.locator("h1")).to_contain_text("Plant Manager")
    page.wait_for_load_state("networkidle")
    assert list(Opportunity.objects.filter(owner=alice).values_list("title", flat=True)) == [
        "Plant Manager"
    ]


def test_it_reaches_every_contact_from_the_short_people_menu_by_keyboard(
    browser_page, live_server, alice, opportunity, monkeypatch
):
    from careertips.core.tests.test_accessibility import _violations
    from careertips.core.tests.test_browser_keyboard import tab_to
    from careertips.network.tests.helpers import make_contact
    from careertips.pipeline import people_forms as forms

    monkeypatch.setattr(forms, "CONTACT_MENU_LIMIT", 1)
    monkeypatch.setattr(forms, "RECENT_CONTACTS", 0)
    make_contact(owner=alice, name="Ada Here", organization=opportunity.organization)
    far = make_contact(
        owner=alice, name="Cy Far", organization=make_organization(owner=alice, name="Far Ltd")
    )
    page = browser_page
    login(page, live_server, alice)
    url = f"{live_server.url}/opportunities/{opportunity.pk}/edit/"
    assert _violations(page, url) == []
    expect(page.locator("#id_hiring_manager option")).to_have_count(2)  # no one, and Ada

    tab_to(page, '#id_hiring_manager_helptext a[href$="?contacts=all#id_hiring_manager"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}?contacts=all#id_hiring_manager")
    expect(page.locator("#id_hiring_manager option")).to_have_count(3)
    assert _violations(page, page.url) == []

    page.locator("#id_hiring_manager").select_option(label="Cy Far, Far Ltd")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(rf"/opportunities/{opportunity.pk}/(#.*)?$"))
    assert Opportunity.objects.get(pk=opportunity.pk).hiring_manager == far

import pytest
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories.models import Gap
from careertips.stories.tests.factories import make_story

pytestmark = pytest.mark.browser

POSTING = """Operations Director — Globex

What you will bring:
- Experience with budget ownership for a $5M P&L
- Ability to hire and coach team leads
"""


@pytest.fixture
def search(transactional_db, alice):
    """An earlier "no" with a debrief to record, a story bank, and a new opportunity."""
    debrief = make_debrief(
        owner=alice,
        contact=make_contact(owner=alice, name="Dana Whitfield", email=""),
        opportunity=make_opportunity(owner=alice, title="Finance Manager"),
    )
    make_story(
        owner=alice,
        title="Ran the $2M events budget",
        result="Delivered 14 events 6% under a $2M budget.",
    )
    globex = make_organization(owner=alice, name="Globex")
    opportunity = make_opportunity(owner=alice, title="Operations Director", organization=globex)
    return {"debrief": debrief, "interview": make_interview(opportunity=opportunity)}


def test_it_turns_a_perceived_gap_into_positioning_for_the_next_posting(
    browser_page, live_server, alice, search
):
    page = browser_page
    login(page, live_server, alice)

    # The debrief: they felt budget ownership was missing.
    page.goto(f"{live_server.url}/debriefs/{search['debrief'].pk}/")
    page.get_by_label("What they said").fill("They wanted someone who had owned a budget.")
    page.get_by_role("checkbox", name="Perceived experience gap").check()
    page.get_by_label("Detail for “Perceived experience gap”").fill("budget ownership")
    page.get_by_role("button", name="Save what you heard").click()
    # Saving is an in-place update: wait for the action it adds before leaving the page.
    expect(page.locator(".debrief-action")).to_contain_text("budget ownership")

    # The gap appears; write how to position related experience.
    page.goto(f"{live_server.url}/stories/gaps/")
    heard = page.locator(".agenda-item", has_text="budget ownership")
    heard.get_by_role("button", name="Work on this gap").click()
    expect(page.get_by_role("heading", name="Gap: budget ownership")).to_be_visible()
    page.get_by_label("Positioning note").fill(
        "Ran the $2M events budget end to end: planning, approvals, monthly variance."
    )
    page.get_by_role("checkbox", name="Ran the $2M events budget").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Gap saved.")).to_be_visible()
    assert Gap.objects.get().positioning.startswith("Ran the $2M events budget")

    # A new posting asks for the same thing: the gap is flagged with its note and stories.
    interview = search["interview"]
    page.goto(f"{live_server.url}/stories/coverage/{interview.opportunity_id}/")
    page.get_by_label("Posting text").fill(POSTING)
    page.get_by_role("button", name="Read the requirements").click()
    flagged = page.locator(".stories-flagged")
    expect(flagged).to_contain_text("budget ownership")
    expect(flagged).to_contain_text("Ran the $2M events budget end to end")
    expect(flagged.get_by_role("link", name="Ran the $2M events budget")).to_be_visible()
    expect(page.locator(".stories-requirement").first).to_contain_text("asked before")

    # The prep sheet prints without the app around it, and downloads as a PDF.
    page.goto(f"{live_server.url}/stories/prep/{interview.pk}/")
    expect(page.locator(".prep-sheet")).to_contain_text("Ran the $2M events budget end to end")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".stories-prep-head")).to_be_hidden()
    expect(page.locator(".prep-sheet")).to_be_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

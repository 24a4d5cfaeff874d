"""Keyboard alone: a board card moves and a Today item is marked done with Tab, Shift+Tab,
the arrow keys, Enter and Space (no clicks, no scripted events), and the focused control
shows its focus ring."""

import pytest
from playwright.sync_api import expect

from careertips.agenda.tests.helpers import make_action
from careertips.core.testing import login
from careertips.debriefs.models import ImprovementAction
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_TABS = 120


def tab_to(page, selector: str, *, key: str = "Tab") -> None:
    """Presses Tab (or another key) until the focused element matches `selector`."""
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with {key}")


def focus_ring(page) -> tuple[str, float]:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )


def test_it_moves_a_board_card_with_the_keyboard(browser_page, live_server, alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager", stage=Stage.APPLIED)
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/board/")

    tab_to(page, f"#opp-{opportunity.pk} button")
    style, width = focus_ring(page)
    assert style != "none" and width >= 2, "the focused button shows its focus ring"
    page.keyboard.press("Shift+Tab")  # back to the card's stage menu
    assert page.evaluate("document.activeElement.id") == f"move-{opportunity.pk}"
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == Stage.INTERVIEWING:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    column = page.locator(f'[data-stage="{Stage.INTERVIEWING}"]')
    expect(column.locator(f"#opp-{opportunity.pk}")).to_be_visible()
    assert Opportunity.objects.get(pk=opportunity.pk).stage == Stage.INTERVIEWING


def test_it_marks_a_today_item_done_with_the_keyboard(browser_page, live_server, alice):
    action = make_action(owner=alice, title="Strengthen the budget story")
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/today/")

    done = f"#item-action-{action.pk} button[formaction$='/done/']"
    tab_to(page, done)
    style, width = focus_ring(page)
    assert style != "none" and width >= 2
    page.keyboard.press("Space")

    expect(page.locator(f"#item-action-{action.pk}")).to_have_count(0)
    expect(page.locator("#agenda")).to_contain_text("Done: Strengthen the budget story")
    assert ImprovementAction.objects.get(pk=action.pk).done_at is not None


# Longest animation plus transition on the element, in seconds.
MOTION = """(selector) => {
  const el = document.querySelector(selector);
  if (el.matches(".opp-card")) el.classList.add("shake");  // the refused-drag shake
  const s = getComputedStyle(el);
  return parseFloat(s.animationDuration) + parseFloat(s.transitionDuration);
}"""


@pytest.mark.parametrize(("motion", "moves"), [("reduce", False), ("no-preference", True)])
def test_it_stops_animations_when_asked_for_reduced_motion(
    browser_page, live_server, alice, motion, moves
):
    make_opportunity(owner=alice, title="Plant Manager", stage=Stage.APPLIED)
    page = browser_page
    page.emulate_media(reduced_motion=motion)
    login(page, live_server, alice)

    page.goto(f"{live_server.url}/opportunities/board/")
    shake = page.evaluate(MOTION, ".opp-card")
    page.goto(f"{live_server.url}/opportunities/")
    fade = page.evaluate(MOTION, ".htmx-indicator")

    assert (shake > 0, fade > 0) == (moves, moves)

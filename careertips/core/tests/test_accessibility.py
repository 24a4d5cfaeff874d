"""Every page of the seeded demo passes axe-core's WCAG 2 A and AA checks in Chromium, at a
desktop's and a phone's width, for a visitor, the member, the coach, the editor and the
administrator. A check axe calls serious or critical fails it."""

from pathlib import Path

import axe_playwright_python
import pytest

from careertips.core.testing import login
from careertips.core.tests.crawl import START, crawl, demo_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}"""


def _load_axe(page) -> None:
    # Evaluated over the DevTools protocol: an injected <script> would be refused by the
    # Content-Security-Policy, as it should be.
    page.evaluate(AXE.read_text())


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    _load_axe(page)
    return page.evaluate(RUN)


@pytest.mark.parametrize("who", list(START))
def test_it_passes_axe_on_every_demo_page_at_desktop_and_phone_width(
    who, browser_page, live_server
):
    """Every page of the demo crawl (see crawl.py) for this person, visited once: axe at
    1280 px, then at 375 px, where the page must not scroll sideways as a whole (wide boards
    and tables scroll inside their own box)."""
    user = demo_people()[who]
    paths = [page.path for page in crawl(who, user)]
    assert paths, f"the crawl found no page for the {who}"
    if user is not None:
        login(browser_page, live_server, user)
    found, wide = {}, {}
    for path in paths:
        browser_page.set_viewport_size(DESKTOP)
        browser_page.goto(live_server.url + path)
        _load_axe(browser_page)
        found[f"{path} @1280"] = browser_page.evaluate(RUN)
        browser_page.set_viewport_size(PHONE)
        found[f"{path} @375"] = browser_page.evaluate(RUN)
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    assert {page: v for page, v in found.items() if v} == {}
    assert wide == {}


def test_it_finds_an_unlabelled_field_and_an_image_without_text(browser_page, live_server):
    """An unlabelled field and an image without text are caught: the harness really runs."""
    browser_page.goto(live_server.url + "/")
    browser_page.evaluate(
        """() => { document.querySelector("main").insertAdjacentHTML("beforeend",
            '<input type="text" name="x"><img src="/static/core/favicon.svg">'); }"""
    )
    _load_axe(browser_page)
    found = " ".join(browser_page.evaluate(RUN))
    assert "label (critical)" in found and "image-alt (critical)" in found

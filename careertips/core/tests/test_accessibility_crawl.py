"""Every page of the demo crawl (careertips/core/tests/crawl.py) passes axe-core's WCAG 2.0/2.1
A and AA rules and its best practices at a desktop width (1280 px) and a phone width (375 px),
and at the phone width nothing scrolls sideways. One test per person so xdist can spread
them; each uses one tab, signed in once, and resizes it rather than opening another."""

from __future__ import annotations

import time

import pytest

from careertips.core.testing import login
from careertips.core.tests.crawl import START, crawl, demo_people
from careertips.core.tests.test_accessibility import AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 375)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"], iframes: false});
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""
# The page as a whole, and any element, wider than the viewport at the phone width.
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth, wide = [];
  if (root.scrollWidth > width) {
    wide.push(`page scrollWidth ${root.scrollWidth} > ${width}`);
    // Text that runs out of its box (a long URL) leaves the box itself in place.
    const range = document.createRange(), walk = document.createTreeWalker(document.body, 4);
    while (walk.nextNode() && wide.length < 4) {
      range.selectNodeContents(walk.currentNode);
      if (range.getBoundingClientRect().right > width + 1) {
        wide.push(`text "${walk.currentNode.textContent.trim().slice(0, 40)}"`);
      }
    }
  }
  for (const el of document.body.querySelectorAll("*")) {
    // Closed <details> and hidden elements take no room on the page.
    if (!el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    // Inside a box that scrolls or clips on its own, the page itself does not move.
    let inner = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const s = getComputedStyle(up);
      if (s.overflowX !== "visible" || s.position === "fixed") { inner = true; break; }
    }
    if (inner) continue;
    // Only the right edge counts: nothing scrolls to what lies left of the page.
    if (box.right > width + 1) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        [...el.classList].map((c) => "." + c).join("");
      wide.push(`${name} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
      if (wide.length > 5) break;
    }
  }
  return wide;
}"""


def _check_page(page, url: str) -> dict[int, list[str]] | None:
    """Findings at each width, as 'rule (impact): target' lines; None for a document that
    runs no script (an email preview, sandboxed by its Content-Security-Policy)."""
    found: dict[int, list[str]] = {}
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    response = page.goto(url)
    if "sandbox" in response.headers.get("content-security-policy", ""):
        return None
    page.evaluate(AXE_SOURCE)  # once per document: the resize below keeps it
    for width in WIDTHS:
        if width != WIDTHS[0]:
            page.set_viewport_size({"width": width, "height": 740})
        lines = [
            f"{v['rule']} ({v['impact']}): {target}"
            for v in page.evaluate(RUN, TAGS)
            for target in v["targets"][:5]
        ]
        if width < 600:
            lines += [f"scrolls sideways: {what}" for what in page.evaluate(OVERFLOW)]
        if lines:
            found[width] = lines
    return found


AXE_SOURCE = AXE.read_text()


@pytest.mark.parametrize("who", list(START))
def test_it_passes_axe_on_every_demo_page_at_both_widths(browser_page, live_server, who):
    user = demo_people()[who]
    paths = [page.path for page in crawl(who, user)]
    if user is not None:
        login(browser_page, live_server, user)
    started = time.monotonic()
    report, checked, previews = [], 0, 0
    for path in paths:
        found = _check_page(browser_page, live_server.url + path)
        if found is None:
            previews += 1
            continue
        checked += 1
        for width, lines in found.items():
            report += [f"{who} {path} @{width}px  {line}" for line in lines]
    print(
        f"\n{who}: axe on {checked} pages at {len(WIDTHS)} widths"
        f" ({previews} sandboxed email previews left out) in {time.monotonic() - started:.0f}s"
    )
    assert checked > 5, f"the crawl for {who} should reach their pages"
    assert report == [], "\n".join(report)

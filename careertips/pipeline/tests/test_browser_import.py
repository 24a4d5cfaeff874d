"""Importing a tracker in the browser: upload, say what a status means, confirm, watch the
import run, and find the rows on the board."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.pipeline import importers
from careertips.pipeline.models import Opportunity, OpportunityImport, Stage

pytestmark = pytest.mark.browser

TRACKER = (
    "Company,Job Title,Status,Date Applied,Salary,Link\n"
    "Northwind Traders,Plant Manager,Applied,2024-03-01,$90k–110k,https://northwind.example/1\n"
    "Contoso,Operations Lead,On hold,2024-02-20,,https://contoso.example/2\n"
    "Fabrikam,Buyer,Phone screen,2024-02-25,,https://fabrikam.example/3\n"
    "Fabrikam,Buyer,Phone screen,2024-02-25,,https://fabrikam.example/3\n"
).encode()


class HeldQueue:
    """Stands in for the task queue so the test can watch an import before the worker runs."""

    def __init__(self) -> None:
        self.batch_ids: list[int] = []

    def enqueue(self, *, batch_id: int) -> None:
        self.batch_ids.append(batch_id)


def test_it_imports_a_tracker_with_a_mapping_and_shows_it_on_the_board(
    browser_page, live_server, transactional_db, alice, monkeypatch
):
    queue = HeldQueue()
    monkeypatch.setattr("careertips.pipeline.tasks.apply_opportunity_import", queue)
    page = browser_page
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/board/")
    page.get_by_role("link", name="Import", exact=True).click()

    page.get_by_label("Spreadsheet or export").set_input_files(
        {"name": "tracker.csv", "mimeType": "text/csv", "buffer": TRACKER}
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.locator(".import-callout")).to_contain_text(
        "Say what these statuses mean: “On hold”."
    )
    rows = page.locator("table.import-rows tbody tr")
    expect(rows.filter(has_text="Same posting as line 4 (same URL).")).to_have_count(1)
    expect(page.get_by_role("button", name="Import 3 opportunities")).to_have_count(0)

    page.get_by_label("“On hold” (1 row)").select_option("applied")
    page.get_by_role("button", name="Save and check again").click()
    page.get_by_role("button", name="Import 3 opportunities").click()

    expect(page.get_by_role("heading", name="Importing…")).to_be_visible()
    expect(page.locator("#import-status progress")).to_be_visible()
    assert not Opportunity.objects.filter(owner=alice).exists()
    # The worker picks the import up; the page, polling, shows the result on its own.
    batch = OpportunityImport.objects.get(pk=queue.batch_ids[0])
    importers.apply_import(batch=batch)
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.locator("main")).to_contain_text("3 new, 1 skipped")

    page.get_by_role("link", name="See your board").click()
    expect(page.locator('[data-stage="applied"]')).to_contain_text("Plant Manager")
    expect(page.locator('[data-stage="applied"]')).to_contain_text("Operations Lead")
    expect(page.locator('[data-stage="screening"]')).to_contain_text("Buyer")
    assert Opportunity.objects.get(owner=alice, title="Buyer").stage == Stage.SCREENING


def test_the_import_pages_pass_axe_and_fit_a_phone(
    browser_page, live_server, transactional_db, alice
):
    from careertips.core.tests.test_accessibility import _violations

    sheet = (Path(__file__).parent / "samples" / "google_sheets_tracker.csv").read_bytes()
    batch = importers.preview_import(owner=alice, data=sheet, filename="tracker.csv")
    page = browser_page
    login(page, live_server, alice)
    paths = ["/opportunities/import/", f"/opportunities/import/{batch.pk}/?show=all"]

    found = {path: _violations(page, live_server.url + path) for path in paths}
    page.set_viewport_size({"width": 375, "height": 740})
    wide = {}
    for path in paths:
        page.goto(live_server.url + path)
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 375:
            wide[path] = width

    assert {path: v for path, v in found.items() if v} == {}
    assert wide == {}

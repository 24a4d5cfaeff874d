"""The editor watches an issue go out: the progress card updates itself while workers send,
and offers to retry the failures once the issue is sent."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.newsletter.models import Delivery, Issue
from careertips.newsletter.tests.sending_factories import deliveries, sending_issue

pytestmark = pytest.mark.browser


def test_it_shows_progress_live_and_then_offers_a_retry(
    transactional_db, live_server, browser_page, editor
):
    issue = sending_issue(recipients=4)
    rows = deliveries(issue)
    page = browser_page
    login(page, live_server, editor)

    page.goto(f"{live_server.url}/newsletter/staff/issues/{issue.pk}/send/")
    card = page.locator("#send-progress")
    expect(card.get_by_role("heading", name="Sending…")).to_be_visible()
    expect(card).to_contain_text("0 of 4 done")

    # Workers deliver two and fail one; the card catches up by itself (htmx polling).
    Delivery.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    Delivery.objects.filter(pk=rows[2].pk).update(status=Delivery.Status.FAILED)
    expect(card).to_contain_text("3 of 4 done (75%)")

    Delivery.objects.filter(pk=rows[3].pk).update(status=Delivery.Status.SENT)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())
    expect(card.get_by_role("heading", name="Sent")).to_be_visible()

    card.get_by_role("button", name="Retry 1 failed").click()
    expect(page.get_by_text("1 failed delivery is queued again.")).to_be_visible()
    assert Delivery.objects.get(pk=rows[2].pk).status == Delivery.Status.SENT

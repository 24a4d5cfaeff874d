"""A member downloads their data, and a new account restores it: the upload goes through
htmx under the Content-Security-Policy, the page follows the worker, the board shows it."""

import pytest
from playwright.sync_api import expect

from careertips.core.testing import login, make_user
from careertips.core.tests.test_browser_csp import Watch
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Opportunity
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_restores_a_downloaded_archive_into_a_new_account(browser_page, live_server, tmp_path):
    alice = make_user("alice@example.com", display_name="Alice Moreno")
    manager = make_contact(owner=alice, name="Dana Whitfield")
    make_opportunity(owner=alice, title="Plant Manager", hiring_manager=manager)
    page = browser_page
    watch = Watch(page)
    login(page, live_server, alice)
    watch.visit(f"{live_server.url}/settings/data/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (ZIP)").click()
    archive = tmp_path / "careertips-data.zip"
    download.value.save_as(archive)

    fresh = make_user("fresh@example.com")
    page.context.clear_cookies()
    login(page, live_server, fresh)
    watch.visit(f"{live_server.url}/settings/data/")
    page.get_by_label("Your archive").set_input_files(archive)
    page.get_by_role("button", name="Upload and restore").click()

    expect(page.get_by_text("Restored.")).to_be_visible()
    assert "/settings/data/restore/" in page.url
    watch.check("the restore page")
    restored = Opportunity.objects.get(owner=fresh)
    assert restored.hiring_manager.name == "Dana Whitfield"
    watch.visit(f"{live_server.url}/opportunities/board/")
    expect(page.get_by_role("link", name="Plant Manager")).to_be_visible()

    # Not twice: the account is no longer empty.
    watch.visit(f"{live_server.url}/settings/data/")
    expect(page.get_by_text("Your account already holds")).to_be_visible()

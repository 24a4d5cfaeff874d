import os

import pytest

from careertips.core.roles import Role
from careertips.core.testing import make_user

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Fixtures shared across apps that live beside the code they serve.
pytest_plugins = ["careertips.pipeline.tests.posting_server"]


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def _chromium():
    """One Debian Chromium per test process, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium):
    """A page in a fresh browser context (no cookies or storage shared between tests).
    Sign a user in with `careertips.core.testing.login(page, live_server, user)`."""
    context = _chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def alice(db):
    return make_user("alice@example.com", display_name="Alice Moreno")


@pytest.fixture
def bob(db):
    return make_user("bob@example.com", display_name="Bob Lindqvist")


@pytest.fixture
def coach(db):
    """A coach, and only a coach: no editing, no Mailbox, no accounts."""
    return make_user("coach@example.com", display_name="Robin Coach", roles=[Role.COACH])


@pytest.fixture
def editor(db):
    return make_user("editor@example.com", display_name="Eddie Editor", roles=[Role.EDITOR])


@pytest.fixture
def administrator(db):
    return make_user(
        "admin@example.com", display_name="Ada Administrator", roles=[Role.ADMINISTRATOR]
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture(autouse=True, scope="session")
def _prepared_queries_checked():
    """Today's queries compiled once per process are checked against a fresh build on every
    call, so every test that reads Today also checks them."""
    from careertips.agenda.services import prepared

    prepared.VERIFY = True

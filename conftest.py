import os

import pytest

from careertips.core.testing import make_user

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def alice(db):
    return make_user("alice@example.com", display_name="Alice Moreno")


@pytest.fixture
def bob(db):
    return make_user("bob@example.com", display_name="Bob Lindqvist")


@pytest.fixture
def coach(db):
    return make_user("coach@example.com", display_name="Robin Coach", staff=True)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client

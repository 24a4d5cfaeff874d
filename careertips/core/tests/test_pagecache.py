import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from careertips.core.testing import htmx
from careertips.pipeline.tests.helpers import make_opportunity

CSRF = "a" * 32


@pytest.fixture(autouse=True)
def cache_on(settings):
    from django.core.cache import cache

    settings.MEMBER_PAGE_CACHE_SECONDS = 60
    cache.clear()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF
    return client


def test_it_serves_the_second_view_of_a_page_from_the_cache(alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager")
    client = _client(alice)
    first = client.get(f"/opportunities/{opportunity.pk}/")
    second = client.get(f"/opportunities/{opportunity.pk}/")
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_it_renders_afresh_after_the_member_writes_anything(alice):
    opportunity = make_opportunity(owner=alice, title="Plant Manager")
    client = _client(alice)
    client.get(f"/opportunities/{opportunity.pk}/")
    moved = client.post(f"/opportunities/{opportunity.pk}/move/", {"stage": "screening"})
    assert moved.status_code == 302
    page = client.get(f"/opportunities/{opportunity.pk}/")
    assert "X-Page-Cache" not in page
    assert "Screening" in page.content.decode()


def test_it_never_shows_one_members_page_to_another(alice, bob):
    make_opportunity(owner=alice, title="Alice's secret role")
    _client(alice).get("/opportunities/")
    page = _client(bob).get("/opportunities/")
    assert "X-Page-Cache" not in page
    assert "secret role" not in page.content.decode()


def test_it_keeps_sessions_apart_so_each_page_carries_its_own_csrf_token(alice):
    make_opportunity(owner=alice)
    _client(alice).get("/opportunities/board/")
    other_session = _client(alice)  # a second browser: another session
    assert "X-Page-Cache" not in other_session.get("/opportunities/board/")


def test_it_never_caches_a_page_showing_a_flash_message(alice):
    opportunity = make_opportunity(owner=alice)
    client = _client(alice)
    client.post(f"/opportunities/{opportunity.pk}/move/", {"stage": "screening"})
    with_message = client.get(f"/opportunities/{opportunity.pk}/")
    assert "X-Page-Cache" not in with_message
    again = client.get(f"/opportunities/{opportunity.pk}/")
    assert "X-Page-Cache" not in again  # the page with the message was not stored
    assert client.get(f"/opportunities/{opportunity.pk}/")["X-Page-Cache"] == "hit"


def test_it_does_not_cache_htmx_partials_or_pages_without_a_csrf_cookie(alice):
    client = _client(alice)
    client.get("/opportunities/?q=x", headers=htmx())
    assert "X-Page-Cache" not in client.get("/opportunities/?q=x", headers=htmx())
    no_cookie = Client()
    no_cookie.force_login(alice)
    no_cookie.get("/today/")
    del no_cookie.cookies["csrftoken"]
    assert "X-Page-Cache" not in no_cookie.get("/today/")


def test_it_starts_a_new_page_at_the_members_midnight(alice):
    client = _client(alice)
    client.get("/today/")
    assert client.get("/today/")["X-Page-Cache"] == "hit"
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert "X-Page-Cache" not in client.get("/today/")


@override_settings(MEMBER_PAGE_CACHE_SECONDS=0)
def test_it_can_be_turned_off(alice):
    client = _client(alice)
    client.get("/today/")
    assert "X-Page-Cache" not in client.get("/today/")

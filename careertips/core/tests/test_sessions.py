"""Sessions are Django's database sessions, read through a prepared query: a live session
loads, an expired or unknown one does not, and signing in and out work as before."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from careertips.core.sessions import SessionStore
from careertips.core.testing import make_user

pytestmark = pytest.mark.django_db


def test_it_is_the_session_engine():
    assert settings.SESSION_ENGINE == "careertips.core.sessions"


def test_it_loads_a_live_session_and_forgets_an_expired_or_unknown_one():
    store = SessionStore()
    store["colour"] = "blue"
    store.save()
    key = store.session_key

    assert SessionStore(key)["colour"] == "blue"

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key is made if it is saved again
    unknown = SessionStore("x" * 32)
    assert "colour" not in unknown and unknown.session_key is None


def test_a_signed_in_member_reads_their_pages_and_signing_out_ends_the_session(client):
    member = make_user("alice@example.com")
    client.force_login(member)
    key = client.session.session_key

    assert client.get("/today/").context["user"] == member

    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/today/").status_code == 302

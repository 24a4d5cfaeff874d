import datetime as dt

import icalendar
import pytest
import time_machine
import vobject

from careertips.agenda.models import AgendaSettings
from careertips.agenda.services.feed import (
    build_calendar,
    hash_token,
    owner_of_calendar_token,
    regenerate_calendar_token,
    turn_off_calendar,
)
from careertips.agenda.tests.helpers import NOW, TODAY, days, expect_at, make_action
from careertips.core.testing import make_user
from careertips.network.tests.helpers import make_contact, make_event
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = "https://careertips.example"
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def kiri(db):
    """A member far from UTC, so a local time slipping into the feed would show."""
    return make_user("kiri@example.com", time_zone="Pacific/Auckland")


def _fill(user):
    opp = make_opportunity(owner=user, stage=Stage.INTERVIEWING, title="Ops Lead")
    interview = make_interview(
        opportunity=opp,
        scheduled_at=dt.datetime(2026, 3, 12, 21, 30, tzinfo=dt.UTC),
        duration_minutes=60,
        prep_notes="Lead with the ERP rollout.",
    )
    event = make_event(
        owner=user, starts_at=dt.datetime(2026, 3, 13, 23, 0, tzinfo=dt.UTC), place="Hotel 21"
    )
    expect_at(event, make_contact(owner=user, name="Lee Park"))
    late = make_action(owner=user, due_on=TODAY - days(2), title="Rework the budget story")
    soon = make_action(owner=user, due_on=TODAY + days(4), title="Research pay ranges")
    return interview, event, late, soon


def test_it_reads_the_same_in_two_independent_parsers(kiri):
    interview, event, late, soon = _fill(kiri)
    feed = build_calendar(owner=kiri)

    ours = {c["uid"]: c for c in icalendar.Calendar.from_ical(feed).walk("VEVENT")}
    theirs = {e.uid.value: e for e in vobject.readOne(feed.decode()).vevent_list}

    host = "careertips.example"
    assert (
        set(ours)
        == set(theirs)
        == {
            f"interview-{interview.pk}@{host}",
            f"event-{event.pk}@{host}",
            f"action-{late.pk}@{host}",
            f"action-{soon.pk}@{host}",
        }
    )
    iv = theirs[f"interview-{interview.pk}@{host}"]
    assert iv.dtstart.value == dt.datetime(2026, 3, 12, 21, 30, tzinfo=dt.UTC)
    assert iv.dtstart.value.utcoffset() == dt.timedelta(0)
    assert iv.duration.value == dt.timedelta(minutes=60)
    assert iv.summary.value == "Interview: Ops Lead at Acme Analytics"
    assert "Lead with the ERP rollout." in iv.description.value
    ev = theirs[f"event-{event.pk}@{host}"]
    assert ev.dtstart.value == dt.datetime(2026, 3, 13, 23, 0, tzinfo=dt.UTC)
    assert ev.dtend.value == dt.datetime(2026, 3, 14, 0, 0, tzinfo=dt.UTC)
    assert ev.location.value == "Hotel 21"
    assert "Reconnect there with Lee Park." in ev.description.value
    assert b"DTSTART:20260312T213000Z" in feed  # written in UTC, not in Auckland time


def test_it_puts_due_items_in_as_all_day_entries(kiri):
    _, _, late, soon = _fill(kiri)
    feed = build_calendar(owner=kiri)
    entries = {e.uid.value: e for e in vobject.readOne(feed.decode()).vevent_list}

    kiri_today = dt.date(2026, 3, 12)  # already Thursday in Auckland
    overdue = entries[f"action-{late.pk}@careertips.example"]
    assert overdue.dtstart.value == kiri_today
    assert overdue.dtend.value == kiri_today + days(1)
    assert overdue.summary.value == "Overdue: Rework the budget story"
    assert overdue.transp.value == "TRANSPARENT"
    upcoming = entries[f"action-{soon.pk}@careertips.example"]
    assert upcoming.dtstart.value == TODAY + days(4)
    assert upcoming.summary.value == "Research pay ranges"


def test_it_keeps_each_members_feed_to_their_own_rows(alice, bob):
    _fill(bob)
    feed = icalendar.Calendar.from_ical(build_calendar(owner=alice))
    assert feed.walk("VEVENT") == []


def test_it_keeps_only_a_hash_of_the_token(alice):
    token = regenerate_calendar_token(owner=alice)

    prefs = AgendaSettings.objects.get(owner=alice)
    assert prefs.calendar_token_hash == hash_token(token)
    assert token not in prefs.calendar_token_hash
    assert owner_of_calendar_token(token) == alice


def test_it_stops_the_old_token_when_a_new_one_is_made(alice):
    old = regenerate_calendar_token(owner=alice)
    new = regenerate_calendar_token(owner=alice)

    assert old != new
    assert owner_of_calendar_token(old) is None
    assert owner_of_calendar_token(new) == alice


def test_it_answers_nothing_to_wrong_or_malformed_tokens(alice):
    token = regenerate_calendar_token(owner=alice)

    assert owner_of_calendar_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert owner_of_calendar_token("") is None
    assert owner_of_calendar_token("short") is None
    assert owner_of_calendar_token(hash_token(token)) is None  # the hash is not a key


def test_it_turns_the_feed_off(alice):
    token = regenerate_calendar_token(owner=alice)
    turn_off_calendar(owner=alice)
    assert owner_of_calendar_token(token) is None


def test_it_closes_the_feed_of_a_deactivated_account(alice):
    token = regenerate_calendar_token(owner=alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert owner_of_calendar_token(token) is None

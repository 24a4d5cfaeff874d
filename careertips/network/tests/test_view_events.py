"""Event pages: the calendar of events, one event, who to see there."""

import datetime as dt

import time_machine
from django.utils import timezone

from careertips.core.testing import htmx
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Event, EventAttendance
from careertips.network.tests.helpers import (
    NOON,
    make_contact,
    make_event,
    make_organization,
)

# --- events ---------------------------------------------------------------------------------------


def test_it_adds_an_event_and_checks_its_times(alice_client, alice):
    asq = make_organization(owner=alice, name="ASQ Boston", kind="association")

    bad = alice_client.post(
        "/network/events/new/",
        {"name": "Dinner", "kind": "association_meeting", "starts_at": "2030-05-01T18:00",
         "ends_at": "2030-05-01T17:00"},
    )  # fmt: skip
    good = alice_client.post(
        "/network/events/new/",
        {"name": "Dinner", "kind": "association_meeting", "starts_at": "2030-05-01T18:00",
         "ends_at": "2030-05-01T21:00", "place": "Hotel", "organization": asq.pk},
    )  # fmt: skip

    assert bad.context["form"].errors["ends_at"] == ["The event cannot end before it starts."]
    event = Event.objects.get()
    assert good["Location"] == f"/network/events/{event.pk}/"
    assert (event.owner, event.organization) == (alice, asq)


def test_it_lists_upcoming_and_past_events(alice_client, alice):
    make_event(owner=alice, name="Next dinner")
    make_event(owner=alice, name="Last dinner", starts_at=timezone.now() - dt.timedelta(days=9))

    page = alice_client.get("/network/events/").content.decode()

    assert page.index("Next dinner") < page.index("Past") < page.index("Last dinner")


def test_it_manages_who_is_expected_and_met_at_an_event(alice_client, alice, bob):
    event = make_event(owner=alice)
    dana = make_contact(owner=alice, name="Dana Whitfield")

    search = alice_client.get(
        f"/network/events/{event.pk}/?q=dana", headers=htmx("attendee-search")
    )
    added = alice_client.post(
        f"/network/events/{event.pk}/attendees/", {"contact": dana.pk, "status": "expected"}
    )
    met = alice_client.post(
        f"/network/events/{event.pk}/attendees/",
        {"contact": dana.pk, "status": "met"},
        headers=htmx(),
    )
    foreign = alice_client.post(
        f"/network/events/{event.pk}/attendees/", {"contact": make_contact(owner=bob).pk}
    )

    assert "Dana Whitfield" in search.content.decode() and "<html" not in search.content.decode()
    assert added["Location"] == f"/network/events/{event.pk}/"
    assert '<section class="card" id="event-people"' in met.content.decode()
    assert "Mark expected" in met.content.decode()
    assert foreign.status_code == 302
    assert list(EventAttendance.objects.values_list("contact_id", "status")) == [(dana.pk, "met")]

    attendance = EventAttendance.objects.get()
    removed = alice_client.post(f"/network/attendees/{attendance.pk}/remove/", headers=htmx())
    assert "No one added yet" in removed.content.decode()
    assert not EventAttendance.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_it_shows_who_to_reconnect_with_at_an_event(alice_client, alice):
    asq = make_organization(owner=alice, name="ASQ Boston", kind="association")
    dana = make_contact(owner=alice, name="Dana Whitfield", meet_at=asq)
    make_debrief(owner=alice, contact=dana, status="closed", closed_at=NOON - dt.timedelta(days=5))
    event = make_event(owner=alice, organization=asq)

    page = alice_client.get(f"/network/events/{event.pk}/").content.decode()

    assert "You last spoke with Dana after the Acme Analytics decision" in page

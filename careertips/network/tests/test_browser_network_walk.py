"""Growing and tending a network in the browser: import LinkedIn connections, keep in touch
on a cadence, plan who to see at an association meeting, and work it all from Today."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.network.models import Contact, Event, EventAttendance, ImportBatch, Organization
from careertips.network.tests.helpers import (
    LINKEDIN_HEADER,
    LINKEDIN_PREAMBLE,
    make_contact,
    make_organization,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Regional Operations Forum"
DANA = "Dana,Whitfield,https://www.linkedin.com/in/dana-whitfield,dana@acme.example,"
DANA += "Acme Analytics,Director of Operations,14 Mar 2024"
# Already in the network under the same address.
SAM = "Sam,Lee,https://www.linkedin.com/in/sam-lee,SAM@bolt.example,Bolt,Head of Talent,02 Jan 2023"
# Dana again, further down the same file.
DANA_AGAIN = "Dana,W.,,DANA@acme.example,Acme Analytics,,"
LEE = "Lee,Chen,https://www.linkedin.com/in/lee-chen,,Harbor Foods,Plant Manager,05 Feb 2022"


def connections_csv() -> bytes:
    rows = "".join(f"{row}\r\n" for row in (DANA, SAM, DANA_AGAIN, LEE))
    return (LINKEDIN_PREAMBLE + LINKEDIN_HEADER + rows).encode()


def day(value: dt.date) -> str:
    """A date as the network pages print it, e.g. "7 Mar 2026"."""
    return f"{value.day} {value:%b %Y}"


@pytest.fixture
def sam(alice):
    """Someone Alice meant to get back to two days ago."""
    return make_contact(
        owner=alice,
        name="Sam Lee",
        email="sam@bolt.example",
        organization=make_organization(owner=alice, name="Bolt"),
        next_touch_on=alice.local_today() - dt.timedelta(days=2),
    )


@pytest.fixture
def association(alice):
    return make_organization(owner=alice, name=ASSOCIATION, kind=Organization.Kind.ASSOCIATION)


def import_connections(page, live_server) -> None:
    page.goto(f"{live_server.url}/network/import/")
    page.get_by_label("File").set_input_files(
        {"name": "Connections.csv", "mimeType": "text/csv", "buffer": connections_csv()}
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    rows = page.locator("table.network-import-rows tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("New")
    expect(rows.nth(1)).to_contain_text("Already in your network as Sam Lee (same email)")
    expect(rows.nth(2)).to_contain_text("Same person as line 5 (same email).")
    expect(rows.nth(2)).to_contain_text("Skipped")
    expect(page.locator("table.network-import-rows li.problem-duplicate")).to_have_count(2)
    assert not Contact.objects.filter(name="Dana Whitfield").exists()

    page.get_by_role("button", name="Import 2 new, update 1").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2 new, 1 updated, 1 skipped")


def set_cadence(page, live_server, contact: Contact, days: int) -> None:
    page.goto(f"{live_server.url}/network/contacts/{contact.pk}/edit/")
    page.get_by_label("Keep in touch every (days)").fill(str(days))
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator("#contact-activity")).to_contain_text(f"Every {days} days")


def log_a_call(page, contact: Contact, today: dt.date) -> None:
    page.evaluate("window.notReloaded = true")
    form = page.get_by_role("form", name=f"Log a touchpoint with {contact.name}")
    form.get_by_label("Note").fill("Caught up about the warehouse move")
    form.get_by_role("button", name="Log it").click()

    next_touch = today + dt.timedelta(days=30)
    expect(page.locator(".log-touch-done")).to_have_text(
        f"Logged: call on {day(today)}. Next touch {day(next_touch)}."
    )
    # The activity column refreshes itself once the touchpoint is in.
    expect(page.locator("#contact-activity .network-keep-in-touch")).to_contain_text(
        f"{next_touch:%A} {day(next_touch)}"
    )
    expect(page.locator("#contact-activity .network-timeline")).to_contain_text(
        "Caught up about the warehouse move"
    )
    assert page.evaluate("window.notReloaded") is True


def plan_the_meeting(page, live_server, starts: dt.datetime) -> Event:
    page.goto(f"{live_server.url}/network/events/new/")
    page.get_by_label("Name").fill("Spring chapter dinner")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Host").select_option(label=ASSOCIATION)
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring chapter dinner")

    search = page.get_by_role("search")
    search.get_by_label("Find a contact").fill("Dana")
    search.get_by_role("button", name="Search").click()
    found = page.locator("#attendee-search li").filter(has_text="Dana Whitfield")
    found.get_by_role("button", name="Expected").click()

    people = page.locator("#event-people")
    expect(people.locator("li").filter(has_text="Dana Whitfield")).to_contain_text("Expected")
    return Event.objects.get(name="Spring chapter dinner")


def test_it_imports_tends_and_plans_a_network_from_today(
    browser_page, live_server, alice, sam, association
):
    page = browser_page
    today = alice.local_today()
    login(page, live_server, alice)

    import_connections(page, live_server)
    batch = ImportBatch.objects.get(owner=alice)
    assert (batch.created_count, batch.updated_count, batch.skipped_count) == (2, 1, 1)
    assert Contact.objects.filter(owner=alice).count() == 3
    sam.refresh_from_db()
    assert sam.title == "Head of Talent"
    dana = Contact.objects.get(owner=alice, name="Dana Whitfield")
    assert dana.email == "dana@acme.example"

    set_cadence(page, live_server, dana, 30)
    log_a_call(page, dana, today)
    dana.refresh_from_db()
    assert (dana.cadence_days, dana.next_touch_on) == (30, today + dt.timedelta(days=30))
    assert dana.touchpoints.get().kind == "call"

    # Alice's wall clock (her time zone is UTC), as the form reads it.
    starts = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(18, 30))
    event = plan_the_meeting(page, live_server, starts)
    assert event.organization == association
    assert event.starts_at == starts.replace(tzinfo=dt.UTC)
    assert EventAttendance.objects.get(event=event).contact == dana

    page.get_by_role("link", name="Today", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/today/")
    meeting = page.locator(f"#item-event-{event.pk}")
    expect(meeting).to_contain_text(f"Spring chapter dinner ({ASSOCIATION})")
    expect(meeting).to_contain_text("Reconnect there with Dana Whitfield.")
    meeting.locator("summary").click()
    expect(meeting.locator(".agenda-people")).to_contain_text(
        f"You last spoke with Dana on {day(today)} (call): “Caught up about the warehouse move”."
    )

    page.evaluate("window.notReloaded = true")
    touch = page.locator(f"#item-touch-{sam.pk}")
    expect(touch).to_contain_text("Get in touch with Sam Lee (Bolt)")
    expect(page.locator(".agenda-overdue")).to_contain_text("Get in touch with Sam Lee (Bolt)")
    touch.get_by_text(re.compile(r"^Log a touch…")).click()
    touch.get_by_label("How you were in touch").select_option(label="Coffee")
    touch.get_by_role("button", name="Log a touch", exact=True).click()

    expect(page.locator("#agenda")).to_contain_text("Logged your coffee with Sam Lee.")
    expect(page.locator(f"#item-touch-{sam.pk}")).to_have_count(0)
    expect(page.locator(f"#item-event-{event.pk}")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    sam.refresh_from_db()
    assert sam.next_touch_on is None
    assert sam.touchpoints.get().happened_on == today

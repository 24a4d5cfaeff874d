import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from careertips.network.models import Contact, EventAttendance, Tag, Touchpoint
from careertips.network.tests.helpers import (
    attend,
    make_contact,
    make_event,
    make_organization,
    make_touchpoint,
)


def test_it_finds_contacts_whose_touch_is_due(alice, bob):
    today = dt.date(2026, 3, 10)
    due = make_contact(owner=alice, name="Due", next_touch_on=today)
    overdue = make_contact(owner=alice, name="Overdue", next_touch_on=today - dt.timedelta(days=3))
    make_contact(owner=alice, name="Later", next_touch_on=today + dt.timedelta(days=1))
    make_contact(owner=alice, name="Never")
    make_contact(owner=bob, name="Bob's", next_touch_on=today)

    found = Contact.objects.owned_by(alice).touch_due(today)

    assert list(found) == [due, overdue]
    assert due.is_touch_due(today) and not Contact(next_touch_on=None).is_touch_due(today)


def test_it_annotates_the_last_touch(alice):
    dana = make_contact(owner=alice)
    make_touchpoint(contact=dana, happened_on=dt.date(2025, 5, 1))
    make_touchpoint(contact=dana, happened_on=dt.date(2025, 9, 1))
    make_contact(owner=alice, name="Untouched")

    touched = dict(Contact.objects.with_last_touch().values_list("name", "last_touched_on"))

    assert touched == {"Dana Whitfield": dt.date(2025, 9, 1), "Untouched": None}


def test_it_keeps_cadence_and_warmth_in_range_in_the_database(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_contact(owner=alice, cadence_days=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_contact(owner=alice, cadence_days=1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_contact(owner=alice, warmth=7)


def test_it_keeps_one_attendance_per_contact_and_event(alice):
    event, dana = make_event(owner=alice), make_contact(owner=alice)
    attend(event=event, contact=dana)

    with pytest.raises(IntegrityError), transaction.atomic():
        attend(event=event, contact=dana, status="met")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventAttendance.objects.create(event=make_event(owner=alice), contact=dana, status="maybe")


def test_it_refuses_an_event_that_ends_before_it_starts(alice):
    start = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(owner=alice, starts_at=start, ends_at=start - dt.timedelta(hours=1))


def test_it_refuses_an_unknown_touchpoint_kind(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_touchpoint(contact=make_contact(owner=alice), kind="fax")
    assert set(Touchpoint.Kind.values) == {"call", "email", "meeting", "coffee", "event", "message"}


def test_it_keeps_tag_and_organization_names_unique_per_member_in_any_case(alice, bob):
    Tag.objects.create(owner=alice, name="ASQ")
    Tag.objects.create(owner=bob, name="asq")
    make_organization(owner=alice, name="Acme")

    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(owner=alice, name="asq")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_organization(owner=alice, name="ACME")


def test_it_describes_a_contact_for_lists(alice):
    dana = make_contact(owner=alice, title="Director")

    assert dana.label == "Dana Whitfield, Director, Acme Analytics"
    assert dana.first_name == "Dana"
    assert dana.get_absolute_url() == f"/network/contacts/{dana.pk}/"
    assert dana.organization.get_absolute_url() == f"/network/organizations/{dana.organization_id}/"

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from careertips.debriefs.tests.helpers import make_debrief
from careertips.network import duplicates, services, timeline
from careertips.network.models import Contact, EventAttendance, Tag, Touchpoint
from careertips.network.tests.helpers import (
    attend,
    make_contact,
    make_event,
    make_organization,
    make_touchpoint,
)
from careertips.pipeline.models import Opportunity, Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

TODAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


# --- log_touchpoint ---------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_it_moves_the_next_touch_by_the_cadence_from_the_touch_date(alice):
    dana = make_contact(owner=alice, cadence_days=60, next_touch_on=TODAY, next_touch_note="Q2")

    touch = services.log_touchpoint(
        contact=dana, kind="coffee", when=TODAY - dt.timedelta(days=2), note="Talked budgets"
    )

    dana.refresh_from_db()
    assert touch.happened_on == TODAY - dt.timedelta(days=2)
    assert touch.owner_id == alice.pk
    assert dana.next_touch_on == dt.date(2026, 5, 7)
    assert dana.next_touch_note == ""


@time_machine.travel(NOON, tick=False)
def test_it_updates_the_callers_contact_too(alice):
    dana = make_contact(owner=alice, cadence_days=30)

    services.log_touchpoint(contact=dana, kind="call", when=TODAY)

    assert dana.next_touch_on == TODAY + dt.timedelta(days=30)


@time_machine.travel(NOON, tick=False)
def test_it_accepts_a_datetime_for_when(alice):
    dana = make_contact(owner=alice, cadence_days=7)

    touch = services.log_touchpoint(contact=dana, kind="call", when=timezone.now())

    assert touch.happened_on == TODAY
    assert dana.next_touch_on == TODAY + dt.timedelta(days=7)


@time_machine.travel(NOON, tick=False)
def test_it_clears_a_due_touch_when_there_is_no_cadence(alice):
    dana = make_contact(owner=alice, next_touch_on=TODAY, next_touch_note="After Acme")

    services.log_touchpoint(contact=dana, kind="email", when=TODAY)

    dana.refresh_from_db()
    assert dana.next_touch_on is None
    assert dana.next_touch_note == ""
    assert Contact.objects.touch_due(TODAY).count() == 0


@time_machine.travel(NOON, tick=False)
def test_it_keeps_a_later_planned_touch_when_there_is_no_cadence(alice):
    later = TODAY + dt.timedelta(days=40)
    dana = make_contact(owner=alice, next_touch_on=later, next_touch_note="Check on the reorg")

    services.log_touchpoint(contact=dana, kind="message", when=TODAY)

    dana.refresh_from_db()
    assert (dana.next_touch_on, dana.next_touch_note) == (later, "Check on the reorg")


@time_machine.travel(NOON, tick=False)
def test_it_does_not_reschedule_when_logging_an_older_touch(alice):
    dana = make_contact(owner=alice, cadence_days=30)
    services.log_touchpoint(contact=dana, kind="call", when=TODAY)

    services.log_touchpoint(contact=dana, kind="coffee", when=TODAY - dt.timedelta(days=90))

    dana.refresh_from_db()
    assert dana.next_touch_on == TODAY + dt.timedelta(days=30)
    assert dana.touchpoints.count() == 2


@time_machine.travel(NOON, tick=False)
def test_it_refuses_a_touchpoint_in_the_future(alice):
    dana = make_contact(owner=alice, cadence_days=30)

    with pytest.raises(ValidationError) as caught:
        services.log_touchpoint(contact=dana, kind="call", when=TODAY + dt.timedelta(days=5))

    assert "future" in str(caught.value)
    assert not Touchpoint.objects.exists()


def test_it_refuses_an_unknown_kind_and_another_members_event(alice, bob):
    dana = make_contact(owner=alice)
    with pytest.raises(ValidationError):
        services.log_touchpoint(contact=dana, kind="telepathy", when=timezone.localdate())
    with pytest.raises(ValidationError):
        services.log_touchpoint(
            contact=dana, kind="event", when=timezone.localdate(), event=make_event(owner=bob)
        )
    assert not Touchpoint.objects.exists()


# --- duplicates ------------------------------------------------------------------------------


def test_it_normalizes_names_for_comparison():
    assert duplicates.normalize_name("Dr. José  Núñez, MBA") == "jose nunez"
    assert duplicates.normalize_name("O'Brien-Smith") == "o brien smith"
    assert duplicates.normalize_profile_url(
        "https://www.LinkedIn.com/in/dana-w/?trk=abc"
    ) == duplicates.normalize_profile_url("linkedin.com/in/dana-w")


def test_it_finds_duplicates_by_email_regardless_of_case(alice):
    dana = make_contact(owner=alice, email="Dana@Acme.test")

    found = duplicates.find_duplicates(owner=alice, name="D. Whitfield", email="dana@acme.TEST ")

    assert found == [dana]


def test_it_finds_duplicates_by_normalized_name_at_the_same_organization(alice):
    acme = make_organization(owner=alice, name="Acme Analytics")
    jose = make_contact(owner=alice, name="José Núñez", organization=acme)
    make_contact(
        owner=alice, name="Jose Nunez", organization=make_organization(owner=alice, name="Bolt")
    )

    found = duplicates.find_duplicates(
        owner=alice, name="jose nunez", organization_name="ACME analytics"
    )

    assert found == [jose]


def test_it_does_not_call_the_same_name_elsewhere_a_duplicate(alice, bob):
    make_contact(
        owner=alice, name="Sam Lee", organization=make_organization(owner=alice, name="Bolt")
    )
    make_contact(owner=bob, name="Sam Lee", email="sam@acme.test")

    assert duplicates.find_duplicates(owner=alice, name="Sam Lee", organization_name="Acme") == []
    assert duplicates.find_duplicates(owner=alice, name="X", email="sam@acme.test") == []


def test_it_groups_duplicates_across_the_network(alice):
    a = make_contact(owner=alice, name="Dana Whitfield", email="dana@acme.test")
    b = make_contact(owner=alice, name="Dana  Whitfield")
    c = make_contact(owner=alice, name="Someone Else", email="DANA@acme.test")
    make_contact(owner=alice, name="Unrelated Person")

    groups = duplicates.duplicate_groups(owner=alice)

    assert [[x.pk for x in g] for g in groups] == [[a.pk, b.pk, c.pk]]


# --- merge -----------------------------------------------------------------------------------


def test_it_merges_everything_into_the_kept_contact(alice):
    acme = make_organization(owner=alice)
    keep = make_contact(owner=alice, name="Dana Whitfield", email="", notes="Runs ops.")
    other = make_contact(
        owner=alice,
        name="Dana Whitfield",
        email="dana@acme.test",
        phone="+1 555 0100",
        notes="Likes cycling.",
        relationship=Contact.Relationship.HIRING_MANAGER,
        warmth=Contact.Warmth.HOT,
        organization=acme,
    )
    keep.tags.set(services.tags_named(owner=alice, names=["ops"]))
    other.tags.set(services.tags_named(owner=alice, names=["OPS", "ASQ"]))
    touch = make_touchpoint(contact=other)
    dinner, summit = make_event(owner=alice), make_event(owner=alice, name="Ops summit")
    attend(event=dinner, contact=keep, status="expected")
    attend(event=dinner, contact=other, status="met")
    attend(event=summit, contact=other, status="expected")
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, hiring_manager=other)
    both = make_interview(opportunity=opportunity)
    both.interviewers.set([keep, other])
    theirs = make_interview(opportunity=opportunity)
    theirs.interviewers.set([other])
    debrief = make_debrief(owner=alice, contact=other)

    kept = services.merge_contacts(keep=keep, other=other)

    assert not Contact.objects.filter(pk=other.pk).exists()
    assert kept.pk == keep.pk
    touch.refresh_from_db()
    assert touch.contact_id == keep.pk
    assert set(EventAttendance.objects.values_list("event_id", "contact_id", "status")) == {
        (dinner.pk, keep.pk, "met"),
        (summit.pk, keep.pk, "expected"),
    }
    assert list(both.interviewers.all()) == [keep]
    assert list(theirs.interviewers.all()) == [keep]
    assert Opportunity.objects.get(pk=opportunity.pk).hiring_manager_id == keep.pk
    debrief.refresh_from_db()
    assert debrief.contact_id == keep.pk
    keep.refresh_from_db()
    assert sorted(t.name for t in keep.tags.all()) == ["ASQ", "ops"]
    assert Tag.objects.filter(owner=alice).count() == 2
    assert keep.notes == "Runs ops.\n\nLikes cycling."
    assert (keep.email, keep.phone) == ("dana@acme.test", "+1 555 0100")
    assert keep.relationship == Contact.Relationship.HIRING_MANAGER
    assert keep.warmth == Contact.Warmth.HOT


def test_it_keeps_the_earlier_planned_touch_when_merging(alice):
    keep = make_contact(owner=alice, next_touch_on=dt.date(2030, 6, 1), next_touch_note="June")
    other = make_contact(owner=alice, next_touch_on=dt.date(2030, 4, 1), next_touch_note="April")

    services.merge_contacts(keep=keep, other=other)

    keep.refresh_from_db()
    assert (keep.next_touch_on, keep.next_touch_note) == (dt.date(2030, 4, 1), "April")


def test_it_refuses_to_merge_a_contact_with_itself_or_another_members(alice, bob):
    dana = make_contact(owner=alice)
    with pytest.raises(ValidationError):
        services.merge_contacts(keep=dana, other=dana)
    with pytest.raises(ValidationError):
        services.merge_contacts(keep=dana, other=make_contact(owner=bob))
    assert Contact.objects.count() == 2


# --- events and reconnects -------------------------------------------------------------------


def test_it_lists_upcoming_events_for_one_member(alice, bob):
    now = timezone.now()
    soon = make_event(owner=alice, starts_at=now + dt.timedelta(days=2))
    make_event(owner=alice, name="Later", starts_at=now + dt.timedelta(days=20))
    make_event(owner=alice, name="Past", starts_at=now - dt.timedelta(days=2))
    make_event(owner=bob, name="Bob's", starts_at=now + dt.timedelta(days=2))

    from careertips.network.models import Event

    window = Event.objects.upcoming(alice, now, now + dt.timedelta(days=7))
    by_date = Event.objects.upcoming(alice, now.date(), now.date() + dt.timedelta(days=7))

    assert list(window) == [soon]
    assert list(by_date) == [soon]


@time_machine.travel(NOON, tick=False)
def test_it_gives_reconnect_context_from_a_closed_debrief(alice):
    asq = make_organization(owner=alice, name="ASQ Boston", kind="association")
    dana = make_contact(owner=alice, name="Dana Whitfield", meet_at=asq)
    opportunity = make_opportunity(
        owner=alice, stage=Stage.INTERVIEWING, title="Operations Manager"
    )
    make_debrief(
        owner=alice,
        opportunity=opportunity,
        contact=dana,
        status="closed",
        closed_at=NOON - dt.timedelta(days=20),
    )
    make_touchpoint(contact=dana, happened_on=TODAY - dt.timedelta(days=60), note="Intro")
    event = make_event(owner=alice, organization=asq)

    (item,) = services.reconnects_for(event=event)

    assert item.contact == dana
    assert item.why == "member"
    assert item.context == (
        "You last spoke with Dana after the Acme Analytics decision (Operations Manager), "
        "on 18 Feb 2026."
    )
    assert item.last_spoke_on == dt.date(2026, 2, 18)


@time_machine.travel(NOON, tick=False)
def test_it_gives_reconnect_context_from_the_last_touchpoint(alice):
    event = make_event(owner=alice)
    sam = make_contact(owner=alice, name="Sam Lee")
    attend(event=event, contact=sam, status="expected")
    make_touchpoint(contact=sam, happened_on=TODAY - dt.timedelta(days=30), note="Old")
    make_touchpoint(contact=sam, happened_on=TODAY - dt.timedelta(days=3), note="Hiring in Q3")
    kim = make_contact(owner=alice, name="Kim Osei", how_we_met="ASQ dinner 2025")
    attend(event=event, contact=kim, status="met")

    items = services.reconnects_for(event=event)

    assert [i.contact for i in items] == [sam, kim]
    assert items[0].context == "You last spoke with Sam on 7 Mar 2026 (coffee): “Hiring in Q3”."
    assert items[1].context == "No conversation with Kim logged yet. How you met: ASQ dinner 2025."


def test_it_reconnects_in_a_fixed_number_of_queries(alice, django_assert_num_queries):
    asq = make_organization(owner=alice, name="ASQ Boston", kind="association")
    event = make_event(owner=alice, organization=asq)
    for n in range(8):
        contact = make_contact(owner=alice, name=f"Member {n}", meet_at=asq)
        make_touchpoint(contact=contact)
        make_debrief(owner=alice, contact=contact, status="closed", closed_at=timezone.now())

    with django_assert_num_queries(5):
        items = services.reconnects_for(event=event)
        texts = [i.context for i in items]

    assert len(texts) == 8


# --- timeline ---------------------------------------------------------------------------------


def test_it_builds_one_timeline_from_every_source(alice):
    dana = make_contact(owner=alice)
    make_touchpoint(contact=dana, note="Coffee at Flour")
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, hiring_manager=dana)
    make_interview(opportunity=opportunity).interviewers.set([dana])
    make_debrief(
        owner=alice,
        opportunity=opportunity,
        contact=dana,
        status="closed",
        closed_at=timezone.now(),
    )
    attend(event=make_event(owner=alice), contact=dana, status="expected")

    result = timeline.contact_timeline(contact=dana)

    kinds = {e.kind for e in result.entries}
    titles = " | ".join(e.title for e in result.entries)
    assert kinds == {"touchpoint", "interview", "opportunity", "debrief", "event"}
    assert "Kept in touch after the Acme Analytics decision (Operations Manager)" in titles
    assert "Expected at ASQ chapter dinner" in titles
    assert [e.at for e in result.entries] == sorted((e.at for e in result.entries), reverse=True)


def test_it_cuts_a_long_timeline(alice):
    dana = make_contact(owner=alice)
    for n in range(5):
        make_touchpoint(contact=dana, happened_on=dt.date(2025, 1, 1 + n))

    result = timeline.contact_timeline(contact=dana, limit=3)

    assert len(result.entries) == 3
    assert result.truncated
    assert result.entries[0].at.date() == dt.date(2025, 1, 5)


def test_it_refuses_to_delete_an_organization_with_opportunities(alice):
    opportunity = make_opportunity(owner=alice)

    with pytest.raises(ValidationError):
        services.delete_organization(organization=opportunity.organization)


def test_it_parses_tags_without_repeats_and_with_limits():
    assert services.parse_tags(" ops, ASQ,Ops ,, ") == ["ops", "ASQ"]
    with pytest.raises(ValidationError):
        services.parse_tags(",".join(f"t{n}" for n in range(25)))
    with pytest.raises(ValidationError):
        services.parse_tags("x" * 51)


def test_it_marks_a_contact_met_when_logging_a_conversation_at_an_event(alice):
    dana, event = make_contact(owner=alice), make_event(owner=alice)
    attend(event=event, contact=dana, status="expected")

    touch = services.log_touchpoint(
        contact=dana, kind="event", when=timezone.localdate(), event=event
    )

    assert touch.event == event
    assert list(EventAttendance.objects.values_list("contact_id", "status")) == [(dana.pk, "met")]

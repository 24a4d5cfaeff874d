import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careertips.agenda.models import Snooze
from careertips.agenda.services import today as today_service
from careertips.agenda.services.actions import complete_item, get_item_for, snooze_item
from careertips.agenda.services.clock import Clock
from careertips.agenda.tests.helpers import (
    NOW,
    TODAY,
    agenda_for,
    days,
    due_contact,
    expect_at,
    item,
    keys,
    make_action,
)
from careertips.core.testing import make_user
from careertips.debriefs.models import CallAttempt
from careertips.debriefs.services import close_debrief, log_attempt, record_feedback
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Touchpoint
from careertips.network.tests.helpers import (
    make_contact,
    make_event,
    make_organization,
    make_touchpoint,
)
from careertips.offers.services.lifecycle import accept_offer
from careertips.offers.tests.factories import make_offer
from careertips.pipeline.models import Stage
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories.models import Milestone
from careertips.stories.tests.factories import make_goal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _done(user, key, **data):
    kind, pk = key.split(":")
    clock = Clock.for_user(user)
    found = get_item_for(user, kind=kind, pk=int(pk), clock=clock)
    return complete_item(owner=user, item=found, data=data, clock=clock)


def _snooze(user, key, days_):
    kind, pk = key.split(":")
    clock = Clock.for_user(user)
    found = get_item_for(user, kind=kind, pk=int(pk), clock=clock)
    return snooze_item(owner=user, item=found, days=days_, clock=clock)


# --- each source --------------------------------------------------------------------------


def test_it_lists_a_pending_action_until_it_is_done(alice):
    action = make_action(owner=alice, due_on=TODAY)
    assert f"action:{action.pk}" in keys(agenda_for(alice), "today")

    message = _done(alice, f"action:{action.pk}")

    action.refresh_from_db()
    assert action.done_at is not None
    assert "Strengthen the budget story" in message
    assert f"action:{action.pk}" not in keys(agenda_for(alice))


def test_it_lists_a_career_goal_milestone_as_it_comes_due_until_it_is_done(alice, bob):
    goal = make_goal(owner=alice, title="PMP certification")
    due = Milestone.objects.create(goal=goal, title="Book the exam", due_on=TODAY - days(1))
    later = Milestone.objects.create(goal=goal, title="Pass the exam", due_on=TODAY + days(30))
    someone_elses = Milestone.objects.create(
        goal=make_goal(owner=bob), title="Not Alice's", due_on=TODAY
    )
    agenda = agenda_for(alice)
    assert f"milestone:{due.pk}" in keys(agenda, "overdue")
    assert f"milestone:{later.pk}" not in keys(agenda)
    assert f"milestone:{someone_elses.pk}" not in keys(agenda)

    message = _done(alice, f"milestone:{due.pk}")

    due.refresh_from_db()
    assert due.done_on == TODAY
    assert message == "Done: Book the exam"
    assert f"milestone:{due.pk}" not in keys(agenda_for(alice))


def test_it_lists_an_offer_to_answer_by_its_decision_deadline_until_it_is_accepted(alice, bob):
    received = TODAY - days(5)
    late = make_offer(owner=alice, employer="Acme", received_on=received, decision_deadline=TODAY)
    soon = make_offer(
        owner=alice, employer="Globex", received_on=received, decision_deadline=TODAY + days(3)
    )
    far = make_offer(owner=alice, received_on=received, decision_deadline=TODAY + days(30))
    open_ended = make_offer(owner=alice, received_on=received)
    bobs = make_offer(owner=bob, received_on=received, decision_deadline=TODAY)
    agenda = agenda_for(alice)
    assert f"offer:{late.pk}" in keys(agenda, "today")
    assert f"offer:{soon.pk}" in keys(agenda, "soon")
    for hidden in (far, open_ended, bobs):
        assert f"offer:{hidden.pk}" not in keys(agenda)
    line = item(agenda, f"offer:{soon.pk}")
    assert line.title == "Decide on the Operations Director offer from Globex"
    assert line.url.endswith(f"/{soon.opportunity_id}/#offers") and not line.done_label

    # A revised offer replaces the one before it, and its own deadline counts.
    revised = make_offer(
        opportunity=late.opportunity, received_on=TODAY, decision_deadline=TODAY + days(2)
    )
    agenda = agenda_for(alice)
    assert f"offer:{late.pk}" not in keys(agenda)
    assert f"offer:{revised.pk}" in keys(agenda, "soon")

    accept_offer(offer=revised, decisions={})
    agenda = agenda_for(alice)
    assert f"offer:{revised.pk}" not in keys(agenda)
    assert f"offer:{soon.pk}" in keys(agenda, "soon")


def test_it_shows_an_offer_past_its_deadline_as_overdue_and_not_done_here(alice):
    offer = make_offer(owner=alice, received_on=TODAY - days(9), decision_deadline=TODAY - days(2))
    assert f"offer:{offer.pk}" in keys(agenda_for(alice), "overdue")
    with pytest.raises(ValidationError):
        _done(alice, f"offer:{offer.pk}")
    _snooze(alice, f"offer:{offer.pk}", 1)
    assert f"offer:{offer.pk}" not in keys(agenda_for(alice))


def test_it_hides_a_snoozed_item_until_the_snooze_ends(alice, frozen):
    action = make_action(owner=alice, due_on=TODAY)
    snooze = _snooze(alice, f"action:{action.pk}", 3)

    assert snooze.until == TODAY + days(3)
    assert f"action:{action.pk}" not in keys(agenda_for(alice))
    frozen.shift(days(2))
    assert f"action:{action.pk}" not in keys(agenda_for(alice))
    frozen.shift(days(1))
    assert f"action:{action.pk}" in keys(agenda_for(alice), "overdue")


def test_it_moves_the_date_when_an_item_is_snoozed_again(alice):
    action = make_action(owner=alice, due_on=TODAY)
    _snooze(alice, f"action:{action.pk}", 1)
    _snooze(alice, f"action:{action.pk}", 7)

    assert list(Snooze.objects.values_list("until", flat=True)) == [TODAY + days(7)]


def test_it_refuses_a_snooze_length_it_does_not_offer(alice):
    action = make_action(owner=alice, due_on=TODAY)
    with pytest.raises(ValidationError):
        _snooze(alice, f"action:{action.pk}", 2)
    assert not Snooze.objects.exists()


def test_it_lists_a_follow_up_once_the_application_has_waited_long_enough(alice):
    waited = make_opportunity(owner=alice, applied_on=TODAY - days(7), found_on=TODAY - days(9))
    recent = make_opportunity(owner=alice, applied_on=TODAY - days(6), found_on=TODAY - days(9))

    agenda = agenda_for(alice)

    assert keys(agenda) == [f"follow-up:{waited.pk}"]
    assert "No reply since you applied on Mar 4" in item(agenda, f"follow-up:{waited.pk}").reason
    assert f"follow-up:{recent.pk}" not in keys(agenda)


def test_it_drops_a_follow_up_once_it_is_recorded(alice):
    opp = make_opportunity(owner=alice, applied_on=TODAY - days(10), found_on=TODAY - days(12))
    assert keys(agenda_for(alice), "overdue") == [f"follow-up:{opp.pk}"]

    _done(alice, f"follow-up:{opp.pk}")

    opp.refresh_from_db()
    assert opp.followed_up_on == TODAY
    assert keys(agenda_for(alice)) == []


def test_it_uses_the_members_own_follow_up_delay(alice):
    alice.follow_up_days = 3
    alice.save(update_fields=["follow_up_days"])
    opp = make_opportunity(owner=alice, applied_on=TODAY - days(3), found_on=TODAY - days(4))

    assert keys(agenda_for(alice), "today") == [f"follow-up:{opp.pk}"]


def test_it_asks_who_to_call_when_the_debrief_names_no_one(alice):
    debrief = make_debrief(owner=alice)

    found = item(agenda_for(alice), f"call:{debrief.pk}")

    assert found.title.startswith("Find out who to call about the Operations Manager decision")
    assert found.due == debrief.call_by

    _done(alice, f"call:{debrief.pk}", name="Dana Whitfield", title="Director", email="", phone="")

    assert item(agenda_for(alice), f"call:{debrief.pk}").title == (
        "Call Dana Whitfield about the Operations Manager decision"
    )


def test_it_lists_the_call_then_the_thank_you_then_nothing(alice):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice))
    assert keys(agenda_for(alice)) == [f"call:{debrief.pk}"]

    _done(alice, f"call:{debrief.pk}", channel="phone", outcome="reached", note="")
    assert keys(agenda_for(alice)) == [f"debrief-thanks:{debrief.pk}"]

    _done(alice, f"debrief-thanks:{debrief.pk}")
    debrief.refresh_from_db()
    assert debrief.thank_you_sent_at is not None
    assert debrief.thank_you_channel == "copied"
    assert "Dear Dana" in debrief.thank_you_body
    assert keys(agenda_for(alice)) == []


def test_it_brings_an_unanswered_call_back_tomorrow(alice, frozen):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice), call_by=TODAY)

    message = _done(alice, f"call:{debrief.pk}", channel="phone", outcome="no_answer")

    assert "Try again tomorrow" in message
    assert keys(agenda_for(alice)) == []
    frozen.shift(days(1))
    found = item(agenda_for(alice), f"call:{debrief.pk}")
    assert found.reason.startswith("1 try so far")


def test_it_turns_three_unanswered_calls_into_a_thank_you(alice):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice))
    for hours in (30, 20, 10):
        log_attempt(
            debrief=debrief,
            channel="phone",
            outcome=CallAttempt.Outcome.NO_ANSWER,
            when=NOW - dt.timedelta(hours=hours),
        )

    found = item(agenda_for(alice), f"debrief-thanks:{debrief.pk}")

    assert "did not pick up" in found.reason
    assert f"call:{debrief.pk}" not in keys(agenda_for(alice))


def test_it_dates_a_thank_you_by_the_members_own_day_of_the_last_try():
    kiri = make_user("kiri@example.com", time_zone="Pacific/Auckland")
    debrief = make_debrief(owner=kiri, contact=make_contact(owner=kiri))
    # The last try: 12:00 UTC on Wednesday, already 01:00 on Thursday in Auckland.
    for hours in (30, 20, 3):
        log_attempt(
            debrief=debrief,
            channel="phone",
            outcome=CallAttempt.Outcome.NO_ANSWER,
            when=NOW - dt.timedelta(hours=hours),
        )

    agenda = agenda_for(kiri)

    assert keys(agenda, "today") == [f"debrief-thanks:{debrief.pk}"]
    assert item(agenda, f"debrief-thanks:{debrief.pk}").due == TODAY + days(1)


def test_it_asks_for_a_thank_you_once_feedback_is_recorded(alice):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice))
    record_feedback(debrief=debrief, feedback="Wanted more budget ownership.", themes=[])

    assert keys(agenda_for(alice)) == [f"debrief-thanks:{debrief.pk}"]


def test_it_shows_an_upcoming_interview_with_its_prep_notes(alice):
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, title="Ops Lead")
    interview = make_interview(
        opportunity=opp, scheduled_at=NOW + days(2), prep_notes="Lead with the ERP rollout."
    )

    found = item(agenda_for(alice), f"interview:{interview.pk}")

    assert found.at == NOW + days(2)
    assert found.due == TODAY + days(2)
    assert found.reason == "Your prep notes are ready to review."
    assert found.done_label == ""


def test_it_leaves_out_interviews_beyond_the_week_and_for_closed_opportunities(alice):
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    make_interview(opportunity=opp, scheduled_at=NOW + days(9))
    closed = make_opportunity(owner=alice, stage=Stage.INTERVIEWING, title="Closed role")
    make_interview(opportunity=closed, scheduled_at=NOW + days(1))
    move_opportunity(opportunity=closed, to_stage=Stage.WITHDRAWN)

    assert not [k for k in keys(agenda_for(alice)) if k.startswith("interview")]


def test_it_asks_for_an_interview_thank_you_until_it_is_sent(alice):
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    interview = make_interview(opportunity=opp, scheduled_at=NOW - dt.timedelta(hours=3))
    old = make_interview(opportunity=opp, scheduled_at=NOW - days(9))

    assert keys(agenda_for(alice), "today") == [f"interview-thanks:{interview.pk}"]
    assert f"interview-thanks:{old.pk}" not in keys(agenda_for(alice))

    _done(alice, f"interview-thanks:{interview.pk}")
    interview.refresh_from_db()
    assert interview.thank_you_sent_at == NOW
    _done(alice, f"interview-thanks:{interview.pk}")  # twice is still sent, not unsent
    interview.refresh_from_db()
    assert interview.thank_you_sent_at == NOW
    assert keys(agenda_for(alice)) == []


def test_it_reminds_of_the_hiring_manager_kept_after_a_closed_debrief(alice, frozen):
    acme = make_organization(owner=alice, name="Acme Analytics")
    dana = make_contact(owner=alice, name="Dana Whitfield", organization=acme)
    debrief = make_debrief(owner=alice, contact=dana)
    close_debrief(debrief=debrief, next_touch_on=TODAY + days(30), today=TODAY)

    frozen.shift(days(30))
    found = item(agenda_for(alice), f"touch:{dana.pk}")

    assert found.reason == "You last spoke with Dana Whitfield after the Acme Analytics decision."
    assert found.note == "Keep in touch after the Operations Manager decision"


def test_it_lists_a_touch_due_until_a_touchpoint_is_logged(alice):
    dana = due_contact(owner=alice, on=TODAY - days(1))
    make_touchpoint(contact=dana, happened_on=TODAY - days(40), kind="call")

    found = item(agenda_for(alice), f"touch:{dana.pk}")
    assert found.reason == "Your last touch was on Jan 30."

    message = _done(alice, f"touch:{dana.pk}", kind="coffee", note="Caught up on Q2 plans")

    assert message == "Logged your coffee with Dana Whitfield."
    assert Touchpoint.objects.filter(contact=dana, happened_on=TODAY, kind="coffee").exists()
    assert f"touch:{dana.pk}" not in keys(agenda_for(alice))


def test_it_names_the_people_to_reconnect_with_before_an_event(alice):
    asq = make_organization(owner=alice, name="ASQ Boston", kind="association")
    event = make_event(owner=alice, organization=asq, starts_at=NOW + days(2))
    expect_at(event, make_contact(owner=alice, name="Lee Park"))
    make_contact(owner=alice, name="Dana Whitfield", meet_at=asq)
    make_event(owner=alice, name="Far away", starts_at=NOW + days(12))

    agenda = agenda_for(alice)
    found = item(agenda, f"event:{event.pk}")

    assert [k for k in keys(agenda) if k.startswith("event")] == [f"event:{event.pk}"]
    assert found.people == ["Lee Park", "Dana Whitfield"]
    assert found.reason == "Reconnect there with Lee Park, Dana Whitfield."
    assert found.title == "ASQ chapter dinner (ASQ Boston)"


def test_it_links_each_item_to_the_page_where_its_work_lives(alice):
    action = make_action(owner=alice, due_on=TODAY)
    dana = due_contact(owner=alice, on=TODAY)
    debrief = make_debrief(owner=alice, contact=dana, call_by=TODAY)
    opportunity = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    interview = make_interview(opportunity=opportunity, scheduled_at=NOW + dt.timedelta(hours=2))
    event = make_event(owner=alice, starts_at=timezone.now() + days(3))

    agenda = agenda_for(alice)

    assert item(agenda, f"action:{action.pk}").url == (
        f"/debriefs/{action.debrief_id}/#action-{action.pk}"
    )
    assert item(agenda, f"call:{debrief.pk}").url == f"/debriefs/{debrief.pk}/#section-call"
    assert item(agenda, f"interview:{interview.pk}").url == (
        f"/opportunities/{opportunity.pk}/#interview-{interview.pk}"
    )
    assert item(agenda, f"touch:{dana.pk}").url == f"/network/contacts/{dana.pk}/"
    assert item(agenda, f"event:{event.pk}").url == f"/network/events/{event.pk}/"


# --- grouping, order, limits ----------------------------------------------------------------


def test_it_groups_overdue_then_today_then_the_coming_week(alice):
    late = make_action(owner=alice, due_on=TODAY - days(2), title="Late")
    later = make_action(owner=alice, due_on=TODAY - days(1), title="Later")
    now = make_action(owner=alice, due_on=TODAY, title="Now")
    touch = due_contact(owner=alice, on=TODAY + days(3))
    soon = make_action(owner=alice, due_on=TODAY + days(7), title="Soon")
    make_action(owner=alice, due_on=TODAY + days(8), title="Too far")

    agenda = agenda_for(alice)

    assert [g.slug for g in agenda.groups] == ["overdue", "today", "soon"]
    assert keys(agenda, "overdue") == [f"action:{late.pk}", f"action:{later.pk}"]
    assert keys(agenda, "today") == [f"action:{now.pk}"]
    assert keys(agenda, "soon") == [f"touch:{touch.pk}", f"action:{soon.pk}"]
    assert (agenda.due_now, agenda.total) == (3, 5)


def test_it_orders_a_day_by_the_clock_and_then_by_kind(alice):
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    evening = make_interview(opportunity=opp, scheduled_at=NOW + dt.timedelta(hours=5))
    afternoon = make_interview(opportunity=opp, scheduled_at=NOW + dt.timedelta(hours=1))
    action = make_action(owner=alice, due_on=TODAY)
    touch = due_contact(owner=alice, on=TODAY)

    assert keys(agenda_for(alice), "today") == [
        f"interview:{afternoon.pk}",
        f"interview:{evening.pk}",
        f"action:{action.pk}",
        f"touch:{touch.pk}",
    ]


def test_it_shows_at_most_a_page_of_each_group_and_counts_the_rest(alice, monkeypatch):
    monkeypatch.setattr(today_service, "GROUP_LIMIT", 3)  # the page's limit
    for n in range(5):
        make_action(owner=alice, due_on=TODAY - days(1 + n), title=f"Action {n}")
    for n in range(2):
        due_contact(owner=alice, on=TODAY - days(1), name=f"Contact {n}")

    overdue = agenda_for(alice).group("overdue")

    assert overdue.total == 7
    assert len(overdue.items) == 3
    assert overdue.more == 4
    assert [i.title for i in overdue.items] == ["Action 4", "Action 3", "Action 2"]


def test_it_never_shows_another_members_items(alice, bob):
    make_action(owner=bob, due_on=TODAY)
    due_contact(owner=bob, on=TODAY)
    make_debrief(owner=bob)
    make_event(owner=bob, starts_at=timezone.now() + days(3))

    assert agenda_for(alice).total == 0


# --- time zones -------------------------------------------------------------------------------


def test_it_uses_each_members_own_today():
    """At 15:00 UTC on Wednesday it is already Thursday in Auckland, still Wednesday in LA."""
    auckland = make_user("kiri@example.com", time_zone="Pacific/Auckland")
    angeles = make_user("sam@example.com", time_zone="America/Los_Angeles")
    thursday = TODAY + days(1)
    for user in (auckland, angeles):
        make_action(owner=user, due_on=thursday, title="Thursday's work")
        opp = make_opportunity(owner=user, stage=Stage.INTERVIEWING)
        # 23:30 UTC Wednesday: Thursday 12:30 in Auckland, Wednesday 16:30 in Los Angeles.
        make_interview(opportunity=opp, scheduled_at=NOW.replace(hour=23, minute=30))

    nz, la = agenda_for(auckland), agenda_for(angeles)

    assert nz.today == thursday
    assert la.today == TODAY
    assert [i.kind for i in nz.group("today").items] == ["interview", "action"]
    assert [i.kind for i in la.group("today").items] == ["interview"]
    assert [i.kind for i in la.group("soon").items] == ["action"]


def test_it_starts_the_members_day_at_their_own_midnight(frozen):
    angeles = make_user("sam@example.com", time_zone="America/Los_Angeles")
    opp = make_opportunity(owner=angeles, stage=Stage.INTERVIEWING)
    # 06:30 UTC Thursday is 23:30 Wednesday in Los Angeles: still "today" there.
    interview = make_interview(opportunity=opp, scheduled_at=NOW.replace(hour=6) + days(1))

    assert keys(agenda_for(angeles), "today") == [f"interview:{interview.pk}"]


# --- cost -------------------------------------------------------------------------------------


def _fill(user, n: int) -> None:
    asq = make_organization(owner=user, name="ASQ Boston")
    for i in range(n):
        make_action(owner=user, due_on=TODAY - days(i % 9))
        make_opportunity(owner=user, applied_on=TODAY - days(8 + i), found_on=TODAY - days(90))
        dana = due_contact(owner=user, on=TODAY - days(i % 5), name=f"Dana {i}", meet_at=asq)
        make_touchpoint(contact=dana, happened_on=TODAY - days(20), kind="call")
        debrief = make_debrief(owner=user, contact=dana)
        log_attempt(debrief=debrief, channel="phone", outcome="no_answer")
        opp = make_opportunity(owner=user, stage=Stage.INTERVIEWING, title=f"Role {i}")
        make_interview(opportunity=opp, scheduled_at=NOW + dt.timedelta(hours=5, minutes=i))
        make_interview(opportunity=opp, scheduled_at=NOW - dt.timedelta(hours=5, minutes=i))
        expect_at(
            make_event(owner=user, organization=asq, starts_at=timezone.now() + days(3)), dana
        )


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        agenda = agenda_for(user)
    assert agenda.total > 0
    return len(captured.captured_queries)


def test_it_costs_the_same_queries_for_a_small_and_a_large_search(alice, bob, monkeypatch):
    monkeypatch.setattr(today_service, "GROUP_LIMIT", 500)  # every row on the page: no N+1
    _fill(alice, 2)
    _fill(bob, 25)

    assert _queries(alice) == _queries(bob)


def test_it_reads_no_more_when_groups_overflow_their_page(alice, bob, monkeypatch):
    monkeypatch.setattr(today_service, "GROUP_LIMIT", 3)
    _fill(alice, 2)
    _fill(bob, 12)

    agenda = agenda_for(bob)
    assert agenda.group("overdue").more > 0
    assert _queries(bob) <= _queries(alice)  # kinds crowded off the page are not loaded


def test_it_ranks_every_kind_in_one_statement(alice):
    _fill(alice, 2)

    with CaptureQueriesContext(connection) as captured:
        agenda = agenda_for(alice)

    ranking = [q["sql"] for q in captured.captured_queries if "agenda_rank" in q["sql"]]
    assert len(ranking) == 1
    # Dated kinds and timed ones share the statement, each due value read back as it was.
    kinds = {key.split(":")[0] for key in keys(agenda)}
    assert {"action", "interview", "touch"} <= kinds
    timed = [i for i in agenda.items if i.kind == "interview"]
    assert timed and all(i.at is not None and i.at.tzinfo is not None for i in timed)


def test_it_offers_a_touch_only_once_it_is_due(alice):
    planned = due_contact(owner=alice, on=TODAY + days(2))

    found = item(agenda_for(alice), f"touch:{planned.pk}")

    assert found.done_label == ""
    with pytest.raises(ValidationError):
        _done(alice, f"touch:{planned.pk}", kind="email")
    assert not Touchpoint.objects.exists()


def test_it_refuses_a_follow_up_for_a_closed_opportunity(alice):
    opp = make_opportunity(owner=alice, applied_on=TODAY - days(10), found_on=TODAY - days(12))
    move_opportunity(opportunity=opp, to_stage=Stage.WITHDRAWN)

    with pytest.raises(ValidationError):
        _done(alice, f"follow-up:{opp.pk}")
    opp.refresh_from_db()
    assert opp.followed_up_on is None


def test_it_keeps_the_first_done_time_of_an_action(alice, frozen):
    action = make_action(owner=alice, due_on=TODAY)
    _done(alice, f"action:{action.pk}")
    frozen.shift(days(1))
    _done(alice, f"action:{action.pk}")

    action.refresh_from_db()
    assert action.done_at == NOW

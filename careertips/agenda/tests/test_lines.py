"""Today reads only plain values of the rows it shows: each line must say exactly what the
item's own page says of the same row (read there from the model), for every kind."""

import dataclasses
import datetime as dt

import pytest
import time_machine

from careertips.agenda.models import ItemKind
from careertips.agenda.services import items as build
from careertips.agenda.services.actions import get_item_for
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.lines import expected_prefetch
from careertips.agenda.services.people import people_at, people_met_through
from careertips.agenda.services.sources import EXPANDED_LIMIT
from careertips.agenda.services.today import build_agenda
from careertips.agenda.tests.helpers import NOW, TODAY, days, due_contact, expect_at, make_action
from careertips.debriefs.models import CallAttempt, FeedbackTheme
from careertips.debriefs.services import close_debrief, log_attempt, record_feedback
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Event
from careertips.network.tests.helpers import (
    make_contact,
    make_event,
    make_organization,
    make_touchpoint,
)
from careertips.offers.tests.factories import make_offer
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories.models import Milestone
from careertips.stories.tests.factories import make_goal

pytestmark = pytest.mark.django_db

AWKWARD = "O'Neil & <Sons>"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _a_bit_of_everything(owner):
    employer = make_organization(owner=owner, name=AWKWARD)
    # Actions, with and without a theme.
    themed = make_debrief(owner=owner, status="closed")
    theme = FeedbackTheme.objects.create(debrief=themed, theme="skills_gap", detail="SQL")
    make_action(owner=owner, debrief=themed, theme=theme, due_on=TODAY - days(1))
    make_action(owner=owner, title="Tell the <ERP> story", due_on=TODAY)
    # A milestone, an offer, a follow-up (followed up once) and one only applied to.
    goal = make_goal(owner=owner, title="Lead a team & ship")
    Milestone.objects.create(goal=goal, title="Finish the course", due_on=TODAY + days(2))
    offer = make_offer(owner=owner, employer=AWKWARD)
    offer.decision_deadline = TODAY + days(3)
    offer.save()
    make_opportunity(
        owner=owner, title="Planner", organization=employer, stage=Stage.APPLIED,
        applied_on=TODAY - days(30), found_on=TODAY - days(31), followed_up_on=TODAY - days(20),
    )  # fmt: skip
    make_opportunity(
        owner=owner, title="Buyer", applied_on=TODAY - days(40), found_on=TODAY - days(40)
    )
    # Calls: nobody named yet; named, with two tries.
    make_debrief(owner=owner)
    tried = make_debrief(owner=owner, contact=make_contact(owner=owner, name="Lee <Ops>"))
    for hours in (30, 20):
        log_attempt(debrief=tried, channel="phone", outcome="no_answer",
                    when=NOW - dt.timedelta(hours=hours))  # fmt: skip
    # Thank-yous after a debrief: reached them; three tries unanswered; feedback another way.
    reached = make_debrief(owner=owner, contact=make_contact(owner=owner, name="Ann"))
    log_attempt(debrief=reached, channel="phone", outcome=CallAttempt.Outcome.REACHED,
                when=NOW - dt.timedelta(hours=5))  # fmt: skip
    silent = make_debrief(owner=owner, contact=make_contact(owner=owner, name="Bo"))
    for hours in (50, 40, 30):
        log_attempt(debrief=silent, channel="phone", outcome="no_answer",
                    when=NOW - dt.timedelta(hours=hours))  # fmt: skip
    written = make_debrief(owner=owner)
    record_feedback(debrief=written, feedback="More budget ownership.", themes=[],
                    when=NOW - dt.timedelta(hours=2))  # fmt: skip
    # Interviews: two interviewers and notes; nobody and no notes; one just past (thanks).
    opp = make_opportunity(owner=owner, stage=Stage.INTERVIEWING, organization=employer)
    panel = make_interview(opportunity=opp, kind="panel", scheduled_at=NOW + days(1),
                           prep_notes="  ERP rollout  ")  # fmt: skip
    panel.interviewers.set([make_contact(owner=owner, name="Zoe"),
                            make_contact(owner=owner, name="Abe")])  # fmt: skip
    make_interview(opportunity=opp, scheduled_at=NOW + days(3), prep_notes="   ")
    make_interview(opportunity=opp, scheduled_at=NOW - dt.timedelta(hours=3))
    # Touches: kept after a debrief; touched before, at an employer; never touched; not yet due.
    kept = make_debrief(owner=owner, contact=make_contact(owner=owner, name="Kim"),
                        opportunity=make_opportunity(owner=owner, stage=Stage.INTERVIEWING,
                                                     organization=employer))  # fmt: skip
    close_debrief(debrief=kept, next_touch_on=TODAY + days(1), today=TODAY - days(2))
    kept.contact.next_touch_on = TODAY
    kept.contact.save()
    touched = due_contact(owner=owner, on=TODAY - days(3), name="Pat", organization=employer,
                          next_touch_note="Ask about <the> move")  # fmt: skip
    make_touchpoint(contact=touched, happened_on=TODAY - days(40))
    make_touchpoint(contact=touched, happened_on=TODAY - days(20))
    due_contact(owner=owner, on=TODAY, name="Quinn", organization=None)
    due_contact(owner=owner, on=TODAY + days(4), name="Ray")
    # Events: hosted by the employer with someone expected and people there; no host.
    dinner = make_event(owner=owner, name="Dinner & talks", organization=employer,
                        starts_at=NOW + days(2))  # fmt: skip
    expect_at(dinner, make_contact(owner=owner, name="Eve"))
    make_contact(owner=owner, name="Gil", organization=employer, warmth=3)
    make_event(owner=owner, name="Meetup", starts_at=NOW + days(5))


def _old_event_item(owner, pk, clock):
    """An event's line as Today wrote it from the model (its own page lists reconnects)."""
    event = Event.objects.prefetch_related(expected_prefetch()).get(pk=pk)
    met = people_met_through(owner, {event.organization_id} if event.organization_id else set())
    return build.event_item(event, people_at(event, met), clock)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
def test_it_writes_each_line_as_the_items_own_page_does(alice, zone):
    alice.time_zone = zone
    alice.save()
    _a_bit_of_everything(alice)
    clock = Clock.for_user(alice)

    listed = build_agenda(owner=alice, clock=clock, limit=EXPANDED_LIMIT).items

    kinds = {item.kind for item in listed}
    assert kinds >= set(ItemKind.values) - {"session", "coach-action", "coach-comment"}
    assert len(listed) == 20
    for item in listed:
        if item.kind == ItemKind.EVENT:
            own = _old_event_item(alice, item.object_id, clock)
        else:
            own = get_item_for(alice, kind=item.kind, pk=item.object_id, clock=clock)
        assert item.source is None
        assert item == dataclasses.replace(own, source=None), item.key

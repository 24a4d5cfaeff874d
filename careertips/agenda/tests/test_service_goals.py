import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from careertips.agenda.models import Metric, WeeklyGoal
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.goals import Week, goal_progress, set_weekly_goals
from careertips.agenda.tests.helpers import NOW, TODAY, days
from careertips.core.testing import make_user
from careertips.debriefs.services import log_attempt
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact, make_touchpoint
from careertips.pipeline.models import Stage
from careertips.pipeline.services import move_opportunity
from careertips.pipeline.tests.helpers import make_interview, make_opportunity

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 9)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _progress(user) -> dict[str, tuple[int, int]]:
    return {
        p.metric: (p.done, p.target) for p in goal_progress(owner=user, clock=Clock.for_user(user))
    }


def test_it_counts_this_weeks_applications_from_stage_changes(alice):
    set_weekly_goals(owner=alice, targets={Metric.APPLICATIONS: 5})
    make_opportunity(owner=alice, stage=Stage.APPLIED)  # added as applied today
    later = make_opportunity(owner=alice, stage=Stage.INTERESTED, title="Later")
    move_opportunity(opportunity=later, to_stage=Stage.APPLIED)
    last_week = make_opportunity(owner=alice, stage=Stage.INTERESTED, title="Last week")
    move_opportunity(opportunity=last_week, to_stage=Stage.APPLIED, when=NOW - days(3))

    assert _progress(alice) == {Metric.APPLICATIONS: (2, 5)}


def test_it_counts_touchpoints_and_debrief_calls_as_network_touches(alice):
    set_weekly_goals(owner=alice, targets={Metric.TOUCHES: 4, Metric.MEETINGS: 1})
    dana = make_contact(owner=alice)
    make_touchpoint(contact=dana, happened_on=MONDAY, kind="email")
    make_touchpoint(contact=dana, happened_on=TODAY, kind="coffee")
    make_touchpoint(contact=dana, happened_on=MONDAY - days(1), kind="meeting")  # last Sunday
    debrief = make_debrief(owner=alice, contact=dana)
    log_attempt(debrief=debrief, channel="phone", outcome="no_answer")

    assert _progress(alice) == {Metric.TOUCHES: (3, 4), Metric.MEETINGS: (1, 1)}


def test_it_counts_interviews_held_or_booked_this_week(alice):
    set_weekly_goals(owner=alice, targets={Metric.INTERVIEWS: 2})
    opp = make_opportunity(owner=alice, stage=Stage.INTERVIEWING)
    make_interview(opportunity=opp, scheduled_at=NOW - days(1))
    make_interview(opportunity=opp, scheduled_at=NOW + days(3))
    make_interview(opportunity=opp, scheduled_at=NOW + days(6))  # next Tuesday

    progress = goal_progress(owner=alice, clock=Clock.for_user(alice))

    assert [(p.done, p.target, p.met, p.shown) for p in progress] == [(2, 2, True, 2)]


def test_it_starts_the_week_on_the_members_own_monday(frozen):
    """Monday 05:00 UTC is still Sunday evening in Los Angeles: last week, over there."""
    frozen.move_to(dt.datetime(2026, 3, 16, 5, 0, tzinfo=dt.UTC))
    angeles = make_user("sam@example.com", time_zone="America/Los_Angeles")
    london = make_user("jo@example.com", time_zone="Europe/London")

    assert Week.of(Clock.for_user(angeles)).monday == MONDAY
    assert Week.of(Clock.for_user(london)).monday == MONDAY + days(7)
    week = Week.of(Clock.for_user(angeles))
    assert week.start == dt.datetime(2026, 3, 9, 7, 0, tzinfo=dt.UTC)  # PDT midnight
    assert week.end == dt.datetime(2026, 3, 16, 7, 0, tzinfo=dt.UTC)


def test_it_drops_a_goal_set_to_zero_or_left_empty(alice):
    set_weekly_goals(owner=alice, targets={Metric.APPLICATIONS: 5, Metric.TOUCHES: 3})

    set_weekly_goals(owner=alice, targets={Metric.APPLICATIONS: 0, Metric.TOUCHES: None})

    assert not WeeklyGoal.objects.exists()


def test_it_refuses_targets_out_of_range(alice):
    with pytest.raises(ValidationError):
        set_weekly_goals(owner=alice, targets={Metric.APPLICATIONS: 101})
    with pytest.raises(ValidationError):
        set_weekly_goals(owner=alice, targets={"pushups": 5})
    assert not WeeklyGoal.objects.exists()


def test_it_shows_nothing_and_asks_nothing_of_the_database_without_goals(
    alice, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert goal_progress(owner=alice, clock=Clock.for_user(alice)) == []

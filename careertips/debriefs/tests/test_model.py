import datetime as dt

from django.utils import timezone

from careertips.debriefs import services
from careertips.debriefs.models import MAX_UNANSWERED_ATTEMPTS, Debrief
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact


def _states(debrief):
    fresh = Debrief.objects.prefetch_related("attempts").get(pk=debrief.pk)
    return {step.key: step.state for step in fresh.steps()}, fresh


def _try(debrief, outcome, hours=1):
    when = timezone.now() - dt.timedelta(hours=hours)
    services.log_attempt(debrief=debrief, channel="phone", outcome=outcome, when=when)


def test_it_starts_at_planning_and_asks_for_a_name(alice):
    states, debrief = _states(make_debrief(owner=alice))
    assert states == {
        "plan": "current", "call": "todo", "feedback": "todo", "thank_you": "todo", "close": "todo"
    }  # fmt: skip
    assert debrief.next_step == "Name who to call"


def test_it_moves_through_the_steps_as_the_work_is_done(alice):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice, name="Dana Whitfield"))
    assert _states(debrief)[1].next_step == "Plan the call to Dana"
    _try(debrief, "no_answer", hours=2)
    states, fresh = _states(debrief)
    assert (states["plan"], states["call"]) == ("done", "current")
    assert fresh.next_step == "Call Dana again"
    _try(debrief, "reached")
    states, fresh = _states(debrief)
    assert (states["call"], states["feedback"]) == ("done", "current")
    services.record_feedback(debrief=fresh, feedback="Useful", themes=[])
    services.send_thank_you(debrief=fresh, subject="", body="Thanks", channel="copied")
    states, fresh = _states(debrief)
    assert (states["thank_you"], states["close"]) == ("done", "current")
    assert fresh.next_step == "Close and plan the next touch"


def test_it_skips_feedback_when_they_could_not_be_reached(alice):
    debrief = make_debrief(owner=alice, contact=make_contact(owner=alice))
    for i in range(MAX_UNANSWERED_ATTEMPTS):
        _try(debrief, "left_message", hours=i + 1)
    states, fresh = _states(debrief)
    assert (states["call"], states["feedback"], states["thank_you"]) == (
        "done", "skipped", "current"
    )  # fmt: skip
    assert fresh.next_step == "Send the thank-you note"


def test_it_has_no_current_step_once_dismissed(alice):
    debrief = make_debrief(owner=alice)
    services.dismiss_debrief(debrief=debrief, reason="No one to call")
    states, fresh = _states(debrief)
    assert "current" not in states.values()
    assert fresh.next_step == "Dismissed"


def test_it_is_overdue_only_while_the_call_is_still_to_make(alice):
    debrief = make_debrief(owner=alice)
    later = debrief.call_by + dt.timedelta(days=1)
    assert debrief.is_call_overdue(later)
    assert debrief.is_call_due(debrief.call_by)
    _try(debrief, "declined")
    fresh = Debrief.objects.get(pk=debrief.pk)
    assert not fresh.is_call_overdue(later)

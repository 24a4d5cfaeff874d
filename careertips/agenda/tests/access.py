import datetime as dt

from django.utils import timezone

from careertips.agenda.models import Snooze
from careertips.agenda.services.feed import regenerate_calendar_token
from careertips.agenda.tests.helpers import days, make_action
from careertips.core.testing import AccessCase
from careertips.debriefs.services import record_feedback
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact, make_event
from careertips.offers.tests.factories import make_offer
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity
from careertips.stories.models import Milestone
from careertips.stories.tests.factories import make_goal


def _action(user):
    return {"kind": "action", "pk": make_action(owner=user).pk}


def _follow_up(user):
    today = user.local_today()
    opp = make_opportunity(
        owner=user, applied_on=today - dt.timedelta(days=10), found_on=today - dt.timedelta(days=12)
    )
    return {"kind": "follow-up", "pk": opp.pk}


def _call(user):
    return {"kind": "call", "pk": make_debrief(owner=user, contact=make_contact(owner=user)).pk}


def _debrief_thanks(user):
    debrief = make_debrief(owner=user, contact=make_contact(owner=user))
    record_feedback(debrief=debrief, feedback="More budget ownership.", themes=[])
    return {"kind": "debrief-thanks", "pk": debrief.pk}


def _interview(user):
    opp = make_opportunity(owner=user, stage=Stage.INTERVIEWING)
    return {"kind": "interview", "pk": make_interview(opportunity=opp).pk}


def _interview_thanks(user):
    opp = make_opportunity(owner=user, stage=Stage.INTERVIEWING)
    past = timezone.now() - dt.timedelta(hours=2)
    return {"kind": "interview-thanks", "pk": make_interview(opportunity=opp, scheduled_at=past).pk}


def _touch(user):
    return {"kind": "touch", "pk": make_contact(owner=user, next_touch_on=user.local_today()).pk}


def _event(user):
    return {"kind": "event", "pk": make_event(owner=user, starts_at=timezone.now() + days(3)).pk}


def _milestone(user):
    goal = make_goal(owner=user)
    milestone = Milestone.objects.create(
        goal=goal, title="Pass the exam", due_on=user.local_today()
    )
    return {"kind": "milestone", "pk": milestone.pk}


def _offer(user):
    today = user.local_today()
    offer = make_offer(
        owner=user, received_on=today - dt.timedelta(days=2), decision_deadline=today
    )
    return {"kind": "offer", "pk": offer.pk}


def _snooze(user):
    until = user.local_today() + dt.timedelta(days=3)
    snooze = Snooze.objects.create(owner=user, kind="action", object_id=1, until=until)
    return {"pk": snooze.pk}


def _calendar(user):
    return {"token": regenerate_calendar_token(owner=user)}


ITEM = "/today/items/{kind}/{pk}/"
ALL_KINDS = [
    _action, _follow_up, _call, _debrief_thanks, _interview, _interview_thanks, _touch, _event,
    _milestone, _offer,
]  # fmt: skip
DONE = [
    (_action, {}),
    (_follow_up, {}),
    (_call, {"outcome": "reached", "channel": "phone"}),
    (_debrief_thanks, {}),
    (_interview_thanks, {}),
    (_touch, {"kind": "email"}),
    (_milestone, {}),
]

CASES = [
    *[AccessCase(ITEM, setup) for setup in ALL_KINDS],
    *[
        AccessCase(ITEM + "done/", setup, method="post", data=data, owner_status=302)
        for setup, data in DONE
    ],
    *[
        AccessCase(ITEM + "snooze/", setup, method="post", data={"days": "3"}, owner_status=302)
        for setup in ALL_KINDS
    ],
    AccessCase("/today/snoozes/{pk}/wake/", _snooze, method="post", owner_status=302),
    # A capability URL: whoever holds the token gets the feed, and only with it.
    AccessCase("/today/calendar/{token}.ics", _calendar, public=True),
]

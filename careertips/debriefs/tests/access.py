import datetime as dt

from django.utils import timezone

from careertips.core.testing import AccessCase
from careertips.debriefs.services import record_feedback
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact
from careertips.pipeline.models import Stage
from careertips.pipeline.tests.helpers import make_opportunity


def _debrief(user):
    return {"pk": make_debrief(owner=user).pk}


def _debrief_with_contact(user):
    debrief = make_debrief(owner=user, contact=make_contact(owner=user))
    next_touch = user.local_today() + dt.timedelta(days=90)
    return {"pk": debrief.pk, "next_touch": next_touch.isoformat()}


def _call_by(user):
    debrief = make_debrief(owner=user)
    return {"pk": debrief.pk, "call_by": (debrief.call_by + dt.timedelta(days=1)).isoformat()}


def _attempt(user):
    when = timezone.localtime() - dt.timedelta(hours=1)
    return {"pk": make_debrief(owner=user).pk, "when": when.strftime("%Y-%m-%dT%H:%M")}


def _turned_down(user):
    return {"pk": make_opportunity(owner=user, stage=Stage.TURNED_DOWN).pk}


def _action(user):
    debrief = make_debrief(owner=user)
    [action] = record_feedback(debrief=debrief, feedback="", themes=[("skills_gap", "SQL")])
    return {"pk": action.pk}


CASES = [
    AccessCase("/debriefs/{pk}/", _debrief),
    AccessCase("/debriefs/{pk}/contact/", _debrief, "post", {"name": "Dana Whitfield"}, 302),
    AccessCase("/debriefs/{pk}/call-by/", _call_by, "post", {"call_by": "{call_by}"}, 302),
    AccessCase(
        "/debriefs/{pk}/attempts/",
        _attempt,
        "post",
        {"attempted_at": "{when}", "channel": "phone", "outcome": "no_answer"},
        302,
    ),
    AccessCase(
        "/debriefs/{pk}/feedback/",
        _debrief,
        "post",
        {"feedback": "They wanted more budget experience.", "themes": "experience_gap"},
        302,
    ),
    AccessCase(
        "/debriefs/{pk}/thank-you/",
        _debrief,
        "post",
        {"subject": "Thank you", "body": "Thank you for your time.", "channel": "copied"},
        302,
    ),
    AccessCase(
        "/debriefs/{pk}/close/",
        _debrief_with_contact,
        "post",
        {"next_touch_on": "{next_touch}"},
        302,
    ),
    AccessCase("/debriefs/{pk}/dismiss/", _debrief, "post", {"reason": "Form rejection"}, 302),
    AccessCase("/debriefs/{pk}/reopen/", _debrief, "post", owner_status=302),
    AccessCase("/debriefs/open/{pk}/", _turned_down, "post", owner_status=302),
    AccessCase("/debriefs/actions/{pk}/done/", _action, "post", {"done": "1"}, 302),
]

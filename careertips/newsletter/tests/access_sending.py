"""Access cases for the sending engine's staff URLs (collected by `access.py`)."""

import datetime as dt

from django.utils import timezone

from careertips.core.roles import Role
from careertips.core.testing import AccessCase
from careertips.newsletter.models import Issue
from careertips.newsletter.tests.sending_factories import make_issue_to_send, sending_issue


def _draft(user):
    return {"pk": make_issue_to_send().pk}


def _scheduled(user):
    when = timezone.now() + dt.timedelta(days=1)
    return {"pk": make_issue_to_send(status=Issue.Status.SCHEDULED, scheduled_for=when).pk}


def _sending(user):
    return {"pk": sending_issue(recipients=2).pk}


def _staff_post(path, setup, **kw):
    return AccessCase(path, setup, method="post", owner_status=302, role=Role.EDITOR, **kw)


CASES = [
    AccessCase("/newsletter/staff/issues/{pk}/send/", _draft, role=Role.EDITOR),
    AccessCase("/newsletter/staff/issues/{pk}/email/html/", _draft, role=Role.EDITOR),
    AccessCase("/newsletter/staff/issues/{pk}/email/text/", _draft, role=Role.EDITOR),
    AccessCase("/newsletter/staff/issues/{pk}/progress/", _sending, role=Role.EDITOR),
    _staff_post("/newsletter/staff/issues/{pk}/send/test/", _draft),
    _staff_post("/newsletter/staff/issues/{pk}/send/now/", _draft, data={"confirm": "on"}),
    # The test setup runs tasks at once, so it cannot schedule: the form comes back (400).
    AccessCase(
        "/newsletter/staff/issues/{pk}/send/schedule/",
        _draft,
        method="post",
        data={"scheduled_for": "2099-01-01T08:00"},
        owner_status=400,
        role=Role.EDITOR,
    ),
    _staff_post("/newsletter/staff/issues/{pk}/send/unschedule/", _scheduled),
    _staff_post("/newsletter/staff/issues/{pk}/retry-failed/", _sending),
]

"""Small factories and readers for the agenda's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from careertips.agenda.services.today import Agenda, build_agenda
from careertips.core.models import User
from careertips.debriefs.models import ImprovementAction
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.models import Contact, Event, EventAttendance
from careertips.network.tests.helpers import make_contact

# A Wednesday afternoon in UTC: still Wednesday in Los Angeles, already Thursday in Auckland.
NOW = dt.datetime(2026, 3, 11, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def make_action(*, owner: User, due_on: dt.date | None = None, **kw: Any) -> ImprovementAction:
    # A closed debrief: its actions stay in Today, its own steps do not.
    debrief = kw.pop("debrief", None) or make_debrief(owner=owner, status="closed")
    return ImprovementAction.objects.create(
        owner=owner,
        debrief=debrief,
        title=kw.pop("title", "Strengthen the budget story"),
        due_on=due_on or timezone.localdate(),
        **kw,
    )


def expect_at(event: Event, contact: Contact) -> EventAttendance:
    return EventAttendance.objects.create(event=event, contact=contact, status="expected")


def due_contact(*, owner: User, on: dt.date, name: str = "Dana Whitfield", **kw: Any) -> Contact:
    return make_contact(owner=owner, name=name, next_touch_on=on, **kw)


def keys(agenda: Agenda, slug: str | None = None) -> list[str]:
    groups = [agenda.group(slug)] if slug else agenda.groups
    return [item.key for group in groups for item in group.items]


def agenda_for(user: User) -> Agenda:
    return build_agenda(owner=user)


def item(agenda: Agenda, key: str):  # -> Item
    return next(i for i in agenda.items if i.key == key)

"""Small factories for the network's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from careertips.core.models import User
from careertips.network.models import Contact, Event, EventAttendance, Organization, Touchpoint

# A fixed moment for tests that freeze time.
NOON = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


def make_organization(*, owner: User, name: str = "Acme Analytics", **kw: Any) -> Organization:
    org, _ = Organization.objects.get_or_create(owner=owner, name=name, defaults=kw)
    return org


def make_contact(*, owner: User, name: str = "Dana Whitfield", **kw: Any) -> Contact:
    kw.setdefault("organization", make_organization(owner=owner))
    return Contact.objects.create(owner=owner, name=name, **kw)


def make_event(*, owner: User, name: str = "ASQ chapter dinner", **kw: Any) -> Event:
    kw.setdefault("starts_at", timezone.now() + dt.timedelta(days=7))
    return Event.objects.create(owner=owner, name=name, **kw)


def make_touchpoint(*, contact: Contact, **kw: Any) -> Touchpoint:
    kw.setdefault("happened_on", timezone.localdate() - dt.timedelta(days=10))
    kw.setdefault("kind", Touchpoint.Kind.COFFEE)
    return Touchpoint.objects.create(owner_id=contact.owner_id, contact=contact, **kw)


def attend(*, event: Event, contact: Contact, status: str = "expected") -> EventAttendance:
    return EventAttendance.objects.create(event=event, contact=contact, status=status)


LINKEDIN_PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\r\n'
    "\r\n"
)
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def linkedin_csv(*rows: str, preamble: bool = True) -> bytes:
    text = (LINKEDIN_PREAMBLE if preamble else "") + LINKEDIN_HEADER
    return (text + "".join(r + "\r\n" for r in rows)).encode()

"""Django's database sessions, read through a query compiled once per process
(core.prepared): every signed-in page reads its session first, and building that query cost
the ORM more than running it. Everything else is Django's own `db` backend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from careertips.core.prepared import Prepared

_CURRENT = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    key=str,
    now=dt.datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The session row while it lasts; None (and no key) once expired or unknown."""
        found = (
            _CURRENT.instances(key=self.session_key, now=timezone.now()) if self.session_key else []
        )
        if not found:
            self._session_key = None
            return None
        return found[0]

"""What /healthz checks: one query answers both whether the database is up and when a task
worker last ran its heartbeat."""

import datetime as dt
import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from careertips.core.models import Heartbeat

logger = logging.getLogger(__name__)


def health_problem() -> str:
    """Empty when healthy, else a line saying what is wrong."""
    try:
        beat = Heartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    except DatabaseError as error:
        logger.warning("healthz: database unavailable", exc_info=True)
        return f"database unavailable: {type(error).__name__}"
    limit = dt.timedelta(seconds=settings.HEALTHZ_HEARTBEAT_SECONDS)
    if beat is not None and timezone.now() - beat > limit:
        return f"worker: last heartbeat {int((timezone.now() - beat).total_seconds())} s ago"
    return ""

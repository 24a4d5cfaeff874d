"""Periodic work through the task queue: a task books its own next run unless one is waiting."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

# A run that started this long ago and never finished is taken for dead.
STALE_RUN = dt.timedelta(minutes=30)


def schedule_unless_pending(
    task: Task, *, delay: dt.timedelta, include_running: bool = False
) -> str:
    """Queues `task` after `delay` unless a run of it is waiting already.

    Returns "scheduled", "pending" or "unsupported" (the backend cannot run work later, e.g. the
    immediate backend of the tests). Two chains started at once collapse into one at their next
    run: the later run finds the earlier one's booking and ends."""
    backend = task.get_backend()
    if not backend.supports_defer:
        return "unsupported"
    if isinstance(backend, DatabaseBackend):
        waiting = Q(status=TaskResultStatus.READY)
        if include_running:
            recent = timezone.now() - STALE_RUN
            waiting |= Q(status=TaskResultStatus.RUNNING, started_at__gte=recent)
        pending = DBTaskResult.objects.filter(
            waiting, task_path=task.module_path, backend_name=backend.alias
        )
        if pending.exists():
            return "pending"
    task.using(run_after=timezone.now() + delay).enqueue()
    return "scheduled"

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from careertips.agenda.tasks import send_due_digests

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


def _run() -> str:
    out = StringIO()
    call_command("schedule_digests", stdout=out)
    return out.getvalue()


def test_it_starts_the_digest_scans_once(settings):
    settings.TASKS = DATABASE_TASKS

    assert "Daily digests scheduled" in _run()
    assert "already scheduled" in _run()

    assert DBTaskResult.objects.filter(task_path=send_due_digests.module_path).count() == 1


def test_it_says_when_the_backend_cannot_schedule():
    assert "cannot run scheduled work" in _run()

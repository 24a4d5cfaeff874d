import datetime as dt
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from careertips.core.periodic import schedule_unless_pending


class Command(BaseCommand):
    help = (
        "Start the periodic upkeep tasks (worker heartbeat, daily backup when BACKUP_DIR is set, "
        "and any an app declares). Safe to run at every start: queued ones are not doubled."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            for task in getattr(config, "upkeep_tasks", lambda: [])():
                outcome = schedule_unless_pending(task, delay=dt.timedelta(0), include_running=True)
                self.stdout.write(f"{task.name}: {outcome}")

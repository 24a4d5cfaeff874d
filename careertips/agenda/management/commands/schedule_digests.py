import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from careertips.agenda.services.digest import schedule_digest_scan


class Command(BaseCommand):
    help = (
        "Start the daily digests: queue the scan that sends them (it then re-queues itself "
        "every few minutes). Safe to run at every start; it does nothing when one is queued."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = schedule_digest_scan(delay=dt.timedelta(0), include_running=True)
        messages = {
            "scheduled": "Daily digests scheduled: the task worker scans every 5 minutes.",
            "pending": "Daily digests already scheduled.",
            "unsupported": "The task backend cannot run scheduled work; digests are not sent.",
        }
        self.stdout.write(messages[outcome])

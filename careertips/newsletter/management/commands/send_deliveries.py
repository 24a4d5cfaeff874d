"""A dedicated sending worker: `careertips send_deliveries`.

Runs the same claim / render / send / record code as the send tasks, in a loop, for every
issue with deliveries due. Start several (on one machine or many) to send faster; kill any
of them at any moment and start it again: nothing is lost.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from careertips.newsletter import sending
from careertips.newsletter.models import Delivery


class Command(BaseCommand):
    help = "Send newsletter deliveries that are due, then exit (or keep going with --wait)."
    # A worker restarted after a crash should be sending again at once; `check` is run at
    # deploy time, not by every worker start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--issue", type=int, help="Only this issue's deliveries.")
        parser.add_argument("--worker", default="", help="Name recorded on claimed rows.")
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Stay until nothing is pending at all, waiting out leases and back-offs.",
        )
        parser.add_argument(
            "--forever", action="store_true", help="Keep polling for new work; stop with Ctrl-C."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args: Any, **options: Any) -> None:
        # SIGTERM or Ctrl-C: record what went out, hand back the rest of the batch, exit.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: sending.request_stop())
        totals: dict[str, int] = {}
        if options["verbosity"] >= 2:
            self.stdout.write(f"Sending worker {options['worker'] or 'started'}: ready.")
            self.stdout.flush()
        while not sending.stop_requested():
            close_old_connections()
            sending.start_due_scheduled_issues()
            for issue_id in self._issues(options["issue"], due_only=True):
                report = sending.send_pending(issue_id=issue_id, worker=options["worker"])
                for key in ("sent", "retried", "failed", "skipped"):
                    totals[key] = totals.get(key, 0) + getattr(report, key)
            if not (options["forever"] or (options["wait"] and self._issues(options["issue"]))):
                break
            time.sleep(options["interval"])
        self.stdout.write(" ".join(f"{k}={v}" for k, v in sorted(totals.items())))

    def _issues(self, issue_id: int | None, *, due_only: bool = False) -> list[int]:
        pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
        if due_only:
            pending = pending.filter(next_attempt_at__lte=timezone.now())
        if issue_id:
            pending = pending.filter(issue_id=issue_id)
        return list(pending.order_by().values_list("issue_id", flat=True).distinct())

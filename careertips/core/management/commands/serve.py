"""Runs the embedded setup: gunicorn for the web and the django.tasks database worker."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web app with gunicorn and run the task worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 3)))
        parser.add_argument("--no-worker", action="store_true", help="Serve the web only.")

    def handle(self, *args: Any, bind: str, workers: int, no_worker: bool, **options: Any) -> None:
        bin_dir = os.path.dirname(sys.executable)
        commands = [
            [
                os.path.join(bin_dir, "gunicorn"), "careertips.wsgi:application",
                "--bind", bind, "--workers", str(workers), "--threads", "2",
                "--access-logfile", "-", "--graceful-timeout", "10",
            ],
        ]  # fmt: skip
        if not no_worker:
            commands.append(
                [sys.executable, "-m", "careertips.cli", "db_worker", "--queue-name", "*"]
            )
        processes = [subprocess.Popen(command) for command in commands]  # noqa: S603
        self._announce(bind)

        def stop(signum: int, frame: Any) -> None:
            for process in processes:
                process.terminate()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        finally:
            stop(0, None)
            for process in processes:
                process.wait(timeout=15)

    def _announce(self, bind: str) -> None:
        url = f"http://{bind}/"
        mail = (
            "captured (staff: Mailbox)"
            if "Capturing" in settings.MAILERS["default"]["BACKEND"]
            else "SMTP"
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nCareer Tips is running at {url}\n")
            + "  member: demo@careertips.local / demo-password-2026\n"
            + "  staff:  coach@careertips.local / coach-password-2026\n"
            + f"  mail:   {mail}\n  Stop with Ctrl-C.\n"
        )

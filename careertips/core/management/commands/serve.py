"""Runs the embedded setup: gunicorn for the web and the django.tasks database worker."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

BIN = Path(sys.executable).parent
# Two cores serve best with a few processes of two threads each: a worker waiting on the
# database (or SQLite's write lock) leaves the other thread and processes to use the CPU.
DEFAULT_WORKERS = int(os.environ.get("WEB_WORKERS", 3))
DEFAULT_THREADS = int(os.environ.get("WEB_THREADS", 2))


def gunicorn_command(*, bind: str, workers: int, threads: int, access_log: bool) -> list[str]:
    """The production web server's command line; `bench/web.py` measures the same one."""
    return [
        str(BIN / "gunicorn"), "careertips.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", str(threads),
        "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",  # noqa: S108
        "--graceful-timeout", "10", "--keep-alive", "5",
        # No control socket: it lives at one path per user, so two servers would fight over it.
        "--no-control-socket",
        *(["--access-logfile", "-"] if access_log else []),
    ]  # fmt: skip


def worker_command() -> list[str]:
    return [sys.executable, "-m", "careertips.cli", "db_worker", "--queue-name", "*"]


class Command(BaseCommand):
    help = "Serve the web app with gunicorn and run the task worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
        parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
        parser.add_argument("--no-worker", action="store_true", help="Serve the web only.")

    def handle(
        self, *args: Any, bind: str, workers: int, threads: int, no_worker: bool, **options: Any
    ) -> None:
        commands = [gunicorn_command(bind=bind, workers=workers, threads=threads, access_log=True)]
        if not no_worker:
            # Periodic work (daily digests) runs through the task queue; make sure it is queued.
            call_command("schedule_digests")
            call_command("schedule_upkeep")
            commands.append(worker_command())
        processes = [subprocess.Popen(command) for command in commands]  # noqa: S603
        self._announce(bind)
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # If either process dies the other is stopped too: half a setup is worse than none.
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
        self._stop(processes)

    def _stop(self, processes: list[subprocess.Popen]) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _announce(self, bind: str) -> None:
        url = f"http://{bind}/"
        from careertips.core.demo import DEMO_LOGINS

        mail = (
            "captured (administrators: Mailbox)"
            if "Capturing" in settings.MAILERS["default"]["BACKEND"]
            else "SMTP"
        )
        logins = "".join(
            f"  {role + ':':7} {email} / {password}\n" for role, email, password in DEMO_LOGINS
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nCareer Tips is running at {url}\n")
            + logins
            + "  (coach, editor and admin set up an authenticator app at their first sign-in)\n"
            + f"  mail:    {mail}\n  Stop with Ctrl-C.\n"
        )
        self.stdout.flush()

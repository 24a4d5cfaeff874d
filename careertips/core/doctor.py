"""`careertips doctor`: checks a running install from the inside and says what to fix.

Each check returns a Result; none changes anything. They are run by hand (or by a monitor)
and may take a few seconds: the site check makes one request through the proxy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.tasks import task_backends
from django.utils import timezone

from careertips.core.models import Backup

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"
# A task due this long without a worker taking it means no worker is taking that queue.
TASK_OVERDUE = dt.timedelta(minutes=10)
# The digest scan finishes a task every 5 minutes once `schedule_digests` has started it.
WORKER_QUIET = dt.timedelta(minutes=15)
# A nightly backup plus slack for a slow night.
BACKUP_MAX_AGE = dt.timedelta(hours=26)


@dataclass
class Result:
    name: str
    status: str
    summary: str
    fix: str = ""


def check_settings() -> Result:
    """`careertips check --deploy`, run in-process."""
    found = [
        message
        for message in checks.run_checks(include_deployment_checks=True)
        if message.level >= checks.WARNING and not message.is_silenced()
    ]
    if not found:
        return Result("settings", OK, "safe for production (check --deploy finds nothing)")
    lines = [f"{m.id}: {m.msg}" + (f" ({m.hint})" if m.hint else "") for m in found]
    return Result(
        "settings",
        FAIL,
        f"check --deploy reports {len(found)} problem(s):\n" + "\n".join(lines),
        "set SECRET_KEY, DEBUG=false, HTTPS=true and ALLOWED_HOSTS (docs/operations.md)",
    )


def check_database(connection: BaseDatabaseWrapper | None = None) -> Result:
    connection = connection or connections["default"]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return Result(
            "database",
            FAIL,
            f"cannot reach the database ({connection.vendor}): {error}",
            "check DATABASE_URL and that the database server is running",
        )
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return Result(
            "database",
            FAIL,
            f"{len(plan)} migration(s) not applied: {names}{more}",
            "run `careertips migrate`, then restart careertips.target",
        )
    return Result("database", OK, f"reachable ({connection.vendor}) and fully migrated")


def check_worker(now: dt.datetime | None = None) -> Result:
    """The database task backend keeps every task's times: evidence enough of a live worker."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return Result(
            "worker", SKIP, f"tasks run by {type(backend).__name__}: watch them with its own tools"
        )
    now = now or timezone.now()
    start = "start the workers: `systemctl start careertips.target` (or `careertips db_worker`)"
    cutoff = now - TASK_OVERDUE
    waiting = DBTaskResult.objects.filter(status="READY").filter(
        Q(run_after__lte=cutoff) | Q(run_after=get_date_max(), enqueued_at__lte=cutoff)
    )
    try:
        overdue = waiting.count()
    except DatabaseError as error:
        return Result(
            "worker", FAIL, f"cannot read the task queue: {error}", "run `careertips migrate`"
        )
    if overdue:
        queues = sorted(set(waiting.values_list("queue_name", flat=True)))
        return Result(
            "worker",
            FAIL,
            f"{overdue} task(s) waiting over {_ago(TASK_OVERDUE)} in queue(s) {', '.join(queues)}",
            f"no worker takes them: {start}; `journalctl -u 'careertips-*'` says why one stopped",
        )
    last = (
        DBTaskResult.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is None:
        return Result("worker", FAIL, "no task has ever finished", f"{start}")
    if now - last > WORKER_QUIET:
        return Result(
            "worker",
            FAIL,
            f"the last task finished {_ago(now - last)} ago; the digest scan alone runs "
            "every 5 minutes",
            f"{start}, and run `careertips schedule_digests` once",
        )
    return Result("worker", OK, f"the last task finished {_ago(now - last)} ago")


def check_mail() -> Result:
    config: dict[str, Any] = settings.MAILERS["default"]
    backend = str(config.get("BACKEND", ""))
    if backend.endswith("CapturingEmailBackend"):
        return Result(
            "mail",
            WARN,
            "captured: every message is kept in the database (administrators read it at /mailbox/) "
            "and nobody receives any",
            "set EMAIL_HOST and the other EMAIL_* variables to send it",
        )
    if not backend.endswith("smtp.EmailBackend"):
        return Result("mail", OK, f"sent through {backend}")
    from django.core.mail import mailers

    options = config.get("OPTIONS", {})
    where = f"{options.get('host', 'localhost')}:{options.get('port', 25)}"
    connection = mailers.default
    try:
        connection.open()
    except (OSError, ssl.SSLError) as error:  # smtplib's errors are OSErrors
        return Result(
            "mail",
            FAIL,
            f"cannot talk to {where}: {error}",
            "check EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS and the credentials",
        )
    finally:
        connection.close()
    return Result("mail", OK, f"SMTP at {where} accepts connections")


def _behind_proxy() -> bool:
    return bool(
        getattr(settings, "BEHIND_PROXY", getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
    )


def check_site(timeout: float = 5) -> Result:
    """One request to SITE_URL through the proxy: does the app see what the visitor sent?"""
    url = f"{settings.SITE_URL}/healthz/proxy"
    request = urllib.request.Request(url, headers={"User-Agent": "careertips-doctor"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            seen = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code in (301, 302, 307, 308):
            return Result(
                "site", FAIL, f"{url} redirects in a loop: the app never sees https",
                "set BEHIND_PROXY=true and have the proxy send X-Forwarded-Proto (deploy/)",
            )  # fmt: skip
        return Result(
            "site", FAIL, f"{url} answered HTTP {error.code}",
            "check that ALLOWED_HOSTS names the site's host and the proxy reaches the web service",
        )  # fmt: skip
    except urllib.error.URLError as error:
        if isinstance(error.reason, ssl.SSLError):
            return Result(
                "site", FAIL, f"{url}: the TLS certificate is not valid ({error.reason})",
                "renew or fix the certificate (`certbot renew`; Caddy does it by itself)",
            )  # fmt: skip
        return _unreachable(url, error.reason)
    except (OSError, ValueError) as error:
        return _unreachable(url, error)
    return _compare(url, seen)


def _unreachable(url: str, reason: Any) -> Result:
    return Result(
        "site", SKIP, f"could not reach {url} from this machine ({reason})",
        f"check it from outside: curl {url}",
    )  # fmt: skip


def _compare(url: str, seen: dict[str, Any]) -> Result:
    problems: list[tuple[str, str]] = []
    scheme = seen.get("scheme")
    if settings.HTTPS and scheme != "https":
        problems.append(
            ("the app sees http although HTTPS=true",
             "set BEHIND_PROXY=true and have the proxy send X-Forwarded-Proto")
        )  # fmt: skip
    if not settings.HTTPS and scheme == "https":
        problems.append(
            ("the site is served over https but HTTPS=false: cookies are not marked secure",
             "set HTTPS=true")
        )  # fmt: skip
    forwarded = bool(seen.get("forwarded_for"))
    if _behind_proxy() and not forwarded:
        problems.append(
            ("BEHIND_PROXY is on but no X-Forwarded-For arrives: every visitor shares the "
             "proxy's address",
             "have the proxy set X-Forwarded-For (deploy/nginx/careertips.conf), or turn "
             "BEHIND_PROXY off when nothing sits in front")
        )  # fmt: skip
    if forwarded and not _behind_proxy():
        problems.append(
            ("a proxy sends X-Forwarded-For but BEHIND_PROXY is off: rate limits count every "
             "visitor as the proxy", "set BEHIND_PROXY=true")
        )  # fmt: skip
    if problems:
        return Result(
            "site",
            FAIL,
            f"{url}: " + "; ".join(p for p, _ in problems),
            "; ".join(f for _, f in problems),
        )
    return Result(
        "site", OK,
        f"{url} answers over {scheme}; the app sees the visitor as {seen.get('client_ip')}",
    )  # fmt: skip


def backup_dir() -> str:
    return str(getattr(settings, "BACKUP_DIR", "") or os.environ.get("BACKUP_DIR", ""))


def check_backups(now: float | None = None) -> Result:
    directory = backup_dir()
    if not directory:
        return Result(
            "backups", SKIP, "backups not configured",
            "set BACKUP_DIR to where backups are written (docs/operations.md, Backups)",
        )  # fmt: skip
    path = Path(directory)
    if not path.is_dir():
        return Result("backups", FAIL, f"BACKUP_DIR {path} is not a folder", "create it")
    # The worker records every run: a failure shows here even while older archives remain.
    last = Backup.objects.only("status", "error").first()
    if last is not None and last.status == Backup.Status.FAILED:
        return Result(
            "backups", FAIL, f"the last backup failed: {last.error[:200]}",
            "run `careertips backup` by hand to see the error, then fix it",
        )  # fmt: skip
    newest = max((f.stat().st_mtime for f in path.rglob("*") if f.is_file()), default=None)
    if newest is None:
        return Result("backups", FAIL, f"no backup in {path}", "make one now and every night")
    age = dt.timedelta(seconds=(now or time.time()) - newest)
    if age > BACKUP_MAX_AGE:
        return Result(
            "backups", FAIL, f"the newest backup in {path} is {_ago(age)} old",
            "check the nightly backup job",
        )  # fmt: skip
    return Result("backups", OK, f"the newest backup in {path} is {_ago(age)} old")


def _ago(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"


CHECKS: list[Callable[[], Result]] = [
    check_settings, check_database, check_worker, check_mail, check_site, check_backups,
]  # fmt: skip

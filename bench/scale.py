"""Scale test: the scale-out set-up run as a whole, members busy while an issue goes out.

    make bench-scale                     # 2,000 members, 200,000 subscribers, 60 s of traffic
    .venv/bin/python bench/scale.py --members 50 --subscribers 5000 --seconds 10

A throwaway PostgreSQL cluster (scripts/pg-cluster) is the one shared thing: data, sessions,
the task queue and the cache (the default DatabaseCache). Beside it, on loopback only: two
web servers (two gunicorn processes, each as `careertips serve` starts it, on two ports) and
two task workers (`careertips db_worker --queue-name *`, as `serve` runs its worker: every
queue, "mail" included), sending into Postfix's `smtp-sink` (installed if missing).

Seeds `--members` members, each with a search of their own (opportunities across the stages
with their histories, interviews, debriefs, contacts, touchpoints; bench/seed.py with smaller
sizes) and `--subscribers` confirmed subscribers. Then at once: an issue is sent to every
subscriber, as Send now does (the audience frozen, the send tasks queued for the workers),
and `--concurrency` clients act as members for `--seconds`, round-robin over both servers:
Today, the board, an opportunity moved (POST with the session and CSRF cookies), a debrief
opened and a call attempt logged on it. Each client plays its own members, so every move it
posts is one the opportunity allows; the stage changes and attempts the database holds
afterwards are checked against the ones posted.

Reported: p50/p95 per kind of request, errors (any answer but 2xx/3xx, any exception, any
POST the server refused, any delivery not sent), the send rate (first message recorded to
the last), messages received by the sink (must equal the audience), and the peak number of
database connections (pg_stat_activity, polled); `--pool` turns on Django's psycopg pool in
the servers and workers (DATABASE_POOL=true) to compare. The run is bounded: traffic stops after
`--seconds`, the send is given `--send-timeout` seconds. Figures go to bench/out/scale.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from common import (
    BIN,
    HOST,
    ROOT,
    free_port,
    production_server,
    setup_django,
    throwaway_environment,
    write_json,
)
from send import _ensure_smtp_sink, _seed, _sending_span, smtp_sink

# One member's search: a few months of applying, not the years of bench/seed.py's busiest.
MEMBER_SIZES = {
    "organizations": 8, "contacts": 25, "opportunities": 20, "stage_changes": 140,
    "touchpoints": 40, "events": 2, "debriefs": 3,
}  # fmt: skip
# What members do, by weight: mostly look, sometimes change something.
MIX = {"today": 30, "board": 25, "move": 20, "debrief": 10, "debrief_step": 15}
# Moves that keep an opportunity open, so a client can go on moving it for the whole run.
OPEN_MOVES = {
    "interested": ("applied", "screening", "interviewing"),
    "applied": ("screening", "interviewing", "no_response"),
    "screening": ("interviewing", "no_response"),
    "interviewing": ("no_response",),
    "no_response": ("screening", "interviewing"),
}
WORKERS = 2
SERVERS = 2
# gunicorn closes a keep-alive connection idle for 5 s (`serve`'s --keep-alive); a browser
# opens a fresh one rather than reuse it, and so does each client here after 4 s.
IDLE_SECONDS = 4.0


def main() -> int:
    args = _arguments()
    _ensure_smtp_sink()
    with throwaway_environment(pg=True):
        started = time.monotonic()
        setup_django(serve_pages=True)
        ready = time.monotonic()
        members = _seed_members(args.members)
        seeded_members = time.monotonic() - ready
        issue = _seed(args.subscribers)
        seeded = time.monotonic() - ready
        print(
            f"set up in {ready - started:.0f}s; seeded {args.members} members in "
            f"{seeded_members:.0f}s, {args.subscribers} subscribers by {seeded:.0f}s",
            file=sys.stderr,
        )
        report = _run(members, issue, args)
        report["seed_seconds"] = round(seeded, 1)
    path = write_json("scale.json", report)
    _summarise(report, path)
    return 0


def _arguments() -> argparse.Namespace:
    from careertips.core.management.commands.serve import DEFAULT_THREADS, DEFAULT_WORKERS

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--subscribers", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=60, help="of member traffic")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--web-workers", type=int, default=DEFAULT_WORKERS, help="per server")
    parser.add_argument("--web-threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--send-timeout", type=float, default=900, help="seconds, at most")
    parser.add_argument(
        "--pool", action="store_true", help="servers and workers use the psycopg pool"
    )
    return parser.parse_args()


@dataclass
class Member:
    cookie: str
    token: str
    opportunities: dict[int, str]  # open ones, by id: their stage
    debriefs: list[int]  # open ones


def _seed_members(count: int) -> list[Member]:
    from django.conf import settings
    from django.utils.crypto import get_random_string
    from seed import seed_large_account

    from careertips.core.testing import make_session
    from careertips.debriefs.models import Debrief
    from careertips.pipeline.models import Opportunity

    users = [
        seed_large_account(
            email=f"member{n}@example.com", sizes=MEMBER_SIZES, seed=n, name=f"Member {n}"
        )
        for n in range(count)
    ]
    opportunities: dict[int, dict[int, str]] = {user.pk: {} for user in users}
    for owner, pk, stage in Opportunity.objects.filter(stage__in=OPEN_MOVES).values_list(
        "owner_id", "pk", "stage"
    ):
        opportunities[owner][pk] = stage
    debriefs: dict[int, list[int]] = {user.pk: [] for user in users}
    for owner, pk in Debrief.objects.filter(status=Debrief.Status.OPEN).values_list(
        "owner_id", "pk"
    ):
        debriefs[owner].append(pk)
    members = []
    for user in users:
        # A browser holds the CSRF cookie from its first page with a form; so does each member.
        token = get_random_string(32)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={make_session(user)}; "
            f"{settings.CSRF_COOKIE_NAME}={token}"
        )
        members.append(Member(cookie, token, opportunities[user.pk], debriefs[user.pk]))
    return members


@dataclass
class Traffic:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    refused: int = 0  # POSTs answered with the form again instead of a redirect
    moves: int = 0
    attempts: int = 0
    per_port: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, port: int, status: int, took: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(took)
            by_status = self.statuses.setdefault(kind, {})
            by_status[status] = by_status.get(status, 0) + 1
            self.per_port[port] = self.per_port.get(port, 0) + 1

    def errors(self) -> int:
        bad = sum(n for by in self.statuses.values() for status, n in by.items() if status >= 400)
        return bad + len(self.exceptions) + self.refused


def _run(members: list[Member], issue: Any, args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection, connections, transaction
    from django.utils import timezone

    from careertips.core.management.commands.serve import gunicorn_command
    from careertips.debriefs.models import CallAttempt
    from careertips.newsletter import sending
    from careertips.pipeline.models import StageChange

    stage_changes_before = StageChange.objects.count()
    attempts_before = CallAttempt.objects.count()
    database_url = os.environ["DATABASE_URL"]
    connections.close_all()  # the servers and workers get their own connections
    load_before = os.getloadavg()[0]
    ports = [free_port() for _ in range(SERVERS)]
    with smtp_sink() as (sink_port, received), contextlib.ExitStack() as stack:
        os.environ.update(
            {"EMAIL_HOST": HOST, "EMAIL_PORT": str(sink_port), "EMAIL_USE_TLS": "false"}
        )
        if args.pool:
            os.environ["DATABASE_POOL"] = "true"
        for port in ports:
            command = gunicorn_command(
                bind=f"{HOST}:{port}",
                workers=args.web_workers,
                threads=args.web_threads,
                access_log=False,
            )
            stack.enter_context(production_server(command, port=port))
        stack.enter_context(task_workers())
        peak = stack.enter_context(connection_watch(database_url))
        traffic = Traffic()
        load = threading.Thread(target=_member_traffic, args=(members, ports, traffic, args))
        load.start()
        send_started = time.monotonic()
        pressed_at = timezone.now()
        with transaction.atomic():
            # What Send now does: the audience frozen, the send tasks queued on commit.
            sending.send_issue_now(issue=issue)
        load.join()
        try:
            _wait_until_sent(issue, send_started + args.send_timeout)
            timed_out = False
        except TimeoutError:
            timed_out = True
        connection.close()
        stack.close()  # workers and servers stop: the sink sees every session end
        count_received = received()
    statuses, audience = _delivery_statuses(issue)
    seconds, sent = _sending_span(issue)
    last_sent = _last_sent_at(issue)
    send_wall = (last_sent - pressed_at).total_seconds() if last_sent else 0.0
    moves_recorded = StageChange.objects.count() - stage_changes_before
    attempts_recorded = CallAttempt.objects.count() - attempts_before
    not_sent = audience - statuses.get("sent", 0)
    lost = (traffic.moves - moves_recorded) + (traffic.attempts - attempts_recorded)
    pages = {
        kind: _percentiles(traffic.latencies[kind], traffic.statuses[kind])
        for kind in MIX
        if kind in traffic.latencies
    }
    requests = sum(page["requests"] for page in pages.values())
    return {
        "errors": traffic.errors() + not_sent + abs(lost) + int(timed_out),
        "http_errors": traffic.errors() - traffic.refused - len(traffic.exceptions),
        "exceptions": traffic.exceptions[:20],
        "refused_posts": traffic.refused,
        "pages": pages,
        "requests": requests,
        "requests_per_second": round(requests / args.seconds, 1),
        "requests_per_server": list(traffic.per_port.values()),
        "writes": {
            "moves_posted": traffic.moves,
            "moves_recorded": moves_recorded,
            "attempts_posted": traffic.attempts,
            "attempts_recorded": attempts_recorded,
        },
        "send": {
            "audience": audience,
            "received": count_received,
            "sent": sent,
            "rate": round(sent / seconds) if seconds else 0,
            "seconds": round(seconds, 1),
            # From Send now pressed to the last message recorded, the freeze included.
            "wall_seconds": round(send_wall, 1),
            "statuses": statuses,
            "timed_out": timed_out,
        },
        "db_connections_peak": peak[0],
        "setup": {
            "database": "postgresql",
            "cache": "DatabaseCache",
            "connections": "psycopg pool" if args.pool else "persistent (CONN_MAX_AGE)",
            "members": len(members),
            "subscribers": args.subscribers,
            "seconds": args.seconds,
            "concurrency": args.concurrency,
            "web_servers": SERVERS,
            "per_server": f"gunicorn, {args.web_workers} workers x {args.web_threads} threads",
            "task_workers": WORKERS,
            "mix": MIX,
            "python": platform.python_version(),
            "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0,
            # Other work on the machine skews every figure: compare runs with similar loads.
            "load_average_1m_before": round(load_before, 2),
        },
    }


@contextlib.contextmanager
def task_workers() -> Iterator[None]:
    """Two `careertips db_worker` processes taking every queue, each in its own process
    group; stopped with SIGTERM (a running task finishes first), killed if they linger."""
    command = [str(BIN / "careertips"), "db_worker", "--queue-name", "*"]
    with tempfile.TemporaryFile() as log:
        processes = [
            subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
            )
            for _ in range(WORKERS)
        ]
        try:
            time.sleep(1)
            if any(process.poll() is not None for process in processes):
                log.seek(0)
                raise RuntimeError(f"a task worker exited: {log.read().decode()[-2000:]}")
            yield
        finally:
            for process in processes:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@contextlib.contextmanager
def connection_watch(database_url: str) -> Iterator[list[int]]:
    """Polls pg_stat_activity for the connections to the database (its own not counted);
    yields a one-item list holding the peak so far."""
    import psycopg

    peak = [0]
    done = threading.Event()

    def watch() -> None:
        with psycopg.connect(database_url, autocommit=True) as conn:
            while not done.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
                peak[0] = max(peak[0], int(row[0]) if row else 0)
                done.wait(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield peak
    finally:
        done.set()
        watcher.join()


def _member_traffic(
    members: list[Member], ports: list[int], traffic: Traffic, args: argparse.Namespace
) -> None:
    """`concurrency` clients for `seconds`; client n plays members n, n + concurrency, …"""
    deadline = time.monotonic() + args.seconds
    clients = [
        threading.Thread(
            target=_client,
            args=(members[n :: args.concurrency], ports, traffic, deadline, random.Random(n)),  # noqa: S311
        )
        for n in range(min(args.concurrency, len(members)))
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()


def _client(
    members: list[Member],
    ports: list[int],
    traffic: Traffic,
    deadline: float,
    rng: random.Random,
) -> None:
    from careertips.debriefs.models import CallAttempt

    channels = list(CallAttempt.Channel.values)
    outcomes = list(CallAttempt.Outcome.values)
    connections = {port: Connection(port) for port in ports}
    kinds, weights = list(MIX), list(MIX.values())
    turn = rng.randrange(len(ports))
    while time.monotonic() < deadline:
        member = rng.choice(members)
        kind = rng.choices(kinds, weights)[0]
        method, path, form = "GET", "", None
        if kind == "today":
            path = "/today/"
        elif kind == "board":
            path = "/opportunities/board/"
        elif kind == "move" and member.opportunities:
            pk = rng.choice(list(member.opportunities))
            stage = rng.choice(OPEN_MOVES[member.opportunities[pk]])
            method, path, form = "POST", f"/opportunities/{pk}/move/", {"stage": stage}
            member.opportunities[pk] = stage
        elif kind == "debrief" and member.debriefs:
            path = f"/debriefs/{rng.choice(member.debriefs)}/"
        elif kind == "debrief_step" and member.debriefs:
            # A different minute every time: the same attempt posted twice is kept once.
            when = dt.datetime.now() - dt.timedelta(minutes=rng.randint(1440, 1440 * 60))  # noqa: DTZ005
            method, path = "POST", f"/debriefs/{rng.choice(member.debriefs)}/attempts/"
            form = {
                "attempted_at": when.strftime("%Y-%m-%dT%H:%M"),
                "channel": rng.choice(channels),
                "outcome": rng.choice(outcomes),
                "note": "Left a short message.",
            }
        else:
            continue
        port = ports[turn % len(ports)]
        turn += 1
        status = _request(connections, port, method, path, form, member, traffic, kind)
        if status is None:
            continue
        if method == "POST":
            if status in (301, 302, 303):
                with traffic.lock:
                    if kind == "move":
                        traffic.moves += 1
                    else:
                        traffic.attempts += 1
            elif status < 400:
                with traffic.lock:
                    traffic.refused += 1
    for conn in connections.values():
        conn.close()


class Connection:
    """A keep-alive connection to one server, opened afresh when it has idled too long."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.last_used = time.monotonic()

    def send(self, method: str, path: str, body: str | None, headers: dict[str, str]) -> int:
        if time.monotonic() - self.last_used > IDLE_SECONDS:
            self.close()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        finally:
            self.last_used = time.monotonic()
        if response.will_close:
            self.close()
        return response.status

    def close(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)


def _request(
    connections: dict[int, Connection],
    port: int,
    method: str,
    path: str,
    form: dict[str, str] | None,
    member: Member,
    traffic: Traffic,
    kind: str,
) -> int | None:
    headers = {"Cookie": member.cookie}
    body = None
    if form is not None:
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": member.token})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        status = connections[port].send(method, path, body, headers)
    except (OSError, http.client.HTTPException) as error:
        with traffic.lock:
            traffic.exceptions.append(f"{kind} {path}: {type(error).__name__}: {error}")
        return None
    traffic.record(kind, port, status, time.perf_counter() - started)
    return status


def _percentiles(latencies: list[float], statuses: dict[int, int]) -> dict[str, Any]:
    if len(latencies) > 1:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        p50, p95 = cuts[49], cuts[94]
    else:
        p50 = p95 = latencies[0]
    return {
        "p50_ms": round(p50 * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "requests": len(latencies),
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
    }


def _wait_until_sent(issue: Any, deadline: float) -> None:
    from careertips.newsletter.models import Delivery

    pending = Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING)
    while not Delivery.objects.filter(issue=issue).exists() or pending.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the task workers did not finish the send in time")
        time.sleep(0.5)


def _last_sent_at(issue: Any) -> dt.datetime | None:
    from django.db.models import Max

    from careertips.newsletter.models import Delivery

    return Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).aggregate(
        last=Max("sent_at")
    )["last"]


def _delivery_statuses(issue: Any) -> tuple[dict[str, int], int]:
    from django.db.models import Count

    from careertips.newsletter.models import Delivery

    rows = Delivery.objects.filter(issue=issue).values_list("status").annotate(n=Count("pk"))
    statuses = dict(rows)
    return statuses, sum(statuses.values())


def _summarise(report: dict[str, Any], path: Any) -> None:
    setup = report["setup"]
    print(
        f"{setup['members']} members at c={setup['concurrency']} for {setup['seconds']}s "
        f"over {setup['web_servers']} servers {report['requests_per_server']}: "
        f"{report['requests']} requests ({report['requests_per_second']}/s)"
    )
    for kind, page in report["pages"].items():
        print(
            f"  {kind:<13} p50 {page['p50_ms']:>7} ms  p95 {page['p95_ms']:>7} ms  "
            f"{page['requests']} requests"
        )
    send = report["send"]
    print(
        f"send: {send['sent']} of {send['audience']} in {send['seconds']}s = {send['rate']}/s, "
        f"received {send['received']}{'  (TIMED OUT)' if send['timed_out'] else ''}"
    )
    writes = report["writes"]
    print(
        f"writes: moves {writes['moves_recorded']}/{writes['moves_posted']}, "
        f"attempts {writes['attempts_recorded']}/{writes['attempts_posted']}; "
        f"peak database connections {report['db_connections_peak']}; "
        f"errors {report['errors']}"
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())

"""Web benchmark: the pages a member opens most, and the public ones, under load, on the
production server.

    make bench-web                 # SQLite in a temporary folder
    .venv/bin/python bench/web.py --pg   # a throwaway PostgreSQL cluster

Seeds a large account and the public site (bench/seed.py; the pages are listed in
bench/pagedb.py), serves it with gunicorn as `careertips serve` does (DEBUG off, collected
and compressed static files), signs in through a session made in the database (public
pages are fetched signed out), then GETs each page `--requests` times from `--concurrency`
keep-alive connections after a warm-up. /healthz on the same server is the ceiling: a
page's `ratio` is its requests per second over the ceiling's. SQL queries per page are
counted once, in-process, against the same database. The server's CPU time per request
(`server_cpu_ms`, from /proc) is what a page costs even on a busy machine, where rates and
ratios wander. Each page is measured twice: as served to a browser holding the CSRF cookie
(from the member page cache when it applies) and as a full render (`uncached`).
Figures go to bench/out/web.json; a page that does not answer 200 is reported with an
"error" and skipped; `--pages today,board` measures only those. Timings never fail the build.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from typing import Any

from common import (
    HOST,
    free_port,
    hammer,
    production_server,
    server_cpu_seconds,
    setup_django,
    throwaway_environment,
    write_json,
)
from pagedb import PAGE_NAMES, pages_named, seed

TARGET_P95_MS = 100.0
TARGET_RATIO = 0.25


def main() -> int:
    args = _arguments()
    with throwaway_environment(pg=args.pg):
        started = time.monotonic()
        setup_django(serve_pages=True)
        seeded = seed()
        print(f"seeded in {time.monotonic() - started:.0f}s", file=sys.stderr)
        session = seeded.session
        pages = [
            {"name": p.name, "path": p.path(seeded.ids), "anonymous": p.anonymous}
            for p in pages_named(args.pages)
        ]
        for page in pages:
            page.update(_count_queries(page["path"], "" if page["anonymous"] else session))
        sizes = _sizes(seeded.member)
        report = _load_test(pages, session, args)
    report["seeded"] = sizes
    path = write_json("web.json", report)
    _summarise(report, path)
    return 0


def _arguments() -> argparse.Namespace:
    from careertips.core.management.commands.serve import DEFAULT_THREADS, DEFAULT_WORKERS

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument(
        "--pages", type=lambda text: text.split(","), default=PAGE_NAMES,
        help=f"comma-separated, of: {','.join(PAGE_NAMES)}",
    )  # fmt: skip
    parser.add_argument(
        "--clients", choices=["processes", "threads"], default="processes",
        help="each client a process of its own (default), or threads of one process",
    )  # fmt: skip
    return parser.parse_args()


def _count_queries(path: str, session: str) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    except Exception as error:  # noqa: BLE001 -- a broken page is reported, not fatal
        return {"error": f"{type(error).__name__}: {error}"[:500]}
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code} in-process"}
    return {"queries": len(queries)}


def _load_test(pages: list[dict], session: str, args: argparse.Namespace) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection, connections
    from django.utils.crypto import get_random_string

    from careertips.core.management.commands.serve import gunicorn_command

    vendor = connection.vendor
    load_before = os.getloadavg()[0]
    connections.close_all()  # the server processes get their own connections
    port = free_port()
    command = gunicorn_command(
        bind=f"{HOST}:{port}", workers=args.workers, threads=args.threads, access_log=False
    )
    # A browser holds the CSRF cookie from its first page with a form; send one as it would.
    # Pages are served from the member page cache once rendered (core/pagecache.py); a request
    # without the CSRF cookie is never cached, so the same server also measures full renders.
    session_only = f"{settings.SESSION_COOKIE_NAME}={session}"
    cookie = f"{session_only}; {settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    # Public pages are measured signed out, with and without the CSRF cookie all the same.
    anonymous_cookie = f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    processes = args.clients == "processes"
    with production_server(command, port=port) as server:
        load = {"port": port, "concurrency": args.concurrency, "processes": processes}
        hammer("/healthz", total=args.warmup, **load)  # type: ignore[arg-type]
        cpu = server_cpu_seconds(server)
        ceiling = hammer("/healthz", total=args.requests, **load)  # type: ignore[arg-type]
        ceiling_cpu = _cpu_ms_per_request(server, cpu, args.requests)
        for page in pages:
            if "error" not in page:
                anonymous = page.pop("anonymous")
                warm, cold = (anonymous_cookie, "") if anonymous else (cookie, session_only)
                page.update(_measure(page["path"], port, warm, ceiling.rps, args, server))
                page["uncached"] = _measure(page["path"], port, cold, ceiling.rps, args, server)
    return {
        "ceiling_rps": round(ceiling.rps, 1),
        "ceiling_p95_ms": ceiling.percentile_ms(95),
        "ceiling_server_cpu_ms": ceiling_cpu,
        "pages": pages,
        "targets": {"p95_ms": TARGET_P95_MS, "ratio": TARGET_RATIO},
        "setup": {
            "database": vendor,
            "server": f"gunicorn, {args.workers} workers x {args.threads} threads",
            "requests": args.requests,
            "warmup": args.warmup,
            "concurrency": args.concurrency,
            "clients": args.clients,
            "python": platform.python_version(),
            "cpus": _cpus(),
            # Other work on the machine skews every figure: compare runs with similar loads.
            "load_average_1m_before": round(load_before, 2),
        },
    }


def _measure(
    path: str,
    port: int,
    cookie: str,
    ceiling_rps: float,
    args: argparse.Namespace,
    server: subprocess.Popen,
) -> dict[str, Any]:
    load = {
        "port": port, "concurrency": args.concurrency, "cookie": cookie,
        "processes": args.clients == "processes",
    }  # fmt: skip
    hammer(path, total=args.warmup, **load)  # type: ignore[arg-type]
    cpu = server_cpu_seconds(server)
    result = hammer(path, total=args.requests, **load)  # type: ignore[arg-type]
    cpu_ms = _cpu_ms_per_request(server, cpu, args.requests)
    if set(result.statuses) != {200}:
        return {"error": f"HTTP statuses under load: {result.statuses}"}
    p95 = result.percentile_ms(95)
    ratio = round(result.rps / ceiling_rps, 3)
    return {
        "rps": round(result.rps, 1),
        "p50_ms": result.percentile_ms(50),
        "p95_ms": p95,
        "p99_ms": result.percentile_ms(99),
        "ratio": ratio,
        "server_cpu_ms": cpu_ms,
        "meets_targets": p95 <= TARGET_P95_MS and ratio >= TARGET_RATIO,
    }


def _cpu_ms_per_request(server: subprocess.Popen, before: float | None, requests: int) -> Any:
    """The server's CPU time per request since `before`: what a page costs, whatever else
    runs on the machine (10 ms clock ticks: a few hundred requests make it exact enough)."""
    after = server_cpu_seconds(server)
    if before is None or after is None:
        return None
    return round((after - before) * 1000 / requests, 2)


def _sizes(member: Any) -> dict[str, int]:
    from careertips.debriefs.models import Debrief
    from careertips.network.models import Contact, Event, Touchpoint
    from careertips.newsletter.models import Issue
    from careertips.offers.models import Offer
    from careertips.pipeline.models import Opportunity, StageChange
    from careertips.stories.models import Requirement, Story

    return {
        "touchpoints": Touchpoint.objects.filter(owner=member).count(),
        "events": Event.objects.filter(owner=member).count(),
        "opportunities": Opportunity.objects.filter(owner=member).count(),
        "contacts": Contact.objects.filter(owner=member).count(),
        "stage_changes": StageChange.objects.filter(opportunity__owner=member).count(),
        "debriefs": Debrief.objects.filter(owner=member).count(),
        "stories": Story.objects.filter(owner=member).count(),
        "requirements": Requirement.objects.filter(opportunity__owner=member).count(),
        "offers": Offer.objects.filter(opportunity__owner=member).count(),
        "newsletter_issues": Issue.objects.count(),
    }


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def _summarise(report: dict[str, Any], path: Any) -> None:
    print(
        f"ceiling (/healthz): {report['ceiling_rps']} req/s  "
        f"cpu {report['ceiling_server_cpu_ms']} ms"
    )
    for page in report["pages"]:
        if "error" in page:
            print(f"  {page['name']:<17} skipped: {page['error']}")
        else:
            print(
                f"  {page['name']:<17} {page['rps']:>7} req/s  p50 {page['p50_ms']} ms  "
                f"p95 {page['p95_ms']} ms  p99 {page['p99_ms']} ms  ratio {page['ratio']}  "
                f"cpu {page['server_cpu_ms']} ms  {page['queries']} queries"
                f"{'' if page['meets_targets'] else '  (misses target)'}"
            )
            cold = page["uncached"]
            if "error" not in cold:
                print(
                    f"  {'  full render':<17} {cold['rps']:>7} req/s  p95 {cold['p95_ms']} ms  "
                    f"ratio {cold['ratio']}  cpu {cold['server_cpu_ms']} ms"
                )
    print(f"written to {path}")


if __name__ == "__main__":
    sys.exit(main())

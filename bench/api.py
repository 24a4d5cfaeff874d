"""API benchmark: a page of 50 opportunities, and creating then moving one, on the large
account, through gunicorn as `careertips serve` runs it, 8 clients at once (each a process of its
own, as separate users are; `--clients threads` for threads of this one).

    .venv/bin/python bench/api.py          # or: make bench-api

Figures in bench/out/api.json: per endpoint the p95 latency, the server's CPU time per request
(its process group's user + system time, which other load on the machine hardly moves) and
requests per second. Targets: p95 <= 50 ms and server CPU <= 8 ms per request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import sys
from collections.abc import Callable
from typing import Any

from common import (
    HOST,
    LoadResult,
    drive,
    free_port,
    production_server,
    server_cpu_seconds,
    setup_django,
    throwaway_environment,
    timed,
    write_json,
)

TARGET_P95_MS = 50
TARGET_CPU_MS = 8
LIST = "/api/v1/opportunities?limit=50"


def main() -> int:
    args = _arguments()
    with throwaway_environment(pg=args.pg):
        os.environ["API_RATE_LIMIT"] = "100000000"  # the benchmark measures work, not the limit
        setup_django(serve_pages=True)
        token, size = _seed()
        report = _load_test(token, args)
    report["seeded"] = {"opportunities": size}
    path = write_json("api.json", report)
    for row in report["endpoints"]:
        print(
            f"{row['name']:>20}: p95 {row['p95_ms']} ms, server CPU {row['server_cpu_ms']} ms, "
            f"{row['rps']} req/s"
        )
    print(f"wrote {path}")
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
        "--clients", choices=["processes", "threads"], default="processes",
        help="each client a process of its own (default), or threads of one process",
    )  # fmt: skip
    return parser.parse_args()


def _seed() -> tuple[str, int]:
    from seed import seed_large_account

    from careertips.api.services.tokens import create_token
    from careertips.core.db.statistics import refresh_statistics
    from careertips.pipeline.models import Opportunity

    member = seed_large_account()
    secret = create_token(owner=member, name="bench", scopes=["read", "write"])[1]
    refresh_statistics()  # as the workers' upkeep does when the server starts
    return secret, Opportunity.objects.filter(owner=member).count()


Step = Callable[[http.client.HTTPConnection, dict[str, str], int], list[tuple[str, float, int]]]


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str], body: Any
) -> tuple[float, int, bytes]:
    return timed(conn, method, path, headers, json.dumps(body) if body is not None else None)


def _list(conn: http.client.HTTPConnection, headers: dict[str, str], n: int) -> list:
    took, status, _ = _request(conn, "GET", LIST, headers, None)
    return [("list_opportunities", took, status)]


def _create_and_move(conn: http.client.HTTPConnection, headers: dict[str, str], n: int) -> list:
    body = {"title": f"Bench role {n}", "organization_name": "Bench Corp", "stage": "applied"}
    took, status, data = _request(conn, "POST", "/api/v1/opportunities", headers, body)
    rows = [("create_opportunity", took, status)]
    if status == 201:
        pk = json.loads(data)["id"]
        move = {"stage": "screening", "note": "Recruiter called"}
        took, status, _ = _request(conn, "POST", f"/api/v1/opportunities/{pk}/move", headers, move)
        rows.append(("move_opportunity", took, status))
    return rows


def _drive(
    step: Step, *, port: int, token: str, total: int, concurrency: int, processes: bool
) -> dict[str, LoadResult]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return drive(
        lambda conn, n: step(conn, headers, n),
        port=port, total=total, concurrency=concurrency, processes=processes,
    )  # fmt: skip


def _load_test(token: str, args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection, connections

    from careertips.core.management.commands.serve import gunicorn_command

    vendor = connection.vendor
    load_before = os.getloadavg()[0]
    connections.close_all()
    port = free_port()
    command = gunicorn_command(
        bind=f"{HOST}:{port}", workers=args.workers, threads=args.threads, access_log=False
    )
    endpoints = []
    load = {
        "port": port, "token": token, "concurrency": args.concurrency,
        "processes": args.clients == "processes",
    }  # fmt: skip
    with production_server(command, port=port) as server:
        for step, total in ((_list, args.requests), (_create_and_move, args.requests // 2)):
            _drive(step, total=args.warmup, **load)  # type: ignore[arg-type]
            cpu = server_cpu_seconds(server) or 0.0
            results = _drive(step, total=total, **load)  # type: ignore[arg-type]
            cpu_ms = ((server_cpu_seconds(server) or 0.0) - cpu) * 1000
            count = sum(len(r.latencies) for r in results.values())
            for name, result in results.items():
                endpoints.append(
                    {
                        "name": name,
                        "p95_ms": result.percentile_ms(95),
                        "p50_ms": result.percentile_ms(50),
                        # The phase's CPU split evenly over its requests (create and move
                        # alternate, so each gets the pair's mean).
                        "server_cpu_ms": round(cpu_ms / count, 2) if count else None,
                        "rps": round(len(result.latencies) / result.elapsed, 1),
                        "statuses": result.statuses,
                    }
                )
    return {
        "endpoints": endpoints,
        "targets": {"p95_ms": TARGET_P95_MS, "server_cpu_ms": TARGET_CPU_MS},
        "setup": {
            "database": vendor,
            "server": f"gunicorn, {args.workers} workers x {args.threads} threads",
            "requests": args.requests,
            "concurrency": args.concurrency,
            "clients": args.clients,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            # The machine is shared: compare runs with similar loads.
            "load_average_1m_before": round(load_before, 2),
        },
    }


if __name__ == "__main__":
    sys.exit(main())

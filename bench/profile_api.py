"""What an API request costs the server: CPU per request, queries, and where the time goes.

    .venv/bin/python bench/profile_api.py                  # list, create and move, 100 each
    .venv/bin/python bench/profile_api.py create -n 200    # one operation, 200 requests
    .venv/bin/python bench/profile_api.py move --profile   # plus a cProfile top list
    .venv/bin/python bench/profile_api.py --json before.json

The requests of bench/api.py (a page of 50 opportunities; create one; move it), sent in this
process through Django's test client with a personal access token, on the large account
(bench/pagedb.py seeds it once into .cache/bench-pages/ and reuses it). Reports the median,
lower quartile and best CPU time per request (`time.process_time`: unlike wall time it
hardly moves when other work shares the machine), the Python function calls per request
(which do not move at all: on a busy machine the steadiest figure to compare) and the SQL
queries per request. Every create adds an opportunity to the cached database, as the load
benchmark does to its own.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pagedb import profile_top, seeded_database

LIST = "/api/v1/opportunities?limit=50"
OPERATIONS = ["list", "create", "move"]


class Calls:
    """The three requests, each checked for its status; create makes what move moves."""

    def __init__(self, client: Any, headers: dict[str, str]) -> None:
        self.client, self.headers, self.n, self.created = client, headers, 0, []

    def _send(self, method: str, path: str, body: Any, status: int) -> Any:
        send = getattr(self.client, method)
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
        response = send(path, headers=self.headers, **kwargs)
        if response.status_code != status:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")
        return response

    def list(self) -> None:
        self._send("get", LIST, None, 200)

    def create(self) -> None:
        self.n += 1
        body = {"title": f"Profile role {self.n}", "organization_name": "Bench Corp"}
        response = self._send("post", "/api/v1/opportunities", {**body, "stage": "applied"}, 201)
        self.created.append(response.json()["id"])

    def move(self) -> None:
        if not self.created:
            self.create()
        pk = self.created.pop()
        body = {"stage": "screening", "note": "Recruiter called"}
        self._send("post", f"/api/v1/opportunities/{pk}/move", body, 200)


def main() -> int:
    args = _arguments()
    os.environ["API_RATE_LIMIT"] = "100000000"  # measures the work, not the limit
    results: dict[str, Any] = {}
    with seeded_database(pg=args.pg) as seeded:
        from django.db import connection
        from django.test import Client

        from careertips.api.services.tokens import create_token

        results["database"] = connection.vendor
        secret = create_token(owner=seeded.member, name="profile", scopes=["read", "write"])[1]
        calls = Calls(Client(), {"Authorization": f"Bearer {secret}"})
        for name in args.operations or OPERATIONS:
            run = getattr(calls, name)
            if name == "move":  # what the moves will move, made outside the measurement
                for _ in range(args.n * (1 + bool(args.profile)) + args.warmup + 21):
                    calls.create()
            figures = _measure(run, args.n, args.warmup)
            results[name] = figures
            print(
                f"{name:<7} cpu median {figures['cpu_ms']:>6.2f} ms  "
                f"p25 {figures['cpu_p25_ms']:>6.2f} ms  best {figures['cpu_best_ms']:>6.2f} ms  "
                f"{figures['python_calls']:>6} Python calls  {figures['queries']:>3} queries"
            )
            if args.sql:
                print("\n".join(figures["sql"]))
            if args.profile:
                print(profile_top(run, args.n, args.top))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("operations", nargs="*", help=f"of: {', '.join(OPERATIONS)}")
    parser.add_argument("-n", type=int, default=100, help="requests per operation")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile top list")
    parser.add_argument("--sql", action="store_true", help="print one request's queries")
    parser.add_argument("--top", type=int, default=40, help="lines of the top list")
    parser.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL cluster")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if unknown := set(args.operations) - set(OPERATIONS):
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    return args


def _measure(run: Callable[[], None], n: int, warmup: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        run()
    with CaptureQueriesContext(connection) as queries:
        run()
    sql = [query["sql"][:160] for query in queries]
    samples = []
    for _ in range(n):
        started = time.process_time()
        run()
        samples.append((time.process_time() - started) * 1000)
    return {
        "cpu_ms": round(statistics.median(samples), 2),
        "cpu_p25_ms": round(statistics.quantiles(samples, n=4)[0], 2),
        "cpu_best_ms": round(min(samples), 2),
        "python_calls": _python_calls(run),
        "queries": len(sql),
        "sql": sql,
    }


def _python_calls(run: Callable[[], None], n: int = 20) -> int:
    """Python function calls per request: unlike CPU time, the same however busy the machine."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        run()
    profiler.disable()
    return round(pstats.Stats(profiler).total_calls / n)  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())

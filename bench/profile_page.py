"""What a page costs the server: CPU per full render, and where it goes.

    .venv/bin/python bench/profile_page.py                    # every benchmarked page
    .venv/bin/python bench/profile_page.py today board -n 50  # some pages, 50 renders each
    .venv/bin/python bench/profile_page.py today --profile    # plus a cProfile top list
    .venv/bin/python bench/profile_page.py --pg               # on a throwaway PostgreSQL
    .venv/bin/python bench/profile_page.py --json before.json # keep the figures

Renders each page N times in this process through Django's test client, on the large
account (bench/pagedb.py seeds it once into .cache/bench-pages/ and reuses it), with the
member page cache bypassed: every request is a full render. Reports the median and best
CPU time per request (`time.process_time`: unlike wall time it hardly moves when other
work shares the machine) and the SQL queries per request. With --profile, the functions
with the most cumulative time over the N renders. Settings are production's (DEBUG off,
cached template loader).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from pagedb import PAGE_NAMES, client_for, pages_named, profile_top, render, seeded_database


def main() -> int:
    args = _arguments()
    os.environ["MEMBER_PAGE_CACHE_SECONDS"] = "0"
    results: dict[str, Any] = {}
    with seeded_database(pg=args.pg, fresh=args.fresh) as seeded:
        from django.db import connection

        results["database"] = connection.vendor
        for page in pages_named(args.pages or PAGE_NAMES):
            path = page.path(seeded.ids)
            client = client_for(page, seeded)
            figures = _measure(client, path, args.n, args.warmup)
            results[page.name] = {"path": path, **figures}
            print(
                f"{page.name:<19} cpu median {figures['cpu_ms']:>6.2f} ms  "
                f"best {figures['cpu_best_ms']:>6.2f} ms  {figures['queries']:>3} queries  "
                f"{figures['bytes']:>7} bytes  {path}"
            )
            if args.profile:
                print(profile_top(lambda c=client, p=path: render(c, p), args.n, args.top))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", help=f"of: {', '.join(PAGE_NAMES)} (default: all)")
    parser.add_argument("-n", type=int, default=30, help="renders per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile top list")
    parser.add_argument("--top", type=int, default=35, help="lines of the top list")
    parser.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL cluster")
    parser.add_argument("--fresh", action="store_true", help="seed the SQLite database again")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args()


def _measure(client: Any, path: str, n: int, warmup: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        render(client, path)
    with CaptureQueriesContext(connection) as queries:
        response = render(client, path)
    count = len(queries)  # the next request clears the connection's query log
    samples = []
    for _ in range(n):
        started = time.process_time()
        render(client, path)
        samples.append((time.process_time() - started) * 1000)
    return {
        "cpu_ms": round(statistics.median(samples), 2),
        "cpu_best_ms": round(min(samples), 2),
        "queries": count,
        "bytes": len(response.content),
    }


if __name__ == "__main__":
    sys.exit(main())

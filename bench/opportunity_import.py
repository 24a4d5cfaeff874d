"""Benchmark: import a 5,000-row tracker export into a pipeline of 2,000 opportunities.

Runs against a throwaway SQLite database in a temporary directory (never var/), through the
same code the import pages and the task worker use: read, map and check the file (preview),
then write it (confirm; the task's work, run inline). Writes its figures to
bench/out/opportunity_import.json. Target: under 10 seconds.

    make bench-opportunity-import
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import time

from common import ROOT, setup_django, throwaway_environment, write_json

EXISTING = 2_000
ROWS = 5_000
SAME_URL = 300  # rows whose posting is already in the pipeline
SAME_ROLE = 200  # rows for a role already in the pipeline, without a link
REPEATED_IN_FILE = 100
TARGET_SECONDS = 10.0

EMPLOYERS = [f"Employer {n}" for n in range(1, 1_200)]
TITLES = ["Operations Manager", "Plant Manager", "Buyer", "Logistics Lead", "Analyst", "Director"]
STATUSES = ["Wishlist", "Applied", "Applied", "Applied", "Interview", "Offer", "Rejected"]
PAY = ["$90k–110k", "90,000 - 110,000 EUR", "£45,000", "", "120000", "$150k-$170k"]
FIRST = ["Dana", "Sam", "Kim", "José", "Priya", "Liam", "Ana", "Noah", "Mei", "Omar"]


def posting(rng: random.Random, n: int) -> dict[str, str]:
    applied = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(400))
    return {
        "company": rng.choice(EMPLOYERS),
        "title": f"{rng.choice(TITLES)} {n}",
        "status": rng.choice(STATUSES),
        "url": f"https://jobs.example.test/{n}?utm_source=tracker",
        "location": rng.choice(["Seattle, WA", "Remote", "Austin, TX", "Lyon, FR"]),
        "salary": rng.choice(PAY),
        "added": (applied - dt.timedelta(days=3)).isoformat(),
        "applied": applied.isoformat(),
        "contacts": f"{rng.choice(FIRST)} Contact{n % 700}" if rng.random() < 0.3 else "",
        "notes": "Follow up next week" if rng.random() < 0.2 else "",
    }


def seed_pipeline(owner, rng: random.Random) -> list[dict[str, str]]:
    from django.utils import timezone

    from careertips.network.services import organizations_named
    from careertips.pipeline.models import Opportunity, StageChange

    existing = [posting(rng, n) for n in range(EXISTING)]
    orgs = organizations_named(owner=owner, names=EMPLOYERS)
    now = timezone.now()
    opportunities = [
        Opportunity(
            owner=owner, organization=orgs[p["company"].casefold()], title=p["title"],
            posting_url=p["url"], stage="applied", applied_on=dt.date.fromisoformat(p["applied"]),
            found_on=dt.date.fromisoformat(p["added"]), stage_changed_at=now,
        )
        for p in existing
    ]  # fmt: skip
    Opportunity.objects.bulk_create(opportunities, batch_size=500)
    StageChange.objects.bulk_create(
        [StageChange(opportunity=o, to_stage="applied", changed_at=now) for o in opportunities],
        batch_size=1000,
    )
    return existing


def tracker_export(rng: random.Random, existing: list[dict[str, str]]) -> bytes:
    known = rng.sample(existing, SAME_URL + SAME_ROLE)
    rows = [{**p, "title": p["title"] + " (again)"} for p in known[:SAME_URL]]
    rows += [{**p, "url": ""} for p in known[SAME_URL:]]
    fresh = ROWS - len(rows) - REPEATED_IN_FILE
    rows += [posting(rng, EXISTING + n) for n in range(fresh)]
    rows += [dict(r) for r in rng.sample(rows[len(known) :], REPEATED_IN_FILE)]
    rng.shuffle(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Company", "Job Title", "List", "Job URL", "Location", "Salary",
                     "Date Added", "Date Applied", "Contacts", "Notes"])  # fmt: skip
    keys = ["company", "title", "status", "url", "location", "salary", "added", "applied",
            "contacts", "notes"]  # fmt: skip
    for r in rows:
        writer.writerow([r[key] for key in keys])
    return buffer.getvalue().encode()


def run() -> dict[str, float | int]:
    from careertips.core.testing import make_user
    from careertips.pipeline import importers
    from careertips.pipeline.models import Opportunity, StageChange

    rng = random.Random(20260310)
    owner = make_user("bench@example.test")
    existing = seed_pipeline(owner, rng)
    data = tracker_export(rng, existing)

    started = time.perf_counter()
    batch = importers.preview_import(owner=owner, data=data, filename="huntr-export.csv")
    previewed = time.perf_counter()
    counts = importers.summarize(batch.rows)
    importers.queue_import(batch=batch)  # the worker's queue is not run: the task's work follows
    batch = importers.apply_import(batch=batch)
    seconds = time.perf_counter() - started
    return {
        "rows": len(batch.rows),
        "seconds": round(seconds, 3),
        "rows_per_s": round(len(batch.rows) / seconds, 1),
        "created": batch.created_count,
        "duplicates_flagged": counts["duplicate"],
        "skipped": batch.skipped_count,
        "preview_seconds": round(previewed - started, 3),
        "confirm_seconds": round(seconds - (previewed - started), 3),
        "existing_opportunities": EXISTING,
        "opportunities_after": Opportunity.objects.filter(owner=owner).count(),
        "stage_changes_after": StageChange.objects.filter(opportunity__owner=owner).count(),
        "target_seconds": TARGET_SECONDS,
    }


def main() -> None:
    # A temporary SQLite database and var/ folder: var/careertips.sqlite3 is never touched.
    with throwaway_environment():
        setup_django()
        figures = run()
    path = write_json("opportunity_import.json", figures)
    print(json.dumps(figures, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    verdict = "within" if figures["seconds"] < TARGET_SECONDS else "OVER"
    print(f"{figures['rows']:,} rows in {figures['seconds']} s: {verdict} the {TARGET_SECONDS} s")


if __name__ == "__main__":
    main()

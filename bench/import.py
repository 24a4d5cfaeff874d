"""Benchmark: import a 10,000-row LinkedIn connections export into a network of 3,000.

Runs against a throwaway SQLite database in a temporary directory (never var/), through the
same services the import pages use: parse and preview, then confirm. Writes its figures to
bench/out/import.json. Target: under 10 seconds.

    make bench-import
"""

from __future__ import annotations

import csv
import io
import json
import random
import time
import unicodedata

from common import ROOT, setup_django, throwaway_environment, write_json

EXISTING = 3_000
ROWS = 10_000
OVERLAP_BY_EMAIL = 600
OVERLAP_BY_NAME = 400
REPEATED_IN_FILE = 100
TARGET_SECONDS = 10.0

FIRST = ["Dana", "Sam", "Kim", "José", "Priya", "Liam", "Ana", "Noah", "Mei", "Omar", "Zoë"]
LAST = ["Whitfield", "Lee", "Osei", "Núñez", "Patel", "Murphy", "Silva", "Kim", "Chen", "Haddad"]
COMPANIES = [f"Company {n}" for n in range(1, 1_500)]
TITLES = ["Director of Operations", "Recruiter", "VP Sales", "Engineer", "Analyst", "CFO"]


def ascii_slug(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def person(rng: random.Random, n: int) -> dict[str, str]:
    first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{n}"
    slug = f"{ascii_slug(first)}.{ascii_slug(last)}"
    return {
        "first": first,
        "last": last,
        "email": f"{slug}@example.test" if rng.random() < 0.6 else "",
        "company": rng.choice(COMPANIES),
        "title": rng.choice(TITLES),
        "url": f"https://www.linkedin.com/in/{slug.replace('.', '-')}",
    }


def seed_network(owner, rng: random.Random) -> list[dict[str, str]]:
    from careertips.network.models import Contact, Organization

    Organization.objects.bulk_create(
        [Organization(owner=owner, name=name) for name in COMPANIES], batch_size=500
    )
    orgs = {o.name: o for o in Organization.objects.filter(owner=owner)}
    people = [person(rng, n) for n in range(EXISTING)]
    for p in people:
        p["email"] = p["email"] or f"{ascii_slug(p['last'])}@known.test"
    Contact.objects.bulk_create(
        [
            Contact(
                owner=owner,
                name=f"{p['first']} {p['last']}",
                email=p["email"],
                organization=orgs[p["company"]],
                title=p["title"],
            )
            for p in people
        ],
        batch_size=500,
    )
    return people


def linkedin_export(rng: random.Random, existing: list[dict[str, str]]) -> bytes:
    known = rng.sample(existing, OVERLAP_BY_EMAIL + OVERLAP_BY_NAME)
    # Same person by email (another spelling of the name), then by name at the same company.
    rows = [
        {**p, "last": p["last"] + "x", "email": p["email"].upper()}
        for p in known[:OVERLAP_BY_EMAIL]
    ]
    rows += [{**p, "email": ""} for p in known[OVERLAP_BY_EMAIL:]]
    fresh = ROWS - len(rows) - REPEATED_IN_FILE
    rows += [person(rng, EXISTING + n) for n in range(fresh)]
    rows += [dict(r) for r in rng.sample(rows[len(known) :], REPEATED_IN_FILE)]
    rng.shuffle(rows)
    buffer = io.StringIO()
    buffer.write('Notes:\r\n"Some email addresses may be missing."\r\n\r\n')
    writer = csv.writer(buffer)
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for r in rows:
        writer.writerow([r["first"], r["last"], r["url"], r["email"], r["company"], r["title"],
                         "14 Mar 2024"])  # fmt: skip
    return buffer.getvalue().encode()


def run() -> dict[str, float | int]:
    from careertips.core.testing import make_user
    from careertips.network.importers import apply_import, preview_import, summarize
    from careertips.network.models import Contact

    rng = random.Random(20260310)
    owner = make_user("bench@example.test")
    existing = seed_network(owner, rng)
    data = linkedin_export(rng, existing)

    started = time.perf_counter()
    batch = preview_import(owner=owner, data=data, filename="Connections.csv")
    previewed = time.perf_counter()
    counts = summarize(batch.rows)
    batch = apply_import(batch=batch)
    seconds = time.perf_counter() - started
    return {
        "rows": len(batch.rows),
        "seconds": round(seconds, 3),
        "rows_per_s": round(len(batch.rows) / seconds, 1),
        "duplicates_flagged": counts["duplicate"],
        "preview_seconds": round(previewed - started, 3),
        "confirm_seconds": round(seconds - (previewed - started), 3),
        "created": batch.created_count,
        "updated": batch.updated_count,
        "skipped": batch.skipped_count,
        "contacts_after": Contact.objects.filter(owner=owner).count(),
        "target_seconds": TARGET_SECONDS,
    }


def main() -> None:
    # A temporary SQLite database and var/ folder: var/careertips.sqlite3 is never touched.
    with throwaway_environment():
        setup_django()
        figures = run()
    path = write_json("import.json", figures)
    print(json.dumps(figures, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    verdict = "within" if figures["seconds"] < TARGET_SECONDS else "OVER"
    print(f"{figures['rows']:,} rows in {figures['seconds']} s: {verdict} the {TARGET_SECONDS} s")


if __name__ == "__main__":
    main()

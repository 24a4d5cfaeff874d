"""Story suggestions for a whole posting: 40 requirements against a bank of 500 stories.

Runs on its own throwaway database (a temporary SQLite file, or BENCH_DATABASE_URL for a
scratch PostgreSQL database), never on var/. Writes bench/out/suggest.json with the timing of
ranking every requirement of the posting (one full-text query) and of the whole coverage report
(suggestions, coverage and flagged gaps) as the page builds it. Target: p95 under 300 ms.

    make bench-suggest            # or: .venv/bin/python bench/suggest.py --runs 30
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "suggest.json"

VERBS = [
    "Cut",
    "Grew",
    "Rebuilt",
    "Launched",
    "Negotiated",
    "Automated",
    "Hired",
    "Rescued",
    "Consolidated",
    "Standardised",
    "Migrated",
    "Coached",
    "Reorganised",
    "Piloted",
]
OBJECTS = [
    "vendor contracts",
    "the onboarding process",
    "a regional sales team",
    "the budget",
    "month-end close",
    "the support queue",
    "warehouse operations",
    "a data platform",
    "customer renewals",
    "the hiring pipeline",
    "a product launch",
    "safety audits",
    "the P&L",
    "stakeholder reporting",
    "supplier quality",
    "the forecasting model",
]
DETAILS = [
    "across three sites",
    "with a team of 12",
    "under a hard deadline",
    "after a merger",
    "with no extra headcount",
    "for the executive board",
    "in two languages",
    "while cutting overtime",
    "during peak season",
    "with an outside agency",
]
REQUIREMENTS = [
    "Experience with budget ownership for a P&L",
    "Ability to lead cross-functional teams",
    "Vendor negotiation and contract management",
    "Hiring and coaching managers",
    "Process improvement with Lean or Six Sigma",
    "Stakeholder reporting to executives",
    "Forecasting and data analysis in SQL",
    "Change management after a merger",
    "Customer renewals and retention",
    "Warehouse and logistics operations",
]


def _setup_django(scratch: Path) -> None:
    os.environ["CAREERTIPS_VAR_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careertips.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _build(stories: int, requirements: int):  # -> (owner, opportunity)
    from careertips.core.models import User
    from careertips.network.models import Organization
    from careertips.pipeline.services import create_opportunity
    from careertips.stories import services
    from careertips.stories.models import Competency

    rng = random.Random(42)
    owner = User.objects.create_user(email="bench@example.com", password=None)
    competencies = list(Competency.objects.filter(owner__isnull=True))
    for n in range(stories):
        verb, thing, detail = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(DETAILS)
        services.create_story(
            owner=owner,
            title=f"{verb} {thing}",
            challenge=f"{thing.capitalize()} was slipping {detail}.",
            action=f"{verb} {thing} {detail}; {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}.",
            result=f"Saved ${rng.randint(50, 900)}k and {rng.randint(5, 60)}% time (#{n}).",
            competencies=rng.sample(competencies, 2),
            organization_name=rng.choice(["Northwind", "Globex", "Initech"]),
            year=rng.randint(2010, 2025),
        )
    org = Organization.objects.create(owner=owner, name="Benchmark Corp")
    opportunity = create_opportunity(owner=owner, organization=org, title="Operations Director")
    # Distinct lines, so none is dropped as a duplicate of another.
    posting = "\n".join(
        f"- {REQUIREMENTS[i % len(REQUIREMENTS)]} {DETAILS[i // len(REQUIREMENTS) % len(DETAILS)]}"
        for i in range(requirements)
    )
    services.add_requirements_from_posting(opportunity=opportunity, posting=posting)
    return owner, opportunity


def _time(fn, runs: int) -> list[float]:
    fn()  # warm caches and the statement cache once, as a running server would be
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--requirements", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="careertips-bench-") as scratch:
        _setup_django(Path(scratch))
        from django.db import connection

        from careertips.stories import reports

        owner, opportunity = _build(args.stories, args.requirements)
        requirements = list(opportunity.requirements.all())
        texts = {r.pk: r.text for r in requirements}
        suggest = _time(lambda: reports.rank_stories(owner=owner, texts=texts, limit=3), args.runs)
        report = _time(lambda: reports.coverage_report(opportunity=opportunity), args.runs)
        figures = {
            "requirements": len(requirements),
            "stories": args.stories,
            "runs": args.runs,
            "database": connection.vendor,
            "p50_ms": round(statistics.median(suggest), 2),
            "p95_ms": round(_percentile(suggest, 95), 2),
            "coverage_report_p50_ms": round(statistics.median(report), 2),
            "coverage_report_p95_ms": round(_percentile(report, 95), 2),
            "target_p95_ms": 300,
        }
        connection.close()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

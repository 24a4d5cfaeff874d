"""A tailored résumé for a 40-requirement posting from a bank of 500 stories in 8 positions,
then its DOCX and PDF exports.

Runs on its own throwaway database (a temporary SQLite file; --pg for a throwaway PostgreSQL
cluster), never on var/. Tailoring is the whole service as the button runs it: ranking every
story against every requirement, ordering bullets, summary and skills, and writing the
version. Writes bench/out/resume.json. Targets: tailoring p95 under 300 ms, a PDF under 1.5 s.

    make bench-resume            # or: .venv/bin/python bench/resume.py --runs 30
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time

from common import setup_django, throwaway_environment, write_json
from suggest import DETAILS, OBJECTS, REQUIREMENTS, VERBS

POSITIONS = 8


def _build(stories: int, requirements: int):  # -> (owner, opportunity)
    from careertips.core.models import User
    from careertips.network.models import Organization
    from careertips.pipeline.services import create_opportunity
    from careertips.resumes import services as resumes
    from careertips.resumes.models import Profile
    from careertips.stories import services

    rng = random.Random(42)
    owner = User.objects.create_user(email="bench@example.com", password=None)
    Profile.objects.create(
        owner=owner,
        name="Bench Member",
        headline="Operations director",
        summary="I run operations. I negotiate with vendors. I hire and coach managers.",
        skills="\n".join(o.capitalize() for o in OBJECTS),
    )
    positions = [
        resumes.create_position(
            owner=owner,
            employer=f"Employer {n}",
            title=f"Operations role {n}",
            started_on=dt.date(2010 + 2 * n, 1, 1),
            ended_on=dt.date(2011 + 2 * n, 12, 31),
        )
        for n in range(POSITIONS)
    ]
    for n in range(stories):
        verb, thing, detail = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(DETAILS)
        story = services.create_story(
            owner=owner,
            title=f"{verb} {thing}",
            challenge=f"{thing.capitalize()} was slipping {detail}.",
            action=f"{verb} {thing} {detail}; {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}.",
            result=f"Saved ${rng.randint(50, 900)}k and {rng.randint(5, 60)}% time (#{n}).",
        )
        text = resumes.suggested_bullet(story)
        resumes.save_bullet(story=story, text=text, position=positions[n % POSITIONS])
    org = Organization.objects.create(owner=owner, name="Benchmark Corp")
    opportunity = create_opportunity(owner=owner, organization=org, title="Operations Director")
    posting = "\n".join(
        f"- {REQUIREMENTS[i % len(REQUIREMENTS)]} {DETAILS[i // len(REQUIREMENTS) % len(DETAILS)]}"
        for i in range(requirements)
    )
    services.add_requirements_from_posting(opportunity=opportunity, posting=posting)
    return owner, opportunity


def _time(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per run. SQLite and WeasyPrint run in this process, so
    CPU time is the cost of the work itself; on a busy machine wall-clock time is far longer."""
    fn()  # warm caches (and WeasyPrint's fonts) once, as a running server would be
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[94], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pdf-runs", type=int, default=10)
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--requirements", type=int, default=40)
    parser.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    with throwaway_environment(pg=args.pg):
        setup_django()
        from django.db import connection

        from careertips.resumes import exports, services, tailoring

        owner, opportunity = _build(args.stories, args.requirements)

        def tailor():
            return services.tailor_resume(owner=owner, opportunity=opportunity)

        tailor_ms, tailor_cpu = _time(tailor, args.runs)
        version = tailor()
        check_ms, _ = _time(lambda: tailoring.coverage_check(version=version), args.runs)
        docx_ms, docx_cpu = _time(
            lambda: exports.export_resume(version, fmt="docx", template="classic"), args.runs
        )
        pdf_ms, pdf_cpu = _time(
            lambda: exports.export_resume(version, fmt="pdf", template="modern"), args.pdf_runs
        )
        figures = {
            "stories": args.stories,
            "positions": POSITIONS,
            "requirements": opportunity.requirements.count(),
            "visible_bullets": version.bullets.filter(hidden=False).count(),
            "runs": args.runs,
            "pdf_runs": args.pdf_runs,
            "database": connection.vendor,
            "tailor_p50_ms": round(statistics.median(tailor_ms), 1),
            "tailor_p95_ms": _p95(tailor_ms),
            "coverage_check_p95_ms": _p95(check_ms),
            "docx_p95_ms": _p95(docx_ms),
            "pdf_p95_ms": _p95(pdf_ms),
            "tailor_cpu_p95_ms": _p95(tailor_cpu),
            "docx_cpu_p95_ms": _p95(docx_cpu),
            "pdf_cpu_p95_ms": _p95(pdf_cpu),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "cpus": os.cpu_count(),
            "target_tailor_p95_ms": 300,
            "target_pdf_p95_ms": 1500,
        }
        connection.close()
    path = write_json("resume.json", figures)
    print(path.read_text())


if __name__ == "__main__":
    main()

"""Benchmark: the contact page for a member with 3,000 contacts, 20,000 touchpoints, 200 events.

Renders /network/contacts/<pk>/ through Django's full request stack (middleware, templates)
against a throwaway SQLite database in a temporary directory, and writes p50/p95 timings and
the query count to bench/out/contact_page.json. Target: p95 at most 100 ms.

    make bench-contact-page
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import random
import statistics
import time
from typing import Any

from common import ROOT, setup_django, throwaway_environment, write_json

CONTACTS, TOUCHPOINTS, EVENTS = 3_000, 20_000, 200
REQUESTS = 200
TARGET_P95_MS = 100.0

# The import benchmark already knows how to seed a network.
_spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import.py")
assert _spec and _spec.loader
bench_import = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_import)


def seed(owner, rng: random.Random) -> list[int]:
    from django.utils import timezone

    from careertips.network.models import Contact, Event, EventAttendance, Touchpoint

    bench_import.seed_network(owner, rng)
    contacts = list(Contact.objects.filter(owner=owner).values_list("pk", flat=True))[:CONTACTS]
    now = timezone.now()
    events = Event.objects.bulk_create(
        [
            Event(owner=owner, name=f"Event {n}", starts_at=now + dt.timedelta(days=n - 150))
            for n in range(EVENTS)
        ]
    )
    kinds = [k for k, _ in Touchpoint.Kind.choices]
    today = timezone.localdate()
    Touchpoint.objects.bulk_create(
        [
            Touchpoint(
                owner=owner,
                contact_id=rng.choice(contacts),
                kind=rng.choice(kinds),
                happened_on=today - dt.timedelta(days=rng.randrange(1, 1500)),
                note="Talked about the reorg and Q3 hiring",
                event=rng.choice(events) if rng.random() < 0.2 else None,
            )
            for _ in range(TOUCHPOINTS)
        ],
        batch_size=1000,
    )
    attendances = {(rng.choice(events).pk, rng.choice(contacts)) for _ in range(EVENTS * 10)}
    EventAttendance.objects.bulk_create(
        [EventAttendance(event_id=e, contact_id=c) for e, c in attendances], batch_size=1000
    )
    return contacts


def measure(owner, contacts: list[int], rng: random.Random) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(owner)
    timings, cpu, queries = [], [], set()
    for _ in range(REQUESTS):
        pk = rng.choice(contacts)
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/network/contacts/{pk}/")
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
        queries.add(len(captured))
    timings.sort()
    cpu.sort()
    return {
        "contacts": CONTACTS,
        "touchpoints": TOUCHPOINTS,
        "events": EVENTS,
        "requests": REQUESTS,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
        # CPU time of this process alone: what the page costs when the machine is busy.
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(cpu[int(len(cpu) * 0.95) - 1], 1),
        "queries_per_page": sorted(queries),
        "target_p95_ms": TARGET_P95_MS,
    }


def main() -> None:
    with throwaway_environment():
        setup_django(serve_pages=True)
        from careertips.core.testing import make_user

        rng = random.Random(20260311)
        owner = make_user("bench@example.test")
        contacts = seed(owner, rng)
        figures = measure(owner, contacts, rng)
    path = write_json("contact_page.json", figures)
    print(json.dumps(figures, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    verdict = "within" if figures["p95_ms"] <= TARGET_P95_MS else "OVER"
    print(f"p95 {figures['p95_ms']} ms: {verdict} the {TARGET_P95_MS} ms target")


if __name__ == "__main__":
    main()

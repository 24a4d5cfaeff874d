"""The benchmarked pages and a seeded database to render them from, shared by bench/web.py,
bench/profile_page.py and bench/snapshot.py.

`seeded_database()` points this process at a database holding the large account
(bench/seed.py) and the public site. On SQLite the database is kept in .cache/bench-pages/
and reused by later runs (`fresh=True` seeds it again); with `pg=True` it is a throwaway
PostgreSQL cluster, seeded each time. Call it before anything imports Django models.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import HOST, ROOT, setup_django, throwaway_environment

CACHE = ROOT / ".cache" / "bench-pages"
MEMBER_EMAIL = "bench@example.com"


@dataclass
class Page:
    name: str
    path: Callable[[dict[str, int]], str]
    anonymous: bool = False


PAGES = [
    Page("today", lambda ids: "/today/"),
    Page("board", lambda ids: "/opportunities/board/"),
    Page("opportunity_list", lambda ids: "/opportunities/"),
    Page("opportunity", lambda ids: f"/opportunities/{ids['opportunity']}/"),
    Page("new_opportunity", lambda ids: "/opportunities/new/"),
    Page("edit_opportunity", lambda ids: f"/opportunities/{ids['opportunity']}/edit/"),
    Page("contact", lambda ids: f"/network/contacts/{ids['contact']}/"),
    Page("insights", lambda ids: "/insights/"),
    Page("debrief_list", lambda ids: "/debriefs/"),
    Page("debrief", lambda ids: f"/debriefs/{ids['debrief']}/"),
    Page("story_bank", lambda ids: "/stories/"),
    Page("coverage", lambda ids: f"/stories/coverage/{ids['coverage']}/"),
    Page("offer_compare", lambda ids: "/opportunities/offers/compare/"),
    Page("home", lambda ids: "/", anonymous=True),
    Page("newsletter_archive", lambda ids: "/newsletter/", anonymous=True),
]
PAGE_NAMES = [page.name for page in PAGES]


def pages_named(names: list[str]) -> list[Page]:
    unknown = set(names) - set(PAGE_NAMES)
    if unknown:
        raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}; known: {PAGE_NAMES}")
    return [page for page in PAGES if page.name in names]


@dataclass
class Seeded:
    member: Any
    ids: dict[str, int]
    session: str
    seeded_at: dt.datetime


@contextlib.contextmanager
def seeded_database(*, pg: bool = False, fresh: bool = False) -> Iterator[Seeded]:
    if pg:
        with throwaway_environment(pg=True):
            setup_django(serve_pages=True)
            yield seed()
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    database = CACHE / "pages.sqlite3"
    if fresh:
        for stale in CACHE.glob("pages.sqlite3*"):
            stale.unlink()
    key = CACHE / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(50))
    os.environ.update(
        {
            "CAREERTIPS_VAR_DIR": str(CACHE),
            "SECRET_KEY": key.read_text(),
            "DEBUG": "false",
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "DJANGO_SETTINGS_MODULE": "careertips.settings",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"sqlite:///{database}",
        }
    )
    setup_django(serve_pages=True)
    seeded = _reuse() or seed()
    _gather_statistics()
    yield seeded


def seed() -> Seeded:
    """Seeds the large account and the public site into the current database."""
    from seed import seed_large_account, seed_public_site

    print("seeding the large account…", file=sys.stderr)
    member = seed_large_account(email=MEMBER_EMAIL)
    seed_public_site()
    _gather_statistics()
    seeded = _describe(member)
    if os.environ["DATABASE_URL"] == f"sqlite:///{sqlite_path()}":
        state = {"ids": seeded.ids, "seeded_at": seeded.seeded_at.isoformat()}
        (CACHE / "seeded.json").write_text(json.dumps(state))
    return seeded


def _gather_statistics() -> None:
    """What the workers' upkeep does when a server starts (core/db/statistics.py): without the
    query planner's statistics SQLite guesses its plans."""
    from careertips.core.db.statistics import refresh_statistics

    refresh_statistics()


def _reuse() -> Seeded | None:
    from careertips.core.models import User
    from careertips.core.testing import make_session

    state_file = CACHE / "seeded.json"
    member = User.objects.filter(email=MEMBER_EMAIL).first()
    if member is None or not state_file.exists():
        return None
    state = json.loads(state_file.read_text())
    seeded_at = dt.datetime.fromisoformat(state["seeded_at"])
    return Seeded(member, state["ids"], make_session(member), seeded_at)


def _describe(member: Any) -> Seeded:
    from django.db.models import Count
    from django.utils import timezone

    from careertips.core.testing import make_session
    from careertips.debriefs.models import Debrief
    from careertips.network.models import Contact
    from careertips.pipeline.models import Opportunity, Stage
    from careertips.stories.models import Requirement

    # The busiest rows: a rejected opportunity with a debrief, a hiring manager's contact.
    opportunity = Opportunity.objects.filter(
        owner=member, stage=Stage.TURNED_DOWN, hiring_manager__isnull=False
    ).first()
    # The hiring manager with the longest history: the heaviest contact page there is.
    contact = (
        Contact.objects.filter(owner=member, managed_opportunities__isnull=False)
        .annotate(touches=Count("touchpoints", distinct=True))
        .order_by("-touches")
        .first()
    )
    debrief = (
        Debrief.objects.filter(owner=member, status=Debrief.Status.OPEN, themes__isnull=False)
        .order_by("pk")
        .first()
    )
    coverage = Requirement.objects.filter(opportunity__owner=member).first()
    ids = {
        "opportunity": opportunity.pk,  # type: ignore[union-attr]
        "contact": contact.pk,  # type: ignore[union-attr]
        "debrief": debrief.pk,  # type: ignore[union-attr]
        "coverage": coverage.opportunity_id,  # type: ignore[union-attr]
    }
    return Seeded(member, ids, make_session(member), timezone.now())


def render(client: Any, path: str) -> Any:
    """One GET through the test client, the page cache bypassed (no CSRF cookie is sent)."""
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return response


def client_for(page: Page, seeded: Seeded) -> Any:
    from django.conf import settings
    from django.test import Client

    client = Client()
    if not page.anonymous:
        client.cookies[settings.SESSION_COOKIE_NAME] = seeded.session
    return client


def sqlite_path() -> Path:
    return CACHE / "pages.sqlite3"


def profile_top(run: Any, n: int, top: int) -> str:
    """cProfile's top lists, by cumulative and by own time, for `run()` called `n` times."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        run()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    out.write("\n-- by own time --\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()

"""Today: everything due from every app, grouped into overdue, today and the coming week."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from careertips.agenda.services import ranked
from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import OVERDUE, SOON, TODAY, Item
from careertips.agenda.services.sources import (
    EXPANDED_LIMIT,
    GROUP_LIMIT,
    Context,
    Key,
    Source,
    sources,
)
from careertips.core.models import User

GROUPS = [(OVERDUE, "overdue", "Overdue"), (TODAY, "today", "Today"), (SOON, "soon", "Coming up")]


@dataclass
class Group:
    slug: str
    title: str
    items: list[Item]
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass
class Agenda:
    today: dt.date
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def due_now(self) -> int:
        """Overdue and due today: what the digest and the page title count."""
        return sum(group.total for group in self.groups if group.slug != "soon")

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]

    def group(self, slug: str) -> Group:
        return next(group for group in self.groups if group.slug == slug)


def build_agenda(
    *,
    owner: User,
    clock: Clock | None = None,
    limit: int | None = None,
    expand: str = "",
) -> Agenda:
    """Everything due for `owner`: the first `limit` items of each group (more of the group
    named by `expand`), and how many each group holds in all."""
    ctx = Context.make(owner, clock or Clock.for_user(owner))
    limits = {
        bucket: EXPANDED_LIMIT if slug == expand else (limit or GROUP_LIMIT)
        for bucket, slug, _ in GROUPS
    }
    by_kind = {source.kind: source for source in sources(ctx)}
    candidates: dict[int, list[Key]] = defaultdict(list)
    totals: Counter[int] = Counter()
    # Every source ranked in one statement: a round trip, and on PostgreSQL a statement's
    # fixed cost, rather than one per kind.
    limit_each = max(limits.values())
    statements = {
        source.kind: statement
        for source in by_kind.values()
        if (statement := source.ranking(limit_each, ctx)) is not None
    }
    for kind, rows in ranked.run_all(statements).items():
        keys, counts = by_kind[kind].keys(rows, limits)
        for key in keys:
            candidates[key.bucket].append(key)
        totals.update(counts)
    chosen = {
        bucket: sorted(keys, key=Key.sort_key)[: limits[bucket]]
        for bucket, keys in candidates.items()
    }
    loaded = _load(chosen, by_kind)
    groups = [
        Group(
            slug=slug,
            title=title,
            items=[loaded[k.key] for k in chosen.get(bucket, []) if k.key in loaded],
            total=totals[bucket],
        )
        for bucket, slug, title in GROUPS
    ]
    return Agenda(today=ctx.today, groups=groups)


def _load(chosen: dict[int, list[Key]], by_kind: dict[str, Source]) -> dict[str, Item]:
    """Only the rows that made it onto the page are read in full: one query per kind."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for keys in chosen.values():
        for key in keys:
            wanted[key.kind].append(key.pk)
    loaded: dict[str, Item] = {}
    for kind, pks in wanted.items():
        loaded.update((item.key, item) for item in by_kind[kind].load(pks))
    return loaded

"""Today: everything due from every app, grouped into overdue, today and the coming week."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import OVERDUE, SOON, TODAY, Item
from careertips.agenda.services.sources import (
    GROUP_LIMIT,
    Context,
    Key,
    debrief_items,
    snoozed_keys,
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


def build_agenda(*, owner: User, clock: Clock | None = None, limit: int | None = None) -> Agenda:
    """Everything due for `owner`: the first `limit` items of each group, and every count."""
    limit = limit or GROUP_LIMIT
    ctx = Context.make(owner, clock or Clock.for_user(owner))
    loaded: dict[str, Item] = {}
    candidates: dict[int, list[Key | Item]] = defaultdict(list)
    totals: Counter[int] = Counter()
    for item in debrief_items(ctx, snoozed_keys(owner, ctx.today)):
        loaded[item.key] = item
        candidates[item.bucket(ctx.today)].append(item)
        totals[item.bucket(ctx.today)] += 1
    by_kind = {source.kind: source for source in sources(ctx)}
    for source in by_kind.values():
        keys, counts = source.keys(limit)
        for key in keys:
            candidates[key.bucket].append(key)
        totals.update(counts)
    chosen = {
        bucket: sorted(found, key=lambda c: c.sort_key())[:limit]
        for bucket, found in candidates.items()
    }
    # Only the rows that made it onto the page are read in full: one query per kind.
    wanted: dict[str, list[int]] = defaultdict(list)
    for key in (c for found in chosen.values() for c in found if isinstance(c, Key)):
        wanted[key.kind].append(key.pk)
    for kind, pks in wanted.items():
        loaded.update((item.key, item) for item in by_kind[kind].load(pks))
    return Agenda(
        today=ctx.today,
        groups=[
            Group(
                slug=slug,
                title=title,
                items=[loaded[k] for c in chosen.get(bucket, []) if (k := _key(c)) in loaded],
                total=totals[bucket],
            )
            for bucket, slug, title in GROUPS
        ],
    )


def _key(candidate: Key | Item) -> str:
    if isinstance(candidate, Key):
        return f"{candidate.kind}:{candidate.pk}"
    return candidate.key

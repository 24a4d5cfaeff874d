from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import connection

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class StoryDocument:
    """What the index knows of a story: weighted title, tags (competencies, where), body."""

    story_id: int
    owner_id: int
    title: str
    tags: str
    body: str


class SearchBackend(Protocol):
    def index_story(self, doc: StoryDocument) -> None: ...

    def unindex_stories(self, story_ids: Sequence[int]) -> None: ...

    def index_requirements(self, rows: Sequence[tuple[int, int, str]]) -> None:
        """Rows are (requirement id, opportunity id, text)."""

    def unindex_requirements(self, requirement_ids: Sequence[int]) -> None: ...

    def clear(self) -> None: ...

    def rank_stories(
        self,
        *,
        owner_id: int,
        queries: Mapping[K, Sequence[str]],
        limit: int,
        match_all: bool = False,
    ) -> dict[K, list[int]]:
        """For each query (a list of terms), the owner's best stories, best first."""
        ...

    def match_requirements(
        self, *, opportunity_id: int, queries: Mapping[K, Sequence[str]]
    ) -> dict[K, list[int]]:
        """For each query, the opportunity's requirements containing every term."""
        ...


# Helpers both backends share: the index tables have the same names in either engine.


def query_keys[Key: Hashable](queries: Mapping[Key, Sequence[str]]) -> list[Key]:
    """The keys of the queries that have terms; a statement's row k stands for keys[k]."""
    return [key for key, terms in queries.items() if terms]


def fetch_grouped[Key: Hashable](
    sql: str, params: list[Any], keys: list[Key]
) -> dict[Key, list[int]]:
    """Runs `sql`, whose rows are (query index, id), and groups the ids by query key."""
    found: dict[Key, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for index, pk in cursor.fetchall():
            found[keys[index]].append(pk)
    return dict(found)


def clear_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM stories_story_fts")
        cursor.execute("DELETE FROM stories_requirement_fts")

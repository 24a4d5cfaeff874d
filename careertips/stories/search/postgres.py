"""PostgreSQL: tsvector tables `stories_story_fts` and `stories_requirement_fts` (GIN indexed),
ranked with ts_rank() using the 'english' configuration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection

from careertips.stories.search.base import (
    K,
    StoryDocument,
    clear_index,
    fetch_grouped,
    query_keys,
)

CONFIG = "english"
# Title weighs most (A), then competencies and where it happened (B), then the story (C).
STORY_VECTOR = (
    f"setweight(to_tsvector('{CONFIG}', %s), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', %s), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', %s), 'C')"
)

UPSERT_STORY = (
    "INSERT INTO stories_story_fts (story_id, owner_id, document) "  # noqa: S608 -- constants
    f"VALUES (%s, %s, {STORY_VECTOR}) "
    "ON CONFLICT (story_id) DO UPDATE "
    "SET owner_id = EXCLUDED.owner_id, document = EXCLUDED.document"
)
UPSERT_REQUIREMENT = (
    "INSERT INTO stories_requirement_fts (requirement_id, opportunity_id, document) "  # noqa: S608
    f"VALUES (%s, %s, to_tsvector('{CONFIG}', %s)) "
    "ON CONFLICT (requirement_id) DO UPDATE "
    "SET opportunity_id = EXCLUDED.opportunity_id, document = EXCLUDED.document"
)


def _tsquery(terms: Sequence[str], *, match_all: bool) -> str:
    # Terms are letters and digits only (see terms.py): no tsquery operators can slip in.
    return (" & " if match_all else " | ").join(terms)


def _values(queries: Sequence[str]) -> tuple[str, list[Any]]:
    rows = ", ".join([f"(%s::int, to_tsquery('{CONFIG}', %s))"] * len(queries))
    params: list[Any] = []
    for index, query in enumerate(queries):
        params += [index, query]
    return rows, params


class PostgresBackend:
    def index_story(self, doc: StoryDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                UPSERT_STORY, [doc.story_id, doc.owner_id, doc.title, doc.tags, doc.body]
            )

    def unindex_stories(self, story_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM stories_story_fts WHERE story_id = ANY(%s)", [list(story_ids)]
            )

    def index_requirements(self, rows: Sequence[tuple[int, int, str]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(UPSERT_REQUIREMENT, [list(row) for row in rows])

    def unindex_requirements(self, requirement_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM stories_requirement_fts WHERE requirement_id = ANY(%s)",
                [list(requirement_ids)],
            )

    def clear(self) -> None:
        clear_index()

    def rank_stories(
        self,
        *,
        owner_id: int,
        queries: Mapping[K, Sequence[str]],
        limit: int,
        match_all: bool = False,
    ) -> dict[K, list[int]]:
        keys = query_keys(queries)
        if not keys:
            return {}
        rows, params = _values([_tsquery(queries[k], match_all=match_all) for k in keys])
        # One statement for every query; the window keeps the best `limit` per query.
        sql = f"""
            WITH q(k, query) AS (VALUES {rows})
            SELECT k, story_id FROM (
                SELECT q.k, f.story_id, ROW_NUMBER() OVER (
                    PARTITION BY q.k ORDER BY ts_rank(f.document, q.query) DESC, f.story_id
                ) AS n
                FROM q
                JOIN stories_story_fts f ON f.document @@ q.query
                JOIN stories_story s ON s.id = f.story_id
                WHERE f.owner_id = %s
            ) ranked WHERE n <= %s ORDER BY k, n
        """  # noqa: S608 -- only placeholders and constants are interpolated
        return fetch_grouped(sql, [*params, owner_id, limit], keys)

    def match_requirements(
        self, *, opportunity_id: int, queries: Mapping[K, Sequence[str]]
    ) -> dict[K, list[int]]:
        keys = query_keys(queries)
        if not keys:
            return {}
        rows, params = _values([_tsquery(queries[k], match_all=True) for k in keys])
        sql = f"""
            WITH q(k, query) AS (VALUES {rows})
            SELECT q.k, f.requirement_id FROM q
            JOIN stories_requirement_fts f ON f.document @@ q.query
            JOIN stories_requirement r ON r.id = f.requirement_id
            WHERE f.opportunity_id = %s
            ORDER BY q.k, r.position, r.id
        """  # noqa: S608 -- only placeholders are interpolated
        return fetch_grouped(sql, [*params, opportunity_id], keys)

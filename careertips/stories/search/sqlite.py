"""SQLite FTS5: `stories_story_fts` and `stories_requirement_fts`, ranked with bm25()."""

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

# bm25() weights per column of stories_story_fts: owner, title, body, tags. The owner column
# only scopes a query to one member, so it must not count towards relevance.
STORY_WEIGHTS = "0.0, 4.0, 1.0, 2.0"


def _quoted(terms: Sequence[str]) -> list[str]:
    # Terms are letters and digits only (see terms.py), so quoting cannot be escaped.
    return [f'"{term}"' for term in terms]


def _match(scope: str, terms: Sequence[str], *, match_all: bool) -> str:
    joined = (" AND " if match_all else " OR ").join(_quoted(terms))
    return f"{scope} AND ({joined})"


class SqliteBackend:
    def index_story(self, doc: StoryDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM stories_story_fts WHERE rowid = %s", [doc.story_id])
            cursor.execute(
                "INSERT INTO stories_story_fts (rowid, owner, title, body, tags) "
                "VALUES (%s, %s, %s, %s, %s)",
                [doc.story_id, f"u{doc.owner_id}", doc.title, doc.body, doc.tags],
            )

    def unindex_stories(self, story_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM stories_story_fts WHERE rowid = %s", [[pk] for pk in story_ids]
            )

    def index_requirements(self, rows: Sequence[tuple[int, int, str]]) -> None:
        self.unindex_requirements([pk for pk, _, _ in rows])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO stories_requirement_fts (rowid, opportunity, text) "
                "VALUES (%s, %s, %s)",
                [[pk, f"o{opportunity_id}", text] for pk, opportunity_id, text in rows],
            )

    def unindex_requirements(self, requirement_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM stories_requirement_fts WHERE rowid = %s",
                [[pk] for pk in requirement_ids],
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
        values = ", ".join(["(%s, %s)"] * len(keys))
        params: list[Any] = []
        for index, key in enumerate(keys):
            params += [index, _match(f'owner:"u{owner_id}"', queries[key], match_all=match_all)]
        # One statement for every query: each row of q is matched and ranked by bm25(), then
        # the window keeps the best `limit` per query. The join drops rows of deleted stories.
        sql = f"""
            WITH q(k, query) AS (VALUES {values})
            SELECT k, story_id FROM (
                SELECT k, story_id, ROW_NUMBER() OVER (
                    PARTITION BY k ORDER BY score, story_id) AS n
                FROM (
                    SELECT q.k AS k, f.rowid AS story_id,
                           bm25(stories_story_fts, {STORY_WEIGHTS}) AS score
                    FROM q JOIN stories_story_fts f ON f.stories_story_fts MATCH q.query
                )
                JOIN stories_story s ON s.id = story_id
            ) WHERE n <= %s ORDER BY k, n
        """  # noqa: S608 -- only placeholders and constants are interpolated
        return fetch_grouped(sql, [*params, limit], keys)

    def match_requirements(
        self, *, opportunity_id: int, queries: Mapping[K, Sequence[str]]
    ) -> dict[K, list[int]]:
        keys = query_keys(queries)
        if not keys:
            return {}
        values = ", ".join(["(%s, %s)"] * len(keys))
        params: list[Any] = []
        for index, key in enumerate(keys):
            scope = f'opportunity:"o{opportunity_id}"'
            params += [index, _match(scope, queries[key], match_all=True)]
        sql = f"""
            WITH q(k, query) AS (VALUES {values})
            SELECT q.k, f.rowid FROM q
            JOIN stories_requirement_fts f ON f.stories_requirement_fts MATCH q.query
            JOIN stories_requirement r ON r.id = f.rowid
            ORDER BY q.k, r.position, r.id
        """  # noqa: S608 -- only placeholders are interpolated
        return fetch_grouped(sql, params, keys)

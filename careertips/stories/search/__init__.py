"""Full-text search over stories and requirements, from the database's own engine.

SQLite uses FTS5 virtual tables ranked with bm25(); PostgreSQL uses tsvector tables with GIN
indexes ranked with ts_rank(). The index tables are created by migration 0003 and kept in sync
by the functions in `careertips.stories.services`; this package only reads and writes them.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from careertips.stories.search.base import SearchBackend
from careertips.stories.search.terms import search_terms

__all__ = ["SearchBackend", "backend", "search_terms"]


def backend() -> SearchBackend:
    if connection.vendor == "sqlite":
        from careertips.stories.search.sqlite import SqliteBackend

        return SqliteBackend()
    if connection.vendor == "postgresql":
        from careertips.stories.search.postgres import PostgresBackend

        return PostgresBackend()
    raise ImproperlyConfigured(f"Story search needs SQLite or PostgreSQL, not {connection.vendor}.")

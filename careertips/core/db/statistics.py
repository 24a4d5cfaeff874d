"""The query planner's statistics. SQLite keeps none until ANALYZE gathers them, and without
them it guesses: for Today's follow-ups it walked every application of the member by date
rather than the few at the "applied" stage, for the offer comparison every offer. The upkeep
task (core.tasks.refresh_statistics) gathers them when the workers start and once a day after;
PostgreSQL's autovacuum does the same on its own, and an ANALYZE there only brings it forward.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

# Rows ANALYZE reads per index on SQLite: enough for the planner, bounded on a large database
# (a sample of a thousand, as SQLite suggests, told it a member owns a thousand rows at most).
ANALYSIS_LIMIT = 10_000


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> str:
    """Gathers the planner's statistics for every table; says what it did."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return f"skipped: no statistics to gather on {connection.vendor}"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return "analyzed"

"""The query planner's statistics are gathered by an upkeep task, on SQLite and PostgreSQL."""

import pytest
from django.apps import apps
from django.db import connection

from careertips.core.db.statistics import refresh_statistics
from careertips.core.tasks import refresh_statistics as refresh_task
from careertips.core.testing import make_user
from careertips.network.tests.helpers import make_contact

pytestmark = pytest.mark.django_db


def _gathered() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1' AND type = 'table'"
            )
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'network_contact'")
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'network_contact'"
                " AND attname = 'owner_id'"
            )
        return int(cursor.fetchone()[0])


def test_it_gathers_what_the_planner_reads_of_each_table():
    owner = make_user("alice@example.com")
    for n in range(30):
        make_contact(owner=owner, name=f"Person {n}")
    if connection.vendor == "sqlite":
        assert _gathered() == 0  # none until ANALYZE runs

    assert refresh_statistics() == "analyzed"

    assert _gathered() > 0  # SQLite: a row per index of the table; PostgreSQL: per column


def test_the_upkeep_task_gathers_them_and_is_started_with_the_workers():
    make_contact(owner=make_user("bob@example.com"))
    assert refresh_task in apps.get_app_config("core").upkeep_tasks()

    refresh_task.enqueue()  # the tests' immediate backend runs it at once

    assert _gathered() > 0

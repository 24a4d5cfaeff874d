"""SQLite writers queue on a file lock for the length of their transaction (core/db/sqlite)."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from django.db import connections, transaction
from django.db.utils import ConnectionHandler


@pytest.fixture(autouse=True)
def _unblocked(django_db_blocker):
    """These connections are the tests' own, outside the test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    """Two connections to one SQLite file, configured as the site's."""
    name = str(tmp_path / "site.sqlite3")
    site = {
        "ENGINE": "careertips.core.db.sqlite",
        "NAME": name,
        "OPTIONS": {"timeout": 3, "transaction_mode": "IMMEDIATE"},
    }
    aliases = ("writers_first", "writers_second")
    # The second gives up on SQLite's own lock after 50 ms: only the queue can make it wait.
    impatient = {**site, "OPTIONS": {**site["OPTIONS"], "timeout": 0.05}}
    configured = ConnectionHandler({"default": site, aliases[0]: site, aliases[1]: impatient})
    configured = configured.settings
    for alias in aliases:
        connections.settings[alias] = configured[alias]
    first, second = (connections[alias] for alias in aliases)
    with first.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    yield name, first, second
    for alias in aliases:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _held(path: str) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_it_holds_the_writers_lock_from_begin_to_commit_or_rollback(database):
    name, connection, _ = database
    queue = f"{name}-writers"
    with transaction.atomic(using=connection.alias):
        connection.cursor().execute("INSERT INTO note (body) VALUES ('a')")
        assert _held(queue)
    assert not _held(queue)
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=connection.alias):
        connection.cursor().execute("INSERT INTO note (body) VALUES ('b')")
        assert _held(queue)
        1 / 0  # noqa: B018
    assert not _held(queue)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM note")
        assert cursor.fetchall() == [("a",)]


def test_it_lets_a_waiting_writer_in_as_soon_as_the_first_commits(database):
    _, first, second = database  # `second` names the alias the other thread connects as
    order: list[str] = []
    started = threading.Event()

    def later_writer() -> None:
        started.set()
        mine = connections[second.alias]  # this thread's own connection
        with transaction.atomic(using=second.alias):
            order.append("second begins")
            mine.cursor().execute("INSERT INTO note (body) VALUES ('second')")
        mine.close()

    with transaction.atomic(using=first.alias):
        first.cursor().execute("INSERT INTO note (body) VALUES ('first')")
        worker = threading.Thread(target=later_writer)
        worker.start()
        started.wait(5)
        time.sleep(0.3)  # far longer than the second writer's SQLite busy timeout
        order.append("first commits")
    worker.join(5)
    assert order == ["first commits", "second begins"]
    with first.cursor() as cursor:
        cursor.execute("SELECT body FROM note ORDER BY id")
        assert cursor.fetchall() == [("first",), ("second",)]


def test_it_leaves_in_memory_databases_without_a_lock_file():
    memory = {"ENGINE": "careertips.core.db.sqlite", "NAME": ":memory:"}
    connection = ConnectionHandler({"default": memory})["default"]
    connection.ensure_connection()
    connection._start_transaction_under_autocommit()
    connection._commit()
    assert connection._queue_fd is None
    connection.close()


def test_it_still_writes_when_the_queue_file_cannot_be_opened(database, caplog):
    name, connection, _ = database
    os.mkdir(f"{name}-writers")  # a folder where the lock file would go: open() fails
    with transaction.atomic(using=connection.alias):
        connection.cursor().execute("INSERT INTO note (body) VALUES ('a')")
    with transaction.atomic(using=connection.alias):
        connection.cursor().execute("INSERT INTO note (body) VALUES ('b')")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM note")
        assert cursor.fetchone() == (2,)
    assert [r.message for r in caplog.records].count(
        f"SQLite writers' queue {name}-writers unavailable: "
        f"[Errno 21] Is a directory: '{name}-writers'"
    ) == 1

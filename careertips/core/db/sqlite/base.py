"""SQLite, with writers queued by the kernel rather than by SQLite's sleeping busy handler."""

from __future__ import annotations

import fcntl
import logging
import os
from typing import Any

from django.db.backends.sqlite3 import base

logger = logging.getLogger(__name__)
NO_QUEUE = -1  # the lock file could not be opened


class DatabaseWrapper(base.DatabaseWrapper):
    """Every transaction takes an exclusive lock on a file next to the database before its
    BEGIN IMMEDIATE, and gives it back after COMMIT or ROLLBACK.

    SQLite lets one writer in at a time. A writer that finds the database locked waits in
    SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25… ms between tries: under
    concurrent writes a waiter keeps sleeping well after the lock is free, and a newcomer can
    take the lock ahead of it. A waiter blocked on flock() is woken the moment the holder lets
    go. The lock belongs to the open file, so the kernel releases it if the process dies.
    Statements outside a transaction (autocommit) don't take it; SQLite's own lock and busy
    timeout still guard them, and every other program that opens the file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue_fd: int | None = None
        self._queue_held = False

    def _queue_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writers"

    def _enter_queue(self) -> None:
        path = self._queue_path()
        if path is None or self._queue_held or self._queue_fd == NO_QUEUE:
            return
        if self._queue_fd is None:
            try:  # flock needs no write access: any user who can read the folder may queue
                self._queue_fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as error:
                # Without the queue, writers still take turns through SQLite's own lock.
                logger.warning("SQLite writers' queue %s unavailable: %s", path, error)
                self._queue_fd = NO_QUEUE
                return
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        self._queue_held = True

    def _leave_queue(self) -> None:
        if self._queue_held and self._queue_fd is not None and self._queue_fd != NO_QUEUE:
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
        self._queue_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._enter_queue()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._leave_queue()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._leave_queue()
            if self._queue_fd is not None and self._queue_fd != NO_QUEUE:
                os.close(self._queue_fd)
                self._queue_fd = None

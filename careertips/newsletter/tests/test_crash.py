"""Crash safety, for real: a sending worker process is killed with SIGKILL mid-send, three
times, and restarted; every recipient still gets the issue, and the duplicates stay within
the documented window, each carrying its delivery's Message-ID."""

import signal
import sqlite3

import pytest
from django.conf import settings
from django.db import connection

from careertips.newsletter.models import Delivery, Issue
from careertips.newsletter.tests.crash_scenario import run_crash_scenario, worker_environment
from careertips.newsletter.tests.sending_factories import sending_issue

RECIPIENTS = 200
KILLS = 3
WINDOW = settings.NEWSLETTER_SEND_MARK_EVERY  # the worker runs with the default


def _database_url(tmp_path) -> str:
    """The test database, reachable from another process."""
    if connection.vendor == "sqlite":
        # The test database lives in memory: hand the worker a copy in a file.
        path = tmp_path / "crash.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    return f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _outcome(url: str, issue_id: int) -> tuple[str, set[str]]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            (status,) = db.execute("SELECT status FROM newsletter_issue WHERE id = ?", [issue_id])
            rows = db.execute(
                "SELECT status FROM newsletter_delivery WHERE issue_id = ?", [issue_id]
            )
            return status[0], {row[0] for row in rows}
    statuses = set(Delivery.objects.filter(issue_id=issue_id).values_list("status", flat=True))
    return Issue.objects.get(pk=issue_id).status, statuses


def _scenario(tmp_path, how: signal.Signals, kills: int = KILLS):
    issue = sending_issue(recipients=RECIPIENTS)
    expected = dict(
        Delivery.objects.filter(issue=issue).values_list("subscriber__email", "message_id")
    )
    url = _database_url(tmp_path)
    env = worker_environment(database_url=url, var_dir=str(tmp_path), mark_every=WINDOW)
    result = run_crash_scenario(
        expected=expected, env=env, kills=kills, window=WINDOW, seed=7, how=how
    )
    return result, _outcome(url, issue.pk)


@pytest.mark.django_db(transaction=True)
def test_it_loses_nobody_when_the_worker_is_killed_mid_send(tmp_path):
    result, outcome = _scenario(tmp_path, signal.SIGKILL)

    assert result.lost == 0, result
    assert result.duplicates <= KILLS * WINDOW, result
    assert result.foreign == 0 and result.mixed_ids == 0, result
    assert outcome == (Issue.Status.SENT, {Delivery.Status.SENT})


@pytest.mark.django_db(transaction=True)
def test_it_sends_nothing_twice_when_the_worker_is_stopped_politely(tmp_path):
    result, outcome = _scenario(tmp_path, signal.SIGTERM, kills=2)

    assert (result.lost, result.duplicates, result.foreign) == (0, 0, 0), result
    assert outcome == (Issue.Status.SENT, {Delivery.Status.SENT})

"""Settings as an operator meets them: production checks, SQLite's concurrency setup, the
generated secret key, CSRF, and the `careertips` console command. Settings are read once per
process, so most of these run Django in a subprocess with the environment under test."""

import os
import secrets
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import Client

BIN = Path(sys.executable).parent
# Variables that would leak the test run's own configuration into the subprocess.
SCRUBBED = {
    "SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST",
    "CAREERTIPS_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND",
}  # fmt: skip


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(DJANGO_SETTINGS_MODULE="careertips.settings", CAREERTIPS_VAR_DIR=str(var_dir))
    env.update(extra)
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    prelude = "import django\ndjango.setup()\n"
    return subprocess.run(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_the_deployment_checks_with_a_production_environment(tmp_path):
    env = _env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        HTTPS="true",
        ALLOWED_HOSTS="example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )

    result = subprocess.run(  # noqa: S603
        [BIN / "careertips", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_it_flags_debug_in_the_deployment_checks(tmp_path):
    # The check above must be able to fail: DEBUG on is reported.
    env = _env(tmp_path, SECRET_KEY=secrets.token_urlsafe(64), DEBUG="true", HTTPS="true")

    result = subprocess.run(  # noqa: S603
        [BIN / "careertips", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_it_runs_sqlite_in_wal_mode_with_a_busy_timeout(tmp_path):
    result = _python(
        """
        from django.db import connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            print(cursor.fetchone()[0])
            cursor.execute("PRAGMA busy_timeout")
            print(cursor.fetchone()[0])
            cursor.execute("PRAGMA foreign_keys")
            print(cursor.fetchone()[0])
        """,
        _env(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "1"]
    assert (tmp_path / "careertips.sqlite3").exists()


def test_it_lets_two_processes_write_to_sqlite_at_once(tmp_path):
    database = tmp_path / "careertips.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE hits (worker TEXT, n INTEGER)")
    writer = """
        import sys
        from django.db import connection, transaction
        for n in range(300):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM hits")
                cursor.execute("INSERT INTO hits VALUES (%s, %s)", [sys.argv[1], n])
        """
    code = "import django\ndjango.setup()\n" + textwrap.dedent(writer)
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", code, name],
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in processes]  # type: ignore[union-attr]

    assert [code for code, _ in outcomes] == [0, 0], outcomes
    with sqlite3.connect(database) as db:
        counts = dict(db.execute("SELECT worker, count(*) FROM hits GROUP BY worker").fetchall())
    assert counts == {"a": 300, "b": 300}


def test_it_generates_and_keeps_a_secret_key_when_none_is_set(tmp_path):
    code = "from django.conf import settings\nprint(settings.SECRET_KEY)"

    first = _python(code, _env(tmp_path))
    second = _python(code, _env(tmp_path))

    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first.stdout.strip() == second.stdout.strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_it_prefers_the_secret_key_from_the_environment(tmp_path):
    result = _python(
        "from django.conf import settings\nprint(settings.SECRET_KEY)",
        _env(tmp_path, SECRET_KEY="from-the-environment-" + "x" * 40),
    )

    assert result.stdout.strip() == "from-the-environment-" + "x" * 40
    assert not (tmp_path / "secret_key").exists()


def test_it_runs_the_careertips_console_command(tmp_path):
    result = subprocess.run(  # noqa: S603
        [BIN / "careertips", "check"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_it_refuses_a_post_without_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    refused = client.post("/settings/", {"display_name": "Mallory", "time_zone": "UTC"})

    assert refused.status_code == 403
    alice.refresh_from_db()
    assert alice.display_name == "Alice Moreno"
    token = client.get("/settings/").context["csrf_token"]
    accepted = client.post(
        "/settings/",
        {"display_name": "Alice M.", "time_zone": "UTC", "follow_up_days": 7},
        headers={"X-CSRFToken": str(token)},
    )
    assert accepted.status_code == 302


def test_it_pools_postgresql_connections_when_asked(tmp_path):
    env = _env(tmp_path, DATABASE_URL="postgres://u:p@db.example:5432/ct", DATABASE_POOL="true")
    done = _python(
        """
        from django.conf import settings
        db = settings.DATABASES["default"]
        print(db["CONN_MAX_AGE"], db["OPTIONS"]["pool"]["max_size"])
        """,
        env,
    )
    assert done.stdout.split() == ["0", "4"], done.stderr


@pytest.mark.parametrize(
    ("prepared", "expected"), [(None, ["True", "1"]), ("false", ["None", "None"])]
)
def test_it_binds_and_prepares_postgresql_statements_unless_told_not_to(
    tmp_path, prepared, expected
):
    extra = {"DATABASE_PREPARED": prepared} if prepared else {}
    env = _env(tmp_path, DATABASE_URL="postgres://u:p@db.example:5432/ct", **extra)
    done = _python(
        """
        from django.conf import settings
        options = settings.DATABASES["default"].get("OPTIONS", {})
        print(options.get("server_side_binding"), options.get("prepare_threshold"))
        """,
        env,
    )
    assert done.stdout.split() == expected, done.stderr


def test_it_writes_one_json_object_a_line_when_asked(tmp_path):
    done = _python(
        """
        import logging
        logging.getLogger("careertips.test").warning("backup written", extra={"size": 5})
        """,
        _env(tmp_path, LOG_FORMAT="json"),
    )
    entry = __import__("json").loads(done.stderr.strip().splitlines()[-1])
    assert entry["message"] == "backup written" and entry["size"] == 5
    assert entry["level"] == "WARNING" and entry["logger"] == "careertips.test"

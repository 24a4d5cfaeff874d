"""Backups: a consistent snapshot of the database plus the var/ files that matter, in one dated
archive with a manifest; restore with every check; retention of daily and weekly archives.

An archive is a gzipped tar holding `manifest.json` first, then `database.sqlite3` (SQLite's
online backup API) or `database.dump` (`pg_dump --format=custom`), then `var/…` files. The
manifest names the format version, the app version, the row count of every table as of the
snapshot, the migrations applied, and the size and sha256 of every other member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT_VERSION = 1
PREFIX, SUFFIX = "careertips-", ".tar.gz"
MANIFEST = "manifest.json"
# var/ files worth keeping: the generated secret key signs sessions and links already mailed.
VAR_FILES = ("secret_key",)
# Tables a freshly migrated database fills by itself: a target holding only these is empty.
BOOKKEEPING = {
    "django_migrations", "django_content_type", "auth_permission", "careertips_cache",
    "django_session", "django_site", "auth_group", "auth_group_permissions",
}  # fmt: skip
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that must not go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Archive:
    path: Path
    size: int
    manifest: dict[str, Any]


def app_version() -> str:
    try:
        return metadata.version("careertips")
    except metadata.PackageNotFoundError:
        return "unknown"


def archive_name(when: dt.datetime) -> str:
    return f"{PREFIX}{when.astimezone(dt.UTC):%Y%m%d-%H%M%S}{SUFFIX}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- taking a backup -------------------------------------------------------------------------


def take_backup(
    *, directory: Path, using: str = "default", now: dt.datetime | None = None
) -> Archive:
    """Writes one archive into `directory` and returns it; the file appears whole or not at all."""
    now = now or timezone.now()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / archive_name(now)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        workdir = Path(work)
        connection = connections[using]
        if connection.vendor == "sqlite":
            member, tables, migrations = _snapshot_sqlite(connection, workdir)
        elif connection.vendor == "postgresql":
            member, tables, migrations = _snapshot_postgresql(connection, workdir)
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
        snapshot_seconds = time.perf_counter() - started
        files = {member.name: member} | _var_files()
        manifest = {
            "format": FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": now.isoformat(),
            "database": {"vendor": connection.vendor, "file": member.name},
            "snapshot_seconds": round(snapshot_seconds, 3),
            "tables": tables,
            "migrations": migrations,
            "files": {
                name: {"size": path.stat().st_size, "sha256": sha256_of(path)}
                for name, path in files.items()
            },
        }
        partial = workdir / "archive.partial"
        _write_archive(partial, manifest, files)
        os.replace(partial, target)
    return Archive(path=target, size=target.stat().st_size, manifest=manifest)


def _write_archive(path: Path, manifest: dict[str, Any], files: dict[str, Path]) -> None:
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    # Level 1: most of the size gain for a fraction of the time; a pg dump is compressed already.
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
        tar.addfile(info, io.BytesIO(data))
        for name, source in files.items():
            tar.add(source, arcname=name, recursive=False)


def _var_files() -> dict[str, Path]:
    var_dir = Path(settings.VAR_DIR)
    return {f"var/{name}": var_dir / name for name in VAR_FILES if (var_dir / name).is_file()}


def _snapshot_sqlite(
    connection: BaseDatabaseWrapper, workdir: Path
) -> tuple[Path, dict[str, int], dict[str, list[str]]]:
    connection.ensure_connection()
    path = workdir / "database.sqlite3"
    copy = sqlite3.connect(path)
    try:
        # pages=-1 copies the whole database in one step, inside one read transaction: a
        # consistent snapshot that WAL mode lets writers go on beside. Stepping would restart on
        # every write made meanwhile.
        connection.connection.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The database fails its integrity check: {check}")
        tables, migrations = _sqlite_contents(copy)
    finally:
        copy.close()
    return path, tables, migrations


def _sqlite_contents(db: sqlite3.Connection) -> tuple[dict[str, int], dict[str, list[str]]]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    tables = {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
    rows = (
        db.execute("SELECT app, name FROM django_migrations")
        if "django_migrations" in names
        else []
    )
    return dict(sorted(tables.items())), _group(rows)


def _group(rows: Any) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in rows:
        grouped.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(grouped.items())}


def pg_bin(program: str) -> str:
    """The newest installed PostgreSQL's program (pg_dump must not be older than the server)."""
    if configured := getattr(settings, "PG_BIN_DIR", ""):
        return str(Path(configured) / program)
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), key=_pg_major)
    if found:
        return str(found[-1])
    if on_path := shutil.which(program):
        return on_path
    raise BackupError(f"{program} is not installed: apt-get install postgresql-client")


def _pg_major(path: Path) -> int:
    major = path.parent.parent.name
    return int(major) if major.isdigit() else 0


def _pg_args(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump and pg_restore (host, port, user, database last)."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    return list(args[1:]), {**os.environ, **(env or {})}


def _snapshot_postgresql(
    connection: BaseDatabaseWrapper, workdir: Path
) -> tuple[Path, dict[str, int], dict[str, list[str]]]:
    import psycopg

    path = workdir / "database.dump"
    args, env = _pg_args(connection)
    # One exported snapshot serves both the row counts and pg_dump, so they agree exactly.
    with psycopg.connect(**connection.get_connection_params()) as db:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        names = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        tables = {
            name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # type: ignore[index]  # noqa: S608
            for name in sorted(names)
        }
        rows = (
            db.execute("SELECT app, name FROM django_migrations").fetchall()
            if "django_migrations" in names
            else []
        )
        command = [
            pg_bin("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--snapshot={snapshot}",
            f"--file={path}",
            *args,
        ]
        _run(command, env=env, what="pg_dump")
    return path, tables, _group(rows)


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


# --- reading and checking an archive --------------------------------------------------------


@contextmanager
def opened(archive: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Unpacks an archive into a temporary folder after checking it; yields (manifest, folder)."""
    if not archive.is_file():
        raise BackupError(f"No such archive: {archive}")
    with tempfile.TemporaryDirectory(prefix="careertips-restore-") as work:
        folder = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(folder, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"The archive is corrupt or not a backup: {error}") from error
        manifest = _load_manifest(folder)
        check_manifest(manifest, folder)
        yield manifest, folder


def _load_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(
            "The archive holds no manifest.json: not a Career Tips backup."
        ) from error
    except ValueError as error:
        raise BackupError(f"The archive's manifest is not valid JSON: {error}") from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise BackupError("The archive's manifest lacks its list of files.")
    return manifest


def check_manifest(manifest: dict[str, Any], folder: Path) -> None:
    version = manifest.get("format")
    if not isinstance(version, int):
        raise BackupError("The manifest names no format version.")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"The archive has format {version}; this version of Career Tips reads up to "
            f"{FORMAT_VERSION}. Restore it with the version that wrote it "
            f"({manifest.get('app_version', 'unknown')}) or newer."
        )
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"The archive lacks {name}, which its manifest lists.")
        if sha256_of(path) != expected.get("sha256"):
            raise BackupError(f"Checksum mismatch for {name}: the archive is damaged.")
    database = manifest.get("database", {})
    if database.get("file") not in manifest["files"] or not isinstance(
        manifest.get("tables"), dict
    ):
        raise BackupError("The manifest names no database file or no row counts.")


def unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations the archive has applied that this code does not have: a newer version's."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known
    ]


# --- restoring ------------------------------------------------------------------------------


def restore_backup(
    *,
    archive: Path,
    force: bool = False,
    using: str = "default",
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Restores an archive into the database `using`, refusing anything that would lose data or
    could not be read back whole; returns the manifest."""
    connection = connections[using]
    with opened(archive) as (manifest, folder):
        vendor = manifest["database"].get("vendor")
        if vendor != connection.vendor:
            raise BackupError(
                f"The archive holds a {vendor} database; this site uses {connection.vendor}."
            )
        if newer := unknown_migrations(manifest):
            raise BackupError(
                "The archive comes from a newer version of Career Tips (migrations "
                f"{', '.join(newer[:5])} are unknown here): upgrade first."
            )
        if (filled := filled_tables(connection)) and not force:
            raise BackupError(
                f"The database is not empty ({', '.join(filled[:5])} hold rows): restore into an "
                "empty database, or pass --force to replace everything in it."
            )
        database = folder / manifest["database"]["file"]
        if connection.vendor == "sqlite":
            _load_sqlite(connection, database)
        else:
            _load_postgresql(connection, database)
        verify_counts(connection, manifest["tables"])
        say(
            f"Restored {sum(manifest['tables'].values()):,} rows in {len(manifest['tables'])} "
            "tables; counts match the manifest."
        )
        _restore_var_files(manifest, folder, force=force, say=say)
    return manifest


def filled_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """Tables holding rows other than what a fresh `migrate` writes by itself."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        filled = []
        for name in sorted(set(names) - BOOKKEEPING):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.append(name)
    return filled


def table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def verify_counts(connection: BaseDatabaseWrapper, expected: dict[str, int]) -> None:
    actual = table_counts(connection)
    wrong = [
        f"{name}: {actual.get(name, 'missing')} instead of {count}"
        for name, count in expected.items()
        if actual.get(name) != count
    ]
    if wrong:
        raise BackupError(
            "Row counts differ from the manifest after restoring: " + "; ".join(wrong[:10])
        )


def _load_sqlite(connection: BaseDatabaseWrapper, database: Path) -> None:
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The archived database fails its integrity check: {check}")
        connection.ensure_connection()
        # The backup API replaces every page of the target, whatever it held before.
        source.backup(connection.connection, pages=-1)
    finally:
        source.close()


def _load_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    with connection.cursor() as cursor:
        # Tables, their sequences, and the trigger functions of the search index: all of it goes,
        # so pg_restore meets no object it would collide with.
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(f"DROP SCHEMA {schema} CASCADE; CREATE SCHEMA {schema}")
    args, env = _pg_args(connection)
    command = [
        pg_bin("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
        "--single-transaction", *args[:-1], "--dbname", args[-1], str(dump),
    ]  # fmt: skip
    _run(command, env=env, what="pg_restore")


def _restore_var_files(
    manifest: dict[str, Any], folder: Path, *, force: bool, say: Callable[[str], None]
) -> None:
    var_dir = Path(settings.VAR_DIR)
    for name in manifest["files"]:
        # Only the files a backup writes: a crafted manifest must not name a path elsewhere.
        if name not in {f"var/{known}" for known in VAR_FILES}:
            continue
        source, target = folder / name, var_dir / name.removeprefix("var/")
        if target.exists() and target.read_bytes() == source.read_bytes():
            continue
        if target.exists() and not force:
            say(f"Kept the existing {target} (it differs from the archive's; --force replaces it).")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(0o600)
        say(f"Restored {target}.")

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from careertips.core import backup
from careertips.core.backup import archive as archive_module
from careertips.core.models import Backup, Heartbeat, User
from careertips.core.tasks import heartbeat
from careertips.core.testing import make_user


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def repack(path: Path, members_: dict[str, bytes]) -> Path:
    """The same archive with some members replaced, written as a new file."""
    out = path.with_name("edited-" + path.name)
    with tarfile.open(out, "w:gz") as tar:
        for name, data in members_.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def edited_manifest(path: Path, **changes) -> Path:
    contents = members(path)
    manifest = json.loads(contents["manifest.json"]) | changes
    return repack(path, contents | {"manifest.json": json.dumps(manifest).encode()})


@pytest.fixture
def archive(transactional_db, tmp_path, settings) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    (settings.VAR_DIR / "secret_key").write_text("the-old-key")
    make_user("alice@example.com")
    make_user("bob@example.com")
    return backup.take_backup(directory=tmp_path / "backups").path


def test_it_writes_a_manifest_with_row_counts_and_checksums(archive):
    contents = members(archive)
    manifest = json.loads(contents["manifest.json"])
    assert manifest["format"] == backup.FORMAT_VERSION
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["core_user"] == 2
    assert "0001_initial" in manifest["migrations"]["core"]
    database = manifest["database"]["file"]
    assert manifest["files"][database]["sha256"] == hashlib.sha256(contents[database]).hexdigest()
    assert archive.name.startswith("careertips-") and archive.name.endswith(".tar.gz")


def test_it_restores_over_a_changed_database_with_force(archive):
    User.objects.filter(email="bob@example.com").delete()
    make_user("carol@example.com")
    output: list[str] = []
    backup.restore_backup(archive=archive, force=True, say=output.append)
    connection.close()
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "alice@example.com",
        "bob@example.com",
    ]
    assert "counts match the manifest" in output[0]


def test_it_restores_the_secret_key_and_only_files_a_backup_writes(archive, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "new-var"
    contents = members(archive)
    contents["var/../escaped"] = b"x"
    manifest = json.loads(contents["manifest.json"])
    manifest["files"]["var/../escaped"] = {"size": 1, "sha256": hashlib.sha256(b"x").hexdigest()}
    contents["manifest.json"] = json.dumps(manifest).encode()
    crafted = repack(archive, contents)
    backup.restore_backup(archive=crafted, force=True, say=lambda line: None)
    key = settings.VAR_DIR / "secret_key"
    assert key.read_text() == "the-old-key" and key.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "escaped").exists()


def test_it_refuses_a_database_that_holds_data(archive):
    with pytest.raises(backup.BackupError, match=r"not empty \(.*core_user"):
        backup.restore_backup(archive=archive, say=print)
    assert User.objects.count() == 2


def test_it_refuses_a_corrupt_archive(archive):
    truncated = archive.with_name("truncated.tar.gz")
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(backup.BackupError, match="corrupt"):
        backup.restore_backup(archive=truncated, force=True)
    garbage = archive.with_name("garbage.tar.gz")
    garbage.write_bytes(b"not a backup at all")
    with pytest.raises(backup.BackupError, match="corrupt"):
        backup.restore_backup(archive=garbage, force=True)


def test_it_refuses_an_archive_without_a_manifest(archive):
    contents = members(archive)
    del contents["manifest.json"]
    with pytest.raises(backup.BackupError, match="no manifest"):
        backup.restore_backup(archive=repack(archive, contents), force=True)


def test_it_refuses_a_wrong_checksum(archive):
    contents = members(archive)
    name = next(n for n in contents if n.startswith("database."))
    damaged = bytearray(contents[name])
    damaged[-1] ^= 0xFF
    with pytest.raises(backup.BackupError, match=f"Checksum mismatch for {name}"):
        backup.restore_backup(
            archive=repack(archive, contents | {name: bytes(damaged)}), force=True
        )
    assert User.objects.count() == 2


def test_it_refuses_a_newer_format(archive):
    newer = edited_manifest(archive, format=backup.FORMAT_VERSION + 1, app_version="9.0")
    with pytest.raises(backup.BackupError, match=r"format 2; .* reads up to 1.*\(9.0\)"):
        backup.restore_backup(archive=newer, force=True)


def test_it_refuses_migrations_from_a_newer_version(archive):
    manifest = json.loads(members(archive)["manifest.json"])
    migrations = manifest["migrations"] | {"core": [*manifest["migrations"]["core"], "9999_future"]}
    with pytest.raises(backup.BackupError, match="newer version.*core.9999_future"):
        backup.restore_backup(archive=edited_manifest(archive, migrations=migrations), force=True)


def test_it_refuses_another_database_engine(archive):
    database = json.loads(members(archive)["manifest.json"])["database"] | {"vendor": "mysql"}
    with pytest.raises(backup.BackupError, match="holds a mysql database"):
        backup.restore_backup(archive=edited_manifest(archive, database=database), force=True)


def test_it_refuses_row_counts_that_differ(archive):
    manifest = json.loads(members(archive)["manifest.json"])
    tables = manifest["tables"] | {"core_user": 3}
    with pytest.raises(backup.BackupError, match="core_user: 2 instead of 3"):
        backup.restore_backup(archive=edited_manifest(archive, tables=tables), force=True)


def test_the_restore_command_reports_a_refusal_as_a_command_error(archive, tmp_path):
    with pytest.raises(CommandError, match="No such archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_the_backup_command_records_the_run_and_needs_a_folder(transactional_db, tmp_path):
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path), stdout=out)
    record = Backup.objects.get()
    assert (
        record.status == Backup.Status.OK
        and record.size == (tmp_path / record.archive).stat().st_size
    )
    assert record.archive in out.getvalue()
    with override_settings(BACKUP_DIR=""), pytest.raises(CommandError, match="BACKUP_DIR"):
        call_command("backup")


def test_it_keeps_the_newest_of_each_recent_day_and_week(tmp_path):
    start = dt.datetime(2026, 1, 1, 3, tzinfo=dt.UTC)
    for day in range(60):
        for hour in (3, 15):
            when = start + dt.timedelta(days=day, hours=hour - 3)
            (tmp_path / archive_module.archive_name(when)).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("kept")
    now = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)
    deleted = backup.prune_archives(directory=tmp_path, keep_daily=7, keep_weekly=4, now=now)
    kept = sorted(p.name for p in tmp_path.glob("careertips-*"))
    # Feb 23 - Mar 1 at 15:00, plus the last of each of the 3 weeks before (Sundays).
    assert kept == [
        f"careertips-202602{day:02}-150000.tar.gz" for day in (8, 15, 22, 23, 24, 25, 26, 27, 28)
    ] + ["careertips-20260301-030000.tar.gz", "careertips-20260301-150000.tar.gz"]
    assert len(deleted) == 120 - 11  # the last 24 hours are kept whole
    assert (tmp_path / "notes.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_the_schedule_backs_up_once_a_day_after_its_hour(tmp_path):
    with override_settings(BACKUP_DIR=str(tmp_path), BACKUP_HOUR=3):
        with time_machine.travel(dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC), tick=False):
            assert backup.run_due_backup() == "not yet"
        with time_machine.travel(dt.datetime(2026, 3, 2, 3, 5, tzinfo=dt.UTC), tick=False):
            assert backup.run_due_backup() == "taken"
            assert backup.run_due_backup() == "done"
    assert Backup.objects.get().scheduled_day == dt.date(2026, 3, 2)
    assert len(list(tmp_path.glob("careertips-*.tar.gz"))) == 1
    assert backup.run_due_backup() == "off"


@pytest.mark.django_db(transaction=True)
def test_a_failed_scheduled_backup_is_recorded_and_retried(tmp_path, monkeypatch):
    def broken(**kwargs):
        raise backup.BackupError("pg_dump failed (1): disk full")

    monkeypatch.setattr("careertips.core.backup.schedule.take_backup", broken)
    with override_settings(BACKUP_DIR=str(tmp_path), BACKUP_HOUR=0):
        assert backup.run_due_backup() == "failed"
        assert backup.run_due_backup() == "failed"  # the day was released, so it tried again
    failed = Backup.objects.all()
    assert [b.status for b in failed] == [Backup.Status.FAILED] * 2
    assert failed[0].scheduled_day is None and "disk full" in failed[0].error
    assert "The last backup failed: pg_dump failed (1): disk full" in backup.backup_status().warning


def test_staff_see_the_last_backup_and_a_warning_when_it_is_old(client, db):
    client.force_login(make_user("admin@example.com", roles=["administrator"]))
    Backup.objects.create(
        status=Backup.Status.OK, archive="careertips-20260301-030000.tar.gz", size=5 * 1024 * 1024,
        started_at=dt.datetime(2026, 3, 1, 3, tzinfo=dt.UTC),
    )  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC)):
        page = client.get("/mailbox/").content.decode()
    assert "careertips-20260301-030000.tar.gz" in page and "5.0\xa0MB" in page
    assert "older than 36 hours" not in page
    with time_machine.travel(dt.datetime(2026, 3, 2, 16, tzinfo=dt.UTC)):
        page = client.get("/mailbox/").content.decode()
    assert "The last good backup is older than 36 hours." in page


def test_healthz_checks_the_database_and_the_workers_heartbeat(client, db):
    assert client.get("/healthz").status_code == 200  # no worker has ever beaten: web-only
    heartbeat.enqueue()  # the tests' immediate backend runs it at once
    beat = Heartbeat.objects.get(name="worker").beat_at
    assert client.get("/healthz").content == b"ok"
    with time_machine.travel(beat + dt.timedelta(minutes=6)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode().startswith("worker: last heartbeat 36")

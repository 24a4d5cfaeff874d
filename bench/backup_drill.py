"""Backup drill: backups taken while a writer changes the database, each one restored and checked.

    make backup-drill                      # SQLite
    make backup-drill BENCH_ARGS=--pg      # a throwaway PostgreSQL cluster

Seeds a large account, then starts a writer process that keeps creating opportunities, moving
them through stages and adding and marking newsletter deliveries, writing each committed row
to a ledger with the time its commit returned. Meanwhile `careertips backup` runs `--backups`
times. Every archive is then restored with `careertips restore` into a fresh database (its own
SQLite file, or a new PostgreSQL database) — which checks the checksums, the integrity
(`PRAGMA integrity_check` / pg_restore's success) and the row counts against the manifest —
and the drill checks that every row the ledger shows committed before that backup started is
in the restored copy, with its change. Figures go to bench/out/backup.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from common import ROOT, setup_django, throwaway_environment, write_json

sys.path.insert(0, str(ROOT))
CLI = [sys.executable, "-m", "careertips.cli"]


def main() -> int:
    args = _arguments()
    if args.writer:
        return _write_forever(Path(args.writer))
    with throwaway_environment(pg=args.pg) as env:
        setup_django()
        from django.db import connection

        _seed()
        folder = Path(env["CAREERTIPS_VAR_DIR"])
        ledger = folder / "ledger.txt"
        writer = subprocess.Popen([*CLI[:1], __file__, "--writer", str(ledger)], cwd=ROOT)  # noqa: S603
        try:
            time.sleep(2)  # the writer is in its stride before the first backup
            runs = [_backup(folder / "backups", i) for i in range(args.backups)]
        finally:
            writer.send_signal(signal.SIGTERM)
            writer.wait(timeout=30)
        size = _database_size(connection)
        entries = _read_ledger(ledger)
        checks = [_restore_and_check(run, entries, env, i) for i, run in enumerate(runs)]
    report = _report(runs, checks, entries, size, pg=args.pg)
    path = write_json("backup.json", report)
    print(json.dumps(report, indent=2))
    print(f"→ {path.relative_to(ROOT)}")
    return 0 if report["rows_lost"] == 0 and report["integrity_ok"] == report["backups"] else 1


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backups", type=int, default=5)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--writer", help=argparse.SUPPRESS)
    return parser.parse_args()


def _seed() -> None:
    import datetime as dt

    from django.utils import timezone
    from seed import seed_large_account

    from careertips.newsletter.models import Issue

    seed_large_account()
    Issue.objects.create(volume=1, number=1, month=dt.date(2026, 1, 1), title="Drill")
    print(f"seeded at {timezone.now():%H:%M:%S}", flush=True)


def _backup(directory: Path, index: int) -> dict:
    started_wall = time.time()
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [*CLI, "backup", "--dir", str(directory)], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"backup {index} failed: {done.stderr[-2000:]}")
    written = Path(done.stdout.split(" (")[0].strip())
    # Kept apart: retention would prune the same day's earlier archives.
    archive = directory.parent / "drill" / written.name
    archive.parent.mkdir(exist_ok=True)
    written.rename(archive)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    time.sleep(1.1)  # archives are named by the second
    return {"archive": archive, "started": started_wall, "ended": started_wall + seconds,
            "seconds": seconds, "size": archive.stat().st_size,
            "snapshot_seconds": manifest["snapshot_seconds"]}  # fmt: skip


# --- the writer -------------------------------------------------------------------------------


def _write_forever(ledger: Path) -> int:
    import django

    django.setup()
    from django.db import transaction

    stop = False

    def halt(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, halt)
    with ledger.open("a") as out:
        n = 0
        while not stop:
            n += 1
            with transaction.atomic():
                rows = _one_round(n)
            committed = time.time()  # after the commit returned: the row is durable from here
            out.writelines(f"{committed:.6f} {kind} {pk}\n" for kind, pk in rows)
            out.flush()
            time.sleep(0.005)  # a very busy site, not a hot loop that starves every other writer
    return 0


def _one_round(n: int) -> list[tuple[str, int]]:
    from careertips.core.models import User
    from careertips.network.models import Organization
    from careertips.newsletter.models import Delivery, Issue, Subscriber
    from careertips.pipeline.models import Opportunity, Stage
    from careertips.pipeline.services import create_opportunity, move_opportunity

    member = User.objects.get(email="bench@example.com")
    organization = Organization.objects.filter(owner=member).order_by("pk").first()
    assert organization is not None  # noqa: S101
    opportunity = create_opportunity(
        owner=member, organization=organization, title=f"Drill role {n}"
    )
    change = move_opportunity(opportunity=opportunity, to_stage=Stage.APPLIED)
    older = Opportunity.objects.filter(owner=member, title=f"Drill role {n - 1}").first()
    rows = [("opportunity", opportunity.pk), ("stagechange", change.pk)]
    if older:
        moved = move_opportunity(opportunity=older, to_stage=Stage.SCREENING)
        rows += [("stagechange", moved.pk), ("screening", older.pk)]
    subscriber = Subscriber.objects.create(email=f"drill-{n}@example.com", status="active")
    issue = Issue.objects.get(title="Drill")
    delivery = Delivery.objects.create(issue=issue, subscriber=subscriber, message_id=f"<{n}@d>")
    rows.append(("delivery", delivery.pk))
    sent = Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING).order_by("pk")
    if (first := sent.first()) and first.pk != delivery.pk:
        Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT)
        rows.append(("sent", first.pk))
    return rows


# --- checking ---------------------------------------------------------------------------------


def _read_ledger(path: Path) -> list[tuple[float, str, int]]:
    entries = []
    for line in path.read_text().splitlines():
        stamp, kind, pk = line.split()
        entries.append((float(stamp), kind, int(pk)))
    return entries


CHECKS = {
    "opportunity": "SELECT id FROM pipeline_opportunity WHERE id IN ({})",
    "stagechange": "SELECT id FROM pipeline_stagechange WHERE id IN ({})",
    "screening": "SELECT id FROM pipeline_opportunity WHERE stage = 'screening' AND id IN ({})",
    "delivery": "SELECT id FROM newsletter_delivery WHERE id IN ({})",
    "sent": "SELECT id FROM newsletter_delivery WHERE status = 'sent' AND id IN ({})",
}


def _restore_and_check(run: dict, entries: list, env: dict, index: int) -> dict:
    target_var = Path(env["CAREERTIPS_VAR_DIR"]) / f"restore-{index}"
    target_var.mkdir()
    url = _fresh_database(env, index, target_var)
    restore_env = {**os.environ, "DATABASE_URL": url, "CAREERTIPS_VAR_DIR": str(target_var)}
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [*CLI, "restore", str(run["archive"])], env=restore_env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    restore_seconds = time.perf_counter() - started
    before = [(kind, pk) for stamp, kind, pk in entries if stamp < run["started"]]
    result = {
        "restored": done.returncode == 0,
        "restore_seconds": round(restore_seconds, 2),
        "output": (done.stdout + done.stderr).strip()[-500:],
        "committed_before": len(before),
        "writes_during": sum(run["started"] <= s <= run["ended"] for s, _, _ in entries),
    }
    if done.returncode == 0:
        result["integrity_ok"] = _integrity(url, run["archive"])
        result["missing"] = _missing(url, before)
    return result


def _fresh_database(env: dict, index: int, folder: Path) -> str:
    url = env["DATABASE_URL"]
    if not url.startswith("postgres"):
        return f"sqlite:///{folder}/restored.sqlite3"
    import psycopg

    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "restore_{index}"')
    return f"{server}/restore_{index}"


def _connect(url: str):
    if url.startswith("sqlite"):
        return contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///")))
    import psycopg

    return psycopg.connect(url)


def _integrity(url: str, archive: Path) -> bool:
    """The restore command checked integrity and counts; this checks it once more, apart."""
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    with _connect(url) as db:
        sqlite = url.startswith("sqlite")
        if sqlite and db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return False
        query = 'SELECT COUNT(*) FROM "{}"'
        counts = {t: db.execute(query.format(t)).fetchone()[0] for t in manifest["tables"]}
    # The migrations the restore may have run add rows only to django_migrations.
    counts.pop("django_migrations", None)
    return all(counts[t] == n for t, n in manifest["tables"].items() if t in counts)


def _missing(url: str, before: list[tuple[str, int]]) -> int:
    missing = 0
    with _connect(url) as db:
        for kind, query in CHECKS.items():
            wanted = {pk for k, pk in before if k == kind}
            if not wanted:
                continue
            marks = ",".join(str(pk) for pk in wanted)
            found = {row[0] for row in db.execute(query.format(marks)).fetchall()}
            missing += len(wanted - found)
    return missing


def _database_size(connection) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def _report(runs: list, checks: list, entries: list, size: int, *, pg: bool) -> dict:
    seconds = sum(run["seconds"] for run in runs)
    snapshot = sum(run["snapshot_seconds"] for run in runs)
    return {
        "database": "postgresql" if pg else "sqlite",
        "backups": len(runs),
        "restored": sum(c["restored"] for c in checks),
        "integrity_ok": sum(bool(c.get("integrity_ok")) for c in checks),
        "rows_lost": sum(c.get("missing", 0) for c in checks)
        + sum(c["committed_before"] for c in checks if not c["restored"]),
        "writes_during_backup": sum(c["writes_during"] for c in checks),
        "writes_total": len(entries),
        "database_bytes": size,
        "seconds_per_backup": round(seconds / len(runs), 2),
        # The whole command (process start, snapshot, archive, record) and the snapshot alone.
        "seconds_per_gb": round(seconds / len(runs) / (size / 1e9), 1),
        "snapshot_seconds_per_gb": round(snapshot / len(runs) / (size / 1e9), 1),
        "archive_bytes": [run["size"] for run in runs],
        "runs": [
            {"seconds": round(run["seconds"], 2), "snapshot_seconds": run["snapshot_seconds"]}
            | {k: v for k, v in c.items() if k != "output"}
            | ({} if c["restored"] else {"output": c["output"]})
            for run, c in zip(runs, checks, strict=True)
        ],
    }


if __name__ == "__main__":
    sys.exit(main())

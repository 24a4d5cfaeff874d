"""Your-data benchmark: download the archive of a large account, restore it into a fresh
account, then delete the account.

    make bench-account                   # SQLite; BENCH_ARGS=--pg for PostgreSQL

The account is bench/seed.py's busy member (2,000 opportunities, 15,000 stage changes,
3,000 contacts, 20,000 touchpoints, 300 debriefs, 200 events), next to a second member of
the same size whose rows must all survive. The archive is streamed through Django's full
request stack, as a browser gets it; `peak_python_mb` is the most Python memory held at
once while it streams (tracemalloc), which should not grow with the account. Figures go to
bench/out/account.json. Timings never fail the build.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
import zipfile

from common import setup_django, throwaway_environment, write_json


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    with throwaway_environment(pg=args.pg):
        setup_django()
        report = _run()
        report["database"] = "postgresql" if args.pg else "sqlite"
    path = write_json("account.json", report)
    print(
        f"archive {report['archive_mb']} MB ({report['records']:,} records, "
        f"{report['files']} files) in {report['export_seconds']} s, peak Python memory "
        f"{report['peak_python_mb']} MB; delete {report['deleted']:,} records in "
        f"{report['delete_seconds']} s; other member intact: {report['other_member_intact']}; "
        f"restored {report['restored']:,} records in {report['restore_seconds']} s"
        f" → {path}"
    )
    return 0


def _run() -> dict:
    from django.test import Client
    from seed import seed_large_account

    from careertips.core import account_data

    member = seed_large_account(email="member@example.com")
    other = seed_large_account(email="other@example.com")
    theirs = _counts(other)
    client = Client()
    client.force_login(member)

    # Once timed, once with tracemalloc watching (it slows Python down several times over).
    with tempfile.TemporaryFile() as body:
        started = time.perf_counter()
        size = _download(client, body)
        export_seconds = time.perf_counter() - started
        archive = zipfile.ZipFile(body)
        valid = archive.testzip() is None
        files = len(archive.namelist())
        ratio = max(i.file_size / max(i.compress_size, 1) for i in archive.infolist())
        body.seek(0)
        restored, restore_seconds = _restore(body.read())
    tracemalloc.start()
    with tempfile.TemporaryFile() as body:
        _download(client, body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    records = sum(_counts(member).values())
    same_counts = _same_counts(member, "restored@example.com")

    started = time.perf_counter()
    deleted = account_data.delete_account(user=member)
    delete_seconds = time.perf_counter() - started
    return {
        "records": records,
        "files": files,
        "archive_mb": round(size / 2**20, 2),
        "export_seconds": round(export_seconds, 2),
        "records_per_second": round(records / export_seconds),
        "peak_python_mb": round(peak / 2**20, 1),
        "archive_valid": valid,
        "largest_compression_ratio": round(ratio, 1),
        "restored": restored,
        "restore_seconds": round(restore_seconds, 2),
        "restored_same_counts": same_counts,
        "deleted": deleted,
        "delete_seconds": round(delete_seconds, 2),
        "other_member_intact": _counts(other) == theirs,
    }


def _restore(data: bytes) -> tuple[int, float]:
    """The archive restored into a fresh empty account, as the task worker does it."""
    from careertips.core.models import User
    from careertips.core.restore.services import restore_account

    fresh = User.objects.create_user(email="restored@example.com")
    started = time.perf_counter()
    counts = restore_account(user=fresh, source=data)
    return sum(counts.values()), time.perf_counter() - started


def _same_counts(member, email: str) -> bool:
    from careertips.core.models import User
    from careertips.core.restore.rows import restore_plan

    fresh = User.objects.get(email=email)
    return all(e.rows(member).count() == e.rows(fresh).count() for e in restore_plan())


def _download(client, out) -> int:
    """Streams the member's archive into `out`, as a browser saves it; returns its size."""
    response = client.get("/settings/data/download/")
    assert response.status_code == 200 and response.streaming
    size = 0
    for chunk in response.streaming_content:
        out.write(chunk)
        size += len(chunk)
    out.seek(0)
    return size


def _counts(user) -> dict[str, int]:
    from careertips.core.account_data import Rows, declared_exports

    return {e.name: e.rows(user).count() for e in declared_exports() if isinstance(e, Rows)}


if __name__ == "__main__":
    sys.exit(main())

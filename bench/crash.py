"""Crash benchmark: SIGKILL the sending worker at random moments and count what arrives.

    make crash-send                                  # 2,000 recipients, 10 kills, SQLite
    .venv/bin/python bench/crash.py --pg --kills 20  # on a throwaway PostgreSQL cluster

Seeds a throwaway database with an issue whose audience is frozen, then runs one
`careertips send_deliveries` worker against an aiosmtpd sink on loopback that counts every
copy per (recipient, Message-ID). The worker is killed with SIGKILL `--kills` times at
random points of the send and restarted each time; the last one runs to the end. Figures go
to bench/out/crash.json: lost must be 0 and duplicates at most kills × window.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from common import ROOT, throwaway_environment, write_json
from send import postgres_cluster

sys.path.insert(0, str(ROOT))


def main() -> int:
    args = _arguments()
    with throwaway_environment(), postgres_cluster(enabled=args.pg):
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        expected = _seed(args.recipients)
        from careertips.newsletter.tests.crash_scenario import (
            run_crash_scenario,
            worker_environment,
        )

        env = worker_environment(
            database_url=os.environ["DATABASE_URL"],
            var_dir=os.environ["CAREERTIPS_VAR_DIR"],
            mark_every=args.mark_every,
        )
        result = run_crash_scenario(
            expected=expected, env=env, kills=args.kills, window=args.mark_every,
            seed=args.seed, timeout=600,
        )  # fmt: skip
        finished = _finished()
    report = result.as_dict() | {
        "issue_finished": finished,
        "database": "postgresql" if args.pg else "sqlite",
        "seed": args.seed,
    }
    path = write_json("crash.json", report)
    print(
        f"{result.recipients} recipients, {result.kills} kills: lost {result.lost}, "
        f"duplicates {result.duplicates} (bound {result.kills * result.window}), "
        f"foreign {result.foreign}, in {result.seconds}s → {path.relative_to(ROOT)}"
    )
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=2_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument(
        "--mark-every", type=int, default=10, help="the duplicate window (default setting)"
    )
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    return parser.parse_args()


def _seed(recipients: int) -> dict[str, str]:
    import datetime as dt

    from careertips.newsletter import sending
    from careertips.newsletter.models import Article, Delivery, Issue, Subscriber

    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{i}@example.com", name=f"Reader {i}", status="active")
        for i in range(recipients)
    )
    issue = Issue.objects.create(
        volume=1, number=1, month=dt.date(2026, 4, 1), title="Call the hiring manager",
        status=Issue.Status.SENDING,
    )  # fmt: skip
    Article.objects.create(
        issue=issue, title="Think like the manager", slug="manager",
        body="They expect you to be upset. Show up composed, and learn.",
    )  # fmt: skip
    sending.freeze_audience(issue=issue)
    rows = Delivery.objects.filter(issue=issue).values_list("subscriber__email", "message_id")
    return dict(rows)


def _finished() -> bool:
    from django.db import connections

    from careertips.newsletter.models import Delivery, Issue

    connections.close_all()
    pending = Delivery.objects.exclude(status=Delivery.Status.SENT).count()
    return pending == 0 and Issue.objects.filter(status=Issue.Status.SENT).exists()


if __name__ == "__main__":
    Path(ROOT / "bench" / "out").mkdir(exist_ok=True)
    sys.exit(main())

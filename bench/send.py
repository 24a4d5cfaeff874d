"""Sending benchmark: one realistic issue to N subscribers through two sending workers.

    make bench-send                      # 20,000 then 100,000 subscribers, PostgreSQL
    .venv/bin/python bench/send.py --sqlite --messages 5000 --large 0

A throwaway PostgreSQL cluster (scripts/pg-cluster) holds the subscribers. Two
`careertips send_deliveries --forever` workers start first, running the real claim / render /
send / record code against Postfix's `smtp-sink` on loopback (apt-get install postfix provides
/usr/sbin/smtp-sink; the script installs it if missing); the send begins when the audience is
frozen, as Send now does. The ceiling is plain smtplib sending the same pre-built messages
over two connections to a fresh sink. `seconds` runs from the first message recorded to the
last (`wall_seconds` from the freeze to the end); `received` is the sink's own count;
`peak_rss_mb` is each worker's VmHWM. Figures go to bench/out/send.json.
Timings never fail the build.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import (
    BIN,
    HOST,
    ROOT,
    _create_database,
    free_port,
    throwaway_environment,
    write_json,
)

SMTP_SINK = "/usr/sbin/smtp-sink"
TARGET_RATE = 2_000
TARGET_RATIO = 0.5
WORKERS = 2


def main() -> int:
    args = _arguments()
    _ensure_smtp_sink()
    with throwaway_environment(), postgres_cluster(enabled=not args.sqlite):
        os.environ.update(
            {
                "NEWSLETTER_SEND_BATCH_SIZE": str(args.batch),
                "NEWSLETTER_SEND_MARK_EVERY": str(args.mark_every),
                "LOG_LEVEL": "WARNING",
            }
        )
        import django

        django.setup()
        _prepare_database()
        report = _run(args.messages)
        if args.large:
            report["large"] = _run(args.large)
    report["settings"] = {
        "batch_size": args.batch,
        "mark_every": args.mark_every,
        "workers": WORKERS,
        "database": "sqlite" if args.sqlite else "postgresql",
    }
    path = write_json("send.json", report)
    _summarise(report, path)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--large", type=int, default=100_000, help="0 to skip the large run")
    parser.add_argument("--batch", type=int, default=200, help="deliveries claimed at once")
    parser.add_argument(
        "--mark-every", type=int, default=10, help="accepted messages recorded per write"
    )
    parser.add_argument("--sqlite", action="store_true", help="SQLite (WAL) instead of PostgreSQL")
    return parser.parse_args()


def _ensure_smtp_sink() -> None:
    if Path(SMTP_SINK).exists():
        return
    print("smtp-sink is missing: installing Debian's postfix package", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postfix"], check=True, env=env)


@contextlib.contextmanager
def postgres_cluster(*, enabled: bool) -> Iterator[None]:
    """A throwaway PostgreSQL cluster in its own folder (which pg-cluster hands to the
    postgres user), named by DATABASE_URL for this process and the workers it starts."""
    if not enabled:
        yield
        return
    folder = tempfile.mkdtemp(prefix="careertips-send-pg-")
    script = str(ROOT / "scripts" / "pg-cluster")
    try:
        url = subprocess.run(
            [script, "start", folder, str(free_port())], check=True, capture_output=True, text=True
        ).stdout.strip()
        _create_database(url)
        os.environ["DATABASE_URL"] = url
        yield
    finally:
        subprocess.run([script, "stop", folder], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _prepare_database() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _run(count: int) -> dict[str, Any]:
    from django.db import connections

    issue = _seed(count)
    connections.close_all()
    with smtp_sink() as (port, counter):
        pipelining = _offers_pipelining(port)
        os.environ.update({"EMAIL_HOST": HOST, "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "false"})
        with sending_workers() as peaks:
            # Both workers are up and polling: the send starts when the audience is frozen.
            freeze_seconds = _freeze(issue)
            wall = _wait_until_sent(issue)
        received = counter()
    seconds, messages = _sending_span(issue)
    samples = _sample_messages(issue, 200)
    with smtp_sink() as (port, counter):
        ceiling = _ceiling(samples, count, port)
        ceiling_received = counter()
    rate = messages / seconds if seconds else 0.0
    return {
        "messages": messages,
        "seconds": round(seconds, 2),
        "rate": round(rate),
        "ceiling_rate": round(ceiling),
        "ratio": round(rate / ceiling, 2) if ceiling else None,
        "peak_rss_mb": [round(kb / 1024, 1) for kb in peaks],
        "received": received,
        "wall_seconds": round(wall, 2),
        "freeze_seconds": round(freeze_seconds, 2),
        "message_bytes": len(samples[0]),
        "ceiling_received": ceiling_received,
        # The workers pipeline MAIL/RCPT/DATA when the sink offers it; the ceiling never does.
        "sink_offers_pipelining": pipelining,
        "targets": {"rate": TARGET_RATE, "ratio": TARGET_RATIO},
    }


def _seed(count: int) -> Any:
    from careertips.newsletter.models import Issue, Subscriber

    have = Subscriber.objects.count()
    first = ["Alex", "Sam", "Priya", "Chen", "María", "Tom", "Aisha", "Luis", "Zoë", "Omar"]
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{i}@example.com", name=f"{first[i % 10]} Reader{i}",
                    status=Subscriber.Status.ACTIVE) for i in range(have, count)],
        batch_size=5_000,
    )  # fmt: skip
    return _realistic_issue(number=Issue.objects.count() + 1)


def _freeze(issue: Any) -> float:
    """What Send now does: the issue goes to sending and its audience is frozen."""
    from django.db import transaction

    from careertips.newsletter import sending
    from careertips.newsletter.models import Issue

    started = time.perf_counter()
    with transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
        sending.freeze_audience(issue=issue)
    return time.perf_counter() - started


def _wait_until_sent(issue: Any, timeout: float = 1_200) -> float:
    from careertips.newsletter.models import Delivery

    started = time.perf_counter()
    pending = Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING)
    while pending.exists():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the workers did not finish in time")
        time.sleep(0.2)
    return time.perf_counter() - started


def _realistic_issue(*, number: int) -> Any:
    import datetime as dt

    from careertips.newsletter.models import Article, Issue

    issue = Issue.objects.create(
        volume=12, number=number, month=dt.date(2026, 4, 1),
        title="Turned down? Call the hiring manager",
        introduction=INTRODUCTION,
    )  # fmt: skip
    for position, (kind, title, body, extra) in enumerate(ARTICLES, start=1):
        Article.objects.create(
            issue=issue, kind=kind, position=position, title=title,
            slug=f"article-{position}", body=body, **extra,
        )  # fmt: skip
    return issue


def _sample_messages(issue: Any, count: int) -> list[bytes]:
    """Real messages for the ceiling run, built by the same code the workers use."""
    from careertips.newsletter.models import Delivery
    from careertips.newsletter.sending.message import recipient_for, render_issue_email

    email = render_issue_email(issue)
    rows = Delivery.objects.filter(issue=issue).select_related("subscriber")[:count]
    return [
        email.bytes_for(recipient_for(row.subscriber, message_id=row.message_id)) for row in rows
    ]


@contextlib.contextmanager
def sending_workers() -> Iterator[list[int]]:
    """Two `careertips send_deliveries --forever` workers, started and ready; yields their
    peak memory in kB (kept up to date) and stops them with SIGTERM on the way out."""
    command = [str(BIN / "careertips"), "send_deliveries", "--forever", "--interval", "0.05"]
    processes = [
        subprocess.Popen(  # noqa: S603
            [*command, "--worker", f"bench-{n}", "-v", "2"], cwd=ROOT,
            stdout=subprocess.PIPE, text=True,
        )
        for n in range(WORKERS)
    ]  # fmt: skip
    peaks = [0] * WORKERS
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for n, process in enumerate(processes):
                peaks[n] = max(peaks[n], _peak_rss_kb(process.pid))
            done.wait(0.1)

    watcher = threading.Thread(target=watch)
    try:
        for process in processes:
            if "ready" not in (process.stdout.readline() if process.stdout else ""):
                raise RuntimeError("a sending worker did not start")
        watcher.start()
        yield peaks
    finally:
        done.set()
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.communicate(timeout=60)
        if watcher.is_alive():
            watcher.join()


def _peak_rss_kb(pid: int) -> int:
    """The process's own peak resident memory (VmHWM). Not getrusage: a child's ru_maxrss
    also counts the parent's memory it shared between fork and exec."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def _sending_span(issue: Any) -> tuple[float, int]:
    from django.db.models import Count, Max, Min

    from careertips.newsletter.models import Delivery

    span = Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).aggregate(
        first=Min("sent_at"), last=Max("sent_at"), sent=Count("pk")
    )
    if not span["sent"]:
        return 0.0, 0
    return (span["last"] - span["first"]).total_seconds(), span["sent"]


def _ceiling(samples: list[bytes], count: int, port: int) -> float:
    """Messages per second that plain smtplib manages over two connections."""
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        share = count // WORKERS
        results = pool.starmap(_blast, [(samples, share, port)] * WORKERS)
    started = min(start for start, _ in results)
    finished = max(end for _, end in results)
    return share * WORKERS / (finished - started)


def _offers_pipelining(port: int) -> bool:
    with smtplib.SMTP(HOST, port) as smtp:
        smtp.ehlo()
        return smtp.has_extn("pipelining")


def _blast(samples: list[bytes], count: int, port: int) -> tuple[float, float]:
    smtp = smtplib.SMTP(HOST, port)
    smtp.ehlo()
    started = time.time()
    for i in range(count):
        smtp.sendmail(
            "hello@careertips.local", [f"reader{i}@example.com"], samples[i % len(samples)]
        )
    finished = time.time()
    smtp.quit()
    return started, finished


@contextlib.contextmanager
def smtp_sink() -> Iterator[tuple[int, Any]]:
    """Postfix's smtp-sink on a free loopback port; yields the port and a received-counter."""
    port = free_port()
    with tempfile.NamedTemporaryFile(prefix="smtp-sink-", suffix=".log") as log:
        user = "nobody" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
        process = subprocess.Popen(  # noqa: S603
            [SMTP_SINK, "-c", "-u", user, f"{HOST}:{port}", "1000"], stdout=log, stderr=log
        )
        try:
            _wait_for_port(port)

            def received() -> int:
                time.sleep(0.3)  # smtp-sink updates its counter when a session ends
                counts = re.findall(rb"mesg=(\d+)", Path(log.name).read_bytes())
                return int(counts[-1]) if counts else 0

            yield port, received
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for_port(port: int, timeout: float = 10) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.05)
    raise RuntimeError("smtp-sink did not start")


def _summarise(report: dict, path: Path) -> None:
    for label, run in (("standard", report), ("large", report.get("large"))):
        if run:
            print(
                f"{label}: {run['messages']} messages in {run['seconds']}s = {run['rate']}/s "
                f"(ceiling {run['ceiling_rate']}/s, ratio {run['ratio']}), "
                f"received {run['received']}, worker RSS {run['peak_rss_mb']} MB"
            )
    print(f"written to {path.relative_to(ROOT)}")


INTRODUCTION = """\
Nobody enjoys hearing *no*. But the days after a rejection are when the best candidates
quietly pull ahead. This month: why you should **call the hiring manager**, what to say,
and how to turn what you hear into your next offer.
"""

ARTICLES = [
    (
        "letter",
        "Should I call after they turned me down?",
        """\
Yes, and the sooner the better. Think about it from the manager's side: they expect you to
be upset. When you call instead as a composed professional who wants to learn, you change
their opinion of you, and they will be glad to talk with you at the next association meeting.

Keep these rules in mind:

1. Come to learn, not to argue.
2. Never try to reverse the decision.
3. Thank them sincerely for whatever they share.

The main point of the call is the impression you leave; any feedback is a bonus. There is
no downside: you cannot be turned down twice.""",
        {
            "question": "I interviewed three times for an operations role and was turned down last "
            "week. A friend says I should call the hiring manager and ask why. Won't that look "
            "desperate?",
            "signed_as": "Robert in Denver",
        },
    ),
    (
        "feature",
        "Turn feedback into your next offer",
        """\
Whatever you hear on the call becomes work. Perhaps an **accomplishment story** was not
strong enough: rewrite it with a number in the first sentence. Perhaps the employer saw a gap
in your experience: prepare how you will position related work that covers it.

Keep a bank of quantified stories, one per competency the roles you want ask for, and read
them again before every interview. See [the archive](https://careertips.example.com/newsletter/)
for last year's issue on writing them.""",
        {},
    ),
    (
        "feature",
        "Negotiate from a prepared position",
        """\
An offer is the start of a conversation. Research the market range for the role, decide your
walk-away number before the call, and practise saying your figure out loud. Ask for time to
consider; a day is normal and nobody withdraws an offer because you took one.""",
        {},
    ),
    (
        "tip",
        "Follow up every application",
        "A short note a week after applying keeps you in mind. Set a reminder the day you apply.",
        {},
    ),
    (
        "tip",
        "Go to the association meeting",
        "The people who interview you go too. A friendly "
        "face there is worth ten cold applications.",
        {},
    ),
    (
        "tip",
        "Keep collecting accomplishments",
        "Once you land the job, keep a list: it is your case for the next raise.",
        {},
    ),
]


if __name__ == "__main__":
    sys.exit(main())

"""Kill a sending worker with SIGKILL at random moments and count what arrives.

Shared by tests/test_crash.py (small) and bench/crash.py (large). The caller prepares a
database holding an issue whose audience is frozen, and passes the worker's environment
(DATABASE_URL and so on); this module runs the SMTP sink, the worker, and the kills.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careertips.newsletter.tests.sending_factories import running_sink

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class CrashResult:
    recipients: int
    kills: int
    lost: int  # recipients never received
    duplicates: int  # extra copies received
    window: int  # accepted-but-unrecorded messages one crash can leave: the duplicate bound
    received: int
    foreign: int  # messages whose Message-ID or recipient matches no delivery
    mixed_ids: int  # recipients who got copies with differing Message-IDs
    seconds: float
    kill_points: list[int] = field(default_factory=list)

    @property
    def within_bound(self) -> bool:
        return self.lost == 0 and self.duplicates <= self.kills * self.window

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__, within_bound=self.within_bound)


def worker_environment(*, database_url: str, var_dir: str, mark_every: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careertips.settings",
        "DATABASE_URL": database_url,
        "CAREERTIPS_VAR_DIR": var_dir,
        "CAREERTIPS_TESTING": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_USE_TLS": "false",
        "NEWSLETTER_SEND_BATCH_SIZE": "25",
        # A killed worker's claims come back after a second, so the restarted one goes on.
        "NEWSLETTER_SEND_LEASE_SECONDS": "1",
        "NEWSLETTER_SEND_MARK_EVERY": str(mark_every),
        "NEWSLETTER_SEND_RATE": "0",
    }


def run_crash_scenario(
    *,
    expected: dict[str, str],  # recipient address → the Message-ID stored on its delivery
    env: dict[str, str],
    kills: int,
    window: int,
    seed: int | None = None,
    timeout: float = 120,
    how: signal.Signals = signal.SIGKILL,
) -> CrashResult:
    rng = random.Random(seed)  # noqa: S311 -- picking kill moments, not secrets
    # Kill points: how many messages the sink has seen when the worker dies, spread over
    # the send so that each kill lands in a different stretch of it.
    stretch = len(expected) / (kills + 1)
    points = sorted(int(stretch * (i + rng.uniform(0.3, 1.0))) for i in range(kills))
    started = time.monotonic()
    with running_sink() as (sink, port):
        env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
        deadline = started + timeout
        for point in points:
            worker = _start_worker(env)
            _wait_for(lambda point=point: len(sink.messages) >= point, worker, deadline)
            time.sleep(rng.uniform(0, 0.004))  # anywhere in the SMTP / database exchange
            worker.send_signal(how)
            worker.wait(timeout=30)
        final = _start_worker(env)
        try:
            final.wait(timeout=max(1.0, deadline - time.monotonic()))
        finally:
            if final.poll() is None:
                final.kill()
                final.wait()
        if final.returncode:
            raise RuntimeError(f"the last worker failed: {final.returncode}")
        received = list(sink.received)
    return _tally(expected, received, kills, window, points, time.monotonic() - started)


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "careertips.cli", "send_deliveries", "--wait"]
    return subprocess.Popen(  # noqa: S603
        [*command, "--interval", "0.2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )


def _wait_for(condition: Any, worker: subprocess.Popen, deadline: float) -> None:
    while not condition():
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited early ({worker.returncode})")
        if time.monotonic() > deadline:
            raise TimeoutError("the worker made no progress in time")
        time.sleep(0.001)


def _tally(
    expected: dict[str, str],
    received: list[tuple[str, str]],
    kills: int,
    window: int,
    points: list[int],
    seconds: float,
) -> CrashResult:
    copies = Counter(received)
    ids_by_recipient: dict[str, set[str]] = {}
    for recipient, message_id in received:
        ids_by_recipient.setdefault(recipient, set()).add(message_id)
    return CrashResult(
        recipients=len(expected),
        kills=kills,
        lost=sum(1 for address, mid in expected.items() if not copies[(address, mid)]),
        duplicates=sum(n - 1 for n in copies.values()),
        window=window,
        received=len(received),
        foreign=sum(n for (address, mid), n in copies.items() if expected.get(address) != mid),
        mixed_ids=sum(1 for ids in ids_by_recipient.values() if len(ids) > 1),
        seconds=round(seconds, 2),
        kill_points=points,
    )

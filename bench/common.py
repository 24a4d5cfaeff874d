"""Shared benchmark plumbing: a throwaway database, the production server, a load generator.

Benchmarks import this before Django: `throwaway_environment()` must run first because
settings are read from the environment once, at `django.setup()`.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import multiprocessing
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


@contextlib.contextmanager
def throwaway_environment(*, pg: bool = False) -> Iterator[dict[str, str]]:
    """Points this process (and the servers it starts) at a fresh database and var/ folder:
    a temporary SQLite file, or a throwaway PostgreSQL cluster from scripts/pg-cluster."""
    with tempfile.TemporaryDirectory(prefix="careertips-bench-") as tmp:
        env = {
            "CAREERTIPS_VAR_DIR": tmp,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "DJANGO_SETTINGS_MODULE": "careertips.settings",
            "LOG_LEVEL": "WARNING",
        }
        # Its own folder: pg-cluster hands it to the postgres user, who cannot enter `tmp`.
        cluster = Path(tempfile.mkdtemp(prefix="careertips-bench-pg-"))
        if pg:
            port = str(free_port())
            url = subprocess.run(  # noqa: S603
                [ROOT / "scripts" / "pg-cluster", "start", cluster, port],
                check=True, capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            _create_database(url)
            env["DATABASE_URL"] = url
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.update(env)
        try:
            yield env
        finally:
            if pg:
                subprocess.run([ROOT / "scripts" / "pg-cluster", "stop", cluster], check=False)  # noqa: S603
            shutil.rmtree(cluster, ignore_errors=True)


def setup_django(*, serve_pages: bool = False) -> None:
    """Call inside throwaway_environment(): settings are read from it at django.setup().
    `serve_pages` also makes what production settings need to render pages: the cache
    table and the collected (hashed) static files."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if serve_pages:
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)


def _create_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def production_server(command: list[str], *, port: int) -> Iterator[subprocess.Popen]:
    """Starts the server in its own process group and always stops the whole group."""
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait_until_up(process, port)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def server_cpu_seconds(server: subprocess.Popen) -> float | None:
    """CPU time used so far by every process of the server's group (Linux /proc; else None).
    Unlike requests per second, it hardly moves when other work shares the machine."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == server.pid:  # the process group the server leads
                ticks += int(fields[11]) + int(fields[12])  # user and system time
    return ticks / os.sysconf("SC_CLK_TCK")


def _wait_until_up(process: subprocess.Popen, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("server did not start in time")


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, pct: float) -> float:
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return round(cuts[int(pct) - 1] * 1000, 1)


# One request (or a few) of a client: its connection and its ticket number in, each request's
# (name, seconds, status) out.
Step = Callable[[http.client.HTTPConnection, int], list[tuple[str, float, int]]]


def drive(
    step: Step, *, port: int, total: int, concurrency: int, processes: bool = True
) -> dict[str, LoadResult]:
    """Runs `step` `total` times from `concurrency` clients, each on its own keep-alive
    connection. Each client is a process of its own by default, as separate users are: client
    threads of one process would wait for each other's turn at the interpreter, and count that
    wait as the server's latency. `processes=False` keeps them as threads of this one."""
    if not processes:
        return _drive_threads(step, port=port, total=total, concurrency=concurrency)
    context = multiprocessing.get_context("fork")
    tickets = context.Value("q", 0)
    start = context.Barrier(concurrency + 1)
    queue = context.Queue()

    def client() -> None:
        rows: list[tuple[str, float, int]] = []
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        start.wait()
        while True:
            with tickets.get_lock():
                n = tickets.value
                tickets.value += 1
            if n >= total:
                break
            rows += step(conn, n)
        conn.close()
        queue.put(rows)

    workers = [context.Process(target=client) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    start.wait()
    started = time.perf_counter()
    gathered = [queue.get() for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    return _results([row for rows in gathered for row in rows], elapsed)


def _drive_threads(step: Step, *, port: int, total: int, concurrency: int) -> dict[str, LoadResult]:
    tickets = itertools.count()
    lock = threading.Lock()
    rows: list[tuple[str, float, int]] = []

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        while (n := next(tickets)) < total:
            done = step(conn, n)
            with lock:
                rows.extend(done)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _results(rows, time.perf_counter() - started)


def _results(rows: list[tuple[str, float, int]], elapsed: float) -> dict[str, LoadResult]:
    results: dict[str, LoadResult] = {}
    for name, took, status in rows:
        result = results.setdefault(name, LoadResult(elapsed=elapsed))
        result.latencies.append(took)
        result.statuses[status] = result.statuses.get(status, 0) + 1
    return results


def timed(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str], body: Any
) -> tuple[float, int, bytes]:
    """One request on a keep-alive connection: seconds, status and body."""
    started = time.perf_counter()
    conn.request(method, path, body, headers)
    response = conn.getresponse()
    data = response.read()
    took = time.perf_counter() - started
    if response.will_close:
        conn.close()  # http.client opens it again on the next request
    return took, response.status, data


def hammer(
    path: str, *, port: int, total: int, concurrency: int, cookie: str = "",
    processes: bool = True,
) -> LoadResult:  # fmt: skip
    """GETs `path` `total` times from `concurrency` keep-alive connections."""
    headers = {"Cookie": cookie} if cookie else {}

    def get(conn: http.client.HTTPConnection, _n: int) -> list[tuple[str, float, int]]:
        took, status, _ = timed(conn, "GET", path, headers, None)
        return [(path, took, status)]

    results = drive(get, port=port, total=total, concurrency=concurrency, processes=processes)
    return results.get(path, LoadResult())


def write_json(name: str, data: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)
    return path

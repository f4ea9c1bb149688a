"""`make bench`, the throughput part: POST /order/<id>/payment-intent with LATENCY_MS injected
Stripe latency and CLIENTS concurrent clients against gunicorn started as the Procfile does
(testing.servers; worker and thread counts through GUNICORN_WORKERS/GUNICORN_THREADS), as a
ratio to the ideal (clients ÷ latency: every request makes exactly one Stripe call), and what
explains that figure: CPU milliseconds per request in each process (gunicorn workers,
PostgreSQL backends, emulator, this load generator), how busy each is and how evenly the workers
share the load, how busy the whole machine was, and the two ceilings: cores ÷ CPU per request,
and server threads ÷ latency. Run by `python -m bench` after its setup.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from typing import Any

from bench.config import ACCOUNTS, NO_RATE_LIMITS
from testing.servers import start_shop_server, stripe_environment, worker_pids

CLIENTS = 200
LATENCY_MS = 300
REQUESTS_PER_CLIENT = 5
# (workers, threads) tried, the Procfile's (gunicorn.conf.py defaults) first; workers x threads
# stays under PostgreSQL's default 100 connections, since each request holds its order's row
# lock (and so a connection) while it waits on Stripe.
SERVER_SETTINGS = ((2, 45), (2, 32), (4, 22), (6, 15))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores (/proc/stat)."""
    with open("/proc/stat") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks[:8]) - idle) / hz, sum(ticks[:8]) / hz


def _database_backends() -> list[int]:
    """PostgreSQL backends connected to the bench database (local server only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


async def _load(url: str, order_ids: list[int], requests: int) -> tuple[int, int, float]:
    import aiohttp

    token = "benchcsrftoken0123456789abcdefgh"  # noqa: S105 - any 32 chars matching the cookie
    from catalog.tests.factories import BUYER_SESSION_KEY  # the orders' buyer (make_order)

    cookies = f"csrftoken={token}; sessionid={BUYER_SESSION_KEY}"
    headers = {"X-CSRFToken": token, "Cookie": cookies}
    ok = failed = 0

    async def client(session: aiohttp.ClientSession, order_id: int) -> None:
        nonlocal ok, failed
        for _ in range(requests):
            try:
                async with session.post(
                    f"{url}/order/{order_id}/payment-intent", headers=headers
                ) as r:
                    await r.read()
                    ok += r.status == 200
                    failed += r.status != 200
            except aiohttp.ClientError:  # e.g. a kept-alive connection closed under load
                failed += 1

    connector = aiohttp.TCPConnector(limit=CLIENTS)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        await asyncio.gather(*(client(session, order_id) for order_id in order_ids))
        return ok, failed, time.monotonic() - started


@dataclass(frozen=True)
class Run:
    """One server setting under load: throughput and where the CPU went."""

    workers: int
    threads: int
    rate: float
    failed: int
    cpu_ms: dict[str, float]  # CPU milliseconds per request, by process group
    busy: dict[str, float]  # cores kept busy, by process group
    worker_busy: list[float]  # cores each worker kept busy: how evenly they share the load
    machine_busy: float  # cores busy on the whole machine, whatever ran there


def _measure(process: Any, url: str, emulator: Any, order_ids: list[int]) -> tuple[Any, ...]:
    """Load the server and account for the CPU used meanwhile, per process group."""
    workers = worker_pids(process.pid)
    emulator_pid = emulator.process.pid
    before = {pid: _cpu_seconds(pid) for pid in [*workers, emulator_pid]}
    backends = {pid: _cpu_seconds(pid) for pid in _database_backends()}
    machine_before = _machine_busy()
    load_before = time.process_time()
    ok, failed, elapsed = asyncio.run(_load(url, order_ids, REQUESTS_PER_CLIENT))
    load_cpu = time.process_time() - load_before
    machine_after = _machine_busy()
    # Connections persist (CONN_MAX_AGE), so most backends exist since the warm-up.
    database_cpu = sum(_cpu_seconds(pid) - backends.get(pid, 0.0) for pid in _database_backends())
    per_worker = [_cpu_seconds(pid) - before[pid] for pid in workers]
    cpu = {
        "workers": sum(per_worker),
        "postgres": database_cpu,
        "emulator": _cpu_seconds(emulator_pid) - before[emulator_pid],
        "load": load_cpu,
    }
    machine = (machine_after[0] - machine_before[0]) / elapsed
    return ok, failed, elapsed, cpu, per_worker, machine


def throughput(emulator: Any, database_url: str) -> list[Run]:
    from catalog.tests.factories import make_item, make_order

    item = make_item(name="Throughput cup")
    runs = []
    emulator.set_fault("*", latency_ms=LATENCY_MS)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Production's logging (INFO), so its cost is in the figures.
        "DJANGO_LOG_LEVEL": "INFO",
        **stripe_environment(emulator.url, ACCOUNTS),
        **NO_RATE_LIMITS,
    }
    for workers, threads in SERVER_SETTINGS:
        warm_ids = [make_order(lines=[(item, 1)]).pk for _ in range(CLIENTS)]
        order_ids = [make_order(lines=[(item, 1)]).pk for _ in range(CLIENTS)]
        server = start_shop_server(
            {**env, "GUNICORN_WORKERS": str(workers), "GUNICORN_THREADS": str(threads)},
            workers=workers,
        )
        try:
            asyncio.run(_load(server.url, warm_ids, 1))
            ok, failed, elapsed, cpu, per_worker, machine = _measure(
                server.process, server.url, emulator, order_ids
            )
        finally:
            server.stop()
        done = max(ok + failed, 1)
        runs.append(
            Run(
                workers=workers,
                threads=threads,
                rate=ok / elapsed,
                failed=failed,
                cpu_ms={name: 1000 * seconds / done for name, seconds in cpu.items()},
                busy={name: seconds / elapsed for name, seconds in cpu.items()},
                worker_busy=[seconds / elapsed for seconds in per_worker],
                machine_busy=machine,
            )
        )
    emulator.clear_faults()
    return runs


def explain(run: Run, ideal: float) -> None:
    cores = os.cpu_count() or 1
    total_ms = sum(run.cpu_ms.values())
    cpu_ceiling = cores / (total_ms / 1000)
    thread_ceiling = run.workers * run.threads / (LATENCY_MS / 1000)
    print(
        f"  gunicorn {run.workers} workers x {run.threads} threads: {run.rate:.0f} req/s, "
        f"{run.rate / ideal:.2f} of ideal, {run.failed} failed"
    )
    print(
        "    CPU ms/request: "
        + ", ".join(f"{name} {ms:.1f}" for name, ms in run.cpu_ms.items())
        + f"; total {total_ms:.1f}"
    )
    ours = sum(run.busy.values())
    print(
        "    cores busy: "
        + ", ".join(f"{name} {busy:.2f}" for name, busy in run.busy.items())
        + f"; machine {run.machine_busy:.2f} of {cores} (other processes "
        f"{max(run.machine_busy - ours, 0):.2f})"
    )
    print("    each worker: " + ", ".join(f"{busy:.2f}" for busy in run.worker_busy))
    binding = "CPU" if cpu_ceiling < thread_ceiling else "threads"
    print(
        f"    ceilings: {cores} cores / {total_ms:.1f} ms = {cpu_ceiling:.0f} req/s; "
        f"{run.workers * run.threads} threads / {LATENCY_MS} ms = {thread_ceiling:.0f} req/s "
        f"({binding} binds)"
    )

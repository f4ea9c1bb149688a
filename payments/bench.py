"""`make bench` (payments part): `python -m payments.bench`. A benchmark, not a test.

Prints:
1. database queries for one item page and one order page;
2. PaymentIntents created for 100 reloads of one order page (each reload clicking Pay); what
   1,000 cookie-less GET /buy/<id> leave behind under the rate limits (`payments.bench_limits`);
   and, with the limits lifted, the rows and Checkout Sessions 1,000 anonymous `GET /buy/<id>`
   make and the rows left after `sweep_abandoned` (`payments.bench_sweep`);
3. throughput of POST /order/<id>/payment-intent with 300 ms injected Stripe latency and 200
   concurrent clients against gunicorn started as the Procfile does (gunicorn.conf.py, worker
   and thread counts through GUNICORN_WORKERS/GUNICORN_THREADS), on a loopback port, as a
   ratio to the ideal (clients ÷ latency: every request makes exactly one Stripe call);
4. what explains that figure: CPU milliseconds per request in each process (gunicorn workers,
   PostgreSQL backends, emulator, this load generator), how busy each is and how evenly the
   workers share the load, how busy the whole machine was (other processes count: a shared
   machine gives lower, noisier figures), and the two ceilings: cores ÷ CPU per request, and
   server threads ÷ latency (each request holds a thread, and a database connection, while it
   waits on Stripe).

Each server setting first serves one request per client on other orders (not timed), so
connections, Stripe clients and imports are warm; then each client makes REQUESTS_PER_CLIENT
requests, the first creating its order's PaymentIntent and the others reusing it.

It uses its own database: PostgreSQL `BENCH_DATABASE_URL` (default the local `shop_bench`,
created if missing), or a temporary SQLite file when PostgreSQL is not reachable (which
serialises writers, so part 3 is then only indicative). Everything listens on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLIENTS = 200
LATENCY_MS = 300
REQUESTS_PER_CLIENT = 5
RELOADS = 100
# (workers, threads) tried in part 3, the Procfile's (gunicorn.conf.py defaults) first;
# workers x threads stays under PostgreSQL's default 100 connections, since each request holds
# its order's row lock (and so a connection) while it waits on Stripe.
SERVER_SETTINGS = ((2, 45), (2, 32), (4, 22), (6, 15))
# Parts 2 and 3 measure PaymentIntent reuse and throughput from one address, not the rate
# limits (bench_limits measures those): lifted there.
NO_RATE_LIMITS = {
    "RATE_LIMIT_PER_CLIENT": "1000000/s",
    "RATE_LIMIT_PER_STRIPE_ACCOUNT": "1000000/s",
}
SECRET_KEY = "sk_test_benchusd"  # noqa: S105 - an emulator test key
WEBHOOK_SECRET = "whsec_bench0123456789abcdefghijklmnopqrstuv"  # noqa: S105 - emulator only
BASE_DIR = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop_bench")
    try:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
        return url
    except Exception as error:  # any failure means "no PostgreSQL here"
        path = Path(tempfile.mkdtemp(prefix="shop-bench-")) / "bench.sqlite3"
        print(f"PostgreSQL not reachable ({type(error).__name__}); using SQLite at {path}")
        return f"sqlite:///{path}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _setup(database_url: str, emulator_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    # Pages are served from the source tree (no collectstatic) and Stripe's request log is noise.
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STRIPE_API_BASE = emulator_url
    settings.STRIPE_CURRENCIES = ["usd"]
    settings.STRIPE_ACCOUNTS = {
        "usd": {
            "secret_key": SECRET_KEY,
            "publishable_key": SECRET_KEY.replace("sk_", "pk_"),
            "webhook_secret": WEBHOOK_SECRET,
        }
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def _query_counts() -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.tests.factories import BUYER_SESSION_KEY, make_item, make_order

    item = make_item(name="Bench cup")
    order = make_order(lines=[(item, 2), (make_item(name="Bench pot", price="9.99"), 1)])
    client = Client()
    client.cookies["sessionid"] = BUYER_SESSION_KEY  # the buyer who placed the order
    client.get(f"/item/{item.pk}")  # the session and CSRF cookie exist from here on
    counts = []
    for url in (f"/item/{item.pk}", f"/order/{order.pk}"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def _creations_per_reloads(emulator: Any) -> int:
    from django.test import Client, override_settings

    from catalog.tests.factories import BUYER_SESSION_KEY, make_order

    order = make_order()
    client = Client()
    client.cookies["sessionid"] = BUYER_SESSION_KEY  # the buyer who placed the order
    before = len(_creates(emulator))
    with override_settings(**NO_RATE_LIMITS):
        for _ in range(RELOADS):
            assert client.get(f"/order/{order.pk}").status_code == 200
            assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
    return len(_creates(emulator)) - before


def _creates(emulator: Any) -> list[dict[str, Any]]:
    return [
        r
        for r in emulator.requests()
        if (r["method"], r["path"]) == ("POST", "/v1/payment_intents")
    ]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


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


def _start_gunicorn(workers: int, threads: int, env: dict[str, str]) -> tuple[Any, str]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "project.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=BASE_DIR,
        env={**env, "GUNICORN_WORKERS": str(workers), "GUNICORN_THREADS": str(threads)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):  # noqa: S310 - loopback
                if len(_children(process.pid)) >= workers:
                    return process, url
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


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
    workers = _children(process.pid)
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


def _throughput(emulator: Any, database_url: str) -> list[Run]:
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
        "STRIPE_API_BASE": emulator.url,
        "STRIPE_CURRENCIES": "usd",
        "STRIPE_USD_SECRET_KEY": SECRET_KEY,
        "STRIPE_USD_PUBLISHABLE_KEY": SECRET_KEY.replace("sk_", "pk_"),
        "STRIPE_USD_WEBHOOK_SECRET": WEBHOOK_SECRET,
        **NO_RATE_LIMITS,
    }
    for workers, threads in SERVER_SETTINGS:
        warm_ids = [make_order(lines=[(item, 1)]).pk for _ in range(CLIENTS)]
        order_ids = [make_order(lines=[(item, 1)]).pk for _ in range(CLIENTS)]
        process, url = _start_gunicorn(workers, threads, env)
        try:
            asyncio.run(_load(url, warm_ids, 1))
            ok, failed, elapsed, cpu, per_worker, machine = _measure(
                process, url, emulator, order_ids
            )
        finally:
            process.terminate()
            process.wait(timeout=20)
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


def _explain(run: Run, ideal: float) -> None:
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


def main() -> None:
    from payments.bench_limits import anonymous_buys
    from payments.bench_sweep import anonymous_buys_and_sweep
    from stripe_emulator.testing import start_emulator_process

    database_url = _database_url()
    emulator = start_emulator_process("--account", SECRET_KEY)
    try:
        _setup(database_url, emulator.url)
        item_queries, order_queries = _query_counts()
        print(f"Queries: item page {item_queries}, order page {order_queries}")
        created = _creations_per_reloads(emulator)
        print(f"PaymentIntents created for {RELOADS} reloads of one order page: {created}")
        anonymous_buys(emulator)
        for line in anonymous_buys_and_sweep(emulator):
            print(line)
        ideal = CLIENTS / (LATENCY_MS / 1000)
        print(
            f"POST /order/<id>/payment-intent, {CLIENTS} clients x {REQUESTS_PER_CLIENT} "
            f"requests, {LATENCY_MS} ms Stripe latency, ideal {ideal:.0f} req/s "
            f"(no CPU time at all):"
        )
        for run in _throughput(emulator, database_url):
            _explain(run, ideal)
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()

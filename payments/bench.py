"""`make bench` (payments part): `python -m payments.bench`. A benchmark, not a test.

Prints:
1. database queries for one item page and one order page;
2. PaymentIntents created for 100 reloads of one order page (each reload clicking Pay);
3. throughput of POST /order/<id>/payment-intent with 300 ms injected Stripe latency and 200
   concurrent clients against gunicorn started as the Procfile does (gunicorn.conf.py, worker
   and thread counts through GUNICORN_WORKERS/GUNICORN_THREADS), on a loopback port, as a
   ratio to the ideal (clients ÷ latency: every request makes exactly one Stripe call).

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
from pathlib import Path
from typing import Any

CLIENTS = 200
LATENCY_MS = 300
REQUESTS_PER_CLIENT = 3
RELOADS = 100
# (workers, threads) tried in part 3; workers x threads stays under PostgreSQL's default 100
# connections, since each request holds its order's row lock (and so a connection) while it
# waits on Stripe.
SERVER_SETTINGS = ((2, 32), (2, 45), (3, 30), (4, 22))
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

    from catalog.tests.factories import make_item, make_order

    item = make_item(name="Bench cup")
    order = make_order(lines=[(item, 2), (make_item(name="Bench pot", price="9.99"), 1)])
    client = Client()
    client.get(f"/item/{item.pk}")  # the session and CSRF cookie exist from here on
    counts = []
    for url in (f"/item/{item.pk}", f"/order/{order.pk}"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def _creations_per_reloads(emulator: Any) -> int:
    from django.test import Client

    from catalog.tests.factories import make_order

    order = make_order()
    client = Client()
    before = len(_creates(emulator))
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
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


async def _load(url: str, order_ids: list[int]) -> tuple[int, int, float]:
    import aiohttp

    token = "benchcsrftoken0123456789abcdefgh"  # noqa: S105 - any 32 chars matching the cookie
    headers = {"X-CSRFToken": token, "Cookie": f"csrftoken={token}"}
    ok = failed = 0

    async def client(session: aiohttp.ClientSession, order_id: int) -> None:
        nonlocal ok, failed
        for _ in range(REQUESTS_PER_CLIENT):
            async with session.post(f"{url}/order/{order_id}/payment-intent", headers=headers) as r:
                await r.read()
                if r.status == 200:
                    ok += 1
                else:
                    failed += 1

    connector = aiohttp.TCPConnector(limit=CLIENTS)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        await asyncio.gather(*(client(session, order_id) for order_id in order_ids))
        return ok, failed, time.monotonic() - started


def _throughput(emulator: Any, database_url: str) -> list[tuple[int, int, float, int]]:
    from catalog.tests.factories import make_item, make_order

    item = make_item(name="Throughput cup")
    order_ids = [make_order(lines=[(item, 1)]).pk for _ in range(CLIENTS)]
    emulator.set_fault("*", latency_ms=LATENCY_MS)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "STRIPE_API_BASE": emulator.url,
        "STRIPE_CURRENCIES": "usd",
        "STRIPE_USD_SECRET_KEY": SECRET_KEY,
        "STRIPE_USD_PUBLISHABLE_KEY": SECRET_KEY.replace("sk_", "pk_"),
        "STRIPE_USD_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    results = []
    for workers, threads in SERVER_SETTINGS:
        process, url = _start_gunicorn(workers, threads, env)
        try:
            ok, failed, elapsed = asyncio.run(_load(url, order_ids))
        finally:
            process.terminate()
            process.wait(timeout=20)
        results.append((workers, threads, ok / elapsed, failed))
    emulator.clear_faults()
    return results


def main() -> None:
    from stripe_emulator.testing import start_emulator_process

    database_url = _database_url()
    emulator = start_emulator_process("--account", SECRET_KEY)
    try:
        _setup(database_url, emulator.url)
        item_queries, order_queries = _query_counts()
        print(f"Queries: item page {item_queries}, order page {order_queries}")
        created = _creations_per_reloads(emulator)
        print(f"PaymentIntents created for {RELOADS} reloads of one order page: {created}")
        ideal = CLIENTS / (LATENCY_MS / 1000)
        print(
            f"POST /order/<id>/payment-intent, {CLIENTS} clients x {REQUESTS_PER_CLIENT} "
            f"requests, {LATENCY_MS} ms Stripe latency, ideal {ideal:.0f} req/s:"
        )
        for workers, threads, rate, failed in _throughput(emulator, database_url):
            print(
                f"  gunicorn {workers} workers x {threads} threads: {rate:.0f} req/s, "
                f"{rate / ideal:.2f} of ideal, {failed} failed"
            )
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()

"""`make bench` (the shop part): `python -m bench`. A benchmark, not a test.

Prints:
1. database queries for one item page and one order page;
2. PaymentIntents created for 100 reloads of one order page (each reload clicking Pay); what
   1,000 cookie-less GET /buy/<id> leave behind under the rate limits (`bench.limits`);
   and, with the limits lifted, the rows and Checkout Sessions 1,000 anonymous `GET /buy/<id>`
   make and the rows left after `sweep_abandoned` (`bench.sweep`);
3. throughput of POST /order/<id>/payment-intent with 300 ms injected Stripe latency and 200
   concurrent clients against gunicorn started as the Procfile does (`bench.throughput`,
   gunicorn.conf.py, worker and thread counts through GUNICORN_WORKERS/GUNICORN_THREADS), on a
   loopback port, as a ratio to the ideal (clients ÷ latency: every request makes exactly one
   Stripe call);
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

import os
import tempfile
from pathlib import Path
from typing import Any

from bench.config import ACCOUNTS, NO_RATE_LIMITS, SECRET_KEY
from bench.throughput import CLIENTS, LATENCY_MS, REQUESTS_PER_CLIENT, explain, throughput

RELOADS = 100


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
    settings.STRIPE_CURRENCIES = list(ACCOUNTS)
    settings.STRIPE_ACCOUNTS = {
        currency: {
            "secret_key": keys.secret_key,
            "publishable_key": keys.publishable_key,
            "webhook_secret": keys.webhook_secret,
        }
        for currency, keys in ACCOUNTS.items()
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


def main() -> None:
    from django.test import override_settings

    from bench.limits import anonymous_buys
    from bench.sweep import anonymous_buys_and_sweep
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
        # The sweep is measured on what 1,000 unrefused requests leave (the limits above would
        # refuse 970 of them).
        with override_settings(**NO_RATE_LIMITS):
            lines = anonymous_buys_and_sweep(emulator)
        for line in lines:
            print(line)
        ideal = CLIENTS / (LATENCY_MS / 1000)
        print(
            f"POST /order/<id>/payment-intent, {CLIENTS} clients x {REQUESTS_PER_CLIENT} "
            f"requests, {LATENCY_MS} ms Stripe latency, ideal {ideal:.0f} req/s "
            f"(no CPU time at all):"
        )
        for run in throughput(emulator, database_url):
            explain(run, ideal)
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()

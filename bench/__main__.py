"""`make bench`: `python -m bench [floors|servers] [--rounds N] [--seconds S] [--creates N]`
(`servers [--only TEXT]`).
A benchmark, not a test: it prints figures and exits non-zero only when it could not measure.

With no part named, prints:
1. database queries for one item page, one order page, one PaymentIntent create and one
   webhook delivery (and its redelivery);
2. PaymentIntents created for 100 reloads of one order page (each reload clicking Pay); what
   1,000 cookie-less GET /buy/<id> leave behind under the rate limits (`bench.limits`); and,
   with the limits lifted, what 1,000 anonymous GET /buy/<id> make and what `sweep_abandoned`
   leaves (`bench.sweep`);
3. the floor part (`bench.floors`, also alone as `python -m bench floors`): the shop and the
   floor apps of bench/floor under the Procfile's gunicorn settings, in interleaved rounds,
   each figure a ratio to its floor (pages: throughput and CPU per request; the PaymentIntent
   endpoint and the webhook: CPU per request), with failures and the machine's load.

`python -m bench servers` (`make bench-servers`) compares server settings instead
(`bench.throughput`): the PaymentIntent endpoint at 300 ms of Stripe latency, 200 clients.

It uses its own database: PostgreSQL `BENCH_DATABASE_URL` (default the local `shop_bench`,
created if missing), or a temporary SQLite file when PostgreSQL is not reachable (then the
floor part is only indicative: SQLite serialises writers). Everything listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.config import NO_RATE_LIMITS, SECRET_KEY
from bench.setup import creations_per_reloads, query_counts, setup_django

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


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("part", nargs="?", choices=["all", "floors", "servers"], default="all")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--seconds", type=float, default=5, help="wrk's duration per page")
    parser.add_argument("--creates", type=int, default=200, help="PaymentIntents per round")
    parser.add_argument("--only", default="", help="servers: the settings whose label has this")
    return parser.parse_args(argv)


def _shop_parts(emulator: Any) -> None:
    from django.test import override_settings

    from bench.limits import anonymous_buys
    from bench.sweep import anonymous_buys_and_sweep

    counts = query_counts()
    print("Queries: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    created = creations_per_reloads(emulator, RELOADS)
    print(f"PaymentIntents created for {RELOADS} reloads of one order page: {created}")
    anonymous_buys(emulator)
    # The sweep is measured on what 1,000 unrefused requests leave (the limits above would
    # refuse 970 of them).
    with override_settings(**NO_RATE_LIMITS):
        lines = anonymous_buys_and_sweep(emulator)
    for line in lines:
        print(line)


def _procfile_shape() -> str:
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    return (
        f"gunicorn.conf.py: {config['workers']} workers x {config['threads']} threads "
        f"({config['worker_class']})"
    )


def main(argv: list[str] | None = None) -> int:
    from bench.floors import run_floors
    from bench.throughput import compare_servers
    from stripe_emulator.testing import start_emulator_process

    args = _arguments(argv)
    database_url = _database_url()
    emulator = start_emulator_process("--account", SECRET_KEY)
    try:
        setup_django(database_url, emulator.url)
        if args.part == "servers":
            return compare_servers(emulator, database_url, args.only)
        if args.part == "all":
            _shop_parts(emulator)
        return run_floors(emulator, database_url, args, _procfile_shape())
    finally:
        emulator.stop()


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bench servers` (`make bench-servers`): which server setting serves
POST /order/<id>/payment-intent best with LATENCY_MS of injected Stripe latency and CLIENTS
closed-loop clients, each setting within the same PostgreSQL connection budget (workers x
DATABASE_POOL_SIZE = 16, gunicorn.conf.py's sum): throughput as a ratio to the ideal (clients ÷
latency: every request makes one Stripe call), failures, CPU milliseconds per request by process
group, and how busy the machine was with other work.

Each setting first serves one request per client on other orders (not timed), so connections,
Stripe clients and imports are warm; then each client makes REQUESTS_PER_CLIENT requests on its
own order, the first creating its PaymentIntent and the others reusing it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from bench.apps import App, server_environment, start_app
from bench.floors import create_post
from bench.load import post_all, post_sequences
from bench.measure import Failures, Meter, Sample, resident_mb

CLIENTS = 200
LATENCY_MS = 300
REQUESTS_PER_CLIENT = 5


@dataclass(frozen=True)
class Shape:
    """A server setting: gunicorn's worker class and counts, and each worker's pool size."""

    label: str
    workers: int
    threads: int
    pool: int
    args: tuple[str, ...] = ()


# Every shape opens at most 16 connections (workers x pool), the Procfile's budget. Shapes other
# than gunicorn.conf.py's own set keep-alive themselves (its default is off).
SHAPES = (
    Shape("gthread 2 x 8 = pool 8, keep-alive 0 (gunicorn.conf.py)", 2, 8, 8),
    Shape("gthread 2 x 8 = pool 8, keep-alive 2 s", 2, 8, 8, ("--keep-alive", "2")),
    Shape(
        "gthread 2 x 45, pool 8, keep-alive 2 s (the old default)", 2, 45, 8, ("--keep-alive", "2")
    ),
    Shape("gthread 4 x 4 = pool 4, keep-alive 0", 4, 4, 4),
    Shape("sync 16 workers, pool 1", 16, 1, 1, ("--worker-class", "sync")),
    Shape(
        "gevent 2 workers x 8 connections, pool 8",
        2,
        1,
        8,
        ("--worker-class", "gevent", "--worker-connections", "8"),
    ),
    Shape(
        "gevent 2 workers x 100 connections, pool 8",
        2,
        1,
        8,
        ("--worker-class", "gevent", "--worker-connections", "100"),
    ),
)


def _measure(app: App, emulator: Any, orders: list[int]) -> tuple[Sample, Failures, float]:
    """The load's sample, its failures and the Stripe calls made per answered request."""
    failures = Failures()
    calls_before = len(emulator.requests())
    emulator_pid = emulator.process.pid
    meter = Meter(
        lambda: {"workers": app.workers(), "postgres": app.backends(), "emulator": [emulator_pid]}
    )

    def load() -> tuple[int, float, float]:
        sequences = [[create_post(app.url, order)] * REQUESTS_PER_CLIENT for order in orders]
        ok, elapsed, cpu, found = post_sequences(sequences)
        failures.merge(found)
        return ok, elapsed, cpu

    sample = meter.run(load)
    return sample, failures, (len(emulator.requests()) - calls_before) / max(sample.ok, 1)


def _run_shape(shape: Shape, env: dict[str, str], emulator: Any, item: int) -> bool:
    """Measure one shape and print it; whether any request was answered."""
    from bench.rows import new_orders

    warm_orders, orders = new_orders(item, CLIENTS), new_orders(item, CLIENTS)
    settings = {
        "GUNICORN_WORKERS": str(shape.workers),
        "GUNICORN_THREADS": str(shape.threads),
        "DATABASE_POOL_SIZE": str(shape.pool),
    }
    try:
        app = start_app("shop", {**env, **settings}, shape.args)
    except RuntimeError as error:
        print(f"  {shape.label}: did not start ({error})")
        return False
    try:
        post_all([create_post(app.url, order) for order in warm_orders], CLIENTS)
        sample, failures, calls = _measure(app, emulator, orders)
        memory = sum(resident_mb(pid) for pid in app.workers())
    finally:
        app.server.stop()
    _explain(shape, sample, failures, calls)
    print(f"    workers' resident memory after the load: {memory:.0f} MB in all")
    return sample.ok > 0


def _explain(shape: Shape, sample: Sample, failures: Failures, calls: float) -> None:
    ideal = CLIENTS / (LATENCY_MS / 1000)
    cores = os.cpu_count() or 1
    groups = ("workers", "postgres", "emulator", "load")
    total = sample.cpu_ms(*groups)
    # Each request holds a database connection across its Stripe calls (the order's row lock).
    held = max(calls, 0.01) * LATENCY_MS / 1000
    print(
        f"  {shape.label}: {sample.rate:.0f} req/s, {sample.rate / ideal:.2f} of ideal, "
        f"{failures.describe()}"
    )
    print(
        "    CPU ms/request: "
        + ", ".join(f"{group} {sample.cpu_ms(group):.1f}" for group in groups)
        + f"; total {total:.1f} (ceiling {cores} cores / {total:.1f} ms = "
        f"{cores / (total / 1000):.0f} req/s); {calls:.2f} Stripe calls per request: "
        f"connections {shape.workers * shape.pool} / {held * 1000:.0f} ms = "
        f"{shape.workers * shape.pool / held:.0f} req/s; other processes kept "
        f"{sample.others:.2f} cores busy"
    )


def compare_servers(emulator: Any, database_url: str, only: str = "") -> int:
    """Run every shape (whose label contains `only`) in turn and print its figures; 1 if none
    could be measured."""
    from catalog.tests.factories import make_item

    item = make_item(name="Throughput cup").pk
    env = server_environment(emulator.url, database_url)
    ideal = CLIENTS / (LATENCY_MS / 1000)
    print(
        f"POST /order/<id>/payment-intent, {CLIENTS} clients x {REQUESTS_PER_CLIENT} requests, "
        f"{LATENCY_MS} ms Stripe latency, ideal {ideal:.0f} req/s; loadavg before "
        + " ".join(f"{n:.2f}" for n in os.getloadavg())
    )
    emulator.set_fault("*", latency_ms=LATENCY_MS)
    try:
        shapes = [shape for shape in SHAPES if only in shape.label]
        measured = [_run_shape(shape, env, emulator, item) for shape in shapes]
    finally:
        emulator.clear_faults()
    print("  loadavg after " + " ".join(f"{n:.2f}" for n in os.getloadavg()))
    return 0 if any(measured) else 1

"""How `python -m bench` prints the floor part: each figure as a ratio to its floor with
min/median/max over rounds, the absolute medians beside it, failures, exactly-once checks, and
how busy the machine was with other work."""

from __future__ import annotations

import os
import statistics

from bench.floors import Results
from bench.measure import Sample, describe_spread, ratios, spread

WORKERS = ("workers",)
WITH_DATABASE = ("workers", "postgres")


def _rate(samples: list[Sample]) -> float:
    return spread(s.rate for s in samples)[1]


def _ms(samples: list[Sample], *groups: str) -> str:
    return f"{spread(s.cpu_ms(*groups) for s in samples)[1]:.2f}"


def _page_lines(results: Results, figure: str, label: str) -> list[str]:
    shop, floor = results.samples[figure]["shop"], results.samples[figure]["floor"]
    throughput = ratios(shop, floor, lambda s: s.rate)
    cpu = ratios(shop, floor, lambda s: s.cpu_ms(*WORKERS))
    return [
        f"  {label}: throughput {describe_spread(throughput)} of the floor's; "
        f"worker CPU per request {describe_spread(cpu, 'x')} the floor's",
        f"    medians: shop {_rate(shop):.0f} req/s, {_ms(shop, *WORKERS)} ms/request; "
        f"floor {_rate(floor):.0f} req/s, {_ms(floor, *WORKERS)} ms/request",
    ]


def _cpu_lines(results: Results, figure: str, label: str, unit: str) -> list[str]:
    shop, floor = results.samples[figure]["shop"], results.samples[figure]["floor"]
    workers = ratios(shop, floor, lambda s: s.cpu_ms(*WORKERS))
    both = ratios(shop, floor, lambda s: s.cpu_ms(*WITH_DATABASE))
    return [
        f"  {label}: worker CPU per {unit} {describe_spread(workers, 'x')} the floor's; "
        f"with PostgreSQL's {describe_spread(both, 'x')}",
        f"    medians, ms per {unit}: shop workers {_ms(shop, *WORKERS)}, PostgreSQL "
        f"{_ms(shop, 'postgres')}, emulator {_ms(shop, 'emulator')}; floor workers "
        f"{_ms(floor, *WORKERS)}, PostgreSQL {_ms(floor, 'postgres')}, emulator "
        f"{_ms(floor, 'emulator')}",
    ]


def _locked_floor_lines(results: Results) -> list[str]:
    """The endpoint against the floor that also locks, reads and records (bench.floor), and
    that floor against the one without a database: what any locked, recorded create costs."""
    endpoint = results.samples["endpoint"]
    shop, floor, locked = endpoint["shop"], endpoint["floor"], endpoint["locked floor"]
    workers = ratios(shop, locked, lambda s: s.cpu_ms(*WORKERS))
    both = ratios(shop, locked, lambda s: s.cpu_ms(*WITH_DATABASE))
    floors = ratios(locked, floor, lambda s: s.cpu_ms(*WORKERS))
    return [
        f"    against the locked floor (the create inside a transaction that locks and reads the"
        f" order's row and inserts its payment): worker CPU {describe_spread(workers, 'x')};"
        f" with PostgreSQL's {describe_spread(both, 'x')}",
        f"    the locked floor itself: worker CPU {describe_spread(floors, 'x')} the floor's;"
        f" medians, ms per create: workers {_ms(locked, *WORKERS)}, PostgreSQL"
        f" {_ms(locked, 'postgres')}, emulator {_ms(locked, 'emulator')}",
    ]


def print_floors(results: Results, shape: str, rounds: int) -> None:
    print(f"Shop / floor (bench/floor), {shape}, {rounds} interleaved rounds, median (min, max):")
    for line in [
        *_page_lines(results, "item page", "GET /item/<id>"),
        *_page_lines(results, "catalog page", "GET / (catalog)"),
        *_cpu_lines(results, "endpoint", "POST /order/<id>/payment-intent", "create"),
        *_locked_floor_lines(results),
        *_cpu_lines(results, "webhook", "signed webhook deliveries", "delivery"),
    ]:
        print(line)
    for line in results.once:
        print(f"    {line}")
    failed = {name: f for name, f in results.failures.items() if f.total()}
    print("  failed requests:" + ("" if failed else " none"))
    for name, failures in sorted(failed.items()):
        print(f"    {name}: {failures.describe()}")
    print_load([s for apps in results.samples.values() for ss in apps.values() for s in ss])


def print_load(samples: list[Sample]) -> None:
    cores = os.cpu_count() or 1
    others = [s.others for s in samples]
    one, five, fifteen = os.getloadavg()
    print(
        f"  machine: other processes kept {statistics.median(others):.2f} of {cores} cores busy "
        f"(min {min(others):.2f}, max {max(others):.2f}) while measuring; "
        f"loadavg {one:.2f} {five:.2f} {fifteen:.2f}"
    )


def measured(results: Results) -> list[str]:
    """The figures that could not be measured at all (no request answered in any round)."""
    return [
        f"{figure}, {app}"
        for figure, apps in results.samples.items()
        for app, samples in apps.items()
        if not any(sample.ok for sample in samples)
    ]

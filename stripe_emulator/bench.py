"""``python -m stripe_emulator.bench``: is the emulator ever the bottleneck?

Starts the emulator as a subprocess on loopback with injected latency, fires ``--requests``
GETs with up to ``--concurrency`` in flight through one aiohttp client, and prints requests/s,
the peak number of requests in flight and the ratio to the ideal (concurrency / latency).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Sequence

import aiohttp

from stripe_emulator.testing import start_emulator_process

KEY = "sk_test_bench"


async def _fire(url: str, total: int, concurrency: int) -> tuple[float, int, int]:
    in_flight = peak = failures = 0
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=0)
    headers = {"Authorization": f"Bearer {KEY}"}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def one() -> None:
            nonlocal in_flight, peak, failures
            async with gate:
                in_flight += 1
                peak = max(peak, in_flight)
                try:
                    async with session.get(f"{url}/v1/payment_intents?limit=1") as response:
                        await response.read()
                        failures += response.status != 200
                finally:
                    in_flight -= 1

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(total)))
        return time.perf_counter() - started, peak, failures


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux ``/proc``), to see if the server saturates."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_emulator.bench")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=300, help="must be > 0")
    args = parser.parse_args(argv)
    emulator = start_emulator_process("--latency-ms", str(args.latency_ms), "--host", "127.0.0.1")
    if args.latency_ms <= 0:
        parser.error("--latency-ms must be > 0")
    pid = emulator.process.pid
    try:
        cpu_before = _cpu_seconds(pid)
        elapsed, peak, failures = asyncio.run(_fire(emulator.url, args.requests, args.concurrency))
        server_cpu = _cpu_seconds(pid) - cpu_before
    finally:
        emulator.stop()
    rps = args.requests / elapsed
    ideal = min(args.concurrency, args.requests) / (args.latency_ms / 1000)
    print(f"requests: {args.requests}, failures: {failures}, elapsed: {elapsed:.2f}s")
    print(f"requests/s: {rps:.0f} (ideal {ideal:.0f} = concurrency / latency)")
    print(f"peak in flight: {peak}")
    print(f"ratio to ideal: {rps / ideal:.2f}")
    # Below 1.0 the server waited on the client/network, not the reverse.
    print(f"server CPU busy: {server_cpu / elapsed:.2f} of one core")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

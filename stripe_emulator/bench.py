"""``python -m stripe_emulator.bench``: is the emulator ever the bottleneck?

Starts the emulator as a subprocess on loopback, optionally fills one account with
``--prefill`` PaymentIntents, injects ``--latency-ms`` on every /v1 request, then fires
``--requests`` requests with up to ``--concurrency`` in flight through one aiohttp client:
``--mode read`` lists PaymentIntents (``limit=1``), ``--mode write`` creates and confirms one
with ``pm_card_visa`` (one POST). It prints requests/s, the ratio to the ideal (concurrency /
latency) and the peak number of requests in flight **as counted by the server** (a counter in
its request pipeline, read from ``/_emulator/stats``), not the client's own semaphore.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import urllib.request
import uuid
from collections.abc import Sequence
from typing import Any

import aiohttp

from stripe_emulator.testing import start_emulator_process

KEY = "sk_test_bench"
WRITE = {"amount": "1000", "currency": "usd", "confirm": "true", "payment_method": "pm_card_visa",
         "return_url": "https://shop.example/done"}  # fmt: skip


async def _fire(url: str, total: int, concurrency: int, mode: str) -> tuple[float, int]:
    failures = 0
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=0)
    headers = {"Authorization": f"Bearer {KEY}"}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def one() -> None:
            nonlocal failures
            async with gate:
                if mode == "write":
                    request = session.post(
                        f"{url}/v1/payment_intents", data=WRITE,
                        headers={"Idempotency-Key": str(uuid.uuid4())},
                    )  # fmt: skip
                else:
                    request = session.get(f"{url}/v1/payment_intents?limit=1")
                async with request as response:
                    await response.read()
                    failures += response.status != 200

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(total)))
        return time.perf_counter() - started, failures


def _control(url: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - the emulator on loopback
        url + path, data, {"Content-Type": "application/json"}, method=method
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.loads(response.read())


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux ``/proc``), to see if the server saturates."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m stripe_emulator.bench")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=300, help="must be > 0")
    parser.add_argument("--mode", choices=("read", "write"), default="read")
    parser.add_argument("--prefill", type=int, default=0,
                        help="PaymentIntents created in the account before measuring")  # fmt: skip
    args = parser.parse_args(argv)
    if args.latency_ms <= 0:
        parser.error("--latency-ms must be > 0")
    if args.requests <= 0 or args.concurrency <= 0 or args.prefill < 0:
        parser.error("--requests and --concurrency must be > 0, --prefill >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)  # before starting anything: a usage error leaves no child behind
    emulator = start_emulator_process("--host", "127.0.0.1")
    try:
        if args.prefill:
            asyncio.run(_fire(emulator.url, args.prefill, 100, "write"))
        _control(emulator.url, "POST", "/_emulator/faults", {"latency_ms": args.latency_ms})
        _control(emulator.url, "DELETE", "/_emulator/stats")
        pid = emulator.process.pid
        cpu_before = _cpu_seconds(pid)
        elapsed, failures = asyncio.run(
            _fire(emulator.url, args.requests, args.concurrency, args.mode)
        )
        server_cpu = _cpu_seconds(pid) - cpu_before
        stats = _control(emulator.url, "GET", "/_emulator/stats")
    finally:
        emulator.stop()
    rps = args.requests / elapsed
    ideal = min(args.concurrency, args.requests) / (args.latency_ms / 1000)
    print(f"mode: {args.mode}, objects before: {args.prefill}, latency: {args.latency_ms} ms")
    print(f"requests: {args.requests}, failures: {failures}, elapsed: {elapsed:.2f}s")
    print(f"requests/s: {rps:.0f} (ideal {ideal:.0f} = concurrency / latency)")
    print(f"ratio to ideal: {rps / ideal:.2f}")
    print(f"server-side peak in flight: {stats['peak_in_flight']}")
    # Below 1.0 the server waited on the client/network, not the reverse.
    print(f"server CPU busy: {server_cpu / elapsed:.2f} of one core")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

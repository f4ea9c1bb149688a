"""What every measured figure of `python -m bench` shares: CPU time read from Linux's /proc
(user + system, per process), the machine's load meanwhile, failed requests, and the summary of
a ratio over rounds. Nothing here starts a server or sends a request."""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy so far, all cores (/proc/stat)."""
    with open("/proc/stat") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Failures:
    """Failed requests by status (0: no answer) with the first line of the first error body."""

    counts: Counter[str] = field(default_factory=Counter)
    first_lines: dict[str, str] = field(default_factory=dict)

    def add(self, status: str, body: str = "", count: int = 1) -> None:
        self.counts[status] += count
        lines = body.strip().splitlines()
        self.first_lines.setdefault(status, lines[0][:120] if lines else "")

    def merge(self, other: Failures) -> None:
        for status, count in other.counts.items():
            self.add(status, other.first_lines.get(status, ""), count)

    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        if not self.counts:
            return "0 failed"
        parts = [
            f"{count} x {status}"
            + (f" ({self.first_lines[status]!r})" if self.first_lines[status] else "")
            for status, count in sorted(self.counts.items())
        ]
        return f"{self.total()} failed: " + ", ".join(parts)


@dataclass(frozen=True)
class Sample:
    """One measurement of one app: requests answered 2xx, elapsed time, CPU by process group."""

    ok: int
    elapsed: float
    cpu: dict[str, float]  # CPU seconds: "workers", "postgres", …
    others: float  # cores busy with processes not measured here

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def cpu_ms(self, *groups: str) -> float:
        """CPU milliseconds per answered request in `groups` (nan when none was answered)."""
        if not self.ok:
            return float("nan")
        return 1000 * sum(self.cpu.get(group, 0.0) for group in groups) / self.ok


class Meter:
    """Account for the CPU that `pids()` (read at start and end) use while a load runs."""

    def __init__(self, pids: Callable[[], dict[str, list[int]]]) -> None:
        self._pids = pids

    def run(self, load: Callable[[], tuple[int, float, float]]) -> Sample:
        """`load` returns (requests answered 2xx, elapsed seconds, its own CPU seconds)."""
        before = {pid: cpu_seconds(pid) for pids in self._pids().values() for pid in pids}
        busy_before, started = machine_busy(), time.monotonic()
        ok, elapsed, load_cpu = load()
        wall = time.monotonic() - started
        busy = machine_busy() - busy_before
        # A process started meanwhile (a new database connection) counts from zero.
        cpu = {
            group: sum(cpu_seconds(pid) - before.get(pid, 0.0) for pid in pids)
            for group, pids in self._pids().items()
        }
        cpu["load"] = load_cpu
        others = max(busy - sum(cpu.values()), 0.0) / wall if wall else 0.0
        return Sample(ok=ok, elapsed=elapsed, cpu=cpu, others=others)


def spread(values: Iterable[float]) -> tuple[float, float, float]:
    """(min, median, max) of the values that are numbers (nan when there is none)."""
    found = sorted(v for v in values if v == v)
    if not found:
        return float("nan"), float("nan"), float("nan")
    return found[0], statistics.median(found), found[-1]


def ratios(
    shop: Sequence[Sample], floor: Sequence[Sample], figure: Callable[[Sample], float]
) -> list[float]:
    """The figure's ratio shop / floor in each round (rounds pair up by position)."""
    found = []
    for ours, theirs in zip(shop, floor, strict=True):
        a, b = figure(ours), figure(theirs)
        found.append(a / b if b and a == a and b == b else float("nan"))
    return found


def describe_spread(values: Iterable[float], unit: str = "") -> str:
    low, middle, high = spread(values)
    return f"{middle:.2f}{unit} (min {low:.2f}, max {high:.2f})"


def alternate(rounds: int, first: T, second: T) -> list[tuple[T, T]]:
    """The order to measure two apps in each round: who goes first alternates."""
    return [(first, second) if n % 2 == 0 else (second, first) for n in range(rounds)]

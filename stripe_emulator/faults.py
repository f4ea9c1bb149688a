"""Injected faults: latency, 500 ``api_error``, 429 rate limiting, and responses that hang.

A fault applies to one route (``"POST /v1/payment_intents"``, or the route pattern
``"POST /v1/payment_intents/{intent}/confirm"``) or to every /v1 route (``"*"``). ``rate`` is the
chance it fires on a matching request; ``count`` bounds how many times it fires.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

ERRORS = ("api_error", "rate_limit", "hang")


@dataclass
class Fault:
    route: str = "*"
    latency_ms: int = 0
    error: str | None = None
    rate: float = 1.0
    count: int | None = None

    def __post_init__(self) -> None:
        if self.error is not None and self.error not in ERRORS:
            raise ValueError(f"error must be one of {', '.join(ERRORS)}")
        if not 0 <= self.rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if self.latency_ms < 0 or (self.count is not None and self.count < 1):
            raise ValueError("latency_ms must be >= 0 and count >= 1")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        unknown = set(data) - {"route", "latency_ms", "error", "rate", "count"}
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        return cls(
            route=str(data.get("route", "*")),
            latency_ms=int(data.get("latency_ms", 0)),
            error=data.get("error"),
            rate=float(data.get("rate", 1.0)),
            count=None if data.get("count") is None else int(data["count"]),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "latency_ms": self.latency_ms,
            "error": self.error,
            "rate": self.rate,
            "count": self.count,
        }


@dataclass(frozen=True)
class Effect:
    latency_ms: int = 0
    error: str | None = None


class Faults:
    def __init__(self, startup: list[Fault]) -> None:
        self._startup = startup
        self.active = list(startup)

    def add(self, fault: Fault) -> None:
        self.active.append(fault)

    def clear(self) -> None:
        """Remove run-time faults; the ones given at start-up stay."""
        self.active = list(self._startup)

    def draw(self, method: str, path: str, pattern: str) -> Effect:
        """Which faults fire for this request (summing latencies, first error wins)."""
        latency, error = 0, None
        routes = {"*", f"{method} {path}", f"{method} {pattern}"}
        for fault in list(self.active):
            if fault.route not in routes or random.random() >= fault.rate:  # noqa: S311
                continue
            latency += fault.latency_ms
            error = error or fault.error
            if fault.count is not None:
                fault.count -= 1
                if fault.count == 0:
                    self.active.remove(fault)
        return Effect(latency, error)

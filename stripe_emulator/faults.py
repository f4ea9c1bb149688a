"""Injected faults: latency, 500 ``api_error``, 429 rate limiting, and responses that hang.

A fault applies to one route (``"POST /v1/payment_intents"``, or the route pattern
``"POST /v1/payment_intents/{intent}/confirm"``) or to every /v1 route (``"*"``). ``rate`` is the
chance it fires on a matching request; ``count`` bounds how many times it fires.

At start, ``--fault`` (``Fault.parse``) takes ``ROUTE=WHAT[:RATE[:COUNT]]``, where ``WHAT`` is an
error or ``latency_ms=N``: ``"POST /v1/payment_intents=rate_limit:0.5"``, ``"*=hang::1"``,
``"GET /v1/payment_intents/{intent}=latency_ms=300"``. Start-up faults survive ``DELETE
/_emulator/faults``; a reset brings them back as given (counted ones re-armed).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Any

ERRORS = ("api_error", "rate_limit", "hang")
ROUTE = re.compile(r"\*|(GET|POST|DELETE) /v1/\S*")
SPEC_FORM = "ROUTE=ERROR[:RATE[:COUNT]] or ROUTE=latency_ms=N[:RATE[:COUNT]]"


@dataclass
class Fault:
    route: str = "*"
    latency_ms: int = 0
    error: str | None = None
    rate: float = 1.0
    count: int | None = None

    def __post_init__(self) -> None:
        if not ROUTE.fullmatch(self.route):
            raise ValueError(
                f"route must be '*' or 'METHOD /v1/...' (GET, POST, DELETE), got {self.route!r}"
            )
        if self.error is not None and self.error not in ERRORS:
            raise ValueError(f"error must be one of {', '.join(ERRORS)}")
        if not 0 <= self.rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if self.latency_ms < 0 or (self.count is not None and self.count < 1):
            raise ValueError("latency_ms must be >= 0 and count >= 1")

    @classmethod
    def parse(cls, text: str) -> Fault:
        """``ROUTE=WHAT[:RATE[:COUNT]]`` as given to ``--fault``; empty RATE means 1."""
        route, sep, spec = text.partition("=")  # routes never contain "="
        what, *rest = spec.split(":")
        if not sep or not what or len(rest) > 2:
            raise ValueError(f"expected {SPEC_FORM}, got {text!r}")
        rate, count = (*rest, "", "")[:2]
        latency = what.removeprefix("latency_ms=") if what.startswith("latency_ms=") else None
        try:
            return cls(
                route=route.strip(),
                latency_ms=int(latency) if latency is not None else 0,
                error=None if latency is not None else what.strip(),
                rate=float(rate) if rate.strip() else 1.0,
                count=int(count) if count.strip() else None,
            )
        except ValueError as exc:
            raise ValueError(f"invalid fault {text!r}: {exc}") from exc

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
        # Templates: firing decrements ``count`` on the active copies only.
        self._startup = [replace(fault) for fault in startup]
        self._armed: list[Fault] = []
        self.active: list[Fault] = []
        self.rearm()

    def add(self, fault: Fault) -> None:
        self.active.append(fault)

    def clear(self) -> None:
        """Remove run-time faults; start-up ones stay, with what is left of their count."""
        self.active = [fault for fault in self.active if any(fault is a for a in self._armed)]

    def rearm(self) -> None:
        """Only the start-up faults, as given at start (a reset)."""
        self._armed = [replace(fault) for fault in self._startup]
        self.active = list(self._armed)

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

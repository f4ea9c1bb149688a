"""Idempotent POSTs: replay the first result for the same (account, key)
(https://docs.stripe.com/api/idempotent_requests).

The first request's status and body are stored once the endpoint starts executing; a retry with
the same parameters and endpoint gets them back with ``Idempotent-Replayed: true`` and no side
effects. A different endpoint or different parameters answer ``idempotency_error``; a retry
while the first is still running answers 409 ``idempotency_key_in_use``. Validation failures are
released instead of stored, so a corrected retry runs fresh.

Keys are kept 24 hours by the emulator clock, as Stripe prunes them "after they're at least 24
hours old"; older ones are forgotten as new keys arrive, so the cache does not grow without
bound (a key reused after that runs again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stripe_emulator.errors import StripeError

RETENTION_SECONDS = 24 * 3600


@dataclass
class Entry:
    endpoint: str
    params: Any
    created: int
    status: int | None = None  # None while the first request is still executing
    body: bytes = b""


class IdempotencyCache:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def claim(self, key: str, endpoint: str, params: Any, now: int) -> Entry | None:
        """The stored entry to replay, or None after reserving ``key`` for this request."""
        self._prune(now)
        entry = self._entries.get(key)
        if entry is None:
            self._entries[key] = Entry(endpoint, params, now)
            return None
        if entry.endpoint != endpoint or entry.params != params:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                type="idempotency_error",
                stored=False,
            )
        if entry.status is None:
            raise StripeError(
                409,
                "There is currently another in-progress request using this Idempotent Key "
                "(that probably means you submitted twice, and the other request is still going "
                f"through): {key}. Please try again later.",
                type="idempotency_error",
                code="idempotency_key_in_use",
                stored=False,
            )
        return entry

    def entries(self) -> list[tuple[str, Entry]]:
        return list(self._entries.items())

    def restore(self, key: str, entry: Entry) -> None:
        """Put back an entry read from the state file (oldest first, as they were saved)."""
        self._entries[key] = entry

    def store(self, key: str, status: int, body: bytes) -> None:
        entry = self._entries[key]
        entry.status, entry.body = status, body

    def release(self, key: str) -> None:
        self._entries.pop(key, None)

    def _prune(self, now: int) -> None:
        """Forget finished entries older than the retention, oldest first (insertion order is
        creation order, so this stops at the first young or still-running one)."""
        while self._entries:
            key, oldest = next(iter(self._entries.items()))
            if oldest.status is None or now - oldest.created < RETENTION_SECONDS:
                return
            del self._entries[key]

"""Accounts and the objects each one owns.

An account is named by the suffix of its keys: ``sk_test_X`` and ``pk_test_X`` both belong to
account ``X``. Objects of one account are invisible to every other (404), as with two real
Stripe accounts.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stripe_emulator.config import AccountConfig
from stripe_emulator.errors import StripeError
from stripe_emulator.idempotency import IdempotencyCache

KEY_PATTERN = re.compile(r"^(sk|pk|rk)_(test|live)_([A-Za-z0-9_]+)$")

# Which stored collection an id belongs to, by prefix (for expansion and lookups).
OBJECT_PREFIXES = {
    "pi_": "payment_intent",
    "ch_": "charge",
    "pm_": "payment_method",
    "re_": "refund",
    "txr_": "tax_rate",
    "cs_": "checkout.session",
    "price_": "price",
    "prod_": "product",
    "evt_": "event",
}


@dataclass
class Account:
    secret_key: str
    webhook_url: str | None
    webhook_secret: str | None
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    idempotency: IdempotencyCache = field(default_factory=IdempotencyCache)
    # Private state that is not part of any API object.
    line_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    session_of_intent: dict[str, str] = field(default_factory=dict)
    intent_data: dict[str, dict[str, Any]] = field(default_factory=dict)  # session's PI params
    cards: dict[str, str] = field(default_factory=dict)  # payment method id -> card number
    return_urls: dict[str, str] = field(default_factory=dict)  # PaymentIntent id -> its return_url
    # (expires_at, session id) of sessions that may still be open, soonest first: expiry looks
    # at the head only, instead of scanning every session on every request.
    expiries: list[tuple[int, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return key_suffix(self.secret_key)

    @property
    def publishable_key(self) -> str:
        return f"pk_test_{self.name}"

    def put(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects[obj["object"]][obj["id"]] = obj
        return obj

    def get(self, kind: str, object_id: str, param: str = "id") -> dict[str, Any]:
        """The stored object, or Stripe's 404 naming the path parameter."""
        found = self.objects[kind].get(object_id)
        if found is None:
            raise StripeError.not_found(kind, object_id, param)
        return found

    def find(self, object_id: str) -> dict[str, Any] | None:
        """Any stored object by id (used by ``expand``)."""
        for prefix, kind in OBJECT_PREFIXES.items():
            if object_id.startswith(prefix):
                return self.objects[kind].get(object_id)
        return None

    def newest_first(self, kind: str) -> Iterator[dict[str, Any]]:
        """Objects of ``kind``, newest first, lazily (dicts keep insertion order)."""
        return reversed(self.objects[kind].values())

    def schedule_expiry(self, expires_at: int, session_id: str) -> None:
        heapq.heappush(self.expiries, (expires_at, session_id))

    def due_sessions(self, now: int) -> Iterator[str]:
        """Ids of sessions whose ``expires_at`` has come, removed from the schedule."""
        while self.expiries and self.expiries[0][0] <= now:
            yield heapq.heappop(self.expiries)[1]


def key_suffix(key: str) -> str:
    match = KEY_PATTERN.match(key)
    if match is None:
        raise ValueError(f"not a Stripe API key: {key!r}")
    return match.group(3)


def account_from_config(config: AccountConfig) -> Account:
    match = KEY_PATTERN.match(config.secret_key)
    if match is None or match.group(1) != "sk" or match.group(2) != "test":
        raise ValueError(f"not a test secret key: {config.secret_key!r}")
    return Account(config.secret_key, config.webhook_url, config.webhook_secret)

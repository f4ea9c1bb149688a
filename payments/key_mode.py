"""Test or live mode, read from a Stripe API key's prefix (`sk_test_…`, `pk_live_…`,
`rk_test_…`): https://docs.stripe.com/keys#obtain-api-keys"""

from __future__ import annotations

from typing import Literal

KeyMode = Literal["test", "live"]
KEY_KINDS = ("sk", "pk", "rk")  # secret, publishable, restricted


def parse_key_mode(key: str) -> KeyMode | None:
    """'test' or 'live' from the key's prefix, else None (not a Stripe API key)."""
    parts = key.split("_")
    if len(parts) > 2 and parts[0] in KEY_KINDS and parts[1] == "test":
        return "test"
    if len(parts) > 2 and parts[0] in KEY_KINDS and parts[1] == "live":
        return "live"
    return None

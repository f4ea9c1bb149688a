"""Webhook events: verified with the account's signing secret, then read as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe


class BadSignature(Exception):
    """Missing, forged or stale `Stripe-Signature`, or a body that is not a snapshot event."""


@dataclass(frozen=True)
class StripeEvent:
    """A verified event of one account; `object` is `data.object` as plain JSON data."""

    account: str
    id: str
    type: str
    livemode: bool
    object: dict[str, Any]

    @property
    def object_id(self) -> str:
        return str(self.object.get("id", ""))


def event_from_webhook(
    *, account: str, secret: str, payload: bytes, signature: str | None
) -> StripeEvent:
    """Verify `payload` (the raw request body) against `signature` and return the event.

    stripe-python checks the HMAC over the exact bytes and refuses timestamps older than its
    300-second tolerance, so a replayed delivery fails too.
    """
    if not secret:
        raise ValueError("a webhook secret is required; verification is never skipped")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise BadSignature(str(error)) from error
    data = event.to_dict()
    return StripeEvent(
        account=account,
        id=str(data["id"]),
        type=str(data["type"]),
        livemode=bool(data.get("livemode")),
        object=dict(data.get("data", {}).get("object") or {}),
    )

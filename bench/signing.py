"""Webhook deliveries as Stripe sends them: an event's JSON body and its `Stripe-Signature`
header, `t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret>`
(https://docs.stripe.com/webhooks#verify-manually)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send with `payload`."""
    stamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{stamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def succeeded_event(
    event_id: str, *, intent_id: str, amount: int, currency: str, order_id: int
) -> bytes:
    """A `payment_intent.succeeded` event (test mode) for a PaymentIntent of `amount`."""
    intent = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount,
        "currency": currency,
        "status": "succeeded",
        "livemode": False,
        "last_payment_error": None,
        "metadata": {"order_id": str(order_id)},
    }
    event = {
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "livemode": False,
        "created": int(time.time()),
        "data": {"object": intent},
    }
    return json.dumps(event).encode()

"""Signed webhook deliveries made the way Stripe makes them (real HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from django.test import Client
from django.test.client import Client as DjangoClient

from conftest import WEBHOOK_SECRETS
from payments.models import Payment


def signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header: t=<unix time>,v1=HMAC(secret, "<t>.<body>")."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256)
    return f"t={stamp},v1={digest.hexdigest()}"


def intent_event(
    event_type: str,
    payment: Payment,
    *,
    event_id: str = "evt_test_1",
    amount: int | None = None,
    currency: str | None = None,
    error: str | None = None,
    livemode: bool = False,
) -> bytes:
    """A snapshot `payment_intent.*` event for the payment's PaymentIntent."""
    amount = payment.shop_amount if amount is None else amount
    status = {
        "payment_intent.succeeded": "succeeded",
        "payment_intent.payment_failed": "requires_payment_method",
        "payment_intent.processing": "processing",
        "payment_intent.canceled": "canceled",
    }.get(event_type, "requires_payment_method")
    intent: dict[str, Any] = {
        "id": payment.stripe_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": currency or payment.currency,
        "status": status,
        "metadata": {"order_id": str(payment.order_id)},
        "last_payment_error": {"message": error, "code": "card_declined"} if error else None,
    }
    event = {
        "id": event_id,
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": livemode,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": intent},
    }
    return json.dumps(event, indent=2).encode()


def deliver(
    client: DjangoClient | Client,
    payload: bytes,
    *,
    currency: str = "usd",
    secret: str | None = None,
    header: str | None = None,
) -> Any:
    """POST the payload to the currency's webhook endpoint, signed with its secret."""
    if header is None:
        header = signature(payload, secret or WEBHOOK_SECRETS[currency])
    return client.post(
        f"/payments/webhook/{currency}/",
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )

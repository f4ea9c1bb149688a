"""Charges and PaymentMethods: created by confirmation, retrievable for expansion."""

from __future__ import annotations

from typing import Any

from stripe.params import ChargeRetrieveParams, PaymentMethodRetrieveParams

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.cards import TEST_PAYMENT_METHODS, Card, Decline
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError


def create_payment_method(
    account: Account, card: Card, now: int, billing_details: dict[str, Any] | None = None
) -> dict[str, Any]:
    details = billing_details or {}
    address = details.get("address") or {}
    method = account.put(
        {
            "id": ids.new_id("pm"),
            "object": "payment_method",
            "allow_redisplay": "unspecified",
            "billing_details": {
                "address": {
                    key: address.get(key)
                    for key in ("city", "country", "line1", "line2", "postal_code", "state")
                },
                "email": details.get("email"),
                "name": details.get("name"),
                "phone": details.get("phone"),
                "tax_id": None,
            },
            "card": card.as_json(),
            "created": now,
            "customer": None,
            "livemode": False,
            "metadata": {},
            "type": "card",
        }
    )
    account.cards[method["id"]] = card.number
    return method


def resolve_payment_method(
    account: Account, method_id: str, now: int
) -> tuple[dict[str, Any], Card]:
    """The PaymentMethod a ``payment_method`` parameter names, with its card."""
    number = TEST_PAYMENT_METHODS.get(method_id)
    if number is not None:
        # Like Stripe, each use of a test PaymentMethod id makes a fresh PaymentMethod.
        card = Card(number, 12, card_year(now) + 3)
        return create_payment_method(account, card, now), card
    method = account.objects["payment_method"].get(method_id)
    if method is None:
        raise StripeError.not_found("PaymentMethod", method_id, "payment_method", status=400)
    card_json = method["card"]
    return method, Card(account.cards[method_id], card_json["exp_month"], card_json["exp_year"])


def card_year(timestamp: int) -> int:
    """The calendar year of a timestamp, near enough for card expiry checks."""
    return 1970 + timestamp // 31_556_952


def create_charge(
    account: Account,
    intent: dict[str, Any],
    method: dict[str, Any],
    now: int,
    decline: Decline | None = None,
) -> dict[str, Any]:
    succeeded = decline is None
    capture = intent["capture_method"] != "manual"
    outcome: dict[str, Any] = {
        "network_status": "approved_by_network",
        "reason": None,
        "risk_level": "normal",
        "seller_message": "Payment complete.",
        "type": "authorized",
    }
    if decline is not None:
        outcome.update(
            network_status="declined_by_network",
            reason=decline.decline_code or decline.code,
            seller_message="The bank did not return any further details with this decline.",
            type="issuer_declined",
        )
    return account.put(
        {
            "id": ids.new_id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"] if succeeded and capture else 0,
            "amount_refunded": 0,
            "balance_transaction": None,
            "billing_details": method["billing_details"],
            "captured": succeeded and capture,
            "created": now,
            "currency": intent["currency"],
            "customer": intent["customer"],
            "description": intent["description"],
            "failure_code": decline.code if decline else None,
            "failure_message": decline.message if decline else None,
            "livemode": False,
            "metadata": dict(intent["metadata"]),
            "outcome": outcome,
            "paid": succeeded,
            "payment_intent": intent["id"],
            "payment_method": method["id"],
            "payment_method_details": {"card": method["card"], "type": "card"},
            "receipt_email": intent["receipt_email"],
            "refunded": False,
            "refunds": {
                "object": "list",
                "data": [],
                "has_more": False,
                "url": "/v1/refunds",
            },
            "status": "succeeded" if succeeded else "failed",
        }
    )


def retrieve_charge(call: Call) -> dict[str, Any]:
    return call.account.get("charge", call.path["charge"], "charge")


def retrieve_payment_method(call: Call) -> dict[str, Any]:
    return call.account.get("payment_method", call.path["payment_method"], "payment_method")


ENDPOINTS = [
    Endpoint("GET", "/v1/charges/{charge}", retrieve_charge, ChargeRetrieveParams),
    Endpoint(
        "GET",
        "/v1/payment_methods/{payment_method}",
        retrieve_payment_method,
        PaymentMethodRetrieveParams,
    ),
]

"""Charges and PaymentMethods: created by confirmation, retrievable for expansion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stripe.params import ChargeRetrieveParams, PaymentMethodRetrieveParams

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.cards import TEST_PAYMENT_METHODS, THREE_D_SECURE, Card, Decline
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.resources.common import DESCRIPTOR_PREFIX

if TYPE_CHECKING:
    from stripe_emulator.state import EmulatorState


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
            "customer_account": None,
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


# What every emulated charge has: no Connect, application fees, balance transactions, disputes,
# reviews, receipts [?] or sources.
_CHARGE_CONSTANTS: dict[str, Any] = {
    "amount_refunded": 0,
    "application": None,
    "application_fee": None,
    "application_fee_amount": None,
    "balance_transaction": None,
    "disputed": False,
    "failure_balance_transaction": None,
    "livemode": False,
    "on_behalf_of": None,
    "receipt_number": None,
    "receipt_url": None,
    "refunded": False,
    "review": None,
    "source": None,
    "source_transfer": None,
    "statement_descriptor": None,
    "transfer_data": None,
}


def create_charge(
    account: Account,
    intent: dict[str, Any],
    method: dict[str, Any],
    now: int,
    decline: Decline | None = None,
) -> dict[str, Any]:
    """A card charge in Stripe's shape. Receipts are not emulated, so ``receipt_url`` is null
    [?]; no balance transactions either (``balance_transaction`` null)."""
    succeeded = decline is None
    capture = intent["capture_method"] != "manual"
    card_json = method["card"]
    card = Card(account.cards[method["id"]], card_json["exp_month"], card_json["exp_year"])
    suffix = intent["statement_descriptor_suffix"]
    fields = {
        "amount": intent["amount"],
        "amount_captured": intent["amount"] if succeeded and capture else 0,
        "billing_details": method["billing_details"],
        "calculated_statement_descriptor": f"{DESCRIPTOR_PREFIX}* {suffix}"
        if suffix
        else DESCRIPTOR_PREFIX,
        "captured": succeeded and capture,
        "created": now,
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "failure_code": decline.code if decline else None,
        "failure_message": decline.message if decline else None,
        "metadata": dict(intent["metadata"]),
        "outcome": _outcome(decline),
        "paid": succeeded,
        "payment_intent": intent["id"],
        "payment_method": method["id"],
        "payment_method_details": {
            "card": card.charge_details(
                intent["amount"], succeeded and card.number in THREE_D_SECURE
            ),
            "type": "card",
        },
        "receipt_email": intent["receipt_email"],
        "shipping": intent["shipping"],
        "statement_descriptor_suffix": suffix,
        "status": "succeeded" if succeeded else "failed",
        "transfer_group": intent["transfer_group"],
        "fraud_details": {},
    }
    by_name = dict(sorted({**_CHARGE_CONSTANTS, **fields}.items()))
    return account.put({"id": ids.new_id("ch"), "object": "charge", **by_name})


def settle_charge(state: EmulatorState, account: Account, charge_id: str | None) -> None:
    """A captured charge gets its balance transaction, announced by ``charge.updated`` after
    the payment's other events, as Stripe attaches it a moment after the charge succeeds.
    Balance transactions themselves are not emulated: the id names nothing retrievable."""
    charge = account.objects["charge"].get(charge_id or "")
    if charge is None or not charge["captured"] or charge["balance_transaction"] is not None:
        return
    charge["balance_transaction"] = ids.new_id("txn")
    emit(state, account, "charge.updated", charge, {"balance_transaction": None})


def _outcome(decline: Decline | None) -> dict[str, Any]:
    if decline is None:
        return {
            "advice_code": None, "network_advice_code": None, "network_decline_code": None,
            "network_status": "approved_by_network", "reason": None, "risk_level": "normal",
            "risk_score": 32, "seller_message": "Payment complete.", "type": "authorized",
        }  # fmt: skip
    return {
        "advice_code": "do_not_try_again" if decline.code == "card_declined" else None,
        "network_advice_code": None, "network_decline_code": None,
        "network_status": "declined_by_network",
        "reason": decline.decline_code or decline.code, "risk_level": "normal",
        "risk_score": 32,
        "seller_message": "The bank did not return any further details with this decline.",
        "type": "issuer_declined",
    }  # fmt: skip


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

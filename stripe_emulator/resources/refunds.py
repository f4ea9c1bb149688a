"""Refunds: create (by PaymentIntent or Charge), retrieve, update, cancel, list.

Card refunds succeed at once [?], so cancel always answers that the refund is not pending.
Events: ``refund.created``, ``charge.refunded``, then ``refund.updated`` and
``charge.refund.updated`` as the network reference arrives (Stripe: a moment later; here at once
[?]).
"""

from __future__ import annotations

import copy
from typing import Any

from stripe.params import (
    RefundCancelParams,
    RefundCreateParams,
    RefundListParams,
    RefundRetrieveParams,
    RefundUpdateParams,
)

from stripe_emulator import ids
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects
from stripe_emulator.money import format_amount
from stripe_emulator.resources.common import apply_metadata, update_fields


def _charge_to_refund(call: Call) -> dict[str, Any]:
    params, account = call.params, call.account
    if "charge" in params and "payment_intent" in params:
        raise StripeError.invalid_param(
            "payment_intent",
            "You may only specify one of these parameters: charge, payment_intent.",
            "parameters_exclusive",
        )
    if "charge" in params:
        charge = account.objects["charge"].get(params["charge"])
        if charge is None:
            raise StripeError.not_found("charge", params["charge"], "charge", status=400)
        if charge["status"] != "succeeded" or not charge["captured"]:
            raise StripeError.invalid_param(
                "charge", f"Charge {charge['id']} has not been captured and cannot be refunded."
            )
        return charge
    if "payment_intent" not in params:
        raise StripeError.missing_parameter("payment_intent")
    intent = account.objects["payment_intent"].get(params["payment_intent"])
    if intent is None:
        raise StripeError.not_found(
            "payment_intent", params["payment_intent"], "payment_intent", status=400
        )
    charge = account.objects["charge"].get(intent["latest_charge"] or "")
    if intent["status"] != "succeeded" or charge is None or charge["status"] != "succeeded":
        raise StripeError.invalid_param(
            "payment_intent",
            f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
        )
    return charge


def _refund_amount(charge: dict[str, Any], params: dict[str, Any]) -> int:
    """The amount asked for (all that is left by default): at least 1, at most what is left."""
    remaining = charge["amount"] - charge["amount_refunded"]
    if remaining == 0:
        raise StripeError(
            400, f"Charge {charge['id']} has already been refunded.",
            code="charge_already_refunded",
        )  # fmt: skip
    amount: int = params.get("amount", remaining)
    currency = charge["currency"]
    if amount < 1:
        raise StripeError.below_minimum("amount")
    if amount > remaining:
        raise StripeError.invalid_param(
            "amount",
            f"Refund amount ({format_amount(amount, currency)}) is greater than unrefunded "
            f"amount on charge ({format_amount(remaining, currency)})",
        )
    return amount


def create(call: Call) -> dict[str, Any]:
    charge = _charge_to_refund(call)
    amount = _refund_amount(charge, call.params)
    currency = charge["currency"]
    refund = {
        "id": ids.new_id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge["id"],
        "created": call.now,
        "currency": currency,
        "customer": charge["customer"],
        "customer_account": None,
        "destination_details": {
            "card": {
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "payment_method": charge["payment_method"],
        "reason": call.params.get("reason"),
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
    apply_metadata(refund, call.params.get("metadata", {}))
    call.account.put(refund)
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    emit(call.state, call.account, "refund.created", refund)
    emit(call.state, call.account, "charge.refunded", charge, previous)
    _reference_available(call, refund)
    return refund


def _reference_available(call: Call, refund: dict[str, Any]) -> None:
    """The card network's reference (ARN) for the refund arrives: ``refund.updated`` and the
    charge-level ``charge.refund.updated`` say so. Stripe sends them shortly after creation
    [?: the emulator sends them at once, after ``charge.refunded``]."""
    # previous_attributes carries the whole former hash, as the published types describe it.
    previous = {"destination_details": copy.deepcopy(refund["destination_details"])}
    card = refund["destination_details"]["card"]
    card.update(reference=ids.random_alnum(23, "0123456789"), reference_status="available")
    emit(call.state, call.account, "refund.updated", refund, previous)
    emit(call.state, call.account, "charge.refund.updated", refund, previous)


def retrieve(call: Call) -> dict[str, Any]:
    return call.account.get("refund", call.path["refund"], "refund")


def update(call: Call) -> dict[str, Any]:
    refund = retrieve(call)
    update_fields(refund, call.params)
    return refund


def cancel(call: Call) -> dict[str, Any]:
    refund = retrieve(call)
    raise StripeError.invalid_param(
        None,
        f"Refund {refund['id']} cannot be canceled because it has a status of "
        f"{refund['status']}. Only refunds with a status of requires_action can be canceled.",
    )


def list_refunds(call: Call) -> dict[str, Any]:
    return list_objects(call, "refund", "/v1/refunds", ("charge", "payment_intent"))


ENDPOINTS = [
    Endpoint("POST", "/v1/refunds", create, RefundCreateParams),
    Endpoint("GET", "/v1/refunds", list_refunds, RefundListParams),
    Endpoint("GET", "/v1/refunds/{refund}", retrieve, RefundRetrieveParams),
    Endpoint("POST", "/v1/refunds/{refund}", update, RefundUpdateParams),
    Endpoint("POST", "/v1/refunds/{refund}/cancel", cancel, RefundCancelParams),
]

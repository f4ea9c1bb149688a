"""PaymentIntents: create, retrieve, update, confirm (``payment_intent_confirm.py``), cancel,
list (https://docs.stripe.com/api/payment_intents).

Choices where Stripe's documentation leaves room ([?]):
- A secret-key confirm needs ``return_url`` unless ``off_session`` or
  ``automatic_payment_methods[allow_redirects]=never``; a publishable-key (Stripe.js) confirm
  does not, since Stripe.js handles redirects itself.
- After a decline ``payment_method`` is reset to null; ``latest_charge`` names the failed charge.
- A 3-D Secure card confirmed ``off_session`` is declined with ``authentication_required``.
- ``capture_method=manual`` stops at ``requires_capture`` (capture is not emulated).
- ``metadata``, ``description``, ``receipt_email`` and ``shipping`` can be updated in any status;
  every other field only while the PaymentIntent awaits payment.
- ``amount_details`` is checked as sum(unit_cost*quantity) - discount + tax + shipping == amount
  when line items are given (or discount + tax + shipping <= amount without them); with
  ``enforce_arithmetic_validation=false`` the problem is reported in ``amount_details.error``.
- Parameters the emulator does not act on are refused with a 400 naming them ("The Stripe
  emulator does not support …"), never accepted and dropped: ``customer``, ``on_behalf_of``,
  ``transfer_data``, ``application_fee_amount``, ``mandate``/``mandate_data``,
  ``payment_method_options``, ``payment_method_configuration``, ``setup_future_usage``,
  ``radar_options``, ``confirmation_token``, ``payment_details``, ``hooks``,
  ``confirmation_method=manual``, secret-key ``payment_method_data``, payment method types
  other than ``card`` (see ``CREATE_SUPPORTED``, ``UPDATE_SUPPORTED``, ``CONFIRM_SUPPORTED``).
- ``statement_descriptor`` is refused (every emulated payment is a card charge, and the SDK's
  docstring says setting it for a card charge returns an error); the message wording is ours.
  ``statement_descriptor_suffix`` must fit the 22-character complete descriptor after the
  account prefix and ``"* "``; emulated accounts have the prefix ``EMULATOR`` (8 characters),
  so the suffix may have 12.
- ``error_on_requires_action``, ``mandate``, ``mandate_data``, ``off_session``,
  ``return_url`` and ``use_stripe_sdk`` on create need ``confirm=true`` (the SDK docstrings
  say so for all but ``use_stripe_sdk``, which the emulator treats alike); wording ours.
  ``error_on_requires_action`` with a 3-D Secure card declines ``authentication_required``.
- ``return_url`` must be an absolute http(s) URL (400 ``url_invalid`` "Not a valid URL").
- Updates and confirmations are all or nothing: every check runs on a draft, and the
  PaymentIntent and its line items change only once the whole request has passed.
"""

from __future__ import annotations

import copy
from typing import Any

from stripe.params import (
    PaymentIntentCancelParams,
    PaymentIntentConfirmParams,
    PaymentIntentCreateParams,
    PaymentIntentListParams,
    PaymentIntentRetrieveParams,
    PaymentIntentUpdateParams,
)

from stripe_emulator import ids
from stripe_emulator.accounts import Account
from stripe_emulator.api_versions import automatic_payment_methods_default
from stripe_emulator.endpoint import Call, Endpoint
from stripe_emulator.errors import StripeError
from stripe_emulator.events import emit
from stripe_emulator.lists import list_objects
from stripe_emulator.money import check_amount, check_currency
from stripe_emulator.resources.amount_details import EMPTY as EMPTY_AMOUNT_DETAILS
from stripe_emulator.resources.amount_details import apply_amount_details, as_params, store_lines
from stripe_emulator.resources.charges import resolve_payment_method
from stripe_emulator.resources.common import (
    check_statement_descriptors,
    check_url,
    merged_metadata,
    refuse_unsupported,
    update_fields,
)
from stripe_emulator.resources.payment_intent_confirm import confirm, confirm_intent
from stripe_emulator.resources.payment_intent_rules import (
    ALWAYS_UPDATABLE,
    AWAITING_PAYMENT,
    CANCELABLE,
    CREATE_SUPPORTED,
    ONLY_WITH_CONFIRM,
    UPDATABLE,
    UPDATE_SUPPORTED,
    apply_payment_method_types,
    check_exclusive_payment_method_options,
    check_payment_method_types,
    commit_draft,
    intent_of_call,
    view,
)
from stripe_emulator.resources.stripe_js import StripeJsConfirmParams, StripeJsRetrieveParams
from stripe_emulator.state import EmulatorState

# --- create -----------------------------------------------------------------------------


# What every new PaymentIntent starts with: the emulator sets no Connect, customer, review or
# processing data, and every payment is a card payment in test mode.
_NEW_INTENT_CONSTANTS: dict[str, Any] = {
    "amount_capturable": 0,
    "amount_received": 0,
    "application": None,
    "application_fee_amount": None,
    "canceled_at": None,
    "cancellation_reason": None,
    "customer": None,
    "customer_account": None,
    "last_payment_error": None,
    "latest_charge": None,
    "livemode": False,
    "managed_payments": None,
    "next_action": None,
    "on_behalf_of": None,
    "payment_method": None,
    "payment_method_configuration_details": None,
    "payment_record": None,
    "processing": None,
    "review": None,
    "setup_future_usage": None,
    "source": None,
    "statement_descriptor": None,
    "status": "requires_payment_method",
    "transfer_data": None,
}


def _check_create(params: dict[str, Any]) -> None:
    if not params.get("confirm"):
        for name in ONLY_WITH_CONFIRM:
            if name in params:
                raise StripeError.invalid_param(
                    name, f"The parameter `{name}` can only be used with `confirm=true`."
                )
    refuse_unsupported(params, CREATE_SUPPORTED)
    if params.get("confirmation_method") == "manual":
        raise StripeError.unsupported("confirmation_method", "confirmation_method=manual")
    check_currency(params["currency"])
    check_amount(params["amount"], params["currency"])
    check_exclusive_payment_method_options(params)
    check_payment_method_types(params)
    check_statement_descriptors(params)
    check_url(params, "return_url")


def _automatic_payment_methods(call: Call, params: dict[str, Any]) -> dict[str, Any] | None:
    automatic = params.get("automatic_payment_methods")
    if "allowed_payment_method_types" in params:
        return None
    if automatic is None:
        return automatic_payment_methods_default(call.api_version)
    return {
        "enabled": automatic["enabled"],
        "allow_redirects": automatic.get("allow_redirects", "always"),
    }


def _new_intent(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """A PaymentIntent as Stripe returns it: id and object first, then the fields by name."""
    intent_id = ids.new_id("pi")
    metadata = merged_metadata(None, params.get("metadata", {}))
    fields: dict[str, Any] = {
        "allowed_payment_method_types": params.get("allowed_payment_method_types"),
        "amount": params["amount"],
        "amount_details": dict(EMPTY_AMOUNT_DETAILS),
        "automatic_payment_methods": _automatic_payment_methods(call, params),
        "capture_method": params.get("capture_method", "automatic_async"),
        "client_secret": ids.client_secret(intent_id),
        "confirmation_method": params.get("confirmation_method", "automatic"),
        "created": call.now,
        "currency": params["currency"],
        "description": params.get("description"),
        "excluded_payment_method_types": params.get("excluded_payment_method_types"),
        "metadata": metadata,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "receipt_email": params.get("receipt_email"),
        "shipping": params.get("shipping"),
        "statement_descriptor_suffix": params.get("statement_descriptor_suffix"),
        "transfer_group": params.get("transfer_group"),
    }
    by_name = dict(sorted({**_NEW_INTENT_CONSTANTS, **fields}.items()))
    return {"id": intent_id, "object": "payment_intent", **by_name}


def create(call: Call) -> dict[str, Any]:
    params = call.params
    _check_create(params)
    intent = _new_intent(call, params)
    if isinstance(params.get("payment_method"), str):
        resolve_payment_method(call.account, params["payment_method"], call.now)
        intent["payment_method"] = params["payment_method"]
        intent["status"] = "requires_confirmation"
    lines = None
    if params.get("amount_details"):
        lines = apply_amount_details(intent, params["amount_details"], None)
    call.account.put(intent)
    store_lines(call.account, intent["id"], lines)
    emit(call.state, call.account, "payment_intent.created", intent)
    if params.get("confirm"):
        return confirm_intent(call, intent, params)
    return intent


# --- retrieve, update, list ---------------------------------------------------------------


def retrieve(call: Call) -> dict[str, Any]:
    return view(call, intent_of_call(call))


def update(call: Call) -> dict[str, Any]:
    """All or nothing: every check runs on a draft; the PaymentIntent and its line items
    change only once the whole request has passed."""
    intent = intent_of_call(call)
    params = call.params
    restricted = sorted(set(params) - ALWAYS_UPDATABLE)
    if restricted and intent["status"] not in AWAITING_PAYMENT:
        raise StripeError.unexpected_state(
            f"This PaymentIntent's {restricted[0]} could not be updated because it has a status "
            f"of {intent['status']}. You may only update the {restricted[0]} of a PaymentIntent "
            f"with one of the following statuses: {', '.join(AWAITING_PAYMENT)}."
        )
    refuse_unsupported(params, UPDATE_SUPPORTED)
    check_exclusive_payment_method_options(params)
    check_payment_method_types(params)
    check_statement_descriptors(params)
    currency = params.get("currency", intent["currency"])
    amount = params.get("amount", intent["amount"])
    if "currency" in params or "amount" in params:
        check_currency(currency)
        check_amount(amount, currency)
    draft = copy.deepcopy(intent)
    update_fields(draft, params, UPDATABLE)
    apply_payment_method_types(draft, params)
    if isinstance(params.get("payment_method"), str):
        resolve_payment_method(call.account, params["payment_method"], call.now)
        draft["payment_method"] = params["payment_method"]
        if draft["status"] == "requires_payment_method":
            draft["status"] = "requires_confirmation"
    lines = call.account.line_items.get(intent["id"])
    if "amount_details" in params:
        lines = apply_amount_details(draft, params["amount_details"], lines)
    elif "amount" in params and draft["amount_details"]:
        # The stored line data must still add up to the new amount (https://docs.stripe.com/payments/payment-line-items).
        lines = apply_amount_details(draft, as_params(draft["amount_details"]), lines)
    commit_draft(intent, draft)
    store_lines(call.account, intent["id"], lines)
    return intent


def list_intents(call: Call) -> dict[str, Any]:
    return list_objects(call, "payment_intent", "/v1/payment_intents", ("customer",))


# --- cancel -------------------------------------------------------------------------------


def cancel(call: Call) -> dict[str, Any]:
    intent = intent_of_call(call)
    if intent["id"] in call.account.session_of_intent:
        raise StripeError.unexpected_state(
            "This PaymentIntent was created by a Checkout Session; expire the Checkout "
            "Session instead of canceling the PaymentIntent."
        )
    return cancel_intent(call.state, call.account, intent, call.params.get("cancellation_reason"))


def cancel_intent(
    state: EmulatorState, account: Account, intent: dict[str, Any], reason: str | None
) -> dict[str, Any]:
    if intent["status"] not in CANCELABLE:
        raise StripeError.unexpected_state(
            f"You cannot cancel this PaymentIntent because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            f"be canceled: {', '.join(CANCELABLE)}."
        )
    intent.update(
        status="canceled", canceled_at=state.clock.now(), cancellation_reason=reason,
        next_action=None, amount_capturable=0,
    )  # fmt: skip
    emit(state, account, "payment_intent.canceled", intent)
    return intent


ENDPOINTS = [
    Endpoint("POST", "/v1/payment_intents", create, PaymentIntentCreateParams),
    Endpoint("GET", "/v1/payment_intents", list_intents, PaymentIntentListParams),
    Endpoint(
        "GET", "/v1/payment_intents/{intent}", retrieve, PaymentIntentRetrieveParams,
        StripeJsRetrieveParams,
    ),
    Endpoint("POST", "/v1/payment_intents/{intent}", update, PaymentIntentUpdateParams),
    Endpoint(
        "POST", "/v1/payment_intents/{intent}/confirm", confirm, PaymentIntentConfirmParams,
        StripeJsConfirmParams,
    ),
    Endpoint("POST", "/v1/payment_intents/{intent}/cancel", cancel, PaymentIntentCancelParams),
]  # fmt: skip

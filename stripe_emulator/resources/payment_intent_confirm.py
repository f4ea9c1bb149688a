"""Confirming a PaymentIntent: the request's checks, the payment method it pays with, and the
card that decides between success, decline and 3-D Secure."""

from __future__ import annotations

import copy
from typing import Any

from stripe_emulator.cards import (
    AUTHENTICATION_REQUIRED,
    DECLINES,
    THREE_D_SECURE,
    Card,
    card_from_form,
)
from stripe_emulator.endpoint import Call
from stripe_emulator.errors import StripeError
from stripe_emulator.resources.amount_details import apply_amount_details, store_lines
from stripe_emulator.resources.charges import (
    card_year,
    create_payment_method,
    resolve_payment_method,
)
from stripe_emulator.resources.common import blank_to_none, check_url, refuse_unsupported
from stripe_emulator.resources.payment_intent_outcomes import decline, require_action, succeed
from stripe_emulator.resources.payment_intent_rules import (
    AWAITING_PAYMENT,
    CONFIRM_SUPPORTED,
    STRIPE_JS_CONFIRM,
    apply_payment_method_types,
    check_payment_method_types,
    commit_draft,
    intent_of_call,
    view,
)


def confirm(call: Call) -> dict[str, Any]:
    intent = intent_of_call(call)
    if not call.publishable and intent["id"] in call.account.session_of_intent:
        raise StripeError.unexpected_state(
            "This PaymentIntent was created by a Checkout Session and cannot be confirmed "
            "through the API; the customer pays on the Checkout page."
        )
    supported = CONFIRM_SUPPORTED | (STRIPE_JS_CONFIRM if call.publishable else set())
    refuse_unsupported(call.params, supported)
    check_payment_method_types(call.params)
    check_url(call.params, "return_url")
    return view(call, confirm_intent(call, intent, call.params))


def confirm_intent(call: Call, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Run a confirmation: the card decides between success, decline and 3-D Secure."""
    status = intent["status"]
    if status not in AWAITING_PAYMENT:
        if status == "succeeded":
            message = (
                "You cannot confirm this PaymentIntent because it has already succeeded after "
                "being previously confirmed."
            )
        else:
            message = (
                f"You cannot confirm this PaymentIntent because it has a status of {status}. "
                "Only a PaymentIntent with one of the following statuses may be confirmed: "
                f"{', '.join(AWAITING_PAYMENT)}."
            )
        raise StripeError.unexpected_state(message)
    state, account = call.state, call.account
    # Everything that can refuse the request runs on a draft before the PaymentIntent changes.
    draft = copy.deepcopy(intent)
    # Kept beside the PaymentIntent: Stripe never returns it as a field.
    return_url = params.get("return_url") or account.return_urls.get(intent["id"])
    _require_return_url(call, draft, params, return_url)
    for name in ("receipt_email", "shipping", "capture_method"):
        if name in params:
            draft[name] = blank_to_none(params[name])
    apply_payment_method_types(draft, params)
    lines = account.line_items.get(intent["id"])
    if "amount_details" in params:
        lines = apply_amount_details(draft, params["amount_details"], lines)
    method, card = _payment_method_for(call, draft, params)
    commit_draft(intent, draft)
    store_lines(account, intent["id"], lines)
    if return_url:
        account.return_urls[intent["id"]] = return_url
    intent["payment_method"] = method["id"]
    publishable = call.publishable
    if card.number in THREE_D_SECURE:
        if params.get("off_session") or params.get("error_on_requires_action"):
            return decline(state, account, intent, method, AUTHENTICATION_REQUIRED, publishable)
        return require_action(call, intent, method, params, return_url)
    failure = DECLINES.get(card.number)
    if failure is not None:
        return decline(state, account, intent, method, failure, publishable)
    return succeed(state, account, intent, method)


def _payment_method_for(
    call: Call, intent: dict[str, Any], params: dict[str, Any]
) -> tuple[dict[str, Any], Card]:
    account, now = call.account, call.now
    card_data = (params.get("payment_method_data") or {}).get("card")
    if card_data:
        card = card_from_form(card_data, this_year=card_year(now))
        billing = (params.get("payment_method_data") or {}).get("billing_details")
        return create_payment_method(account, card, now, billing), card
    method_id = params.get("payment_method") or intent["payment_method"]
    if not method_id:
        raise StripeError.unexpected_state(
            "You cannot confirm this PaymentIntent because it's missing a payment method. "
            "You can update the PaymentIntent with a payment method and then confirm it again."
        )
    return resolve_payment_method(account, method_id, now)


def _require_return_url(
    call: Call, intent: dict[str, Any], params: dict[str, Any], return_url: str | None
) -> None:
    automatic = intent["automatic_payment_methods"] or {}
    if (
        call.publishable
        or params.get("off_session")
        or not automatic.get("enabled")
        or automatic.get("allow_redirects") == "never"
        or return_url
    ):
        return
    raise StripeError.invalid_param(
        "return_url",
        "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, "
        "because automatic_payment_methods is enabled. Some of these payment methods require "
        "a full page redirect to succeed, so you must provide a return_url. If you do not "
        "want to accept redirect-based payment methods, set "
        "automatic_payment_methods[allow_redirects] to never when creating Setup Intents and "
        "Payment Intents.",
    )

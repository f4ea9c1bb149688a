"""PaymentIntent rules shared by create, update and confirm: which statuses allow what, which
parameters each call acts on, the checks they share and the client-secret lookup."""

from __future__ import annotations

from typing import Any

from stripe_emulator.endpoint import Call
from stripe_emulator.errors import CLIENT_SECRET_MISMATCH, StripeError
from stripe_emulator.resources.stripe_js import publishable_view

AWAITING_PAYMENT = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELABLE = (
    "requires_payment_method", "requires_confirmation", "requires_action", "requires_capture",
    "processing",
)  # fmt: skip
ALWAYS_UPDATABLE = {"metadata", "description", "receipt_email", "shipping", "expand"}
UPDATABLE = (
    "amount", "capture_method", "currency", "description", "excluded_payment_method_types",
    "receipt_email", "shipping", "statement_descriptor_suffix", "transfer_group",
)  # fmt: skip

# What each call acts on; any other parameter the SDK knows is refused with a 400 naming it
# (customers, Connect, mandates, payment method options... are not emulated), so the shop can
# never pass here on a parameter Stripe would act on.
CREATE_SUPPORTED = {
    "allowed_payment_method_types", "amount", "amount_details", "automatic_payment_methods",
    "capture_method", "confirm", "confirmation_method", "currency", "description",
    "error_on_requires_action", "excluded_payment_method_types", "expand", "metadata",
    "off_session", "payment_method", "receipt_email", "return_url", "shipping",
    "statement_descriptor", "statement_descriptor_suffix", "transfer_group", "use_stripe_sdk",
}  # fmt: skip
UPDATE_SUPPORTED = {*UPDATABLE, "allowed_payment_method_types", "amount_details", "expand",
                    "metadata", "payment_method", "statement_descriptor"}  # fmt: skip
CONFIRM_SUPPORTED = {
    "allowed_payment_method_types", "amount_details", "capture_method",
    "error_on_requires_action", "excluded_payment_method_types", "expand", "off_session",
    "payment_method", "receipt_email", "return_url", "shipping", "use_stripe_sdk",
}  # fmt: skip
STRIPE_JS_CONFIRM = {"client_secret", "key", "payment_method_data"}
ONLY_WITH_CONFIRM = (
    "error_on_requires_action", "mandate", "mandate_data", "off_session", "return_url",
    "use_stripe_sdk",
)  # fmt: skip


def view(call: Call, intent: dict[str, Any]) -> dict[str, Any]:
    return publishable_view(intent) if call.publishable else intent


def intent_of_call(call: Call) -> dict[str, Any]:
    intent = call.account.get("payment_intent", call.path["intent"], "intent")
    if call.publishable:
        secret = call.params.get("client_secret")
        if secret is None:
            raise StripeError.missing_parameter("client_secret")
        if secret != intent["client_secret"]:
            raise StripeError(
                400, CLIENT_SECRET_MISMATCH, code="payment_intent_invalid_parameter",
                param="client_secret",
            )  # fmt: skip
    return intent


def check_exclusive_payment_method_options(params: dict[str, Any]) -> None:
    given = [
        name
        for name in ("allowed_payment_method_types", "automatic_payment_methods")
        if name in params
    ]
    if len(given) > 1:
        raise StripeError.invalid_param(
            given[1],
            f"You may only specify one of these parameters: {', '.join(given)}.",
            "parameters_exclusive",
        )


def check_payment_method_types(params: dict[str, Any]) -> None:
    """Only cards are emulated: ``allowed_payment_method_types`` may name only ``card`` and
    ``excluded_payment_method_types`` may not exclude it."""
    for index, kind in enumerate(params.get("allowed_payment_method_types") or []):
        if kind != "card":
            raise StripeError.unsupported(
                f"allowed_payment_method_types[{index}]", f"the payment method type `{kind}`"
            )
    if "card" in (params.get("excluded_payment_method_types") or []):
        raise StripeError.unsupported(
            "excluded_payment_method_types", "excluding `card` (only cards are emulated)"
        )


def apply_payment_method_types(intent: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("allowed_payment_method_types"):
        intent["automatic_payment_methods"] = None
        intent["allowed_payment_method_types"] = params["allowed_payment_method_types"]
    if "excluded_payment_method_types" in params:
        intent["excluded_payment_method_types"] = params["excluded_payment_method_types"] or None


def commit_draft(intent: dict[str, Any], draft: dict[str, Any]) -> None:
    """Replace the stored PaymentIntent's content (the same dict: lookups keep working)."""
    intent.clear()
    intent.update(draft)

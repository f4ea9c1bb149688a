"""What Checkout Session create and update accept, and the checks on create that do not
depend on the line items."""

from __future__ import annotations

from typing import Any

from stripe_emulator.errors import StripeError
from stripe_emulator.resources.common import (
    check_statement_descriptors,
    check_url,
    merged_metadata,
    refuse_unsupported,
)
from stripe_emulator.resources.payment_intent_rules import check_payment_method_types

# What create acts on; every other parameter the SDK knows is refused with a 400 naming it.
CREATE_SUPPORTED = {
    "allow_promotion_codes", "allowed_payment_method_types", "automatic_tax",
    "billing_address_collection", "cancel_url", "client_reference_id", "currency",
    "customer_creation", "customer_email", "discounts", "excluded_payment_method_types",
    "expand", "expires_at", "line_items", "locale", "metadata", "mode", "payment_intent_data",
    "return_url", "submit_type", "success_url", "ui_mode",
}  # fmt: skip
INTENT_DATA_SUPPORTED = {
    "capture_method", "description", "metadata", "receipt_email", "shipping",
    "statement_descriptor", "statement_descriptor_suffix", "transfer_group",
}  # fmt: skip
# The session's PaymentIntent is made from these payment_intent_data fields.
INTENT_DATA_FIELDS = tuple(sorted(INTENT_DATA_SUPPORTED - {"metadata"}))
UPDATE_SUPPORTED = {"expand", "metadata"}


def check_create(params: dict[str, Any]) -> None:
    """Everything create refuses that does not depend on the line items."""
    refuse_unsupported(params, CREATE_SUPPORTED)
    if params.get("mode", "payment") != "payment":
        raise StripeError.unsupported("mode", f"mode={params['mode']}")
    ui_mode = params.get("ui_mode", "hosted_page")
    if ui_mode != "hosted_page":
        raise StripeError.unsupported("ui_mode", f"ui_mode={ui_mode}")
    if (params.get("automatic_tax") or {}).get("enabled"):
        raise StripeError.unsupported("automatic_tax[enabled]", "Stripe Tax (automatic_tax)")
    if "return_url" in params:
        raise StripeError.invalid_param(
            "return_url",
            "You can only specify `return_url` when `ui_mode` is `embedded_page` or "
            "`elements`; a hosted page redirects to `success_url`.",
        )
    if "success_url" not in params:
        raise StripeError.missing_parameter("success_url")
    check_url(params, "success_url")
    check_url(params, "cancel_url")
    refused_values = (
        ("allow_promotion_codes", True, "promotion codes (allow_promotion_codes=true)"),
        ("billing_address_collection", "required", "billing_address_collection=required"),
        ("customer_creation", "always", "customer_creation=always (no Customers)"),
    )
    for name, value, what in refused_values:
        if params.get(name) == value:
            raise StripeError.unsupported(name, what)
    if params.get("submit_type") not in (None, "auto", "pay"):
        raise StripeError.unsupported("submit_type", f"submit_type={params['submit_type']}")
    check_payment_method_types(params)
    intent_data = params.get("payment_intent_data") or {}
    refuse_unsupported(intent_data, INTENT_DATA_SUPPORTED, "payment_intent_data")
    if intent_data.get("capture_method") == "manual":
        raise StripeError.unsupported(
            "payment_intent_data[capture_method]",
            "manual capture in Checkout (payment_intent_data[capture_method]=manual)",
        )
    check_statement_descriptors(intent_data, "payment_intent_data")
    merged_metadata(None, intent_data.get("metadata", {}))
    merged_metadata(None, params.get("metadata", {}))

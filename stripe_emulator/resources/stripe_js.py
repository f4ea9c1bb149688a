"""What Stripe.js, calling with the publishable key, may send about a PaymentIntent and see of it.

The server-side SDK's parameter types have no raw card: card numbers only ever come from
Stripe.js (and the emulator's hosted pages), so these types extend the SDK's for those calls.
"""

from __future__ import annotations

from typing import Any, Literal

from typing_extensions import TypedDict


class _StripeJsCard(TypedDict, total=False):
    number: str
    exp_month: str
    exp_year: str
    cvc: str


class _StripeJsBillingDetails(TypedDict, total=False):
    address: dict[str, str]
    email: str
    name: str
    phone: str


class _StripeJsPaymentMethodData(TypedDict, total=False):
    # The server-side SDK type enum has no "card": raw cards only come from Stripe.js.
    type: Literal["card"]
    card: _StripeJsCard
    billing_details: _StripeJsBillingDetails


class StripeJsRetrieveParams(TypedDict, total=False):
    """What Stripe.js adds to a publishable-key retrieve."""

    key: str
    client_secret: str


class StripeJsConfirmParams(StripeJsRetrieveParams, total=False):
    """What Stripe.js adds to a publishable-key confirm (raw test card numbers included)."""

    payment_method_data: _StripeJsPaymentMethodData
    use_stripe_sdk: bool


PUBLISHABLE_FIELDS = (
    "id", "object", "amount", "amount_details", "automatic_payment_methods", "canceled_at",
    "cancellation_reason", "capture_method", "client_secret", "confirmation_method", "created",
    "currency", "description", "last_payment_error", "livemode", "next_action",
    "payment_method", "payment_method_types", "processing", "receipt_email",
    "setup_future_usage", "shipping", "status",
)  # fmt: skip


def publishable_view(intent: dict[str, Any]) -> dict[str, Any]:
    """What Stripe.js sees: no metadata, only the client-side fields (https://docs.stripe.com/api/payment_intents/object)."""
    return {key: intent[key] for key in PUBLISHABLE_FIELDS if key in intent}

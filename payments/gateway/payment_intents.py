"""PaymentIntents: create, change, read and cancel, each with the order's own account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from stripe.params import PaymentIntentCreateParams, PaymentIntentUpdateParams

from catalog.models import Order
from catalog.totals import Totals
from payments.gateway.accounts import StripeAccount, get_quick_client, get_stripe_client
from payments.gateway.errors import translate_stripe_errors
from payments.gateway.events import refused_if_malformed
from payments.gateway.line_items import build_amount_details
from payments.idempotency import compute_request_digest, make_order_create_key

# Statuses in which the shop changes the amount
# (https://docs.stripe.com/api/payment_intents/update). Not `requires_action`: the
# buyer is authenticating that amount with their bank (3-D Secure), so a changed order gets a
# new PaymentIntent and the old one is canceled.
UPDATABLE_STATUSES = frozenset({"requires_payment_method", "requires_confirmation"})


@dataclass(frozen=True)
class Intent:
    """What the shop needs of a PaymentIntent. `client_secret` goes to the paying buyer only."""

    id: str
    status: str
    amount: int
    amount_received: int
    currency: str
    client_secret: str
    last_error: str
    failure_code: str
    order_id: str

    @classmethod
    def from_stripe(cls, intent: stripe.PaymentIntent) -> Intent:
        error = intent.last_payment_error
        return cls(
            id=intent.id,
            status=intent.status,
            amount=intent.amount,
            amount_received=intent.amount_received,
            currency=intent.currency,
            client_secret=intent.client_secret or "",
            last_error=(error.message or error.code or "") if error else "",
            failure_code=(error.decline_code or error.code or "") if error else "",
            order_id=str(intent.metadata["order_id"])
            if "order_id" in (intent.metadata or {})
            else "",
        )

    @classmethod
    def from_event_object(cls, data: dict[str, Any]) -> Intent:
        """Read the PaymentIntent embedded in a (signature-checked) webhook event."""
        with refused_if_malformed("payment_intent"):
            error = data.get("last_payment_error") or {}
            return cls(
                id=str(data["id"]),
                status=str(data["status"]),
                amount=int(data["amount"]),
                amount_received=int(data.get("amount_received") or 0),
                currency=str(data["currency"]),
                client_secret="",  # never kept from events
                last_error=str(error.get("message") or error.get("code") or ""),
                failure_code=str(error.get("decline_code") or error.get("code") or ""),
                order_id=str((data.get("metadata") or {}).get("order_id", "")),
            )


@dataclass(frozen=True)
class IntentRequest:
    """What the order asks of Stripe, built once per request: the parameters of an update, the
    same values plus what only a create takes, and their digest (stored on the payment, and
    part of the create's idempotency key)."""

    amount: int
    params: PaymentIntentUpdateParams
    create_params: PaymentIntentCreateParams
    digest: str


def build_intent_request(order: Order, totals: Totals) -> IntentRequest:
    """The PaymentIntent `order` asks for at `totals`. The create's parameters are spelt out
    rather than spread from the update's: a create requires `amount` and `currency`, which an
    update leaves optional, so mypy can only check the create's shape from a literal."""
    details = build_amount_details(totals, has_tax=order.tax_id is not None)
    description, metadata = f"Order #{order.pk}", {"order_id": str(order.pk)}
    params: PaymentIntentUpdateParams = {
        "amount": totals.total,
        "currency": totals.currency,
        "amount_details": details,
        "description": description,
        "metadata": metadata,
    }
    create_params: PaymentIntentCreateParams = {
        "amount": totals.total,
        "currency": totals.currency,
        "amount_details": details,
        "description": description,
        "metadata": metadata,
        # Explicit, not left to the API version's default: the Payment Element offers what the
        # account enables in its Dashboard; delayed methods end in `processing`, which the
        # webhook and the result page handle; confirmPayment always passes a return_url.
        "automatic_payment_methods": {"enabled": True},
    }
    return IntentRequest(totals.total, params, create_params, compute_request_digest(params))


def compute_intent_digest(order: Order, totals: Totals) -> str:
    """A fingerprint of what the order asks of Stripe: equal digests need no update."""
    return build_intent_request(order, totals).digest


def create_payment_intent(
    account: StripeAccount, order: Order, request: IntentRequest, *, attempt: int
) -> Intent:
    """Create the PaymentIntent `request` asks for `order` in `account`.

    The idempotency key names the order (its number and its random nonce, so another
    database's order of the same number never gets this one back), what is charged (the
    request's digest, which names the amount and currency too) and the attempt (how many
    PaymentIntents the order had before), so a retry after a lost response gets the same
    PaymentIntent back, while a changed order or a new attempt gets a new key instead of an
    idempotency_error.
    """
    key = make_order_create_key(order, "pi", request.digest[:16], attempt=attempt)
    with translate_stripe_errors("PaymentIntent create"):
        intent = get_stripe_client(account).v1.payment_intents.create(
            request.create_params, options={"idempotency_key": key}
        )
    return Intent.from_stripe(intent)


def update_payment_intent(account: StripeAccount, intent_id: str, request: IntentRequest) -> Intent:
    """Charge the order's new totals with an existing PaymentIntent.

    Raises IntentNotUpdatable when Stripe no longer allows it. No business idempotency key:
    changing A→B→A would replay the first A response and leave the PaymentIntent at B.
    """
    with translate_stripe_errors("PaymentIntent update"):
        intent = get_stripe_client(account).v1.payment_intents.update(intent_id, request.params)
    return Intent.from_stripe(intent)


def retrieve_payment_intent(account: StripeAccount, intent_id: str) -> Intent:
    with translate_stripe_errors("PaymentIntent retrieve"):
        intent = get_stripe_client(account).v1.payment_intents.retrieve(intent_id)
    return Intent.from_stripe(intent)


def cancel_payment_intent(account: StripeAccount, intent_id: str, *, quick: bool = False) -> Intent:
    """Cancel a PaymentIntent the shop replaces, so the old one can never be paid too.

    Raises IntentNotUpdatable if it already succeeded or is processing (or was canceled
    already, which the caller reads back). `quick` uses the short-timeout client without
    retries (`get_quick_client`), for calls made while Stripe waits for a webhook answer.
    No key of the shop's own: one fixed key per PaymentIntent would have Stripe replay a
    stored 500 to every later cancel for 24 hours; stripe-python's own key covers its retries.
    """
    client = get_quick_client(account) if quick else get_stripe_client(account)
    with translate_stripe_errors("PaymentIntent cancel"):
        intent = client.v1.payment_intents.cancel(intent_id, {"cancellation_reason": "abandoned"})
    return Intent.from_stripe(intent)

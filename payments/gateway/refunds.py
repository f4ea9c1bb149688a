"""Refunds: create one for a PaymentIntent, and list a PaymentIntent's refunds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import stripe
from stripe.params import RefundCreateParams

from payments.exceptions import RefundRefused
from payments.gateway.accounts import StripeAccount, get_quick_client, get_stripe_client
from payments.gateway.errors import translate_stripe_errors

Reason = Literal["duplicate", "fraudulent", "requested_by_customer"]


@dataclass(frozen=True)
class StripeRefund:
    """What the shop keeps of a Stripe refund; amounts in minor units."""

    id: str
    payment_intent_id: str
    amount: int
    currency: str
    status: str
    reason: str
    failure_reason: str

    @classmethod
    def from_stripe(cls, refund: stripe.Refund) -> StripeRefund:
        return cls.from_event_object(refund.to_dict())

    @classmethod
    def from_event_object(cls, data: dict[str, Any]) -> StripeRefund:
        """Read a refund as JSON data (a webhook event's object, or the API's answer)."""
        intent = data.get("payment_intent") or ""
        return cls(
            id=str(data["id"]),
            payment_intent_id=str(intent["id"] if isinstance(intent, dict) else intent),
            amount=int(data["amount"]),
            currency=str(data["currency"]),
            status=str(data.get("status") or "pending"),
            reason=str(data.get("reason") or ""),
            failure_reason=str(data.get("failure_reason") or ""),
        )


def create_refund(
    account: StripeAccount,
    *,
    payment_intent_id: str,
    amount: int,
    reason: Reason,
    idempotency_key: str,
    metadata: dict[str, str],
) -> StripeRefund:
    """Refund `amount` (minor units) of the PaymentIntent's charge.

    The caller's idempotency key names this one request (the admin form's nonce), so a double
    submit or stripe-python's retry after a lost answer gets the same refund back. What
    Stripe refuses (more than is left, already refunded, …) raises RefundRefused with Stripe's
    own message, for the owner to read.
    """
    params: RefundCreateParams = {
        "payment_intent": payment_intent_id,
        "amount": amount,
        "reason": reason,
        "metadata": metadata,
    }
    with translate_stripe_errors("Refund create"):
        try:
            refund = get_stripe_client(account).v1.refunds.create(
                params, options={"idempotency_key": idempotency_key}
            )
        except (stripe.InvalidRequestError, stripe.CardError) as error:
            raise RefundRefused(str(error.user_message or error)) from error
    return StripeRefund.from_stripe(refund)


def list_refunds(account: StripeAccount, payment_intent_id: str) -> list[StripeRefund]:
    """Every refund of the PaymentIntent (for `charge.refunded`, read while Stripe waits)."""
    with translate_stripe_errors("Refund list"):
        page = get_quick_client(account).v1.refunds.list(
            {"payment_intent": payment_intent_id, "limit": 100}
        )
        return [StripeRefund.from_stripe(refund) for refund in page.auto_paging_iter()]

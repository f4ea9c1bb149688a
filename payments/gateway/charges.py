"""The charge behind a succeeded PaymentIntent: what the buyer's receipt says about the card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import stripe

from payments.gateway.accounts import StripeAccount, get_stripe_client
from payments.gateway.errors import translate_stripe_errors


@dataclass(frozen=True)
class CardCharge:
    """The card that paid, as the charge's `payment_method_details.card` gives it."""

    brand: str  # Stripe's word: "visa", "mastercard", "amex", …
    last4: str
    paid_at: datetime


def retrieve_card_charge(account: StripeAccount, payment_intent_id: str) -> CardCharge | None:
    """The card of the PaymentIntent's latest charge, or None if there is no card charge."""
    with translate_stripe_errors("PaymentIntent retrieve"):
        intent = get_stripe_client(account).v1.payment_intents.retrieve(
            payment_intent_id, {"expand": ["latest_charge"]}
        )
    charge = intent.latest_charge
    if not isinstance(charge, stripe.Charge) or charge.payment_method_details is None:
        return None
    card = charge.payment_method_details.card
    if card is None:
        return None
    return CardCharge(
        brand=card.brand or "",
        last4=card.last4 or "",
        paid_at=datetime.fromtimestamp(charge.created, tz=UTC),
    )

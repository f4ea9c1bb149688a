"""What a succeeded payment is checked for when it is recorded: an amount received that differs
from what the order costs (a short payment leaves the order unpaid), and a second payment of an
order already paid (flagged for a refund). Both say so at ERROR and on the payment, where the
admin's "needs attention" filter finds it."""

from __future__ import annotations

import logging

from payments.gateway.payment_intents import Intent
from payments.models import Payment, PaymentKind, PaymentStatus

logger = logging.getLogger("payments")

# How the "needs attention" note of a second payment of a paid order begins (admin offers to
# refund it).
PAID_TWICE = "Order paid twice"


def check_received(payment: Payment, intent: Intent) -> list[str]:
    """Log a received amount that differs from the order's; flag one that falls short.

    What the order costs is the shop's figure for a card-form PaymentIntent (the shop set its
    amount) and the session's total for Checkout (Stripe spreads the coupon itself).
    """
    if intent.amount_received == payment.shop_amount:
        return []
    logger.error(
        "PaymentIntent %s received %s %s but order %s totals %s",
        intent.id,
        intent.amount_received,
        intent.currency,
        payment.order_id,
        payment.shop_amount,
    )
    cost = payment.shop_amount if payment.kind == PaymentKind.PAYMENT_INTENT else payment.amount
    if intent.amount_received >= cost:
        return []
    payment.covers_order = False
    payment.attention = (
        f"Received {intent.amount_received} of {cost} {intent.currency} (minor units): "
        "the order is not paid; collect the rest or refund."
    )
    logger.error(
        "order %s underpaid: %s received %s of %s %s; order left unpaid",
        payment.order_id,
        intent.id,
        intent.amount_received,
        cost,
        intent.currency,
    )
    return ["covers_order", "attention"]


def flag_if_paid_twice(payment: Payment, intent_id: str) -> None:
    """A second attempt of an already-paid order succeeded: the buyer paid twice. Say so at
    ERROR and on the payment (admin's "needs attention" filter) so someone refunds it."""
    paid_before = (
        Payment.objects.filter(order_id=payment.order_id, status=PaymentStatus.SUCCEEDED)
        .exclude(pk=payment.pk)
        .exists()
    )
    if paid_before:
        flag_paid_twice(payment, intent_id)


def flag_paid_twice(payment: Payment, intent_id: str) -> None:
    """Flag `payment` as the second payment of its order, for staff to refund."""
    refund = intent_id or payment.stripe_id
    logger.error("order %s paid twice: refund %s", payment.order_id, refund)
    payment.attention = f"{PAID_TWICE}: refund {refund}."
    payment.save(update_fields=["attention", "updated_at"])

"""`refund.*` and `charge.refunded` events: record each refund, the shop's own and those made
in the Stripe Dashboard, and move the payment (and its order) to partially refunded or
refunded."""

from __future__ import annotations

import logging

from django.db.models import Q

from payments.gateway.accounts import account_for
from payments.gateway.events import StripeEvent
from payments.gateway.refunds import StripeRefund, list_refunds
from payments.models import Payment
from payments.refunds import record_refund, refunded_amount

logger = logging.getLogger("payments.webhooks")


def refund_changed(event: StripeEvent) -> None:
    """Record the event's refund (a snapshot: its status is the refund's at that moment)."""
    record_refund(event.account, StripeRefund.from_event_object(event.object))


def charge_refunded(event: StripeEvent) -> None:
    """Catch up on refunds the shop has not heard of when the charge says more was refunded.

    The charge carries only the total refunded (its `refunds` list is not sent in events), so
    where that total differs from the shop's the PaymentIntent's refunds are read from Stripe
    and each is recorded; an endpoint subscribed to `charge.refunded` alone still learns of
    every refund. If Stripe can't be asked, the PaymentError answers 503 and Stripe redelivers.
    """
    charge = event.object
    intent_id = str(charge.get("payment_intent") or "")
    payment = (
        Payment.objects.filter(account=event.account)
        .filter(Q(stripe_id=intent_id) | Q(stripe_payment_intent_id=intent_id))
        .first()
    )
    if payment is None or not intent_id:
        logger.info("charge.refunded for unknown PaymentIntent %s: nothing to do", intent_id)
        return
    if int(charge.get("amount_refunded") or 0) == refunded_amount(payment):
        return
    for refund in list_refunds(account_for(event.account), intent_id):
        record_refund(event.account, refund)

"""`payment_intent.*` events: move the payment (and its order) forward, never back."""

from __future__ import annotations

import logging

from django.db.models import Q

from payments.exceptions import StripeObjectGone
from payments.gateway.accounts import account_for
from payments.gateway.events import StripeEvent
from payments.gateway.payment_intents import Intent, retrieve_payment_intent
from payments.locks import lock_payment
from payments.models import Payment, PaymentStatus
from payments.status import record_intent, sync_order_status

logger = logging.getLogger("payments.webhooks")

# Moves an event can't decide alone: `processing` after a failure may be a late event of the
# failed attempt or the buyer's retry with a delayed method, and `payment_failed` while
# processing may be that retry failing or a late event of the first attempt.
AMBIGUOUS_MOVES = frozenset(
    {
        (PaymentStatus.FAILED, PaymentStatus.PROCESSING),
        (PaymentStatus.PROCESSING, PaymentStatus.FAILED),
    }
)

EVENT_STATUS = {
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.processing": PaymentStatus.PROCESSING,
    "payment_intent.canceled": PaymentStatus.CANCELED,
}


def payment_intent_changed(event: StripeEvent) -> None:
    """Record the event's status on the payment of its PaymentIntent.

    Where the event can't tell a late event from a new attempt (`AMBIGUOUS_MOVES`), the
    PaymentIntent is read from Stripe and its own status is recorded instead.

    Checkout payments are found by the PaymentIntent Stripe made for them. A PaymentIntent the
    shop doesn't know (made in the Dashboard, or its Checkout Session not yet completed) is
    only logged.
    """
    intent = Intent.from_event_object(event.object)
    found = (
        Payment.objects.filter(account=event.account)
        .filter(Q(stripe_id=intent.id) | Q(stripe_payment_intent_id=intent.id))
        .values_list("pk", "order_id")
        .first()
    )
    if found is None:
        logger.info("%s for unknown PaymentIntent %s: nothing to do", event.type, intent.id)
        return
    payment = lock_payment(*found)
    status: PaymentStatus | None = EVENT_STATUS[event.type]
    if (payment.status, status) in AMBIGUOUS_MOVES:
        # Events arrive out of order, so the PaymentIntent's status now is the truth. If
        # Stripe can't be asked, the PaymentError answers 503 and Stripe redelivers later.
        try:
            intent = retrieve_payment_intent(account_for(event.account), intent.id)
        except StripeObjectGone:
            # Gone from the account: no redelivery can tell more, so the event changes nothing.
            logger.warning("%s for vanished %s: payment %s left", event.type, intent.id, payment.pk)
            return
        status = None
    if record_intent(payment, intent, status):
        sync_order_status(payment.order)
    else:
        logger.info("%s left payment %s at %s", event.type, payment.pk, payment.status)

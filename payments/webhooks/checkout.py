"""`checkout.session.*` events: move the Checkout payment (and its order) forward, never back."""

from __future__ import annotations

import logging

from payments.gateway.checkout import CheckoutSession
from payments.gateway.events import StripeEvent
from payments.models import Payment, PaymentKind
from payments.status import record_session

logger = logging.getLogger("payments.webhooks")


def checkout_session_changed(event: StripeEvent) -> None:
    """Record what the event's session says on the payment the shop made for it.

    The session snapshot carries the outcome (`status`, `payment_status`) except for a delayed
    payment that failed, which only the event type tells. A session the shop never recorded
    cannot have been reached through the shop, so it is only logged.
    """
    session = CheckoutSession.from_event_object(event.object)
    payment = Payment.objects.filter(
        account=event.account, kind=PaymentKind.CHECKOUT_SESSION, stripe_id=session.id
    ).first()
    if payment is None:
        logger.info("%s for unknown Checkout Session %s: nothing to do", event.type, session.id)
        return
    before = payment.status
    after = record_session(
        payment, session, async_failed=event.type == "checkout.session.async_payment_failed"
    )
    if after == before:
        logger.info("%s left payment %s at %s", event.type, payment.pk, before)

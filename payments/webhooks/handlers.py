"""Store each event once, then dispatch it by type: `HANDLERS` maps every event type the shop
handles to its function (an event of any other type is stored and ignored)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from payments.gateway.accounts import is_live
from payments.gateway.events import StripeEvent
from payments.models import WebhookEvent
from payments.webhooks.checkout import checkout_session_changed
from payments.webhooks.payment_intents import payment_intent_changed
from payments.webhooks.refunds import charge_refunded, refund_changed

logger = logging.getLogger("payments.webhooks")

Handler = Callable[[StripeEvent], None]

HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": payment_intent_changed,
    "payment_intent.payment_failed": payment_intent_changed,
    "payment_intent.processing": payment_intent_changed,
    "payment_intent.canceled": payment_intent_changed,
    "checkout.session.completed": checkout_session_changed,
    "checkout.session.async_payment_succeeded": checkout_session_changed,
    "checkout.session.async_payment_failed": checkout_session_changed,
    "checkout.session.expired": checkout_session_changed,
    "refund.created": refund_changed,
    "refund.updated": refund_changed,
    "refund.failed": refund_changed,
    "charge.refunded": charge_refunded,
}


def handle_event(event: StripeEvent) -> str:
    """Record and handle a verified event; return what happened, for the log and the reply.

    The event row and the handler's writes commit together: a handler that fails leaves no
    row, so Stripe's redelivery is handled again, while a redelivery of a handled event meets
    the unique (account, event id) row and does nothing. A concurrent duplicate waits on that
    row's unique index until the first commits.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    account=event.account,
                    event_id=event.id,
                    type=event.type,
                    stripe_object_id=event.object_id,
                )
        except IntegrityError:
            logger.info(
                "Duplicate %s %s (%s): already handled", event.type, event.id, event.account
            )
            return "duplicate"
        if event.livemode != is_live(event.account):
            logger.warning(
                "Ignored %s %s: livemode does not match the account", event.type, event.id
            )
            return "ignored"
        handler = HANDLERS.get(event.type)
        if handler is None:
            logger.info("Ignored %s %s (%s): no handler", event.type, event.id, event.account)
            return "ignored"
        handler(event)
        logger.info("Handled %s %s (%s)", event.type, event.id, event.account)
        return "handled"

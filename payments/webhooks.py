"""Stripe's webhook events: each stored once, then dispatched by type through `HANDLERS`.

Every handler moves a payment (and its order) forward to what the event's object says, never
back, and records refunds; an event of a type not in `HANDLERS` is stored and ignored.
https://docs.stripe.com/webhooks
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from payments.exceptions import StripeObjectGone
from payments.gateway.accounts import get_account, is_live
from payments.gateway.checkout import CheckoutSession
from payments.gateway.events import StripeEvent
from payments.gateway.payment_intents import Intent, retrieve_payment_intent
from payments.gateway.refunds import StripeRefund, list_refunds
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.order_status import compute_order_status
from payments.refunds import compute_refunded_amount, record_refund
from payments.transitions import record_intent, record_session, set_order_status
from payments.webhook_locks import lock_order_of_intent

logger = logging.getLogger("payments.webhooks")


def handle_event(event: StripeEvent) -> str:
    """Record and handle a verified event; return what happened, for the log and the reply.

    The event row and the handler's writes commit together: a handler that fails leaves no
    row, so Stripe's redelivery is handled again, while a redelivery of a handled event meets
    the unique (account, event id) row and does nothing. A concurrent duplicate waits on that
    row's unique index until the first commits.
    """
    with transaction.atomic():
        if not _stored_once(event):
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


# WebhookEvent's table; the constraint `webhook_event_once` is the conflict target.
_STORE_ONCE = (
    'INSERT INTO "payments_webhookevent" (account, event_id, type, stripe_object_id, received_at)'
    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (account, event_id) DO NOTHING RETURNING 1"
)


def _stored_once(event: StripeEvent) -> bool:
    """Store the event's row unless its (account, event id) is stored; True if stored now.

    One INSERT … ON CONFLICT DO NOTHING (PostgreSQL and SQLite): no savepoint, no second
    statement. A concurrent duplicate waits on the unique index until the first commits (then
    stores nothing) or rolls back (then stores it).
    """
    received = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            _STORE_ONCE, [event.account, event.id, event.type, event.object_id, received]
        )
        return cursor.fetchone() is not None


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


def handle_payment_intent_event(event: StripeEvent) -> None:
    """Record the event's status on the payment of its PaymentIntent.

    Where the event can't tell a late event from a new attempt (`AMBIGUOUS_MOVES`), the
    PaymentIntent is read from Stripe and its own status is recorded instead.

    Checkout payments are found by the PaymentIntent Stripe made for them. A PaymentIntent the
    shop doesn't know (made in the Dashboard, or its Checkout Session not yet completed) is
    only logged.
    """
    intent = Intent.from_event_object(event.object)
    locked = lock_order_of_intent(event.account, intent.id)
    if locked is None:
        logger.info("%s for unknown PaymentIntent %s: nothing to do", event.type, intent.id)
        return
    order, payments = locked
    payment = next(p for p in payments if _is_of_intent(p, event.account, intent.id))
    status: PaymentStatus | None = EVENT_STATUS[event.type]
    if (payment.status, status) in AMBIGUOUS_MOVES:
        # Events arrive out of order, so the PaymentIntent's status now is the truth. If
        # Stripe can't be asked, the PaymentError answers 503 and Stripe redelivers later.
        try:
            intent = retrieve_payment_intent(get_account(event.account), intent.id)
        except StripeObjectGone:
            # Gone from the account: no redelivery can tell more, so the event changes nothing.
            logger.warning("%s for vanished %s: payment %s left", event.type, intent.id, payment.pk)
            return
        status = None
    if record_intent(payment, intent, status, siblings=payments):
        set_order_status(order, compute_order_status((p.status, p.covers_order) for p in payments))
    else:
        logger.info("%s left payment %s at %s", event.type, payment.pk, payment.status)


def handle_checkout_session_event(event: StripeEvent) -> None:
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


def handle_refund_event(event: StripeEvent) -> None:
    """Record the event's refund (a snapshot: its status is the refund's at that moment)."""
    record_refund(event.account, StripeRefund.from_event_object(event.object))


def handle_charge_refunded(event: StripeEvent) -> None:
    """Catch up on refunds the shop has not heard of when the charge says more was refunded.

    The charge carries only the total refunded (its `refunds` list is not sent in events), so
    where that total differs from the shop's the PaymentIntent's refunds are read from Stripe
    and each is recorded; an endpoint subscribed to `charge.refunded` alone still learns of
    every refund. If Stripe can't be asked, the PaymentError answers 503 and Stripe redelivers.
    """
    charge = event.object
    intent_id = str(charge.get("payment_intent") or "")
    payment = _payments_of_intent(event.account, intent_id).first()
    if payment is None or not intent_id:
        logger.info("charge.refunded for unknown PaymentIntent %s: nothing to do", intent_id)
        return
    if int(charge.get("amount_refunded") or 0) == compute_refunded_amount(payment):
        return
    for refund in list_refunds(get_account(event.account), intent_id):
        record_refund(event.account, refund)


def _payments_of_intent(account: str, intent_id: str) -> QuerySet[Payment]:
    """The payment of a PaymentIntent: the card form's (its id) or a Checkout Session's (the
    PaymentIntent Stripe made for it)."""
    return Payment.objects.filter(account=account).filter(
        Q(stripe_id=intent_id) | Q(stripe_payment_intent_id=intent_id)
    )


def _is_of_intent(payment: Payment, account: str, intent_id: str) -> bool:
    """Whether `_payments_of_intent(account, intent_id)` holds `payment`."""
    ids = (payment.stripe_id, payment.stripe_payment_intent_id)
    return payment.account == account and intent_id in ids


Handler = Callable[[StripeEvent], None]

HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": handle_payment_intent_event,
    "payment_intent.payment_failed": handle_payment_intent_event,
    "payment_intent.processing": handle_payment_intent_event,
    "payment_intent.canceled": handle_payment_intent_event,
    "checkout.session.completed": handle_checkout_session_event,
    "checkout.session.async_payment_succeeded": handle_checkout_session_event,
    "checkout.session.async_payment_failed": handle_checkout_session_event,
    "checkout.session.expired": handle_checkout_session_event,
    "refund.created": handle_refund_event,
    "refund.updated": handle_refund_event,
    "refund.failed": handle_refund_event,
    "charge.refunded": handle_charge_refunded,
}

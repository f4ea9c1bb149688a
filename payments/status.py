"""A payment's status, and its order's, from what Stripe says of a PaymentIntent or a Checkout
Session: statuses only move forward, and once one attempt takes the money the order's other
attempts are closed so it can't be paid twice.

Locks are always taken in the same order, the order row first and then its payment row.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from catalog.models import Order, OrderStatus
from payments.exceptions import PaymentError
from payments.gateway.accounts import account_for
from payments.gateway.checkout import CheckoutSession, expire_checkout_session
from payments.gateway.payment_intents import Intent, cancel_payment_intent
from payments.models import Payment, PaymentKind, PaymentStatus

logger = logging.getLogger("payments")

# Statuses in which an attempt could still take the buyer's money.
OPEN_ATTEMPT_STATUSES = (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.FAILED)

# Statuses of an attempt that took the money, or is taking it.
TAKEN_STATUSES = (PaymentStatus.SUCCEEDED, PaymentStatus.PROCESSING)

_STATUS_OF_INTENT = {
    "succeeded": PaymentStatus.SUCCEEDED,
    "processing": PaymentStatus.PROCESSING,
    "requires_capture": PaymentStatus.PROCESSING,
    "canceled": PaymentStatus.CANCELED,
}

_ORDER_STATUS_OF_PAYMENT: dict[str, OrderStatus] = {
    PaymentStatus.REQUIRES_PAYMENT: OrderStatus.OPEN,
    PaymentStatus.PROCESSING: OrderStatus.PROCESSING,
    PaymentStatus.FAILED: OrderStatus.FAILED,
    PaymentStatus.CANCELED: OrderStatus.CANCELED,
    PaymentStatus.SUCCEEDED: OrderStatus.PAID,
}


def payment_status_of_intent(intent: Intent) -> PaymentStatus | None:
    """The Payment status a PaymentIntent's own status stands for (None: nothing to record)."""
    if intent.status == "requires_payment_method" and intent.last_error:
        return PaymentStatus.FAILED
    return _STATUS_OF_INTENT.get(intent.status)


def record_intent(payment: Payment, intent: Intent, status: PaymentStatus | None = None) -> bool:
    """Move `payment` forward to what Stripe says of its PaymentIntent; True if it moved.

    `status` is the event's word for it (webhooks); without it the PaymentIntent's own status
    decides. The caller holds the payment's row lock. A PaymentIntent in another currency is
    refused; an amount that differs from the shop's is recorded and logged, never ignored,
    because the money moved. Once the money is taken or being taken, the order's other
    attempts are closed after the commit (`close_other_attempts`).
    """
    if intent.currency != payment.currency:
        logger.error(
            "PaymentIntent %s is in %s but payment %s is in %s; ignored",
            intent.id,
            intent.currency,
            payment.pk,
            payment.currency,
        )
        return False
    target = status or payment_status_of_intent(intent)
    if target is None or not payment.can_move_to(target):
        return False
    if target == PaymentStatus.SUCCEEDED and intent.amount_received != payment.shop_amount:
        logger.error(
            "PaymentIntent %s received %s %s but order %s totals %s",
            intent.id,
            intent.amount_received,
            intent.currency,
            payment.order_id,
            payment.shop_amount,
        )
    payment.amount = intent.amount
    payment.last_error = intent.last_error[:500] if target == PaymentStatus.FAILED else ""
    _move(payment, target, extra_fields=["amount", "last_error"])
    _close_others_if_taken(payment)
    return True


def _move(payment: Payment, status: PaymentStatus, extra_fields: list[str] | None = None) -> None:
    payment.status = status
    payment.save(update_fields=["status", "updated_at", *(extra_fields or [])])


def sync_order_status(order: Order) -> str:
    """Set the order's status from its payments and return it.

    Paid if any payment succeeded; processing if one is being processed (a newer attempt that
    its success closed must not hide it); otherwise what the latest payment says (failed,
    canceled, or open while it awaits payment); open when there is none.
    """
    payments = order.payments.order_by("-created_at", "-pk")
    if payments.filter(status=PaymentStatus.SUCCEEDED).exists():
        status = OrderStatus.PAID
    elif payments.filter(status=PaymentStatus.PROCESSING).exists():
        status = OrderStatus.PROCESSING
    else:
        latest = payments.only("status").first()
        status = _ORDER_STATUS_OF_PAYMENT[latest.status] if latest else OrderStatus.OPEN
    Order.objects.filter(pk=order.pk).exclude(status=status).update(
        status=status, updated_at=timezone.now()
    )
    return status


def lock_payment(payment_id: int, order_id: int) -> Payment:
    """Lock the order row, then the payment row (the one lock order used everywhere)."""
    Order.objects.select_for_update().filter(pk=order_id).exists()
    return Payment.objects.select_for_update().get(pk=payment_id)


def record_session(
    payment: Payment, session: CheckoutSession, *, async_failed: bool = False
) -> str:
    """Move `payment`, and so its order, forward to what `session` says; return its status.

    A complete but unpaid session waits for a delayed payment method (`processing`) unless
    `async_failed` (the `checkout.session.async_payment_failed` event) says it failed. Moves
    backward are ignored, so late and repeated events change nothing.
    """
    with transaction.atomic():
        payment = lock_payment(payment.pk, payment.order_id)
        if session.currency != payment.currency:
            logger.error(
                "Checkout Session %s is in %s but payment %s is in %s; ignored",
                session.id,
                session.currency,
                payment.pk,
                payment.currency,
            )
            return payment.status
        fields = []
        if session.payment_intent_id and not payment.stripe_payment_intent_id:
            payment.stripe_payment_intent_id = session.payment_intent_id
            fields.append("stripe_payment_intent_id")
        target = _status_of(session, async_failed=async_failed)
        # A complete session is over: a late `completed` (unpaid) must not revive a failure.
        revives = target == PaymentStatus.PROCESSING and payment.status == PaymentStatus.FAILED
        if target is not None and payment.can_move_to(target) and not revives:
            payment.status = target
            fields.append("status")
        elif target == PaymentStatus.SUCCEEDED and payment.status != target:
            # Money moved for a payment the shop had closed: someone must look at it.
            logger.error(
                "Checkout Session %s is paid but payment %s is %s; left as is",
                session.id,
                payment.pk,
                payment.status,
            )
        if fields:
            payment.save(update_fields=[*fields, "updated_at"])
        if "status" in fields:
            sync_order_status(payment.order)
            _close_others_if_taken(payment)
        return payment.status


def _status_of(session: CheckoutSession, *, async_failed: bool) -> PaymentStatus | None:
    if session.status == "expired":
        return PaymentStatus.CANCELED
    if session.status != "complete":
        return None  # still open: nothing happened yet
    if session.payment_status in ("paid", "no_payment_required"):
        return PaymentStatus.SUCCEEDED
    return PaymentStatus.FAILED if async_failed else PaymentStatus.PROCESSING


def close_other_attempts(*, order_id: int, paid_id: int) -> None:
    """Expire the order's other open Checkout Sessions and cancel its other PaymentIntents.

    The buyer may have the card form open in one tab and Checkout in another: once one of them
    takes the money, the others must not take it again. Runs after the commit that recorded
    the payment and never raises: the money already moved, so a failure is only logged.
    """
    others = Payment.objects.filter(order_id=order_id, status__in=OPEN_ATTEMPT_STATUSES).exclude(
        pk=paid_id
    )
    for other in others:
        try:
            account = account_for(other.account)
            if other.kind == PaymentKind.CHECKOUT_SESSION:
                record_session(other, expire_checkout_session(account, other.stripe_id))
                continue
            intent = cancel_payment_intent(account, other.stripe_id)
            with transaction.atomic():
                locked = lock_payment(other.pk, other.order_id)
                if record_intent(locked, intent):
                    sync_order_status(locked.order)
        except PaymentError:
            logger.exception(
                "Could not close %s of order %s after payment %s",
                other.stripe_id,
                order_id,
                paid_id,
            )


def _close_others_if_taken(payment: Payment) -> None:
    if payment.status in TAKEN_STATUSES:
        transaction.on_commit(
            partial(close_other_attempts, order_id=payment.order_id, paid_id=payment.pk)
        )

"""A Checkout payment's status, from the session Stripe reports; and, once an order is paid,
closing its other attempts so it can't be paid twice."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from payments.exceptions import PaymentError
from payments.gateway.accounts import account_for
from payments.gateway.checkout import CheckoutSession, expire_checkout_session
from payments.gateway.payment_intents import cancel_payment_intent
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.services import lock_payment, record_intent, sync_order_status

logger = logging.getLogger("payments.checkout")

# Statuses in which an attempt could still take the buyer's money.
OPEN_ATTEMPT_STATUSES = (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.FAILED)


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
            if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.PROCESSING):
                transaction.on_commit(
                    partial(close_other_attempts, order_id=payment.order_id, paid_id=payment.pk)
                )
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

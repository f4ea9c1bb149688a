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

from catalog.models import Order
from payments.amount_checks import check_received, flag_if_paid_twice, flag_paid_twice
from payments.exceptions import (
    IntentNotUpdatable,
    PaymentError,
    SessionNotOpen,
    StripeObjectGone,
)
from payments.gateway.accounts import StripeAccount, get_account
from payments.gateway.checkout import (
    CheckoutSession,
    expire_checkout_session,
    retrieve_checkout_session,
)
from payments.gateway.payment_intents import (
    Intent,
    cancel_payment_intent,
    retrieve_payment_intent,
)
from payments.locks import lock_payment
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.order_status import OPEN_ATTEMPT_STATUSES, TAKEN_STATUSES, compute_order_status
from payments.row_writes import update_fields

logger = logging.getLogger("payments")


_STATUS_OF_INTENT = {
    "succeeded": PaymentStatus.SUCCEEDED,
    "processing": PaymentStatus.PROCESSING,
    "requires_capture": PaymentStatus.PROCESSING,
    "canceled": PaymentStatus.CANCELED,
}


def get_payment_status_of_intent(intent: Intent) -> PaymentStatus | None:
    """The Payment status a PaymentIntent's own status stands for (None: nothing to record)."""
    if intent.status == "requires_payment_method" and intent.last_error:
        return PaymentStatus.FAILED
    return _STATUS_OF_INTENT.get(intent.status)


def record_intent(
    payment: Payment,
    intent: Intent,
    status: PaymentStatus | None = None,
    *,
    siblings: list[Payment] | None = None,
) -> bool:
    """Move `payment` forward to what Stripe says of its PaymentIntent; True if it moved.

    `status` is the event's word for it (webhooks); without it the PaymentIntent's own status
    decides. The caller holds the payment's row lock (and `siblings`, the order's payments
    read with it, spare reading them again). A PaymentIntent in another currency is
    refused; an amount that differs from the shop's is recorded and logged, never ignored,
    because the money moved; one that falls short of what the order costs leaves the order
    unpaid and flagged for staff (`covers_order`). Once the money is taken or being taken, the
    order's other attempts are closed after the commit (`close_other_attempts`).
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
    target = status or get_payment_status_of_intent(intent)
    if target is None or not payment.can_move_to(target):
        return False
    fields = ["amount", "last_error", "failure_code"]
    if target == PaymentStatus.SUCCEEDED:
        fields += check_received(payment, intent)
    payment.amount = intent.amount
    failed = target == PaymentStatus.FAILED
    payment.last_error = intent.last_error[:500] if failed else ""
    payment.failure_code = intent.failure_code[:100] if failed else ""
    _move(payment, target, extra_fields=fields)
    if target in TAKEN_STATUSES:
        _after_taken(payment, intent.id, siblings)
    return True


def _after_taken(payment: Payment, intent_id: str, siblings: list[Payment] | None) -> None:
    """One read of the order's other payments (its row is locked, so no attempt is added
    meanwhile): flag a second success, and close the others still open after the commit."""
    if siblings is None:
        siblings = list(Payment.objects.filter(order_id=payment.order_id).only("status"))
    others = {other.status for other in siblings if other.pk != payment.pk}
    if payment.status == PaymentStatus.SUCCEEDED and PaymentStatus.SUCCEEDED in others:
        flag_paid_twice(payment, intent_id)
    if others.intersection(OPEN_ATTEMPT_STATUSES):
        transaction.on_commit(
            partial(close_other_attempts, order_id=payment.order_id, paid_id=payment.pk)
        )


def _move(payment: Payment, status: PaymentStatus, extra_fields: list[str] | None = None) -> None:
    payment.status = status
    update_fields(payment, ["status", "updated_at", *(extra_fields or [])])


def sync_order_status(order: Order) -> str:
    """Set the order's status from its payments (read in one query) and return it."""
    payments = order.payments.values_list("status", "covers_order").order_by("-created_at", "-pk")
    status = compute_order_status(payments)
    Order.objects.filter(pk=order.pk).exclude(status=status).update(
        status=status, updated_at=timezone.now()
    )
    return status


def set_order_status(order: Order, status: str) -> None:
    """Write `status` on the order, whose row the caller locked and read, unless it has it."""
    if order.status != status:
        order.status = status
        update_fields(order, ["status", "updated_at"])


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
            if target == PaymentStatus.SUCCEEDED:
                flag_if_paid_twice(payment, payment.stripe_payment_intent_id)
        elif target == PaymentStatus.SUCCEEDED and payment.status != target:
            # Money moved for a payment the shop had closed: someone must look at it.
            logger.error(
                "Checkout Session %s is paid but payment %s is %s; left as is",
                session.id,
                payment.pk,
                payment.status,
            )
        if fields:
            update_fields(payment, [*fields, "updated_at"])
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
            close_attempt(other, quick=True)
        except PaymentError:
            logger.exception(
                "Could not close %s of order %s after payment %s",
                other.stripe_id,
                order_id,
                paid_id,
            )


def close_attempt(payment: Payment, *, quick: bool = False) -> None:
    """Close one open attempt at Stripe (cancel its PaymentIntent, expire its session) and
    record what Stripe says it now is: canceled, or paid or being paid if it got there first
    (the webhook's transitions, so the order may turn paid). One gone from the account is
    canceled. Raises PaymentError when Stripe could not be asked. `quick`: see
    `cancel_payment_intent`."""
    account = get_account(payment.account)
    try:
        if payment.kind == PaymentKind.CHECKOUT_SESSION:
            record_session(payment, _closed_session(account, payment.stripe_id, quick=quick))
            return
        apply_intent(payment, close_intent(account, payment.stripe_id, quick=quick))
    except StripeObjectGone:
        cancel_gone(payment)


def apply_intent(payment: Payment, intent: Intent) -> None:
    """`record_intent` under the locks, with the order's status following."""
    with transaction.atomic():
        locked = lock_payment(payment.pk, payment.order_id)
        if record_intent(locked, intent):
            sync_order_status(locked.order)


def close_intent(account: StripeAccount, intent_id: str, *, quick: bool = False) -> Intent:
    """Cancel the PaymentIntent so it can't be paid; if Stripe refuses because it is paid or
    being paid already, the PaymentIntent as it now is (its true status is then recorded)."""
    try:
        return cancel_payment_intent(account, intent_id, quick=quick)
    except IntentNotUpdatable:
        return retrieve_payment_intent(account, intent_id)


def _closed_session(account: StripeAccount, session_id: str, *, quick: bool) -> CheckoutSession:
    """Expire the session; if Stripe refuses (only an open one can be expired: it was paid
    meanwhile, say), the session as it now is."""
    try:
        return expire_checkout_session(account, session_id, quick=quick)
    except SessionNotOpen:
        return retrieve_checkout_session(account, session_id)


def cancel_gone(payment: Payment) -> None:
    """The attempt is not in its account any more: nothing can pay it, so it is canceled."""
    with transaction.atomic():
        locked = lock_payment(payment.pk, payment.order_id)
        if locked.can_move_to(PaymentStatus.CANCELED):
            _move(locked, PaymentStatus.CANCELED)
            sync_order_status(locked.order)


def _close_others_if_taken(payment: Payment) -> None:
    if payment.status in TAKEN_STATUSES:
        transaction.on_commit(
            partial(close_other_attempts, order_id=payment.order_id, paid_id=payment.pk)
        )

"""Refunds of a payment: what is left to refund, asking Stripe for one, and recording what
Stripe says of each refund (the admin's answer and webhook events alike) on the payment and its
order.

A refund is recorded under its Stripe id whoever tells of it first (the admin's answer, or one
of the events, which may arrive before that answer), so one refund is one row however many
times and in whatever order it is told. Refunds made in the Stripe Dashboard arrive only as
events and are recorded the same way.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from catalog.templatetags.shop import money
from payments.amount_checks import PAID_TWICE
from payments.exceptions import RefundBeforePayment, RefundRefused
from payments.gateway.accounts import get_account
from payments.gateway.refunds import Reason, StripeRefund, create_refund
from payments.idempotency import make_idempotency_key
from payments.locks import lock_payment
from payments.models import (
    COUNTED_REFUND_STATUSES,
    PAID_STATUSES,
    Payment,
    PaymentKind,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from payments.transitions import sync_order_status

logger = logging.getLogger("payments")

# A payment the shop has not yet seen succeed, though Stripe refunds only what was paid: its
# `succeeded` event is still on its way.
_NOT_YET_PAID = (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.PROCESSING, PaymentStatus.FAILED)


def compute_refunded_amount(payment: Payment) -> int:
    """Minor units refunded, or being refunded, of `payment` (failed and canceled refunds
    gave nothing back)."""
    counted = payment.refunds.filter(status__in=COUNTED_REFUND_STATUSES)
    return int(counted.aggregate(total=Sum("amount"))["total"] or 0)


def annotate_refunded_amount(payments: QuerySet[Payment]) -> QuerySet[Payment]:
    """`payments`, each with `refunded_total` (what `compute_refunded_amount` says) in the same
    query, for lists."""
    counted = Q(refunds__status__in=COUNTED_REFUND_STATUSES)
    return payments.annotate(refunded_total=Sum("refunds__amount", filter=counted, default=0))


def compute_refundable_amount(payment: Payment) -> int:
    """Minor units that may still be refunded: what was paid less what was refunded."""
    if payment.status not in PAID_STATUSES:
        return 0
    return max(int(payment.amount) - compute_refunded_amount(payment), 0)


def is_paid_twice(payment: Payment) -> bool:
    """Whether `payment` is the second payment of an already-paid order, still to refund."""
    return payment.attention.startswith(PAID_TWICE) and compute_refundable_amount(payment) > 0


def refund_payment(payment: Payment, *, amount: int, reason: Reason, key: str) -> Refund:
    """Refund `amount` minor units of `payment` through Stripe and record the refund.

    Checked here first (never more than is left, in the payment's minor units), then Stripe
    decides: its refusal (a Dashboard refund the shop has not heard of yet, say) comes back
    as RefundRefused with Stripe's words. `key` names this request (the admin form's nonce),
    so a second submit of the same form gets the same refund, not another.
    """
    left = compute_refundable_amount(payment)
    if amount <= 0:
        raise RefundRefused(_("The amount to refund must be more than zero."))
    if amount > left:
        raise RefundRefused(
            _("At most %(amount)s of this payment can be refunded.")
            % {"amount": money(left, payment.currency)}
        )
    intent_id = get_paid_intent_id(payment)
    if not intent_id:
        raise RefundRefused(_("Stripe has not said which PaymentIntent took this payment."))
    refund = create_refund(
        get_account(payment.account),
        payment_intent_id=intent_id,
        amount=amount,
        reason=reason,
        idempotency_key=make_idempotency_key("refund", payment.account, payment.pk, key),
        metadata={"order_id": str(payment.order_id), "payment_id": str(payment.pk)},
    )
    recorded = record_refund(payment.account, refund)
    assert recorded is not None  # the payment it was made for is there
    return recorded


def get_paid_intent_id(payment: Payment) -> str:
    """The PaymentIntent that took `payment`'s money (Checkout makes one when the buyer pays)."""
    if payment.kind == PaymentKind.PAYMENT_INTENT:
        return payment.stripe_id
    return payment.stripe_payment_intent_id


def record_refund(account: str, refund: StripeRefund) -> Refund | None:
    """Store `refund` or move its row forward, then the payment's and order's status.

    None when the refund is of a PaymentIntent the shop has no payment for (only logged).
    RefundBeforePayment when the shop has not yet recorded that payment as paid.
    """
    with transaction.atomic():
        intent_id = refund.payment_intent_id
        found = (
            Payment.objects.filter(account=account)
            .filter(Q(stripe_id=intent_id) | Q(stripe_payment_intent_id=intent_id))
            .values_list("pk", "order_id")
            .first()
        )
        if found is None or not intent_id:
            logger.info("Refund %s of unknown PaymentIntent: nothing to do", refund.id)
            return None
        payment = lock_payment(*found)
        if refund.currency != payment.currency:
            logger.error(
                "Refund %s in %s: not payment %s's currency", refund.id, refund.currency, payment.pk
            )
            return None
        if payment.status in _NOT_YET_PAID:
            raise RefundBeforePayment()
        row = Refund.objects.filter(stripe_id=refund.id).first()
        if row is None:
            row = Refund.objects.create(
                payment=payment,
                stripe_id=refund.id,
                amount=refund.amount,
                currency=refund.currency,
                status=refund.status,
                reason=refund.reason,
                failure_reason=refund.failure_reason,
            )
        elif row.can_move_to(refund.status):
            row.status = refund.status
            row.failure_reason = refund.failure_reason
            row.save(update_fields=["status", "failure_reason", "updated_at"])
            _flag_if_gave_nothing_back(payment, row)
        else:
            return row
        _move_payment(payment)
        return row


def _move_payment(payment: Payment) -> None:
    """Partially refunded or refunded, by what its refunds add up to; forward only."""
    given_back = compute_refunded_amount(payment)
    if given_back == 0:
        return
    target = (
        PaymentStatus.REFUNDED if given_back >= payment.amount else PaymentStatus.PARTIALLY_REFUNDED
    )
    if not payment.can_move_to(target):
        return
    payment.status = target
    if target == PaymentStatus.REFUNDED:
        payment.attention = ""  # nothing left to refund: a "paid twice" note is dealt with
    payment.save(update_fields=["status", "attention", "updated_at"])
    sync_order_status(payment.order)


def _flag_if_gave_nothing_back(payment: Payment, refund: Refund) -> None:
    """A refund failed or was canceled after the payment counted it: the money is back in the
    Stripe balance, and statuses never move back, so staff are told on the payment."""
    if refund.status not in (RefundStatus.FAILED, RefundStatus.CANCELED):
        return
    why = f" ({refund.failure_reason})" if refund.failure_reason else ""
    logger.error("Refund %s of payment %s %s%s", refund.stripe_id, payment.pk, refund.status, why)
    payment.attention = (
        f"Refund {refund.stripe_id} {refund.status}{why}: the buyer did not get "
        f"{money(refund.amount, refund.currency)} back; refund again or contact them."
    )[:300]
    payment.save(update_fields=["attention", "updated_at"])

"""Reconciliation: ask Stripe about each payment the shop does not hold as final and record what
it says with the webhook's own rules (`payments.transitions`), so a webhook that never came is made
up; an attempt still open past its age is closed at Stripe (canceled or expired) first.

Each payment is settled in its own short transaction that holds its order's row lock, then its
own (the lock order used everywhere), both taken with SKIP LOCKED and held across the Stripe
calls. Two runs at once (two machines) thus split the payments instead of both asking Stripe
and both canceling, and a payment a webhook or a buyer is busy with is left to them and picked
up by the next run. SQLite has no row locks (Django leaves FOR UPDATE out there), but the
shop's SQLite transactions are IMMEDIATE (project/settings.py): each payment's transaction takes
the database's write lock, so two runs, and buyers' requests, take turns instead of skipping;
still one effect, at the price of every other writer waiting while a run talks to Stripe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import Order
from payments.exceptions import PaymentError, StripeMisconfigured, StripeObjectGone
from payments.gateway.accounts import StripeAccount, get_account
from payments.gateway.checkout import expire_checkout_session, retrieve_checkout_session
from payments.gateway.payment_intents import retrieve_payment_intent
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.order_status import OPEN_ATTEMPT_STATUSES
from payments.transitions import (
    cancel_gone,
    close_intent,
    record_intent,
    record_session,
    sync_order_status,
)

logger = logging.getLogger("payments.reconcile")

# Statuses Stripe may still change: awaiting payment, failed (the buyer may retry), processing.
NOT_FINAL_STATUSES = (*OPEN_ATTEMPT_STATUSES, PaymentStatus.PROCESSING)

# PaymentIntent statuses in which nothing is charged yet, so an abandoned one may be canceled
# (Stripe also cancels `processing` "in rare cases"; money in flight is left alone here).
CANCELABLE_INTENT_STATUSES = frozenset(
    {"requires_payment_method", "requires_confirmation", "requires_action"}
)


@dataclass(frozen=True)
class Change:
    """One payment the run moved: its status and its order's, before and after."""

    payment_id: int
    stripe_id: str
    order_id: int
    before: str
    after: str
    order_before: str
    order_after: str
    closed: bool  # the shop canceled or expired it at Stripe as abandoned

    def __str__(self) -> str:
        how = "closed as abandoned" if self.closed else "recorded"
        return (
            f"payment {self.payment_id} ({self.stripe_id}) {how}: {self.before} -> {self.after};"
            f" order {self.order_id}: {self.order_before} -> {self.order_after}"
        )


@dataclass
class Outcome:
    """What a run did: the changes, and how many payments it checked, skipped and failed on."""

    changes: list[Change] = field(default_factory=list)
    checked: int = 0
    skipped: int = 0  # locked by another run, a webhook or a buyer: left to them
    failed: int = 0  # Stripe could not be asked: tried again next run

    def summary(self) -> str:
        closed = sum(change.closed for change in self.changes)
        return (
            f"Checked {self.checked} payments: {len(self.changes)} changed ({closed} closed as"
            f" abandoned), {self.skipped} skipped (locked), {self.failed} failed."
        )


def compute_abandon_cutoff(now: datetime | None = None) -> datetime:
    """Attempts made before this moment and still open count as abandoned."""
    age = timedelta(hours=settings.PAYMENT_ATTEMPT_MAX_AGE_HOURS)
    return (now or timezone.now()) - age


def list_payments_to_check(
    *, order_id: int | None = None, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Payment]:
    """The payments not final at the shop, optionally of one order or made in a time window."""
    payments = Payment.objects.filter(status__in=NOT_FINAL_STATUSES)
    if order_id is not None:
        payments = payments.filter(order_id=order_id)
    if since is not None:
        payments = payments.filter(created_at__gte=since)
    if until is not None:
        payments = payments.filter(created_at__lt=until)
    return payments


def reconcile(payments: QuerySet[Payment], *, abandon_before: datetime | None) -> Outcome:
    """Settle each of `payments` that is not final with Stripe, one transaction each.

    Attempts made before `abandon_before` and still open at Stripe are canceled or expired
    (None: nothing is closed). A payment Stripe can't be asked about is logged and counted;
    the others carry on.
    """
    outcome = Outcome()
    pairs = payments.filter(status__in=NOT_FINAL_STATUSES).order_by("pk")
    for payment_id, order_id in pairs.values_list("pk", "order_id"):
        outcome.checked += 1
        try:
            with transaction.atomic():
                payment = _claim(payment_id, order_id)
                if payment is None:
                    outcome.skipped += 1
                    continue
                change = _settle(payment, abandon_before=abandon_before)
        except PaymentError as error:
            logger.warning("Could not reconcile payment %s: %s", payment_id, error.message)
            outcome.failed += 1
            continue
        if change is not None:
            logger.info("Reconciled %s", change)
            outcome.changes.append(change)
    return outcome


def _claim(payment_id: int, order_id: int) -> Payment | None:
    """Lock the order row, then the payment row, skipping either if someone holds it."""
    order_ids = Order.objects.select_for_update(skip_locked=True).filter(pk=order_id)
    if not list(order_ids.values_list("pk", flat=True)):
        return None
    found = Payment.objects.select_for_update(skip_locked=True).filter(pk=payment_id)
    return found.select_related("order").first()


def _settle(payment: Payment, *, abandon_before: datetime | None) -> Change | None:
    """Ask Stripe about the locked `payment`, close it if abandoned, record what Stripe says."""
    if payment.status not in NOT_FINAL_STATUSES:
        return None  # settled since it was listed (by a webhook or another run)
    before, order_before = payment.status, payment.order.status
    abandoned = (
        abandon_before is not None
        and payment.created_at < abandon_before
        and payment.status in OPEN_ATTEMPT_STATUSES
    )
    account = get_account(payment.account)
    try:
        if payment.kind == PaymentKind.CHECKOUT_SESSION:
            closed = _settle_session(account, payment, abandoned=abandoned)
        else:
            closed = _settle_intent(account, payment, abandoned=abandoned)
    except StripeObjectGone:
        cancel_gone(payment)  # not in its account any more: nothing can pay it
        closed = False
    payment.refresh_from_db(fields=["status"])
    order_after = Order.objects.values_list("status", flat=True).get(pk=payment.order_id)
    if (payment.status, order_after) == (before, order_before):
        return None
    return Change(
        payment_id=payment.pk,
        stripe_id=payment.stripe_id,
        order_id=payment.order_id,
        before=before,
        after=payment.status,
        order_before=order_before,
        order_after=order_after,
        closed=closed and payment.status == PaymentStatus.CANCELED,
    )


def _settle_intent(account: StripeAccount, payment: Payment, *, abandoned: bool) -> bool:
    """Record the PaymentIntent's status, canceling it first if abandoned; True if canceled."""
    intent = retrieve_payment_intent(account, payment.stripe_id)
    closing = abandoned and intent.status in CANCELABLE_INTENT_STATUSES
    if closing:
        intent = close_intent(account, intent.id)
    if record_intent(payment, intent):
        sync_order_status(payment.order)
    return closing


def _settle_session(account: StripeAccount, payment: Payment, *, abandoned: bool) -> bool:
    """Record the Checkout Session's status, expiring it first if abandoned; True if expired."""
    session = retrieve_checkout_session(account, payment.stripe_id)
    closing = abandoned and session.status == "open"
    if closing:
        try:
            session = expire_checkout_session(account, session.id)
        except StripeObjectGone:
            raise
        except StripeMisconfigured:
            # Refused (not unavailable): it stopped being open between the two calls, paid by
            # the buyer or expired by Stripe. Record what it is now.
            session = retrieve_checkout_session(account, session.id)
    record_session(payment, session)
    return closing

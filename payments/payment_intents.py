"""Payment rules: which order may be paid, and one PaymentIntent per order.

Statuses (and closing an order's other attempts once one is paid) live in `payments.transitions`.
Locks are taken in one order (`payments.locks`).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from catalog.models import (
    PAID_ORDER_STATUSES,
    PAYABLE_ORDER_STATUSES,
    Item,
    Order,
    OrderLine,
)
from catalog.services import create_order, get_order_with_lines
from catalog.totals import compute_order_totals
from payments.attempts import close_other_kind
from payments.exceptions import (
    IntentNotUpdatable,
    OrderNotFound,
    OrderNotPayable,
    OrderPaidOrBeingPaid,
    PaymentError,
    StripeObjectGone,
    StripeUnavailable,
)
from payments.gateway.accounts import StripeAccount, get_account
from payments.gateway.payment_intents import (
    UPDATABLE_STATUSES,
    Intent,
    IntentRequest,
    build_intent_request,
    create_payment_intent,
    retrieve_payment_intent,
    update_payment_intent,
)
from payments.idempotency import compute_next_attempt, count_failed_create
from payments.limits import check_limits
from payments.locks import StaffCheck, lock_buyer_order, lock_payment, reread_status
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.order_status import OPEN_ATTEMPT_STATUSES, compute_order_status
from payments.row_writes import insert_row
from payments.transitions import (
    close_intent,
    record_intent,
    set_order_status,
    sync_order_status,
)

logger = logging.getLogger("payments")


@dataclass(frozen=True)
class PaymentSetup:
    """What the card form needs: the PaymentIntent's secret and its account's publishable key."""

    client_secret: str
    publishable_key: str
    payment_intent: str
    amount: int
    currency: str


def check_payable(order: Order) -> None:
    """Raise OrderNotPayable, with a message for the buyer, unless `order.is_payable`
    (OrderPaidOrBeingPaid, a 409 naming the order, when it is paid or being paid)."""
    if order.is_payable:
        return
    if order.status in PAID_ORDER_STATUSES:
        raise OrderPaidOrBeingPaid(_("This order is already paid."), order_id=order.pk)
    raise OrderPaidOrBeingPaid(
        _("A payment for this order is being processed; you will not be charged twice."),
        order_id=order.pk,
    )


def get_or_create_order_for_item(*, item_id: int, session_key: str) -> Order:
    """The session's open one-line order for one unit of the item, made if there is none.

    Only an order whose line still costs the item's current price is reused: a line keeps the
    price it was added at, so after a price change the old order would charge another figure
    than the item page shows. The item row is locked for the lookup, so two quick Buy clicks
    make one order.
    """
    with transaction.atomic():
        try:
            item = Item.objects.select_for_update().get(pk=item_id)
        except Item.DoesNotExist:
            raise OrderNotFound(item_id) from None
        other_lines = OrderLine.objects.filter(order=OuterRef("pk")).exclude(item=item)
        order = (
            Order.objects.filter(
                session_key=session_key,
                status__in=PAYABLE_ORDER_STATUSES,
                discount=None,
                tax=None,
                # One filter() call: the three conditions hold for the same line.
                lines__item=item,
                lines__quantity=1,
                lines__unit_price=item.price,
            )
            .exclude(Exists(other_lines))
            .order_by("-pk")
            .first()
        )
        return order or create_order(lines=[(item, 1)], session_key=session_key)


def prepare_payment_intent_for_order(
    *,
    order_id: int,
    session_key: str | None,
    is_staff: StaffCheck = False,
    account_limit: Callable[[str], None] | None = None,
) -> PaymentSetup:
    """Create, reuse or update the order's one PaymentIntent and say how to pay it.

    Raises OrderNotFound, or a PaymentError whose message is for the buyer: the currency has no
    account (503), the order is paid or being paid, the total is outside Stripe's limits (400),
    Stripe is unreachable (502/503). Nothing is written unless Stripe answered.
    `account_limit(currency)`, if given, runs once the buyer's order is locked and may raise
    to refuse (the per-Stripe-account rate limit, counted with the currency read anyway).
    """
    with transaction.atomic():
        order = lock_buyer_order(order_id=order_id, session_key=session_key, is_staff=is_staff)
        if account_limit is not None:
            account_limit(order.currency)
        outcome = _set_up_payment(order)
    # Raised after the commit: refusing to pay can follow from a status just learnt from Stripe.
    if isinstance(outcome, PaymentError):
        raise outcome
    return outcome


def _set_up_payment(order: Order) -> PaymentSetup | PaymentError:
    check_payable(order)
    account = get_account(order.currency)
    totals = compute_order_totals(order)
    check_limits(totals)
    refused = close_other_kind(order, offering=PaymentKind.PAYMENT_INTENT) or _refusal(order)
    if refused is not None:
        return refused  # Checkout took the money, or Stripe could not say it did not
    request = build_intent_request(order, totals)
    intent = None
    payment = _open_intent_payment(order)
    if payment is not None:
        intent = _reusable_intent(account, payment, order, request)
        if intent is None:
            sync_order_status(order)
            reread_status(order)
            refused = _refusal(order)
            if refused is not None:
                return refused
    if intent is None:
        attempt = compute_next_attempt(order, PaymentKind.PAYMENT_INTENT)
        try:
            intent = create_payment_intent(account, order, request, attempt=attempt)
        except StripeUnavailable as failed:
            count_failed_create(order, failed)
            return failed
        payment = Payment(
            order=order,
            kind=PaymentKind.PAYMENT_INTENT,
            account=account.currency,
            stripe_id=intent.id,
            amount=intent.amount,
            shop_amount=totals.total,
            currency=intent.currency,
            request_digest=request.digest,
        )
        insert_row(payment)
        payments = [payment, *order.payments.all()]
    else:
        payments = list(order.payments.all())
    # The order's payments as they now are, newest first: no need to read them again.
    set_order_status(order, compute_order_status((p.status, p.covers_order) for p in payments))
    return PaymentSetup(
        client_secret=intent.client_secret,
        publishable_key=account.publishable_key,
        payment_intent=intent.id,
        amount=intent.amount,
        currency=intent.currency,
    )


def _open_intent_payment(order: Order) -> Payment | None:
    """The order's newest PaymentIntent that can still be paid (the database allows one)."""
    kind, statuses = PaymentKind.PAYMENT_INTENT, OPEN_ATTEMPT_STATUSES
    return next((p for p in order.payments.all() if p.kind == kind and p.status in statuses), None)


def _refusal(order: Order) -> OrderNotPayable | None:
    """`check_payable`'s refusal as a value, for a status just learnt from Stripe."""
    try:
        check_payable(order)
    except OrderNotPayable as refused:
        return refused
    return None


def _reusable_intent(
    account: StripeAccount, payment: Payment, order: Order, request: IntentRequest
) -> Intent | None:
    """The payment's PaymentIntent brought up to date with the order, or None if it can't be.

    None means a new PaymentIntent is needed: the old one is canceled (or gone from the
    account), or was paid or is being paid, which the payment's status now says.
    """
    try:
        intent = retrieve_payment_intent(account, payment.stripe_id)
    except StripeObjectGone:
        # Deleted with the account's test data, or the currency's keys now name another
        # account: nothing can pay it any more, so the order gets a fresh one.
        logger.warning(
            "PaymentIntent %s of order %s is gone; replaced", payment.stripe_id, order.pk
        )
        payment.status = PaymentStatus.CANCELED
        payment.save(update_fields=["status", "updated_at"])
        return None
    digest = request.digest
    if intent.status == "requires_action" and digest == payment.request_digest:
        return intent  # a reload while the buyer authenticates this very amount
    if intent.status == "requires_action":
        # The order changed during 3-D Secure: never change the amount under the buyer's
        # authentication; cancel it (unless it got paid meanwhile) and start a new one.
        record_intent(payment, close_intent(account, intent.id))
        return None
    if intent.status not in UPDATABLE_STATUSES:
        record_intent(payment, intent)
        return None
    if digest == payment.request_digest:
        return intent
    try:
        intent = update_payment_intent(account, intent.id, request)
    except IntentNotUpdatable:
        # Paid or confirmed in between: never leave a second payable PaymentIntent behind.
        record_intent(payment, close_intent(account, intent.id))
        return None
    payment.amount = intent.amount
    payment.shop_amount = request.amount
    payment.request_digest = digest
    payment.save(update_fields=["amount", "shop_amount", "request_digest", "updated_at"])
    return intent


@dataclass(frozen=True)
class PaymentResult:
    payment: Payment
    order: Order
    refreshed: bool  # False when Stripe could not be asked and the stored status is shown


def get_payment_result(
    *, payment_intent: str, client_secret: str, session_key: str | None, is_staff: bool
) -> PaymentResult:
    """The truth about a PaymentIntent for the page Stripe.js returns the buyer to.

    The id only finds the stored payment; the client secret (which only the paying browser
    has) must match the one Stripe holds; the status comes from Stripe with the payment's own
    account key, never from the query string. If Stripe can't be asked, the stored status is
    shown to those who may see the order. Raises OrderNotFound otherwise.
    """
    payment = (
        Payment.objects.filter(kind=PaymentKind.PAYMENT_INTENT, stripe_id=payment_intent)
        .select_related("order")
        .first()
    )
    if payment is None:
        raise OrderNotFound(payment_intent)
    try:
        intent = retrieve_payment_intent(get_account(payment.account), payment.stripe_id)
    except PaymentError:
        if not payment.order.is_visible_to(session_key=session_key, is_staff=is_staff):
            raise OrderNotFound(payment_intent) from None
        return PaymentResult(payment, get_order_with_lines(payment.order_id), refreshed=False)
    if not client_secret or not hmac.compare_digest(
        intent.client_secret.encode(), client_secret.encode()
    ):
        raise OrderNotFound(payment_intent)
    with transaction.atomic():
        payment = lock_payment(payment.pk, payment.order_id)
        if record_intent(payment, intent):
            sync_order_status(payment.order)
    return PaymentResult(payment, get_order_with_lines(payment.order_id), refreshed=True)

"""Paying an order on Stripe's hosted Checkout page.

`GET /buy/<id>` creates something on a GET (the assignment's URL), so link prefetchers, crawlers
and double clicks must not pile up sessions. Two rules make repeated requests converge on one
session per order and content:

* **reuse**: an open session of the order whose content (lines, prices, coupon, tax rate, return
  URLs) is unchanged is answered again, after asking Stripe that it is still open; one whose
  content went stale is expired, so it can never be paid for the old figure;
* **one creator at a time**: requests for one order are serialised on the order's row lock (as
  for PaymentIntents), and a new session carries an idempotency key made of the order (its
  number and random nonce, unique across databases sharing one Stripe account), a digest
  of its content and the attempt number (`payments.idempotency`), so a retry after a
  lost answer gets the same session back instead of a second one, while a create after a
  failed one gets a fresh key instead of Stripe's stored error.

Limits Stripe would refuse are checked before Stripe is called, each with its own message.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, replace

from django.db import transaction

from catalog.language import get_active_language
from catalog.models import Order
from catalog.services import get_order_with_lines
from catalog.totals import Totals, compute_order_totals
from payments.attempts import close_other_kind
from payments.exceptions import (
    OrderNotFound,
    OrderNotPayable,
    PaymentError,
    StripeObjectGone,
    StripeUnavailable,
)
from payments.gateway.accounts import StripeAccount, get_account
from payments.gateway.checkout import (
    CheckoutLine,
    CheckoutRequest,
    CheckoutSession,
    create_checkout_session,
    retrieve_checkout_session,
)
from payments.idempotency import (
    compute_next_attempt,
    compute_request_digest,
    count_failed_create,
    make_order_create_key,
)
from payments.limits import check_limits
from payments.locks import StaffCheck, lock_buyer_order
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.payment_intents import (
    PaymentResult,
    check_payable,
    get_or_create_order_for_item,
)
from payments.stripe_objects import (
    forget_stripe_ids,
    get_or_create_coupon_id,
    get_or_create_tax_rate_id,
)
from payments.transitions import close_attempt, record_session, sync_order_status

logger = logging.getLogger("payments.checkout")


@dataclass(frozen=True)
class ReturnUrls:
    """Absolute shop URLs for the session; `success` contains `{CHECKOUT_SESSION_ID}`."""

    success: str
    cancel: str


@dataclass(frozen=True)
class CheckoutLink:
    """The answer of `/buy/<id>`: the session id (the assignment's field) and where to go."""

    id: str
    url: str


def check_checkout_limits(order: Order, totals: Totals) -> None:
    """Raise OrderNotPayable, with a message for the buyer, if Checkout can't take the order."""
    check_payable(order)
    check_limits(totals, checkout=True)


def open_checkout_for_order(
    *, order_id: int, urls: ReturnUrls, session_key: str | None, is_staff: StaffCheck = False
) -> CheckoutLink:
    """An open Checkout Session for the order: the reusable one, or a new one.

    Raises OrderNotFound (also for an order this buyer may not pay), or a PaymentError whose
    message is for the buyer: a limit (400), no account for the currency (503), Stripe
    unreachable (502/503).
    """
    with transaction.atomic():
        order = lock_buyer_order(order_id=order_id, session_key=session_key, is_staff=is_staff)
        outcome = _open_session(order, urls)
    # Raised after the commit: the refusal can follow from a status just learnt from Stripe.
    if isinstance(outcome, PaymentError):
        raise outcome
    return outcome


def open_checkout_for_item(
    *, item_id: int, urls: ReturnUrls, session_key: str, is_staff: StaffCheck = False
) -> CheckoutLink:
    """An open Checkout Session for one unit of the item, in the buyer's one-line order.

    If that order turns out paid while making the session (its webhook had not arrived yet),
    the buyer is buying the item again: a new one-line order is made for it.
    """
    order = get_or_create_order_for_item(item_id=item_id, session_key=session_key)
    try:
        return open_checkout_for_order(
            order_id=order.pk, urls=urls, session_key=session_key, is_staff=is_staff
        )
    except OrderNotPayable:
        order.refresh_from_db(fields=["status"])
        if order.is_payable:
            raise
    order = get_or_create_order_for_item(item_id=item_id, session_key=session_key)
    return open_checkout_for_order(
        order_id=order.pk, urls=urls, session_key=session_key, is_staff=is_staff
    )


def _open_session(order: Order, urls: ReturnUrls) -> CheckoutLink | PaymentError:
    totals = compute_order_totals(order)
    check_checkout_limits(order, totals)
    closing = close_other_kind(order, offering=PaymentKind.CHECKOUT_SESSION)
    if closing is not None:
        return closing  # Stripe could not say the card form's PaymentIntent is closed
    try:
        check_payable(order)
    except OrderNotPayable as refused:
        return refused  # the card form took the money before its webhook arrived
    outcome = _session_for(order, totals, urls)
    if isinstance(outcome, StripeObjectGone):
        # A stored coupon or tax rate is gone from the account (deleted in the Dashboard, the
        # test data cleared, the keys moved): `_session_for` forgot it, so one more try makes
        # it again, with fresh keys since Stripe stored the refusal under the old ones.
        outcome = _session_for(order, totals, urls)
    return outcome


def _session_for(order: Order, totals: Totals, urls: ReturnUrls) -> CheckoutLink | PaymentError:
    """The reusable session for the order's current content, else a new one."""
    account = get_account(order.currency)
    attempt = compute_next_attempt(order, PaymentKind.CHECKOUT_SESSION)
    try:
        request = build_checkout_request(order, totals, account, urls, attempt=attempt)
    except StripeUnavailable as failed:  # making the coupon or tax rate
        count_failed_create(order, failed)
        return failed
    reusable = _reusable_session(order, request)
    if reusable is not None:
        return reusable
    order.refresh_from_db(fields=["status"])
    try:
        check_checkout_limits(order, totals)
    except OrderNotPayable as refused:
        return refused  # a session we just looked at was paid before its webhook arrived
    try:
        session = create_checkout_session(
            account,
            request,
            idempotency_key=make_order_create_key(
                order, "cs", request.digest[:16], attempt=attempt
            ),
        )
    except StripeUnavailable as failed:
        count_failed_create(order, failed)
        if isinstance(failed, StripeObjectGone):
            forget_stripe_ids(account, request.coupon_id, request.tax_rate_id)
        return failed
    _record_new_session(order, account, session, totals, request.digest)
    sync_order_status(order)  # a canceled or failed order awaits payment again
    assert session.url is not None  # a session just made is open
    return CheckoutLink(id=session.id, url=session.url)


def build_checkout_request(
    order: Order, totals: Totals, account: StripeAccount, urls: ReturnUrls, *, attempt: int
) -> CheckoutRequest:
    """The session `order` asks for, with its coupon and tax rate synced to `account`
    (`attempt`: the order's create attempt, for the idempotency keys of new Stripe objects)."""
    sync_attempt = make_order_create_key(order, attempt=attempt)
    request = CheckoutRequest(
        order_id=order.pk,
        currency=order.currency,
        lines=tuple(
            CheckoutLine(
                name=line.description, unit_amount=line.unit_amount, quantity=line.quantity
            )
            for line in totals.lines
        ),
        coupon_id=(
            get_or_create_coupon_id(order.discount, account, attempt=sync_attempt)
            if order.discount
            else None
        ),
        tax_rate_id=get_or_create_tax_rate_id(order.tax, account, attempt=sync_attempt)
        if order.tax
        else None,
        success_url=urls.success,
        cancel_url=urls.cancel,
        # A session in another language (its item names too) is a different session.
        language=get_active_language(),
        digest="",
    )
    return replace(request, digest=compute_request_digest(asdict(request)))


def _reusable_session(order: Order, request: CheckoutRequest) -> CheckoutLink | None:
    """The order's open session for this very content, after closing the stale ones."""
    waiting = order.payments.filter(
        kind=PaymentKind.CHECKOUT_SESSION, status=PaymentStatus.REQUIRES_PAYMENT
    ).order_by("-created_at", "-pk")
    found = None
    for payment in waiting:
        account = get_account(payment.account)
        try:
            session = retrieve_checkout_session(account, payment.stripe_id)
        except StripeObjectGone:
            # Not in the account any more: nothing can pay it, so it is closed here.
            logger.warning("Checkout Session %s is gone; closed", payment.stripe_id)
            Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CANCELED)
            continue
        fresh = payment.request_digest == request.digest and payment.account == request.currency
        if session.status == "open" and fresh and found is None:
            found = CheckoutLink(id=session.id, url=session.url or "")
            continue
        if session.status == "open":
            # Stale (the order, a price, the coupon or a URL changed), or a duplicate: never
            # let it be paid for the old figure.
            close_attempt(payment)
        else:
            record_session(payment, session)
    return found


def _record_new_session(
    order: Order, account: StripeAccount, session: CheckoutSession, totals: Totals, digest: str
) -> None:
    if session.amount_total != totals.total:
        # Stripe does not publish how it spreads a coupon over lines: record its figure (it is
        # what the buyer is charged), keep the shop's beside it (admin shows both), and say so.
        logger.warning(
            "Checkout total differs from the shop's: order=%s session=%s stripe=%s shop=%s %s",
            order.pk,
            session.id,
            session.amount_total,
            totals.total,
            totals.currency,
        )
    # get_or_create: a replayed idempotent create answers a session already recorded.
    Payment.objects.get_or_create(
        stripe_id=session.id,
        defaults={
            "order": order,
            "kind": PaymentKind.CHECKOUT_SESSION,
            "account": account.currency,
            "amount": session.amount_total,
            "shop_amount": totals.total,
            "currency": session.currency,
            "request_digest": digest,
        },
    )


def get_checkout_result(
    *, session_id: str, session_key: str | None, is_staff: bool
) -> PaymentResult:
    """The truth about a Checkout Session for the success page Checkout returns the buyer to.

    The id only finds a session the shop made (it is 58 random characters that only the
    paying browser was sent back with); the status comes from Stripe with that session's own
    account key, never from the URL. If Stripe can't be asked, the stored status is shown to
    those who may see the order. Raises OrderNotFound otherwise.
    """
    payment = Payment.objects.filter(
        kind=PaymentKind.CHECKOUT_SESSION, stripe_id=session_id
    ).first()
    if payment is None:
        raise OrderNotFound(session_id)
    try:
        session = retrieve_checkout_session(get_account(payment.account), session_id)
    except PaymentError:
        if not payment.order.is_visible_to(session_key=session_key, is_staff=is_staff):
            raise OrderNotFound(session_id) from None
        return PaymentResult(payment, get_order_with_lines(payment.order_id), refreshed=False)
    record_session(payment, session)
    payment.refresh_from_db()
    return PaymentResult(payment, get_order_with_lines(payment.order_id), refreshed=True)

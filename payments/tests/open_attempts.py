"""Open an attempt of the other kind beside the one an endpoint made, bypassing the endpoint
(which would close it first, `payments.attempts`): the state two racing requests or a shop
without that rule leave behind, for the tests of what closes it once one attempt pays."""

from __future__ import annotations

from catalog.models import Order
from catalog.services import get_order_with_lines
from catalog.totals import compute_order_totals
from payments.checkout import ReturnUrls, build_checkout_request
from payments.gateway.accounts import get_account
from payments.gateway.checkout import create_checkout_session
from payments.gateway.payment_intents import build_intent_request, create_payment_intent
from payments.models import Payment, PaymentKind

URLS = ReturnUrls(success="http://testserver/s?session_id={CHECKOUT_SESSION_ID}",
                  cancel="http://testserver/c")  # fmt: skip


def session_beside(order_id: int) -> Payment:
    """A new open Checkout Session for the order, recorded as its payment."""
    order = get_order_with_lines(order_id)
    account, totals = get_account(order.currency), compute_order_totals(order)
    request = build_checkout_request(order, totals, account, URLS, attempt=90)
    session = create_checkout_session(account, request, idempotency_key=f"beside-{order.pk}")
    return _record(order, PaymentKind.CHECKOUT_SESSION, session.id, session.amount_total,
                   request.digest)  # fmt: skip


def intent_beside(order_id: int) -> Payment:
    """A new open PaymentIntent for the order, recorded as its payment."""
    order = get_order_with_lines(order_id)
    account, totals = get_account(order.currency), compute_order_totals(order)
    request = build_intent_request(order, totals)
    intent = create_payment_intent(account, order, request, attempt=90)
    return _record(order, PaymentKind.PAYMENT_INTENT, intent.id, intent.amount,
                   request.digest)  # fmt: skip


def _record(order: Order, kind: PaymentKind, stripe_id: str, amount: int, digest: str) -> Payment:
    return Payment.objects.create(
        order=order,
        kind=kind,
        account=order.currency,
        stripe_id=stripe_id,
        amount=amount,
        shop_amount=compute_order_totals(order).total,
        currency=order.currency,
        request_digest=digest,
    )

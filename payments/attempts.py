"""One live payment attempt per order, across the card form and Checkout.

Each path reuses or replaces only its own attempts, and without webhooks it would not learn
that the other path took the money: a buyer who paid with the card form could open Checkout
and pay the same order again. So before a path offers an attempt it closes the order's open
attempts of the other kind at Stripe (`payments.transitions.close_attempt`): an open PaymentIntent
is canceled, an open Checkout Session expired. Stripe refuses for one that got paid or is
being paid, and then says so: that is recorded as the webhook would record it, the order turns
paid (or processing), and the caller refuses the new attempt with a 409.

Which states are closed, and why:

* `requires_payment_method`, `requires_confirmation`: canceled; nothing was charged.
* `requires_action` (the buyer is in 3-D Secure in another tab): canceled, which Stripe allows.
  The newer attempt wins; if the authentication completes first, Stripe refuses the cancel
  and the payment is recorded as paid instead.
* `processing` (a delayed method: money may be moving): Stripe refuses to cancel in all but
  rare cases; the refusal records the order as processing and no new attempt is offered
  until it ends. Where Stripe does cancel it, no money moves and the new attempt may go ahead.
* Checkout Sessions: only an open one can be expired; a complete one is recorded (paid, or
  processing for a delayed method), an expired one canceled.

If Stripe cannot be asked, no new attempt is made (the old one might still be paid): the
buyer gets the 502/503 and tries again.

The order's page asks Stripe about its open attempts too (`learn_open_attempts`), so it never
offers Pay for an order Stripe says is paid.
"""

from __future__ import annotations

import logging

from catalog.models import Order
from payments.exceptions import PaymentError, StripeObjectGone
from payments.gateway.accounts import get_account
from payments.gateway.checkout import retrieve_checkout_session
from payments.gateway.payment_intents import retrieve_payment_intent
from payments.locks import reread_status
from payments.models import PaymentKind
from payments.order_status import OPEN_ATTEMPT_STATUSES
from payments.transitions import (
    apply_intent,
    close_attempt,
    record_session,
    sync_order_status,
)

logger = logging.getLogger("payments")


def close_other_kind(order: Order, *, offering: PaymentKind) -> PaymentError | None:
    """Close the order's open attempts that are not of the kind about to be `offering`, and
    refresh `order.status` from what Stripe said of them. Returns the error that kept one
    from being closed (the caller answers it instead of offering an attempt), else None.
    The caller holds the order's row lock."""
    others = [
        payment
        for payment in order.payments.all()  # read with the order's lock (`lock_buyer_order`)
        if payment.status in OPEN_ATTEMPT_STATUSES and payment.kind != offering
    ]
    if not others:
        return None
    for payment in others:
        try:
            close_attempt(payment)
        except PaymentError as failed:
            reread_status(order)
            return failed
    sync_order_status(order)
    reread_status(order)
    return None


def learn_open_attempts(order: Order) -> bool:
    """Ask Stripe about the order's open attempts and record what it says, as the webhook
    would, so the order's page never offers to pay an order Stripe says is paid. Stripe not
    answering leaves the stored statuses (logged): the Pay button's own request asks again
    and answers 409 if the order was paid. An attempt gone from the account is left to that
    request too, which replaces it. True if there was any to ask about."""
    open_attempts = list(order.payments.filter(status__in=OPEN_ATTEMPT_STATUSES))
    for payment in open_attempts:
        try:
            account = get_account(payment.account)
            if payment.kind == PaymentKind.CHECKOUT_SESSION:
                record_session(payment, retrieve_checkout_session(account, payment.stripe_id))
            else:
                apply_intent(payment, retrieve_payment_intent(account, payment.stripe_id))
        except StripeObjectGone:
            continue
        except PaymentError:
            # Stripe down or slow: one bounded wait is enough for a page; don't ask again.
            logger.warning("Could not ask Stripe about %s of order %s", payment.stripe_id, order.pk)
            break
    return bool(open_attempts)

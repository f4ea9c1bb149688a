"""Refunds told at once on PostgreSQL: the admin's answer and the events of one refund make one
row; two refunds recorded at once add up. Skipped on SQLite like `test_concurrency`."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection
from django.test import Client

from catalog.models import OrderStatus
from catalog.tests.factories import make_order
from payments.gateway.refunds import StripeRefund
from payments.models import Payment, PaymentStatus, Refund
from payments.refunds import record_refund
from payments.tests.helpers import THREADS, at_once, deliver, make_payment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite ignores FOR UPDATE)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def payment(stripe_accounts) -> Payment:
    """A paid 30.00 USD order."""
    order = make_order()
    order.status = OrderStatus.PAID
    order.save(update_fields=["status"])
    return make_payment(order, "pi_refunds_at_once", status=PaymentStatus.SUCCEEDED)


def refund_of(payment: Payment, refund_id: str, amount: int) -> StripeRefund:
    return StripeRefund(
        id=refund_id,
        payment_intent_id=payment.stripe_id,
        amount=amount,
        currency="usd",
        status="succeeded",
        reason="requested_by_customer",
        failure_reason="",
    )


def refund_event(refund: StripeRefund, event_id: str) -> bytes:
    """A signed-to-be `refund.created` event carrying `refund`."""
    obj = {
        "id": refund.id,
        "object": "refund",
        "amount": refund.amount,
        "currency": refund.currency,
        "payment_intent": refund.payment_intent_id,
        "reason": refund.reason,
        "status": refund.status,
    }
    event = {"id": event_id, "object": "event", "created": int(time.time()), "livemode": False,
             "type": "refund.created", "data": {"object": obj}}  # fmt: skip
    return json.dumps(event).encode()


def test_the_answer_and_the_events_of_one_refund_at_once_make_one_row(payment):
    """Half the threads record the admin's answer, half deliver distinct events of it."""
    refund = refund_of(payment, "re_at_once", 1000)

    def tell(index: int) -> object:
        if index % 2:
            return record_refund("usd", refund).pk  # type: ignore[union-attr]
        return deliver(Client(), refund_event(refund, f"evt_{index}")).status_code

    results = at_once(tell)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Refund.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED


def test_two_refunds_recorded_at_once_add_up(payment):
    """1000 and 2000 at once of a 3000 payment: refunded, whichever commits first."""
    refunds = [refund_of(payment, "re_a", 1000), refund_of(payment, "re_b", 2000)]
    results = at_once(lambda i: record_refund("usd", refunds[i % 2]), threads=THREADS)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Refund.objects.count() == 2
    payment.refresh_from_db()
    payment.order.refresh_from_db()
    assert (payment.status, payment.order.status) == (PaymentStatus.REFUNDED, OrderStatus.REFUNDED)

"""The card form and Checkout racing for one order on PostgreSQL (webhooks off): the order's
row lock serialises them, and each closes the other's attempt, so Stripe ends with one live
attempt; an order already paid at Stripe gets 409s from both paths and no new attempt."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from catalog.models import OrderStatus
from catalog.tests.factories import make_order
from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import Payment, PaymentStatus
from payments.tests.helpers import at_once, buyer, creates, pay_server_side, session_creates

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite ignores FOR UPDATE)",
    ),
    pytest.mark.django_db(transaction=True),
]


def request(order_id: int, index: int) -> Any:
    """Even threads open the card form, odd ones Checkout, for the same order."""
    if index % 2:
        return buyer().get(f"/order/{order_id}/buy").status_code
    return buyer().post(f"/order/{order_id}/payment-intent").status_code


def live_at_stripe() -> list[str]:
    """Every PaymentIntent and Checkout Session the usd account could still take money on."""
    stripe = get_stripe_client(get_account("usd")).v1
    intents = [i.id for i in stripe.payment_intents.list().data if i.status != "canceled"]
    sessions = [s.id for s in stripe.checkout.sessions.list().data if s.status == "open"]
    return intents + sessions


class TestBothPathsAtOnce:
    def test_racing_paths_leave_one_live_attempt(self, stripe_accounts):
        """Four card-form and four Checkout requests at once: all answered, and Stripe holds
        exactly one attempt that can still be paid, the one the shop has open."""
        stripe_accounts.set_fault("POST /v1/payment_intents", latency_ms=100)
        stripe_accounts.set_fault("POST /v1/checkout/sessions", latency_ms=100)
        order = make_order()
        assert set(at_once(lambda index: request(order.pk, index))) == {200}
        live = live_at_stripe()
        assert len(live) == 1
        open_payments = Payment.objects.filter(order=order, status=PaymentStatus.REQUIRES_PAYMENT)
        assert [payment.stripe_id for payment in open_payments] == live

    def test_an_order_paid_by_card_gets_409s_from_both_paths(self, stripe_accounts):
        """Card paid, no webhook, then both paths at once: every answer is a 409 and
        neither a session nor a second PaymentIntent is made."""
        order = make_order()
        assert buyer().post(f"/order/{order.pk}/payment-intent").status_code == 200
        pay_server_side(Payment.objects.get(order=order))
        assert set(at_once(lambda index: request(order.pk, index))) == {409}
        assert session_creates(stripe_accounts) == []
        assert len(creates(stripe_accounts)) == 1
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID

"""Concurrent requests on PostgreSQL: one PaymentIntent per order, events handled once.

These need real row locks (SELECT … FOR UPDATE) and concurrent writers, which SQLite cannot
give (it ignores FOR UPDATE and allows one writer at a time), so they are skipped there; CI's
PostgreSQL run (`DATABASE_URL=postgres://… make test`) executes them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import stripe
from django.db import connection
from django.test import Client

from catalog.models import Order, OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentKind, PaymentStatus, WebhookEvent
from payments.tests.helpers import THREADS, at_once, buyer, deliver, intent_event

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite ignores FOR UPDATE)",
    ),
    pytest.mark.django_db(transaction=True),
]


class TestConcurrentPaymentIntents:
    def test_concurrent_requests_for_one_order_make_one_payment_intent(self, stripe_accounts):
        # Latency widens the race window: without the lock every thread would create one.
        """Concurrent requests for one order make one PaymentIntent."""
        stripe_accounts.set_fault("POST /v1/payment_intents", latency_ms=200)
        order = make_order()

        def pay(_: int) -> Any:
            response = buyer().post(f"/order/{order.pk}/payment-intent")
            return response.status_code, response.json()["paymentIntent"]

        results = at_once(pay)
        assert {status for status, _ in results} == {200}
        assert len({intent for _, intent in results}) == 1
        assert Payment.objects.filter(order=order).count() == 1
        made = [
            r
            for r in stripe_accounts.requests()
            if (r["method"], r["path"]) == ("POST", "/v1/payment_intents")
        ]
        assert len(made) == 1

    def test_concurrent_buy_clicks_of_one_buyer_make_one_order(self, stripe_accounts):
        """One buyer's concurrent Buy clicks make one order."""
        item = make_item()
        first = Client()
        first.get(f"/item/{item.pk}")
        first.session.save()
        cookie = first.cookies

        def buy(_: int) -> Any:
            client = Client()
            client.cookies = cookie
            return client.post(f"/item/{item.pk}/payment-intent").json()["paymentIntent"]

        results = at_once(buy)
        assert len(set(results)) == 1, results
        assert Order.objects.count() == 1
        assert Payment.objects.count() == 1


class TestConcurrentWebhooks:
    @pytest.fixture
    def payment(self, stripe_accounts):
        return Payment.objects.create(
            order=make_order(),
            kind=PaymentKind.PAYMENT_INTENT,
            account="usd",
            stripe_id="pi_test_concurrent",
            amount=3000,
            shop_amount=3000,
            currency="usd",
        )

    def test_the_same_event_delivered_at_once_is_handled_once(self, payment):
        """The same event delivered concurrently is handled once, the rest are duplicates."""
        payload = intent_event("payment_intent.succeeded", payment)
        results = at_once(lambda _: deliver(Client(), payload).json()["outcome"])
        assert Counter(results) == {"handled": 1, "duplicate": THREADS - 1}
        assert WebhookEvent.objects.count() == 1
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED

    def test_related_events_at_once_end_paid(self, payment):
        # A declined attempt, a delayed one, then success: every order of arrival ends paid.
        """Conflicting events for one payment, concurrently, end paid."""
        kinds = [
            "payment_intent.payment_failed",
            "payment_intent.succeeded",
            "payment_intent.processing",
            "payment_intent.payment_failed",
        ] * 2
        payloads = [
            intent_event(kind, payment, event_id=f"evt_{i}", error="declined")
            for i, kind in enumerate(kinds)
        ]
        results = at_once(lambda i: deliver(Client(), payloads[i]).status_code)
        assert results == [200] * THREADS
        payment.refresh_from_db()
        payment.order.refresh_from_db()
        assert WebhookEvent.objects.count() == THREADS
        # Whatever the interleaving, succeeded is final.
        assert (payment.status, payment.order.status) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)

    def test_late_processing_events_at_once_leave_a_failed_order_payable(self, stripe_accounts):
        """A declined PaymentIntent whose `payment_failed` was handled; late `processing`
        events then arrive together: each re-reads the PaymentIntent under the order's lock,
        so the order stays failed (payable again), never stuck in processing."""
        from payments.payment_intents import prepare_payment_intent_for_order
        from payments.tests.helpers import pay_server_side

        order = make_order()
        prepare_payment_intent_for_order(order_id=order.pk, session_key=None, is_staff=True)
        payment = Payment.objects.get()
        with pytest.raises(stripe.CardError):
            pay_server_side(payment, card="pm_card_chargeDeclined")
        failed = intent_event("payment_intent.payment_failed", payment, error="declined")
        assert deliver(Client(), failed).status_code == 200
        payloads = [
            intent_event("payment_intent.processing", payment, event_id=f"evt_late_{i}")
            for i in range(THREADS)
        ]
        results = at_once(lambda i: deliver(Client(), payloads[i]).status_code)
        assert results == [200] * THREADS
        payment.refresh_from_db()
        payment.order.refresh_from_db()
        assert (payment.status, payment.order.status) == (PaymentStatus.FAILED, OrderStatus.FAILED)
        assert WebhookEvent.objects.count() == THREADS + 1

    def test_a_webhook_and_a_payment_intent_request_for_one_order_do_not_deadlock(
        self, stripe_accounts
    ):
        """A webhook and a PaymentIntent request for one order at once do not deadlock."""
        stripe_accounts.set_fault("GET /v1/payment_intents/{intent}", latency_ms=200)
        order = make_order()
        first = buyer().post(f"/order/{order.pk}/payment-intent").json()
        payment = Payment.objects.get()
        payload = intent_event("payment_intent.payment_failed", payment, error="declined")

        def work(index: int) -> Any:
            if index % 2:
                return deliver(Client(), payload).status_code
            return buyer().post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]

        results = at_once(work, threads=4)
        assert results[1::2] == [200, 200]
        assert results[0::2] == [first["paymentIntent"]] * 2
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.FAILED

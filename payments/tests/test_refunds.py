"""Refunds through stripe-python and the emulator: the shop's own and the Dashboard's, each
recorded once however often and in whatever order Stripe tells of it."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from catalog.models import OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.exceptions import RefundRefused
from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent
from payments.refunds import compute_refundable_amount, refund_payment
from payments.tests.helpers import dashboard_refund, deliver

pytestmark = pytest.mark.django_db(transaction=True)


def paid_payment(client: Any, emulator: Any, price: str = "30.00") -> Payment:
    """An order paid through the shop's endpoint and a confirmed PaymentIntent."""
    order = make_order(lines=[(make_item(price=price), 1)])
    intent_id = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
    get_stripe_client(get_account("usd")).v1.payment_intents.confirm(
        intent_id, {"payment_method": "pm_card_visa", "return_url": "http://x/"}
    )
    emulator.flush_webhooks()
    payment = Payment.objects.get(stripe_id=intent_id)
    assert payment.status == PaymentStatus.SUCCEEDED
    return payment


def statuses(payment: Payment) -> tuple[str, str]:
    payment.refresh_from_db()
    payment.order.refresh_from_db()
    return payment.status, payment.order.status


def refund_posts(emulator: Any) -> list[dict[str, Any]]:
    return [r for r in emulator.requests() if (r["method"], r["path"]) == ("POST", "/v1/refunds")]


class TestRefundPayment:
    def test_a_partial_then_the_rest_refunded_moves_payment_and_order(
        self, client, stripe_webhooks
    ):
        """A partial refund makes both partially refunded, the rest makes both refunded."""
        payment = paid_payment(client, stripe_webhooks)
        first = refund_payment(payment, amount=1000, reason="requested_by_customer", key="k1")
        assert (first.amount, first.status, first.reason) == (
            1000,
            "succeeded",
            "requested_by_customer",
        )
        assert statuses(payment) == (
            PaymentStatus.PARTIALLY_REFUNDED,
            OrderStatus.PARTIALLY_REFUNDED,
        )
        assert compute_refundable_amount(payment) == 2000
        refund_payment(payment, amount=2000, reason="requested_by_customer", key="k2")
        stripe_webhooks.flush_webhooks()
        assert statuses(payment) == (PaymentStatus.REFUNDED, OrderStatus.REFUNDED)
        assert Refund.objects.filter(payment=payment).count() == 2  # events added no rows
        sent = refund_posts(stripe_webhooks)
        assert [r["params"]["amount"] for r in sent] == ["1000", "2000"]  # form-encoded
        assert sent[0]["params"]["reason"] == "requested_by_customer"

    def test_the_same_form_sent_twice_refunds_once(self, client, stripe_webhooks):
        """The form's key is the idempotency key: a second submit gets the same refund."""
        payment = paid_payment(client, stripe_webhooks)
        first = refund_payment(payment, amount=500, reason="duplicate", key="same")
        again = refund_payment(payment, amount=500, reason="duplicate", key="same")
        assert first.pk == again.pk
        assert Refund.objects.count() == 1

    @pytest.mark.parametrize("amount", [3001, 0])
    def test_more_than_was_paid_is_refused_before_stripe(self, client, stripe_webhooks, amount):
        """Never more than was paid, nor nothing: refused without asking Stripe."""
        payment = paid_payment(client, stripe_webhooks)
        with pytest.raises(RefundRefused):
            refund_payment(payment, amount=amount, reason="requested_by_customer", key="k")
        assert refund_posts(stripe_webhooks) == []
        refund_payment(payment, amount=3000, reason="requested_by_customer", key="k")
        with pytest.raises(RefundRefused, match=r"At most \$0\.00"):
            refund_payment(payment, amount=1, reason="requested_by_customer", key="k3")

    def test_stripes_refusal_comes_back_in_its_words(self, client, stripe_accounts):
        """A Dashboard refund the shop has not heard of yet: Stripe refuses, and says why."""
        payment = pay_without_webhooks(client)
        dashboard_refund(payment, 2000)  # its events are not delivered
        with pytest.raises(RefundRefused, match="greater than unrefunded amount"):
            refund_payment(payment, amount=2000, reason="requested_by_customer", key="k")


class TestRefundEvents:
    def test_a_dashboard_refund_reaches_the_shop(self, client, stripe_webhooks):
        """A refund the shop did not start arrives as events and is recorded from them."""
        payment = paid_payment(client, stripe_webhooks)
        made = dashboard_refund(payment, 1200)
        stripe_webhooks.flush_webhooks()
        refund = Refund.objects.get()
        assert (refund.stripe_id, refund.payment, refund.amount) == (made.id, payment, 1200)
        assert statuses(payment) == (
            PaymentStatus.PARTIALLY_REFUNDED,
            OrderStatus.PARTIALLY_REFUNDED,
        )

    def test_each_refund_event_delivered_twice_has_one_effect(self, client, stripe_webhooks):
        """Redelivered refund.created and charge.refunded events are stored once, do nothing."""
        payment = paid_payment(client, stripe_webhooks)
        dashboard_refund(payment)
        stripe_webhooks.flush_webhooks()
        events = WebhookEvent.objects.filter(type__in=["refund.created", "charge.refunded"])
        assert events.count() == 2
        for event in events:
            stripe_webhooks.resend_event(event.event_id)
        stripe_webhooks.flush_webhooks()
        assert events.count() == 2
        assert Refund.objects.count() == 1
        assert statuses(payment) == (PaymentStatus.REFUNDED, OrderStatus.REFUNDED)
        resent = [
            d
            for d in stripe_webhooks.webhook_deliveries()
            if d["type"] != "payment_intent.succeeded"
        ]
        assert all(d["status"] == "succeeded" for d in resent)

    def test_charge_refunded_alone_reads_the_refunds_from_stripe(self, client, stripe_accounts):
        """An endpoint sent only charge.refunded still records the refund (read from Stripe)."""
        payment = pay_without_webhooks(client)
        made = dashboard_refund(payment, 700)
        event = only_event("charge.refunded")
        assert deliver(client, event).status_code == 200
        assert Refund.objects.get().stripe_id == made.id
        assert statuses(payment)[0] == PaymentStatus.PARTIALLY_REFUNDED
        assert deliver(client, event).status_code == 200  # a redelivery: stored once
        assert Refund.objects.count() == 1

    def test_a_refund_that_fails_later_is_flagged_and_can_be_refunded_again(
        self, client, stripe_accounts
    ):
        """refund.updated then refund.failed: mirrored; status stays, staff are told, once."""
        payment = pay_without_webhooks(client)
        made = dashboard_refund(payment)
        created = only_event("refund.created")
        deliver(client, created)
        assert statuses(payment) == (PaymentStatus.REFUNDED, OrderStatus.REFUNDED)
        failed = refund_event(created, "refund.failed", "evt_failed", status="failed")
        for _ in range(2):
            assert deliver(client, failed).status_code == 200
        late = refund_event(created, "refund.updated", "evt_late", status="pending")
        deliver(client, late)  # older news than the failure: ignored
        refund = Refund.objects.get(stripe_id=made.id)
        assert (refund.status, refund.failure_reason) == (
            RefundStatus.FAILED,
            "expired_or_canceled_card",
        )
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.REFUNDED  # forward only
        assert f"Refund {made.id} failed (expired_or_canceled_card)" in payment.attention
        assert compute_refundable_amount(payment) == 3000
        assert WebhookEvent.objects.filter(event_id="evt_failed").count() == 1


class TestRefundBeforeTheSuccess:
    def test_a_refund_event_before_the_payments_success_is_delivered_again(
        self, client, stripe_accounts
    ):
        """Events cross: refund.created first gets a 503 and changes nothing; redelivered
        after payment_intent.succeeded, it is recorded."""
        order = make_order(lines=[(make_item(price="30.00"), 1)])
        intent_id = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        get_stripe_client(get_account("usd")).v1.payment_intents.confirm(
            intent_id, {"payment_method": "pm_card_visa", "return_url": "http://x/"}
        )
        payment = Payment.objects.get(stripe_id=intent_id)
        dashboard_refund(payment, 1000)
        created = only_event("refund.created")
        assert deliver(client, created).status_code == 503
        assert not Refund.objects.exists()
        assert not WebhookEvent.objects.filter(type="refund.created").exists()
        deliver(client, only_event("payment_intent.succeeded"))
        assert deliver(client, created).status_code == 200
        assert Refund.objects.get().amount == 1000
        assert statuses(payment) == (
            PaymentStatus.PARTIALLY_REFUNDED,
            OrderStatus.PARTIALLY_REFUNDED,
        )


def pay_without_webhooks(client: Any) -> Payment:
    """A paid order whose events are not delivered (the test delivers what it chooses)."""
    order = make_order(lines=[(make_item(price="30.00"), 1)])
    intent_id = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
    get_stripe_client(get_account("usd")).v1.payment_intents.confirm(
        intent_id, {"payment_method": "pm_card_visa", "return_url": "http://x/"}
    )
    deliver(client, only_event("payment_intent.succeeded"))
    payment = Payment.objects.get(stripe_id=intent_id)
    assert payment.status == PaymentStatus.SUCCEEDED
    return payment


def only_event(event_type: str) -> bytes:
    """The emulator's one event of `event_type`, as the bytes Stripe would deliver."""
    events = get_stripe_client(get_account("usd")).v1.events.list({"type": event_type})
    (event,) = events.data
    return json.dumps(event.to_dict()).encode()


def refund_event(source: bytes, event_type: str, event_id: str, **changes: Any) -> bytes:
    """A later event of the same refund with `changes` (refund.failed: its failure reason)."""
    event = json.loads(source)
    event.update(id=event_id, type=event_type, created=int(time.time()))
    event["data"]["object"].update(changes)
    if changes.get("status") == "failed":
        event["data"]["object"]["failure_reason"] = "expired_or_canceled_card"
    return json.dumps(event).encode()

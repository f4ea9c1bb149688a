"""`checkout.session.*` webhooks: signed, stored once, forward-only; and the emulator delivering
real events to the live server after a hosted-page payment."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from catalog.models import OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentKind, PaymentStatus, WebhookEvent
from payments.tests.helpers import buy, deliver, pay, signature

SESSION_OUTCOMES = {
    "checkout.session.completed": ("complete", "paid"),
    "checkout.session.async_payment_succeeded": ("complete", "paid"),
    "checkout.session.async_payment_failed": ("complete", "unpaid"),
    "checkout.session.expired": ("expired", "unpaid"),
}


def checkout_payment(currency: str = "usd", stripe_id: str = "cs_test_a1one") -> Payment:
    order = make_order(lines=[(make_item(currency=currency, price="15.00"), 2)])
    return Payment.objects.create(
        order=order,
        kind=PaymentKind.CHECKOUT_SESSION,
        account=currency,
        stripe_id=stripe_id,
        amount=3000,
        shop_amount=3000,
        currency=currency,
    )


def session_event(
    event_type: str,
    payment: Payment,
    *,
    event_id: str = "evt_cs_1",
    payment_status: str | None = None,
    currency: str | None = None,
) -> bytes:
    """A snapshot `checkout.session.*` event for the payment's session, as Stripe sends it."""
    status, default_payment_status = SESSION_OUTCOMES[event_type]
    session: dict[str, Any] = {
        "id": payment.stripe_id,
        "object": "checkout.session",
        "amount_total": payment.amount,
        "currency": currency or payment.currency,
        "status": status,
        "payment_status": payment_status or default_payment_status,
        "payment_intent": "pi_test_checkout1" if status == "complete" else None,
        "client_reference_id": str(payment.order_id),
        "metadata": {"order_id": str(payment.order_id)},
        "url": None,
    }
    event = {
        "id": event_id,
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": session},
    }
    return json.dumps(event, indent=2).encode()


def statuses(payment: Payment) -> tuple[str, str]:
    payment.refresh_from_db()
    return payment.status, payment.order.status


@pytest.mark.django_db
class TestCheckoutSessionEvents:
    def test_completed_and_paid_pays_the_order(self, client, stripe_accounts):
        """checkout.session.completed (paid): payment succeeded, PaymentIntent noted, order paid."""
        payment = checkout_payment()
        response = deliver(client, session_event("checkout.session.completed", payment))
        assert response.status_code == 200
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert payment.stripe_payment_intent_id == "pi_test_checkout1"

    def test_expired_cancels_the_attempt(self, client, stripe_accounts):
        """checkout.session.expired: nothing was paid; payment and order canceled."""
        payment = checkout_payment()
        deliver(client, session_event("checkout.session.expired", payment))
        assert statuses(payment) == (PaymentStatus.CANCELED, OrderStatus.CANCELED)

    def test_delayed_payment_processing_then_succeeded(self, client, stripe_accounts):
        """completed (unpaid) is processing; async_payment_succeeded then pays the order."""
        payment = checkout_payment()
        unpaid = session_event("checkout.session.completed", payment, payment_status="unpaid")
        deliver(client, unpaid)
        assert statuses(payment) == (PaymentStatus.PROCESSING, OrderStatus.PROCESSING)
        deliver(
            client,
            session_event("checkout.session.async_payment_succeeded", payment, event_id="evt_2"),
        )
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)

    def test_delayed_payment_failed(self, client, stripe_accounts):
        """async_payment_failed after completed (unpaid): payment and order failed."""
        payment = checkout_payment()
        unpaid = session_event("checkout.session.completed", payment, payment_status="unpaid")
        deliver(client, unpaid)
        deliver(
            client, session_event("checkout.session.async_payment_failed", payment, event_id="e2")
        )
        assert statuses(payment) == (PaymentStatus.FAILED, OrderStatus.FAILED)

    def test_failure_arriving_before_completed_is_kept(self, client, stripe_accounts):
        """Out of order: async_payment_failed, then the late completed (unpaid), stays failed."""
        payment = checkout_payment()
        deliver(client, session_event("checkout.session.async_payment_failed", payment))
        late = session_event(
            "checkout.session.completed", payment, event_id="evt_late", payment_status="unpaid"
        )
        deliver(client, late)
        assert statuses(payment) == (PaymentStatus.FAILED, OrderStatus.FAILED)

    def test_success_arriving_before_completed_is_kept(self, client, stripe_accounts):
        """Out of order: async_payment_succeeded, then the late completed (unpaid): still paid."""
        payment = checkout_payment()
        deliver(client, session_event("checkout.session.async_payment_succeeded", payment))
        late = session_event(
            "checkout.session.completed", payment, event_id="evt_late", payment_status="unpaid"
        )
        deliver(client, late)
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)

    def test_expired_after_completed_never_unpays(self, client, stripe_accounts):
        """A late `expired` after `completed` leaves the order paid."""
        payment = checkout_payment()
        deliver(client, session_event("checkout.session.completed", payment))
        deliver(client, session_event("checkout.session.expired", payment, event_id="evt_late"))
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)

    def test_completed_after_expired_stays_canceled_and_is_logged(
        self, client, stripe_accounts, caplog
    ):
        """`completed` after `expired` (which Stripe never sends for one session) does not
        revive a canceled payment, and the refused paid completion is logged as an error."""
        payment = checkout_payment()
        deliver(client, session_event("checkout.session.expired", payment))
        deliver(client, session_event("checkout.session.completed", payment, event_id="evt_late"))
        assert statuses(payment) == (PaymentStatus.CANCELED, OrderStatus.CANCELED)
        assert any(
            record.levelname == "ERROR" and payment.stripe_id in record.getMessage()
            for record in caplog.records
        )

    def test_duplicate_delivery_is_handled_once(self, client, stripe_accounts):
        """The same event delivered twice is stored once; the second delivery changes nothing."""
        payment = checkout_payment()
        event = session_event("checkout.session.completed", payment)
        assert deliver(client, event).status_code == 200
        Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id="")
        assert deliver(client, event).status_code == 200
        payment.refresh_from_db()
        assert payment.stripe_payment_intent_id == ""  # the handler did not run again
        assert WebhookEvent.objects.filter(event_id="evt_cs_1").count() == 1

    def test_forged_signature_is_refused_without_touching_data(self, client, stripe_accounts):
        """A payload signed with another secret is a 400 and the payment stays unpaid."""
        payment = checkout_payment()
        event = session_event("checkout.session.completed", payment)
        forged = signature(event, "whsec_not_the_right_secret_0123456789abcd")
        assert deliver(client, event, header=forged).status_code == 400
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)
        assert not WebhookEvent.objects.exists()

    def test_tampered_payload_is_refused(self, client, stripe_accounts):
        """A body changed after signing (paid injected) no longer matches the signature."""
        payment = checkout_payment()
        event = session_event("checkout.session.expired", payment)
        header = signature(event, "whsec_testusd0123456789abcdefghijklmnopqrstu")
        tampered = event.replace(b'"expired"', b'"complete"').replace(b'"unpaid"', b'"paid"')
        assert deliver(client, tampered, header=header).status_code == 400
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)

    def test_event_from_the_other_account_does_not_match(self, client, stripe_accounts):
        """A session event arriving on the EUR endpoint never touches a USD account's payment."""
        payment = checkout_payment("usd")
        event = session_event("checkout.session.completed", payment)
        assert deliver(client, event, currency="eur").status_code == 200
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)

    def test_unknown_session_is_acknowledged(self, client, stripe_accounts):
        """A session the shop never made (Dashboard, another app) is a 200 that changes nothing."""
        payment = checkout_payment()
        Payment.objects.filter(pk=payment.pk).update(stripe_id="cs_test_other")
        assert (
            deliver(client, session_event("checkout.session.completed", payment)).status_code == 200
        )
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)

    def test_session_in_another_currency_is_ignored(self, client, stripe_accounts):
        """A session whose currency isn't the payment's is refused (and logged), not recorded."""
        payment = checkout_payment()
        event = session_event("checkout.session.completed", payment, currency="eur")
        deliver(client, event)
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)


@pytest.mark.django_db(transaction=True)
class TestEmulatorDelivery:
    def test_paying_on_the_hosted_page_pays_the_order_through_the_webhook(
        self, client, stripe_webhooks
    ):
        """Real signed events from the emulator: checkout.session.completed reaches the live
        server's endpoint for the account and pays the order, with no success-page visit."""
        item = make_item(price="15.00")
        answer = buy(client, f"/buy/{item.pk}")
        pay(stripe_webhooks, answer["id"])
        stripe_webhooks.flush_webhooks()
        payment = Payment.objects.get(stripe_id=answer["id"])
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        delivered = stripe_webhooks.webhook_deliveries(type="checkout.session.completed")
        assert delivered
        assert all(d["url"].endswith("/payments/webhook/usd/") for d in delivered)
        assert WebhookEvent.objects.filter(
            type="checkout.session.completed", stripe_object_id=answer["id"]
        ).exists()

    def test_expiring_a_session_cancels_it_through_the_webhook(self, client, stripe_webhooks):
        """Stripe expiring the session (24 h later) cancels the attempt through the webhook."""
        order = make_order(lines=[(make_item(currency="eur", price="15.00"), 1)])
        answer = buy(client, f"/order/{order.pk}/buy")
        stripe_webhooks.advance_clock(25 * 3600)
        stripe_webhooks.flush_webhooks()
        payment = Payment.objects.get(stripe_id=answer["id"])
        assert statuses(payment) == (PaymentStatus.CANCELED, OrderStatus.CANCELED)

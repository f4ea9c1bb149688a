"""Money safety, through the real client and the emulator: the price charged is the price
shown, idempotency keys never cross databases, a double payment is caught and shown, late
events never block an order, a short payment never pays it, a vanished PaymentIntent is
replaced, an order changed during 3-D Secure gets a new PaymentIntent, and closing the other
attempts never holds up the webhook's answer."""

from __future__ import annotations

import logging
import time
import uuid
from decimal import Decimal

import pytest
import stripe

from catalog.models import Order, OrderLine, OrderStatus
from catalog.tests.factories import make_item, make_order, make_percent_discount, make_tax
from catalog.tests.helpers import order_form, url
from payments.models import Payment, PaymentKind, PaymentStatus, StripeCoupon, StripeTaxRate
from payments.order_keys import OrderKeys, get_order_keys
from payments.tests.helpers import (
    buy,
    creates,
    deliver,
    intent_event,
    pay,
    pay_server_side,
    retrieve,
    stripe_intent_by_id,
)
from payments.tests.open_attempts import intent_beside, session_beside
from testing.accounts import SECRET_KEYS

pytestmark = pytest.mark.django_db


def posts(emulator, path):
    return [r for r in emulator.requests() if (r["method"], r["path"]) == ("POST", path)]


class TestPriceChangeOnTheItemPath:
    def test_the_card_form_charges_the_price_the_page_shows(self, client, stripe_accounts):
        """The page showed $9.00 and the buyer opened the card form; the price became $12.50:
        the next card form charges $12.50 (a new one-line order), not the old line's $9.00."""
        item = make_item(price="9.00")
        first = client.post(f"/item/{item.pk}/payment-intent").json()
        item.price = Decimal("12.50")
        item.save()
        second = client.post(f"/item/{item.pk}/payment-intent").json()
        assert (first["amount"], second["amount"]) == (900, 1250)
        assert second["paymentIntent"] != first["paymentIntent"]
        assert stripe_intent_by_id(second["paymentIntent"]).amount == 1250

    def test_buy_charges_the_price_the_page_shows(self, client, stripe_accounts):
        """The same on /buy/<id>: Checkout's total is the item's current price."""
        item = make_item(price="9.00")
        first = buy(client, f"/buy/{item.pk}")
        item.price = Decimal("12.50")
        item.save()
        second = buy(client, f"/buy/{item.pk}")
        assert second["id"] != first["id"]
        assert retrieve(stripe_accounts, "usd", second["id"]).amount_total == 1250


class TestIdempotencyAcrossDatabases:
    """A second database (review app, fresh install) on the same Stripe account has an order of
    the same number and content; only the order's random nonce tells them apart."""

    def test_the_other_databases_order_gets_its_own_payment_intent(
        self, admin_client, stripe_accounts
    ):
        """Another database's order of that number (another nonce) gets its own PaymentIntent."""
        order = make_order()
        first = admin_client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        Payment.objects.all().delete()  # the other install: the same order row, no payments
        OrderKeys.objects.filter(order=order).update(nonce=uuid.uuid4())
        second = admin_client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        assert second != first
        assert len(creates(stripe_accounts)) == 2

    def test_the_other_databases_order_gets_its_own_session_coupon_and_tax_rate(
        self, admin_client, stripe_accounts
    ):
        """Another database's order of the same number gets its own session, coupon and tax rate."""
        order = make_order(discount=make_percent_discount(), tax=make_tax())
        first = buy(admin_client, f"/order/{order.pk}/buy")
        coupon = StripeCoupon.objects.get().stripe_id
        tax_rate = StripeTaxRate.objects.get().stripe_id
        Payment.objects.all().delete()
        StripeCoupon.objects.all().delete()
        StripeTaxRate.objects.all().delete()
        OrderKeys.objects.filter(order=order).update(nonce=uuid.uuid4())
        second = buy(admin_client, f"/order/{order.pk}/buy")
        assert second["id"] != first["id"]
        assert StripeCoupon.objects.get().stripe_id != coupon
        assert StripeTaxRate.objects.get().stripe_id != tax_rate

    def test_each_order_gets_its_own_nonce(self):
        """Two orders' nonces differ, so their idempotency keys never meet."""
        assert get_order_keys(make_order()).nonce != get_order_keys(make_order()).nonce


class TestPaidTwice:
    def test_a_second_payment_is_recorded_logged_and_flagged_not_a_500(
        self, client, admin_client, stripe_accounts, caplog, django_capture_on_commit_callbacks
    ):
        """Card form and Checkout both paid before any webhook: recording the session tries to
        cancel the card PaymentIntent, which Stripe refuses (it succeeded). The page answers,
        the card payment records its true status, and the double charge is logged and shown."""
        item = make_item(price="15.00")
        body = client.post(f"/item/{item.pk}/payment-intent").json()
        card = Payment.objects.get(stripe_id=body["paymentIntent"])
        session_id = session_beside(card.order_id).stripe_id
        pay_server_side(card)
        pay(stripe_accounts, session_id)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(f"/payments/checkout/success?session_id={session_id}")
        assert response.status_code == 200
        card.refresh_from_db()
        assert card.status == PaymentStatus.SUCCEEDED
        assert card.attention == f"Order paid twice: refund {card.stripe_id}."
        assert f"order {card.order_id} paid twice: refund {card.stripe_id}" in caplog.text
        assert any(r.levelno == logging.ERROR and "paid twice" in r.message for r in caplog.records)
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.PAID
        flagged = admin_client.get("/admin/payments/payment/", {"attention": "yes"})
        assert card.stripe_id in flagged.content.decode()
        assert session_id not in flagged.content.decode()


class TestLateEvents:
    @pytest.fixture
    def declined(self, admin_client, stripe_accounts):
        """A real PaymentIntent the buyer's card was declined on (Stripe: requires_payment_method
        with an error)."""
        order = make_order()
        admin_client.post(f"/order/{order.pk}/payment-intent")
        payment = Payment.objects.get(order=order)
        with pytest.raises(stripe.CardError):
            pay_server_side(payment, card="pm_card_chargeDeclined")
        return payment

    def test_a_late_processing_after_the_failure_does_not_block_the_order(
        self, client, admin_client, declined
    ):
        """A processing event arriving after the failure leaves the payment and order failed."""
        failed = intent_event("payment_intent.payment_failed", declined, event_id="evt_2",
                              error="Your card was declined.")  # fmt: skip
        assert deliver(client, failed).status_code == 200
        late = intent_event("payment_intent.processing", declined, event_id="evt_1")
        assert deliver(client, late).status_code == 200
        declined.refresh_from_db()
        declined.order.refresh_from_db()
        assert (declined.status, declined.order.status) == (
            PaymentStatus.FAILED,
            OrderStatus.FAILED,
        )
        retry = admin_client.post(f"/order/{declined.order_id}/payment-intent")
        assert retry.status_code == 200

    def test_processing_then_failure_in_order_ends_failed(self, client, declined):
        """processing then payment_failed, in order, ends the payment and the order failed."""
        deliver(client, intent_event("payment_intent.processing", declined, event_id="evt_1"))
        deliver(client, intent_event("payment_intent.payment_failed", declined, event_id="evt_2",
                                     error="Your card was declined."))  # fmt: skip
        declined.refresh_from_db()
        declined.order.refresh_from_db()
        assert (declined.status, declined.order.status) == (
            PaymentStatus.FAILED,
            OrderStatus.FAILED,
        )

    def test_stripe_unreachable_defers_the_ambiguous_event(self, client, declined, settings):
        """The PaymentIntent can't be read: nothing is stored and Stripe is asked to redeliver."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        deliver(client, intent_event("payment_intent.payment_failed", declined, event_id="evt_2"))
        settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
        late = intent_event("payment_intent.processing", declined, event_id="evt_1")
        assert deliver(client, late).status_code == 503
        declined.refresh_from_db()
        assert declined.status == PaymentStatus.FAILED


class TestShortPayment:
    def test_a_short_payment_succeeds_but_leaves_the_order_unpaid_and_flagged(
        self, client, stripe_accounts, caplog
    ):
        """A payment short of the order's cost succeeds but leaves the order unpaid and flagged."""
        order = make_order()
        payment = Payment.objects.create(order=order, kind=PaymentKind.PAYMENT_INTENT,
                                         account="usd", stripe_id="pi_short", amount=3000,
                                         shop_amount=3000, currency="usd")  # fmt: skip
        deliver(client, intent_event("payment_intent.succeeded", payment, amount=2500))
        payment.refresh_from_db()
        order.refresh_from_db()
        assert (payment.status, payment.covers_order) == (PaymentStatus.SUCCEEDED, False)
        assert order.status == OrderStatus.PROCESSING  # neither paid nor payable again
        assert "Received 2500 of 3000 usd" in payment.attention
        assert f"order {order.pk} underpaid" in caplog.text

    def test_an_order_with_a_payment_awaiting_the_buyer_is_locked_in_admin(
        self, admin_client, stripe_accounts
    ):
        """Editing the lines while a PaymentIntent awaits the buyer would show one total and
        charge another: the admin keeps them as they are."""
        order = make_order()
        assert admin_client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        line = order.lines.get()
        data = order_form(initial=[{"item": line.item, "quantity": 9, "id": line.pk}])
        admin_client.post(url("order", "change", order.pk), data)
        line.refresh_from_db()
        assert line.quantity == 2


class TestGoneFromTheAccount:
    def test_a_vanished_payment_intent_is_canceled_and_replaced(
        self, admin_client, stripe_accounts
    ):
        """The account's test data was deleted: the stored PaymentIntent is `resource_missing`
        at Stripe, so it is closed and the order gets a new one instead of a 502 forever."""
        order = make_order()
        old = admin_client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        stripe_accounts.reset()
        for key in SECRET_KEYS.values():
            stripe_accounts.add_account(key)
        response = admin_client.post(f"/order/{order.pk}/payment-intent")
        assert response.status_code == 200
        assert response.json()["paymentIntent"] != old
        assert Payment.objects.get(stripe_id=old).status == PaymentStatus.CANCELED

    def test_a_misconfiguration_is_not_called_unreachable(
        self, admin_client, stripe_accounts, settings, caplog
    ):
        """A key Stripe refuses is a 502 saying nothing was charged, logged at ERROR."""
        settings.STRIPE_ACCOUNTS = {
            **settings.STRIPE_ACCOUNTS,
            "usd": {**settings.STRIPE_ACCOUNTS["usd"], "secret_key": "sk_test_nosuchaccount"},
        }
        response = admin_client.post(f"/order/{make_order().pk}/payment-intent")
        assert response.status_code == 502
        assert response.json() == {"error": "Payment could not be started; nothing was charged."}
        assert any(r.levelno == logging.ERROR for r in caplog.records)


class TestThreeDSecure:
    def test_an_order_changed_during_authentication_gets_a_new_payment_intent(
        self, admin_client, stripe_accounts
    ):
        """An order changed during 3-D Secure gets a new PaymentIntent; a reload keeps the old."""
        order = make_order()
        old = admin_client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        pay_server_side(Payment.objects.get(stripe_id=old), card="pm_card_authenticationRequired")
        assert stripe_intent_by_id(old).status == "requires_action"
        same = admin_client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        assert same == old  # a reload mid-authentication keeps it
        OrderLine.objects.filter(order=order).update(quantity=3)
        new = admin_client.post(f"/order/{order.pk}/payment-intent").json()
        assert new["paymentIntent"] != old
        assert new["amount"] == 4500
        assert stripe_intent_by_id(old).status == "canceled"
        assert not posts(stripe_accounts, f"/v1/payment_intents/{old}")  # never updated
        assert Payment.objects.get(stripe_id=old).status == PaymentStatus.CANCELED


class TestClosingOtherAttempts:
    def test_a_hanging_cancel_does_not_hold_up_the_webhook(
        self, client, stripe_accounts, caplog, django_capture_on_commit_callbacks
    ):
        """Stripe hangs on canceling the card form's PaymentIntent after Checkout paid: the
        close is tried once with a short timeout, logged, and the answer stays fast."""
        item = make_item(price="15.00")
        session_id = buy(client, f"/buy/{item.pk}")["id"]
        intent_id = intent_beside(Payment.objects.get(stripe_id=session_id).order_id).stripe_id
        pay(stripe_accounts, session_id)
        stripe_accounts.set_fault("POST /v1/payment_intents/{intent}/cancel", error="hang")
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            client.get(f"/payments/checkout/success?session_id={session_id}")
        assert time.monotonic() - started < 4  # the shop's own client: 2 x 5 s and a backoff
        assert f"Could not close {intent_id}" in caplog.text
        assert Payment.objects.get(stripe_id=intent_id).status == PaymentStatus.REQUIRES_PAYMENT

    def test_an_expired_session_leaves_the_open_card_form_payable(self, client, stripe_accounts):
        """Checkout abandoned and expired while the card form's PaymentIntent is still open:
        the order stays open (payable), not "canceled" beside a Pay button."""
        item = make_item(price="15.00")
        intent_id = client.post(f"/item/{item.pk}/payment-intent").json()["paymentIntent"]
        session_id = session_beside(Payment.objects.get(stripe_id=intent_id).order_id).stripe_id
        stripe_accounts.advance_clock(25 * 3600)
        client.get(f"/payments/checkout/success?session_id={session_id}")
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.CANCELED
        card = Payment.objects.get(stripe_id=intent_id)
        assert card.status == PaymentStatus.REQUIRES_PAYMENT
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.OPEN

"""Checkout through the real client and the emulator: what reaches Stripe, reuse, failures."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest
from django.test import Client

import payments.checkout
from catalog.models import Order, OrderLine, OrderStatus
from catalog.tests.factories import (
    make_item,
    make_order,
    make_percent_discount,
)
from payments.gateway.checkout import CheckoutSession, create_checkout_session
from payments.models import Payment, PaymentKind, PaymentStatus, StripeCoupon
from payments.tests.helpers import (
    buy,
    pay,
    retrieve,
    session_creates,
)

pytestmark = pytest.mark.django_db


ACCOUNT_NAMES = {"usd": "shopusd", "eur": "shopeur", "jpy": "shopjpy"}


class TestBuyItem:
    def test_answers_the_session_id_and_its_url(self, client, emulator):
        """GET /buy/<id> answers {"id": "cs_…", "url": the hosted page} and records a Payment."""
        item = make_item(price="15.00", currency="usd")
        answer = buy(client, f"/buy/{item.pk}")
        assert set(answer) == {"id", "url"}
        assert answer["id"].startswith("cs_test_")
        assert answer["url"] == f"{emulator.url}/c/pay/{answer['id']}"
        payment = Payment.objects.get(stripe_id=answer["id"])
        assert payment.kind == PaymentKind.CHECKOUT_SESSION
        assert (payment.account, payment.currency, payment.amount) == ("usd", "usd", 1500)
        assert payment.shop_amount == 1500
        assert payment.status == PaymentStatus.REQUIRES_PAYMENT

    def test_request_that_reaches_stripe(self, client, emulator):
        """One session in the item's account: a price_data line, order id, manual tax, URLs."""
        item = make_item(name="Tea cup", price="15.00", currency="usd")
        answer = buy(client, f"/buy/{item.pk}")
        [create] = session_creates(emulator)
        order = Payment.objects.get(stripe_id=answer["id"]).order
        order_id = str(order.pk)
        params = create["params"]
        assert create["account"] == ACCOUNT_NAMES["usd"]
        assert params["mode"] == "payment"
        assert params["line_items"] == {
            "0": {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": "1500",
                    "product_data": {"name": "Tea cup"},
                },
                "quantity": "1",
            }
        }
        assert "discounts" not in params
        assert params["automatic_tax"] == {"enabled": "false"}
        assert params["client_reference_id"] == order_id
        assert params["metadata"] == {"order_id": order_id}
        assert params["payment_intent_data"] == {"metadata": {"order_id": order_id}}
        assert params["success_url"] == (
            "http://testserver/payments/checkout/success?session_id={CHECKOUT_SESSION_ID}"
        )
        assert params["cancel_url"] == f"http://testserver/payments/checkout/cancel/item/{item.pk}"
        assert create["idempotency_key"].startswith(
            f"order-{order_id}-{order.payment_keys.nonce}-cs-"
        )

    def test_each_currency_uses_its_own_account(self, client, emulator):
        """A EUR item's session is made with the EUR account's key, in EUR."""
        item = make_item(price="9.90", currency="eur")
        answer = buy(client, f"/buy/{item.pk}")
        [create] = session_creates(emulator)
        assert create["account"] == ACCOUNT_NAMES["eur"]
        assert create["params"]["line_items"]["0"]["price_data"]["currency"] == "eur"
        assert retrieve(emulator, "eur", answer["id"]).amount_total == 990

    def test_repeated_gets_reuse_one_open_session(self, client, emulator):
        """Prefetchers and double clicks: five GETs make one order and one session."""
        item = make_item()
        ids = {buy(client, f"/buy/{item.pk}")["id"] for _ in range(5)}
        assert len(ids) == 1
        assert len(session_creates(emulator)) == 1
        assert Order.objects.count() == 1

    def test_cookieless_requests_each_get_their_own_order(self, emulator):
        """curl without cookies, twice: each answer sets a session cookie and pays an order of
        that session; no order is shared (anyone could open and pay a shared one)."""
        item = make_item()
        first_buyer, second_buyer = Client(), Client()
        first = buy(first_buyer, f"/buy/{item.pk}")
        second = buy(second_buyer, f"/buy/{item.pk}")
        assert first["id"] != second["id"]
        sessions = {buyer.cookies["sessionid"].value for buyer in (first_buyer, second_buyer)}
        assert set(Order.objects.values_list("session_key", flat=True)) == sessions
        assert "" not in sessions

    def test_a_paid_session_is_not_offered_again(self, client, emulator):
        """After the item's session is paid, the next Buy makes a new order and session."""
        item = make_item()
        first = buy(client, f"/buy/{item.pk}")
        pay(emulator, first["id"])
        second = buy(client, f"/buy/{item.pk}")
        assert second["id"] != first["id"]
        assert Payment.objects.get(stripe_id=first["id"]).status == PaymentStatus.SUCCEEDED
        assert Order.objects.filter(status=OrderStatus.PAID).count() == 1
        assert Order.objects.count() == 2

    def test_unknown_item_is_a_json_404(self, client, emulator):
        """A bad id answers 404 JSON and calls no Stripe."""
        answer = buy(client, "/buy/999999", status=404)
        assert answer == {"error": "No such item."}
        assert emulator.requests() == []

    def test_only_get(self, client, emulator):
        """The assignment's URL is a GET; other methods are refused."""
        item = make_item()
        assert client.post(f"/buy/{item.pk}").status_code == 405

    def test_answers_are_never_cached(self, client, emulator):
        """A cached answer could send a buyer to a stale or someone else's session."""
        response = client.get(f"/buy/{make_item().pk}")
        assert "no-store" in response["Cache-Control"]


class TestBuyOrder:
    def test_changed_order_expires_the_stale_session(self, client, emulator):
        """A quantity changed after a session was made: the old session is expired, a new one
        charges the new total."""
        order = make_order(lines=[(make_item(price="15.00"), 1)])
        first = buy(client, f"/order/{order.pk}/buy")
        OrderLine.objects.filter(order=order).update(quantity=3)
        second = buy(client, f"/order/{order.pk}/buy")
        assert second["id"] != first["id"]
        assert retrieve(emulator, "usd", first["id"]).status == "expired"
        assert retrieve(emulator, "usd", second["id"]).amount_total == 4500
        assert Payment.objects.get(stripe_id=first["id"]).status == PaymentStatus.CANCELED
        assert Order.objects.get(pk=order.pk).status == OrderStatus.OPEN

    def test_an_expired_session_is_replaced(self, client, emulator):
        """After Stripe expires the open session (24 h), the next request gets a new one."""
        order = make_order()
        first = buy(client, f"/order/{order.pk}/buy")
        emulator.advance_clock(25 * 3600)
        second = buy(client, f"/order/{order.pk}/buy")
        assert second["id"] != first["id"]
        creates = session_creates(emulator)
        assert creates[0]["idempotency_key"] != creates[1]["idempotency_key"]
        assert Payment.objects.get(stripe_id=first["id"]).status == PaymentStatus.CANCELED

    def test_someone_elses_order_is_a_404(self, client, emulator):
        """An order placed by another browser session is not found, as on the order page."""
        order = make_order(session_key="someone-else")
        assert buy(client, f"/order/{order.pk}/buy", status=404) == {"error": "No such order."}
        assert buy(client, "/order/999999/buy", status=404) == {"error": "No such order."}
        assert emulator.requests() == []


class TestStripeFailures:
    """Stripe errors become a JSON 502/503 within a bounded time, leaving nothing half-made."""

    @pytest.fixture(autouse=True)
    def _short_timeouts(self, settings):
        settings.STRIPE_TIMEOUT_SECONDS = 1
        settings.STRIPE_MAX_NETWORK_RETRIES = 1

    def test_server_errors_are_a_502(self, client, emulator):
        """A 500 from Stripe (after the client's retry) is a 502 with a message to show."""
        emulator.set_fault("POST /v1/checkout/sessions", error="api_error")
        answer = buy(client, f"/buy/{make_item().pk}", status=502)
        assert "Nothing was charged" in answer["error"]
        assert not Payment.objects.exists()

    def test_rate_limits_are_a_503(self, client, emulator):
        """A 429 from Stripe is a 503: waiting a moment is the fix."""
        emulator.set_fault("POST /v1/checkout/sessions", error="rate_limit")
        answer = buy(client, f"/buy/{make_item().pk}", status=503)
        assert "busy" in answer["error"]

    def test_a_hanging_stripe_is_answered_in_bounded_time(self, client, emulator):
        """Stripe never answering: the buyer gets a 502 within the timeout and retries."""
        emulator.set_fault("POST /v1/checkout/sessions", error="hang")
        started = time.monotonic()
        buy(client, f"/buy/{make_item().pk}", status=502)
        assert time.monotonic() - started < 8
        assert not Payment.objects.exists()

    def test_a_failed_coupon_sync_leaves_nothing_behind(self, client, emulator):
        """Stripe failing at the coupon (its 500 stored under the key, so the SDK's retries
        get it back): no mapping row, no session; the next request uses a fresh key and works."""
        emulator.set_fault("POST /v1/coupons", error="api_error", count=1)
        order = make_order(lines=[(make_item(), 1)], discount=make_percent_discount())
        buy(client, f"/order/{order.pk}/buy", status=502)
        assert not StripeCoupon.objects.exists()
        assert session_creates(emulator) == []
        buy(client, f"/order/{order.pk}/buy")
        assert StripeCoupon.objects.count() == 1


class TestIdempotencyAfterAFailure:
    def test_after_a_failed_create_the_next_session_uses_a_fresh_key(
        self, client, emulator, settings
    ):
        """A failed session create (Stripe stores its 500 under the key) is followed by one
        with a new key, which succeeds: the order has exactly one session."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        order = make_order()
        emulator.set_fault("POST /v1/checkout/sessions", error="api_error", count=1)
        buy(client, f"/order/{order.pk}/buy", status=502)
        session_id = buy(client, f"/order/{order.pk}/buy")["id"]
        failed, created = (r["idempotency_key"] for r in session_creates(emulator))
        assert failed.startswith(f"order-{order.pk}-{order.payment_keys.nonce}-cs-")
        assert failed != created
        assert list(Payment.objects.values_list("stripe_id", flat=True)) == [session_id]


class TestAmountMismatch:
    def test_stripes_figure_is_recorded_logged_and_shown_in_admin(
        self, client, admin_client, emulator, monkeypatch, caplog
    ):
        """If Checkout's amount_total ever differs from the shop's total, the Payment records
        Stripe's figure (what is charged) beside the shop's, logs it and admin shows it."""

        def off_by_one(*args: Any, **kwargs: Any) -> CheckoutSession:
            session = create_checkout_session(*args, **kwargs)
            return dataclasses.replace(session, amount_total=session.amount_total + 1)

        monkeypatch.setattr(payments.checkout, "create_checkout_session", off_by_one)
        answer = buy(client, f"/buy/{make_item(price='15.00').pk}")
        payment = Payment.objects.get(stripe_id=answer["id"])
        assert (payment.amount, payment.shop_amount, payment.amount_mismatch) == (1501, 1500, 1)
        assert any(
            record.levelname == "WARNING" and "differs" in record.getMessage()
            for record in caplog.records
        )
        changelist = admin_client.get("/admin/payments/payment/")
        assert (
            '<td class="field-paid">$15.01<br><small>shop: $15.00</small></td>'
            in changelist.content.decode()
        )

    def test_coupons_and_tax_rates_are_listed_in_admin(self, admin_client, emulator):
        """Staff can see which Stripe coupon and tax rate stand for each Discount and Tax."""
        assert admin_client.get("/admin/payments/stripecoupon/").status_code == 200
        assert admin_client.get("/admin/payments/stripetaxrate/").status_code == 200

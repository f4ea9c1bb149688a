"""Stripe Checkout through the real stripe-python client against the emulator: what reaches
Stripe for items and orders, totals parity, coupon and tax-rate sync, session reuse, limits,
failures, and the success and cancel pages."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest
from django.test import Client

import payments.checkout
from catalog.models import Order, OrderLine, OrderStatus
from catalog.services import order_with_lines
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.totals import order_totals
from payments.checkout import ReturnUrls, checkout_request
from payments.gateway.accounts import account_for
from payments.gateway.checkout import CheckoutSession, create_checkout_session
from payments.models import Payment, PaymentKind, PaymentStatus, StripeCoupon, StripeTaxRate
from payments.tests.helpers import (
    buy,
    deliver,
    intent_event,
    pay,
    pay_server_side,
    posts,
    retrieve,
    session_creates,
)
from payments.tests.open_attempts import intent_beside, session_beside
from stripe_emulator.testing import RunningEmulator

pytestmark = pytest.mark.django_db

ACCOUNT_NAMES = {"usd": "shopusd", "eur": "shopeur", "jpy": "shopjpy"}


@pytest.fixture
def emulator(stripe_accounts: RunningEmulator, settings: Any) -> RunningEmulator:
    """The conftest's usd and eur accounts, plus a jpy one for zero-decimal parity."""
    stripe_accounts.add_account("sk_test_shopjpy")
    settings.STRIPE_CURRENCIES = [*settings.STRIPE_CURRENCIES, "jpy"]
    settings.STRIPE_ACCOUNTS = {
        **settings.STRIPE_ACCOUNTS,
        "jpy": {
            "secret_key": "sk_test_shopjpy",
            "publishable_key": "pk_test_shopjpy",
            "webhook_secret": "whsec_testjpy0123456789abcdefghijklmnopqrstu",
        },
    }
    return stripe_accounts


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
    def test_request_with_coupon_and_tax_rate_on_each_line(self, client, emulator):
        """Lines become line items, the Discount one coupon, the Tax a rate on every line."""
        cup, pot = make_item(name="Cup", price="15.00"), make_item(name="Pot", price="9.99")
        discount, tax = make_percent_discount(percent="20"), make_tax(percentage="8.25")
        order = make_order(lines=[(cup, 2), (pot, 1)], discount=discount, tax=tax)
        buy(client, f"/order/{order.pk}/buy")
        [coupon] = posts(emulator, "/v1/coupons")
        [rate] = posts(emulator, "/v1/tax_rates")
        [create] = session_creates(emulator)
        assert coupon["params"]["percent_off"] == "20.0"
        assert coupon["account"] == rate["account"] == create["account"] == "shopusd"
        assert (rate["params"]["percentage"], rate["params"]["inclusive"]) == ("8.25", "false")
        coupon_id = StripeCoupon.objects.get(discount=discount).stripe_id
        rate_id = StripeTaxRate.objects.get(tax=tax).stripe_id
        lines = create["params"]["line_items"]
        assert [(line["price_data"]["product_data"]["name"], line["price_data"]["unit_amount"],
                 line["quantity"]) for line in lines.values()] == [
            ("Cup", "1500", "2"), ("Pot", "999", "1")]  # fmt: skip
        assert all(line["tax_rates"] == {"0": rate_id} for line in lines.values())
        assert create["params"]["discounts"] == {"0": {"coupon": coupon_id}}
        assert create["params"]["cancel_url"].endswith(
            f"/payments/checkout/cancel/order/{order.pk}"
        )

    def test_amount_coupon_in_minor_units_of_the_order_currency(self, client, emulator):
        """An amount-off Discount is an amount_off coupon in the order's currency."""
        discount = make_amount_discount(amount="6.00", currency="eur")
        order = make_order(lines=[(make_item(price="15.00", currency="eur"), 2)], discount=discount)
        buy(client, f"/order/{order.pk}/buy")
        [coupon] = posts(emulator, "/v1/coupons")
        assert coupon["account"] == "shopeur"
        assert (coupon["params"]["amount_off"], coupon["params"]["currency"]) == ("600", "eur")

    @pytest.mark.parametrize(
        ("currency", "prices", "discount", "tax"),
        [
            ("usd", ["15.00", "9.99"], ("percent", "20"), ("8.25", False)),
            ("usd", ["10.00", "30.00"], ("amount", "6.00"), ("20", True)),
            ("eur", ["12.34", "0.99", "7.77"], ("percent", "12.5"), ("19", True)),
            ("eur", ["19.99", "5.01"], ("amount", "3.33"), ("7", False)),
            ("jpy", ["1500", "999", "120"], ("percent", "15"), ("10", False)),
            ("jpy", ["3333", "777"], ("amount", "500"), ("8", True)),
            ("usd", ["15.00", "9.99"], None, None),
        ],
    )
    def test_checkout_total_equals_the_shop_total(
        self, client, emulator, currency, prices, discount, tax
    ):
        """Checkout's amount_total is the order total the shop shows, to the cent (or yen)."""
        items = [make_item(name=f"Item {n}", price=price, currency=currency)
                 for n, price in enumerate(prices)]  # fmt: skip
        made_discount = None
        if discount and discount[0] == "percent":
            made_discount = make_percent_discount(percent=discount[1])
        elif discount:
            made_discount = make_amount_discount(amount=discount[1], currency=currency)
        made_tax = make_tax(percentage=tax[0], inclusive=tax[1]) if tax else None
        order = make_order(
            lines=[(item, n + 1) for n, item in enumerate(items)],
            discount=made_discount,
            tax=made_tax,
        )
        answer = buy(client, f"/order/{order.pk}/buy")
        shop = order_totals(order_with_lines(order.pk))
        session = retrieve(emulator, currency, answer["id"])
        assert session.amount_total == shop.total
        assert session.amount_subtotal == shop.subtotal
        assert session.total_details.amount_discount == shop.discount
        assert session.total_details.amount_tax == shop.tax
        payment = Payment.objects.get(stripe_id=answer["id"])
        assert (payment.amount, payment.shop_amount, payment.amount_mismatch) == (
            shop.total, shop.total, 0)  # fmt: skip

    def test_coupon_and_tax_rate_are_created_once_per_account(self, client, emulator):
        """A second order with the same Discount and Tax reuses their Stripe objects."""
        discount, tax = make_percent_discount(), make_tax()
        for _ in range(2):
            order = make_order(lines=[(make_item(), 1)], discount=discount, tax=tax)
            buy(client, f"/order/{order.pk}/buy")
        assert len(posts(emulator, "/v1/coupons")) == 1
        assert len(posts(emulator, "/v1/tax_rates")) == 1
        assert len(session_creates(emulator)) == 2

    def test_each_account_gets_its_own_coupon(self, client, emulator):
        """Stripe objects are per account: a percent Discount used in USD and EUR is 2 coupons."""
        discount = make_percent_discount()
        for currency in ("usd", "eur"):
            order = make_order(lines=[(make_item(currency=currency), 1)], discount=discount)
            buy(client, f"/order/{order.pk}/buy")
        coupons = posts(emulator, "/v1/coupons")
        assert sorted(c["account"] for c in coupons) == ["shopeur", "shopusd"]
        assert StripeCoupon.objects.filter(discount=discount).count() == 2

    def test_an_edited_discount_gets_a_new_coupon(self, client, emulator):
        """20% edited to 25%: the next session uses a new 25% coupon, never the stale 20% one."""
        discount = make_percent_discount(percent="20")
        first = make_order(lines=[(make_item(), 1)], discount=discount)
        buy(client, f"/order/{first.pk}/buy")
        discount.percent_off = 25
        discount.save()
        second = make_order(lines=[(make_item(), 1)], discount=discount)
        answer = buy(client, f"/order/{second.pk}/buy")
        coupons = posts(emulator, "/v1/coupons")
        assert [c["params"]["percent_off"] for c in coupons] == ["20.0", "25.0"]
        assert StripeCoupon.objects.filter(discount=discount).count() == 2
        assert retrieve(emulator, "usd", answer["id"]).total_details.amount_discount == 375

    def test_an_edited_tax_gets_a_new_tax_rate(self, client, emulator):
        """Exclusive switched to inclusive: a new tax rate, since Stripe can't change one."""
        tax = make_tax(percentage="20", inclusive=False)
        buy(client, f"/order/{make_order(lines=[(make_item(), 1)], tax=tax).pk}/buy")
        tax.inclusive = True
        tax.save()
        buy(client, f"/order/{make_order(lines=[(make_item(), 1)], tax=tax).pk}/buy")
        rates = posts(emulator, "/v1/tax_rates")
        assert [r["params"]["inclusive"] for r in rates] == ["false", "true"]

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


class TestLimits:
    """Each limit is a 400 JSON message, and Stripe is never called."""

    def refused(self, client, emulator, order, status: int = 400) -> str:
        answer = buy(client, f"/order/{order.pk}/buy", status=status)
        assert session_creates(emulator) == []
        assert not Payment.objects.exists()
        message: str = answer["error"]
        return message

    def test_more_than_a_hundred_lines(self, client, emulator):
        """101 distinct items are more than Checkout takes in one session."""
        items = [make_item(name=f"Item {n}", price="1.00") for n in range(101)]
        order = make_order(lines=[(item, 1) for item in items])
        assert "at most 100 different items" in self.refused(client, emulator, order)

    def test_below_the_minimum_charge(self, client, emulator):
        """0.40 USD is under Stripe's 0.50 minimum."""
        order = make_order(lines=[(make_item(price="0.40"), 1)])
        assert "below $0.50" in self.refused(client, emulator, order)

    def test_above_the_maximum(self, client, emulator):
        """Over 999,999.99 USD is more than Stripe charges."""
        order = make_order(lines=[(make_item(price="600000.00"), 2)])
        assert "above $999,999.99" in self.refused(client, emulator, order)

    def test_discount_covering_the_order(self, client, emulator):
        """An amount off larger than the order leaves nothing to pay."""
        discount = make_amount_discount(amount="50.00", currency="usd")
        order = make_order(lines=[(make_item(price="15.00"), 1)], discount=discount)
        assert "covers the whole order" in self.refused(client, emulator, order)

    def test_paid_order(self, client, emulator):
        """A paid order is not sent to Checkout again: a 409, as for one found paid at Stripe."""
        order = make_order()
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
        assert "already paid" in self.refused(client, emulator, order, status=409)

    def test_currency_without_an_account(self, client, emulator, settings):
        """An item priced in GBP before GBP lost its account: a clear 503, no Stripe call."""
        settings.STRIPE_CURRENCIES = ["usd", "gbp"]
        item = make_item(currency="gbp", price="5.00")
        settings.STRIPE_CURRENCIES = ["usd"]
        answer = buy(client, f"/buy/{item.pk}", status=503)
        assert answer["error"] == "Payments in GBP are not available right now."


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


class TestSuccessPage:
    def test_paid_session_shows_paid_and_pays_the_order(self, client, emulator):
        """Returning from Checkout after paying: the page (asking Stripe) shows the payment
        went through and the order is paid, even before the webhook."""
        item = make_item(price="15.00")
        answer = buy(client, f"/buy/{item.pk}")
        redirect = pay(emulator, answer["id"])["redirect_url"]
        assert redirect == f"http://testserver/payments/checkout/success?session_id={answer['id']}"
        response = client.get(redirect.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert 'data-status="succeeded"' in response.content.decode()
        assert "your payment went through" in response.content.decode()
        payment = Payment.objects.get(stripe_id=answer["id"])
        assert payment.status == PaymentStatus.SUCCEEDED
        assert payment.stripe_payment_intent_id.startswith("pi_")
        assert payment.order.status == OrderStatus.PAID

    def test_an_unpaid_session_is_not_shown_as_paid(self, client, emulator):
        """Visiting the success URL without paying (a typed URL) shows it is not complete."""
        answer = buy(client, f"/buy/{make_item().pk}")
        response = client.get(f"/payments/checkout/success?session_id={answer['id']}")
        assert 'data-status="requires_payment"' in response.content.decode()
        assert Order.objects.get().status == OrderStatus.OPEN

    def test_an_expired_session_shows_canceled(self, client, emulator):
        """An expired session: nothing was charged, and the page says so."""
        answer = buy(client, f"/buy/{make_item().pk}")
        emulator.advance_clock(25 * 3600)
        response = client.get(f"/payments/checkout/success?session_id={answer['id']}")
        assert 'data-status="canceled"' in response.content.decode()

    def test_unknown_session_is_a_404(self, client, emulator):
        """A session id the shop did not make (or none) is a 404, without asking Stripe."""
        assert client.get("/payments/checkout/success?session_id=cs_test_nope").status_code == 404
        assert client.get("/payments/checkout/success").status_code == 404
        assert emulator.requests() == []

    def test_stripe_down_shows_the_stored_status(self, client, emulator, settings):
        """If Stripe can't be asked, the page shows the last known status and says so."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        answer = buy(client, f"/buy/{make_item().pk}")
        emulator.set_fault("GET /v1/checkout/sessions/{session}", error="api_error")
        response = client.get(f"/payments/checkout/success?session_id={answer['id']}")
        assert response.status_code == 200
        assert "last status we know" in response.content.decode()


class TestCancelPage:
    def test_back_from_checkout_returns_to_the_item_saying_nothing_was_charged(self, client):
        """Checkout's back link lands on the item page with a notice."""
        item = make_item()
        response = client.get(f"/payments/checkout/cancel/item/{item.pk}", follow=True)
        assert response.redirect_chain == [(f"/item/{item.pk}", 302)]
        assert "nothing was charged" in response.content.decode()

    def test_back_from_checkout_returns_to_the_order(self, client):
        """For an order, the back link lands on the order page."""
        order = make_order()
        response = client.get(f"/payments/checkout/cancel/order/{order.pk}")
        assert response.status_code == 302
        assert response["Location"] == f"/order/{order.pk}"


class TestOnlyOneAttemptPays:
    def test_paying_through_checkout_cancels_the_card_forms_payment_intent(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """Card form opened, then paid on Checkout: the order's PaymentIntent is canceled, so
        the still-open card form can't charge the buyer a second time."""
        item = make_item(price="15.00")
        answer = buy(client, f"/buy/{item.pk}")
        session = Payment.objects.get(stripe_id=answer["id"])
        intent_id = intent_beside(session.order_id).stripe_id
        pay(emulator, answer["id"])
        with django_capture_on_commit_callbacks(execute=True):
            client.get(f"/payments/checkout/success?session_id={answer['id']}")
        card = Payment.objects.get(stripe_id=intent_id)
        assert card.status == PaymentStatus.CANCELED
        assert card.order.status == OrderStatus.PAID
        assert posts(emulator, f"/v1/payment_intents/{intent_id}/cancel")

    def test_paying_by_card_expires_the_open_checkout_session(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """Checkout opened, then paid with the card form: after the commit the order's open
        session is expired, so Checkout can't charge the buyer a second time."""
        item = make_item(price="15.00")
        body = client.post(f"/item/{item.pk}/payment-intent").json()
        card = Payment.objects.get(stripe_id=body["paymentIntent"])
        session_id = session_beside(card.order_id).stripe_id
        pay_server_side(card)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(
                "/payments/result/",
                {
                    "payment_intent": body["paymentIntent"],
                    "payment_intent_client_secret": body["clientSecret"],
                },
            )
        assert retrieve(emulator, "usd", session_id).status == "expired"
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.CANCELED
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.PAID

    def test_a_processing_card_payment_expires_the_open_checkout_session(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """A delayed card-form payment (`payment_intent.processing`) closes Checkout too."""
        item = make_item(price="15.00")
        body = client.post(f"/item/{item.pk}/payment-intent").json()
        card = Payment.objects.get(stripe_id=body["paymentIntent"])
        session_id = session_beside(card.order_id).stripe_id
        with django_capture_on_commit_callbacks(execute=True):
            deliver(client, intent_event("payment_intent.processing", card))
        assert retrieve(emulator, "usd", session_id).status == "expired"
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.CANCELED
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.PROCESSING

    def test_a_session_that_cannot_be_expired_is_logged_and_the_payment_stands(
        self, client, emulator, settings, caplog, django_capture_on_commit_callbacks
    ):
        """Stripe failing to expire the session doesn't undo the card payment: it is logged."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        item = make_item(price="15.00")
        body = client.post(f"/item/{item.pk}/payment-intent").json()
        card = Payment.objects.get(stripe_id=body["paymentIntent"])
        session_id = session_beside(card.order_id).stripe_id
        emulator.set_fault("POST /v1/checkout/sessions/{session}/expire", error="api_error")
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, intent_event("payment_intent.succeeded", card))
        assert response.status_code == 200
        assert posts(emulator, f"/v1/checkout/sessions/{session_id}/expire")
        assert f"Could not close {session_id} of order {card.order_id}" in caplog.text
        assert Order.objects.get(pk=card.order_id).status == OrderStatus.PAID
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.REQUIRES_PAYMENT

    def test_paying_one_session_expires_the_others(
        self, client, emulator, django_capture_on_commit_callbacks
    ):
        """Two open sessions for one order (a race the row lock makes rare): once one is
        paid, the other is expired so it can't be paid too."""
        order = make_order()
        first = buy(client, f"/order/{order.pk}/buy")
        second = Payment.objects.get(stripe_id=first["id"])
        twin = create_checkout_session(
            account_for("usd"),
            checkout_request(
                order_with_lines(order.pk),
                order_totals(order_with_lines(order.pk)),
                account_for("usd"),
                ReturnUrls(
                    success="http://t/s?session_id={CHECKOUT_SESSION_ID}", cancel="http://t/c"
                ),
                attempt=9,
            ),
            idempotency_key="a-twin",
        )
        second.pk, second.stripe_id = None, twin.id
        second.save()
        pay(emulator, twin.id)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(f"/payments/checkout/success?session_id={twin.id}")
        assert retrieve(emulator, "usd", first["id"]).status == "expired"
        assert Payment.objects.get(stripe_id=first["id"]).status == PaymentStatus.CANCELED
        assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


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


class TestRussian:
    @pytest.fixture(autouse=True)
    def _russian(self, client):
        client.cookies["django_language"] = "ru"

    def test_the_checkout_button_and_messages_are_in_russian(self, client, emulator):
        """The item page offers «Оплатить через Stripe Checkout»; /buy answers in Russian too."""
        item = make_item()
        assert "Оплатить через Stripe Checkout" in client.get(f"/item/{item.pk}").content.decode()
        assert buy(client, "/buy/999999", status=404) == {"error": "Такого товара нет."}
        order = make_order(lines=[(make_item(price="0.40"), 1)])
        assert "наименьшего платежа" in buy(client, f"/order/{order.pk}/buy", status=400)["error"]

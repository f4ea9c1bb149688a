"""PaymentIntent endpoints: one PaymentIntent per order and per item, and its idempotency keys."""

from __future__ import annotations

import pytest
from django.test import Client

from catalog.models import OrderStatus
from catalog.tests.factories import buyer_session, make_item, make_order
from payments.gateway.accounts import get_account, get_stripe_client
from payments.models import Payment, PaymentStatus
from payments.order_keys import OrderKeys
from payments.tests.helpers import creates, pay_server_side
from testing.accounts import PUBLISHABLE_KEYS

pytestmark = pytest.mark.django_db


class TestOrderPaymentIntent:
    def test_answers_the_client_secret_and_the_currency_accounts_key(self, client, stripe_accounts):
        """The answer holds the client secret and the currency account's publishable key."""
        for currency in ("usd", "eur"):
            order = make_order(lines=[(make_item(currency=currency, price="12.50"), 2)])
            response = client.post(f"/order/{order.pk}/payment-intent")
            assert response.status_code == 200
            body = response.json()
            payment = Payment.objects.get(order=order)
            assert body == {
                "clientSecret": body["clientSecret"],
                "publishableKey": PUBLISHABLE_KEYS[currency],
                "paymentIntent": payment.stripe_id,
                "amount": 2500,
                "currency": currency,
            }
            assert body["clientSecret"].startswith(payment.stripe_id + "_secret_")
            assert response["Cache-Control"] == "no-store"
            assert (payment.account, payment.amount, payment.status) == (
                currency,
                2500,
                PaymentStatus.REQUIRES_PAYMENT,
            )
        accounts = {r["params"]["currency"]: r["account"] for r in creates(stripe_accounts)}
        assert accounts == {"usd": "shopusd", "eur": "shopeur"}

    def test_many_reloads_make_one_payment_intent(self, client, stripe_accounts):
        """Repeated requests for one order reuse its one PaymentIntent."""
        order = make_order()
        answers = {
            client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
            for _ in range(10)
        }
        assert len(answers) == 1
        assert len(creates(stripe_accounts)) == 1
        assert Payment.objects.filter(order=order).count() == 1

    def test_a_changed_order_updates_the_same_payment_intent(self, client, stripe_accounts):
        """A changed order updates the amount of its PaymentIntent instead of making another."""
        order = make_order()  # 2 x 15.00
        first = client.post(f"/order/{order.pk}/payment-intent").json()
        order.lines.update(quantity=3)
        second = client.post(f"/order/{order.pk}/payment-intent").json()
        assert second["paymentIntent"] == first["paymentIntent"]
        assert second["amount"] == 4500
        intent = get_stripe_client(get_account("usd")).v1.payment_intents.retrieve(
            first["paymentIntent"]
        )
        assert intent.amount == 4500
        payment = Payment.objects.get(order=order)
        assert (payment.amount, payment.shop_amount) == (4500, 4500)

    def test_a_canceled_payment_intent_is_replaced(self, client, stripe_accounts):
        """A PaymentIntent canceled at Stripe is replaced by a new one."""
        order = make_order()
        first = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        get_stripe_client(get_account("usd")).v1.payment_intents.cancel(first)
        second = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        assert second != first
        statuses = dict(Payment.objects.values_list("stripe_id", "status"))
        assert statuses == {first: PaymentStatus.CANCELED, second: PaymentStatus.REQUIRES_PAYMENT}

    def test_a_payment_intent_paid_meanwhile_makes_the_order_paid(self, client, stripe_accounts):
        """Paid but the webhook not yet in: the endpoint learns it from Stripe and refuses."""
        order = make_order()
        client.post(f"/order/{order.pk}/payment-intent")
        pay_server_side(Payment.objects.get())
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert response.status_code == 409
        assert response.json() == {
            "error": "This order is already paid.",
            "order": f"/order/{order.pk}",
        }
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
        assert len(creates(stripe_accounts)) == 1

    def test_a_paid_order_is_refused_before_calling_stripe(self, client, stripe_accounts):
        """A paid order answers 409 without a Stripe call."""
        order = make_order()
        order.status = OrderStatus.PAID
        order.save()
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert (response.status_code, response.json()) == (
            409,
            {"error": "This order is already paid.", "order": f"/order/{order.pk}"},
        )
        assert stripe_accounts.requests() == []

    def test_a_total_below_the_minimum_charge_is_refused(self, client, stripe_accounts):
        """A total below Stripe's minimum charge is a 400 naming the minimum."""
        order = make_order(lines=[(make_item(price="0.49"), 1)])
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert response.status_code == 400
        assert response.json()["error"] == (
            "The total is below the smallest amount that can be charged, $0.50."
        )
        assert stripe_accounts.requests() == []

    def test_a_total_above_the_maximum_is_refused(self, client, stripe_accounts):
        """A total above Stripe's maximum amount is a 400."""
        order = make_order(lines=[(make_item(price="999999.99"), 2)])
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert response.status_code == 400
        assert "largest amount" in response.json()["error"]
        assert stripe_accounts.requests() == []

    def test_the_minimum_is_told_in_russian_too(self, client, stripe_accounts):
        """The minimum-charge refusal is translated, with the amount formatted for Russian."""
        order = make_order(lines=[(make_item(price="0.10", currency="eur"), 1)])
        response = client.post(
            f"/order/{order.pk}/payment-intent", headers={"Accept-Language": "ru"}
        )
        assert response.status_code == 400
        assert "0,50" in response.json()["error"]
        assert "The total" not in response.json()["error"]

    @pytest.mark.parametrize("how", ["not enabled", "no keys"])
    def test_a_currency_without_an_account_answers_503(
        self, client, stripe_accounts, settings, how
    ):
        """An order in a currency without a configured account answers 503."""
        order = make_order(lines=[(make_item(currency="eur"), 1)])
        if how == "not enabled":
            settings.STRIPE_CURRENCIES = ["usd"]
            settings.STRIPE_ACCOUNTS = {"usd": settings.STRIPE_ACCOUNTS["usd"]}
        else:
            settings.STRIPE_ACCOUNTS = {
                **settings.STRIPE_ACCOUNTS,
                "eur": {"secret_key": "", "publishable_key": "", "webhook_secret": ""},
            }
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert response.status_code == 503
        assert response.json() == {"error": "Payments in EUR are not available right now."}
        assert stripe_accounts.requests() == []

    def test_missing_order_is_a_json_404(self, client, stripe_accounts):
        """An order that does not exist is a JSON 404."""
        response = client.post("/order/999999/payment-intent")
        assert (response.status_code, response.json()) == (
            404,
            {"error": "This order does not exist."},
        )

    def test_another_sessions_order_is_a_404(self, client, stripe_accounts):
        """Another session's order is a 404, as if it did not exist."""
        order = make_order(session_key="someone-else")
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert response.status_code == 404
        assert stripe_accounts.requests() == []

    def test_get_is_not_allowed(self, client, stripe_accounts):
        """The PaymentIntent endpoint answers GET with 405."""
        assert client.get(f"/order/{make_order().pk}/payment-intent").status_code == 405

    def test_csrf_is_enforced(self, stripe_accounts):
        """The PaymentIntent endpoint refuses a POST without a CSRF token."""
        browser = Client(enforce_csrf_checks=True)
        browser.cookies["sessionid"] = buyer_session()
        order = make_order()
        assert browser.post(f"/order/{order.pk}/payment-intent").status_code == 403
        browser.get(f"/order/{order.pk}")  # the page sets the CSRF cookie
        token = browser.cookies["csrftoken"].value
        response = browser.post(f"/order/{order.pk}/payment-intent", headers={"X-CSRFToken": token})
        assert response.status_code == 200


class TestIdempotencyAfterAFailure:
    def test_after_a_failed_create_the_next_uses_a_fresh_key(
        self, client, stripe_accounts, settings
    ):
        """Stripe stores a 500 under its idempotency key for 24 hours: once a create failed,
        the next request sends a new key, succeeds, and Stripe holds one PaymentIntent."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        order = make_order()
        stripe_accounts.set_fault("POST /v1/payment_intents", error="api_error", count=1)
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 502
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        failed, created = (r["idempotency_key"] for r in creates(stripe_accounts))
        assert failed.startswith(f"order-{order.pk}-{order.payment_keys.nonce}-pi-")
        assert failed != created
        stored = get_stripe_client(get_account("usd")).v1.payment_intents.list().data
        assert [intent.id for intent in stored] == [Payment.objects.get(order=order).stripe_id]

    def test_the_sdks_own_retry_of_a_lost_answer_keeps_the_key(
        self, client, stripe_accounts, settings
    ):
        """stripe-python retrying one create resends the same key (so a create that did reach
        Stripe is answered, not repeated), and the order counts no failure."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 1
        settings.STRIPE_TIMEOUT_SECONDS = 1
        order = make_order()
        stripe_accounts.set_fault("POST /v1/payment_intents", error="hang", count=1)
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        first, retry = (r["idempotency_key"] for r in creates(stripe_accounts))
        assert first == retry
        assert OrderKeys.objects.get(order=order).failed_creates == 0
        assert get_stripe_client(get_account("usd")).v1.payment_intents.list().data[0].id == (
            Payment.objects.get(order=order).stripe_id
        )


class TestItemPaymentIntent:
    def test_makes_a_one_line_order_for_the_session_and_reuses_it(self, client, stripe_accounts):
        """Paying an item makes one one-line order for the session and reuses it."""
        item = make_item(currency="eur", price="9.90")
        first = client.post(f"/item/{item.pk}/payment-intent").json()
        second = client.post(f"/item/{item.pk}/payment-intent").json()
        assert first["paymentIntent"] == second["paymentIntent"]
        assert (first["amount"], first["currency"], first["publishableKey"]) == (
            990,
            "eur",
            PUBLISHABLE_KEYS["eur"],
        )
        payment = Payment.objects.get()
        order = payment.order
        assert order.session_key == client.session.session_key
        assert [(line.item, line.quantity) for line in order.lines.all()] == [(item, 1)]

    def test_another_buyer_gets_another_order(self, client, stripe_accounts):
        """Another buyer paying the same item gets an order of their own."""
        item = make_item()
        client.post(f"/item/{item.pk}/payment-intent")
        Client().post(f"/item/{item.pk}/payment-intent")
        assert Payment.objects.values("order").distinct().count() == 2

    def test_after_paying_a_new_buy_makes_a_new_order(self, client, stripe_accounts):
        """Once the item's order is paid, paying the item again makes a new order."""
        item = make_item()
        first = client.post(f"/item/{item.pk}/payment-intent").json()
        paid = Payment.objects.get()
        pay_server_side(paid)
        client.get(
            "/payments/result/",
            {
                "payment_intent": first["paymentIntent"],
                "payment_intent_client_secret": first["clientSecret"],
            },
        )
        again = client.post(f"/item/{item.pk}/payment-intent").json()
        assert again["paymentIntent"] != paid.stripe_id
        assert Payment.objects.get(stripe_id=again["paymentIntent"]).order != paid.order

    def test_missing_item_is_a_json_404(self, client, stripe_accounts):
        """An item that does not exist is a JSON 404."""
        response = client.post("/item/999999/payment-intent")
        assert (response.status_code, response.json()) == (
            404,
            {"error": "This item does not exist."},
        )

"""The PaymentIntent endpoints and the result page, through Django's test client."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from catalog.models import DEMO_SESSION_KEY, Order, OrderStatus
from catalog.tests.factories import buyer_session, make_item, make_order
from payments.gateway.accounts import account_for, client_for
from payments.models import Payment, PaymentStatus
from payments.order_keys import OrderKeys
from payments.tests.helpers import creates, pay_server_side
from testing.accounts import PUBLISHABLE_KEYS, SECRET_KEYS

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
        intent = client_for(account_for("usd")).v1.payment_intents.retrieve(first["paymentIntent"])
        assert intent.amount == 4500
        payment = Payment.objects.get(order=order)
        assert (payment.amount, payment.shop_amount) == (4500, 4500)

    def test_a_canceled_payment_intent_is_replaced(self, client, stripe_accounts):
        """A PaymentIntent canceled at Stripe is replaced by a new one."""
        order = make_order()
        first = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        client_for(account_for("usd")).v1.payment_intents.cancel(first)
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


class TestWhoMayPay:
    """The order page, its Pay button, the PaymentIntent endpoint and Checkout's
    /order/<id>/buy follow one rule (`Order.is_visible_to`, `Order.is_payable`)."""

    def test_the_demo_order_can_be_seen_and_paid_by_both_paths(self, client, stripe_accounts):
        """The demo data's sample order is shared by link: its page offers Pay, and the card
        form and Checkout both take it (Checkout answered 404 before)."""
        order = make_order(session_key=DEMO_SESSION_KEY)
        page = client.get(f"/order/{order.pk}")
        assert page.status_code == 200
        assert 'id="pay-button"' in page.content.decode()
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        assert client.get(f"/order/{order.pk}/buy").status_code == 200

    def test_another_buyers_order_is_hidden_from_every_path(self, client, stripe_accounts):
        """Another buyer's order is a 404 on its page, the card form and Checkout alike."""
        order = make_order(session_key="someone-else")
        assert client.get(f"/order/{order.pk}").status_code == 404
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 404
        assert client.get(f"/order/{order.pk}/buy").status_code == 404
        assert stripe_accounts.requests() == []

    def test_a_canceled_order_can_be_paid_again_by_both_paths(self, client, stripe_accounts):
        """A canceled order (its last attempt canceled unpaid) offers Pay, and both the card
        form and Checkout take it; the order awaits payment again."""
        order = make_order()
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELED)
        assert 'id="pay-button"' in client.get(f"/order/{order.pk}").content.decode()
        assert client.get(f"/order/{order.pk}/buy").status_code == 200
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        order.refresh_from_db()
        assert order.status == OrderStatus.OPEN

    @pytest.mark.parametrize("status", [OrderStatus.PAID, OrderStatus.PROCESSING])
    def test_a_paid_or_processing_order_offers_no_payment(self, client, stripe_accounts, status):
        """A paid or processing order offers no Pay button; both paths answer 409."""
        order = make_order()
        Order.objects.filter(pk=order.pk).update(status=status)
        assert 'id="pay-button"' not in client.get(f"/order/{order.pk}").content.decode()
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 409
        assert client.get(f"/order/{order.pk}/buy").status_code == 409
        assert stripe_accounts.requests() == []


class TestStripeFailuresAtTheEndpoint:
    @pytest.mark.parametrize(
        ("fault", "status", "message"),
        [
            ("api_error", 502, "We could not reach the payment provider."),
            ("rate_limit", 503, "The payment provider is busy right now."),
            ("hang", 502, "We could not reach the payment provider."),
        ],
    )
    def test_failure_answers_json_in_bounded_time_and_writes_nothing(
        self, client, stripe_accounts, settings, fault, status, message
    ):
        """When Stripe fails the endpoint answers JSON within its bound and stores no payment."""
        settings.STRIPE_TIMEOUT_SECONDS = 1
        settings.STRIPE_MAX_NETWORK_RETRIES = 1
        order = make_order()
        stripe_accounts.set_fault("POST /v1/payment_intents", error=fault)
        started = time.monotonic()
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert time.monotonic() - started < 5
        assert response.status_code == status
        assert response.json()["error"].startswith(message)
        assert not Payment.objects.exists()
        order.refresh_from_db()
        assert order.status == OrderStatus.OPEN
        # Once Stripe is back, the retry makes the order's one PaymentIntent.
        stripe_accounts.clear_faults()
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        assert Payment.objects.count() == 1


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
        stored = client_for(account_for("usd")).v1.payment_intents.list().data
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
        assert client_for(account_for("usd")).v1.payment_intents.list().data[0].id == (
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


class TestPages:
    def test_item_page_carries_the_card_form_but_makes_no_payment_intent(
        self, client, stripe_accounts, settings
    ):
        """The item page carries the card form but makes no PaymentIntent until asked."""
        item = make_item()
        page = client.get(f"/item/{item.pk}").content.decode()
        assert f'data-intent-url="/item/{item.pk}/payment-intent"' in page
        stripe_js = f"{stripe_accounts.url}/{settings.STRIPE_JS_RELEASE}/stripe.js"
        assert f'data-stripe-js="{stripe_js}"' in page
        assert 'data-return-url="http://testserver/payments/result/"' in page
        assert "js/payment.js" in page
        assert 'id="buy-button"' in page
        assert stripe_accounts.requests() == []
        assert SECRET_KEYS["usd"] not in page

    def test_order_page_carries_the_card_form_while_payable(self, client, stripe_accounts):
        """The order page carries the card form only while the order is payable."""
        order = make_order()
        assert (
            f'data-intent-url="/order/{order.pk}/payment-intent"'
            in client.get(f"/order/{order.pk}").content.decode()
        )
        order.status = OrderStatus.PAID
        order.save()
        assert "data-intent-url" not in client.get(f"/order/{order.pk}").content.decode()


class TestResultPage:
    def start(self, client, currency="usd"):
        order = make_order(lines=[(make_item(currency=currency), 1)])
        return order, client.post(f"/order/{order.pk}/payment-intent").json()

    def result(self, client, body, secret=None, **extra):
        query = {
            "payment_intent": body["paymentIntent"],
            "payment_intent_client_secret": body["clientSecret"] if secret is None else secret,
            **extra,
        }
        return client.get("/payments/result/", query)

    def test_shows_paid_from_stripe_and_updates_payment_and_order(self, client, stripe_accounts):
        """The result page shows what Stripe says (paid) and records it on the payment and order."""
        order, body = self.start(client, "eur")
        pay_server_side(Payment.objects.get())
        response = self.result(client, body, redirect_status="succeeded")
        assert response.status_code == 200
        assert 'data-status="succeeded"' in response.content.decode()
        assert "your payment went through" in response.content.decode()
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
        assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
        retrieved = [r for r in stripe_accounts.requests() if r["method"] == "GET"][-1]
        assert retrieved["account"] == "shopeur"

    def test_never_trusts_the_query_string(self, client, stripe_accounts):
        """A redirect_status in the query string does not change what the result page shows."""
        order, body = self.start(client)
        response = self.result(client, body, redirect_status="succeeded")
        assert 'data-status="requires_payment"' in response.content.decode()
        order.refresh_from_db()
        assert order.status == OrderStatus.OPEN

    def test_shows_a_decline_as_failed(self, client, stripe_accounts):
        """A declined card is shown as failed on the result page."""
        order, body = self.start(client)
        with pytest.raises(Exception, match="declined"):
            pay_server_side(Payment.objects.get(), "pm_card_visa_chargeDeclined")
        response = self.result(client, body, redirect_status="failed")
        assert 'data-status="failed"' in response.content.decode()
        assert "Your card was declined." in response.content.decode()
        order.refresh_from_db()
        assert order.status == OrderStatus.FAILED

    def test_in_russian(self, client, stripe_accounts):
        """The result page is shown in Russian for a Russian browser."""
        _order, body = self.start(client)
        pay_server_side(Payment.objects.get())
        response = client.get(
            "/payments/result/",
            {
                "payment_intent": body["paymentIntent"],
                "payment_intent_client_secret": body["clientSecret"],
            },
            headers={"Accept-Language": "ru"},
        )
        assert 'lang="ru"' in response.content.decode()
        assert "your payment went through" not in response.content.decode()

    @pytest.mark.parametrize("secret", ["", "pi_wrong_secret_x"])
    def test_a_wrong_client_secret_is_a_404(self, client, stripe_accounts, secret):
        """A result URL with a wrong client secret is a 404."""
        _order, body = self.start(client)
        assert self.result(client, body, secret=secret).status_code == 404

    def test_an_unknown_payment_intent_is_a_404(self, client, stripe_accounts):
        """A result URL for an unknown PaymentIntent is a 404."""
        response = client.get(
            "/payments/result/",
            {"payment_intent": "pi_unknown", "payment_intent_client_secret": "x"},
        )
        assert response.status_code == 404

    def test_when_stripe_is_down_shows_the_last_known_status_to_the_buyer(
        self, client, stripe_accounts, settings
    ):
        """When Stripe can't be asked the buyer sees the stored status."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        body = client.post(f"/item/{make_item().pk}/payment-intent").json()  # a session's order
        stripe_accounts.set_fault("*", error="api_error")
        response = self.result(client, body)
        assert response.status_code == 200
        assert "could not reach the payment provider" in response.content.decode()
        assert (
            Client().get("/payments/result/", {"payment_intent": body["paymentIntent"]}).status_code
            == 404
        )

"""Who pays, Stripe failing at an endpoint, and the item, order, result, success, cancel pages."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from catalog.models import DEMO_SESSION_KEY, Order, OrderStatus
from catalog.tests.factories import (
    make_item,
    make_order,
)
from payments.models import Payment, PaymentStatus
from payments.tests.helpers import (
    buy,
    pay,
    pay_server_side,
)
from testing.accounts import SECRET_KEYS

pytestmark = pytest.mark.django_db


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

"""One live payment attempt per order across the card form and Checkout, with no webhooks
(the `stripe_accounts` accounts have no webhook URL): each path closes the other's open
attempt at Stripe first, and one that Stripe says was paid makes the order paid and the
request a 409 naming the order. Runs on SQLite and PostgreSQL (`make test` does both)."""

from __future__ import annotations

import pytest
import stripe

from catalog.models import OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentKind, PaymentStatus
from payments.tests.helpers import (
    buy,
    creates,
    pay,
    pay_server_side,
    posts,
    retrieve,
    session_creates,
    stripe_intent_by_id,
)

pytestmark = pytest.mark.django_db


def paid_answer(order_id: int) -> dict[str, str]:
    return {"error": "This order is already paid.", "order": f"/order/{order_id}"}


class TestCardPaidThenCheckout:
    def test_checkout_for_an_order_paid_by_card_is_a_409_and_no_session(
        self, client, stripe_accounts
    ):
        """Card form paid, webhook never sent: `/order/<id>/buy` asks Stripe, records the
        payment, marks the order paid and answers 409 instead of a second charge."""
        order = make_order()
        client.post(f"/order/{order.pk}/payment-intent")
        card = Payment.objects.get(order=order)
        pay_server_side(card)
        response = client.get(f"/order/{order.pk}/buy")
        assert (response.status_code, response.json()) == (409, paid_answer(order.pk))
        assert session_creates(stripe_accounts) == []
        card.refresh_from_db()
        card.order.refresh_from_db()
        assert (card.status, card.order.status) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        page = client.get(f"/order/{order.pk}").content.decode()
        assert 'id="pay-button"' not in page
        assert 'id="checkout-button"' not in page

    def test_checkout_cancels_the_open_card_payment_intent(self, client, stripe_accounts):
        """Card form opened but not paid, then Checkout: the PaymentIntent is canceled at
        Stripe before the session is made, so only the session can take the money."""
        order = make_order()
        intent_id = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        session_id = buy(client, f"/order/{order.pk}/buy")["id"]
        assert stripe_intent_by_id(intent_id).status == "canceled"
        assert posts(stripe_accounts, f"/v1/payment_intents/{intent_id}/cancel")
        statuses = dict(Payment.objects.values_list("stripe_id", "status"))
        assert statuses == {
            intent_id: PaymentStatus.CANCELED,
            session_id: PaymentStatus.REQUIRES_PAYMENT,
        }
        assert Payment.objects.get(stripe_id=session_id).order.status == OrderStatus.OPEN
        with pytest.raises(stripe.InvalidRequestError):
            pay_server_side(Payment.objects.get(stripe_id=intent_id))

    def test_a_payment_intent_in_3d_secure_is_canceled_too(self, client, stripe_accounts):
        """The buyer left 3-D Secure (`requires_action`) for Checkout: Stripe allows canceling
        it, so the newer attempt wins and the abandoned authentication can't charge."""
        order = make_order()
        client.post(f"/order/{order.pk}/payment-intent")
        card = Payment.objects.get(order=order)
        pay_server_side(card, card="pm_card_threeDSecure2Required")
        assert stripe_intent_by_id(card.stripe_id).status == "requires_action"
        buy(client, f"/order/{order.pk}/buy")
        assert stripe_intent_by_id(card.stripe_id).status == "canceled"

    def test_stripe_unreachable_for_the_cancel_opens_no_session(
        self, client, stripe_accounts, settings
    ):
        """If Stripe can't be asked to cancel the card form's PaymentIntent, no session is
        made: the old attempt might still be paid. The buyer gets a 502 and tries again."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        order = make_order()
        client.post(f"/order/{order.pk}/payment-intent")
        stripe_accounts.set_fault("POST /v1/payment_intents/{intent}/cancel", error="api_error")
        buy(client, f"/order/{order.pk}/buy", status=502)
        assert session_creates(stripe_accounts) == []
        stripe_accounts.clear_faults()
        buy(client, f"/order/{order.pk}/buy")
        assert len(session_creates(stripe_accounts)) == 1


class TestCheckoutPaidThenCard:
    def test_the_card_form_for_an_order_paid_on_checkout_is_a_409(self, client, stripe_accounts):
        """Checkout paid, webhook never sent: the card form's request finds the session
        complete when it tries to expire it, records it, and makes no PaymentIntent."""
        order = make_order()
        session_id = buy(client, f"/order/{order.pk}/buy")["id"]
        pay(stripe_accounts, session_id)
        response = client.post(f"/order/{order.pk}/payment-intent")
        assert (response.status_code, response.json()) == (409, paid_answer(order.pk))
        assert creates(stripe_accounts) == []
        session = Payment.objects.get(stripe_id=session_id)
        assert session.status == PaymentStatus.SUCCEEDED
        assert session.stripe_payment_intent_id.startswith("pi_")
        assert session.order.status == OrderStatus.PAID

    def test_the_item_card_form_too(self, client, stripe_accounts):
        """The same through `/item/<id>/payment-intent`: the item's one-line order was paid on
        Checkout, so the card form answers 409 naming that order."""
        item = make_item(price="15.00")
        session_id = buy(client, f"/buy/{item.pk}")["id"]
        pay(stripe_accounts, session_id)
        response = client.post(f"/item/{item.pk}/payment-intent")
        order_id = Payment.objects.get(stripe_id=session_id).order_id
        assert (response.status_code, response.json()) == (409, paid_answer(order_id))
        assert creates(stripe_accounts) == []

    def test_the_card_form_expires_the_open_session(self, client, stripe_accounts):
        """Checkout opened but not paid, then the card form: the session is expired at Stripe
        first, so the buyer can't pay both."""
        order = make_order()
        session_id = buy(client, f"/order/{order.pk}/buy")["id"]
        assert client.post(f"/order/{order.pk}/payment-intent").status_code == 200
        assert retrieve(stripe_accounts, "usd", session_id).status == "expired"
        assert Payment.objects.get(stripe_id=session_id).status == PaymentStatus.CANCELED
        card = Payment.objects.get(kind=PaymentKind.PAYMENT_INTENT)
        assert (card.status, card.order.status) == (PaymentStatus.REQUIRES_PAYMENT, "open")

    def test_a_reload_keeps_the_card_forms_own_payment_intent(self, client, stripe_accounts):
        """Closing the other kind leaves the path's own attempt alone: reloads of the card
        form after a Checkout detour answer one PaymentIntent, canceling nothing more."""
        order = make_order()
        buy(client, f"/order/{order.pk}/buy")
        first = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        again = client.post(f"/order/{order.pk}/payment-intent").json()["paymentIntent"]
        assert first == again
        assert len(creates(stripe_accounts)) == 1
        assert not posts(stripe_accounts, f"/v1/payment_intents/{first}/cancel")


class TestOrderPage:
    def test_an_order_paid_at_stripe_is_shown_paid_without_pay(self, client, stripe_accounts):
        """Card form paid, no webhook, nothing else asked: the order page itself asks Stripe,
        shows the order paid and offers no Pay button."""
        order = make_order()
        client.post(f"/order/{order.pk}/payment-intent")
        pay_server_side(Payment.objects.get(order=order))
        page = client.get(f"/order/{order.pk}").content.decode()
        assert 'id="pay-button"' not in page
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID

    def test_stripe_down_still_shows_the_page_with_the_stored_status(
        self, client, stripe_accounts, settings
    ):
        """Stripe not answering the page's question: the page shows what the shop knows (the
        Pay button's own request asks Stripe again before any new attempt)."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        order = make_order()
        client.post(f"/order/{order.pk}/payment-intent")
        stripe_accounts.set_fault("GET /v1/payment_intents/{intent}", error="api_error")
        response = client.get(f"/order/{order.pk}")
        assert response.status_code == 200
        assert 'id="pay-button"' in response.content.decode()
